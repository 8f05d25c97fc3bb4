"""Articles written for other tools (Jekyll, Hugo, Pelican, Obsidian), plain-text dates and titles, and
duplicates: read, built, warned about, refused or marked as the manual says."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator import links
from generator.check import run_check
from generator.config import load_settings
from generator.dedupe import near_duplicates, sketch, text_key
from generator.intake import add_sources
from generator.pipeline import generate
from generator.readers import read_file
from generator.readers.text import derive_title, parse_text

FIX = Path(__file__).parent / "fixtures"
OTHER_TOOLS = sorted((FIX / "frontmatter").iterdir())
DUPLICATES = sorted((FIX / "duplicates").iterdir())


def build(project: Path, files: list[Path]):  # type: ignore[no-untyped-def]
    for f in files:
        shutil.copy(f, project / "content" / f.name)
    settings = load_settings(project)
    return settings, generate(settings)


def page(settings, rel: str) -> Path:  # type: ignore[no-untyped-def]
    slug = links.article_slugs([rel])[rel]
    return settings.docs_path / links.briefing_path(slug)


def record(settings, rel: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    slug = links.article_slugs([rel])[rel]
    return json.loads((settings.docs_path / links.record_path(slug)).read_text(encoding="utf-8"))


def test_other_tools_articles_are_all_on_the_site_and_the_draft_is_not(project: Path) -> None:
    settings, report = build(project, OTHER_TOOLS)
    assert report.skipped == []
    published = [p.name for p in OTHER_TOOLS if p.name != "unfinished-draft.md"]
    assert report.read == len(published) == 4
    for name in published:
        assert page(settings, name).is_file(), name
    assert not page(settings, "unfinished-draft.md").exists()
    assert any(w.startswith("unfinished-draft.md: not published") for w in report.warnings)
    # A bad value costs its field: the javascript: URL is dropped, named by file, line and field.
    bad_url = [w for w in report.warnings if "'url'" in w]
    assert len(bad_url) == 1 and ":11: front matter 'url' must start with http" in bad_url[0]
    assert "javascript" not in page(settings, "jekyll-post.md").read_text(encoding="utf-8").replace(
        "must start", "")
    # One warning per unused field name, however many articles carry it ('slug' is in three).
    slug_notes = [w for w in report.warnings if w.startswith("front matter field 'slug' ")]
    assert slug_notes == ["front matter field 'slug' is not used (kept in the record): 3 article(s), "
                          "e.g. hugo-post.md"]
    jekyll = record(settings, "jekyll-post.md")
    assert jekyll["meta"]["layout"] == "post" and jekyll["meta"]["permalink"] == "/2024/03/05/coastal-radar/"
    assert jekyll["date"] == "2024-03-05" and jekyll["url"] is None
    assert jekyll["summary"] == ["The navy said the radar tracked small boats at twice the old range."]
    assert record(settings, "hugo-post.md")["meta"]["params"] == {"featured": True}
    assert record(settings, "obsidian-note.md")["title"] == "Fire halts work at a drone parts factory"


def test_equivalent_fields_map(tmp_path: Path) -> None:
    docs = {p.name: read_file(p, p.name) for p in OTHER_TOOLS}
    jekyll, hugo, pelican, obsidian = (docs[n] for n in ("jekyll-post.md", "hugo-post.md", "pelican-post.md",
                                                         "obsidian-note.md"))
    assert jekyll.tags == ("maritime", "radar") and jekyll.author == "Mira Tanaka, Joel Park"
    assert hugo.date == "2024-04-02" and hugo.tags == ("diplomacy", "border", "talks") and not hugo.draft
    assert (pelican.title, pelican.date, pelican.author) == (
        "Grain convoy reaches the port after a week on the road", "2024-05-11", "Lena Ortiz")
    assert pelican.tags == ("grain", "ports", "convoys", "Logistics")
    assert pelican.text.startswith("A convoy of forty trucks")
    # Wikilinks show their words where they stood: offsets still point into the file.
    body = (FIX / "frontmatter" / "obsidian-note.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    assert len(obsidian.text) == len(body) and "[[" not in obsidian.text
    at = obsidian.text.index("drones")
    assert body[at:at + len("drones")] == "drones"
    assert obsidian.tags == ("drones", "industry/defence")
    draft = tmp_path / "d.md"
    draft.write_text("Title: Pelican draft\nStatus: draft\n\nNot ready.\n", encoding="utf-8")
    assert read_file(draft, "d.md").draft


def test_toml_error_names_the_line(tmp_path: Path) -> None:
    from generator.readers import ReadError

    p = tmp_path / "bad.md"
    p.write_text('+++\ntitle = "ok"\ndate = [\n+++\nBody.\n', encoding="utf-8")
    with pytest.raises(ReadError, match="not valid TOML") as info:
        read_file(p, "bad.md")
    assert info.value.line is not None and info.value.line >= 3


@pytest.mark.parametrize("text, date", [
    ("Rail link reopens\n\nPORTVILLE, March 9, 2024 (Example Wire) - The line reopened on Saturday.\n",
     "2024-03-09"),
    ("Rail link reopens\nPublished: 9 March 2024\nUpdated: 11 March 2024 10:20 GMT\n\nThe line reopened.\n",
     "2024-03-09"),
    ("Rail link reopens\nLast updated on Sept. 3, 2023\n\nThe line reopened.\n", "2023-09-03"),
    ("Rail link reopens\nPosted 2022-11-30\n\nThe line reopened.\n", "2022-11-30"),
    # No year in the dateline: no date, rather than a guessed year.
    ("Rail link reopens\n\nPORTVILLE, March 9 (Example Wire) - The line reopened on Saturday.\n", None),
    ("Rail link reopens\n\nPublished: 31 February 2024\n\nThe line reopened.\n", None),
])
def test_txt_date_from_the_top_lines(text: str, date: str | None) -> None:
    doc = parse_text(text, "a.txt")
    assert doc.date == date
    assert doc.title == "Rail link reopens"


@pytest.mark.parametrize("text, title", [
    ("Advertisement\n\nRail link reopens\n\nThe line reopened on Saturday.\n", "Rail link reopens"),
    ("Published: 9 March 2024\nRail link reopens\n\nThe line reopened.\n", "Rail link reopens"),
    ("Published 9 March\nRail link reopens\n\nThe line reopened.\n", "Rail link reopens"),
    ("Updated rules for drone flights\n\nThe ministry published new rules.\n", "Updated rules for drone flights"),
    ("The line reopened on Saturday after three weeks.\nMore text.\n",
     "The line reopened on Saturday after three weeks"),
])
def test_txt_first_line_is_the_title_only_when_it_reads_as_one(text: str, title: str) -> None:
    assert parse_text(text, "a.txt").title == title


def test_date_lines_and_furniture_are_not_section_headings() -> None:
    doc = parse_text("Rail link reopens\n\nPublished: 9 March 2024\n\nThe line reopened.\n\nAdvertisement\n\n"
                     "Repairs Ahead\n\nMore work is planned.\n", "a.txt")
    assert [h.text for h in doc.headings] == ["Repairs Ahead"]


def test_derived_title_is_never_cut_inside_a_word() -> None:
    assert derive_title("x" * 120 + " and more.", limit=90) == "x" * 120
    title = derive_title("Negotiators met again in the capital " * 5, limit=50)
    assert title.endswith("…")
    assert ("Negotiators met again in the capital " * 5).startswith(title[:-1] + " ")


def test_long_page_title_is_shortened_at_a_word_boundary() -> None:
    from generator.render import plain_title

    words = "Negotiators met again in the capital " * 8
    title = plain_title(words)
    assert len(title) <= 201 and title.endswith("…")
    assert words.startswith(title[:-1] + " ")


def test_check_warns_about_every_undated_article(project: Path) -> None:
    for f in (FIX / "duplicates" / "undated-note.txt", FIX / "duplicates" / "dateline-report.txt",
              FIX / "frontmatter" / "obsidian-note.md"):
        shutil.copy(f, project / "content" / f.name)
    report = run_check(load_settings(project))
    assert report.ok, report.errors
    undated = sorted(w.split(":")[0] for w in report.warnings if ": no date;" in w)
    assert undated == ["obsidian-note.md", "undated-note.txt"]


def test_build_refuses_the_resaved_copy_marks_the_syndicated_one_and_reports_the_edited_one(
        project: Path) -> None:
    settings, report = build(project, DUPLICATES)
    assert report.skipped == ["ferry-resaved.txt: duplicate of ferry-original.md (the same text); "
                              "delete one of the two files"]
    assert not page(settings, "ferry-resaved.txt").exists()
    copy = page(settings, "ferry-syndicated.md").read_text(encoding="utf-8")
    assert "Syndicated copy of [Ferry crossings suspended as gales reach the strait]" in copy
    assert "Syndicated copy" not in page(settings, "ferry-original.md").read_text(encoding="utf-8")
    assert record(settings, "ferry-syndicated.md")["syndicated_of"] == links.article_slugs(
        ["ferry-original.md"])["ferry-original.md"]
    assert "syndicated_of" not in record(settings, "ferry-original.md")  # left out: not a copy
    near = [w for w in report.warnings if "nearly the same text" in w]
    assert len(near) == 1 and near[0].startswith("ferry-original.md: nearly the same text as ferry-edited.md")
    # A second build from the same input says the same, and leaves the same files.
    again = generate(settings)
    assert (again.skipped, again.warnings) == (report.skipped, report.warnings)


def test_add_refuses_the_resaved_txt_and_keeps_the_syndicated_copy(tmp_path: Path) -> None:
    content = tmp_path / "content"
    today = dt.date(2025, 1, 31)
    first = add_sources([str(FIX / "duplicates" / "ferry-original.md")], content, today=today)
    assert len(first.added) == 1
    again = add_sources([str(FIX / "duplicates" / n) for n in ("ferry-resaved.txt", "ferry-syndicated.md")],
                        content, today=today)
    assert [r.reason for r in again.refused] == [
        "already in content as ferry-crossings-suspended-as-gales-reach-the-strait.md (same text)"]
    assert [a.title for a in again.added] == ["Gales halt strait ferries"]


def test_near_duplicates_stay_fast_and_quiet_among_unrelated_articles() -> None:
    bodies = [" ".join(f"w{i}x{j}" for j in range(300)) + "." for i in range(2000)]
    items = [(f"a{i:04d}.md", text_key(b), sketch(b)) for i, b in enumerate(bodies)]
    edited = bodies[7].replace("w7x150", "changed")
    items.append(("z.md", text_key(edited), sketch(edited)))
    assert near_duplicates(items) == [
        "z.md: nearly the same text as a0007.md (about 97% of their wording shared); "
        "if one is an edited copy of the other, delete one"]


def test_add_keeps_other_tools_fields_and_wikilinks_and_refuses_them_twice(tmp_path: Path) -> None:
    content = tmp_path / "content"
    today = dt.date(2025, 1, 31)
    report = add_sources([str(p) for p in OTHER_TOOLS], content, today=today)
    assert len(report.added) == len(OTHER_TOOLS) and report.refused == []
    note = content / "fire-halts-work-at-a-drone-parts-factory.md"
    assert "[[Unmanned aerial vehicle|drones]]" in note.read_text(encoding="utf-8")
    hugo = read_file(content / "border-talks-resume-after-a-two-month-pause.md", "h.md")
    assert hugo.tags == ("diplomacy", "border", "talks") and dict(hugo.extra)["slug"] == '"border-talks-resume"'
    again = add_sources([str(p) for p in OTHER_TOOLS], content, today=today)
    assert again.added == [] and all(r.reason.endswith("(same text)") for r in again.refused)


def test_each_near_duplicate_is_reported_once_naming_its_closest_earlier_article() -> None:
    base = " ".join(f"word{j}" for j in range(400)) + "."
    bodies = {"a.md": base, "b.md": base.replace("word100 ", "other "),
              "c.md": base.replace("word100 ", "other ").replace("word300 ", "third "),
              "d.md": " ".join(f"else{j}" for j in range(400)) + "."}
    warnings = near_duplicates((p, text_key(b), sketch(b)) for p, b in bodies.items())
    assert [w.split(":")[0] for w in warnings] == ["b.md", "c.md"]
    assert warnings[1].startswith("c.md: nearly the same text as b.md and 1 other article(s) (about ")


def test_text_key_ignores_a_title_line_furniture_dates_and_a_byline_but_not_the_text() -> None:
    body = "Ferry crossings were suspended on Wednesday.\n\nThe first sailings could resume on Thursday.\n"
    same = [
        "Storm stops the ferries\n\n" + body,
        "# Storm stops the ferries\nBy Jane Doe\nPublished: 14 February 2024\n\n" + body,
        "Advertisement\n\n" + body.replace("\n\n", "\n\nShare this article\n\n"),
        "\ufeff" + body.upper().replace("\n", "\r\n"),
    ]
    assert {text_key(b) for b in same} == {text_key(body)}
    assert text_key("By the end of the day, crossings were suspended.\n") != text_key(
        "Crossings were suspended.\n")
    assert text_key(body) != text_key(body.replace("Thursday", "Friday"))


def test_extract_records_carry_kept_fields_and_the_syndicated_original(project: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    folder = project / "content"
    for f in (FIX / "duplicates" / "ferry-original.md", FIX / "duplicates" / "ferry-syndicated.md",
              FIX / "frontmatter" / "hugo-post.md", FIX / "frontmatter" / "unfinished-draft.md"):
        shutil.copy(f, folder / f.name)
    result = CliRunner().invoke(cli, ["extract", str(folder), "--root", str(project)])
    assert result.exit_code == 0, result.output
    records = {r["source"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert sorted(records) == ["ferry-original.md", "ferry-syndicated.md", "hugo-post.md"]  # no draft
    assert records["ferry-syndicated.md"]["syndicated_of"] == "ferry-original.md"
    assert "syndicated_of" not in records["ferry-original.md"]
    assert records["hugo-post.md"]["meta"]["slug"] == "border-talks-resume"
    assert "warning: unfinished-draft.md: not published" in result.stderr


def test_a_resave_of_a_syndicated_copy_is_a_duplicate_of_that_copy() -> None:
    from generator.dedupe import drop_duplicates, syndicated
    from generator.models import SourceDoc

    text = "Ferry crossings were suspended on Wednesday. The first sailings could resume on Thursday.\n"
    docs = [SourceDoc("a.md", text, "A", source="Harbour Times", url="https://harbour.example/1"),
            SourceDoc("b.md", text, "B", source="Valley Courier", url="https://courier.example/9"),
            SourceDoc("c.txt", "Gales halt ferries\n\n" + text, "C", body_start=20, source="Valley Courier"),
            SourceDoc("d.md", text, "D", source="Coast Daily")]
    kept, messages = drop_duplicates(docs)
    assert [d.path for d in kept] == ["a.md", "b.md", "d.md"]
    assert messages == ["c.txt: duplicate of b.md (the same text); delete one of the two files"]
    assert syndicated((d.path, text_key(d.text)) for d in kept) == {"b.md": "a.md", "d.md": "a.md"}
