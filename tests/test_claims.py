"""Claims: who says what, on invented sentences, one row a case; and hostile articles through it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.extract import Extractor
from generator.kb import load_kb
from generator.models import SourceDoc
from generator.pipeline import load_knowledge
from generator.readers import ReadError, discover, read_file
from generator.render.escape import html_text, md

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_knowledge(load_settings(Path("."))))


def claims_of(extractor: Extractor, body: str) -> list[dict[str, object]]:
    doc = SourceDoc(path="x.txt", text="Invented report\n\n" + body, title="Invented report", body_start=17)
    record = extractor.extract(doc).to_record()
    return record["claims"]  # type: ignore[return-value]


# (sentence, speaker name, the actor it resolves to (a KB or a discovered one) or None, cue, direct)
CASES = [
    ("Vladimir Putin said the talks in Vell had failed.", "Vladimir Putin", "vladimir-putin", "said", False),
    ("Russian President Vladimir Putin told reporters the talks had failed.", "Vladimir Putin",
     "vladimir-putin", "told", False),
    ("The harbour was closed on Monday, according to US officials.", "US officials", None, "according to", False),
    ("A senior South Korean official said the launch was a provocation.", "senior South Korean official",
     None, "said", False),
    ('"We will answer any attack," said Vladimir Putin.', "Vladimir Putin", "vladimir-putin", "said", True),
    ("The Kremlin denied that its ships had fired on the convoy.", "Kremlin", "kremlin", "denied", False),
    ("Sylvanian state media reported that the plant had been hit.", "Sylvanian state media", None,
     "reported", False),
    ("Dora Vance, the foreign minister of Sylvania, warned of reprisals.", "Dora Vance", "dora-vance", "warned", False),
    ("Sylvania's health minister, Ivo Brandt, said that 40 people were hurt.", "Ivo Brandt", "ivo-brandt", "said",
     False),
    ("The Sylvanian Defence Ministry (SDM) said in a statement that two drones were shot down.",
     "Sylvanian Defence Ministry", "sylvanian-defence-ministry", "said", False),
    ("Maj. Gen. Ivo Brandt confirmed the strike.", "Ivo Brandt", "ivo-brandt", "confirmed", False),
    ("According to the Vell Wire, the crew was released.", "Vell Wire", "vell-wire", "according to", False),
    ("Two security sources told the Vell Wire the president had been detained.", "Two security sources",
     None, "told", False),
    ("Kessel Lines has also claimed that the cargo was grain.", "Kessel Lines", "kessel-lines", "claimed", False),
]


@pytest.mark.parametrize(("sentence", "name", "actor_id", "cue", "direct"), CASES)
def test_claim_speaker_cue_and_span(extractor, sentence, name, actor_id, cue, direct):
    claims = claims_of(extractor, sentence)
    assert claims, sentence
    first = claims[0]
    speaker = first["speaker"]
    assert (speaker["name"], speaker["id"], first["cue"], first["direct"]) == (name, actor_id, cue, direct)
    text = "Invented report\n\n" + sentence
    # The claim's span is the sentence that carries the cue, offsets into the article text.
    assert text[first["start"]:first["end"]] == first["text"] == sentence


@pytest.mark.parametrize("sentence", [
    "The ship was reported missing on Monday.",  # a passive cue has no speaker
    "The so-called ceasefire held for a day.",
    "Rain fell on the port all week.",
])
def test_no_claim_without_a_speaker(extractor, sentence):
    assert claims_of(extractor, sentence) == []


def test_a_pronoun_speaks_for_the_person_named_before(extractor):
    claims = claims_of(extractor, "Vladimir Putin met the envoy on Monday. He said the talks had failed.")
    assert [(c["speaker"]["id"], c["speaker"]["text"]) for c in claims] == [("vladimir-putin", "He")]


def test_two_speakers_joined_by_and_are_two_claims(extractor):
    claims = claims_of(extractor, "Sylvanian state television and three Freedonian officials said the "
                                  "general was killed.")
    assert [c["speaker"]["name"] for c in claims] == ["Sylvanian state television", "three Freedonian officials"]


def test_a_denial_and_an_assertion_in_one_article(extractor):
    claims = claims_of(extractor, "The Freedonian navy said its boats seized the Marlow Star. "
                                  "Kessel Lines denied that the ship carried weapons.")
    assert [(c["speaker"]["name"], c["cue"]) for c in claims] == [("Freedonian navy", "said"),
                                                                   ("Kessel Lines", "denied")]


def test_hostile_articles_reach_claims_and_speakers_escape_to_plain_text():
    kb = load_kb([Path("generator/kb/data"), HOSTILE / "kb"])
    extractor = Extractor(kb)
    seen = 0
    for path, rel in discover(HOSTILE / "content"):
        try:
            doc = read_file(path, rel)
        except ReadError:  # a file the readers refuse has no claims to check
            continue
        briefing = extractor.extract(doc)
        json.dumps(briefing.to_record())  # the record serialises whatever the text holds
        for claim in briefing.claims:
            seen += 1
            assert doc.text[claim.span.start:claim.span.end] == claim.span.text
            assert doc.text[claim.speaker.start:claim.speaker.end] == claim.speaker.text
            for value in (claim.speaker.name, claim.speaker.text, claim.span.text):
                assert "<" not in md(value) and "<" not in html_text(value)
    assert seen > 0
