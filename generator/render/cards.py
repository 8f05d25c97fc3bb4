"""A briefing's index card (:class:`generator.cards.Card`): its title and lead as escaped Markdown,
its evidence sentences as text with the mention's place, made once an article so cross-article pages
only join them."""

from __future__ import annotations

import itertools

from generator import kinds, stories
from generator.cards import QUOTE_END, QUOTE_MARK, Card, Mark, Said
from generator.dedupe import body_of, key_and_sketch
from generator.kb import KnowledgeBase
from generator.models import Briefing, Span
from generator.outlets import host_of, origin_of, outlet_of
from generator.render.escape import md
from generator.render.highlight import place_in


def claims_of(b: Briefing) -> tuple[Said, ...]:
    """The briefing's claims as its card keeps them, each with the other actors its sentence names."""
    out = []
    for c in b.claims:
        lo, hi = c.span.start, c.span.end
        about = tuple(a.id for a in b.actors
                      if a.id != c.speaker.id and any(lo <= m.span.start and m.span.end <= hi for m in a.mentions))
        speaker = Span(c.speaker.start, c.speaker.end, b.doc.text[c.speaker.start:c.speaker.end])
        out.append(Said(c.speaker.id or "", c.speaker.name, c.speaker.text, c.cue, lo, hi, c.direct, about,
                        c.span.text, place_in(c.span, speaker)))
    return tuple(out)


def card_of(b: Briefing, kb: KnowledgeBase | None = None) -> Card:
    """The briefing's card; ``kb`` tells its outlet and origin (without one: the front matter's source)."""
    marks: list[Mark] = []
    quotes: list[bytes] = []
    marked: list[bytes] = []
    for k in kinds.KINDS:
        for it in k.items(b):
            marks.append(Mark(k.name, it.id, it.name, it.subtype, it.discovered, it.aliases, it.salience,
                              it.mentions, it.broad))
            quotes.append(it.sentence.text.encode("utf-8") if it.sentence is not None else b"")
            marked.append(QUOTE_MARK.pack(*place_in(it.sentence, it.mention) if it.sentence is not None else (-1, -1)))
    d = b.doc
    summary = tuple(s.text for s in b.summary)
    ends = itertools.accumulate(map(len, quotes))
    key, shingles = key_and_sketch(body_of(d))
    report = stories.report_of(b)
    date = (report.date.year, report.date.month, report.date.day) if report.date is not None else None
    origin = origin_of(kb, d.source, d.url, d.text) if kb is not None else None
    known = outlet_of(kb, d.source, d.url) if kb is not None else None
    outlet = known.name if known is not None else (d.source or "").strip() or host_of(d.url)
    return Card(d.path, d.title, d.date, d.source, d.url, summary, key, tuple(marks), md(d.title),
                md(summary[0]) if summary else None, b"".join(quotes), b"".join(map(QUOTE_END.pack, ends)),
                b"".join(marked), shingles, stories.pack_vector(stories.features(report)), date, report.weekday,
                (origin.key, origin.name, origin.kind) if origin is not None else None, outlet or None,
                claims_of(b))
