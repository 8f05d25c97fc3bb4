"""Regenerating after changes gives exactly what a build from scratch gives, doing only what changed."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from generator import links, redirects
from generator.cache import ExtractionCache, key_of
from generator.config import Settings, load_settings
from generator.files import stamp
from generator.incremental import ExtractReport, scan, settings_key
from generator.kinds import KINDS
from generator.pipeline import BuildReport, generate, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "content").iterdir() if p.suffix in (".md", ".txt"))
NEW_ARTICLE = """---
title: Chemical weapons report on Syria
date: 2017-04-10
source: Test wire
---
The Organisation for the Prohibition of Chemical Weapons said sarin was used in Khan Shaykhun in Syria.
Russia and Iran rejected the findings, while the United Kingdom called for sanctions on the Assad regime.
"""


def tree(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def make_project(base: Path, files: dict[str, str | bytes] | None = None, samples: int = len(SAMPLES),
                 **overrides: object) -> Settings:
    base.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    content = base / "content"
    content.mkdir(exist_ok=True)
    (base / "docs").mkdir(exist_ok=True)
    for p in SAMPLES[:samples]:
        shutil.copy(p, content / p.name)
    for name, data in (files or {}).items():
        (content / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return replace(load_settings(base), **overrides)  # type: ignore[arg-type]


def scratch(tmp: Path, content: Path, **overrides: object) -> dict[str, bytes]:
    """docs/ of a build from nothing, of a copy of ``content`` and of the project's redirects.yml (a
    fresh clone of the project: its inputs, no docs/, no cache)."""
    fresh = tmp / "scratch"
    shutil.rmtree(fresh, ignore_errors=True)
    s = make_project(fresh, samples=0, **overrides)
    shutil.rmtree(s.content_path)
    shutil.copytree(content, s.content_path)
    if (content.parent / redirects.FILE).is_file():
        shutil.copy(content.parent / redirects.FILE, fresh / redirects.FILE)
    generate(s)
    return tree(s.docs_path)


def test_warm_generate_does_nothing(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", jobs=1)
    cold = generate(s)
    assert cold.extracted == cold.read == len(SAMPLES) and not cold.skipped
    assert len(cold.new) == len(SAMPLES) and cold.written
    before = tree(s.docs_path)
    warm = generate(s)
    assert (warm.extracted, warm.written, warm.removed, warm.new, warm.changed, warm.gone) == (0, [], [], [], [], [])
    assert warm.read == len(SAMPLES) and warm.unchanged == len(before) - 1  # all but the manifest
    assert tree(s.docs_path) == before


@pytest.mark.slow  # builds every sample article from scratch more than once
def test_adding_changing_removing_equals_a_build_from_scratch(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", jobs=1)
    generate(s)
    before = tree(s.docs_path)

    (s.content_path / "zz-new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    r = generate(s)
    assert r.new == ["zz-new.md"] and r.extracted == 1
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)
    changed = {p for p, b in tree(s.docs_path).items() if before.get(p) != b}
    assert set(r.written) == changed - {".briefing-manifest.json"}, "the writer rewrote only changed bytes"
    assert "briefings/zz-new.md" in r.written and "index.md" in r.written
    untouched = [p for p in before if p.startswith("briefings/") and p not in r.written]
    assert len(untouched) > len(SAMPLES) // 2, "most briefing pages do not change when one article arrives"

    victim = SAMPLES[0].name
    (s.content_path / victim).unlink()
    edited = s.content_path / SAMPLES[1].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\nRussia supplied missiles to Syria.\n", encoding="utf-8")
    r = generate(s)
    assert r.gone == [victim] and r.changed == [SAMPLES[1].name] and r.extracted == 1
    assert any(p.startswith("briefings/") for p in r.removed)
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


@pytest.mark.slow  # builds every sample article from scratch more than once
def test_parallel_extraction_gives_the_same_site(tmp_path: Path) -> None:
    # More articles than the serial threshold, so the process pool really runs.
    serial = make_project(tmp_path / "one", jobs=1)
    generate(serial)
    parallel = make_project(tmp_path / "two", jobs=2)
    r = generate(parallel)
    assert r.extracted == len(SAMPLES)
    assert tree(parallel.docs_path) == tree(serial.docs_path)


def test_kb_edit_reextracts_everything(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    s = make_project(tmp_path / "p", samples=5, jobs=1, kb_dirs=(str(kb),))
    generate(s)
    (kb / "extra.yaml").write_text("kind: locations\nsource: test\nlicence: CC0\nentries:\n"
                                   "  - id: test-place\n    name: Testplace\n", encoding="utf-8")
    r = generate(s)
    assert r.extracted == 5 and r.changed == sorted(p.name for p in SAMPLES[:5])


def _rows(s: Settings) -> dict[str, tuple[bytes, bytes]]:
    with sqlite3.connect(ExtractionCache(s.cache_path).path) as db:
        return {k: (e, c) for k, e, c in db.execute("SELECT key, entry, cards FROM article")}


def test_corrupt_cache_entry_is_recomputed(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", samples=4, jobs=1)
    generate(s)
    keys = sorted(_rows(s))
    assert len(keys) == 4
    with sqlite3.connect(ExtractionCache(s.cache_path).path) as db:  # the entry and its cards damaged
        db.execute("UPDATE article SET entry = ?, cards = ? WHERE key = ?",
                   (b'{"key": "truncated', b"\xe3\x00", keys[0]))
    assert ExtractionCache(s.cache_path).get(keys[0]) is None
    (s.content_path / "zz-new.md").write_text(NEW_ARTICLE, encoding="utf-8")  # so the build is not a no-op
    r = generate(s)
    assert r.extracted == 2 and not r.skipped
    assert ExtractionCache(s.cache_path).get(keys[0]) is not None
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


def test_entries_whose_cards_were_never_added_are_not_extracted_again(tmp_path: Path) -> None:
    # A run killed after its workers wrote their entries but before it added the cards.
    s = make_project(tmp_path / "p", samples=4, jobs=1)
    generate(s)
    with sqlite3.connect(ExtractionCache(s.cache_path).path) as db:
        db.execute("UPDATE article SET cards = NULL")
    (s.content_path / "zz-new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    assert generate(s).extracted == 1
    assert all(cards for _, cards in _rows(s).values()) and len(_rows(s)) == 5
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


def test_a_page_whose_cache_entry_is_gone_is_rendered_from_the_article_again(tmp_path: Path) -> None:
    # The article's cards are read, but its page must be rendered again (edited by hand), and that
    # needs the whole briefing, whose entry cannot be read: the article is read and extracted again.
    s = make_project(tmp_path / "p", samples=4, jobs=1)
    generate(s)
    keys = sorted(_rows(s))
    paths = [entry.briefings[0].doc.path for entry in map(ExtractionCache(s.cache_path).get, keys) if entry]
    page = s.docs_path / links.briefing_path(links.article_slugs(paths)[paths[0]])
    with sqlite3.connect(ExtractionCache(s.cache_path).path) as db:
        db.execute("UPDATE article SET entry = x'00' WHERE key = ?", (keys[0],))
    page.write_text("scribbled over", encoding="utf-8")
    r = generate(s)
    assert r.extracted == 0 and r.written == [page.relative_to(s.docs_path).as_posix()]
    assert ExtractionCache(s.cache_path).get(keys[0]) is not None
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


def test_a_hand_edited_generated_page_is_restored(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", samples=3, jobs=1)
    generate(s)
    before = tree(s.docs_path)
    page = next(p for p in sorted(s.docs_path.glob("briefings/*.md")) if p.name != "index.md")
    page.write_text("scribbled over", encoding="utf-8")
    r = generate(s)
    assert r.written == [page.relative_to(s.docs_path).as_posix()]
    assert tree(s.docs_path) == before


def test_same_size_edits_with_the_old_mtime_are_still_seen(tmp_path: Path) -> None:
    # Stamps let a warm build skip reading unchanged files; an edit that keeps the size and sets
    # the mtime back (touch -r, a restore tool) still changes the ctime, so it is read and rebuilt.
    s = make_project(tmp_path / "p", samples=3, jobs=1)
    generate(s)
    time.sleep(0.1)  # past the racy window: the stamps of this build are kept
    generate(s)
    article = sorted(s.content_path.iterdir())[0]
    page = next(p for p in sorted(s.docs_path.glob("briefings/*.md")) if p.name != "index.md")
    for path, old, new in ((page, b"#", b"%"), (article, b"e", b"E")):
        st = path.stat()
        data = path.read_bytes()
        assert old in data
        path.write_bytes(data.replace(old, new, 1))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    r = generate(s)
    assert r.changed == [article.name]
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


def test_a_renamed_entity_is_renamed_on_the_pages_that_list_it(tmp_path: Path) -> None:
    # An entity is named as the first briefing (by path) names it. An article that sorts first and
    # spells a unit in capitals renames it on every page that lists it, including the page of a unit
    # whose own briefings did not change.
    first = ("---\ntitle: Shelling near the river\ndate: 2024-03-01\n---\nColonel Viktor Marchenko of the "
             "Southern Shield Brigade said the Northern Falcon Battalion shelled the town with Krasnopol rounds.\n")
    capitals = ("---\ntitle: Second report\ndate: 2024-03-02\n---\nThe NORTHERN FALCON BATTALION fired again, "
                "a spokesman said.\n")
    s = make_project(tmp_path / "p", {"m-first.md": first}, samples=2, jobs=1)
    generate(s)
    shield = s.docs_path / "actors" / "shield-brigade.md"
    assert "[Falcon Battalion]" in shield.read_text(encoding="utf-8")
    (s.content_path / "a-capitals.md").write_text(capitals, encoding="utf-8")
    generate(s)
    assert "[FALCON BATTALION]" in shield.read_text(encoding="utf-8")
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)
    (s.content_path / "a-capitals.md").unlink()
    generate(s)
    assert "[Falcon Battalion]" in shield.read_text(encoding="utf-8")
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


def test_a_new_weapon_appears_on_its_operators_page(tmp_path: Path) -> None:
    # The operator's briefings do not change, but its page lists the weapons it operates that have pages.
    nk = "---\ntitle: Talks\ndate: 2024-03-01\n---\nNorth Korea said talks with South Korea would resume.\n"
    test = "---\ntitle: Test\ndate: 2024-03-02\n---\nEngineers tested the Hwasong-18 again on Monday.\n"
    s = make_project(tmp_path / "p", {"nk.md": nk}, samples=0, jobs=1)
    generate(s)
    page = s.docs_path / "actors" / "north-korea.md"
    assert "Hwasong-18" not in page.read_text(encoding="utf-8")
    (s.content_path / "test.md").write_text(test, encoding="utf-8")
    generate(s)
    assert "Hwasong-18" in page.read_text(encoding="utf-8")
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


def test_a_file_stamped_unchanged_is_not_read_again(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", samples=2, jobs=1)
    kb = load_knowledge(s)
    first, files = scan(s.content_path, kb, s, ExtractReport())
    time.sleep(0.1)
    first, files = scan(s.content_path, kb, s, ExtractReport())
    assert len(files) == 2
    rel = first[0].rel
    # Told the file's bytes hash to "feed", the scan believes it as long as the stamp holds ...
    known = {**files, rel: (files[rel][0], "feed")}
    again, _ = scan(s.content_path, kb, s, ExtractReport(), known)
    assert again[0].key == key_of("feed", rel, settings_key(s), kb.version) != first[0].key
    # ... and reads the file as soon as it is touched.
    (s.content_path / rel).touch()
    time.sleep(0.1)
    again, _ = scan(s.content_path, kb, s, ExtractReport(), known)
    assert again[0].key == first[0].key


def test_a_stamp_taken_right_after_a_write_is_not_trusted(tmp_path: Path) -> None:
    f = tmp_path / "a.md"
    f.write_text("x", encoding="utf-8")
    assert stamp(f, time.time_ns()) is None  # written just now: a write in the same tick keeps the mtime
    assert stamp(f, time.time_ns() + 3_000_000_000) == stamp(f)
    assert stamp(tmp_path) is None  # not a regular file


def test_bad_articles_are_reported_on_every_run(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", {"empty.md": "", "broken.md": "---\ntitle: [unclosed\n---\nText.\n"},
                     samples=2, jobs=1)
    first = generate(s)
    second = generate(s)
    assert len(first.skipped) == 2 and first.read == 2
    assert second.skipped == first.skipped and second.read == 2 and second.written == []


def test_urls_are_stable_and_same_titles_get_distinct_urls(tmp_path: Path) -> None:
    # same title, other text (identical text would be dropped as a duplicate)
    twin = NEW_ARTICLE.replace("date: 2017-04-10", "date: 2017-04-11").replace("Khan Shaykhun", "Douma")
    s = make_project(tmp_path / "p", {"report.md": NEW_ARTICLE, "report-2.md": twin}, samples=3, jobs=1)
    generate(s)
    pages = {p for p in tree(s.docs_path) if p.startswith("briefings/")}
    assert {"briefings/report.md", "briefings/report-2.md"} <= pages
    for p in SAMPLES[3:10]:
        shutil.copy(p, s.content_path / p.name)
    (s.content_path / "Report.txt").write_text("Chemical weapons report on Syria\n\nAnother wire, same title.\n",
                                               encoding="utf-8")
    generate(s)
    after = {p for p in tree(s.docs_path) if p.startswith("briefings/")}
    assert pages <= after, "no existing briefing URL moved when articles were added"
    assert len(after) == len(pages) + 8


@pytest.mark.parametrize("jobs", [0, 2])
def test_summary_line(tmp_path: Path, jobs: int) -> None:
    s = make_project(tmp_path / "p", samples=2, jobs=jobs)
    line = generate(s).summary()
    assert line.startswith("2 articles read, ") and "(files: 2 new, 0 changed, 0 removed, 2 extracted)" in line
    assert isinstance(BuildReport().summary(), str)


@pytest.mark.slow  # three builds, each in a process of its own
def test_an_edit_anywhere_in_the_package_misses_every_cache(tmp_path: Path) -> None:
    # A scratch copy of the package, built twice around an edit to a file no list of sources named
    # (the KB loader): the second build extracts every article again instead of reusing stale ones.
    import subprocess
    import sys

    code = tmp_path / "code"
    shutil.copytree(ROOT / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    s = make_project(tmp_path / "p", samples=2)

    def build() -> str:
        done = subprocess.run([sys.executable, "-m", "generator.cli", "generate", "--root", str(s.root)],
                              env={**os.environ, "PYTHONPATH": str(code), "NO_MKDOCS_2_WARNING": "1"},
                              capture_output=True, text=True, timeout=300, check=True, cwd=tmp_path)
        return done.stderr.strip().splitlines()[-1]

    assert build().endswith("2 extracted)")
    assert build().endswith("0 extracted)")  # nothing changed: nothing extracted
    loader = code / "generator" / "kb" / "__init__.py"
    loader.write_text(loader.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = build()
    assert again.endswith("2 extracted)")


@pytest.mark.slow  # builds every sample article from scratch more than once
def test_changing_how_many_briefings_a_dossier_quotes_renders_dossiers_again(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", jobs=1)
    generate(s)
    fewer = replace(s, dossier_quotes=1)
    r = generate(fewer)
    assert any(p.startswith(("actors/", "weapons/", "concerns/")) for p in r.written)
    assert any("## Older briefings" in p.read_text(encoding="utf-8") for p in (s.docs_path / "actors").glob("*.md"))
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path, jobs=1, dossier_quotes=1)


def _forked(monkeypatch: pytest.MonkeyPatch, module: Any, threshold: str, cls: type, child: str,
            child_fails: bool) -> list[object]:
    """Make ``module`` fork from the first file on (or make its child die); the first arguments of
    each ``cls`` started, to show the forked path ran."""
    monkeypatch.setattr(module, threshold, 0)
    monkeypatch.setattr(module, "can_fork", lambda: True)
    started: list[object] = []
    real = cls.__init__

    def spy(self: object, first: object, *args: object) -> None:
        started.append(first)
        real(self, first, *args)  # type: ignore[misc]

    monkeypatch.setattr(cls, "__init__", spy)
    if child_fails:
        monkeypatch.setattr(module, child, lambda *args: os._exit(3))
    return started


@pytest.mark.slow  # three builds, one from scratch, and a forked process
@pytest.mark.parametrize("child_fails", [False, True])
def test_related_and_overview_made_in_another_process_give_the_same_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, child_fails: bool) -> None:
    import generator.outputs as out

    s = make_project(tmp_path / "p", samples=6, jobs=2)  # a second process allowed
    generate(s)
    started = _forked(monkeypatch, out, "PARALLEL_MIN", out._Helper, "_in_helper", child_fails)
    (s.content_path / "zz-new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    r = generate(s)
    assert len(started) == 1 and r.new == ["zz-new.md"]
    assert any(p.startswith("data/") for p in r.written)
    monkeypatch.setattr(out, "PARALLEL_MIN", 10**9)
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)


OLD_ARTICLE = """---
title: Sanctions talks on Syria
date: 2011-12-20
source: Test wire
---
Russia and Iran met officials from Syria to discuss sanctions, while the United Kingdom and the United States
called for pressure on the Assad regime.
"""


def is_archive(path: str) -> bool:
    """An archive page of a growing list: timeline/2021-03.md, actors/iraq/2021.md."""
    folders = {k.folder for k in KINDS}
    return path.endswith(".md") and (path.startswith("timeline/")
                                     or (path.count("/") == 2 and path.split("/")[0] in folders))


def listed(page: bytes | None) -> set[str]:
    """The briefings a list page links to."""
    return set(re.findall(r"briefings/([a-z0-9-]+)\.md\)", page.decode("utf-8"))) if page else set()


def main_page(archive: str) -> str:
    folder, _, _ = archive.rpartition("/")
    if folder.endswith("/archive"):  # an index's archive: stories/archive/2021-03.md
        return folder.removesuffix("archive") + "index.md"
    return {"timeline": "timeline.md"}.get(folder, folder + ".md")


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample built with lists of three, so most lists continue on archive pages; each test copies it."""
    root = tmp_path_factory.mktemp("archived") / "p"
    generate(make_project(root, jobs=1, page_size=3))
    return root


def copy_of(built: Path, tmp_path: Path, **overrides: object) -> Settings:
    shutil.copytree(built, tmp_path / "p")
    return replace(load_settings(tmp_path / "p"), **overrides)  # type: ignore[arg-type]


@pytest.mark.slow  # builds every sample article from scratch more than once
def test_archive_pages_follow_additions_and_removals_as_a_build_from_scratch(tmp_path: Path, archived: Path) -> None:
    s = copy_of(archived, tmp_path, jobs=1, page_size=3)
    archives = [p for p in tree(s.docs_path) if is_archive(p)]
    assert any(p.startswith("timeline/") for p in archives) and any(p.startswith("actors/") for p in archives)
    (s.content_path / "zz-new.md").write_text(NEW_ARTICLE, encoding="utf-8")
    generate(s)
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path, page_size=3)
    (s.content_path / SAMPLES[0].name).unlink()
    generate(s)
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path, page_size=3)
    # A larger page size takes the archive pages away, as a build from scratch with it has none.
    archives = [p for p in tree(s.docs_path) if is_archive(p)]
    r = generate(replace(s, page_size=1000))
    assert set(archives) <= set(r.removed) and not [p for p in tree(s.docs_path) if is_archive(p)]
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path, page_size=1000)


def test_adding_an_old_article_renders_only_the_archive_pages_of_its_period_and_the_main_pages(
        tmp_path: Path, archived: Path) -> None:
    s = copy_of(archived, tmp_path, jobs=1, page_size=3)
    before = tree(s.docs_path)
    (s.content_path / "zz-old.md").write_text(OLD_ARTICLE, encoding="utf-8")
    r = generate(s)
    after = tree(s.docs_path)
    assert after == scratch(tmp_path, s.content_path, page_size=3)
    rendered = {p for p in r.rendered if is_archive(p)}
    changed = {p for p in after if is_archive(p) and before.get(p) != after[p]}
    assert rendered == changed, "an archive page is rendered again only when what it lists changed"
    # The timeline shows newer briefings: only the page of the article's month changes, and those
    # where a briefing now stands for the story the article joined it in.
    stories = re.compile(rb"stories/([a-z0-9-]+)\.md\)")
    timeline = {p for p in rendered if p.startswith("timeline/")}
    assert "timeline/2011-12.md" in timeline
    for p in timeline - {"timeline/2011-12.md"}:
        assert set(stories.findall(after[p])) - set(stories.findall(before[p])), p
    new = "zz-old"
    # Listed as itself, or as the story it joined.
    mine = {new.encode()} | set(stories.findall(after[f"briefings/{new}.md"]))
    assert any(p.startswith("actors/")
               and mine & (set(stories.findall(after[p])) | {s.encode() for s in listed(after[p])})
               for p in rendered)
    for p in rendered:
        # Each gained the article, or the briefings its list's main page no longer has room for.
        gained = listed(after[p]) - listed(before.get(p))
        assert gained <= {new} | listed(before[main_page(p)]), p
    # A dossier and its archive pages list a story by its title, without its count of reports: the
    # article's joining a story rewrites the pages of what it names, not those of everything the
    # story's other reports name.
    entity_archives = [p for p in after if is_archive(p) and not p.startswith(("timeline/", "stories/"))]
    for p in rendered & set(entity_archives):
        shown = set(stories.findall(after[p])) | {s.encode() for s in listed(after[p])}
        assert mine & shown or listed(after[p]) - listed(before.get(p)), p
    dossiers = [main_page(p) for p in entity_archives]
    counted = re.compile(rb"stories/[a-z0-9-]+\.md\) \xc2\xb7 \d+ reports?")
    assert not [p for p in entity_archives + dossiers if counted.search(after[p])]
    assert counted.search(after["index.md"]), "the home page gives a story's count"
    assert all(not is_archive(p) for p in set(r.written) - changed)
    # A story's feed is made again only when the story changed, like the pages.
    feeds = {p for p in after if p.startswith("stories/") and p.endswith(".xml")}
    assert feeds and {p for p in r.rendered if p in feeds} == {p for p in feeds if before.get(p) != after[p]}


STATEMENT = """---
title: Missile supplies denied
date: 2017-04-12
source: Test wire
---
Russia denied that it had supplied missiles to Syria. Iran said the missiles came from elsewhere.
"""


def test_a_statement_changed_in_one_article_reaches_its_actors_dossier_and_feed(tmp_path: Path) -> None:
    s = make_project(tmp_path / "p", samples=5, jobs=1)
    (s.content_path / "zz-statement.md").write_text(STATEMENT, encoding="utf-8")
    generate(s)
    dossier, feed = s.docs_path / "actors" / "russia.md", s.docs_path / "actors" / "russia.xml"
    assert "**[Russia](russia.md)** denied (reported speech):" in dossier.read_text(encoding="utf-8")
    before_feed = feed.read_bytes()

    (s.content_path / "zz-statement.md").write_text(STATEMENT.replace("denied", "confirmed"), encoding="utf-8")
    r = generate(s)
    assert r.changed == ["zz-statement.md"] and "actors/russia.md" in r.written and "actors/russia.xml" in r.written
    page = dossier.read_text(encoding="utf-8")
    assert "**[Russia](russia.md)** confirmed (reported speech):" in page and "denied" not in page
    assert feed.read_bytes() != before_feed  # the item's summary changed with the article
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path)

    # The cap is a setting: changing it renders the dossiers again.
    none = replace(s, dossier_statements=0)
    generate(none)
    assert "## Statements" not in dossier.read_text(encoding="utf-8")
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path, dossier_statements=0)


@pytest.mark.slow  # two builds, with a forked helper process
def test_entity_files_made_in_the_second_process_keep_their_keys(tmp_path: Path, archived: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # A large site (here: any) makes every other entity's files in a second process; what that process
    # noted of them (each page's key) must reach the build state, or the next build renders them again.
    import generator.outputs as outputs
    from generator.cache import BuildState

    monkeypatch.setattr(outputs, "PARALLEL_MIN", 0)
    monkeypatch.setattr(outputs, "can_fork", lambda: True)
    s = copy_of(archived, tmp_path, jobs=2, page_size=3)
    (s.content_path / "zz-old.md").write_text(OLD_ARTICLE, encoding="utf-8")
    r = generate(s)
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path, page_size=3)
    entity_files = [p for p in tree(s.docs_path)  # the indexes are made afresh each build
                    if p.startswith(("actors/", "weapons/", "stories/")) and not p.endswith("/index.md")]
    assert any(p in r.rendered for p in entity_files)
    state = BuildState.load(s.cache_path)
    keyless = [p for p in entity_files if (p.endswith(".md") or p.endswith(".xml")) and not state.pages[p][0]]
    assert not keyless, keyless[:5]
    (s.content_path / "zz-old.md").write_text(OLD_ARTICLE + "\nThe talks resume next week.\n", encoding="utf-8")
    again = generate(s)
    assert tree(s.docs_path) == scratch(tmp_path, s.content_path, page_size=3)
    assert len(again.rendered) < len(entity_files) / 4
