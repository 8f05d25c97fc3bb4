"""The cross-article index: which briefing mentions which entity, and what goes with what.

Built after every article is extracted (tags induce a graph, not a tree), from values only.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from generator.kb import KnowledgeBase
from generator.models import Briefing

if TYPE_CHECKING:
    from generator.cards import Card

KINDS = ("actor", "weapon", "concern")
CONCERN_WEIGHT = 0.3
BROAD_WEIGHT = 0.3


class Ref(NamedTuple):  # a tuple: a large corpus has hundreds of thousands
    """One briefing's mention of an entity, and the sentence that shows it (escaped, mention marked)."""

    slug: str
    quote: str | None
    salience: float
    mentions: int  # how often the briefing names it (evidence sentences, for a concern)


_new = tuple.__new__  # a Ref without NamedTuple's Python-level __new__: one per mention of an entity


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


class Briefings(Mapping[str, Briefing]):
    """Slug -> whole briefing, each loaded when first asked for (most pages need only its card)."""

    def __init__(self, slugs: Iterator[str] | list[str], load: Callable[[str], Briefing]) -> None:
        self._slugs = sorted(slugs)
        self._known = set(self._slugs)
        self._load = load
        self._got: dict[str, Briefing] = {}

    def __getitem__(self, slug: str) -> Briefing:
        b = self._got.get(slug)
        if b is None:
            if slug not in self._known:
                raise KeyError(slug)
            b = self._got[slug] = self._load(slug)
        return b

    def __iter__(self) -> Iterator[str]:
        return iter(self._slugs)

    def __len__(self) -> int:
        return len(self._slugs)


@dataclass(frozen=True)
class Corpus:
    cards: dict[str, Card]  # slug -> what the cross-article pages need of the briefing
    briefings: Mapping[str, Briefing]  # slug -> the whole briefing, loaded on demand
    order: tuple[str, ...]  # slugs, newest first, then by title
    entities: dict[tuple[str, str], EntityInfo]
    cooccur: dict[tuple[str, str], Counter[tuple[str, str]]]
    related: dict[str, tuple[tuple[str, float], ...]]
    kb: KnowledgeBase

    def by_kind(self, kind: str) -> list[EntityInfo]:
        return sorted((e for e in self.entities.values() if e.kind == kind),
                      key=lambda e: (e.name.casefold(), e.id))


def sort_key(slug: str, card: Card) -> tuple[str, str, str]:
    # Newest first: invert the date for a stable descending sort; undated articles go last.
    date = card.date or ""
    inv = "".join(chr(0x7E - ord(c)) if c.isdigit() else c for c in date) if date else "~"
    return (inv, card.title.casefold(), slug)


def build_corpus(briefings: Mapping[str, Briefing], kb: KnowledgeBase, related_count: int = 5) -> Corpus:
    """The corpus of whole briefings (slug -> briefing); see :func:`corpus_from_cards`."""
    from generator.cards import card_of  # here: cards imports the renderer, which imports this module

    return corpus_from_cards({s: card_of(b) for s, b in briefings.items()}, kb, briefings.__getitem__,
                             related_count)


def corpus_from_cards(cards: dict[str, Card], kb: KnowledgeBase, load: Callable[[str], Briefing],
                      related_count: int = 5) -> Corpus:
    """The corpus of briefings given by their cards; ``load(slug)`` gives a whole briefing when a page needs it."""
    entities: dict[tuple[str, str], EntityInfo] = {}
    per_brief: dict[str, dict[tuple[str, str], float]] = {}

    for slug in sorted(cards):
        weights: dict[tuple[str, str], float] = {}
        per_brief[slug] = weights
        for m in cards[slug].marks:
            key = (m.kind, m.id)
            info = entities.get(key)
            if info is None:
                info = entities[key] = EntityInfo(m.kind, m.id, m.name, m.subtype, m.discovered)
            if m.aliases:
                info.aliases.update(a for a in m.aliases if a != info.name)
            info.refs.append(_new(Ref, (slug, m.quote, m.salience, m.mentions)))
            # A concern's score is on its own scale (cue weights, often above 1) and a shared concern is
            # a broad topic, so it weighs like a minor entity in relatedness rather than drowning the
            # actors. A class of weapon ("drones", "munitions") is broad in the same way.
            weight = CONCERN_WEIGHT if m.kind == "concern" else \
                min(1.0, m.salience) * (BROAD_WEIGHT if m.broad else 1.0)
            weights[key] = max(weight, 0.05)

    order = tuple(sorted(cards, key=lambda s: sort_key(s, cards[s])))
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

    related = rank_related(per_brief, rank, related_count)
    briefings = Briefings(list(cards), load)
    return Corpus(dict(cards), briefings, order, entities, dict(cooccur), related, kb)


# Past this many briefings an entity is too common to tell articles apart ("United States"), and
# skipping it keeps ranking linear in the corpus size instead of quadratic.
COMMON = 200
# Below this cosine two briefings share only a passing name or a weapon class ("drones" and "United
# States" in an article on North Korea and one on Iraq): better to list nothing than a false lead.
MIN_RELATED = 0.1


def rank_related(per_brief: dict[str, dict[tuple[str, str], float]], rank: dict[str, int],
                 count: int) -> dict[str, tuple[tuple[str, float], ...]]:
    """For each briefing, the others that share the most weight of entities with it.

    Each briefing is a vector of entity weights ``salience x rarity`` (rarity = smoothed inverse
    document frequency), and two briefings score the cosine of their vectors. Salience makes a
    shared main actor count more than a passing mention; rarity makes a shared rare weapon count
    more than a shared "United States"; the cosine keeps long articles, which mention everything,
    from being everyone's nearest neighbour. Ties go to the newer briefing, so output is stable.
    """
    n = max(1, len(per_brief))
    postings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for slug in sorted(per_brief):
        for k in per_brief[slug]:
            postings[k].append(slug)
    idf = {k: math.log(1 + n / len(v)) for k, v in postings.items()}
    vec = {slug: {k: sal * idf[k] for k, sal in keys.items()} for slug, keys in per_brief.items()}
    norm = {slug: math.sqrt(sum(w * w for w in v.values())) or 1.0 for slug, v in vec.items()}
    related: dict[str, tuple[tuple[str, float], ...]] = {}
    for slug, v in vec.items():
        scores: dict[str, float] = defaultdict(float)
        for k, w in v.items():
            if len(postings[k]) > COMMON:
                continue
            for other in postings[k]:
                if other != slug:
                    scores[other] += w * vec[other][k]
        ranked = sorted(((o, sc / (norm[slug] * norm[o])) for o, sc in scores.items()),
                        key=lambda kv: (-round(kv[1], 9), rank[kv[0]], kv[0]))
        related[slug] = tuple((o, round(sc, 4)) for o, sc in ranked[:count] if sc >= MIN_RELATED)
    return related


@dataclass(frozen=True)
class NetNode:
    kind: str
    id: str
    name: str
    briefings: int


@dataclass(frozen=True)
class NetEdge:
    source: tuple[str, str]
    target: tuple[str, str]
    weight: int  # briefings that mention both


def network(corpus: Corpus, kinds: tuple[str, ...] = ("actor", "weapon"), max_nodes: int = 150,
            max_edges: int = 600, min_briefings: int = 2) -> tuple[list[NetNode], list[NetEdge]]:
    """The co-occurrence graph of the most-mentioned entities of ``kinds``.

    Capped so the page stays readable and the browser stays fast on a large corpus: entities named
    in fewer than ``min_briefings`` briefings are left out (unless that would leave almost nothing),
    then the most mentioned entities and the heaviest edges are kept, and a node left without any
    edge is dropped, since it says nothing about who goes with whom. Ties break by name.
    """
    pool = [e for e in corpus.entities.values() if e.kind in kinds]
    common = [e for e in pool if len(e.refs) >= min_briefings]
    if len(common) >= 10:
        pool = common
    ents = sorted(pool, key=lambda e: (-len(e.refs), e.name.casefold(), e.kind, e.id))[:max_nodes]
    keep = {e.key for e in ents}
    edges: list[NetEdge] = []
    for a in sorted(keep):
        for b, w in corpus.cooccur.get(a, Counter()).items():
            if b in keep and a < b:
                edges.append(NetEdge(a, b, w))
    edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    edges = edges[:max_edges]
    linked = {e.source for e in edges} | {e.target for e in edges}
    nodes = [NetNode(e.kind, e.id, e.name, len(e.refs)) for e in sorted(ents, key=lambda e: e.key)
             if e.key in linked]
    return nodes, edges
