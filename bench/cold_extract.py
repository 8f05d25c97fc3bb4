"""Benchmark: cold extraction rate (read + extract + cache write) and the one-article fixed cost.

    .venv/bin/python bench/cold_extract.py --source bench/out/n5000/content --jobs 1 --jobs 2
    .venv/bin/python bench/cold_extract.py --source ... --jobs 1 --limit 1000 --profile /tmp/x.prof
    .venv/bin/python bench/cold_extract.py --source ... --jobs 2 --dump /tmp/records.jsonl
    .venv/bin/python bench/cold_extract.py --source ... --one --repeat 3

The source folder is copied once into a scratch project (``--work``, default a folder under the
temporary directory), so the source's own project and cache are never written. Each timed run
starts from an empty cache and goes through ``generator.incremental.extract_misses``, as a cold
``briefing generate`` does; the scan (hashing the files) and the KB load are not timed.

``--one`` times, in a fresh interpreter each, what extracting one new article costs before any of
it is done: imports, the KB load, the Extractor build, and reading and extracting the article
(language identification included), as ``briefing generate`` does when one article is added.

``--dump`` writes ``Briefing.to_record()`` of every briefing, one JSON line each, in path order:
diff two dumps to check that a change leaves extraction output alone.

The machine may be shared: the load average is printed; compare runs made one after the other.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import Settings, load_settings  # noqa: E402


def prepare(source: Path, work: Path) -> Path:
    """A scratch project holding a copy of ``source`` as its content folder (copied once)."""
    content = work / "content"
    stamp = work / ".source"
    if not (content.is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8") == str(source.resolve())):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.copytree(source, content)
        shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
        stamp.write_text(str(source.resolve()), encoding="utf-8")
    return work


def settings_for(proj: Path, jobs: int) -> Settings:
    cache = proj / ".cold-cache"
    shutil.rmtree(cache, ignore_errors=True)
    return replace(load_settings(proj), jobs=jobs, cache_dir=cache.name)


def cpu_seconds() -> tuple[float, float]:
    """CPU time of this process, and of its finished children (pool workers are joined on exit)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def measure(proj: Path, jobs: int, limit: int | None, profile: Path | None = None,
            dump: Path | None = None) -> tuple[int, float, float, float]:
    """(articles, wall seconds, CPU seconds of this process, of the workers) of one cold extraction."""
    from generator.incremental import ExtractReport, extract_misses, scan
    from generator.pipeline import load_knowledge

    settings = settings_for(proj, jobs)
    kb = load_knowledge(settings)
    sources = scan(settings.content_path, kb, settings, ExtractReport())[0][:limit]
    prof = cProfile.Profile() if profile else None
    cpu = cpu_seconds()
    started = time.perf_counter()
    if prof:
        prof.enable()
    outcomes = extract_misses(sources, kb, settings)
    if prof:
        prof.disable()
    seconds = time.perf_counter() - started
    after = cpu_seconds()
    parent, workers = after[0] - cpu[0], after[1] - cpu[1]
    if prof and profile:
        prof.dump_stats(str(profile))
    failed = [o for o in outcomes if o[1] is None]
    if failed:
        print(f"  {len(failed)} files failed, e.g. {failed[0][2]}", file=sys.stderr)
    if dump:
        with dump.open("w", encoding="utf-8") as fh:
            for _, entry, _ in outcomes:
                for b in entry.briefings if entry else ():
                    fh.write(json.dumps(b.to_record(), ensure_ascii=False, sort_keys=True) + "\n")
    shutil.rmtree(settings.cache_path, ignore_errors=True)
    return len(sources), seconds, parent, workers


ONE = r"""
import sys, time, json
t0 = time.perf_counter()
from pathlib import Path
from dataclasses import replace
sys.path.insert(0, {root!r})
from generator.config import load_settings
from generator.incremental import ExtractReport, extract_misses, scan
from generator.pipeline import load_knowledge
t1 = time.perf_counter()
settings = replace(load_settings(Path({proj!r})), jobs=2, cache_dir=".cold-one-cache")
kb = load_knowledge(settings)
t2 = time.perf_counter()
sources = [s for s in scan(settings.content_path, kb, settings, ExtractReport())[0] if s.rel == {rel!r}]
t3 = time.perf_counter()
from generator.extract import Extractor
ex = Extractor(kb)
t4 = time.perf_counter()
import generator.incremental as inc
inc._init_worker = lambda kb_, n, root: setattr(inc, "_worker", (ex, n, inc.ExtractionCache(root)))
out = extract_misses(sources, kb, settings)
t5 = time.perf_counter()
assert out and out[0][1] is not None, out
print(json.dumps({{"imports": t1 - t0, "kb": t2 - t1, "extractor": t4 - t3, "read+extract+write": t5 - t4,
                  "total (no scan)": (t5 - t0) - (t3 - t2), "language": out[0][1].briefings[0].doc.language}}))
"""


def one(proj: Path, rel: str) -> dict[str, float]:
    """Fixed cost of extracting one article in a fresh interpreter (the scan of content/ not counted).

    As when an article is added to a site built before: the cache folder exists (with whatever the
    code keeps there besides extractions); the article's own entry does not.
    """
    cache = proj / ".cold-one-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    code = ONE.format(root=str(ROOT), proj=str(proj), rel=rel)
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    shutil.rmtree(cache / "extract", ignore_errors=True)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - started
    shutil.rmtree(cache, ignore_errors=True)
    result: dict[str, float] = json.loads(out.stdout)
    result["process wall"] = wall
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, default=ROOT / "bench" / "out" / "n5000" / "content")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "cold-extract-bench")
    ap.add_argument("--jobs", type=int, action="append", help="worker processes (repeatable)")
    ap.add_argument("--limit", type=int, help="only the first N files")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measurement, alternating")
    ap.add_argument("--profile", type=Path, help="cProfile the (jobs=1) run into this file")
    ap.add_argument("--dump", type=Path, help="write every briefing's to_record() here (JSON lines)")
    ap.add_argument("--one", action="store_true", help="time extracting one article in a fresh process")
    ap.add_argument("--one-file", default="", help="the article for --one (default: the last one)")
    args = ap.parse_args()
    proj = prepare(args.source, args.work)
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs, {proj / 'content'}", flush=True)
    for r in range(args.repeat):
        for jobs in args.jobs or []:
            n, secs, parent, workers = measure(proj, jobs, args.limit, args.profile if jobs == 1 else None,
                              args.dump if r == 0 else None)
            print(f"jobs={jobs}: {n} articles in {secs:.2f} s = {n / secs:,.0f} articles/s "
                  f"({n / (parent + workers):,.0f} per CPU-second; CPU ms per article: this process "
                  f"{parent / n * 1e3:.2f}, workers {workers / n * 1e3:.2f}; load {os.getloadavg()[0]:.2f})",
                  flush=True)
        if args.one:
            rel = args.one_file or sorted(p.name for p in (proj / "content").iterdir())[-1]
            res = one(proj, rel)
            print("one article: " + ", ".join(f"{k} {v:.2f} s" if isinstance(v, float) else f"{k} {v}"
                                                for k, v in res.items()) + f" (load {os.getloadavg()[0]:.2f})",
                  flush=True)


if __name__ == "__main__":
    main()
