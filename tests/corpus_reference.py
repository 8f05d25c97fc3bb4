"""The pure-Python related-briefing ranking and co-occurrence count, kept as oracles for the sparse ones.

``generator.corpus`` computes both with scipy.sparse; these are the loops it replaced (``rank_related``
and the co-occurrence loop of ``build_corpus`` before that change, unchanged but for ``common`` as a
parameter). Tests and ``bench/corpus_math.py`` compare the two: same slugs, same order, same scores,
the same unrounded cosines bit for bit, and the same co-occurrence counts.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from generator.corpus import COMMON, MIN_RELATED

Key = tuple[str, str]


def rank_related_reference(per_brief: dict[str, dict[Key, float]], rank: dict[str, int], count: int,
                           common: int = COMMON) -> dict[str, tuple[tuple[str, float], ...]]:
    scores: dict[str, list[tuple[str, float]]] = {slug: [] for slug in per_brief}
    for (slug, other), sc in cosines_reference(per_brief, common).items():
        scores[slug].append((other, sc))
    related: dict[str, tuple[tuple[str, float], ...]] = {}
    for slug in per_brief:
        ranked = sorted(scores[slug], key=lambda kv: (-round(kv[1], 9), rank[kv[0]], kv[0]))
        related[slug] = tuple((o, round(sc, 4)) for o, sc in ranked[:count] if sc >= MIN_RELATED)
    return related


def cosines_reference(per_brief: dict[str, dict[Key, float]], common: int = COMMON) -> dict[tuple[str, str], float]:
    """(slug, other) -> the unrounded cosine that rank_related_reference ranks: the lines up to its sort."""
    n = max(1, len(per_brief))
    postings: dict[Key, list[str]] = defaultdict(list)
    for slug in sorted(per_brief):
        for k in per_brief[slug]:
            postings[k].append(slug)
    idf = {k: math.log(1 + n / len(v)) for k, v in postings.items()}
    vec = {slug: {k: sal * idf[k] for k, sal in keys.items()} for slug, keys in per_brief.items()}
    norm = {slug: math.sqrt(sum(w * w for w in v.values())) or 1.0 for slug, v in vec.items()}
    out: dict[tuple[str, str], float] = {}
    for slug, v in vec.items():
        scores: dict[str, float] = defaultdict(float)
        for k, w in v.items():
            if len(postings[k]) > common:
                continue
            for other in postings[k]:
                if other != slug:
                    scores[other] += w * vec[other][k]
        out.update(((slug, o), sc / (norm[slug] * norm[o])) for o, sc in scores.items())
    return out


def cooccur_reference(per_brief: dict[str, dict[Key, float]]) -> dict[Key, Counter[Key]]:
    cooccur: dict[Key, Counter[Key]] = defaultdict(Counter)
    for keys in per_brief.values():
        ks = sorted(keys)
        for i, k1 in enumerate(ks):
            for k2 in ks[i + 1:]:
                cooccur[k1][k2] += 1
                cooccur[k2][k1] += 1
    return dict(cooccur)


class DictCooccurrence(dict[Key, Counter[Key]]):
    """The old ``Corpus.cooccur`` (a dict of Counters) with the old network() loop as ``pairs``."""

    def pairs(self, keys: Iterable[Key]) -> Iterator[tuple[Key, Key, int]]:
        keep = set(keys)
        for a in sorted(keep):
            for b, w in self.get(a, Counter()).items():
                if b in keep and a < b:
                    yield a, b, w
