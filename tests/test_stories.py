"""Stories: reports of one invented event form one story; the same kind of event months later is
another; the result does not depend on arrival order; ids stay put when reports join."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.stories import Report, StoryIndex, cluster
from generator.stories.dates import ReportDate, days_apart, parse_iso, text_date

SEIZURE = ("The Freedonian navy seized the cargo ship Marlow Star in the Strait of Vell on {day}, "
           "boarding it with commandos from two patrol boats. {outlet} reported that the crew of 19 was "
           "held at the port of Ostrava Bay. The ship's owner, Kessel Lines, said the vessel carried "
           "grain and machine parts. Sylvanian foreign minister Dora Vance condemned the seizure of the "
           "Marlow Star as piracy and demanded the release of the crew.")
SEIZURE_2 = ("Sylvania demanded the release of the Marlow Star after Freedonian commandos boarded the "
             "cargo ship in the Strait of Vell. Kessel Lines said its 19 crew members were unharmed and "
             "held in Ostrava Bay. Dora Vance called the seizure piracy.")
LAUNCH = ("Freedonia test-fired a Skyspear-4 ballistic missile from the Kardo launch site on {day}, "
          "the Sylvanian defence ministry said. The missile flew {km} kilometres before falling into the "
          "Gulf of Mira. General Ivo Brandt oversaw the Skyspear-4 launch, state television said, and "
          "called the missile a shield for Freedonia. Sylvania and Ruritania condemned the test.")
FLOOD = ("Heavy rain flooded the river town of Lintz, and volunteers stacked sandbags along the "
         "embankment while the mayor opened the school gym as a shelter for families whose homes "
         "were under water. The weather service expects the river to crest on Thursday.")


def report(key: str, title: str, text: str, date: str | None) -> Report:
    return Report(key, title, f"{title}\n\n{text}", parse_iso(date) if date else text_date(text))


def fixture() -> list[Report]:
    return [
        report("a/herald.md", "Freedonia seizes cargo ship", SEIZURE.format(day="Monday", outlet="The Herald"),
               "2031-03-02"),
        report("a/wire.md", "Navy boards Marlow Star", SEIZURE.format(day="Monday", outlet="Vell Wire"),
               "2031-03-02"),
        report("a/gazette.md", "Sylvania demands crew release", SEIZURE_2, "2031-03-03"),
        # No date anywhere: it joins the one story it is most alike, never bridges two.
        report("a/blog.md", "Marlow Star seized", SEIZURE.format(day="Monday", outlet="A blog"), None),
        report("b/may-1.md", "Freedonia fires Skyspear-4", LAUNCH.format(day="May 10", km="950"),
               "2031-05-10"),
        report("b/may-2.md", "Skyspear-4 launch condemned", LAUNCH.format(day="May 10", km="950"),
               "2031-05-11"),
        # The same missile, the same names, four months later: another event.
        report("c/sep-1.md", "Freedonia fires Skyspear-4 again", LAUNCH.format(day="September 14", km="1,200"),
               "2031-09-14"),
        report("c/sep-2.md", "Second Skyspear-4 test", LAUNCH.format(day="September 14", km="1,200"),
               "2031-09-15"),
        report("d/flood.md", "Lintz floods", FLOOD, "2031-03-02"),
    ]


def groups(story_of: dict[str, str]) -> set[frozenset[str]]:
    out: dict[str, set[str]] = {}
    for key, sid in story_of.items():
        out.setdefault(sid, set()).add(key)
    return {frozenset(g) for g in out.values()}


def test_reports_of_one_event_form_one_story_and_launches_months_apart_two():
    result = cluster(fixture())
    assert groups(result.story_of) == {
        frozenset({"a/herald.md", "a/wire.md", "a/gazette.md", "a/blog.md"}),
        frozenset({"b/may-1.md", "b/may-2.md"}),
        frozenset({"c/sep-1.md", "c/sep-2.md"}),
        frozenset({"d/flood.md"}),
    }
    seizure = next(s for s in result.stories if "a/herald.md" in s.reports)
    assert seizure.first == "2031-03-02" and seizure.latest == "2031-03-03"
    assert seizure.reports[-1] == "a/blog.md"  # undated reports come after dated ones


def test_story_id_comes_from_the_earliest_report():
    result = cluster(fixture())
    assert result.story_of["a/gazette.md"] == "2031-03-02-freedonia-seizes-cargo-ship"
    assert result.story_of["c/sep-2.md"] == "2031-09-14-freedonia-fires-skyspear-4-again"


@pytest.mark.parametrize("seed", range(6))
def test_adding_reports_one_at_a_time_in_any_order_equals_a_build_from_scratch(seed):
    copy = LAUNCH.format(day="Tuesday", km="1,400")
    reports = [*fixture(),  # and reports without a full date, which follow the reports most alike them
               report("e/copy-1.md", "Skyspear-4 flies 1,400 km", copy, None),
               report("e/copy-2.md", "Skyspear-4 test", copy + " Ruritania called an emergency meeting.", None),
               report("e/copy-3.md", "Skyspear-4 test", copy + " Dora Vance spoke.", None),
               Report("b/partial.md", "Skyspear-4 launch", LAUNCH.format(day="May 10", km="950"),
                      ReportDate(None, 5, 10))]
    scratch = cluster(reports)
    shuffled = reports[:]
    random.Random(seed).shuffle(shuffled)
    index = StoryIndex()
    seen: dict[str, str] = {}
    for r in shuffled:
        index.add(r)
        now = index.clustering(seen)
        # A story id, once given to a dated report, never changes when later-dated reports join.
        seen = now.story_of
    assert index.clustering().story_of == scratch.story_of
    assert index.clustering().stories == scratch.stories


def test_a_later_report_joins_without_changing_the_story_url():
    reports = fixture()
    before = cluster(reports[:2])
    late = report("a/weekly.md", "Crew still held", SEIZURE_2, "2031-03-05")
    after = cluster([*reports[:2], late], before.story_of)
    assert after.story_of["a/weekly.md"] == before.story_of["a/herald.md"]
    assert after.merged == {}


def test_merging_stories_keeps_the_older_id_and_reports_the_other():
    herald = fixture()[0]
    far = report("a/late.md", "Marlow Star crew", SEIZURE.format(day="Thursday", outlet="Late Post"),
                 "2031-03-06")
    before = cluster([herald, far])
    assert len(before.stories) == 2  # four days apart: not linked
    bridge = report("a/mid.md", "Marlow Star update", SEIZURE.format(day="Monday", outlet="Mid News"),
                    "2031-03-04")
    after = cluster([herald, far, bridge], before.story_of)
    assert len(after.stories) == 1
    older, newer = before.story_of["a/herald.md"], before.story_of["a/late.md"]
    assert after.story_of["a/late.md"] == older
    assert after.merged == {newer: older}


@pytest.mark.parametrize(("text", "expected"), [
    ("Title\n\nBy A Writer | July 4, 2031 | 4:00 PM\nText.", ReportDate(2031, 7, 4)),
    ("Title\n\n29 July,2031 08:00 IST\nText.", ReportDate(2031, 7, 29)),
    ("Title\n\n25, Jul. 2031\n\nSEOUL, Wire -- Text.", ReportDate(2031, 7, 25)),
    ("Title\n\n14th April 2031 text", ReportDate(2031, 4, 14)),
    (" date 2031-01-03 Text", ReportDate(2031, 1, 3)),
    (" date 2031-10 Text", ReportDate(2031, 10, None)),
    ("Title\n\nSEOUL, Nov. 29 (Wire) -- text", ReportDate(None, 11, 29)),
    ("Title\n\nNo date at all.", None),
])
def test_text_date(text, expected):
    assert text_date(text) == expected


def test_days_apart_handles_partial_dates():
    assert days_apart(ReportDate(2031, 7, 4), ReportDate(2031, 7, 6)) == 2
    assert days_apart(ReportDate(None, 12, 31), ReportDate(2032, 1, 1)) == 1
    assert days_apart(ReportDate(2031, 10, None), ReportDate(2031, 10, 18)) == 0
    assert days_apart(ReportDate(2031, 10, None), ReportDate(2031, 11, 14)) == 14


def test_extract_prints_the_story_of_each_record(tmp_path: Path):
    for r in fixture():
        path = tmp_path / r.key
        path.parent.mkdir(parents=True, exist_ok=True)
        date = f"date: {r.date.iso}\n" if r.date and r.date.iso else ""
        body = r.text.split("\n", 2)[2] + f" Filed by desk {len(r.key)}{r.key[0]}{r.key[-4]}."  # no two alike
        path.write_text(f"---\ntitle: {r.title}\n{date}---\n{body}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(records) == 9, result.stderr
    assert groups({r["source"]: r["story"] for r in records}) == groups(cluster(fixture()).story_of)


def test_a_report_dated_before_the_first_keeps_the_story_url_given_the_former_ids():
    herald, wire = fixture()[:2]
    earlier = report("a/early.md", "Ship stopped in the Strait", SEIZURE.format(day="Sunday", outlet="Night Desk"),
                     "2031-03-01")
    before = cluster([herald, wire])
    kept = cluster([herald, wire, earlier], before.story_of)
    assert kept.story_of["a/early.md"] == before.story_of["a/herald.md"] == "2031-03-02-freedonia-seizes-cargo-ship"
    assert kept.merged == {}
    # From scratch, the earliest report names the story.
    assert cluster([herald, wire, earlier]).story_of["a/herald.md"] == "2031-03-01-ship-stopped-in-the-strait"


def test_daily_coverage_of_one_long_crisis_does_not_chain_into_one_story():
    daily = [report(f"e/day-{d:02d}.md", f"Shelling of Lintz, day {d}",
                    SEIZURE.format(day=f"day {d}", outlet="The Herald"), f"2031-04-{d:02d}")
             for d in range(1, 21)]
    result = cluster(daily)
    assert len(result.stories) > 1
    for story in result.stories:
        assert story.first and story.latest
        first, latest = parse_iso(story.first), parse_iso(story.latest)
        assert first and latest and days_apart(first, latest) <= 4
    shuffled = daily[:]
    random.Random(3).shuffle(shuffled)
    index = StoryIndex()
    for r in shuffled:
        index.add(r)
    assert index.clustering().story_of == result.story_of


def test_a_report_without_a_date_follows_the_report_it_is_most_alike_dated_or_not():
    # Two undated copies of a launch report, most alike each other, and a dated report of another
    # launch of the same missile: the copies form a story of their own instead of joining the other
    # launch through its dated report.
    copy = LAUNCH.format(day="Tuesday", km="1,400")
    reports = [
        report("b/may-1.md", "Freedonia fires Skyspear-4", LAUNCH.format(day="May 10", km="950"), "2031-05-10"),
        report("e/copy-1.md", "Skyspear-4 flies 1,400 km", copy, None),
        report("e/copy-2.md", "Skyspear-4 test", copy + " Ruritania called an emergency meeting.", None),
    ]
    assert groups(cluster(reports).story_of) == {
        frozenset({"b/may-1.md"}), frozenset({"e/copy-1.md", "e/copy-2.md"})}


def test_a_partial_date_that_agrees_outweighs_a_closer_report_without_one():
    # "May 10" without a year agrees with the dated report of May 10; the undated copy is worded
    # closer, but has no date to agree with. Both end in the dated story, not in one of their own.
    words = LAUNCH.format(day="May 10", km="950")
    reports = [
        report("b/may-1.md", "Freedonia fires Skyspear-4", words, "2031-05-10"),
        Report("b/partial.md", "Skyspear-4 launch", f"Skyspear-4 launch\n\n{words} Dora Vance spoke.",
               ReportDate(None, 5, 10)),
        report("b/undated.md", "Skyspear-4 launch", LAUNCH.format(day="Tuesday", km="950") + " Dora Vance spoke.",
               None),
    ]
    assert groups(cluster(reports).story_of) == {frozenset({"b/may-1.md", "b/partial.md", "b/undated.md"})}


def test_a_date_in_a_photo_caption_does_not_date_the_report(tmp_path: Path):
    from generator.readers.text import parse_text
    from generator.stories import _captions_blanked

    text = ("Skyspear-4 flies again\n\nFILE - This file image made from state television shows the "
            "Skyspear-4 on its launcher at the Kardo site on Monday, May 15, 2030, before an earlier test.\n\n"
            + LAUNCH.format(day="Tuesday", km="1,400") + "\n")
    doc = parse_text(text, "a.txt")
    assert text_date(text) == ReportDate(2030, 5, 15)  # read blindly, the caption's date
    assert text_date(_captions_blanked(doc.text, doc.furniture)) is None


def test_an_undated_report_naming_the_day_of_the_week_does_not_join_a_launch_on_another_day():
    from generator.stories.dates import text_weekday, weekday_agrees

    # 2031-05-10 is a Saturday; the undated report's launch was on a Tuesday: another launch, though
    # its wording is that of the dated report.
    tuesday = LAUNCH.format(day="Tuesday", km="950")
    assert text_weekday(tuesday) == 1
    assert not weekday_agrees(1, ReportDate(2031, 5, 10))
    assert weekday_agrees(5, ReportDate(2031, 5, 10)) and weekday_agrees(4, ReportDate(2031, 5, 11))
    dated = report("b/may-1.md", "Freedonia fires Skyspear-4", LAUNCH.format(day="May 10", km="950"), "2031-05-10")
    undated = Report("e/tue.md", "Skyspear-4 launch", tuesday, None, weekday=1)
    saturday = Report("e/sat.md", "Skyspear-4 launch", LAUNCH.format(day="Saturday", km="950"), None, weekday=5)
    assert groups(cluster([dated, undated]).story_of) == {frozenset({"b/may-1.md"}), frozenset({"e/tue.md"})}
    assert groups(cluster([dated, saturday]).story_of) == {frozenset({"b/may-1.md", "e/sat.md"})}
