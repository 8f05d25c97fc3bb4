"""The cross-article index: which briefing mentions which entity, and what goes with what.

Built after every article is extracted (tags induce a graph, not a tree), from values only.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from generator.kb import KnowledgeBase
from generator.models import Briefing, Mention, Span

KINDS = ("actor", "weapon", "concern")


@dataclass(frozen=True)
class Ref:
    """One briefing's mention of an entity: where, and the sentence that shows it."""

    slug: str
    sentence: Span | None
    mention: Span | None
    salience: float
    count: int


@dataclass
class EntityInfo:
    kind: str  # actor | weapon | concern
    id: str
    name: str
    subtype: str  # actor type, weapon category, or concern label
    discovered: bool = False
    aliases: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)


@dataclass(frozen=True)
class Corpus:
    briefings: dict[str, Briefing]  # slug -> briefing
    order: tuple[str, ...]  # slugs, newest first, then by title
    entities: dict[tuple[str, str], EntityInfo]
    cooccur: dict[tuple[str, str], Counter[tuple[str, str]]]
    related: dict[str, tuple[tuple[str, float], ...]]
    kb: KnowledgeBase

    def by_kind(self, kind: str) -> list[EntityInfo]:
        return sorted((e for e in self.entities.values() if e.kind == kind),
                      key=lambda e: (e.name.casefold(), e.id))


def sort_key(slug: str, b: Briefing) -> tuple[str, str, str]:
    # Newest first: invert the date for a stable descending sort; undated articles go last.
    date = b.doc.date or ""
    inv = "".join(chr(0x7E - ord(c)) if c.isdigit() else c for c in date) if date else "~"
    return (inv, b.doc.title.casefold(), slug)


def _first_sentence(b: Briefing, mentions: tuple[Mention, ...]) -> tuple[Span | None, Span | None]:
    if not mentions:
        return None, None
    m = mentions[0]
    sent = b.sentences[m.sentence] if 0 <= m.sentence < len(b.sentences) else None
    return sent, m.span


def build_corpus(briefings: dict[str, Briefing], kb: KnowledgeBase, related_count: int = 5) -> Corpus:
    entities: dict[tuple[str, str], EntityInfo] = {}
    per_brief: dict[str, dict[tuple[str, str], float]] = {}

    def add(kind: str, eid: str, name: str, subtype: str, discovered: bool, aliases: tuple[str, ...],
            ref: Ref) -> None:
        info = entities.get((kind, eid))
        if info is None:
            info = entities[(kind, eid)] = EntityInfo(kind, eid, name, subtype, discovered)
        info.aliases.update(a for a in aliases if a != info.name)
        info.refs.append(ref)
        per_brief[ref.slug][(kind, eid)] = max(ref.salience, 0.05)

    for slug in sorted(briefings):
        b = briefings[slug]
        per_brief[slug] = {}
        for a in b.actors:
            s, m = _first_sentence(b, a.mentions)
            add("actor", a.id, a.name, a.type, a.discovered, a.aliases,
                Ref(slug, s, m, a.salience, len(a.mentions)))
        for w in b.weapons:
            s, m = _first_sentence(b, w.mentions)
            add("weapon", w.id, w.name, w.category, w.discovered, w.aliases,
                Ref(slug, s, m, w.salience, len(w.mentions)))
        for c in b.concerns:
            ev = c.evidence[0] if c.evidence else None
            add("concern", c.id, c.label, c.label, False, (),
                Ref(slug, ev, None, c.score, len(c.evidence)))

    order = tuple(sorted(briefings, key=lambda s: sort_key(s, briefings[s])))
    rank = {slug: i for i, slug in enumerate(order)}
    for info in entities.values():
        info.refs.sort(key=lambda r: rank[r.slug])

    cooccur: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    for keys in per_brief.values():
        ks = sorted(keys)
        for i, k1 in enumerate(ks):
            for k2 in ks[i + 1:]:
                cooccur[k1][k2] += 1
                cooccur[k2][k1] += 1

    n = max(1, len(briefings))
    idf = {k: math.log(1 + n / len(e.refs)) for k, e in entities.items()}
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for slug, keys in per_brief.items():
        for k in keys:
            postings[k].append(slug)
    related: dict[str, tuple[tuple[str, float], ...]] = {}
    for slug, keys in per_brief.items():
        scores: dict[str, float] = defaultdict(float)
        for k, sal in keys.items():
            if len(postings[k]) > 200:  # too common to tell articles apart; keeps this linear
                continue
            for other in postings[k]:
                if other != slug:
                    scores[other] += sal * per_brief[other][k] * idf[k]
        # nsmallest is sorted()[:n] without sorting every candidate (hundreds per article on large sites)
        ranked = heapq.nsmallest(related_count, scores.items(), key=lambda kv: (-round(kv[1], 9), rank[kv[0]]))
        related[slug] = tuple((s, round(v, 4)) for s, v in ranked)
    return Corpus(dict(briefings), order, entities, dict(cooccur), related, kb)
