"""An incremental site build leaves the same site/ as a full build of the same docs/.

A full MkDocs build stamps the build date into two files and nothing else: each page's <lastmod>
in sitemap.xml, and sitemap.xml.gz, which holds the same XML with the build time in its gzip
header. The comparison ignores exactly these: sitemap.xml compares with the <lastmod> dates
blanked, sitemap.xml.gz by its decompressed content, likewise blanked. Every other file compares
byte for byte, the Pagefind index included: the shards an update left as they were too.
"""

from __future__ import annotations

import gzip
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator import search, sitebuild
from generator.config import Settings, load_settings
from generator.pipeline import generate

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")
HELD_BACK = "ambassador-robert-ford-returns-to-syria.md"
DELETED = "abu-ghadiya.md"
EDITED = "airstrikes-destroy-isil-s-captured-tanks.md"
# Written for this test: a paragraph added to an article.
EXTRA = "\n\nOfficials in Iraq said the review of the strikes would be published next month.\n"


def _comparable(site: Path) -> dict[str, bytes]:
    out = {}
    for p in sorted(site.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(site).as_posix()
        data = p.read_bytes()
        if rel == "sitemap.xml.gz":
            data = gzip.decompress(data)
        if rel in ("sitemap.xml", "sitemap.xml.gz"):
            data = LASTMOD.sub(b"<lastmod/>", data)
        out[rel] = data
    return out


def _assert_same_site(incremental: Path, full: Path) -> None:
    a, b = _comparable(incremental), _comparable(full)
    assert sorted(set(a) - set(b)) == [], "files only in the incremental build"
    assert sorted(set(b) - set(a)) == [], "files only in the full build"
    differ = sorted(k for k in a if a[k] != b[k])
    assert differ == [], "files that differ"


def _full_copy(settings: Settings) -> Path:
    """A full build of the same docs/ into a folder of its own, with a state of its own."""
    full = replace(settings, site_dir="site-full", cache_dir=".cache-full")
    run = sitebuild.build(full, strict=True, full=True)
    assert run.full
    return full.site_path


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    base = tmp_path_factory.mktemp("book")
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    shutil.copytree(ROOT / "content", base / "content", ignore=shutil.ignore_patterns(HELD_BACK))
    shutil.copytree(ROOT / "docs" / "manual", base / "docs" / "manual")
    return replace(load_settings(base), search="pagefind")


def test_incremental_build_equals_full_build_after_add_edit_and_delete(book: Settings,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    # Search shards of a few pages: the update then keeps most shards' bundles as they were, and these
    # must still equal the full build's.
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 8)
    generate(book)
    first = sitebuild.build(book, strict=True)
    assert first.full and first.reason.startswith("no build state")
    again = sitebuild.build(book, strict=True)
    assert not again.full
    assert again.pages_rendered < again.pages_total / 2, "an unchanged docs/ re-renders only the nav pages"
    _assert_same_site(book.site_path, _full_copy(book))

    # One article arrives, one goes, one is edited; generate rewrites the pages that depend on them.
    shutil.copy(ROOT / "content" / HELD_BACK, book.content_path / HELD_BACK)
    (book.content_path / DELETED).unlink()
    edited = book.content_path / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    generate(book)
    run = sitebuild.build(book, strict=True)
    assert not run.full
    assert run.pages_removed >= 1
    assert run.pages_rendered < run.pages_total
    assert any(p.startswith("briefings/ambassador-robert-ford") for p in run.rendered)
    # The deleted briefing's page is gone; its address answers with the redirect generate left there.
    left = (book.site_path / "briefings" / DELETED[:-3] / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' in left and "md-content" not in left
    _assert_same_site(book.site_path, _full_copy(book))


def test_a_changed_mkdocs_yml_triggers_a_full_build(book: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    if not (book.docs_path / "index.md").exists():
        generate(book)
        sitebuild.build(book, strict=True)
    yml = book.root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("site_name: Briefing book", "site_name: Briefing notes"),
                   encoding="utf-8")
    run = sitebuild.build(book, strict=True)
    assert run.full and "mkdocs.yml" in run.reason
    assert "Briefing notes" in (book.site_path / "briefings" / "index.html").read_text(encoding="utf-8")


def test_an_edited_theme_template_triggers_a_full_build(book: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    if not (book.docs_path / "index.md").exists():
        generate(book)
    overrides = book.root / "overrides"
    overrides.mkdir(exist_ok=True)
    template = overrides / "main.html"
    template.write_text('{% extends "base.html" %}{% block announce %}First notice{% endblock %}', encoding="utf-8")
    yml = book.root / "mkdocs.yml"
    themed = yml.read_text(encoding="utf-8").replace("  name: material\n",
                                                     "  name: material\n  custom_dir: overrides\n")
    yml.write_text(themed, encoding="utf-8")
    sitebuild.build(book, strict=True)
    template.write_text(template.read_text(encoding="utf-8").replace("First", "Second"), encoding="utf-8")
    run = sitebuild.build(book, strict=True)
    assert run.full and "theme" in run.reason
    # A page outside the nav, which an incremental build would not have rendered again.
    page = next((book.site_path / "briefings").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Second notice" in page and "First notice" not in page


def test_a_site_built_by_several_processes_equals_one_built_by_one(book: Settings,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.forked import can_fork

    if not can_fork():
        pytest.skip("this machine cannot fork a second process")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    if not (book.docs_path / "index.md").exists():
        generate(book)
    one = replace(book, site_dir="site-one", cache_dir=".cache-one", jobs=1)
    three = replace(book, site_dir="site-three", cache_dir=".cache-three", jobs=3)
    assert sitebuild.build(one, full=True).full and sitebuild.build(three, full=True).full
    _assert_same_site(three.site_path, one.site_path)
    # And an incremental build split three ways, after one briefing page changed.
    page = next((book.docs_path / "briefings").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nA line added by hand.\n", encoding="utf-8")
    for settings in (one, three):
        assert not sitebuild.build(settings).full
    _assert_same_site(three.site_path, one.site_path)
    assert "A line added by hand." in (three.site_path / "briefings" / page.stem / "index.html").read_text("utf-8")


def test_pages_of_the_users_linking_to_a_briefing_that_comes_back_are_rendered_again(
        book: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    # The user's own pages are the ones searched for links to pages that came or went, wherever they
    # are: the generator's pages (its manifest lists them) change themselves when their links do.
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    (book.content_path / DELETED).unlink(missing_ok=True)
    generate(book)
    # Out of the nav (mkdocs.yml's not_in_nav), so rendered again only when found linking: one in a
    # folder of the user's, one in a folder the generator writes.
    notes = {"manual/notes/followed.md": "../../briefings", "briefings/reading-list.md": "."}
    for rel, up in notes.items():
        (book.docs_path / rel).parent.mkdir(exist_ok=True)
        (book.docs_path / rel).write_text(f"# Followed\n\nSee [the briefing]({up}/{DELETED}).\n", encoding="utf-8")
    sitebuild.build(book)  # the links lead nowhere yet: a warning, not a failure, without --strict
    shutil.copy(ROOT / "content" / DELETED, book.content_path / DELETED)
    generate(book)
    run = sitebuild.build(book)
    assert not run.full and set(notes) <= set(run.rendered)
    for rel in notes:
        html = (book.site_path / rel.removesuffix(".md") / "index.html").read_text("utf-8")
        assert f"{DELETED[:-3]}/" in html and DELETED not in html  # the link resolves now
