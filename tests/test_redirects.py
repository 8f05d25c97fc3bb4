"""A URL once published keeps answering: a page that goes leaves a redirect, listed in redirects.yml."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

import pytest

from generator import links, redirects, sitebuild
from generator.config import Settings, load_settings
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
KEPT = "---\ntitle: Talks in Geneva\ndate: 2022-01-03\n---\nRussia and Ukraine met in Geneva for talks.\n"
GOING = ("---\ntitle: Zorvian drill\ndate: 2022-01-04\n---\n"
         "The Zorvian Liberation Front held a drill, and Russia said it was watching.\n")
HOSTILE = "---\ntitle: Harbour talks\ndate: 2022-01-05\n---\nUkraine and Turkey met at the harbour for talks.\n"
DRILL = ("---\ntitle: Second drill\ndate: 2022-01-06\n---\n"
         "The Zorvian Liberation Front held another drill near the coast, and Turkey protested.\n")
# The KB learns the name: the discovered group's dossier goes, the KB entity's takes its place.
ZORVIAN_KB = """kind: actors
source: test notes
licence: CC0
entries:
  - id: zlf
    name: Zorvian Front
    type: group
    aliases: [Zorvian Liberation Front]
"""


def _project(root: Path, articles: dict[str, str]) -> Settings:
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content").mkdir(exist_ok=True)
    for name, text in articles.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    return load_settings(root)


def _docs(settings: Settings) -> set[str]:
    return {p.relative_to(settings.docs_path).as_posix() for p in settings.docs_path.rglob("*") if p.is_file()}


def _entries(settings: Settings) -> dict[str, str]:
    manifest = redirects.load(settings.root)
    assert manifest.problems == []
    return manifest.entries


def test_gone_pages_are_listed_and_redirect_to_their_index_until_they_come_back(tmp_path: Path) -> None:
    settings = _project(tmp_path, {"kept.md": KEPT, "going.md": GOING})
    generate(settings)
    assert not (tmp_path / redirects.FILE).exists(), "no page went: no manifest"
    dossiers = {p for p in _docs(settings) if p.startswith("actors/") and p.endswith(".md") and p != "actors/index.md"}

    (tmp_path / "content" / "going.md").unlink()
    generate(settings)
    gone = dossiers - _docs(settings)
    assert "actors/zorvian-liberation-front.md" in gone
    assert _entries(settings) == {"briefings/going.md": "briefings/index.md",
                                  **{p: "actors/index.md" for p in gone},
                                  # the two told one story: its one report now stands for it
                                  "stories/2022-01-03-talks-in-geneva.md": "briefings/kept.md"}
    text = (tmp_path / redirects.FILE).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    assert "briefings/going.md: briefings/index.md" in lines and lines == sorted(lines), "sorted, one entry a line"
    page = (settings.docs_path / "briefings" / "going" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../briefings/">' in page
    assert '<link rel="canonical" href="https://example.github.io/briefing-book/briefings/">' in page
    assert "<script" not in page
    for p in gone:
        assert (settings.docs_path / p[:-3] / "index.html").is_file(), p
        # its feed still answers, pointing at the page in its place (the index, which has no feed)
        channel = ElementTree.parse(settings.docs_path / f"{p[:-3]}.xml").getroot()[0]
        assert channel.findtext("item/link") == "https://example.github.io/briefing-book/actors/", p
    assert not (settings.docs_path / "briefings" / "going.xml").exists(), "a briefing had no feed"

    (tmp_path / "content" / "kept.md").write_text(KEPT.replace("Geneva for", "Geneva again for"), encoding="utf-8")
    generate(settings)  # another change: the manifest keeps what went before
    assert (settings.docs_path / "briefings" / "going" / "index.html").is_file()
    assert "briefings/going.md" in _entries(settings)

    (tmp_path / "content" / "going.md").write_text(GOING, encoding="utf-8")
    generate(settings)  # back: the page again, no redirect, no entry
    assert (settings.docs_path / "briefings" / "going.md").is_file()
    assert not (settings.docs_path / "briefings" / "going").exists()
    assert _entries(settings) == {}


def test_a_dossier_merged_into_a_kb_entity_redirects_to_it(tmp_path: Path) -> None:
    settings = _project(tmp_path, {"kept.md": KEPT, "drill.md": GOING})
    generate(settings)
    assert (settings.docs_path / "actors" / "zorvian-liberation-front.md").is_file()

    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "actors.yaml").write_text(ZORVIAN_KB, encoding="utf-8")
    (tmp_path / "briefing.yml").write_text("kb_dirs: [kb]\n", encoding="utf-8")
    settings = load_settings(tmp_path)
    generate(settings)
    assert (settings.docs_path / "actors" / "zlf.md").is_file()
    assert _entries(settings) == {"actors/zorvian-liberation-front.md": "actors/zlf.md"}
    page = (settings.docs_path / "actors" / "zorvian-liberation-front" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../actors/zlf/"' in page
    # A subscriber to the old dossier's feed is told where it went: the feed of the dossier in its place.
    channel = ElementTree.parse(settings.docs_path / "actors" / "zorvian-liberation-front.xml").getroot()[0]
    new_feed = "https://example.github.io/briefing-book/actors/zlf.xml"
    assert channel.findtext("item/link") == new_feed
    assert channel.findtext("{http://www.itunes.com/dtds/podcast-1.0.dtd}new-feed-url") == new_feed
    assert (settings.docs_path / "actors" / "zlf.xml").is_file()


def test_a_briefing_whose_slug_moved_redirects_to_its_new_slug(tmp_path: Path) -> None:
    other = "---\ntitle: Talks again\ndate: 2022-01-05\n---\nUkraine asked Russia to return to the table.\n"
    settings = _project(tmp_path, {"a-.txt": KEPT, "a.md": other})
    generate(settings)
    moved = links.briefing_path(f"a-{links.short_hash('a-.txt')}")
    assert (settings.docs_path / moved).is_file(), "a.md takes the plain slug, a-.txt a hashed one"

    (tmp_path / "content" / "a.md").unlink()
    generate(settings)  # a-.txt alone: it takes the plain slug, and its old address follows it
    # (the two told one story, whose page goes too: see the test above)
    assert {k: v for k, v in _entries(settings).items() if k.startswith("briefings/")} == {moved: "briefings/a.md"}
    page = (settings.docs_path / redirects.redirect_file(moved)).read_text(encoding="utf-8")
    assert 'content="0; url=../../briefings/a/"' in page

    (tmp_path / "content" / "a.md").write_text(other, encoding="utf-8")
    generate(settings)  # back beside it: a-.txt's hashed page is made again, the entry goes
    assert (settings.docs_path / moved).is_file()
    assert _entries(settings) == {}


def test_bad_or_hostile_manifest_entries_are_skipped_with_file_and_line(tmp_path: Path) -> None:
    settings = _project(tmp_path, {"kept.md": KEPT})
    (tmp_path / redirects.FILE).write_text(
        "# kept by hand\n"
        "briefings/old.md: briefings/kept.md\n"
        "../../outside.md: briefings/kept.md\n"
        "briefings/x.md: javascript:alert(1)\n"
        '"briefings/<script>.md": briefings/kept.md\n'
        "briefings/y.md: briefings/\"><script>alert(1)</script>.md\n"
        "data/briefings/kept.md: briefings/kept.md\n"
        "no colon here\n"
        "'actors/old-name.md': 'actors/russia.md'  # renamed\n", encoding="utf-8")
    report = generate(settings)
    skipped = [line for line in report.skipped if line.startswith(redirects.FILE)]
    assert [line.split(":")[1] for line in skipped] == ["3", "4", "5", "6", "7", "8"], skipped
    html = {p for p in _docs(settings) if p.endswith(".html")}
    # and the retired tags listing's, which every build leaves
    assert html == {"briefings/old/index.html", "actors/old-name/index.html", "tags/index.html"}
    assert 'url=../../briefings/kept/"' in (settings.docs_path / "briefings/old/index.html").read_text()
    for p in html:
        assert "<script" not in (settings.docs_path / p).read_text(encoding="utf-8")
    assert not (tmp_path / "outside").exists() and not (tmp_path.parent / "outside").exists()


def test_hostile_file_names_leave_redirects_at_safe_addresses(tmp_path: Path) -> None:
    hostile = '"><img src=x onerror=alert(1)> ..%2F.md'
    settings = _project(tmp_path, {"kept.md": KEPT, hostile: GOING})
    generate(settings)
    (tmp_path / "content" / hostile).unlink()
    generate(settings)
    entries = _entries(settings)
    briefing = next(p for p in entries if p.startswith("briefings/"))
    assert briefing == "briefings/img-src-x-onerror-alert-1-2f.md"
    for old in entries:
        page = (settings.docs_path / redirects.redirect_file(old)).read_text(encoding="utf-8")
        assert "<img" not in page and "onerror" not in page.split("<body>")[0]
        feed = redirects.feed_of(old)
        if feed is not None:  # a gone dossier's feed: well-formed, nothing live
            text = (settings.docs_path / feed).read_text(encoding="utf-8")
            assert ElementTree.fromstring(text).tag == "rss" and "<img" not in text and "<script" not in text
    assert any(redirects.feed_of(old) for old in entries), "a dossier went with the article"


@pytest.mark.slow
def test_redirects_survive_the_incremental_site_build_equal_a_build_from_scratch_and_land(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: object) -> None:
    from browserkit import serve
    from test_site_incremental import _assert_same_site

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    (tmp_path / "book").mkdir()
    hostile = '"><img src=x onerror=alert(1)>.md'
    book = _project(tmp_path / "book", {"kept.md": KEPT, "going.md": GOING, hostile: HOSTILE, "drill.md": DRILL})
    shutil.copytree(ROOT / "docs" / "manual", book.docs_path / "manual")
    book = replace(book, search="pagefind")
    generate(book)
    assert sitebuild.build(book, strict=True).full
    assert (book.site_path / "actors" / "zorvian-liberation-front" / "index.html").is_file()
    # Two articles go, and the KB learns that the discovered group is one it knows by another id.
    (book.root / "content" / "going.md").unlink()
    (book.root / "content" / hostile).unlink()
    (book.root / "kb").mkdir()
    (book.root / "kb" / "actors.yaml").write_text(ZORVIAN_KB, encoding="utf-8")
    (book.root / "briefing.yml").write_text("kb_dirs: [kb]\n", encoding="utf-8")
    book = replace(load_settings(book.root), search="pagefind")
    generate(book)
    assert _entries(book) == {"actors/zorvian-liberation-front.md": "actors/zlf.md",
                              "briefings/going.md": "briefings/index.md",
                              "briefings/img-src-x-onerror-alert-1.md": "briefings/index.md",
                              # kept.md and going.md told one story: its one report now stands for it
                              "stories/2022-01-03-talks-in-geneva.md": "briefings/kept.md"}
    run = sitebuild.build(book, strict=True)
    assert not run.full
    assert (book.site_path / "briefings" / "going" / "index.html").is_file()

    # A fresh clone: the project's files and redirects.yml, no docs/ and no cache folder.
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("mkdocs.yml", "briefing.yml", redirects.FILE):
        shutil.copy(book.root / name, clone / name)
    shutil.copytree(book.root / "content", clone / "content")
    shutil.copytree(book.root / "kb", clone / "kb")
    shutil.copytree(ROOT / "docs" / "manual", clone / "docs" / "manual")
    fresh = replace(load_settings(clone), search="pagefind")
    generate(fresh)
    assert {p: (book.docs_path / p).read_bytes() for p in _docs(book)} == \
        {p: (fresh.docs_path / p).read_bytes() for p in _docs(fresh)}
    assert sitebuild.build(fresh, strict=True).full
    _assert_same_site(book.site_path, fresh.site_path)
    sitemap = (book.site_path / "sitemap.xml").read_text(encoding="utf-8")
    assert "/briefings/kept/" in sitemap and "/briefings/going/" not in sitemap
    # Pagefind indexes one fragment a page, in its shard: the pages with Material's article, not the redirects (nor
    # the archive pages, three folders down, and the 404 page: see generator/search.py).
    articles = [p for p in book.site_path.rglob("index.html") if len(p.relative_to(book.site_path).parts) <= 3
                and "md-content__inner" in p.read_text(encoding="utf-8")]
    assert len(list((book.site_path / "pagefind").glob("*/fragment/*.pf_fragment"))) == len(articles)

    with serve(book.site_path) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        try:
            for old, target in (("briefings/going/", "briefings/"),
                                ("briefings/img-src-x-onerror-alert-1/", "briefings/"),
                                ("actors/zorvian-liberation-front/", "actors/zlf/")):
                page.goto(base + old)
                page.wait_for_url(base + target, timeout=10_000)
                assert page.locator("h1").first.inner_text().strip() != ""
        finally:
            page.close()


@pytest.mark.slow
def test_a_nav_that_still_names_the_tags_listing_is_told_what_to_remove(tmp_path: Path,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    from mkdocs.config import load_config

    settings = _project(tmp_path, {"kept.md": KEPT})
    shutil.copytree(ROOT / "docs" / "manual", settings.docs_path / "manual")
    generate(settings)
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert sitebuild.retired_in_nav(load_config(str(tmp_path / "mkdocs.yml"))) == []
    (tmp_path / "mkdocs.yml").write_text(
        config.replace("  - Network: network.md\n", "  - Network: network.md\n  - More:\n      - Tags: tags.md\n"),
        encoding="utf-8")
    assert sitebuild.retired_in_nav(load_config(str(tmp_path / "mkdocs.yml"))) == ["tags.md"]
    with pytest.raises(Exception, match="1 warnings in strict mode"):
        sitebuild.build(settings, strict=True)
    assert "the nav names tags.md, a page the generator no longer makes (its address redirects to index.md)" \
        in caplog.text


# What the last generator that made the tags listing left in docs/, and its mkdocs.yml's two lines for it.
OLD_TAGS_PAGE = ("---\ntitle: Tags\n---\n# Tags\n\nEach briefing is tagged with its most salient actors, weapons and "
                 "concerns.\n\n<!-- material/tags -->\n")


@pytest.mark.slow
def test_a_site_that_published_the_tags_listing_answers_there_with_a_redirect_home(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from test_site_incremental import _assert_same_site

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    (tmp_path / "book").mkdir()
    book = _project(tmp_path / "book", {"kept.md": KEPT, "going.md": GOING})
    shutil.copytree(ROOT / "docs" / "manual", book.docs_path / "manual")
    generate(book)
    # Before: docs/ as the old generator left it (tags.md its own, no redirect), its mkdocs.yml, its site.
    new_config = (book.root / "mkdocs.yml").read_text(encoding="utf-8")
    old_config = new_config.replace("  - search\n", "  - search\n  - tags\n", 1).replace(
        "  - Network: network.md\n", "  - Network: network.md\n  - Tags: tags.md\n", 1)
    assert old_config.count("tags") == new_config.count("tags") + 2
    (book.root / "mkdocs.yml").write_text(old_config, encoding="utf-8")
    shutil.rmtree(book.docs_path / "tags")
    (book.docs_path / "tags.md").write_text(OLD_TAGS_PAGE, encoding="utf-8")
    manifest = book.docs_path / ".briefing-manifest.json"
    files = set(json.loads(manifest.read_text(encoding="utf-8"))["files"]) - {"tags/index.html"} | {"tags.md"}
    manifest.write_text(json.dumps({"files": sorted(files)}, indent=0) + "\n", encoding="utf-8")
    assert sitebuild.build(book, strict=True).full
    listing = (book.site_path / "tags" / "index.html").read_text(encoding="utf-8")
    assert "md-content__inner" in listing and (book.site_path / "tags.json").is_file()

    # After: this generator and its mkdocs.yml, on the same project, docs/ and site/.
    (book.root / "mkdocs.yml").write_text(new_config, encoding="utf-8")
    generate(book)
    assert not (book.docs_path / "tags.md").exists(), "the old listing is the generator's own: removed"
    assert not (book.root / redirects.FILE).exists(), "a retired page is no entry of the project's manifest"
    run = sitebuild.build(book, strict=True)
    assert run.full and "tags.md" not in run.rendered
    page = (book.site_path / "tags" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../">' in page
    assert '<link rel="canonical" href="https://example.github.io/briefing-book/">' in page
    assert "<script" not in page and (book.site_path / "index.html").is_file()
    assert not (book.site_path / "tags.json").exists()
    assert "/tags/" not in (book.site_path / "sitemap.xml").read_text(encoding="utf-8")

    # The same site/ as a build from a fresh clone, which never had the listing.
    clone = tmp_path / "clone"
    clone.mkdir()
    shutil.copy(book.root / "mkdocs.yml", clone / "mkdocs.yml")
    shutil.copytree(book.root / "content", clone / "content")
    shutil.copytree(ROOT / "docs" / "manual", clone / "docs" / "manual")
    fresh = load_settings(clone)
    generate(fresh)
    assert sitebuild.build(fresh, strict=True).full
    _assert_same_site(book.site_path, fresh.site_path)
