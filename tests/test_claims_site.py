"""Claims on the site: "Who says what" on briefing pages, statements on actor dossiers, a feed per
dossier, claims in the JSON exports, and wire copies kept as reports.

Briefings are the site fixture's (facts known, claims found by the extraction's own function), with
claims set by hand where a case needs a speaker the fixture lacks; spans are real offsets.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from sitefixture import fixture_briefings, fixture_kb

from generator import links
from generator.corpus import Corpus
from generator.dedupe import drop_duplicates, near_duplicates, sketch, text_key
from generator.models import Briefing, Claim, SourceDoc, Speaker
from generator.outputs import site_outputs
from generator.pipeline import build_corpus
from generator.render import Renderer
from generator.render.exports import briefings_json
from generator.render.feeds import WATCH_FEED_ITEMS, entity_feed_xml

PUTIN = "putin-thanks-north-korea.md"
SITE_URL = "https://briefs.example/"


def _briefings() -> dict[str, Briefing]:
    return {b.doc.path: b for b in fixture_briefings(fixture_kb())}


def _claim(b: Briefing, sentence: int, words: str, cue: str, speaker_id: str | None = None,
           name: str | None = None, direct: bool = False) -> Claim:
    """A claim on sentence ``sentence`` of ``b``, its speaker the first ``words`` in that sentence."""
    s = b.sentences[sentence]
    start = b.doc.text.index(words, s.start)
    assert start < s.end, f"{words!r} is not in sentence {sentence}"
    return Claim(Speaker(speaker_id, name or words, words, start, start + len(words)), cue, s, direct)


def _corpus(briefings: dict[str, Briefing]) -> Corpus:
    slugs = links.article_slugs(briefings)
    return build_corpus({slugs[p]: b for p, b in briefings.items()}, fixture_kb())


def _section(page: str, heading: str) -> str:
    start = page.index(heading)
    end = page.find("\n## ", start + len(heading))
    return page[start:end if end >= 0 else None]


# ---- "Who says what" on briefing pages -------------------------------------------------------------

WHO_SAYS_WHAT = [
    # (case, claim made of the Putin article's briefing, fragments the section shows, fragments it must not)
    ("a speaker resolved to an actor links to its dossier",
     lambda b: _claim(b, 0, "Vladimir Putin", "said", "vladimir-putin"),
     ["**[Vladimir Putin](../actors/vladimir-putin.md)** said (reported speech):",
      "> Russian President <mark>Vladimir Putin</mark> thanked North Korea"], []),
    ("an unnamed speaker is kept as written",
     lambda b: _claim(b, 1, "US officials", "alleged", None, "US officials"),
     ["**US officials** alleged (reported speech):", "> <mark>US officials</mark> previously alleged"],
     ["](../actors/"]),
    ("a resolved speaker without a dossier is shown as written, not linked",
     lambda b: _claim(b, 1, "US officials", "alleged", "not-an-entity", "Officials of nowhere"),
     ["**US officials** alleged"], ["Officials of nowhere", "](../actors/not-an-entity"]),
    ("a quoted sentence is marked direct",
     lambda b: _claim(b, 2, "Putin", "said", "vladimir-putin", "Vladimir Putin", direct=True),
     ["**[Vladimir Putin](../actors/vladimir-putin.md)** said (direct quote):"], ["reported speech"]),
    ("the sentence's span in the source text is given",
     lambda b: _claim(b, 1, "US officials", "alleged"),
     ["*Characters {start}–{end} of the source text.*"], []),
]


@pytest.mark.parametrize("case, make, shown, hidden", WHO_SAYS_WHAT, ids=[c[0] for c in WHO_SAYS_WHAT])
def test_who_says_what_on_the_briefing_page(case: str, make, shown: list[str], hidden: list[str]) -> None:
    briefings = _briefings()
    b = briefings[PUTIN]
    claim = make(b)
    briefings[PUTIN] = dataclasses.replace(b, claims=(claim,))
    page = Renderer(_corpus(briefings)).briefing("putin-thanks-north-korea")
    section = _section(page, "## Who says what")
    for fragment in shown:
        assert fragment.format(start=claim.span.start, end=claim.span.end) in section, (case, section)
    for fragment in hidden:
        assert fragment not in section, (case, section)
    # One claim: its sentence, a blank quote line and its span, quoted.
    assert sum(1 for line in section.splitlines() if line.startswith(">")) == 3


def test_a_hostile_speaker_and_sentence_are_escaped() -> None:
    briefings = _briefings()
    b = briefings[PUTIN]
    hostile = "<img src=x onerror=alert(1)> [x](javascript:alert(2)) *Zorblax*"
    claim = _claim(b, 1, "US officials", "alleged")
    claim = dataclasses.replace(claim, speaker=dataclasses.replace(claim.speaker, text=hostile, name=hostile))
    briefings[PUTIN] = dataclasses.replace(b, claims=(claim,))
    section = _section(Renderer(_corpus(briefings)).briefing("putin-thanks-north-korea"), "## Who says what")
    assert "<img" not in section and "](javascript" not in section and "*Zorblax*" not in section
    assert "**&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#91;x&#93;&#40;javascript&#58;" in section


def test_a_briefing_without_claims_says_so() -> None:
    briefings = _briefings()
    briefings[PUTIN] = dataclasses.replace(briefings[PUTIN], claims=())
    page = Renderer(_corpus(briefings)).briefing("putin-thanks-north-korea")
    assert "## Who says what\n\nNo attributed statements were found.\n" in page


def test_claim_spans_shown_are_the_sentences_carrying_the_cue() -> None:
    found = [(b, c) for b in fixture_briefings(fixture_kb()) for c in b.claims]
    assert len(found) >= 3
    for b, c in found:
        assert c.span in b.sentences and c.span.text == b.doc.text[c.span.start:c.span.end]
        assert c.speaker.start >= c.span.start and c.speaker.end <= c.span.end
        assert c.cue in c.span.text.lower(), c


# ---- statements on actor dossiers ----------------------------------------------------------------

def _dated_copies(dates: list[str]) -> dict[str, Briefing]:
    """Copies of the Putin article dated as given, each with a claim by Putin and the fixture's claim
    by "US officials" about North Korea and Russia."""
    base = _briefings()[PUTIN]
    by_putin = _claim(base, 2, "Putin", "said", "vladimir-putin", "Vladimir Putin")
    out = {}
    for i, date in enumerate(dates):
        doc = dataclasses.replace(base.doc, path=f"copies/{i:02d}-{PUTIN}", date=date, url=None)
        out[doc.path] = dataclasses.replace(base, doc=doc, claims=(by_putin, *base.claims))
    return out


DATES = ["2023-03-01", "2023-09-01", "2023-05-01", "2023-01-01"]
STATEMENTS = [
    # (actor, cap, heading, how many lines it lists; None: no such section)
    ("vladimir-putin", 20, "## Statements by Vladimir Putin, newest first", 4),
    ("vladimir-putin", 2, "## Statements by Vladimir Putin, newest first", 2),
    ("vladimir-putin", 20, "## Statements about Vladimir Putin", None),  # its own claims are not "about" it
    ("north-korea", 20, "## Statements about North Korea, newest first", 4),
    ("north-korea", 3, "## Statements about North Korea, newest first", 3),
    ("north-korea", 20, "## Statements by North Korea", None),
    ("north-korea", 0, "## Statements about North Korea", None),
]


@pytest.mark.parametrize("actor, cap, heading, count", STATEMENTS)
def test_actor_dossiers_list_statements_by_and_about_newest_first(actor: str, cap: int, heading: str,
                                                                   count: int | None) -> None:
    corpus = _corpus(_dated_copies(DATES))
    page = Renderer(corpus, statements=cap).entity(corpus.entities[("actor", actor)])
    if count is None:
        assert heading not in page
        return
    section = _section(page, heading)
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == count
    shown = [line[2:12] for line in lines]
    assert shown == sorted(DATES, reverse=True)[:count]  # newest first, the cap keeping the newest
    assert section.count("\n    > ") == count  # each with its sentence quoted
    if "by" in heading:
        assert section.count("**[Vladimir Putin](vladimir-putin.md)** said (reported speech):") == count
    else:
        assert section.count("**US officials** alleged (reported speech):") == count


def test_only_actor_dossiers_list_statements() -> None:
    corpus = _corpus(_dated_copies(DATES))
    r = Renderer(corpus)
    for info in corpus.entities.values():
        if info.kind != "actor":
            assert "## Statements" not in r.entity(info), info.key


# ---- a feed per dossier ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outputs() -> tuple[Corpus, dict[str, str | bytes]]:
    corpus = _corpus(_briefings())
    return corpus, site_outputs(corpus, SITE_URL)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def test_every_dossier_has_a_valid_feed_of_its_briefings_newest_first(
        outputs: tuple[Corpus, dict[str, str | bytes]]) -> None:
    corpus, out = outputs
    kinds_seen = set()
    for info in corpus.entities.values():
        if info.kind == "story":
            continue  # a story's feed lists its reports (tests/test_story_pages.py)
        path = links.entity_feed_path(info.kind, info.id)
        channel = ET.fromstring(_text(out[path])).find("channel")
        assert channel is not None, path
        assert channel.findtext("link") == SITE_URL + links.page_url(links.entity_path(info.kind, info.id))
        assert channel.findtext("title", "").endswith(": briefings")
        slugs = list(dict.fromkeys(r.slug for r in info.refs))
        got = [item.findtext("link") for item in channel.findall("item")]
        assert got == [SITE_URL + links.page_url(links.briefing_path(s)) for s in slugs], path
        assert all(item.findtext("title") and item.findtext("guid") for item in channel.findall("item"))
        # Linked from its dossier, relatively, beside it.
        page = _text(out[links.entity_path(info.kind, info.id)])
        assert f"[RSS feed]({path.rsplit('/', 1)[1]})" in page
        kinds_seen.add(info.kind)
    assert kinds_seen == {"actor", "weapon", "concern", "place"}


@pytest.mark.parametrize("cap", [1, 2, WATCH_FEED_ITEMS])
def test_a_dossier_feed_is_capped(cap: int) -> None:
    corpus = _corpus(_dated_copies(DATES))
    info = corpus.entities[("actor", "vladimir-putin")]
    channel = ET.fromstring(entity_feed_xml(corpus, info, SITE_URL, items=cap)).find("channel")
    assert channel is not None
    dates = [parsedate_to_datetime(item.findtext("pubDate", "")).date().isoformat()
             for item in channel.findall("item")]
    assert dates == sorted(DATES, reverse=True)[:cap]  # the newest, newest first
    assert parsedate_to_datetime(channel.findtext("lastBuildDate", "")).date().isoformat() == dates[0]


def test_a_hostile_entity_name_reaches_its_feed_as_plain_text(
        outputs: tuple[Corpus, dict[str, str | bytes]]) -> None:
    corpus, out = outputs
    hostile = [e for e in corpus.entities.values() if "<" in e.name]
    assert hostile, "the site fixture has an entity with markup in its name"
    for info in hostile:
        raw = _text(out[links.entity_feed_path(info.kind, info.id)])
        title = ET.fromstring(raw).findtext("channel/title", "")
        assert "<" not in title and ">" not in title and "‹" in title
        assert "<img" not in raw


# ---- claims in the JSON exports --------------------------------------------------------------------

def test_briefings_json_carries_each_briefings_claims() -> None:
    briefings = _briefings()
    b = briefings[PUTIN]
    briefings[PUTIN] = dataclasses.replace(b, claims=(_claim(b, 0, "Vladimir Putin", "said", "vladimir-putin",
                                                             direct=True), *b.claims))
    corpus = _corpus(briefings)
    listed = {rec["slug"]: rec for rec in json.loads(briefings_json(corpus))}
    assert all("claims" in rec for rec in listed.values())
    for slug, rec in listed.items():
        full = corpus.briefings[slug].to_record()["claims"]  # what `briefing extract` prints
        assert rec["claims"] == [{k: v for k, v in c.items() if k != "text"} for c in full], slug
    assert listed["putin-thanks-north-korea"]["claims"] == [
        {"speaker": {"id": "vladimir-putin", "name": "Vladimir Putin", "text": "Vladimir Putin"}, "cue": "said",
         "start": b.sentences[0].start, "end": b.sentences[0].end, "direct": True},
        {"speaker": {"id": None, "name": "US officials", "text": "US officials"}, "cue": "alleged",
         "start": b.sentences[1].start, "end": b.sentences[1].end, "direct": False}]


def test_extract_records_keep_their_claim_shape() -> None:
    b = _briefings()[PUTIN]
    assert b.to_record()["claims"] == [
        {"speaker": {"id": None, "name": "US officials", "text": "US officials"}, "cue": "alleged",
         "start": b.sentences[1].start, "end": b.sentences[1].end, "text": b.sentences[1].text, "direct": False}]


# ---- wire copies kept ------------------------------------------------------------------------------

TEXT = ("Ferry crossings across the strait were suspended on Wednesday as gales reached the coast, the port "
        "authority said. The first sailings could resume on Thursday if the wind drops as forecast, and "
        "lorry drivers queued along the harbour road while staff handed out water and blankets.\n")
EDITED = TEXT.replace("lorry drivers queued", "truck drivers waited")
COPIES = [
    # (case, the second article as (text, source, url), whether it is kept)
    ("the same file saved twice", (TEXT, None, None), False),
    ("the same URL, another text", ("Another story entirely, about a bridge.\n", None, "https://harbour.example/1"),
     False),
    ("the same outlet's text at another of its URLs", (TEXT, "Harbour Times", "https://harbour.example/2"), False),
    ("the same outlet's text without a URL", (TEXT, "Harbour Times", None), False),
    ("the same text from another outlet", (TEXT, "Valley Courier", "https://courier.example/9"), True),
    ("the same text from another outlet, no URL", (TEXT, "Valley Courier", None), True),
    ("the same text at another URL, no outlet named", (TEXT, None, "https://courier.example/9"), True),
    ("an edited copy from another outlet", (EDITED, "Valley Courier", "https://courier.example/9"), True),
    ("an edited copy by the same outlet", (EDITED, "Harbour Times", "https://harbour.example/2"), True),
]


@pytest.mark.parametrize("case, second, kept", COPIES, ids=[c[0] for c in COPIES])
def test_wire_copies_are_kept_and_true_duplicates_refused(case: str, second: tuple[str, str | None, str | None],
                                                           kept: bool) -> None:
    text, source, url = second
    docs = [SourceDoc("a.md", TEXT, "A", source="Harbour Times", url="https://harbour.example/1"),
            SourceDoc("b.md", text, "B", source=source, url=url)]
    got, messages = drop_duplicates(docs)
    assert [d.path for d in got] == (["a.md", "b.md"] if kept else ["a.md"]), case
    assert len(messages) == (0 if kept else 1) and all(m.startswith("b.md: duplicate of a.md") for m in messages)


@pytest.mark.parametrize("source, url, warned", [
    ("Valley Courier", "https://courier.example/9", False),  # a wire copy, lightly edited: a report
    ("Harbour Times", "https://harbour.example/2", True),  # the same outlet's edit: one of the two is extra
    (None, None, True),  # nothing tells the two apart
])
def test_an_edited_copy_is_reported_only_when_no_other_outlet_published_it(source: str | None, url: str | None,
                                                                            warned: bool) -> None:
    items = [("a.md", text_key(TEXT), sketch(TEXT)), ("b.md", text_key(EDITED), sketch(EDITED))]
    origins = {"a.md": ("https://harbour.example/1", "Harbour Times"), "b.md": (url, source)}
    got = near_duplicates(items, origins)
    assert bool(got) == warned, got
    if warned:
        assert got[0].startswith("b.md: nearly the same text as a.md")
