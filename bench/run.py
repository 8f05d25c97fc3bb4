"""Benchmark: regenerate and build a site of N articles, and time its first search answer.

    .venv/bin/python bench/run.py --n 1000 --n 5000            # corpus made from content/
    .venv/bin/python bench/run.py --n 300 --source my/articles  # samples from another folder
    .venv/bin/python bench/run.py --n 5000 --only generate      # skip mkdocs and the browser
    .venv/bin/python bench/run.py --n 1000 --only build --rounds 3  # build ratio, bare and full alternated
    .venv/bin/python bench/run.py --n 5000 --only generate --rounds 5  # and extraction rates, medians
    .venv/bin/python bench/run.py --n 1000 --only incremental  # full vs incremental site build, equality
    .venv/bin/python bench/run.py --n 5000 --n 20000 --only scale  # bytes (by kind: bench/site_bytes.py), build s
                                                                   # and memory per article, add-one
    .venv/bin/python bench/run.py --n 1000 --only scale --stock-links  # and the build without generator.linkscan

For each N it makes a corpus (bench/corpus.py) in bench/out/n<N>/ and prints one table row per
measurement: cold extraction rate across the cores; cold, warm (nothing changed) and add-one-article
``briefing generate`` (and which files the last rewrote); bare ``mkdocs build`` of the generated
docs (time and peak memory of the child); ``briefing build`` end to end from scratch with each
search engine; search index bytes per article; and the time from page load to the first search
result in headless Chromium, for Material's search and for Pagefind, with the site served on
127.0.0.1 (any request elsewhere is counted and reported).

The machine is shared: compare ratios within one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import logging
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import site_bytes  # noqa: E402
from bench.corpus import write_corpus  # noqa: E402
from generator.config import load_settings  # noqa: E402

log = logging.getLogger("bench")
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out"
CHROMIUM = "/usr/bin/chromium"
QUERY = "chemical weapons"


@dataclass
class Row:
    what: str
    value: str
    note: str = ""


@dataclass
class Result:
    n: int
    rows: list[Row] = field(default_factory=list)

    def add(self, what: str, value: str, note: str = "") -> None:
        self.rows.append(Row(what, value, note))
        print(f"  {what:<58} {value:>14}  {note}", flush=True)


@dataclass(frozen=True)
class Run:
    seconds: float
    max_rss_mb: float
    stderr: str


def run(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command; wall time and the child's peak resident memory (wait4, so only this child)."""
    # An installed package has its bytecode (pip compiles it); an environment that forbids writing
    # it would make every timed command compile the generator's sources again.
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**base, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, err)


def snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def docs_size(res: Result, proj: Path, n: int) -> None:
    """Markdown in docs/ per article and as a multiple of the articles' own text, and the largest pages."""
    docs, content = proj / "docs", proj / "content"
    pages = {p.relative_to(docs).as_posix(): p.stat().st_size for p in docs.rglob("*.md") if p.is_file()}
    own = tree_bytes(content)
    total = sum(pages.values())
    res.add("Markdown in docs/ per article", f"{total / n / 1024:.1f} KB",
            f"{total / 1e6:.1f} MB in {len(pages)} pages; {total / own:.1f} x the articles' own "
            f"{own / 1e6:.1f} MB in content/")
    largest = sorted(pages.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    res.add("largest pages in docs/", f"{largest[0][1] / 1024:.0f} KB" if largest else "-",
            ", ".join(f"{p} {b / 1024:.0f} KB" for p, b in largest))


def site_size(res: Result, site: Path, n: int) -> None:
    """Built site bytes per article (the search index included), and its largest folders."""
    total = tree_bytes(site)
    folders = {d.name: tree_bytes(d) for d in site.iterdir() if d.is_dir()}
    largest = sorted(folders.items(), key=lambda kv: (-kv[1], kv[0]))[:6]
    res.add("built site per article, search index included", f"{total / n / 1024:.1f} KB",
            f"{total / 1e6:.1f} MB; " + ", ".join(f"{name}/ {b / 1e6:.1f} MB" for name, b in largest))


def project(n: int, sources: list[Path], search: str) -> Path:
    proj = OUT / f"n{n}"
    if proj.exists():
        shutil.rmtree(proj)
    proj.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", proj / "mkdocs.yml")
    (proj / "briefing.yml").write_text(f"search: {search}\n", encoding="utf-8")
    write_corpus(proj / "content", n, sources)
    return proj


def measure_extraction(proj: Path, jobs: int, limit: int | None = None) -> tuple[int, float]:
    """Cold extraction only (read + extract + cache write), in this process's pool; (articles, seconds)."""
    from generator.incremental import ExtractReport, extract_misses, scan
    from generator.pipeline import load_knowledge

    cache = proj / ".bench-extract-cache"
    shutil.rmtree(cache, ignore_errors=True)
    settings = replace(load_settings(proj), jobs=jobs, cache_dir=cache.name)
    kb = load_knowledge(settings)
    sources = scan(settings.content_path, kb, settings, ExtractReport())[0][:limit]
    started = time.perf_counter()
    outcomes = extract_misses(sources, kb, settings)
    seconds = time.perf_counter() - started
    failed = [o for o in outcomes if o[1] is None]
    if failed:
        log.warning("%d articles failed extraction, e.g. %s", len(failed), failed[0][-1])
    shutil.rmtree(cache, ignore_errors=True)
    return len(sources), seconds


def briefing(proj: Path, *args: str) -> Run:
    return run([str(BIN / "briefing"), *args, "--root", str(proj)])


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class SearchTiming:
    seconds: float | None  # None: no result within the timeout
    fetched_bytes: int
    outside: tuple[str, ...]
    first: str


def first_result(site: Path, engine: str, query: str = QUERY, timeout: float = 60.0) -> SearchTiming:
    """Seconds from the home page's load event to the first search result shown, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    selector = {"material": ".md-search-result__item", "pagefind": ".pagefind-ui__result"}[engine]
    box = {"material": "input.md-search__input", "pagefind": "input.pagefind-ui__search-input"}[engine]
    outside: list[str] = []
    fetched = [0]
    with serve(site) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def on_request(req: object) -> None:
                u = req.url  # type: ignore[attr-defined]
                if not u.startswith(("http://127.0.0.1", "data:", "blob:")):
                    outside.append(u)

            def on_response(resp: object) -> None:
                with contextlib.suppress(Exception):
                    if "/search/" in resp.url or "/pagefind/" in resp.url:  # type: ignore[attr-defined]
                        fetched[0] += len(resp.body())  # type: ignore[attr-defined]

            page.on("request", on_request)
            page.on("response", on_response)
            page.goto(url, wait_until="load")
            started = time.perf_counter()
            page.wait_for_selector(box, state="attached", timeout=timeout * 1000)
            if engine == "material":
                page.keyboard.press("/")  # Material's shortcut: open and focus search
            page.fill(box, query)
            try:
                page.wait_for_selector(selector, timeout=timeout * 1000)
                seconds: float | None = time.perf_counter() - started
                first = page.inner_text(selector).split("\n")[0][:80]
            except Exception:
                seconds, first = None, ""
            page.wait_for_timeout(300)  # let pending fetches finish so the byte count is whole
        finally:
            browser.close()
    return SearchTiming(seconds, fetched[0], tuple(outside), first)


def _round(i: int, rounds: int) -> str:
    """The suffix of a measurement taken in round ``i`` (from 0), empty when there is one round."""
    return f", round {i + 1} of {rounds}" if rounds > 1 else ""


def bench(n: int, sources: list[Path], jobs: int, only: str | None, engines: tuple[str, ...],
          rounds: int = 1, stock_links: bool = False) -> Result:
    res = Result(n)
    print(f"\n## {n} articles (jobs={jobs}, {os.cpu_count()} CPUs)", flush=True)
    proj = project(n, sources, "pagefind")
    docs = proj / "docs"

    if only not in ("quick", "incremental", "scale"):
        # With rounds > 1, all cores and one process alternate, each round's rates and their median
        # printed: the machine's speed moves by up to 2x within minutes.
        rates: tuple[list[float], list[float]] = ([], [])
        for round_ in range(rounds):
            label = _round(round_, rounds)
            count, secs = measure_extraction(proj, jobs)
            rates[0].append(count / secs)
            res.add(f"cold extraction, all cores{label}", f"{count / secs:,.0f} art/s",
                    f"{count} in {secs:.1f} s, jobs={jobs}")
            sub = min(count, 400)
            count1, secs1 = measure_extraction(proj, 1, sub)
            rates[1].append(count1 / secs1)
            res.add(f"cold extraction, one process{label}", f"{count1 / secs1:,.0f} art/s",
                    f"first {sub}, for the speed-up")
        if rounds > 1:
            for what, got in zip(("all cores", "one process"), rates, strict=True):
                res.add(f"cold extraction, {what}, median of {rounds}", f"{statistics.median(got):,.0f} art/s",
                        "rounds: " + ", ".join(f"{r:,.0f}" for r in got))

    if only == "incremental":
        return bench_incremental(res, proj, n, sources, jobs)
    if only == "scale":
        return bench_scale(res, proj, n, sources, jobs, stock_links)

    cold = briefing(proj, "generate", "--jobs", str(jobs))
    res.add("generate, cold (empty cache, empty docs/)", f"{cold.seconds:.2f} s",
            f"peak {cold.max_rss_mb:.0f} MB; {cold.stderr.strip().splitlines()[-1]}")
    docs_size(res, proj, n)
    warm = briefing(proj, "generate", "--jobs", str(jobs))
    res.add("generate, warm (nothing changed)", f"{warm.seconds:.2f} s", warm.stderr.strip().splitlines()[-1])

    before = snapshot(docs)
    write_corpus(proj / "content", 1, sources, start=n)
    add = briefing(proj, "generate", "--jobs", str(jobs))
    after = snapshot(docs)
    changed = sorted(p for p in after if before.get(p) != after[p])
    gone = sorted(p for p in before if p not in after)
    res.add("generate, one article added", f"{add.seconds:.2f} s",
            f"{len(changed)} files written: {', '.join(changed[:12])}{' ...' if len(changed) > 12 else ''}"
            + (f"; removed {gone}" if gone else ""))
    warm2 = briefing(proj, "generate", "--jobs", str(jobs))
    res.add("generate, warm again after the addition", f"{warm2.seconds:.2f} s")
    if only == "generate":
        return res
    if only == "quick":
        # The large run: one build (generate is a no-op by now) with Pagefind, and its search timing.
        built = briefing(proj, "build", "--jobs", str(jobs))
        res.add("briefing build after the above, search=pagefind", f"{built.seconds:.1f} s",
                f"peak {built.max_rss_mb:.0f} MB; mkdocs build + Pagefind indexing")
        bundle = proj / "site" / "pagefind"
        res.add("Pagefind bundle per article", f"{tree_bytes(bundle) / (n + 1) / 1024:.1f} KB",
                f"{tree_bytes(bundle) / 1e6:.1f} MB in {sum(1 for _ in bundle.rglob('*'))} files")
        site_size(res, proj / "site", n + 1)
        t = first_result(proj / "site", "pagefind")
        value = f"{t.seconds:.2f} s" if t.seconds is not None else "none in 60 s"
        res.add("first search result after page load, pagefind", value,
                f"query '{QUERY}', {t.fetched_bytes / 1024:.0f} KB fetched, {len(t.outside)} requests outside "
                f"127.0.0.1; first: {t.first!r}")
        return res

    n_pages = sum(1 for p in docs.rglob("*.md"))
    # Bare and full builds alternate, round after round: on a shared machine whose speed drifts
    # within minutes, a ratio is read from builds made one right after the other.
    bares: list[float] = []
    ratios: dict[str, list[float]] = {engine: [] for engine in engines}
    for round_ in range(rounds):
        bare = run([str(BIN / "mkdocs"), "build", "-q", "-f", str(proj / "mkdocs.yml"),
                    "-d", str(proj / "site-material")])
        bares.append(bare.seconds)
        label = _round(round_, rounds)
        res.add(f"bare mkdocs build (Material search){label}", f"{bare.seconds:.1f} s",
                f"peak {bare.max_rss_mb:.0f} MB, {n_pages} pages, {bare.seconds / n_pages * 1000:.0f} ms/page")
        for engine in engines:
            (proj / "briefing.yml").write_text(f"search: {engine}\n", encoding="utf-8")
            for d in (docs, proj / ".briefing-cache", proj / "site"):
                shutil.rmtree(d, ignore_errors=True)
            docs.mkdir()
            full = briefing(proj, "build", "--jobs", str(jobs))
            ratios[engine].append(full.seconds / bare.seconds)
            res.add(f"briefing build from scratch, search={engine}{label}", f"{full.seconds:.1f} s",
                    f"{full.seconds / bare.seconds:.2f} x this round's bare build; peak {full.max_rss_mb:.0f} MB")
            if engine == "pagefind" and round_ == 0:
                bundle = proj / "site" / "pagefind"
                res.add("Pagefind bundle per article", f"{tree_bytes(bundle) / (n + 1) / 1024:.1f} KB",
                        f"{tree_bytes(bundle) / 1e6:.1f} MB in {sum(1 for _ in bundle.rglob('*'))} files; "
                        "a query fetches only its chunks")
                site_size(res, proj / "site", n + 1)
                shutil.copytree(proj / "site", proj / "site-pagefind", dirs_exist_ok=True)
    if rounds > 1:
        for engine, got in ratios.items():
            res.add(f"briefing build / bare build, search={engine}, median of {rounds}",
                    f"{statistics.median(got):.2f} x", ", ".join(f"{r:.2f}" for r in got)
                    + f"; bare builds {', '.join(f'{b:.0f}' for b in bares)} s")
    lunr = proj / "site-material" / "search" / "search_index.json"
    res.add("Material search index per article", f"{lunr.stat().st_size / (n + 1) / 1024:.1f} KB",
            f"search_index.json {lunr.stat().st_size / 1e6:.1f} MB, downloaded whole before the first answer")
    if only == "build":
        return res

    for engine, site in (("pagefind", proj / "site-pagefind"), ("material", proj / "site-material")):
        t = first_result(site, engine)
        value = f"{t.seconds:.2f} s" if t.seconds is not None else "none in 60 s"
        res.add(f"first search result after page load, {engine}", value,
                f"query '{QUERY}', {t.fetched_bytes / 1024:.0f} KB of index fetched, "
                f"{len(t.outside)} requests outside 127.0.0.1; first: {t.first!r}")
    return res


def _site_line(stderr: str) -> str:
    """The site build's own summary line from ``briefing build``'s log."""
    return next((ln.split(": ", 1)[1] for ln in stderr.splitlines() if "site built " in ln and "pages" in ln), "?")


def _pagefind_line(stderr: str) -> str:
    return next((ln.split(": ", 1)[1] for ln in stderr.splitlines() if "pagefind:" in ln), "no Pagefind run")


def _comparable(site: Path) -> dict[str, bytes]:
    """Every file of a built site; the build date a full build stamps (sitemap <lastmod>, the gzip header
    of sitemap.xml.gz) blanked, as in tests/test_site_incremental.py."""
    import gzip
    import re

    out = {}
    for p in sorted(site.rglob("*")):
        if p.is_file():
            rel = p.relative_to(site).as_posix()
            data = gzip.decompress(p.read_bytes()) if rel == "sitemap.xml.gz" else p.read_bytes()
            if rel in ("sitemap.xml", "sitemap.xml.gz"):
                data = re.sub(rb"<lastmod>[^<]*</lastmod>", b"<lastmod/>", data)
            out[rel] = data
    return out


def bench_incremental(res: Result, proj: Path, n: int, sources: list[Path], jobs: int) -> Result:
    """A full ``briefing build`` against the incremental one after one article is added (search=pagefind),
    and whether the incremental site equals a full build of the same docs/."""
    from generator import sitebuild

    full = briefing(proj, "build", "--jobs", str(jobs))
    res.add("briefing build, cold (generate + full site build + Pagefind)", f"{full.seconds:.1f} s",
            f"peak {full.max_rss_mb:.0f} MB; {_site_line(full.stderr)}; {_pagefind_line(full.stderr)}")
    again = briefing(proj, "build", "--jobs", str(jobs))
    res.add("briefing build, nothing changed", f"{again.seconds:.1f} s", _site_line(again.stderr))
    write_corpus(proj / "content", 1, sources, start=n)
    # generate first, so that the build's time is the site's alone (its own generate finds nothing to do).
    gen = briefing(proj, "generate", "--jobs", str(jobs))
    res.add("generate, one article added", f"{gen.seconds:.1f} s", gen.stderr.strip().splitlines()[-1])
    add = briefing(proj, "build", "--jobs", str(jobs))
    res.add("briefing build after it (incremental site build + Pagefind)", f"{add.seconds:.1f} s",
            f"peak {add.max_rss_mb:.0f} MB; {_site_line(add.stderr)}; {_pagefind_line(add.stderr)}")
    settings = replace(load_settings(proj), site_dir="site-full", cache_dir=".bench-full-cache")
    started = time.perf_counter()
    reference = sitebuild.build(settings, full=True)
    res.add("full site build of the same docs/ (in-process, + Pagefind)", f"{time.perf_counter() - started:.1f} s",
            f"{reference.pages_rendered} pages rendered")
    a, b = _comparable(proj / "site"), _comparable(settings.site_path)
    differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    res.add("incremental site equals the full build", "yes" if not differ else "NO",
            f"{len(a)} files compared" + (f"; differ: {differ[:10]}" if differ else ""))
    return res


def bench_scale(res: Result, proj: Path, n: int, sources: list[Path], jobs: int, stock_links: bool) -> Result:
    """What publishing costs at N articles (search=pagefind): the built site's bytes per article, search
    index included; a full site build's seconds per article and peak memory (with ``stock_links``,
    first with Python-Markdown's own link parsing too, for generator/linkscan.py's effect in the same
    minutes); and adding one article to the up-to-date site/ (generate + incremental site build +
    Pagefind), as the publishing workflow does with its kept site/ and cache."""
    gen = briefing(proj, "generate", "--jobs", str(jobs))
    res.add("generate, cold", f"{gen.seconds:.1f} s", f"peak {gen.max_rss_mb:.0f} MB; "
            + gen.stderr.strip().splitlines()[-1])
    docs = proj / "docs"
    res.add("docs/ Markdown per article", f"{tree_bytes(docs) / n / 1024:.1f} KB",
            f"{tree_bytes(docs) / 1e6:.1f} MB, {sum(1 for _ in docs.rglob('*.md'))} pages")
    builder = [sys.executable, str(ROOT / "bench" / "site_build.py"), str(proj)]
    builds = [("site-stock", ".bench-stock-cache", "stock link parsing", ["--stock-links"])] if stock_links else []
    # The last full build is the project's own site/ and build state, which the addition then updates.
    builds.append(("site", ".briefing-cache", "generator.linkscan", []))
    for site_dir, cache_dir, label, extra in builds:
        shutil.rmtree(proj / site_dir, ignore_errors=True)
        full = run([*builder, "--site-dir", site_dir, "--cache-dir", cache_dir, *extra])
        res.add(f"full site build + Pagefind, {label}", f"{full.seconds / n * 1000:.0f} ms/article",
                f"{full.seconds:.1f} s, peak {full.max_rss_mb:.0f} MB (children included); "
                + full.stderr.strip().splitlines()[-1])
    site = proj / "site"
    bundle = site / "pagefind"
    res.add("built site per article, search index included", f"{tree_bytes(site) / n / 1024:.1f} KB",
            f"{tree_bytes(site) / 1e6:.1f} MB; Pagefind {tree_bytes(bundle) / n / 1024:.1f} KB/article")
    print(site_bytes.report(site, n), flush=True)
    # As a user or the publishing workflow adds one: one `briefing build` (generate, then the site).
    write_corpus(proj / "content", 1, sources, start=n)
    add = briefing(proj, "build", "--jobs", str(jobs))
    generated = next((ln for ln in add.stderr.splitlines() if " articles read, " in ln), "?")
    res.add("one article added: briefing build (generate + incremental site build + Pagefind)",
            f"{add.seconds:.1f} s",
            f"peak {add.max_rss_mb:.0f} MB; generate: {generated}; {_site_line(add.stderr)}; "
            f"{_pagefind_line(add.stderr)}; site part {_site_seconds(add.stderr)}")
    return res


def _site_seconds(stderr: str) -> str:
    """The site build's seconds from ``briefing build``'s last line ("site built with mkdocs in 9.1 s")."""
    return next((ln.rsplit(" in ", 1)[1] for ln in stderr.splitlines() if ln.startswith("site built with")), "?")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, action="append", help="corpus size (repeatable); default 1000")
    ap.add_argument("--source", type=Path, action="append", help="folder of sample articles (default content/)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--only", choices=["generate", "build", "quick", "incremental", "scale"],
                    help="stop after this stage; 'quick': no separate extraction timing, one Pagefind build; "
                         "'incremental': a full briefing build, then the incremental one after adding an article; "
                         "'scale': site bytes, full build time and memory per article, and add-one to site/")
    ap.add_argument("--build-engines", default="material,pagefind",
                    help="search engines to time 'briefing build' from scratch with (comma-separated); the "
                         "last should be pagefind, whose docs/ the next round's bare build then builds again")
    ap.add_argument("--rounds", type=int, default=1,
                    help="alternate the bare build and the full builds this many times, and the cold extraction "
                         "with all cores and with one; medians are printed")
    ap.add_argument("--stock-links", action="store_true",
                    help="with --only scale: a full build with Python-Markdown's own link parsing first, to compare")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    sources = args.source or [ROOT / "content"]
    for n in args.n or [1000]:
        bench(n, sources, args.jobs, args.only, tuple(args.build_engines.split(",")), args.rounds,
              args.stock_links)


if __name__ == "__main__":
    main()
