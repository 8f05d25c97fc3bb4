"""The generated docs build with ``mkdocs build --strict``, and the built site refers to nothing outside."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from sitefixture import ROOT, mkdocs_build, write_project

pytestmark = pytest.mark.slow
# Tags that make a browser fetch: a canonical <link> or an <a> to the original article fetches nothing.
EXTERNAL = re.compile(r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=["']?(?:https?:)?//"""
                      r"""|<link\b[^>]*\brel=["']?(?:stylesheet|preload|preconnect|modulepreload|icon|manifest)"""
                      r"""[^>]*\bhref=["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("book"))
    return mkdocs_build(root)


def test_every_page_kind_is_built(site: Path) -> None:
    for page in ("index.html", "briefings/putin-thanks-north-korea/index.html", "actors/north-korea/index.html",
                 "weapons/hwasong-18/index.html", "concerns/arms-transfer/index.html", "actors/index.html",
                 "timeline/index.html", "network/index.html", "tags/index.html", "feed.xml",
                 "data/briefings.json", "data/entities.json", "data/network.json"):
        assert (site / page).is_file(), page


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    for html in site.rglob("*.html"):
        m = EXTERNAL.search(html.read_text(encoding="utf-8"))
        assert m is None, f"{html.relative_to(site)}: {m.group(0) if m else ''}"


def test_scripts_in_raw_html_resolve_to_built_files(site: Path) -> None:
    for page in ("briefings/putin-thanks-north-korea/index.html", "network/index.html", "index.html"):
        html = (site / page).read_text(encoding="utf-8")
        srcs = re.findall(r'<script src="([^"]+/(?:mermaid|cytoscape|network)[^"]*)"', html)
        assert srcs, page
        for src in srcs:
            assert ((site / page).parent / src).resolve().is_file(), (page, src)


def test_tags_index_lists_briefings_under_their_tags(site: Path) -> None:
    html = (site / "tags/index.html").read_text(encoding="utf-8")
    assert 'id="tag:hwasong-18"' in html
    assert "../briefings/hwasong-18-test/" in html
    page = (site / "briefings/putin-thanks-north-korea/index.html").read_text(encoding="utf-8")
    assert page.count('class="md-tag') <= 8 + 1


def test_hostile_text_is_not_markup_in_the_built_html(site: Path) -> None:
    for page in ("briefings/undated-claims/index.html", "actors/x-img-onerror/index.html", "tags/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert re.search(r"<img\b[^>]*onerror", html) is None, page
        assert re.search(r"<a\b[^>]*href=[\"']?javascript:", html, re.I) is None, page


@pytest.mark.skipif(importlib.util.find_spec("generator.extract") is None,
                    reason="the extraction engine (generator/extract) is not on this branch yet")
def test_real_pipeline_on_the_sample_content_builds_strict(tmp_path: Path) -> None:
    from generator.config import load_settings
    from generator.pipeline import generate
    from generator.pipeline import mkdocs_build as pipeline_build

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "content", tmp_path / "content")
    if (ROOT / "docs").is_dir():  # hand-written pages (the manual) build beside the generated ones
        shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=_generated)
    settings = load_settings(tmp_path)
    report = generate(settings)
    assert report.read >= 10 and not report.skipped
    pipeline_build(settings, strict=True)
    site = tmp_path / "site"
    assert (site / "briefings/putin-thanks-north-korea/index.html").is_file()
    assert (site / "network/index.html").is_file()
    for html in site.rglob("*.html"):
        m = EXTERNAL.search(html.read_text(encoding="utf-8"))
        assert m is None, f"{html.relative_to(site)}: {m.group(0) if m else ''}"


def _generated(folder: str, names: list[str]) -> set[str]:
    """What a local `briefing generate` left in the repository's docs/: not hand-written, not copied."""
    from generator.outputs import EXTRA_OWNED
    from generator.pipeline import owned

    if Path(folder).resolve() != (ROOT / "docs").resolve():
        return {"briefing"} & set(names) if Path(folder).name == "assets" else set()
    tops = {o.split("/")[0] for o in (*owned(), *EXTRA_OWNED) if not o.startswith("assets/")}
    return {n for n in names if n in tops or n.startswith(".briefing")}


def test_an_empty_book_builds_strict(tmp_path: Path) -> None:
    from sitefixture import fixture_kb

    from generator.pipeline import build_corpus

    site = mkdocs_build(write_project(tmp_path, build_corpus({}, fixture_kb())))
    assert (site / "network/index.html").is_file() and (site / "tags/index.html").is_file()
