"""Saved pages: the main text reaches the SourceDoc, boilerplate does not, metadata fills the fields.

Scored the way trafilatura's own evaluation scores extractors: for each page, strings that must be
in the output and strings that must not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from generator.readers import ReadError, read_file
from generator.readers.html import html_to_text, parse_html

PAGES = Path(__file__).parent / "fixtures" / "intake"

# name: (must appear, must not appear, metadata)
CASES: dict[str, tuple[list[str], list[str], dict[str, object]]] = {
    "news-page.html": (
        ["A wave of long-range drones struck a fuel depot on the outskirts of Sevastopol",
         "at least three reached the depot, which supplies vessels of the Black Sea Fleet",
         "Analysts at the Institute for Maritime Studies said repeated attacks",
         "Every depot that burns pushes the fleet's refuelling further",
         "Officials in Kyiv did not comment directly on the strike"],
        ["We use cookies", "Accept all", "Manage preferences", "Subscribe today", "Economy", "Morning Brief",
         "Related stories", "Ferry traffic resumes", "seagull77", "fake news", "I saw the smoke",
         "All rights reserved", "Privacy policy", "TRACKER_SECRET_TOKEN", "analytics-should-never-appear",
         "INLINE_SCRIPT_MARKER", "gtag", "trackPageView", "acceptCookies", "font-family", "23 comments"],
        {"title": "Drone strikes hit fuel depot near Sevastopol", "source": "Harbour Watch",
         "author": "Maria Lindqvist", "date": "2024-03-14", "language": "en",
         "url": "https://harbourwatch.example/news/2024/03/drone-strikes-fuel-depot"},
    ),
    "blog-page.html": (
        ["a second long-range surveillance radar has entered service on the eastern border",
         "Engineers say the system can track aircraft and cruise missiles at low altitude",
         "We now see what used to be invisible until the last minute",
         "Critics in parliament argue that the procurement bypassed competitive tender",
         "Range: about 450 kilometres against large targets",
         "a third radar is planned for the northern coast"],
        ["stores cookies", "OK, got it", "Popular posts", "ten most read", "Share on social media",
         "Tweet this post", "Email to a friend", "cost overruns", "cheap watches", "Leave a Reply",
         "Post Comment", "PIWIK_MARKER", "_paq"],
        {"title": "Why the new air defence radar matters", "source": "Arms Control Notes",
         "author": "Tomasz Nowak", "date": "2023-11-02", "language": "en",
         "url": "https://armscontrolnotes.example/2023/11/radar"},
    ),
    "consent-inside-article.html": (
        ["The navy completed the first sea trials of an uncrewed surface vessel",
         "is meant to spot mines and fast attack boats",
         "a decision on series production would be taken after further trials",
         "Opposition lawmakers welcomed the trials"],
        ["Your privacy matters", "143 partners", "privacy centre", "Defence Daily newsletter", "CMP_SCRIPT_MARKER"],
        {"title": "Navy tests new sea drone off the coast", "source": "Coastal Defence Review",
         "author": "Priya Raman", "date": "2024-07-02", "language": "en",
         "url": "https://coastaldefence.example/2024/07/sea-drone"},
    ),
    "inline-promos.html": (
        ["The government launched a ballistic missile into the sea on Sunday morning",
         "Officials said the missile flew about 600 kilometres",
         "Related incidents were reported twice last year",  # a sentence, not a "Related:" label
         "more launches were likely in the coming weeks, according to a report by a research institute"],
        ["Why the latest launches matter", "Satellite photos show new launch pad", "Five things to know",
         "Footage of the launch", "Follow us", "Advertisement", "Regional Times ©"],
        {"title": "Missile test condemned by neighbours", "source": "Regional Times", "author": "Kenji Watanabe",
         "date": "2024-09-08", "language": "en", "url": "https://regionaltimes.example/2024/09/missile-test"},
    ),
    "german-page.html": (
        ["Die Bundesregierung hat am Montag die Beschaffung von vier weiteren Flugabwehrsystemen beschlossen",
         "um wichtige Häfen und Industrieanlagen gegen Angriffe aus der Luft zu schützen",
         "forderten eine schnellere Lieferung der bestellten Munition"],
        ["Wir verwenden Cookies", "Zustimmen", "Startseite", "Endlich passiert etwas", "Impressum"],
        {"title": "Bundeswehr erhält weitere Flugabwehrsysteme", "source": "Nordkurier Beispiel",
         "author": "Anna Schäfer", "date": "2024-05-06", "language": "de",
         "url": "https://nordkurier.example/politik/flugabwehr"},
    ),
    "cp1252-page.html": (
        ["Negotiators returned to Zürich on Wednesday for a third round of talks",
         "describing the atmosphere as “businesslike but cautious”",
         "“We’re not there yet,” a senior diplomat said"],
        ["Archive", "Impressum", "Ã", "\ufffd"],
        {"title": "Talks on missile limits resume in Zürich", "source": "Lakeside Gazette", "author": None,
         "date": "2022-09-21", "language": "en", "url": None},
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_main_text_in_boilerplate_out(name: str) -> None:
    must, must_not, _ = CASES[name]
    doc = read_file(PAGES / name, name)
    for s in must:
        assert s in doc.text, f"{name}: missing body text {s!r}"
    for s in must_not:
        assert s not in doc.text, f"{name}: boilerplate leaked {s!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_metadata(name: str) -> None:
    *_, meta = CASES[name]
    doc = read_file(PAGES / name, name)
    got = {k: getattr(doc, k) for k in meta}
    assert got == meta


@pytest.mark.parametrize("name", sorted(CASES))
def test_title_line_is_before_body_start_and_headings_are_exact(name: str) -> None:
    doc = read_file(PAGES / name, name)
    assert doc.text[:doc.body_start].strip() in ("", doc.title)
    for h in doc.headings:
        assert doc.text[h.start:h.end] == h.text


def test_subheading_is_a_heading_span() -> None:
    doc = read_file(PAGES / "news-page.html", "news-page.html")
    assert [h.text for h in doc.headings] == ["Pressure on naval logistics"]


def test_page_reading_is_deterministic() -> None:
    a = read_file(PAGES / "news-page.html", "n.html")
    b = read_file(PAGES / "news-page.html", "n.html")
    assert a == b


def test_fetched_url_is_used_when_the_page_has_no_canonical() -> None:
    html = (PAGES / "cp1252-page.html").read_bytes().decode("cp1252")
    doc = parse_html(html, "x.html", "x.html", url="https://gazette.example/talks")
    assert doc.url == "https://gazette.example/talks"


@pytest.mark.parametrize("content, problem", [
    (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main article text"),
    (b"\x00\x01\x02\x03binary", "binary"),
    (b"   ", "empty"),
])
def test_bad_pages_name_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    p = tmp_path / "bad.html"
    p.write_bytes(content)
    with pytest.raises(ReadError, match=problem) as info:
        read_file(p, "bad.html")
    assert str(p) in str(info.value)


def test_html_to_text_drops_active_content_and_keeps_paragraphs() -> None:
    text, heads = html_to_text(
        '<p>First &amp; <b>bold</b> <a href="/x" onclick="evil()">link</a>.</p><script>SCRIPT()</script>'
        '<h2>Sub head</h2><iframe src="x">FRAME</iframe><p>Second<br>line.</p>'
        '<img src="https://pixel.example/p.gif"><style>.a{}</style><form>FORM<input></form>'
        '<p><a href="/full">Continue reading…</a></p><p>The post Sub head appeared first on Example Blog.</p>')
    assert text == "First & bold link.\n\nSub head\n\nSecond\n\nline.\n"
    assert [h.text for h in heads] == ["Sub head"]
    assert text[heads[0].start:heads[0].end] == "Sub head"


@given(st.text(alphabet=st.sampled_from(list("<>/ab pscript=\"'&;#x0-\n")), max_size=200))
@settings(max_examples=examples(200), deadline=None)
def test_html_to_text_never_fails_on_broken_markup(fragment: str) -> None:
    text, heads = html_to_text(fragment)
    assert isinstance(text, str)
    for h in heads:
        assert text[h.start:h.end] == h.text


def test_minified_one_line_page_and_utf16_page(tmp_path: Path) -> None:
    html = (PAGES / "news-page.html").read_text(encoding="utf-8")
    padding = "<script>var blob='" + "A" * 250_000 + "';</script>"
    one_line = html.replace("\n", " ").replace("</head>", padding + "</head>")
    (tmp_path / "min.html").write_text(one_line, encoding="utf-8")
    doc = read_file(tmp_path / "min.html", "min.html")
    assert "Officials in Kyiv did not comment directly" in doc.text and "AAAA" not in doc.text
    (tmp_path / "u16.html").write_bytes(html.encode("utf-16"))
    assert read_file(tmp_path / "u16.html", "u16.html").text == read_file(PAGES / "news-page.html", "x").text


def test_line_break_inside_a_paragraph_separates_words() -> None:
    html = ("<html><head><title>Line break test page title</title></head><body><article>"
            "<h1>Line break test page title</h1><p>First line of the address block is here and long enough to keep"
            "<br>second line of it continues after a break with more words in it.</p><p>Another paragraph with "
            "<b>bold</b> words and <a href='/x'>a link</a> inside, long enough for the extractor to keep it.</p>"
            "</article></body></html>")
    doc = parse_html(html, "x.html", "x.html")
    assert "long enough to keep second line" in doc.text
    assert "with bold words and a link inside" in doc.text
