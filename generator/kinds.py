"""The table of entity kinds: each kind of dossier the site has, declared once.

The corpus, links, cards, rendering, data exports, templates and the navigation iterate over
:data:`KINDS` instead of naming actor, weapon, concern and place. Adding a kind is a row here, a
template (or the shared ``entity.md.j2``) and the extraction that fills the briefing field its
``items`` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from generator.models import Briefing, Mention, Span


class Item(NamedTuple):
    """One entity of a kind as a briefing names it, in the shape the cards keep."""

    id: str
    name: str
    subtype: str  # actor type, weapon category, concern label, ...: the index's second column
    discovered: bool
    aliases: tuple[str, ...]
    salience: float
    mentions: int
    broad: bool  # a class of things ("drones") rather than a named one
    sentence: Span | None  # the sentence that shows it
    mention: Span | None  # the words of that sentence that name it, marked when quoted


def _shown(b: Briefing, mentions: tuple[Mention, ...]) -> tuple[Span | None, Span | None]:
    if not mentions:
        return None, None
    m = mentions[0]
    if not 0 <= m.sentence < len(b.sentences):
        return None, None
    return b.sentences[m.sentence], m.span


def actor_items(b: Briefing) -> Iterator[Item]:
    for a in b.actors:
        yield Item(a.id, a.name, a.type, a.discovered, tuple(a.aliases), a.salience, len(a.mentions), False,
                   *_shown(b, a.mentions))


def weapon_items(b: Briefing) -> Iterator[Item]:
    for w in b.weapons:
        yield Item(w.id, w.name, w.category, w.discovered, tuple(w.aliases), w.salience, len(w.mentions),
                   w.generic, *_shown(b, w.mentions))


def concern_items(b: Briefing) -> Iterator[Item]:
    for c in b.concerns:
        yield Item(c.id, c.label, c.label, False, (), c.score, len(c.evidence), False,
                   c.evidence[0] if c.evidence else None, None)


PLACE_PREFIX = "~place:"
"""Id prefix of a place found by its form, not in the knowledge base (KB ids never start with ~)."""


def place_id(kb_id: str, name: str) -> str:
    return kb_id or PLACE_PREFIX + " ".join(name.split()).casefold()


def place_items(b: Briefing) -> Iterator[Item]:
    for loc in b.locations:
        # Places carry no salience of their own: the share of the article's place names.
        yield Item(place_id(loc.id, loc.name), loc.name, "", not loc.id, (), 0.0, len(loc.mentions), False,
                   *_shown(b, loc.mentions))


def _subtype(entity: Any, kb: Any) -> str:
    return str(entity.subtype)


def _country(entity: Any, kb: Any) -> str:
    entry = kb.locations.get(entity.id)
    return (kb.name_of(entry.country) or entry.country or "") if entry is not None and entry.country else ""


@dataclass(frozen=True)
class Kind:
    name: str  # "actor": the kind in ids of pages and in Mark.kind
    folder: str  # docs/<folder>/: the dossiers and the index
    title: str  # the index page's title and its column on the home page
    nav: str  # its tab in mkdocs.yml's nav and its link on the home page
    column: str  # heading of the index's second column
    export: str  # key of its ids in data/briefings.json ("actors")
    field: str  # name of the second column's value in data/entities.json
    kb_table: str  # the KnowledgeBase mapping its KB entries live in
    items: Callable[[Briefing], Iterator[Item]]
    value: Callable[[Any, Any], str] = _subtype  # (EntityInfo, KnowledgeBase) -> the second column
    dossier: str = "entity.md.j2"
    index: str = "kind_index.md.j2"
    related: bool = True  # weighs in which briefings are related
    company: bool = True  # listed among the entities another dossier "appears with"
    home: bool = True  # a column of the home page's "Most mentioned"
    # How a dossier's list of briefings continues past its newest ones (Settings.page_size): on archive
    # pages by "year" (actors/iraq/2021.md) or by "month" (actors/iraq/2021-03.md).
    archive: str = "year"

    def __post_init__(self) -> None:
        if self.archive not in ("year", "month"):
            raise ValueError(f"kind {self.name!r}: archive must be 'year' or 'month', not {self.archive!r}")


KINDS: tuple[Kind, ...] = (
    Kind("actor", "actors", "Actors", "Actors", "Type", "actors", "type", "actors", actor_items),
    Kind("weapon", "weapons", "Weapons and systems", "Weapons", "Category", "weapons", "category", "weapons",
         weapon_items),
    Kind("concern", "concerns", "Concerns", "Concerns", "Concern", "concerns", "label", "concerns",
         concern_items),
    # Places name where things happen, not who acts: they do not make two briefings related, nor fill
    # other dossiers' "appears with"; the home page shows them on the map.
    Kind("place", "places", "Places", "Places", "Country", "places", "country", "locations", place_items,
         value=_country, related=False, company=False, home=False),
)


def kind(name: str) -> Kind:
    """The row of kind ``name``; KeyError for a kind the table does not have."""
    for k in KINDS:
        if k.name == name:
            return k
    raise KeyError(name)


def names() -> tuple[str, ...]:
    return tuple(k.name for k in KINDS)
