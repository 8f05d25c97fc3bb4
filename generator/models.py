"""Typed values passed between the pipeline's phases.

Readers produce :class:`SourceDoc`; extraction turns one into a :class:`Briefing`; the corpus
index gathers briefings into a :class:`Corpus`. Everything here is frozen and carries no I/O.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

ActorType = Literal["person", "country", "organization", "group"]
ACTOR_TYPES: tuple[str, ...] = ("person", "country", "organization", "group")


@dataclass(frozen=True)
class Span:
    """A character range ``[start, end)`` of a source text, with the text it covers."""

    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Overrides:
    """Per-article corrections given in front matter.

    ``add_*`` lists names (or KB ids) to force into the briefing; ``suppress_*`` lists names or ids
    to drop; ``summary`` replaces the chosen sentences when given.
    """

    add_actors: tuple[str, ...] = ()
    suppress_actors: tuple[str, ...] = ()
    add_weapons: tuple[str, ...] = ()
    suppress_weapons: tuple[str, ...] = ()
    add_concerns: tuple[str, ...] = ()
    suppress_concerns: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceDoc:
    """One article as read from ``content/``: its text and what the file says about it.

    ``text`` is the text that offsets point into. ``body_start`` is where the body begins (after
    a title line, for plain text); ``headings`` are spans of section headings inside ``text``;
    ``furniture`` are spans of page furniture (see :mod:`generator.readers.furniture`).
    """

    path: str  # relative to the content root, with forward slashes
    text: str
    title: str
    body_start: int = 0
    headings: tuple[Span, ...] = ()
    date: str | None = None  # ISO date, YYYY-MM-DD
    source: str | None = None  # publisher or site name
    url: str | None = None
    author: str | None = None
    licence: str | None = None
    tags: tuple[str, ...] = ()
    language: str = "en"
    summary_only: bool = False  # a feed entry that carried only a summary
    overrides: Overrides = field(default_factory=Overrides)
    date_added: str | None = None
    # Front-matter fields the tool does not use (other tools' ``slug``, ``layout``...): name and value
    # as JSON text, kept for the record.
    extra: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()  # warnings about fields dropped for a bad value: "path:line: problem"
    draft: bool = False  # front matter says draft: not published
    # Page furniture inside ``text`` (captions, credits, bylines, datelines, prompts): shown marked,
    # never read as prose by extraction.
    furniture: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One place where an entity is named: its span and the sentence it stands in."""

    span: Span
    sentence: int  # index into Briefing.sentences


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    type: str  # one of ACTOR_TYPES
    mentions: tuple[Mention, ...]
    aliases: tuple[str, ...] = ()
    role: str = ""  # e.g. "Russian President", from the words before the name in this article
    salience: float = 0.0
    discovered: bool = False  # True when found by its form, not from the knowledge base
    affiliation: str | None = None  # KB id
    # Discovered, named once, with nothing but its capitals to go on (no title, no organisation
    # word, no definition): kept on its briefing, but no site-wide page until it recurs (earns_page).
    weak: bool = False


@dataclass(frozen=True)
class Weapon:
    id: str
    name: str
    category: str
    mentions: tuple[Mention, ...]
    aliases: tuple[str, ...] = ()
    operator: str | None = None  # KB id of the operating state or group
    generic: bool = False  # a class of weapon ("ICBM", "drones") rather than a named system
    salience: float = 0.0
    discovered: bool = False
    weak: bool = False  # as for Actor: discovered, named once, no designator to back it


def earns_page(weak_in_each: list[bool], min_briefings: int) -> bool:
    """Whether an entity gets a site-wide page, given its ``weak`` flag in each briefing naming it:
    yes once any briefing gives strong evidence, or once it recurs in ``min_briefings`` briefings
    (the setting ``entity_page_min_briefings``)."""
    return bool(weak_in_each) and (not all(weak_in_each) or len(weak_in_each) >= min_briefings)


@dataclass(frozen=True)
class Location:
    name: str
    mentions: tuple[Mention, ...]
    id: str = ""


@dataclass(frozen=True)
class Concern:
    id: str
    label: str
    evidence: tuple[Span, ...]  # whole sentences
    score: float = 0.0


@dataclass(frozen=True)
class Speaker:
    """Who makes a claim: ``text`` as the article writes it ("a senior South Korean official",
    "President Trump", "he"); ``id`` and ``name`` of the actor it resolves to, when it is one,
    else ``id`` None and ``name`` the words as written (without a leading article)."""

    id: str | None
    name: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Claim:
    """An attributed statement: the sentence that carries the cue ("said", "according to"...)."""

    speaker: Speaker
    cue: str
    span: Span  # the sentence
    direct: bool  # quoted words, not reported speech

    def to_json(self) -> dict[str, object]:
        return {"speaker": {"id": self.speaker.id, "name": self.speaker.name, "text": self.speaker.text},
                "cue": self.cue, "start": self.span.start, "end": self.span.end, "text": self.span.text,
                "direct": self.direct}


@dataclass(frozen=True)
class Briefing:
    """What extraction makes of one article."""

    doc: SourceDoc
    sentences: tuple[Span, ...]
    summary: tuple[Span, ...]
    actors: tuple[Actor, ...]
    weapons: tuple[Weapon, ...]
    locations: tuple[Location, ...]
    concerns: tuple[Concern, ...]
    claims: tuple[Claim, ...] = ()

    def to_record(self) -> dict[str, object]:
        """The JSON record of ``briefing extract`` (see the evaluation README). A field at its default
        (no aliases, role, operator or meta; not discovered, weak or generic) is left out: a site
        holds a record per article, and the defaults were a good part of each."""

        def mentions(ms: tuple[Mention, ...]) -> list[dict[str, object]]:
            return [m.span.to_json() for m in ms]

        return _without_defaults({
            "source": self.doc.path,
            "title": self.doc.title,
            "date": self.doc.date,
            "url": self.doc.url,
            "language": self.doc.language,
            "meta": {k: json.loads(v) for k, v in self.doc.extra},
            "summary": [s.text for s in self.summary],
            "actors": [
                _without_defaults({
                    "id": a.id,
                    "name": a.name,
                    "type": a.type,
                    "aliases": list(a.aliases),
                    "role": a.role,
                    "salience": round(a.salience, 3),
                    "discovered": a.discovered,
                    "weak": a.weak,
                    "mentions": mentions(a.mentions),
                })
                for a in self.actors
            ],
            "weapons": [
                _without_defaults({
                    "id": w.id,
                    "name": w.name,
                    "category": w.category,
                    "operator": w.operator,
                    "generic": w.generic,
                    "aliases": list(w.aliases),
                    "salience": round(w.salience, 3),
                    "discovered": w.discovered,
                    "weak": w.weak,
                    "mentions": mentions(w.mentions),
                })
                for w in self.weapons
            ],
            "locations": [
                {"id": loc.id, "name": loc.name, "mentions": mentions(loc.mentions)}
                for loc in self.locations
            ],
            "concerns": [
                {
                    "id": c.id,
                    "label": c.label,
                    "score": round(c.score, 3),
                    "evidence": [e.to_json() for e in c.evidence],
                }
                for c in self.concerns
            ],
            "claims": [c.to_json() for c in self.claims],
        })


RECORD_DEFAULTS: dict[str, object] = {"meta": {}, "aliases": [], "role": "", "operator": None,
                                      "discovered": False, "weak": False, "generic": False}
"""Fields a record leaves out at these values (manual, "Data for programs")."""


def _without_defaults(record: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if k not in RECORD_DEFAULTS or v != RECORD_DEFAULTS[k]}


_Model = TypeVar("_Model", Span, Mention, Actor, Weapon, Location, Concern)
_new = object.__new__


def make(cls: type[_Model], values: dict[str, Any]) -> _Model:
    """``cls(**values)`` without the generated ``__init__``, for the small frozen models made by the
    thousand: by extraction (about 55 mentions and 30 items an article) and when a cached briefing is
    read back.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``: an Actor
    cost about six times a plain object and a Mention with its Span twice. These models have a
    ``__dict__`` and no ``__post_init__`` (checked below), so filling the dict is the same
    object; ``values`` must give every field, in the order of the class's fields
    (``tests/test_models_make.py``).
    """
    obj = _new(cls)
    obj.__dict__.update(values)
    return obj


for _cls in (Span, Mention, Actor, Weapon, Location, Concern):  # what make relies on
    if hasattr(_cls, "__post_init__") or hasattr(_cls, "__slots__"):
        raise TypeError(f"make cannot build {_cls.__name__}: use its constructor")
