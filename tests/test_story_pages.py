"""Stories on the site: reports of one invented missile launch from several outlets (one a wire copy,
one state media denying what the others report) make one story page with its outlets, corroboration,
entities, what each report adds and claims side by side; lists show the story once with its count;
its briefings link it; it has a feed and is in the data exports; a launch months later with the
same names is another story; an incremental build equals one from scratch."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import render
from generator.config import load_settings
from generator.pipeline import generate
from generator.render import feeds

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "stories"
STORY = "2031-03-02-north-korea-fires-hwasong-18-into-the-east-sea"
LAUNCH = ("yonhap-launch", "mirror-wire-copy", "kcna-launch", "tribune-launch")
OUTLETS = ("Yonhap", "Harbour City Mirror", "KCNA", "Lakeside Tribune")


def project(root: Path, names: list[str] | None = None) -> Path:
    (root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for path in sorted(FIXTURES.glob("*.md")):
        if names is None or path.name in names:
            shutil.copy(path, root / "content" / path.name)
    return root


def build(root: Path) -> None:
    report = generate(load_settings(root))
    assert not report.skipped, report.skipped


def docs_of(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


@dataclass
class Book:
    root: Path

    def page(self, rel: str) -> str:
        return (self.root / "docs" / rel).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Book:
    root = project(tmp_path_factory.mktemp("stories"))
    build(root)
    return Book(root)


def test_one_story_page_for_the_launch_and_none_for_single_reports(book: Book) -> None:
    pages = sorted(p.name for p in (book.root / "docs" / "stories").iterdir())
    assert pages == [f"{STORY}.md", f"{STORY}.xml", "index.md"]
    index = book.page("stories/index.md")
    assert f"[North Korea fires Hwasong-18 into the East Sea]({STORY}.md) | 2031-03-02 | 4 |" in index


def test_the_story_page_lists_every_report_with_its_outlet_and_dates(book: Book) -> None:
    page = book.page(f"stories/{STORY}.md")
    assert "# North Korea fires Hwasong-18 into the East Sea" in page
    assert "4 reports, 4 outlets · first reported 2031-03-02 · latest 2031-03-03" in page
    reports = page.split("## Reports")[1].split("##")[0]
    for slug, outlet in zip(LAUNCH, OUTLETS, strict=True):
        row = next(line for line in reports.splitlines() if f"(../briefings/{slug}.md)" in line)
        assert f"| {outlet}" in row, row
    # The wire copy is named as the agency's copy; the launch months later is not a report of it.
    assert "| Harbour City Mirror (copy of Yonhap) |" in reports
    assert "later-launch" not in page and "harbour-ferry" not in page


def test_corroboration_counts_the_wire_copy_once_and_state_media_apart(book: Book) -> None:
    page = book.page(f"stories/{STORY}.md")
    # Yonhap and its copy are one source; the Tribune is another; KCNA is state media.
    assert "- **Independent sources apart from state media:** 2" in page
    assert "- **State media and official government sources:** 1" in page
    assert "One state source" not in page


def test_union_of_entities_counts_reports_and_each_report_adds_what_was_new(book: Book) -> None:
    page = book.page(f"stories/{STORY}.md")
    assert "[Hwasong-18](../weapons/hwasong-18.md) (4)" in page
    assert "[Kim Jong Un](../actors/kim-jong-un.md) (1)" in page
    adds = page.split("## What each report adds")[1].split("##")[0]
    lines = {slug: next(x for x in adds.splitlines() if f"(../briefings/{slug}.md)" in x) for slug in LAUNCH}
    assert "[Hwasong-18](../weapons/hwasong-18.md)" in lines["yonhap-launch"]
    assert "nothing that an earlier report did not name" in lines["mirror-wire-copy"]
    assert "[Kim Jong Un](../actors/kim-jong-un.md)" in lines["kcna-launch"]
    assert "(../weapons/hwasong-18.md)" not in lines["kcna-launch"]


def test_claims_side_by_side_mark_the_denial(book: Book) -> None:
    page = book.page(f"stories/{STORY}.md")
    claims = page.split("## Claims side by side")[1]
    rows = [r for r in claims.splitlines() if r.startswith("| ") and "---" not in r and "Speaker" not in r]
    denial = [r for r in rows if r.startswith("| agency | denied |")]
    assert denial and "⚠ denies a claim reported by" in denial[0] and "Yonhap" in denial[0]
    japan = [r for r in rows if r.startswith("| Japan | said |")]
    # The wire copy carries Yonhap's words: one row names both outlets.
    assert len(japan) == 1 and "| Yonhap, Harbour City Mirror | **⚠ denied in KCNA** |" in japan[0], japan
    # A claim nobody denies carries no mark.
    kim = next(r for r in rows if r.startswith("| Kim Jong Un | called |"))
    assert "⚠" not in kim


def test_lists_show_the_story_once_with_its_count(book: Book) -> None:
    link = f"stories/{STORY}.md)"
    count = " · 4 reports, 4 outlets"
    for rel, prefix in (("index.md", ""), ("timeline.md", ""), ("briefings/index.md", "../"),
                        ("weapons/hwasong-18.md", "../"), ("actors/japan.md", "../")):
        # The lists of briefings (an actor's statements link the briefing each comes from).
        page = book.page(rel).split("\n## Briefings, newest first\n")[-1]
        assert page.count(f"({prefix}{link}") == 1, rel
        # A dossier lists the story by its title: its count would change with every report it gains.
        dossier = rel.startswith(("weapons/", "actors/"))
        assert page.count(f"({prefix}{link}{count}") == (0 if dossier else 1), rel
        for slug in LAUNCH:
            assert f"{slug}.md)" not in page, (rel, slug)
        # The launch months later and the ferry are stories of one report: listed as the briefings.
        assert "later-launch.md)" in page, rel


def test_each_briefing_of_the_story_says_who_else_reported_it(book: Book) -> None:
    for slug, outlet in zip(LAUNCH, OUTLETS, strict=True):
        page = book.page(f"briefings/{slug}.md")
        line = next(x for x in page.splitlines() if "Also reported by" in x)
        others = [o for o in OUTLETS if o != outlet]
        assert line.strip().startswith(f"Also reported by {', '.join(others[:-1])} and {others[-1]}:"), line
        assert f"see the story [North Korea fires Hwasong-18 into the East Sea](../stories/{STORY}.md)" in line
    for slug in ("later-launch", "harbour-ferry"):
        assert "Also reported" not in book.page(f"briefings/{slug}.md")


def test_the_note_names_a_few_outlets_and_counts_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "ALSO_REPORTED_BY", 1)
    root = project(tmp_path)
    build(root)
    line = next(x for x in (root / "docs" / "briefings" / "kcna-launch.md").read_text(encoding="utf-8").splitlines()
                if "Also reported by" in x)
    assert line.strip().startswith("Also reported by Yonhap and 2 other outlets: see the story"), line
    monkeypatch.setattr(render, "ALSO_REPORTED_BY", 2)
    shutil.rmtree(root / "docs")
    build(root)
    line = next(x for x in (root / "docs" / "briefings" / "kcna-launch.md").read_text(encoding="utf-8").splitlines()
                if "Also reported by" in x)
    assert line.strip().startswith("Also reported by Yonhap, Harbour City Mirror and 1 other outlet: see"), line


def test_the_story_feed_lists_its_reports_newest_first(book: Book) -> None:
    raw = (book.root / "docs" / "stories" / f"{STORY}.xml").read_bytes()
    channel = ET.fromstring(raw).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "Story: North Korea fires Hwasong-18 into the East Sea"
    assert (channel.findtext("link") or "").endswith(f"/stories/{STORY}/")
    links = [item.findtext("link") or "" for item in channel.findall("item")]
    assert [x.rstrip("/").rsplit("/", 1)[1] for x in links] == [
        "kcna-launch", "tribune-launch", "yonhap-launch", "mirror-wire-copy"]
    assert f"[RSS feed of this story]({STORY}.xml)" in book.page(f"stories/{STORY}.md")


def test_a_story_feed_keeps_its_newest_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A story that keeps being reported is polled for what is new: its feed is capped as a dossier's.
    monkeypatch.setattr(feeds, "WATCH_FEED_ITEMS", 2)
    root = project(tmp_path)
    build(root)
    channel = ET.fromstring((root / "docs" / "stories" / f"{STORY}.xml").read_bytes()).find("channel")
    assert channel is not None
    links = [item.findtext("link") or "" for item in channel.findall("item")]
    assert [x.rstrip("/").rsplit("/", 1)[1] for x in links] == ["kcna-launch", "tribune-launch"]


def test_stories_are_in_the_data_exports(book: Book) -> None:
    stories = json.loads((book.root / "docs" / "data" / "stories.json").read_bytes())
    by_id = {s["id"]: s for s in stories}
    launch = by_id[STORY]
    assert launch["title"] == "North Korea fires Hwasong-18 into the East Sea"
    assert (launch["first"], launch["latest"]) == ("2031-03-02", "2031-03-03")
    assert [(r["slug"], r["outlet"]) for r in launch["reports"]] == list(zip(LAUNCH, OUTLETS, strict=True))
    assert launch["outlets"] == 4 and launch["independent"] == 2
    assert launch["page"] == f"stories/{STORY}/"
    later = next(s for s in stories if s["reports"][0]["slug"] == "later-launch")
    assert later["page"] is None and len(later["reports"]) == 1
    listed = json.loads((book.root / "docs" / "data" / "briefings.json").read_bytes())
    story_of = {b["slug"]: b["story"] for b in listed}
    assert {story_of[s] for s in LAUNCH} == {STORY}
    assert story_of["later-launch"] == later["id"] != STORY


def test_a_story_told_only_by_state_media_says_so(tmp_path: Path) -> None:
    root = project(tmp_path / "state", names=[])
    text = ("---\ntitle: {title}\ndate: {date}\nsource: KCNA\nurl: http://kcna.kp/en/{slug}\n---\n"
            "Kim Jong Un inspected the Hwasong-18 launch drill at the Sunan site on Sunday, KCNA said. "
            "The drill of the Hwasong-18 regiment showed the country's nuclear deterrent, KCNA said. "
            "Report {n} of the agency.\n")
    for slug, date in (("drill-1", "2031-04-06"), ("drill-2", "2031-04-07")):
        (root / "content" / f"{slug}.md").write_text(
            text.format(title=f"Kim inspects Hwasong-18 drill {slug[-1]}", date=date, slug=slug, n=slug[-1]),
            encoding="utf-8")
    build(root)
    (page,) = [p for p in (root / "docs" / "stories").glob("*.md") if p.name != "index.md"]
    body = page.read_text(encoding="utf-8")
    assert "All claims trace back to one state outlet: KCNA." in body
    assert "- **Independent sources apart from state media:** 0" in body


def test_adding_a_report_incrementally_equals_a_build_from_scratch(tmp_path: Path) -> None:
    names = sorted(p.name for p in FIXTURES.glob("*.md"))
    grown = project(tmp_path / "grown", [n for n in names if n != "kcna-launch.md"])
    build(grown)
    assert "3 reports, 3 outlets" in (grown / "docs" / "index.md").read_text(encoding="utf-8")
    shutil.copy(FIXTURES / "kcna-launch.md", grown / "content" / "kcna-launch.md")
    build(grown)
    scratch = project(tmp_path / "scratch")
    build(scratch)
    assert docs_of(grown) == docs_of(scratch)
    # And back: the report removed again, the pages are those of a build without it.
    (grown / "content" / "kcna-launch.md").unlink()
    build(grown)
    fewer = project(tmp_path / "fewer", [n for n in names if n != "kcna-launch.md"])
    # As a fresh clone of the project would have it: the pages that went are listed for redirects.
    shutil.copy(grown / "redirects.yml", fewer / "redirects.yml")
    build(fewer)
    assert docs_of(grown) == docs_of(fewer)


def test_merged_stories_are_exposed_as_moved_pages(tmp_path: Path) -> None:
    from generator import pipeline
    from generator.render.cards import card_of
    from generator.stories import cluster

    root = project(tmp_path / "moved")
    settings = load_settings(root)
    kb = pipeline.load_knowledge(settings)
    docs = pipeline.read_sources([settings.content_path], settings.content_path, pipeline.BuildReport())
    briefings = {b.doc.path: b for b in pipeline.extract_all(docs, kb, settings)}
    cards = [card_of(b, kb) for b in briefings.values()]
    # An earlier clustering had the KCNA report as a story of its own: it has merged into the launch.
    previous = {"yonhap-launch.md": STORY, "kcna-launch.md": "2031-03-03-kcna-alone"}
    clustering = cluster((c.report() for c in cards), previous)
    corpus = pipeline.index_cards(cards, briefings.__getitem__, kb, settings, clustering)

    def stories(moved: dict[str, str]) -> dict[str, str]:
        """Story pages merged into another: beside pages of other kinds that moved, and the pages of
        stories now told by one report, which go to that report's briefing."""
        return {old: new for old, new in moved.items() if old.startswith("stories/") and new.startswith("stories/")}

    assert stories(corpus.moved) == {"stories/2031-03-03-kcna-alone.md": f"stories/{STORY}.md"}
    assert corpus.story("kcna-launch") == STORY
    # Without an earlier clustering no story has moved.
    assert stories(pipeline.index_cards(cards, briefings.__getitem__, kb, settings).moved) == {}


def test_the_index_of_stories_shows_the_newest_and_continues_on_a_page_per_month(tmp_path: Path) -> None:
    root = project(tmp_path / "months")
    (root / "briefing.yml").write_text("page_size: 1\n", encoding="utf-8")
    text = ("---\ntitle: Kim inspects Hwasong-18 drill {n}\ndate: {date}\nsource: KCNA\nurl: http://kcna.kp/en/{n}\n"
            "---\nKim Jong Un inspected the Hwasong-18 launch drill at the Sunan site on Sunday, KCNA said. "
            "The drill of the Hwasong-18 regiment showed the country's nuclear deterrent. Report {n}.\n")
    for n, date in (("1", "2031-04-06"), ("2", "2031-04-07")):
        (root / "content" / f"drill-{n}.md").write_text(text.format(n=n, date=date), encoding="utf-8")
    build(root)
    index = (root / "docs" / "stories" / "index.md").read_text(encoding="utf-8")
    assert "2 in all." in index
    newest, archive = index.split("\n## Archive\n")
    assert "kim-inspects-hwasong-18-drill-1.md" in newest and f"{STORY}.md" not in newest.split("## By number")[0]
    assert "- [March 2031](archive/2031-03.md): 1 story\n" in archive
    page = (root / "docs" / "stories" / "archive" / "2031-03.md").read_text(encoding="utf-8")
    assert "1 story of March 2031, newest first" in page
    assert f"(../{STORY}.md) · 4 reports, 4 outlets" in page
