"""Benchmark: related briefings and entity co-occurrence, pure Python against scipy.sparse.

    .venv/bin/python bench/corpus_math.py                                # bench/out/n5000's cache
    .venv/bin/python bench/corpus_math.py --cache path/to/.briefing-cache
    .venv/bin/python bench/corpus_math.py --synthetic 5000               # no cache needed

The briefings come from an extraction cache (``bench/run.py --n 5000`` leaves one in
bench/out/n5000/.briefing-cache) or, with ``--synthetic N``, are N made-up briefings of the same
shape (about 40 entities each, Zipf-like entity frequencies, a few entities in over 200 briefings).
``build_corpus`` runs on them once to capture its ``per_brief`` and ``rank``; then each step runs
both ways, the old way being the pure-Python code kept in tests/corpus_reference.py, and the table
gives the best of ``--repeat`` runs. Before timing anything, the outputs are compared: related
lists (slugs, order, rounded scores), the unrounded cosines bit for bit, every co-occurrence row,
and the network graph. Any difference stops the run.

The machine is shared: compare the two columns of one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from corpus_reference import (  # noqa: E402
    DictCooccurrence,
    cooccur_reference,
    cosines_reference,
    rank_related_reference,
)

from generator import corpus as corpus_mod  # noqa: E402
from generator import links  # noqa: E402
from generator.cache import ExtractionCache  # noqa: E402
from generator.kb import KnowledgeBase  # noqa: E402
from generator.models import Actor, Briefing, Concern, Mention, SourceDoc, Span, Weapon  # noqa: E402
from generator.pipeline import build_corpus  # noqa: E402

KB = KnowledgeBase({}, {}, {}, {}, "bench")
Key = tuple[str, str]


def from_cache(root: Path) -> dict[str, Briefing]:
    """Every briefing in an extraction cache, by slug (the newest entry when a path has several)."""
    newest: dict[str, Briefing] = {}
    cache = ExtractionCache(root)
    with sqlite3.connect(cache.path) as db:  # rowid order: the later row of a path wins
        keys = [k for (k,) in db.execute("SELECT key FROM article ORDER BY rowid")]
    for key in keys:
        entry = cache.get(key)
        newest.update((b.doc.path, b) for b in (entry.briefings if entry else ()))
    if not newest:
        raise SystemExit(f"no cached briefings under {root}; run bench/run.py --n 5000 or use --synthetic")
    slugs = links.article_slugs(newest)
    return {slugs[p]: b for p, b in newest.items()}


def synthetic(n: int, per: int = 40, seed: int = 7) -> dict[str, Briefing]:
    """``n`` briefings naming about ``per`` entities each, drawn with Zipf-like frequencies."""
    rng = random.Random(seed)
    m = Mention(Span(0, 1, "x"), 0)
    span = Span(0, 1, "x")
    pool = 12 * n
    weights = [1 / (r + 3) for r in range(pool)]
    out: dict[str, Briefing] = {}
    for i in range(n):
        k = max(3, int(rng.gauss(per, per / 3)))
        ids = sorted(set(rng.choices(range(pool), weights, k=k)))
        actors = tuple(Actor(f"e{e}", f"E{e}", "person", (m,), salience=rng.uniform(0.02, 1.2))
                       for e in ids if e % 3 != 2)
        weapons = tuple(Weapon(f"e{e}", f"E{e}", "c", (m,), generic=e % 7 == 0, salience=rng.uniform(0.02, 1.2))
                        for e in ids if e % 3 == 2)
        concerns = tuple(Concern(f"c{c}", f"C{c}", (span,), 1.0) for c in rng.sample(range(12), rng.randint(0, 3)))
        date = f"20{10 + i % 14:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        doc = SourceDoc(path=f"s{i:05d}.md", text="x", title=f"Synthetic {i}", date=date)
        out[f"s{i:05d}"] = Briefing(doc, (span,), (), actors, weapons, (), concerns)
    return out


def capture(briefings: dict[str, Briefing]) -> tuple[dict[str, dict[Key, float]], dict[str, int], int]:
    """The ``per_brief``, ``rank`` and count that build_corpus hands to rank_related."""
    got: dict[str, Any] = {}
    real = corpus_mod.rank_related

    def spy(per_brief: dict[str, dict[Key, float]], rank: dict[str, int], count: int,
            **kw: Any) -> dict[str, tuple[tuple[str, float], ...]]:
        got.update(per_brief=per_brief, rank=rank, count=count)
        return real(per_brief, rank, count, **kw)

    corpus_mod.rank_related = spy  # type: ignore[assignment]
    try:
        build_corpus(briefings, KB)
    finally:
        corpus_mod.rank_related = real
    return got["per_brief"], got["rank"], got["count"]


def build_with(briefings: dict[str, Briefing], rank_related: Callable[..., Any],
               cooccurrence: Callable[..., Any]) -> corpus_mod.Corpus:
    """build_corpus with its two computations swapped for others."""
    real = corpus_mod.rank_related, corpus_mod.cooccurrence
    corpus_mod.rank_related, corpus_mod.cooccurrence = rank_related, cooccurrence
    try:
        return build_corpus(briefings, KB)
    finally:
        corpus_mod.rank_related, corpus_mod.cooccurrence = real


def old_build_corpus(briefings: dict[str, Briefing]) -> corpus_mod.Corpus:
    """build_corpus with the pure-Python ranking and the eager dict of Counters it used to have."""
    return build_with(briefings, rank_related_reference, lambda per: DictCooccurrence(cooccur_reference(per)))


def gather_only(briefings: dict[str, Briefing]) -> corpus_mod.Corpus:
    """build_corpus without either computation: the gathering of entities around them."""
    return build_with(briefings, lambda per, rank, count: {}, lambda per: {})


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def read_rows(c: corpus_mod.Corpus) -> int:
    """What rendering every entity page reads: each entity's co-occurrence row."""
    return sum(len(c.cooccur.get(k, {})) for k in c.entities)


def check(briefings: dict[str, Briefing], per_brief: dict[str, dict[Key, float]], rank: dict[str, int],
          count: int) -> None:
    new, old = build_corpus(briefings, KB), old_build_corpus(briefings)
    assert list(new.related.items()) == list(old.related.items()), "related lists differ"
    slugs = list(per_brief)
    r, o, s = corpus_mod.cosines(per_brief)
    got = {(slugs[i], slugs[j]): v for i, j, v in zip(r.tolist(), o.tolist(), s.tolist(), strict=True)}
    assert got == {p: v for p, v in cosines_reference(per_brief).items() if v != 0}, "cosines differ"
    assert dict(new.cooccur.items()) == dict(old.cooccur), "co-occurrence counts differ"
    assert all(new.cooccur.get(k, {}) == old.cooccur.get(k, {}) for k in new.entities)
    assert corpus_mod.network(new) == corpus_mod.network(old), "network graphs differ"
    pairs = sum(len(row) for row in old.cooccur.values()) // 2
    listed = sum(map(len, new.related.values()))
    print(f"identical: related lists ({listed} entries), {len(got)} cosines bit for bit, "
          f"{len(old.cooccur)} co-occurrence rows ({pairs} pairs), network graph")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=ROOT / "bench" / "out" / "n5000" / ".briefing-cache")
    ap.add_argument("--synthetic", type=int, metavar="N", help="N made-up briefings instead of a cache")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    briefings = synthetic(args.synthetic) if args.synthetic else from_cache(args.cache)
    per_brief, rank, count = capture(briefings)
    sizes = sorted(len(v) for v in per_brief.values())
    df: dict[Key, int] = {}
    for keys in per_brief.values():
        for k in keys:
            df[k] = df.get(k, 0) + 1
    print(f"{len(per_brief)} briefings ({'synthetic' if args.synthetic else args.cache}), {len(df)} entities; "
          f"entities per briefing: median {sizes[len(sizes) // 2]}, max {sizes[-1]}; "
          f"{sum(d > corpus_mod.COMMON for d in df.values())} entities in more than {corpus_mod.COMMON} briefings")
    check(briefings, per_brief, rank, count)

    new, old = build_corpus(briefings, KB), old_build_corpus(briefings)

    def fresh() -> corpus_mod.Corpus:  # the new co-occurrence, not yet computed
        return replace(new, cooccur=corpus_mod.cooccurrence(per_brief))

    def first_use(fn: Callable[[corpus_mod.Corpus], object]) -> Callable[[], object]:
        def run() -> object:
            return fn(fresh())
        return run

    t = {
        "rank_related": (best(lambda: rank_related_reference(per_brief, rank, count), args.repeat),
                         best(lambda: corpus_mod.rank_related(per_brief, rank, count), args.repeat)),
        "co-occurrence in build_corpus": (best(lambda: cooccur_reference(per_brief), args.repeat),
                                          best(lambda: corpus_mod.cooccurrence(per_brief), args.repeat)),
        "build_corpus": (best(lambda: old_build_corpus(briefings), args.repeat),
                         best(lambda: build_corpus(briefings, KB), args.repeat)),
        "  of which gathering entities": (best(lambda: gather_only(briefings), args.repeat),) * 2,
        "then network()": (best(lambda: corpus_mod.network(old), args.repeat),
                           best(first_use(corpus_mod.network), args.repeat)),
        "then every entity's row": (best(lambda: read_rows(old), args.repeat),
                                    best(first_use(read_rows), args.repeat)),
    }
    parts = ("build_corpus", "then network()", "then every entity's row")
    t["build_corpus + network + rows"] = (sum(t[p][0] for p in parts), sum(t[p][1] for p in parts))
    width = max(map(len, t))
    print(f"\n{'best of ' + str(args.repeat):<{width}}  {'pure Python':>11}  {'scipy.sparse':>12}  {'speed-up':>8}")
    for what, (t_old, t_new) in t.items():
        ratio = f"{t_old / t_new:.1f}x" if t_new >= 1e-3 else "-"
        print(f"{what:<{width}}  {t_old:>9.3f} s  {t_new:>10.3f} s  {ratio:>8}")
    print("\nThe new co-occurrence is computed when first read: not in build_corpus, but in the first")
    print("network() (its pairs only) and the first row read (the whole product), timed from scratch here.")
    print("Old network() and rows read the dict of Counters that build_corpus already filled.")
    print("'Gathering entities' is build_corpus without the two computations: the part left as it was.")


if __name__ == "__main__":
    main()
