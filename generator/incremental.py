"""Regenerating on new articles: scan, extract what changed (in parallel), render what changed.

The full pipeline runs read -> extract -> index -> render -> write. This module makes each phase
pay only for what changed since the last build:

- scan: read every article's bytes and hash them (cheap); nothing is parsed yet;
- extract: briefings of unchanged articles come from :class:`~generator.cache.ExtractionCache`;
  the rest are read and extracted by a process pool, each worker building its Extractor once;
- index: the corpus is rebuilt from all briefings (it is linear, and entity pages need it whole);
- render: each briefing and entity page gets a key from the inputs it is rendered from; a page
  whose key matches the last build's is taken from docs/ (its hash checked) instead of rendered;
- nothing changed at all (same article keys, same code, KB and settings, pages intact): stop after
  the scan.

The output is the same as a build from scratch, byte for byte; tests/test_incremental.py checks it.
"""

from __future__ import annotations

import functools
import gc
import logging
import multiprocessing
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import links
from generator.cache import (
    EXTRACTOR_VERSION,
    FORMAT,
    BuildState,
    Entry,
    ExtractionCache,
    digest,
    entry_key,
    render_version,
    sha,
)
from generator.config import Settings
from generator.corpus import Corpus, EntityInfo
from generator.dedupe import drop_duplicates
from generator.kb import KnowledgeBase
from generator.models import Briefing
from generator.readers import ReadError, check_inside, discover, read_bytes_checked, read_docs
from generator.render import Renderer

log = logging.getLogger("briefing")

PROGRESS_MIN = 200
"""Show a progress bar only when more articles than this are extracted (and stderr is a terminal)."""

SERIAL_MAX = 16
"""Extract this many or fewer in this process: a pool's start-up (one Extractor per worker) costs more."""


@dataclass(frozen=True)
class Source:
    path: Path
    rel: str
    key: str
    error: str | None = None  # the file could not be read at all


@dataclass
class ExtractReport:
    read: int = 0  # articles (a feed file holds several)
    new: list[str] = field(default_factory=list)  # content files, against the previous build
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    extracted: int = 0  # content files read and extracted (not from the cache)
    skipped: list[str] = field(default_factory=list)


def settings_key(settings: Settings) -> str:
    """The settings that change what an article's briefing holds (not how pages look)."""
    return f"summary_sentences={settings.summary_sentences}"


def scan(content: Path, kb: KnowledgeBase, settings: Settings, report: ExtractReport) -> list[Source]:
    """Every content file with its cache key, sorted by relative path.

    A file that cannot even be read (too large, empty, a link outside) is reported and gets a key
    made from its error, so the build after it still knows whether it changed.
    """
    out: list[Source] = []
    skey = settings_key(settings)
    for path, rel in discover(content):
        try:
            check_inside(content, path)
            data = read_bytes_checked(path)
        except ReadError as exc:
            report.skipped.append(str(exc))
            out.append(Source(path, rel, "error:" + digest(str(exc)), error=str(exc)))
            continue
        out.append(Source(path, rel, entry_key(data, rel, skey, kb.version)))
    return out


# ---- extraction in worker processes ------------------------------------------------------------

_worker: tuple[Any, int, ExtractionCache] | None = None  # per worker process: (Extractor, sentences, cache)


def _init_worker(kb: KnowledgeBase, summary_sentences: int, cache_root: Path) -> None:
    """Runs once in each worker: building the Extractor (automaton, indexes) once, not per article."""
    global _worker
    from generator.extract import Extractor

    _worker = (Extractor(kb), summary_sentences, ExtractionCache(cache_root))


Outcome = tuple[str, Entry | None, str | None]  # (rel, entry, why the whole file was skipped)


def _extract_one(src: Source, extractor: Any, sentences: int) -> Entry:
    docs, bad = read_docs(src.path, src.rel)
    briefings: list[Briefing] = []
    skipped = [str(e) for e in bad]
    for doc in docs:
        try:
            briefings.append(extractor.extract(doc, summary_sentences=sentences))
        except Exception as exc:  # one article that breaks the extractor must not stop the others
            log.debug("extraction of %s failed", doc.path, exc_info=True)
            skipped.append(f"{doc.path}: extraction failed ({type(exc).__name__}: {exc}); "
                           "please report it with the article")
    return Entry(tuple(briefings), tuple(skipped))


def _extract_chunk(chunk: list[Source]) -> list[Outcome]:
    assert _worker is not None, "worker not initialised"
    extractor, sentences, cache = _worker
    out: list[Outcome] = []
    for src in chunk:
        try:
            entry = _extract_one(src, extractor, sentences)
        except ReadError as exc:
            out.append((src.rel, None, str(exc)))
            continue
        cache.put(src.key, entry)  # written by the worker, so serialising runs in parallel too
        out.append((src.rel, entry, None))
    return out


def _chunks(items: list[Source], workers: int) -> list[list[Source]]:
    # About eight chunks per worker: small enough to balance uneven articles, large enough that
    # sending a chunk and its briefings back costs little next to extracting it.
    size = max(1, min(64, len(items) // (workers * 8) or 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _progress(total: int) -> Callable[[int], None] | None:
    if total <= PROGRESS_MIN or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    tqdm.monitor_interval = 0  # no monitor thread: a later fork (the next pool) must not copy one
    bar = tqdm(total=total, unit="file", file=sys.stderr, desc="extracting", leave=False)
    return bar.update


def extract_misses(misses: list[Source], kb: KnowledgeBase, settings: Settings) -> list[Outcome]:
    """Read and extract the given files, in parallel when there are enough; results in input order.

    The cyclic garbage collector is paused meanwhile (and in forked workers): each collection walks
    every briefing received so far, which cost this process about as much as unpickling them
    (1.0-1.3 ms an article at 5,000), and extraction leaves almost no cycles (66 in 600 articles).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _extract_misses(misses, kb, settings)
    finally:
        if enabled:
            gc.enable()


def _extract_misses(misses: list[Source], kb: KnowledgeBase, settings: Settings) -> list[Outcome]:
    if not misses:
        return []
    cache_root = settings.cache_path
    workers = min(settings.workers, max(1, len(misses) // 4))
    update = _progress(len(misses))
    outcomes: list[Outcome] = []
    if workers <= 1 or len(misses) <= SERIAL_MAX:
        _init_worker(kb, settings.summary_sentences, cache_root)
        for chunk in _chunks(misses, 1):
            outcomes.extend(_extract_chunk(chunk))
            if update:
                update(len(chunk))
    else:
        # fork shares the loaded KB with the workers for free; elsewhere it is pickled once per worker
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=(kb, settings.summary_sentences, cache_root)) as pool:
            futures = [pool.submit(_extract_chunk, c) for c in _chunks(misses, workers)]
            for fut in as_completed(futures):
                done = fut.result()
                outcomes.extend(done)
                if update:
                    update(len(done))
    order = {s.rel: i for i, s in enumerate(misses)}
    return sorted(outcomes, key=lambda o: order[o[0]])


def extract_sources(sources: list[Source], kb: KnowledgeBase, settings: Settings,
                    report: ExtractReport) -> tuple[list[Briefing], dict[str, str]]:
    """Briefings of all sources (cache first), in content-path order, and each briefing's key by doc path."""
    cache = ExtractionCache(settings.cache_path)
    got: dict[str, Entry] = {}
    misses: list[Source] = []
    for src in sources:
        if src.error:
            continue
        entry = cache.get(src.key)
        if entry is None or any(b.doc.path.split("#")[0] != src.rel for b in entry.briefings):
            misses.append(src)
        else:
            got[src.rel] = entry
    for rel, entry, problem in extract_misses(misses, kb, settings):
        if entry is not None:
            got[rel] = entry
        else:
            assert problem is not None
            log.debug("skipped %s", problem)
            report.skipped.append(problem)
    report.extracted = len(misses)
    briefings: list[Briefing] = []
    keys: dict[str, str] = {}
    for src in sources:
        entry = got.get(src.rel)
        if entry is None:
            continue
        for problem in entry.skipped:
            log.debug("skipped %s", problem)
        report.skipped.extend(entry.skipped)
        for b in entry.briefings:
            briefings.append(b)
            keys[b.doc.path] = digest(src.key, b.doc.path)
    return briefings, keys


# ---- rendering only what changed -----------------------------------------------------------------

class PageKeys:
    """The key of each page: a digest of every input its rendering reads.

    A briefing page reads its own briefing, its related briefings (titles, shared entities) and KB
    names; an entity page reads the entity, every briefing that mentions it and its co-occurrences.
    Briefings are stood for by their cache keys, which fix their whole content; the KB, the render
    code and the settings go into ``global_key``, so any change there re-renders every page.
    """

    def __init__(self, corpus: Corpus, keys_by_slug: dict[str, str]) -> None:
        self.c = corpus
        self.k = keys_by_slug

    def briefing(self, slug: str) -> str:
        related = [(s, self.k[s]) for s, _ in self.c.related.get(slug, ())]
        return digest("briefing", slug, self.k[slug], related)

    def entity(self, info: EntityInfo) -> str:
        # The briefings that mention an entity fix its co-occurrence counts too (every briefing that
        # names both is among them). Only the names of co-occurring entities can come from elsewhere
        # (the first briefing that named them), so all entity names go in as one digest.
        refs = [(r.slug, self.k[r.slug]) for r in info.refs]
        return digest("entity", info.kind, info.id, info.name, info.subtype, info.discovered,
                      sorted(info.aliases), refs, self.names)

    @functools.cached_property
    def names(self) -> str:
        return digest(sorted((k, e.name) for k, e in self.c.entities.items()))


class CachingRenderer(Renderer):
    """A Renderer that takes unchanged briefing and entity pages from the last build's output.

    Only the two page kinds that are numerous are cached; the home and index pages (five of them)
    are always rendered, as is any page kind added to Renderer.pages() later.
    """

    def __init__(self, corpus: Corpus, keys: PageKeys, previous: dict[str, tuple[str, str]], docs: Path,
                 **kwargs: Any) -> None:
        super().__init__(corpus, **kwargs)
        self.keys = keys
        self.previous = previous
        self.docs = docs
        self.page_keys: dict[str, str] = {}
        self.rendered = 0
        self.reused = 0

    def _reuse(self, path: str, key: str) -> str | None:
        self.page_keys[path] = key
        prev = self.previous.get(path)
        if prev is None or prev[0] != key:
            return None
        try:
            data = (self.docs / path).read_bytes()
        except OSError:
            return None
        if sha(data) != prev[1]:
            return None  # edited or damaged by hand since: render it again
        self.reused += 1
        return data.decode("utf-8")

    def briefing(self, slug: str) -> str:
        path = links.briefing_path(slug)
        hit = self._reuse(path, self.keys.briefing(slug))
        if hit is not None:
            return hit
        self.rendered += 1
        return super().briefing(slug)

    def entity(self, info: EntityInfo) -> str:
        path = links.entity_path(info.kind, info.id)
        hit = self._reuse(path, self.keys.entity(info))
        if hit is not None:
            return hit
        self.rendered += 1
        return super().entity(info)


def global_key(kb: KnowledgeBase, settings: Settings) -> str:
    return digest(FORMAT, EXTRACTOR_VERSION, render_version(), kb.version, settings_key(settings),
                  settings.latest, settings.related, settings.search)


def page_table(pages: dict[str, str | bytes], keys: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Path -> (input key, hash of the bytes) for the state file; pages without a key get ''."""
    return {p: (keys.get(p, ""), sha(text.encode("utf-8") if isinstance(text, str) else text))
            for p, text in pages.items()}


def compare(prev: dict[str, str], sources: Iterable[Source], report: ExtractReport) -> dict[str, str]:
    now = {s.rel: s.key for s in sources}
    report.new = sorted(r for r in now if r not in prev)
    report.changed = sorted(r for r in now if r in prev and prev[r] != now[r])
    report.removed = sorted(r for r in prev if r not in now)
    return now


@dataclass
class IncrementalResult:
    """What one incremental generate did, for the pipeline's BuildReport."""

    extract: ExtractReport
    pages: dict[str, str | bytes] | None  # None: nothing changed, nothing to write
    rendered: int = 0
    reused: int = 0
    unchanged: int = 0  # pages left as they were when nothing changed


def generate_pages(settings: Settings, kb: KnowledgeBase, index: Callable[[list[Briefing]], Corpus],
                   outputs: Callable[[Corpus, Renderer], dict[str, str | bytes]],
                   write: Callable[[dict[str, str | bytes]], None], extra: dict[str, str] | None = None,
                   key_parts: tuple[str, ...] = ()) -> IncrementalResult:
    """Scan, extract, index, render and write, each for what changed; see the module's docstring.

    ``index`` builds the corpus from briefings, ``outputs`` turns it into every file of docs/ using
    the renderer given, and ``write`` hands them to the Writer; all three are the pipeline's, so this
    module adds caching and nothing else. ``key_parts`` are further inputs of every page (site_url).
    """
    report = ExtractReport()
    content = settings.content_path
    if content.is_dir():
        sources = scan(content, kb, settings, report)
    else:
        log.warning("no content folder at %s: the site will have no briefings", content)
        sources = []
    root = settings.cache_path
    state = BuildState.load(root)
    gkey = digest(global_key(kb, settings), key_parts,
                  sorted((p, sha(t.encode("utf-8"))) for p, t in (extra or {}).items()))
    articles = compare(state.articles, sources, report)
    if (state.global_key == gkey and state.articles == articles and state.pages
            and state.pages_intact(settings.docs_path)):
        report.read, report.skipped = state.read, list(state.skipped)
        return IncrementalResult(report, None, unchanged=len(state.pages))
    briefings, keys = extract_sources(sources, kb, settings, report)
    kept, duplicates = drop_duplicates([b.doc for b in briefings])
    if duplicates:
        kept_ids = {id(d) for d in kept}
        briefings = [b for b in briefings if id(b.doc) in kept_ids]
        report.skipped.extend(duplicates)
    report.read = len(briefings)
    corpus = index(briefings)
    keys_by_slug = {slug: keys[b.doc.path] for slug, b in corpus.briefings.items()}
    previous = state.pages if state.global_key == gkey else {}
    renderer = CachingRenderer(corpus, PageKeys(corpus, keys_by_slug), previous, settings.docs_path,
                               latest=settings.latest)
    pages = {**outputs(corpus, renderer), **(extra or {})}
    write(pages)
    BuildState(gkey, articles, report.read, list(report.skipped), page_table(pages, renderer.page_keys)).save(root)
    ExtractionCache(root).prune({s.key for s in sources})
    return IncrementalResult(report, pages, renderer.rendered, renderer.reused)
