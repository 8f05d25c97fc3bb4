"""Benchmark: story clustering on the bench corpus, from scratch and one article at a time.

    .venv/bin/python bench/stories_speed.py --n 5000 [--days 4300] [--days 100]

Writes the deterministic bench corpus (``bench/corpus.py``) of ``--n`` articles to a temporary
folder, reads and extracts it (not timed), then times ``stories.cluster`` of all of them, adding
the last ``--add`` articles one at a time to a ``StoryIndex`` of the others, and checks that no
story URL of the first build is lost when those articles join, given the former ids (an id goes
away only when its story merges into an older one, and that merge is reported for a redirect), and
scores the stories against the corpus's own events (B-cubed F1; meaningful on the corpus's own dates).
``--days`` spreads the articles' dates over that many days (the corpus's own spread is 4,300
days; fewer days put more reports in each date window, the costly case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import event_of, write_corpus  # noqa: E402
from generator import pipeline, stories  # noqa: E402
from generator.config import load_settings  # noqa: E402
from generator.stories.dates import ReportDate  # noqa: E402


def redate(reports: list[stories.Report], days: int) -> list[stories.Report]:
    start = dt.date(2020, 1, 1).toordinal()
    out = []
    for i, r in enumerate(reports):
        d = dt.date.fromordinal(start + (i * 7919) % days)
        out.append(replace(r, date=ReportDate(d.year, d.month, d.day)))
    return out


def bcubed_f1(found: dict[str, str], gold: dict[str, str]) -> float:
    """B-cubed F1 of a clustering (key -> cluster) against the true one, over the keys of both."""
    keys = sorted(found.keys() & gold.keys())
    found_sets: dict[str, set[str]] = {}
    gold_sets: dict[str, set[str]] = {}
    for k in keys:
        found_sets.setdefault(found[k], set()).add(k)
        gold_sets.setdefault(gold[k], set()).add(k)
    p = r = 0.0
    for k in keys:
        same = len(found_sets[found[k]] & gold_sets[gold[k]])
        p += same / len(found_sets[found[k]])
        r += same / len(gold_sets[gold[k]])
    p, r = p / len(keys), r / len(keys)
    return 2 * p * r / (p + r) if p + r else 0.0


def events_of(keys: list[str]) -> dict[str, str]:
    """The bench corpus's own events: article ``b01234-...`` is a report of event ``event_of(1234)``."""
    return {k: str(event_of(int(Path(k).name[1:6]))[0]) for k in keys}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--add", type=int, default=20, help="articles added one at a time at the end")
    ap.add_argument("--days", type=int, action="append", help="spread the dates over this many days")
    ap.add_argument("--source", type=Path, action="append", help="sample articles (default content/)")
    args = ap.parse_args()
    sources = args.source or [ROOT / "content"]
    with tempfile.TemporaryDirectory(prefix="stories-speed-") as tmp:
        folder = Path(tmp, "content")
        write_corpus(folder, args.n, sources)
        settings = load_settings(ROOT)
        kb = pipeline.load_knowledge(settings)
        started = time.perf_counter()
        docs = pipeline.read_sources([folder], None, pipeline.BuildReport())
        briefings = pipeline.extract_all(docs, kb, settings)
        extract_time = time.perf_counter() - started
    base = [stories.report_of(b) for b in briefings]
    print(f"{len(base)} briefings (read and extracted in {extract_time:.1f} s, one process); "
          f"load average {os.getloadavg()[0]:.2f}")
    for days in args.days or [0]:
        reports = redate(base, days) if days else base
        started = time.perf_counter()
        whole = stories.cluster(reports)
        scratch = time.perf_counter() - started
        head, tail = reports[:-args.add], reports[-args.add:]
        before = stories.cluster(head)
        index = stories.StoryIndex()
        index.extend(head)
        worst = 0.0
        for r in tail:
            started = time.perf_counter()
            index.add(r)
            index.clustering()
            worst = max(worst, time.perf_counter() - started)
        assert index.clustering().story_of == whole.story_of, "one at a time differs from a build from scratch"
        after = index.clustering(before.story_of)
        ids_now = {s.id for s in after.stories}
        vanished = {old for old in before.story_of.values() if old not in ids_now}
        assert all(after.merged.get(old) for old in vanished), "a story URL vanished without a redirect"
        moved = sum(1 for key, old in before.story_of.items() if after.story_of[key] != old)
        sizes = sorted((len(s.reports) for s in whole.stories), reverse=True)
        events = events_of([r.key for r in reports])
        print(f"dates over {days or 'the corpus own'} days: cluster() of {len(reports)} in {scratch:.3f} s; "
              f"{len(whole.stories)} stories (largest {sizes[:3]}) for {len(set(events.values()))} events, "
              f"B-cubed F1 {bcubed_f1(whole.story_of, events):.3f}; adding one article and re-reading the "
              f"stories: worst {worst:.3f} s of {args.add}; story ids of the first build gone: "
              f"{len(vanished)} (each redirected); reports that changed story: {moved}")


if __name__ == "__main__":
    main()
