"""The cross-article index: which briefing mentions which entity, and what goes with what.

Built after every article is extracted (tags induce a graph, not a tree), from values only.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from generator import kinds, links
from generator.cards import Card
from generator.dedupe import syndicated
from generator.kb import KnowledgeBase
from generator.models import Briefing
from generator.stories import Clustering, cluster

if TYPE_CHECKING:
    import numpy as np

# numpy and scipy are imported where used: a build with nothing to do never loads them.


CONCERN_WEIGHT = 0.3
BROAD_WEIGHT = 0.3


class Ref(NamedTuple):  # a tuple: a large corpus has hundreds of thousands
    """One briefing's mention of an entity: ``Corpus.quote(ref)`` is the sentence that shows it."""

    slug: str
    at: int  # the entity's mark in the briefing's card
    salience: float
    mentions: int  # how often the briefing names it (evidence sentences, for a concern)


_new = tuple.__new__  # a Ref without NamedTuple's Python-level __new__: one per mention of an entity


@dataclass
class EntityInfo:
    kind: str  # a Kind.name
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
    cooccur: Cooccurrence
    related: Mapping[str, tuple[tuple[str, float], ...]]  # slug -> (slug, score), best first (Related)
    kb: KnowledgeBase
    # slug of a syndicated copy (the same text from another outlet or URL) -> slug of the first with it
    syndicated: Mapping[str, str] = field(default_factory=dict)
    # Stories (generator.stories): slug -> id of its story, for every briefing; story id -> its
    # briefings, earliest first. A story of more than one report is also an entity of kind "story"
    # (its page); a story of one report is shown as the briefing itself.
    story_of: Mapping[str, str] = field(default_factory=dict)
    stories: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # docs path of a page an earlier corpus may have made -> docs path of the page that took its place
    # (a merged entity or story, a briefing whose slug moved): where its redirect points (generator/redirects.py)
    moved: dict[str, str] = field(default_factory=dict)

    @cached_property
    def in_story(self) -> dict[str, str]:
        """Slug -> id of its story, for the briefings of stories of more than one report (those with a page)."""
        return {s: sid for sid, members in self.stories.items() if len(members) > 1 for s in members}

    def story(self, slug: str) -> str | None:
        """The id of the story of more than one report that briefing ``slug`` belongs to, else None."""
        return self.in_story.get(slug)

    def outlets(self, slugs: Iterable[str]) -> list[str]:
        """The outlets that published these briefings, each once, in the order of the briefings."""
        seen: dict[str, None] = {}
        for s in slugs:
            card = self.cards[s]
            name = card.outlet or (card.origin[1] if card.origin else None)
            if name:
                seen.setdefault(name)
        return list(seen)

    def story_count(self, sid: str) -> str:
        """'6 reports, 5 outlets': how a list of briefings names a story."""
        members = self.stories[sid]
        n = len(self.outlets(members))
        return f"{len(members)} reports, {n} outlet{'s' if n != 1 else ''}"

    def by_kind(self, kind: str) -> list[EntityInfo]:
        return sorted((e for e in self.entities.values() if e.kind == kind),
                      key=lambda e: (e.name.casefold(), e.id))

    def example_pages(self, page_size: int | None = None) -> dict[str, str | None]:
        """One page of each kind (:func:`links.example_pages`): the newest briefing, the most cited entities;
        with ``page_size`` (the setting the pages were rendered with), an archive page of each list that
        has one: the one of its oldest briefing."""
        richest: dict[str, EntityInfo] = {}
        for e in sorted(self.entities.values(), key=lambda e: (-len(e.refs), e.id)):
            richest.setdefault(e.kind, e)
        archives: dict[str, str] = {}
        if page_size is not None:
            for kind, e in richest.items():
                if len(e.refs) > page_size:
                    period = links.archive_period(self.cards[e.refs[-1].slug].date, kinds.kind(kind).archive)
                    archives[f"{kind} archive"] = links.archive_path(links.entity_path(kind, e.id), period)
            if len(self.order) > page_size:
                period = links.archive_period(self.cards[self.order[-1]].date, links.MONTH)
                archives["timeline archive"] = links.archive_path(links.TIMELINE, period)
        return links.example_pages(self.order[0] if self.order else None, {k: e.id for k, e in richest.items()},
                                   archives)

    @cached_property
    def graph(self) -> tuple[list[NetNode], list[NetEdge]]:
        """The network (:func:`network`, default bounds), computed once for its page and its data file."""
        return network(self)

    def quote(self, ref: Ref) -> tuple[str, int, int] | None:
        """The sentence of ``ref``'s briefing that shows the entity, and the mention's place in it."""
        return self.cards[ref.slug].evidence(ref.at)


def sort_key(slug: str, card: Card) -> tuple[str, str, str]:
    # Newest first: invert the date for a stable descending sort; undated articles go last.
    date = card.date or ""
    inv = "".join(chr(0x7E - ord(c)) if c.isdigit() else c for c in date) if date else "~"
    return (inv, card.title.casefold(), slug)


def cluster_cards(cards: Iterable[Card]) -> Clustering:
    """The stories of the articles (generator.stories.cluster), from their cards alone: no text is read.

    Without ids from an earlier clustering: each story's id comes from its earliest report."""
    return cluster(c.report() for c in cards)


def corpus_from_cards(cards: dict[str, Card], kb: KnowledgeBase, load: Callable[[str], Briefing],
                      related_count: int = 5, clustering: Clustering | None = None) -> Corpus:
    """The corpus of briefings given by their cards; ``load(slug)`` gives a whole briefing when a page needs it.
    ``clustering``: the stories of the cards, :func:`cluster_cards` when not given."""
    entities: dict[tuple[str, str], EntityInfo] = {}
    first: dict[tuple[str, str], str] = {}  # the first briefing, in slug order, naming each entity: it names it
    # Weights by briefing in slug order, the order rank_related adds them in, of the kinds that relate
    # briefings; and every entity of each briefing, for what appears with what.
    per_brief: dict[str, dict[tuple[str, str], float]] = {slug: {} for slug in sorted(cards)}
    together: dict[str, dict[tuple[str, str], None]] = {slug: {} for slug in per_brief}
    relating = {k.name for k in kinds.KINDS if k.related}
    order = tuple(sorted(cards, key=lambda s: sort_key(s, cards[s])))
    get = entities.get
    # Briefings are taken newest first, so each entity's refs come out in page order, unsorted. This
    # loop runs once per mention (170,000 at 5,000 articles): fields are unpacked, not looked up.
    for slug in order:
        weights = per_brief[slug]
        named = together[slug]
        marks = enumerate(cards[slug].marks)
        for at, (kind, id_, name, subtype, discovered, aliases, salience, mentions, broad) in marks:
            key = (kind, id_)
            info = get(key)
            if info is None:
                info = entities[key] = EntityInfo(kind, id_, name, subtype, discovered)
                first[key] = slug
            elif slug < first[key]:
                info.name, info.subtype, info.discovered = name, subtype, discovered
                first[key] = slug
            if aliases:
                info.aliases.update(aliases)  # its own name is taken out below
            info.refs.append(_new(Ref, (slug, at, salience, mentions)))
            named[key] = None
            if kind not in relating:
                continue
            # A concern's score is on its own scale (cue weights, often above 1) and a shared concern is
            # a broad topic, so it weighs like a minor entity in relatedness rather than drowning the
            # actors. A class of weapon ("drones", "munitions") is broad in the same way.
            # Written out rather than min() and max() calls, with their exact results (a NaN too).
            if kind == "concern":
                weight = CONCERN_WEIGHT
            else:
                weight = salience if salience < 1.0 else 1.0
                if broad:
                    weight = weight * BROAD_WEIGHT
            weights[key] = 0.05 if weight < 0.05 else weight
    for info in entities.values():
        info.aliases.discard(info.name)
    rank = {slug: i for i, slug in enumerate(order)}

    cooccur = cooccurrence(together)
    related = Related(per_brief, rank, related_count)
    briefings = Briefings(list(cards), load)
    slug_of = {c.path: slug for slug, c in cards.items()}
    copies = {slug_of[p]: slug_of[o] for p, o in syndicated((c.path, c.text_key) for c in cards.values()).items()}
    made = clustering if clustering is not None else cluster_cards(cards.values())
    story_of, stories, moved = _stories(cards, slug_of, made, entities)
    return Corpus(dict(cards), briefings, order, entities, cooccur, related, kb, copies, story_of, stories, moved)


def _stories(cards: dict[str, Card], slug_of: dict[str, str], clustering: Clustering,
             entities: dict[tuple[str, str], EntityInfo]) -> tuple[dict[str, str], dict[str, tuple[str, ...]],
                                                                    dict[str, str]]:
    """Each briefing's story, each story's briefings, and the story pages that moved; a story of more
    than one report becomes an entity of the gathered kind "story" (its page), titled by its earliest
    report, its second column the date of that report."""
    story_of: dict[str, str] = {}
    stories: dict[str, tuple[str, ...]] = {}
    for st in clustering.stories:
        members = tuple(slug_of[k] for k in st.reports if k in slug_of)
        if not members:
            continue
        stories[st.id] = members
        story_of.update(dict.fromkeys(members, st.id))
        if len(members) > 1:
            first = cards[members[0]]
            entities[("story", st.id)] = EntityInfo(
                "story", st.id, first.title, st.first or "",
                refs=[_new(Ref, (s, -1, 0.0, 1)) for s in members])
    moved = {links.entity_path("story", old): links.entity_path("story", new)
             for old, new in sorted(clustering.merged.items())
             if old != new and ("story", new) in entities}
    return story_of, stories, moved


# Past this many briefings an entity is too common to tell articles apart ("United States"), and
# skipping it keeps ranking linear in the corpus size instead of quadratic.
COMMON = 200
# Below this cosine two briefings share only a passing name or a weapon class ("drones" and "United
# States" in an article on North Korea and one on Iraq): better to list nothing than a false lead.
MIN_RELATED = 0.1


class Related(Mapping[str, tuple[tuple[str, float], ...]]):
    """Related briefings by slug (:func:`rank_related`), ranked when first read.

    A build may have them ranked in another process meanwhile (:func:`generator.outputs.site_outputs`):
    :meth:`fetch_from` gives the function that waits for that result. If it gives None (the process
    failed), they are ranked here: the same function on the same input, so the same result.
    """

    def __init__(self, per_brief: dict[str, dict[tuple[str, str], float]], rank: dict[str, int],
                 count: int) -> None:
        self._args = per_brief, rank, count
        self._got: dict[str, tuple[tuple[str, float], ...]] | None = None
        self._source: Callable[[], dict[str, tuple[tuple[str, float], ...]] | None] | None = None

    def ranked_here(self) -> dict[str, tuple[tuple[str, float], ...]]:
        return rank_related(*self._args)

    def fetch_from(self, source: Callable[[], dict[str, tuple[tuple[str, float], ...]] | None]) -> None:
        self._source = source

    def _value(self) -> dict[str, tuple[tuple[str, float], ...]]:
        if self._got is None:
            got = self._source() if self._source is not None else None
            self._got = got if isinstance(got, dict) else self.ranked_here()
        return self._got

    def __getitem__(self, slug: str) -> tuple[tuple[str, float], ...]:
        return self._value()[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._value())

    def __len__(self) -> int:
        return len(self._value())


def rank_related(per_brief: dict[str, dict[tuple[str, str], float]], rank: dict[str, int],
                 count: int, common: int = COMMON) -> dict[str, tuple[tuple[str, float], ...]]:
    """For each briefing, the others that share the most weight of entities with it.

    Each briefing is a vector of entity weights ``salience x rarity`` (rarity = smoothed inverse
    document frequency), and two briefings score the cosine of their vectors. Salience makes a
    shared main actor count more than a passing mention; rarity makes a shared rare weapon count
    more than a shared "United States"; the cosine keeps long articles, which mention everything,
    from being everyone's nearest neighbour. Ties go to the newer briefing, so output is stable.
    An entity named in more than ``common`` briefings adds nothing to the dot products (it still
    counts in the norms).

    The dot products are one sparse product ``W @ W.T`` of the briefing x entity weight matrix, in
    C. It does the arithmetic of a loop over each briefing's entities, in the same order: scipy's
    CSR product adds the terms of row ``i`` in the order they are stored, which is the order of
    ``per_brief[slug]``; the norms are Python sums in that order too; and the final ranking, which
    rounds with Python's ``round``, runs in Python over a few candidates per briefing. So scores
    and order are bit for bit those of the pure-Python ranking this replaced, which the tests keep
    as an oracle (tests/corpus_reference.py).
    """
    import numpy as np
    if count < 0:
        raise ValueError(f"count must be >= 0, not {count}")
    slugs = list(per_brief)
    related: dict[str, tuple[tuple[str, float], ...]] = dict.fromkeys(slugs, ())
    if not slugs or count == 0:
        return related
    r, o, score = cosines(per_brief, common)
    # A score this far below MIN_RELATED sorts after every listed one, so dropping it changes nothing.
    keep = score >= MIN_RELATED - 1e-6
    r, o, score = r[keep], o[keep], score[keep]
    by = np.lexsort((-score, r))  # by briefing, best first
    r, o, score = r[by], o[by], score[by]
    # Within a briefing, a score more than 2e-9 below its count-th best has a lower round(score, 9)
    # than each of those `count`, so it cannot be among the first `count`.
    starts = np.searchsorted(r, r, side="left")
    ends = np.searchsorted(r, r, side="right")
    keep = score >= score[np.minimum(starts + count, ends) - 1] - 2e-9
    r_l, o_l, s_l = r[keep].tolist(), o[keep].tolist(), score[keep].tolist()
    groups = [0, *(np.flatnonzero(np.diff(r[keep])) + 1).tolist(), len(r_l)]
    for a, b in itertools.pairwise(groups):
        if a == b:
            continue
        ranked = sorted(((slugs[x], sc) for x, sc in zip(o_l[a:b], s_l[a:b], strict=True)),
                        key=lambda kv: (-round(kv[1], 9), rank[kv[0]], kv[0]))
        related[slugs[r_l[a]]] = tuple((x, round(sc, 4)) for x, sc in ranked[:count] if sc >= MIN_RELATED)
    return related


def cosines(per_brief: dict[str, dict[tuple[str, str], float]],
            common: int = COMMON) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cosines of :func:`rank_related`: arrays ``(i, j, cosine)`` over pairs of briefings.

    ``i`` and ``j`` index ``list(per_brief)``; ``i != j``; a pair is listed when its dot product is
    not zero, that is when the two share an entity named in at most ``common`` briefings.
    """
    import numpy as np
    from scipy import sparse
    n = len(per_brief)
    cols, lengths, index = _columns(per_brief, sort=False)
    sal = np.fromiter(itertools.chain.from_iterable(keys.values() for keys in per_brief.values()),
                      dtype=np.float64, count=len(cols))
    rows = np.repeat(np.arange(n), lengths)
    # Elementwise float64 arithmetic is the same IEEE arithmetic as Python's; the log and the sums
    # are Python's own (np.log may differ in the last bit, and np.sum sums pairwise).
    df = np.bincount(cols, minlength=len(index))
    idf = np.array([math.log(x) for x in (1 + max(1, n) / df).tolist()], dtype=np.float64)
    data = sal * idf[cols]
    squares = (data * data).tolist()
    bounds = _indptr(lengths).tolist()
    norm = np.array([math.sqrt(sum(squares[a:b])) or 1.0 for a, b in itertools.pairwise(bounds)])

    use = df[cols] <= common  # each row keeps its entities' order, the order the product adds them in
    weights = sparse.csr_array((data[use], cols[use], _indptr(np.bincount(rows[use], minlength=n))),
                               shape=(n, len(index)))
    dots = (weights @ weights.T.tocsr()).tocoo()
    off = dots.row != dots.col
    r, o = dots.row[off].astype(np.int64), dots.col[off].astype(np.int64)
    return r, o, dots.data[off] / (norm[r] * norm[o])


def _columns(per_brief: Mapping[str, Collection[tuple[str, str]]],
             sort: bool) -> tuple[np.ndarray, np.ndarray, dict[tuple[str, str], int]]:
    """The entities of each briefing as column numbers, in their order: ``(columns, row lengths, index)``.

    Columns are numbered by first appearance, or in key order with ``sort``. Loops run in C (map,
    chain, dict.fromkeys): this runs once per entity mention, some 200,000 times at 5,000 articles.
    """
    import numpy as np
    mentions = list(itertools.chain.from_iterable(per_brief.values()))
    unique = sorted(set(mentions)) if sort else dict.fromkeys(mentions)
    index = {k: i for i, k in enumerate(unique)}
    cols = np.fromiter(map(index.__getitem__, mentions), dtype=np.int64, count=len(mentions))
    lengths = np.fromiter(map(len, per_brief.values()), dtype=np.int64, count=len(per_brief))
    return cols, lengths, index


def _indptr(lengths: np.ndarray) -> np.ndarray:
    """Row pointers of a compressed sparse matrix whose rows hold ``lengths`` entries."""
    import numpy as np
    return np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)))


class Cooccurrence(Mapping[tuple[str, str], Counter[tuple[str, str]]]):
    """Entity -> the entities named in the same briefings, each with the number of such briefings.

    A read-only mapping computed on demand: at 5,000 articles there are millions of pairs, and a
    build reads the rows of the entity pages it renders and the few pairs of the network page. A
    row is counted from the mentions of the entity's briefings alone (one ``bincount``), and
    :meth:`pairs` multiplies a briefing x entity incidence matrix of the few entities asked for
    (0s and 1s: the float product counts exactly). numpy only: a build that adds one article then
    does not import scipy, a large import. As in the dict of Counters this replaced, an
    entity that never shares a briefing is not a key, and a row holds only counts above zero.
    ``per_brief`` is kept, not copied: it must not change afterwards.
    """

    def __init__(self, per_brief: Mapping[str, Collection[tuple[str, str]]]) -> None:
        self._per_brief = per_brief

    @cached_property
    def _index(self) -> tuple[Any, Any, list[tuple[str, str]], dict[tuple[str, str], int], Any, Any,
                              frozenset[tuple[str, str]]]:
        """``(cols, indptr, keys, index, briefs, bptr, present)``: each briefing's entities as columns
        (``cols[indptr[b]:indptr[b+1]]``), entity ``i`` is ``keys[i]``, the briefings naming entity
        ``i`` are ``briefs[bptr[i]:bptr[i+1]]``, and ``present`` the entities named in a briefing
        that names another."""
        import numpy as np
        cols, lengths, index = _columns(self._per_brief, sort=True)
        indptr = _indptr(lengths)
        rows = np.repeat(np.arange(len(lengths)), lengths)
        by_entity = np.argsort(cols, kind="stable")
        briefs = rows[by_entity]
        bptr = _indptr(np.bincount(cols, minlength=len(index)))
        keys = list(index)
        present = frozenset(map(keys.__getitem__, np.unique(cols[np.repeat(lengths >= 2, lengths)]).tolist()))
        return cols, indptr, keys, index, briefs, bptr, present

    def __getitem__(self, key: tuple[str, str]) -> Counter[tuple[str, str]]:
        import numpy as np
        cols, indptr, keys, index, briefs, bptr, present = self._index
        if key not in present:
            raise KeyError(key)
        e = index[key]
        mine = briefs[bptr[e]:bptr[e + 1]]
        counts = np.bincount(cols[_ranges(indptr[mine], indptr[mine + 1])], minlength=len(keys))
        counts[e] = 0
        nonzero = np.flatnonzero(counts)
        row: Counter[tuple[str, str]] = Counter()
        dict.update(row, zip(map(keys.__getitem__, nonzero.tolist()), counts[nonzero].tolist(), strict=True))
        return row

    def __contains__(self, key: object) -> bool:
        return key in self._index[6]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(sorted(self._index[6]))

    def __len__(self) -> int:
        return len(self._index[6])

    def pairs(self, keys: Iterable[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str], int]]:
        """``(a, b, count)`` for each two of ``keys`` named together, ``a < b``, sorted by ``(a, b)``.

        The counts of ``self[a][b]``, from the columns of ``keys`` alone: ``X.T @ X`` of the briefing
        x len(keys) incidence matrix, in floating point, where sums of 0s and 1s are exact. The
        mentions are read from the index the rows use, so they are mapped to columns once a build.
        """
        import numpy as np
        cols, indptr, _, index, _, _, _ = self._index  # the columns the rows are counted from, made once
        names = sorted(set(keys))
        # Column of each named entity -> its place in ``names``; -1 for the others.
        local = np.full(len(index) + 1, -1, dtype=np.int64)
        local[[index.get(k, len(index)) for k in names]] = np.arange(len(names))
        local[len(index)] = -1  # names that no briefing mentions
        mine = local[cols]
        named = mine >= 0
        n = len(indptr) - 1
        rows = np.repeat(np.arange(n), np.diff(indptr))[named]
        # Counted, not set: as a sparse matrix sums duplicates. (bincount: np.add.at is far slower.)
        cells = np.bincount(rows * len(names) + mine[named], minlength=n * len(names))
        x = cells.reshape(n, len(names)).astype(np.float64)
        counts = np.triu(x.T @ x, k=1)
        a, b = np.nonzero(counts)  # row-major: sorted by (a, b)
        return [(names[i], names[j], int(w)) for i, j, w in
                zip(a.tolist(), b.tolist(), counts[a, b].tolist(), strict=True)]


def _ranges(starts: Any, ends: Any) -> Any:
    """The indices ``starts[0]..ends[0]-1, starts[1]..ends[1]-1, ...`` as one array."""
    import numpy as np
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    # Each index is its range's start plus its place within the range.
    shift = np.repeat(starts - _indptr(lengths)[:-1], lengths)
    return shift + np.arange(total)


def cooccurrence(per_brief: Mapping[str, Collection[tuple[str, str]]]) -> Cooccurrence:
    """How often each two entities share a briefing (see :class:`Cooccurrence`); computed when first read."""
    return Cooccurrence(per_brief)


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
    edges = [NetEdge(a, b, w) for a, b, w in corpus.cooccur.pairs(keep)]
    edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    edges = edges[:max_edges]
    linked = {e.source for e in edges} | {e.target for e in edges}
    nodes = [NetNode(e.kind, e.id, e.name, len(e.refs)) for e in sorted(ents, key=lambda e: e.key)
             if e.key in linked]
    return nodes, edges
