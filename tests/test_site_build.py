"""The generated docs build with ``mkdocs build --strict``, and the built site refers to nothing outside."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from sitefixture import mkdocs_build, write_project

from generator.pipeline import BuildReport

pytestmark = pytest.mark.slow
# Tags that make a browser fetch: a canonical <link> or an <a> to the original article fetches nothing.
EXTERNAL = re.compile(r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=["']?(?:https?:)?//"""
                      r"""|<link\b[^>]*\brel=["']?(?:stylesheet|preload|preconnect|modulepreload|icon|manifest)"""
                      r"""[^>]*\bhref=["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def site(fixture_book_site: Path) -> Path:
    return fixture_book_site


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


def test_the_retired_tags_listing_redirects_home_and_briefings_link_their_tags_to_dossiers(site: Path) -> None:
    html = (site / "tags/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../">' in html and "md-content" not in html
    assert not (site / "tags.json").exists(), "no tags plugin, no tags export"
    page = (site / "briefings/putin-thanks-north-korea/index.html").read_text(encoding="utf-8")
    assert "md-tag" not in page, "no theme tag chips"
    byline = re.search(r"tags: (.*?)</p>", page)
    assert byline is not None
    assert '<a href="../../weapons/hwasong-18/">Hwasong-18</a>' in byline.group(1)
    assert byline.group(1).count("<a href=") == 8
    assert "tags/" not in page


def test_hostile_text_is_not_markup_in_the_built_html(site: Path) -> None:
    for page in ("briefings/undated-claims/index.html", "actors/x-img-onerror/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert re.search(r"<img\b[^>]*onerror", html) is None, page
        assert re.search(r"<a\b[^>]*href=[\"']?javascript:", html, re.I) is None, page


@pytest.mark.skipif(importlib.util.find_spec("generator.extract") is None,
                    reason="the extraction engine (generator/extract) is not on this branch yet")
def test_real_pipeline_on_the_sample_content_builds_strict(sample_book: tuple[Path, BuildReport]) -> None:
    root, report = sample_book
    assert report.read >= 10 and not report.skipped
    site = root / "site"
    assert (site / "briefings/putin-thanks-north-korea/index.html").is_file()
    assert (site / "network/index.html").is_file()
    for html in site.rglob("*.html"):
        m = EXTERNAL.search(html.read_text(encoding="utf-8"))
        assert m is None, f"{html.relative_to(site)}: {m.group(0) if m else ''}"


def test_an_empty_book_builds_strict(tmp_path: Path) -> None:
    from sitefixture import fixture_kb

    from generator.pipeline import build_corpus

    site = mkdocs_build(write_project(tmp_path, build_corpus({}, fixture_kb())))
    assert (site / "network/index.html").is_file() and (site / "tags/index.html").is_file()
    assert "url=../" in (site / "tags/index.html").read_text(encoding="utf-8")
