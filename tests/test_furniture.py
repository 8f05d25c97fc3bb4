"""Page furniture: captions, credits, bylines, datelines and prompts are found as spans; the prose
around them is not; extraction reads none of them. Every text here is invented."""

from __future__ import annotations

import pytest

from generator.extract import Extractor
from generator.kb import load_kb
from generator.readers.furniture import find_furniture
from generator.readers.text import parse_text

PROSE = "The coastal ministry said on Monday that the new ferry line would open in spring."
PROSE2 = "Harbour staff were hired in March, and the first tickets go on sale in April."

# (furniture line, what it is): each stands as its own paragraph between two prose paragraphs.
WHOLE_LINES = [
    ("Advertisement", "advertisement"),
    ("(KCNA/Reuters)", "agency credit"),
    ("Getty Images", "photo agency"),
    ("Photo by Lena Marsh/AFP", "photo credit"),
    ("Picture by Tom Reed, PA Wire", "photo credit with wire"),
    ("© AP Photo/Jo Fields", "copyright credit"),
    ("(Screengrab: Harbour TV)", "screengrab credit"),
    ("By Mara Quill | March 3, 2021 | 4:10am EST", "byline"),
    ("Reporting by Ann Vole; Editing by Rob Tern", "credits block"),
    ("March 3, 2021 / 7:02 PM / Updated an hour ago", "time line"),
    ("In this photo released by the port authority, cranes stand idle at dawn.", "caption opener"),
    ("Workers repaint the lighthouse at Cape Dorn on Tuesday. Photograph: Ed Lark/AFP via Getty Images",
     "caption with credit"),
    ("Sailors wave from the deck of the training ship. (Navy photo).", "caption with photo tag"),
    ("FILE - This file photo shows the harbour master at the Cape Dorn pier on Monday, May 15, 2030.",
     "agency file-photo caption"),
    ("Dock workers unload grain at the Cape Dorn pier, March 8, 2030. /Reuters Photo", "caption, slash credit"),
    ("Fresh snow on the pass pic.twitter.com/AbC123xyz", "embedded post residue"),
    ("Calm seas today #harbour #ferry #spring", "hashtags of an embedded post"),
    ("Subscribe today by clicking the link and stay updated with the latest news!", "subscribe prompt"),
    ("Leave a Comment", "comment box"),
    ("This is a developing story. Updates to follow.", "developing story note"),
]


@pytest.mark.parametrize(("line", "kind"), WHOLE_LINES, ids=[k for _, k in WHOLE_LINES])
def test_a_furniture_line_is_found_whole(line: str, kind: str) -> None:
    text = f"Ferry line to open\n\n{PROSE}\n\n{line}\n\n{PROSE2}\n"
    doc = parse_text(text, "a.txt")
    assert [f.text for f in doc.furniture] == [line], kind
    assert PROSE not in " ".join(f.text for f in doc.furniture)


DATELINES = [
    ("SEOUL, April 14 (UPI) -- ", "caps place, date, agency, double dash"),
    ("MOSCOW, July 29. /TASS/. ", "caps place, date, slashed agency"),
    ("BAMAKO (Reuters) - ", "caps place and agency"),
    ("Harbourton, Jul 29 (IANS): ", "title-case place, date, agency"),
    ("PORTVILLE — ", "caps place and a dash"),
    ("TAIPEI (Island News) — ", "caps place, outlet, dash"),
]


@pytest.mark.parametrize(("dateline", "kind"), DATELINES, ids=[k for _, k in DATELINES])
def test_a_dateline_is_cut_from_its_sentence(dateline: str, kind: str) -> None:
    text = f"Ferry line to open\n\n{dateline}{PROSE}\n\nA second paragraph follows here.\n"
    doc = parse_text(text, "a.txt")
    assert [f.text for f in doc.furniture] == [dateline.strip()], kind


NOT_FURNITURE = [
    ("According to the harbour agency Reuters.", "attribution in prose"),
    ("The BMP-3 vehicles rolled past the gate.", "designator with a hyphen"),
    ("THE FERRY WAR: Tension rises after the port closes.", "a kicker in capitals is no dateline"),
    ("Kim Doran said the ferry would run daily from May 9.", "prose with a date"),
    ("Be sure to follow the minister on her page for updates on the ferry.", "prose naming a prompt"),
]


@pytest.mark.parametrize(("line", "kind"), NOT_FURNITURE, ids=[k for _, k in NOT_FURNITURE])
def test_prose_is_not_furniture(line: str, kind: str) -> None:
    text = f"Ferry line to open\n\n{PROSE}\n\n{line}\n\n{PROSE2}\n"
    assert parse_text(text, "a.txt").furniture == (), kind


def test_a_credit_marks_the_caption_right_above_it() -> None:
    caption = "Passengers board the first ferry at the new pier on Tuesday."
    text = f"Ferry line to open\n\n{PROSE}\n\n{caption}\n\n(Lena Marsh/Getty Images)\n\n{PROSE2}\n"
    spans = [f.text for f in parse_text(text, "a.txt").furniture]
    assert spans == [caption, "(Lena Marsh/Getty Images)"]


def test_a_paragraph_that_reports_is_no_caption_even_above_a_credit() -> None:
    prose = "The ministry added that the pier had been inspected twice."
    text = f"Ferry line to open\n\n{PROSE}\n\n{prose}\n\n(Harbour TV image)\n"
    assert [f.text for f in parse_text(text, "a.txt").furniture] == ["(Harbour TV image)"]


def test_an_agency_tag_closing_prose_is_furniture_alone() -> None:
    text = f"Ferry line to open\n\n{PROSE}\n\nThe last ferry ran on May 9. (Kyodo)\n"
    assert [f.text for f in parse_text(text, "a.txt").furniture] == ["(Kyodo)"]


def test_a_related_links_list_is_furniture_to_its_end() -> None:
    text = (f"Ferry line to open\n\n{PROSE}\n\nRead more:\nPort strike ends after two days\n"
            "New pier wins design prize\n")
    spans = [f.text for f in parse_text(text, "a.txt").furniture]
    assert spans == ["Read more:\nPort strike ends after two days\nNew pier wins design prize"]


def test_the_headline_repeated_below_is_furniture_the_title_is_not() -> None:
    text = f"Ferry line to open in spring\n\nFerry line to open in spring\n\n{PROSE}\n"
    doc = parse_text(text, "a.txt")
    assert doc.title == "Ferry line to open in spring"
    assert [(f.start, f.text) for f in doc.furniture] == [(30, "Ferry line to open in spring")]


def test_spans_are_offsets_into_the_text_as_decoded() -> None:
    text = "Fähre fährt\n\nSEOUL, Nov. 29 (Yonhap) — Die Fähre “Nord” fährt ab Mai.\n\n© AP Photo/Jo Fields\n"
    for f in find_furniture(text, 13):
        assert text[f.start:f.end] == f.text


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_kb())


def test_extraction_reads_no_furniture(extractor: Extractor) -> None:
    text = ("Harbour talks stall\n\n"
            "SEOUL, April 14 (UPI) -- Norway and Chile ended talks on the harbour treaty on Monday "
            "without an agreement, officials said.\n\n"
            "In this photo released by the Harbour Agency, Vladimir Putin waves at a ferry.\n\n"
            "(KCNA/Reuters)\n\n"
            "Delegates from Norway said they would return to the table in June.\n\n"
            "Chile's envoy said the treaty text was nearly ready for both parliaments.\n")
    b = extractor.extract(parse_text(text, "a.txt"), summary_sentences=3)
    names = {a.name for a in b.actors}
    assert {"Norway", "Chile"} <= names
    assert "Vladimir Putin" not in names and "Reuters" not in names
    assert not any("photo" in s.text or "UPI" in s.text or "KCNA" in s.text for s in b.summary)
    assert b.summary[0].text.startswith("Norway and Chile ended talks")


def test_summary_skips_run_ons_and_the_headline_again(extractor: Extractor) -> None:
    run_on = " ".join(["and the ferry line would stop at the harbour"] * 8)
    text = (f"Ferry line to open\n\nFerry line to open.\n\nThe ferry line opens in spring {run_on}.\n\n"
            "The ministry said the ferry line would carry two thousand passengers a day.\n\n"
            "Harbour staff were hired for the ferry line in March.\n")
    b = extractor.extract(parse_text(text, "a.txt"), summary_sentences=3)
    assert b.summary and all(len(s.text.split()) <= 60 for s in b.summary)
    assert all(s.text != "Ferry line to open." for s in b.summary)


def test_a_standfirst_under_the_headline_is_furniture() -> None:
    text = f"Ferry line to open\n\nMore than 300 jobs as new harbour route starts in the spring\n\n{PROSE}\n"
    assert [f.text for f in parse_text(text, "a.txt").furniture] == [
        "More than 300 jobs as new harbour route starts in the spring"]


def test_a_line_repeating_a_later_sentence_is_furniture_whatever_its_quotes() -> None:
    sub = "The coastal ministry on Monday confirmed the 'Nordlys' ferry line would open in spring"
    body = "The coastal ministry on Monday confirmed the “Nordlys” ferry line would open in spring."
    text = f"Ferry line to open\n\n{sub}\n\nHarbour staff were hired in March.\n\n{body}\n"
    assert [f.text for f in parse_text(text, "a.txt").furniture] == [sub]


def test_sentences_run_together_without_a_space_are_split() -> None:
    from generator.extract.sentences import split_sentences

    text = 'The ferry called it a "fresh start".The first crossing sold out.Tickets went on sale in May.'
    assert [s.text for s in split_sentences(text)] == [
        'The ferry called it a "fresh start".', "The first crossing sold out.", "Tickets went on sale in May."]


MORE_LINES = [
    ("• Port strike ends after two days\n• Unions welcome the deal: 'A fair result'", "bulleted links"),
    ("Times Courier - - World - JANE ROE and JOHN DOE", "byline in capitals"),
    ("Browse through our events calendar for the week ahead!", "browse prompt"),
]


@pytest.mark.parametrize(("line", "kind"), MORE_LINES, ids=[k for _, k in MORE_LINES])
def test_more_furniture_lines(line: str, kind: str) -> None:
    text = f"Ferry line to open\n\n{PROSE}\n\n{line}\n\n{PROSE2}\n"
    assert [f.text for f in parse_text(text, "a.txt").furniture] == [line], kind


def test_a_caption_repeated_line_for_line_is_furniture_both_times() -> None:
    cap = "Watch the best moments of the harbour regatta as the two crews race for the cup."
    text = f"Ferry line to open\n\n{PROSE}\n\n{cap}\n{cap}\n\n{PROSE2}\n"
    assert [f.text for f in parse_text(text, "a.txt").furniture] == [f"{cap}\n{cap}"]


def test_a_byline_carries_the_name_again_and_the_authors_note() -> None:
    text = (f"Ferry line to open\n\nBy Mara Quill\nMara Quill\nMara has reported for the Harbour Times since 2011.\n\n"
            f"{PROSE}\n")
    assert [f.text for f in parse_text(text, "a.txt").furniture] == [
        "By Mara Quill\nMara Quill\nMara has reported for the Harbour Times since 2011."]


def test_image_alt_text_and_its_caption() -> None:
    text = (f"Ferry line to open\n\n{PROSE}\n\nharbour ferry at dawn\nCrews load the first ferry at the new pier "
            f"on Tuesday.\n{PROSE2}\n")
    assert [f.text for f in parse_text(text, "a.txt").furniture] == [
        "harbour ferry at dawn\nCrews load the first ferry at the new pier on Tuesday."]


def test_a_headline_glued_to_a_dateline() -> None:
    text = (f"Ferry line to open\n\nFerry line opens at the new harbour pierPORTVILLE: {PROSE}\n\n{PROSE2}\n")
    spans = [f.text for f in parse_text(text, "a.txt").furniture]
    assert spans == ["Ferry line opens at the new harbour pierPORTVILLE:"]


def test_related_links_with_teasers() -> None:
    text = (f"Ferry line to open\n\n{PROSE}\n\nMost Popular\nPort strike ends after two days\n"
            "Dock workers returned on Friday after the union accepted a new offer from the port.\n")
    spans = [f.text for f in parse_text(text, "a.txt").furniture]
    assert spans == ["Most Popular\nPort strike ends after two days\nDock workers returned on Friday after the "
                     "union accepted a new offer from the port."]


def test_the_source_text_keeps_furniture_lines_marked() -> None:
    from generator.render.highlight import linked_lines

    text = f"Ferry line to open\n\n{PROSE}\n\n(KCNA/Reuters)\n"
    doc = parse_text(text, "a.txt")
    lines = linked_lines(doc.text, [], doc.headings, doc.furniture)
    assert [(str(line.markup), line.furniture) for line in lines][1:] == [
        (PROSE, False), ("&#40;KCNA/Reuters&#41;", True)]


def test_alt_text_read_as_the_title_still_marks_its_caption() -> None:
    text = f"harbour ferry at dawn\nCrews load the first ferry at the new pier on Tuesday.\n{PROSE}\n"
    doc = parse_text(text, "a.txt")
    assert [f.text for f in doc.furniture] == ["Crews load the first ferry at the new pier on Tuesday."]
