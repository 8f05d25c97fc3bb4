"""Regenerating on new articles: what lets each phase of the build pay only for what changed.

The build itself reads top to bottom in :func:`generator.pipeline.generate`; this module gives its
phases their caches:

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

import contextlib
import functools
import gc
import hashlib
import itertools
import logging
import multiprocessing
import operator
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import kinds, links, notes
from generator.cache import (
    FORMAT,
    Entry,
    ExtractionCache,
    OnDisk,
    code_version,
    digest,
    key_of,
    page_hash,
    sha,
)
from generator.cards import Card, Stored, pack_cards, unpack_cards
from generator.config import Settings
from generator.corpus import Corpus, EntityInfo
from generator.files import Stamp, stamp
from generator.kb import KnowledgeBase
from generator.models import Briefing
from generator.readers import ReadError, check_inside, read_bytes_checked
from generator.render import Page, Renderer
from generator.render.cards import card_of
from generator.render.feeds import WATCH_FEED_ITEMS
from generator.scan import content_files, read_article

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
    skipped: list[notes.Note] = field(default_factory=list)


def settings_key(settings: Settings) -> str:
    """The settings that change what an article's briefing holds (not how pages look)."""
    return f"summary_sentences={settings.summary_sentences}"


def scan(content: Path, kb: KnowledgeBase, settings: Settings, report: ExtractReport,
         known: dict[str, tuple[Stamp, str]] | None = None) -> tuple[list[Source], dict[str, tuple[Stamp, str]]]:
    """Every content file with its cache key, sorted by relative path; and each file's stamp and sha256.

    A file whose stamp is the one in ``known`` (the last build's) is not read: its sha256 is taken
    from there. A file that cannot even be read (too large, empty, a link outside) is reported and
    gets a key made from its error, so the build after it still knows whether it changed.
    """
    out: list[Source] = []
    files: dict[str, tuple[Stamp, str]] = {}
    known = known or {}
    skey = settings_key(settings)
    now = time.time_ns()
    for path, rel in content_files([content], content, report.skipped):
        prev = known.get(rel)
        st = stamp(path, now)
        if prev is not None and st is not None and st == prev[0]:
            # A regular file (lstat: not a link), as it was: the checks it passed then still hold.
            files[rel] = prev
            out.append(Source(path, rel, key_of(prev[1], rel, skey, kb.version)))
            continue
        try:
            check_inside(content, path)
            data = read_bytes_checked(path)
        except ReadError as exc:
            report.skipped.append(notes.skipped(str(exc), rel))
            out.append(Source(path, rel, "error:" + digest(str(exc)), error=str(exc)))
            continue
        content_sha = hashlib.sha256(data).hexdigest()
        if st is not None:
            files[rel] = (st, content_sha)
        out.append(Source(path, rel, key_of(content_sha, rel, skey, kb.version)))
    return out, files


# ---- extraction in worker processes ------------------------------------------------------------

_worker: tuple[Any, int, ExtractionCache] | None = None  # per worker process: (Extractor, sentences, cache)


def _init_worker(kb: KnowledgeBase, summary_sentences: int, cache_root: Path) -> None:
    """Runs once in each worker: building the Extractor (automaton, indexes) once, not per article."""
    global _worker
    from generator.extract import Extractor

    _worker = (Extractor(kb), summary_sentences, ExtractionCache(cache_root))


Outcome = tuple[str, Entry | None, str | None]  # (rel, entry, why the whole file was skipped)


def _extract_one(src: Source, extractor: Any, sentences: int) -> Entry:
    docs, skipped = read_article(src.path, src.rel, None)  # its place was checked by scan()
    briefings: list[Briefing] = []
    for doc in docs:
        if doc.draft:
            continue
        try:
            briefings.append(extractor.extract(doc, summary_sentences=sentences))
        except Exception as exc:  # one article that breaks the extractor must not stop the others
            log.debug("extraction of %s failed", doc.path, exc_info=True)
            skipped.append(notes.skipped(f"{doc.path}: extraction failed ({type(exc).__name__}: {exc}); "
                                         "please report it with the article", doc.path))
    return Entry(tuple(briefings), tuple(skipped))


def _extract_chunk(chunk: list[Source]) -> list[Outcome]:
    """Outcomes of the chunk, in this process (a worker of the pool, or the build process); its
    entries are written to the cache here, in one transaction."""
    assert _worker is not None, "worker not initialised"
    extractor, sentences, cache = _worker
    done: list[Outcome] = []
    for src in chunk:
        try:
            done.append((src.rel, _extract_one(src, extractor, sentences), None))
        except ReadError as exc:
            done.append((src.rel, None, str(exc)))
    cache.put_many([(src.key, entry) for src, (_, entry, _) in zip(chunk, done, strict=True) if entry is not None])
    return done


def _chunks(items: list[Source], workers: int) -> list[list[Source]]:
    # A quarter of each worker's share of what is left, 8 to 64 articles: large enough that sending
    # a chunk and its briefings back (and writing its rows) costs little next to extracting it, and
    # smaller toward the end, so that no worker is left extracting a large last chunk alone.
    out: list[list[Source]] = []
    i = 0
    while i < len(items):
        size = max(8, min(64, (len(items) - i) // (workers * 4)))
        out.append(items[i:i + size])
        i += size
    return out


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


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector, as mypy does for its builds (and forked workers inherit it).

    A large site holds millions of small tuples (cards, mentions, briefings received from workers);
    each full collection walks them all, and building them triggers many: a quarter of the time of
    adding an article to 5,000, and about as much as unpickling the workers' briefings. Builds make
    little cyclic garbage (66 objects in 600 extracted articles); the collector is back on after.

    What the pause allocated is frozen (``gc.freeze``) before the collector is back on: otherwise its
    first collection walks every object made meanwhile.
    Frozen objects are still freed when no longer referenced; only cyclic garbage made during the
    pause is never collected, and builds make next to none.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def extract_misses(misses: list[Source], kb: KnowledgeBase, settings: Settings) -> list[Outcome]:
    """Read and extract the given files, in parallel when there are enough; results in input order."""
    with paused_gc():
        return _extract_misses(misses, kb, settings)


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


@dataclass
class Extracted:
    """What the build knows of every article: its card, and how to get the whole briefing."""

    cards: list[Card]  # content-path order (a feed's entries in feed order)
    keys: dict[str, str]  # doc path -> key of the briefing (fixes its whole content)
    origin: dict[str, tuple[Source, int]]  # doc path -> its content file and its place in the file's entry
    fresh: dict[str, Briefing]  # doc path -> whole briefings this run read: extracted, or whose cards it made
    cache: ExtractionCache


def extract_sources(sources: list[Source], kb: KnowledgeBase, settings: Settings,
                    report: ExtractReport) -> Extracted:
    """The cards of all sources, in content-path order: from the extraction cache, else made from its
    entry, else extracted (in parallel when there are enough); the cards made are added to the cache."""
    cache = ExtractionCache(settings.cache_path)
    got: dict[str, Stored] = {}
    for key, packed in cache.cards(s.key for s in sources if not s.error).items():
        hit = unpack_cards(packed)
        if hit is not None:
            got[key] = hit
    fresh: dict[str, Briefing] = {}
    made: dict[str, Stored] = {}

    def take(src: Source, entry: Entry) -> None:
        got[src.key] = made[src.key] = (tuple(card_of(b, kb) for b in entry.briefings), entry.skipped)
        fresh.update((b.doc.path, b) for b in entry.briefings)

    misses: list[Source] = []
    for src in sources:
        if src.error or src.key in got:
            continue
        entry = cache.get(src.key)  # an entry whose cards were never added (a run killed before)
        if entry is None:
            misses.append(src)
        else:
            take(src, entry)
    by_rel = {s.rel: s for s in misses}
    for rel, entry, problem in extract_misses(misses, kb, settings):
        if entry is not None:
            take(by_rel[rel], entry)
        else:
            assert problem is not None
            log.debug("skipped %s", problem)
            report.skipped.append(notes.skipped(problem, rel))
    cache.put_cards((key, pack_cards(*stored)) for key, stored in made.items())
    report.extracted = len(misses)
    out = Extracted([], {}, {}, fresh, cache)
    for src in sources:
        stored = got.get(src.key)
        if stored is None:
            continue
        cards, skipped = stored
        for note in skipped:
            log.debug("noted %s", note.message)
        report.skipped.extend(skipped)
        for i, card in enumerate(cards):
            out.cards.append(card)
            out.keys[card.path] = digest(src.key, card.path)
            out.origin[card.path] = (src, i)
    return out


class Loader:
    """Whole briefings by doc path, for the pages rendered again: this run's, else the extraction cache's."""

    def __init__(self, ex: Extracted, kb: KnowledgeBase, settings: Settings) -> None:
        self.ex, self.kb, self.settings = ex, kb, settings

    def __call__(self, path: str) -> Briefing:
        b = self.ex.fresh.get(path)
        if b is not None:
            return b
        src, i = self.ex.origin[path]
        entry = self.ex.cache.get(src.key)
        if entry is None:  # the card outlived its cache entry (deleted by hand): extract the file again
            (_, entry, problem), = extract_misses([src], self.kb, self.settings)
            if entry is None:
                raise RuntimeError(f"{src.rel}: could not be read again: {problem}")
        self.ex.fresh.update((b.doc.path, b) for b in entry.briefings)
        return entry.briefings[i]


# ---- rendering only what changed -----------------------------------------------------------------

class PageKeys:
    """The key of each page: a digest of every input its rendering reads.

    A briefing page reads its own briefing, its related briefings (titles, shared entities) and KB
    names; an entity page reads the entity, every briefing that mentions it, the names of the
    entities named with it, and KB facts that point at other entities. An actor's statements (claims
    it makes, claims whose sentence names it) come from briefings that name it, so they are among the
    briefings its key stands for (its feed has a key of its own, :meth:`feed`). Briefings are stood for by
    their cache keys, which fix their whole content; the KB, the render code and the settings go
    into ``global_key``, so any change there re-renders every page.

    ``previous_names`` (entity -> name, from the last build) tells which entities were renamed since
    (an entity is named as the first briefing naming it names it). A page that lists a renamed entity
    gets the new name into its key, so it is rendered again; adding an article re-renders only the
    pages of the entities it names, not every dossier.
    """

    def __init__(self, corpus: Corpus, keys_by_slug: dict[str, str],
                 previous_names: dict[str, str] | None = None) -> None:
        self.c = corpus
        self.k = keys_by_slug
        self._entity_keys: dict[tuple[str, str], str] = {}
        self._stories: dict[str, str] = {}
        prev = previous_names or {}
        renamed = {k for k, e in corpus.entities.items() if prev.get(name_key(k), e.name) != e.name}
        # Every entity that shares a briefing with a renamed one lists it: those pages carry the names.
        self.renamed_near: dict[tuple[str, str], set[tuple[str, str]]] = {}
        for k in sorted(renamed):
            for r in corpus.entities[k].refs:
                for m in corpus.cards[r.slug].marks:
                    self.renamed_near.setdefault((m.kind, m.id), set()).add(k)
        self.operated: dict[str, list[str]] = {}
        for w in corpus.kb.weapons.values():
            if w.operator and ("weapon", w.id) in corpus.entities:
                self.operated.setdefault(w.operator, []).append(w.id)

    @functools.cached_property
    def _tokens(self) -> dict[str, str]:
        """Slug -> 16 hex digits of the hash of the slug and the briefing's key."""
        return {slug: sha(f"{slug}\0{key}".encode())[:16] for slug, key in self.k.items()}

    # Briefing pages and records are keyed by the briefings' tokens, not by digest(): 10,000 keys a build
    # at 5,000 articles, and a page's key is compared only with the same page's last key.
    def briefing(self, slug: str) -> str:
        tokens = self._tokens
        original = self.c.syndicated.get(slug)  # a copy's page links to the first with its text
        return sha("".join([tokens[slug], *(tokens[s] for s, _ in self.c.related.get(slug, ())),
                            "=" + tokens[original] if original else "", self._story_tokens(slug)]).encode("ascii"))

    def _story_tokens(self, slug: str) -> str:
        """What a list item or an "also reported" line of a briefing shows of its story: its id and
        its reports (their titles, outlets and count); empty for a briefing that is a story alone."""
        return self._story_of_slug.get(slug, "")

    @functools.cached_property
    def _story_of_slug(self) -> dict[str, str]:
        """Slug -> its story's token, for briefings in stories of several reports (looked up in C)."""
        return {slug: self._story_token(sid) for slug, sid in self.c.in_story.items()}

    def _story_token(self, sid: str) -> str:
        got = self._stories.get(sid)
        if got is None:
            tokens = self._tokens
            got = self._stories[sid] = "|" + sha("\0".join([sid, *map(tokens.__getitem__, self.c.stories[sid])])
                                                 .encode("utf-8"))[:16]
        return got

    def record(self, slug: str) -> str:
        return self._tokens[slug]

    def feed(self, info: EntityInfo) -> str:
        """An entity's feed shows its name and its newest WATCH_FEED_ITEMS briefings (their cards: title,
        summary, date, actors, source), which their tokens fix; the site's URL is in the global key. So
        an added article that is not among them leaves the feed as it was."""
        tokens = self._tokens
        newest = list(dict.fromkeys(map(_slug_of, info.refs)))[:WATCH_FEED_ITEMS]
        return digest("feed", info.kind, info.id, info.name, "".join(map(tokens.__getitem__, newest)))

    def story_feed(self, info: EntityInfo) -> str:
        """A story's feed shows its newest reports (their cards) and its count, which its token fixes."""
        return digest("story feed", info.id, self._story_token(info.id))

    def entity(self, info: EntityInfo, shown: Iterable[str] | None = None, counted: bool = True) -> str:
        """The key of the entity's page. Its list shows a story of several reports once, as the story:
        the stories of the briefings it shows (``shown``, slugs; by default all that name the entity)
        fix those lines, with all their reports when it shows their count (``counted``), else their
        title alone. Briefings that its archive pages list are in those pages' keys instead."""
        slugs = map(_slug_of, info.refs) if shown is None else shown
        # (map and filter in C: dossiers list 170,000 briefings at 5,000 articles)
        sids = dict.fromkeys(filter(None, map(self.c.in_story.get, slugs)))
        story = self._story_token if counted else self._story_title_token
        return sha((self.content(info) + "".join(map(story, sids))).encode("utf-8"))

    def content(self, info: EntityInfo) -> str:
        """The key of what the entity's pages read apart from stories (its chart reads only this)."""
        key = self._entity_keys.get(info.key)
        if key is None:
            key = self._entity_keys[info.key] = self._entity(info)
        return key

    def _entity(self, info: EntityInfo) -> str:
        # The briefings that mention an entity fix its co-occurrence counts too (every briefing that
        # names both is among them), and the co-occurring entities' names unless one was renamed.
        # Each briefing stands for itself by a short token of its slug and key, joined and hashed in C:
        # the dossiers of a large site list a hundred thousand briefings and more.
        tokens = self._tokens
        refs = sha("".join(map(tokens.__getitem__, map(_slug_of, info.refs))).encode("ascii"))
        renamed = sorted((k, self.c.entities[k].name) for k in self.renamed_near.get(info.key, ()))
        # KB facts that link to other entities' pages when those have pages: whether they do, and names.
        facts: list[object] = []
        if not info.discovered:
            entry = getattr(self.c.kb, kinds.kind(info.kind).kb_table, {}).get(info.id)
            for ref in (getattr(entry, "affiliation", None), getattr(entry, "operator", None),
                        getattr(entry, "country", None)):
                other = self.c.entities.get(("actor", ref)) if ref else None
                facts.append((ref, other.name if other else None))
        if info.kind == "actor":
            facts.append(sorted(self.operated.get(info.id, ())))
        if kinds.kind(info.kind).gathered:
            # A story's page names the entities of its reports by their names now.
            keys = sorted({(m.kind, m.id) for r in info.refs for m in self.c.cards[r.slug].marks})
            facts.append([(k, self.c.entities[k].name) for k in keys if k in self.c.entities])
        return digest("entity", info.kind, info.id, info.name, info.subtype, info.discovered,
                      sorted(info.aliases), refs, renamed, facts)

    def archive(self, path: str, slugs: Sequence[str], context: tuple[object, ...], counted: bool = True) -> str:
        """An archive page reads its briefings' cards (their tokens), the stories it lists them as (with
        their reports when ``counted``, else their first report only: the title it shows), and its title
        and wording (``context``)."""
        tokens = self._tokens
        if counted:
            stories = "".join(map(self._story_of_slug.get, slugs, itertools.repeat("")))
        else:
            sid_of = self.c.in_story.get
            stories = "".join(self._story_title_token(sid) if sid else "" for sid in map(sid_of, slugs))
        return digest("archive", path, list(context), counted,
                      sha("".join(map(tokens.__getitem__, slugs)).encode("ascii")), stories)

    def _story_title_token(self, sid: str) -> str:
        """What a list shows of a story without its count: its id and its first report (the title)."""
        return f"|{sid}={self._tokens[self.c.stories[sid][0]]}"


_slug_of = operator.itemgetter(0)  # Ref.slug


def name_key(key: tuple[str, str]) -> str:
    return f"{key[0]}:{key[1]}"


class CachingRenderer(Renderer):
    """A Renderer that takes unchanged briefing and entity pages from the last build's output.

    Only the page kinds that are numerous are cached (briefings, their JSON records, entities and the
    archive pages of every list); the home, index and list pages are always rendered, as is any page
    kind added later.
    """

    def __init__(self, corpus: Corpus, keys: PageKeys, previous: dict[str, tuple[str, str]], docs: Path,
                 stamps: dict[str, Stamp] | None = None, **kwargs: Any) -> None:
        super().__init__(corpus, **kwargs)
        self.keys = keys
        self.previous = previous
        self.stamps = stamps or {}
        self.docs = docs
        self._docs = os.fspath(docs)  # a str: joining Path objects cost more than the lstat, 10,000 pages a build
        self.page_keys: dict[str, str] = {}
        self.rendered: list[str] = []  # the paths of the pages rendered again, not reused
        self.reused = 0

    def _reuse(self, path: str, key: str) -> Page | None:
        self.page_keys[path] = key
        prev = self.previous.get(path)
        if prev is None or prev[0] != key:
            return None
        known = self.stamps.get(path)
        if known is not None and stamp(f"{self._docs}/{path}") == known:
            self.reused += 1
            return OnDisk(prev[1], known)  # as the last build wrote it: not even read
        try:
            data = (self.docs / path).read_bytes()
        except OSError:
            return None
        if page_hash(data) != prev[1]:
            return None  # edited or damaged by hand since: render it again
        self.reused += 1
        return data.decode("utf-8")

    def bookkeeping(self, paths: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        wanted = set(paths)
        return ({p: k for p, k in self.page_keys.items() if p in wanted}, [p for p in self.rendered if p in wanted])

    def adopt(self, keys: dict[str, str], rendered: list[str]) -> None:
        self.page_keys.update(keys)
        self.rendered.extend(rendered)

    def _cached(self, path: str, key: str, render: Callable[[], Page]) -> Page:
        hit = self._reuse(path, key)
        if hit is not None:
            return hit
        self.rendered.append(path)
        return render()

    def briefing(self, slug: str) -> Page:
        return self._cached(links.briefing_path(slug), self.keys.briefing(slug),
                            lambda: super(CachingRenderer, self).briefing(slug))

    def record(self, slug: str) -> Page:
        return self._cached(links.record_path(slug), self.keys.record(slug),
                            lambda: super(CachingRenderer, self).record(slug))

    def entity(self, info: EntityInfo) -> Page:
        # A dossier shows its newest briefings; the stories of older ones matter to its archive pages only.
        dossier = kinds.kind(info.kind).page == "entity"
        shown = [r.slug for r in self._dossier_split(info)[0]] if dossier else None
        key = self.keys.entity(info, shown, counted=self.DOSSIER_COUNTED or not dossier)
        return self._cached(links.entity_path(info.kind, info.id), key,
                            lambda: super(CachingRenderer, self).entity(info))

    def _archive(self, path: str, slugs: Sequence[str], context: tuple[object, ...],
                 render: Callable[[], str], counted: bool) -> Page:
        return self._cached(path, self.keys.archive(path, slugs, context, counted), render)

    def entity_feed(self, info: EntityInfo, make: Callable[[], str]) -> Page:
        return self._cached(links.entity_feed_path(info.kind, info.id), self.keys.feed(info), make)

    def story_feed(self, info: EntityInfo, make: Callable[[], str]) -> Page:
        return self._cached(links.entity_feed_path(info.kind, info.id), self.keys.story_feed(info), make)

    def chart(self, info: EntityInfo) -> Page | None:
        # Drawn from the dates of the briefings that name the entity, which its page's key fixes.
        hit = self._reuse(links.chart_path(info.kind, info.id), digest("chart", self.keys.content(info)))
        if hit is not None:
            return hit
        return super().chart(info)


def global_key(kb: KnowledgeBase, settings: Settings) -> str:
    return digest(FORMAT, code_version(), kb.version, settings_key(settings),
                  settings.latest, settings.related, settings.search, settings.dossier_quotes, settings.page_size,
                  settings.dossier_statements)


def page_table(pages: dict[str, str | bytes | OnDisk], keys: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Path -> (input key, hash of the bytes) for the state file; pages without a key get ''."""
    return {p: (keys.get(p, ""), text.sha if isinstance(text, OnDisk) else
                page_hash(text.encode("utf-8") if isinstance(text, str) else text))
            for p, text in pages.items()}


def page_stamps(pages: dict[str, str | bytes | OnDisk], docs: Path) -> dict[str, Stamp]:
    """The stamp of every page just written or kept (none for a page written too recently to trust)."""
    now = time.time_ns()
    out: dict[str, Stamp] = {}
    for p, text in pages.items():
        st = text.stamp if isinstance(text, OnDisk) else stamp(docs / p, now)
        if st is not None:
            out[p] = st
    return out


def compare(prev: dict[str, str], sources: Iterable[Source], report: ExtractReport) -> dict[str, str]:
    now = {s.rel: s.key for s in sources}
    report.new = sorted(r for r in now if r not in prev)
    report.changed = sorted(r for r in now if r in prev and prev[r] != now[r])
    report.removed = sorted(r for r in prev if r not in now)
    return now
