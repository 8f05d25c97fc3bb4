"""``generator.models.make`` builds the frozen models without their ``__init__``: the objects
must be exactly what the constructor makes, with every field set."""

from __future__ import annotations

from dataclasses import fields

from generator.extract import Extractor
from generator.kb import load_kb
from generator.models import Actor, Mention, SourceDoc, Span, Weapon, make

TEXT = ("Russian President Vladimir Putin met North Korean leader Kim Jong Un in Pyongyang.\n"
        "Putin said the Syrian Democratic Forces (SDF) fired T-72B3 tanks and drones near Mosul.")


def test_make_equals_the_constructor() -> None:
    span = Span(3, 8, "Putin")
    assert make(Span, {"start": 3, "end": 8, "text": "Putin"}) == span
    m = make(Mention, {"span": span, "sentence": 0})
    assert m == Mention(span, 0) and hash(m) == hash(Mention(span, 0))
    values = dict(id="a", name="A", type="person", mentions=(m,), aliases=("B",), role="r",
                  salience=0.5, discovered=True, affiliation=None)
    assert make(Actor, dict(values)) == Actor(**values)
    assert repr(make(Actor, dict(values))) == repr(Actor(**values))


def test_extracted_items_have_every_field_in_order() -> None:
    b = Extractor(load_kb()).extract(SourceDoc(path="p.txt", text=TEXT, title=TEXT.split("\n")[0]))
    assert b.actors and b.weapons
    for cls, items in ((Actor, b.actors), (Weapon, b.weapons)):
        names = [f.name for f in fields(cls)]
        for item in items:
            assert list(vars(item)) == names
            assert item == cls(**vars(item))
            for m in item.mentions:
                assert list(vars(m)) == ["span", "sentence"] and list(vars(m.span)) == ["start", "end", "text"]
                assert m == Mention(Span(m.span.start, m.span.end, m.span.text), m.sentence)


def test_briefings_read_back_from_the_cache_are_made_whole() -> None:
    from generator.cache import briefing_from_json, briefing_to_json
    from generator.models import Concern, Location

    text = TEXT + ("\nNorth Korea test-fired a ballistic missile in violation of UN sanctions, raising fears "
                   "of nuclear escalation.")
    b = Extractor(load_kb()).extract(SourceDoc(path="p.txt", text=text, title="A test"))
    back = briefing_from_json(briefing_to_json(b))
    assert back == b and repr(back) == repr(b)
    for cls, items in ((Actor, back.actors), (Weapon, back.weapons), (Location, back.locations),
                       (Concern, back.concerns)):
        assert items
        for item in items:
            assert list(vars(item)) == [f.name for f in fields(cls)]
            assert item == cls(**vars(item)) and hash(item) == hash(cls(**vars(item)))
    for s in (*back.sentences, *back.summary, *(e for c in back.concerns for e in c.evidence)):
        assert list(vars(s)) == ["start", "end", "text"] and s == Span(s.start, s.end, s.text)
