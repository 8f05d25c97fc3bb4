"""Index cards: what the cross-article pages need from a briefing, kept so a build need not load it whole.

The pages that gather many briefings (entity pages, indexes, home, timeline, feed, the JSON index)
read only a little of each: its title, date and first summary sentence, its entities with their
salience, and for each entity the sentence that evidences it. A :class:`Card` holds exactly that,
with the evidence sentence already escaped and marked (:func:`generator.render.highlight.highlight`).
So adding one article to a site of 5,000 loads
5,000 small cards instead of 5,000 whole briefings, and renders a dossier of 3,000 briefings by
joining 3,000 prepared lines instead of highlighting 3,000 sentences again. Only the briefing pages
that are rendered again load their whole briefing (from the extraction cache).

:class:`CardStore` keeps the cards of the last build in one file under the cache folder, keyed by
the same article keys as the extraction cache. Its header holds the card format and the render
code's version: cards made by other code are never used. It is written atomically and read with
``marshal`` (plain tuples and strings; no code runs on load); an unreadable store is a miss, and
cards are made again from the extraction cache.
"""

from __future__ import annotations

import logging
import marshal
from pathlib import Path
from typing import Any, NamedTuple

from generator.dedupe import text_key
from generator.models import Briefing, Mention
from generator.render.highlight import highlight

log = logging.getLogger("briefing")

CARD_FORMAT = 1
"""Bump when the fields of Card or Mark change."""


class Mark(NamedTuple):  # tuples: 170,000 of them load in a fraction of a second at 5,000 articles
    """One actor, weapon or concern as a briefing's card lists it."""

    kind: str  # actor | weapon | concern
    id: str
    name: str  # the concern's label for a concern
    subtype: str  # actor type, weapon category, or the concern's label
    discovered: bool
    aliases: tuple[str, ...]
    salience: float  # the concern's score for a concern
    mentions: int  # how often it is named, or its evidence sentences
    broad: bool  # a class of weapon ("drones") rather than a named system
    quote: str | None  # the first evidencing sentence, escaped Markdown with the mention marked


class Card(NamedTuple):
    path: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    summary: tuple[str, ...]
    text_key: str  # dedupe.text_key of the article text: same text, same key
    marks: tuple[Mark, ...]  # actors, then weapons, then concerns, each in the briefing's order


def card_of(b: Briefing) -> Card:
    marks: list[Mark] = []

    def quote(mentions: tuple[Mention, ...]) -> str | None:
        if not mentions:
            return None
        m = mentions[0]
        if not 0 <= m.sentence < len(b.sentences):
            return None
        return str(highlight(b.sentences[m.sentence], m.span))

    for a in b.actors:
        marks.append(Mark("actor", a.id, a.name, a.type, a.discovered, tuple(a.aliases), a.salience,
                          len(a.mentions), False, quote(a.mentions)))
    for w in b.weapons:
        marks.append(Mark("weapon", w.id, w.name, w.category, w.discovered, tuple(w.aliases), w.salience,
                          len(w.mentions), w.generic, quote(w.mentions)))
    for c in b.concerns:
        ev = str(highlight(c.evidence[0], None)) if c.evidence else None
        marks.append(Mark("concern", c.id, c.label, c.label, False, (), c.score, len(c.evidence), False, ev))
    d = b.doc
    return Card(d.path, d.title, d.date, d.source, d.url, tuple(s.text for s in b.summary), text_key(d.text),
                tuple(marks))


# ---- the store -----------------------------------------------------------------------------------

Stored = tuple[tuple[Card, ...], tuple[str, ...]]  # a content file's cards and its skipped entries


def _pack(cards: tuple[Card, ...], skipped: tuple[str, ...]) -> tuple[object, ...]:
    # marshal stores plain tuples only, not their NamedTuple subclasses
    return tuple((*c[:7], tuple(tuple(m) for m in c.marks)) for c in cards), skipped


_new = tuple.__new__  # NamedTuple from a tuple without the Python-level __new__: 170,000 marks at 5,000 articles


def _unpack(v: Any) -> Stored:
    cards, skipped = v
    if any(len(c) != len(Card._fields) or any(len(m) != len(Mark._fields) for m in c[7]) for c in cards):
        raise ValueError("card of another shape")
    return tuple(_new(Card, (*c[:7], tuple([_new(Mark, m) for m in c[7]]))) for c in cards), tuple(skipped)


class CardStore:
    """The cards of the last build, by article key, in ``root/cards.bin``."""

    def __init__(self, root: Path, version: str) -> None:
        self.path = root / "cards.bin"
        self.version = f"cards-v{CARD_FORMAT}-{version}"
        self._raw: dict[str, Any] = {}

    def load(self) -> CardStore:
        try:
            header, raw = marshal.loads(self.path.read_bytes())
            if header == self.version and isinstance(raw, dict):
                self._raw = raw
        except (OSError, ValueError, EOFError, TypeError):
            log.debug("card store %s unusable; cards are made again", self.path)
        return self

    def get(self, key: str) -> Stored | None:
        v = self._raw.get(key)
        if v is None:
            return None
        try:
            return _unpack(v)
        except (TypeError, ValueError):
            return None

    def save(self, entries: dict[str, Stored]) -> None:
        from generator.cache import atomic_write_bytes

        raw = {k: self._raw[k] if k in self._raw else _pack(*v) for k, v in sorted(entries.items())}
        try:
            atomic_write_bytes(self.path, marshal.dumps((self.version, raw)))
        except OSError as exc:  # a store that cannot be written only costs time next run
            log.warning("could not write %s: %s", self.path, exc)
