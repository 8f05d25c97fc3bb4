"""Index cards: what the cross-article pages need from a briefing, kept so a build need not load it whole.

The pages that gather many briefings (dossiers, indexes, home, timeline, feeds, the data files) read
only a little of each: its title, date and lead, its entities with their salience, each entity's
evidence sentence with the mention's place in it, its claims, and what story clustering reads. A
:class:`Card` holds exactly that. So adding one article to a site of 5,000 loads 5,000 small cards,
not 5,000 whole briefings; only the briefing pages rendered again load their whole briefing.

Cards are made by :mod:`generator.render.cards` from a briefing, packed here and kept beside the
briefing in the article's row of :class:`generator.cache.ExtractionCache`, whose key holds the hash
of the code: cards made by other code are never read.
"""

from __future__ import annotations

import functools
import logging
import marshal
import struct
from typing import NamedTuple

from generator.notes import Note
from generator.stories import Report
from generator.stories.dates import ReportDate

log = logging.getLogger("briefing")


class Mark(NamedTuple):  # tuples: a large site's cards hold a hundred thousand and more, loaded each build
    """One entity as a briefing's card lists it (see :class:`generator.kinds.Item`)."""

    kind: str  # a Kind.name
    id: str
    name: str  # the concern's label for a concern
    subtype: str  # actor type, weapon category, or the concern's label
    discovered: bool
    aliases: tuple[str, ...]
    salience: float  # the concern's score for a concern
    mentions: int  # how often it is named, or its evidence sentences
    broad: bool  # a class of weapon ("drones") rather than a named system


class Said(NamedTuple):
    """One claim as a briefing's card keeps it: for the statements on actor dossiers and the exports."""

    speaker_id: str  # the actor the speaker resolves to; "" when it is none ("US officials")
    speaker_name: str
    speaker_text: str  # as the article writes it
    cue: str
    start: int  # the sentence carrying the cue, as a character span of the article
    end: int
    direct: bool
    about: tuple[str, ...]  # ids of the other actors its sentence names
    sentence: str  # the sentence, as the article writes it
    speaker_at: tuple[int, int]  # the speaker's words in it, to mark; (-1, -1): none


class Card(NamedTuple):
    path: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    summary: tuple[str, ...]
    text_key: str  # dedupe.text_key of the article's body: same text, same key
    marks: tuple[Mark, ...]  # kind by kind in the order of kinds.KINDS, each in the briefing's order
    # Escaped once here (render.escape.md), not each time a page lists the briefing: a dossier or an
    # index lists thousands, and escaping was a fifth of what adding one article cost at 5,000.
    title_md: str
    lead_md: str | None  # the first summary sentence
    # Mark i's first evidencing sentence, as the article writes it (UTF-8), is quotes[ends[i - 1]:ends[i]]
    # (from 0 for the first), ends being quote_ends as uint32s; empty: none. The mention's place in
    # it is quote_marks' i-th pair of int32s, (-1, -1) when none is marked. Plain text, not Markdown:
    # rendering escapes it when a dossier quotes it, a few thousand of the hundred thousand kept.
    quotes: bytes
    quote_ends: bytes
    quote_marks: bytes
    sketch: bytes  # dedupe.sketch of the body: the lowest hashes of its shingles, to find near-duplicates
    # What story clustering reads (generator.stories), made at extraction so that clustering the
    # cards of a build reads no article text: the report's features as packed (uint32 feature,
    # float64 weight) arrays, and its date as (year, month, day), year or day None when not known.
    vector: bytes
    report_date: tuple[int | None, int, int | None] | None
    report_weekday: int | None  # without a full date: the day of the week its text names (0 Monday)
    origin: tuple[str, str, str] | None  # generator.outlets.Origin: key, name, kind (a wire copy: its agency)
    outlet: str | None  # who published it, as a page names it: the KB's outlet name, else the source or host
    claims: tuple[Said, ...] = ()

    def report(self) -> Report:
        """The clustering's report of this article (generator.stories.report_of, from the card)."""
        date = ReportDate(*self.report_date) if self.report_date is not None else None
        return Report(self.path, self.title, "", date, weekday=self.report_weekday, vector=self.vector)

    def evidence(self, at: int) -> tuple[str, int, int] | None:
        """The evidence sentence of mark ``at`` and the mention's start and end in it (-1, -1: none
        marked), or None when it has none."""
        start = QUOTE_END.unpack_from(self.quote_ends, 4 * (at - 1))[0] if at else 0
        end = QUOTE_END.unpack_from(self.quote_ends, 4 * at)[0]
        if end <= start:
            return None
        return (self.quotes[start:end].decode("utf-8"), *QUOTE_MARK.unpack_from(self.quote_marks, 8 * at))


QUOTE_END = struct.Struct("<I")
QUOTE_MARK = struct.Struct("<ii")


# ---- packed for the extraction cache -------------------------------------------------------------

Stored = tuple[tuple[Card, ...], tuple[Note, ...]]  # a content file's cards and the notes about it

# marshal, not JSON: plain tuples and strings (no code runs on load), and a large site's cards (a
# hundred thousand marks and more) are read on every build that changed anything.


def pack_cards(cards: tuple[Card, ...], skipped: tuple[Note, ...]) -> bytes:
    # marshal stores plain tuples only, not their NamedTuple subclasses
    return marshal.dumps((
        tuple((*c[:7], tuple(tuple(m) for m in c.marks), *c[8:-1], tuple(tuple(x) for x in c.claims)) for c in cards),
        tuple(tuple(n.to_json()) for n in skipped)))


_new = tuple.__new__  # NamedTuple from a tuple without the Python-level __new__: 170,000 marks at 5,000 articles


_mark = functools.partial(_new, Mark)
_MARK_SHAPE = {len(Mark._fields)}
_said = functools.partial(_new, Said)
_SAID_SHAPE = {len(Said._fields)}


def unpack_cards(data: bytes) -> Stored | None:
    """What :func:`pack_cards` packed, or None when ``data`` is not that (damaged, or another format)."""
    # Loops in C (map, set): this runs for every mark of every card, 170,000 at 5,000 articles.
    try:
        cards, skipped = marshal.loads(data)
        out = []
        for c in cards:
            marks, claims = c[7], c[-1]
            if len(c) != len(Card._fields) or (marks and set(map(len, marks)) != _MARK_SHAPE) \
                    or (claims and set(map(len, claims)) != _SAID_SHAPE):
                return None
            out.append(_new(Card, (*c[:7], tuple(map(_mark, marks)), *c[8:-1], tuple(map(_said, claims)))))
        return tuple(out), tuple(map(Note.from_json, skipped))
    except (ValueError, EOFError, TypeError, IndexError, KeyError):
        log.debug("packed cards unusable; the article is extracted again")
        return None
