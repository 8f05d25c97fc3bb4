"""A briefing's index card (:class:`generator.cards.Card`): its title, lead and evidence sentences as
escaped Markdown, made once when the briefing is extracted so cross-article pages only join them."""

from __future__ import annotations

import itertools

from generator import kinds
from generator.cards import QUOTE_END, Card, Mark
from generator.dedupe import body_of, key_and_sketch
from generator.models import Briefing, Span
from generator.render.escape import md
from generator.render.highlight import highlight


def _quoted(sentence: Span, mention: Span | None) -> bytes:
    """A card's form of an evidence sentence: escaped Markdown, the mention marked, UTF-8."""
    return str(highlight(sentence, mention)).encode("utf-8")


def card_of(b: Briefing) -> Card:
    marks: list[Mark] = []
    quotes: list[bytes] = []
    for k in kinds.KINDS:
        for it in k.items(b):
            marks.append(Mark(k.name, it.id, it.name, it.subtype, it.discovered, it.aliases, it.salience,
                              it.mentions, it.broad))
            quotes.append(_quoted(it.sentence, it.mention) if it.sentence is not None else b"")
    d = b.doc
    summary = tuple(s.text for s in b.summary)
    ends = itertools.accumulate(map(len, quotes))
    key, shingles = key_and_sketch(body_of(d))
    return Card(d.path, d.title, d.date, d.source, d.url, summary, key, tuple(marks), md(d.title),
                md(summary[0]) if summary else None, b"".join(quotes), b"".join(map(QUOTE_END.pack, ends)), shingles)
