"""Feeds: every entry becomes an article with its link, date and content; bad entries skip themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import links
from generator.models import SourceDoc
from generator.readers import ReadError, read_docs, read_file
from generator.readers.feeds import parse_json_feed

FEEDS = Path(__file__).parent / "fixtures" / "intake"

# file: one row per expected article: (title, url, date, summary_only, must appear, must not appear)
CASES: dict[str, list[tuple[str, str | None, str | None, bool, list[str], list[str]]]] = {
    "rss2.xml": [
        ("Border guards report surge in drone incursions", "https://frontierwire.example/2024/04/drone-incursions",
         "2024-04-12", False,
         ["most of them small quadcopters flying at night", "drop packages of cigarettes and mobile phones",
          "Jamming trials", "next month & will decide"],
         ["FEED_SCRIPT_MARKER", "document.write", "<p>", "&amp;", "pixel.example"]),
        ("Parliament approves defence budget increase", "https://frontierwire.example/2024/04/budget",
         "2024-04-11", True, ["Lawmakers approved a 12 percent rise in military spending"],
         ["<p>", "&lt;", "<b>", "Read more"]),
        ("Coast guard seizes boat carrying rifle parts", "https://frontierwire.example/2024/04/rifle-parts",
         None, False, ["which has seen a rise in shootings this year"], ["video.example", "<div"]),
    ],
    "atom.xml": [
        ("Shelling reported near the contact line",
         "https://ceasefire-monitor.example/reports/2024-06-02-shelling", "2024-06-02", False,
         ["Monitors recorded 41 explosions overnight near the contact line", "a monitoring drone was jammed"],
         ["ATOM_SCRIPT_MARKER", "alert(", "<em>"]),
        ("Weekly summary: ceasefire largely held", "https://ceasefire-monitor.example/reports/weekly-22",
         "2024-06-03", False, ["The ceasefire largely held during the past week",
                               "Monitors were denied access to a storage site"], ["xmlns"]),
    ],
    "rss1.rdf": [
        ("Declassified cables describe 1987 missile talks", "https://archive-notes.example/n/1", "2023-02-10", True,
         ["negotiators disagreed over how many inspections"], []),
        ("Inventory of dismantled launchers published", "https://archive-notes.example/n/2", None, True,
         ["full inventory of launchers dismantled under the treaty"], []),
    ],
    "rss091.rss": [
        ("Naval exercise ends in the Baltic", "http://oldwire.example/baltic-exercise.html", None, True,
         ["ships from nine countries ended on Saturday in the Baltic Sea"], []),
    ],
    "jsonfeed.json": [
        ("Inspectors report higher enrichment levels", "https://npdigest.example/2024/05/enrichment", "2024-05-28",
         False, ["uranium enriched to 60 percent has continued to accumulate",
                 "cameras at one site had been offline"], ["JSONFEED_SCRIPT_MARKER", "steal()", "onclick"]),
        ("Treaty review conference ends without agreement", "https://npdigest.example/2024/05/treaty-review",
         "2024-05-24", False, ["ended on Friday without a final document",
                               "the result was expected but still a setback"], []),
        ("Satellite images show activity at test site", "https://npdigest.example/2024/05/test-site", None, True,
         ["new tunnelling at a former nuclear test site"], []),
    ],
}
SOURCES = {"rss2.xml": "Frontier Security Wire", "atom.xml": "Ceasefire Monitor", "rss1.rdf": "Arms Archive Notes",
           "rss091.rss": "Old Wire Service", "jsonfeed.json": "Nonproliferation Digest"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_entry_becomes_an_article(name: str) -> None:
    docs, _ = read_docs(FEEDS / name, f"feeds/{name}")
    got = [(d.title, d.url, d.date, d.summary_only) for d in docs]
    assert got == [row[:4] for row in CASES[name]]
    for doc, (*_, must, must_not) in zip(docs, CASES[name], strict=True):
        for s in must:
            assert s in doc.text, f"{name}: {doc.title}: missing {s!r}"
        for s in must_not:
            assert s not in doc.text, f"{name}: {doc.title}: leaked {s!r}"
        assert doc.source == SOURCES[name]
        assert doc.path.startswith(f"feeds/{name}#")
        assert doc.language == "en"
        for h in doc.headings:
            assert doc.text[h.start:h.end] == h.text


def test_authors() -> None:
    docs, _ = read_docs(FEEDS / "rss2.xml", "rss2.xml")
    assert docs[0].author == "Elena Marsh"
    docs, _ = read_docs(FEEDS / "atom.xml", "atom.xml")
    assert docs[0].author == "Jonas Berg"
    docs, _ = read_docs(FEEDS / "jsonfeed.json", "jsonfeed.json")
    assert docs[0].author == "R. Okafor"


def test_duplicate_guid_is_skipped_and_reported() -> None:
    docs, errors = read_docs(FEEDS / "rss2.xml", "rss2.xml")
    assert len(docs) == 3
    assert [e.problem for e in errors] == ["entry 'fsw-2024-0412' repeats an earlier entry's id; skipped"]
    assert errors[0].path == str(FEEDS / "rss2.xml")


def test_json_feed_item_without_id_is_skipped_naming_the_feed() -> None:
    docs, errors = read_docs(FEEDS / "jsonfeed.json", "jsonfeed.json")
    assert len(docs) == 3
    assert len(errors) == 1 and "item 4 has no \"id\"" in str(errors[0]) and "jsonfeed.json" in str(errors[0])


def test_entry_paths_and_slugs_are_stable_when_entries_are_added(tmp_path: Path) -> None:
    before, _ = read_docs(FEEDS / "rss2.xml", "rss2.xml")
    xml = (FEEDS / "rss2.xml").read_text(encoding="utf-8").replace(
        "<item>", "<item><title>Newest</title><guid>new-1</guid><description>A new entry on top of the feed."
                  "</description></item>\n  <item>", 1)
    (tmp_path / "rss2.xml").write_text(xml, encoding="utf-8")
    after, _ = read_docs(tmp_path / "rss2.xml", "rss2.xml")
    assert [d.path for d in after[1:]] == [d.path for d in before]
    slugs_before = links.article_slugs(d.path for d in before)
    slugs_after = links.article_slugs(d.path for d in after)
    assert all(slugs_after[p] == s for p, s in slugs_before.items())
    assert len(set(slugs_after.values())) == len(after)
    assert all(s.startswith("rss2-") for s in slugs_after.values())


def test_read_file_refuses_a_feed_of_several() -> None:
    with pytest.raises(ReadError, match="holds 3 articles"):
        read_file(FEEDS / "rss2.xml", "rss2.xml")


@pytest.mark.parametrize("name, content, problem", [
    ("sitemap.xml", b"<?xml version='1.0'?><urlset><url><loc>https://x.example/</loc></urlset>", "not an RSS or Atom"),
    ("data.json", b'{"rows": [1, 2]}', "not a JSON Feed"),
    ("broken.json", b'{"version": "https://jsonfeed.org/version/1.1",\n "items": [\n', "not valid JSON"),
    ("noitems.json", b'{"version": "https://jsonfeed.org/version/1"}', "without an \"items\" list"),
])
def test_files_that_are_not_feeds_name_the_file(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(ReadError, match=problem) as info:
        read_docs(p, name)
    assert str(p) in str(info.value)


def test_json_error_names_the_line() -> None:
    with pytest.raises(ReadError) as info:
        parse_json_feed('{"version": "https://jsonfeed.org/version/1.1",\n "items": [,]}', "f.json")
    assert info.value.line == 2


def test_entry_without_text_is_skipped_others_kept(tmp_path: Path) -> None:
    p = tmp_path / "f.xml"
    p.write_text("<rss version='2.0'><channel><title>T</title><link>https://t.example/</link>"
                 "<item><title>Empty</title><guid>e1</guid></item>"
                 "<item><title>Full</title><guid>e2</guid><description>Some text here.</description></item>"
                 "</channel></rss>", encoding="utf-8")
    docs, errors = read_docs(p, "f.xml")
    assert [d.title for d in docs] == ["Full"]
    assert "neither content nor a summary" in str(errors[0])


def test_pipeline_reads_feed_entries_and_reports_skipped(tmp_path: Path) -> None:
    from generator.pipeline import BuildReport, read_sources

    for name in ("rss2.xml", "jsonfeed.json", "news-page.html"):
        (tmp_path / name).write_bytes((FEEDS / name).read_bytes())
    report = BuildReport()
    docs = read_sources([tmp_path], tmp_path, report)
    assert all(isinstance(d, SourceDoc) for d in docs)
    assert len(docs) == 3 + 3 + 1 == report.read
    assert len(report.skipped) == 2
    assert sorted(d.path.split("#")[0] for d in docs) == ["jsonfeed.json"] * 3 + ["news-page.html"] + ["rss2.xml"] * 3


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    p = tmp_path / "xxe.xml"
    p.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                 "<rss version='2.0'><channel><title>T</title><link>https://t.example/</link><item><title>X</title>"
                 "<guid>x1</guid><description>Before &xxe; after.</description></item></channel></rss>",
                 encoding="utf-8")
    docs, _ = read_docs(p, "xxe.xml")
    assert "TOP-SECRET" not in docs[0].text and "Before" in docs[0].text


def test_hostile_links_and_titles(tmp_path: Path) -> None:
    p = tmp_path / "h.json"
    p.write_text('{"version": "https://jsonfeed.org/version/1.1", "title": "Evil <b>feed</b>", "items": ['
                 '{"id": "1", "url": "javascript:alert(1)", "title": "[x](javascript:alert(1)) <script>",'
                 ' "content_text": "Body with <script>alert(1)</script> as plain text."},'
                 '{"id": "2", "url": "https://ok.example/a b", "content_html": "<p>No title here. Second.</p>"}]}',
                 encoding="utf-8")
    docs, errors = read_docs(p, "h.json")
    assert errors == []
    assert docs[0].url is None and docs[1].url is None  # only http(s) links without spaces are kept
    assert docs[0].title == "[x](javascript:alert(1)) <script>"  # kept as text; escaped when rendered
    assert "<script>alert(1)</script>" in docs[0].text  # content_text is text, not markup
    assert docs[1].title == "No title here"


@pytest.mark.parametrize("raw, date", [
    ("Fri, 12 Apr 2024 23:30:00 -0500", "2024-04-12"),  # the publisher's day, not UTC's 13 April
    ("Sat, 13 Apr 2024 00:30:00 +0200", "2024-04-13"),
    ("2024-04-12T23:30:00-05:00", "2024-04-12"),
    ("12 April 2024", "2024-04-12"),
    ("not a date", None),
])
def test_entry_dates_are_the_publishers_day(tmp_path: Path, raw: str, date: str | None) -> None:
    p = tmp_path / "d.xml"
    p.write_text(f"<rss version='2.0'><channel><title>T</title><link>https://t.example/</link><item><title>X</title>"
                 f"<guid>x1</guid><pubDate>{raw}</pubDate><description>Some text.</description></item></channel></rss>",
                 encoding="utf-8")
    docs, _ = read_docs(p, "d.xml")
    assert docs[0].date == date
