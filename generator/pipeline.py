"""The build, in the order of its data flow: scan -> extract -> dedupe -> cluster -> index -> render -> write
-> site engine (:func:`generate`, then :func:`mkdocs_build`).

Nothing is written until everything is read, extracted and indexed. One bad article is reported
(file and line) and skipped; the others still build.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import incremental, journal, links, notes, redirects, scan, search
from generator.cache import BuildState, OnDisk, digest, sha
from generator.cards import Card
from generator.config import Settings
from generator.corpus import Corpus, corpus_from_cards
from generator.dedupe import body_of, drop_duplicates, find_duplicates, key_and_sketch, near_duplicates
from generator.files import Stamp
from generator.kb import KnowledgeBase, load_kb
from generator.models import Briefing, SourceDoc
from generator.outputs import EXTRA_OWNED, site_outputs, site_url_from
from generator.readers import ReadError
from generator.render.cards import card_of
from generator.stories import Clustering
from generator.writer import Writer, WriteReport

log = logging.getLogger("briefing")


def owned() -> tuple[str, ...]:
    """What the writer may write and remove in docs/: read when writing, so a kind added to the table counts."""
    return (*tuple(f"{d}/" for d in links.owned_dirs()), "index.md", *EXTRA_OWNED, f"{search.ASSET_DIR}/",
            *redirects.owned())


@dataclass
class BuildReport:
    read: int = 0
    skipped: list[str] = field(default_factory=list)  # one line per skipped file: path[:line]: problem
    warnings: list[str] = field(default_factory=list)  # articles built, or drafts left out, with a remark
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # Content files against the previous build (generate only), and how many were read and extracted.
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    extracted: int = 0
    # Pages of the kinds kept between builds (briefings, dossiers, archive pages...) rendered again.
    rendered: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.read} articles read, {len(self.written)} pages written, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed, {len(self.skipped)} skipped, {self.seconds:.1f} s "
                f"(files: {len(self.new)} new, {len(self.changed)} changed, {len(self.gone)} removed, "
                f"{self.extracted} extracted)")


def load_knowledge(settings: Settings) -> KnowledgeBase:
    from generator.kb import BUNDLED

    # Once a build has made the cache folder, the validated KB is kept there (JSON, read much faster
    # than the YAML is parsed); commands run outside a project do not create one.
    cache = settings.cache_path if settings.cache_path.is_dir() else None
    return load_kb([BUNDLED, *settings.kb_paths], cache_dir=cache)


def read_sources(paths: Iterable[Path], root: Path | None, report: BuildReport) -> list[SourceDoc]:
    """Read every article file under the given paths (files or folders), sorted, skipping bad ones."""
    docs: list[SourceDoc] = []
    said: list[notes.Note] = []
    for path, rel in scan.content_files(paths, root, said):
        try:
            found, messages = scan.read_article(path, rel, root)
        except ReadError as exc:
            log.debug("skipped %s", exc)
            said.append(notes.skipped(str(exc), rel))
            continue
        said.extend(messages)
        docs.extend(d for d in found if not d.draft)
    docs, duplicates = drop_duplicates(docs)
    for message in duplicates:
        log.debug("skipped %s", message)
    said.extend(map(notes.skipped, duplicates))
    said.extend(map(notes.warning, near_duplicates(((d.path, *key_and_sketch(body_of(d))) for d in docs),
                                                   {d.path: (d.url, d.source) for d in docs})))
    report.skipped, report.warnings = notes.split(said)
    report.read = len(docs)
    return docs


def extract_all(docs: list[SourceDoc], kb: KnowledgeBase, settings: Settings) -> list[Briefing]:
    # Imported here: generate runs it only in worker processes (its patterns take a while to
    # compile), so adding an article to a large site does not pay for it in the build process.
    from generator.extract import Extractor

    extractor = Extractor(kb)
    return [extractor.extract(d, summary_sentences=settings.summary_sentences) for d in docs]


def build_corpus(briefings: Mapping[str, Briefing], kb: KnowledgeBase, related_count: int = 5) -> Corpus:
    """The corpus of whole briefings (slug -> briefing); see :func:`generator.corpus.corpus_from_cards`."""
    return corpus_from_cards({s: card_of(b, kb) for s, b in briefings.items()}, kb, briefings.__getitem__,
                             related_count)


def index(briefings: list[Briefing], kb: KnowledgeBase, settings: Settings) -> Corpus:
    """The corpus of whole briefings (the incremental build uses :func:`index_cards`)."""
    by_path = {b.doc.path: b for b in briefings}
    return index_cards([card_of(b, kb) for b in briefings], by_path.__getitem__, kb, settings)


def index_cards(cards: list[Card], load: Callable[[str], Briefing], kb: KnowledgeBase, settings: Settings,
                clustering: Clustering | None = None) -> Corpus:
    """The corpus of the articles' cards; ``load(doc path)`` gives a whole briefing when a page needs it;
    ``clustering``: their stories, made from the cards when not given."""
    slugs = links.article_slugs(c.path for c in cards)
    path_of = {slugs[c.path]: c.path for c in cards}
    corpus = corpus_from_cards({slugs[c.path]: c for c in cards}, kb, lambda slug: load(path_of[slug]),
                               related_count=settings.related, clustering=clustering)
    for page, target in redirects.known_moves(corpus, path_of).items():
        corpus.moved.setdefault(page, target)
    return corpus


def generate(settings: Settings) -> BuildReport:
    """Read content/, extract, index, render and write the generated pages into docs/.

    Incremental (see generator/incremental.py): unchanged articles come from the extraction cache,
    changed ones are extracted by ``settings.workers`` processes, unchanged pages are not rendered
    again, and when nothing changed nothing past the scan runs. The output is the same either way.
    """
    with incremental.paused_gc():
        return _generate(settings)


def _generate(settings: Settings) -> BuildReport:
    """The build, top to bottom: scan -> extract (cached or fresh) -> dedupe -> cluster -> index -> render ->
    write. Each phase pays only for what changed since the last build (generator/incremental.py)."""
    started = time.perf_counter()
    report = BuildReport()
    with journal.locked(settings.docs_path):
        # A write that a killed run committed is finished before anything else reads docs/.
        journal.recover(settings.docs_path)
    kb = load_knowledge(settings)
    site_url = site_url_from(settings.root / "mkdocs.yml")
    extra = search.asset_pages(settings.search)
    cache_root = settings.cache_path
    state = BuildState.load(cache_root)

    # Scan: every content file's key, from its bytes (or its stamp, when unchanged since last time).
    ex_report = incremental.ExtractReport()
    files: dict[str, tuple[Stamp, str]] = {}
    if settings.content_path.is_dir():
        sources, files = incremental.scan(settings.content_path, kb, settings, ex_report, state.files)
    else:
        log.warning("no content folder at %s: the site will have no briefings", settings.content_path)
        sources = []
    gkey = digest(incremental.global_key(kb, settings), site_url,
                  sorted((p, sha(t.encode("utf-8"))) for p, t in extra.items()))
    articles = incremental.compare(state.articles, sources, ex_report)
    report.new, report.changed, report.gone = ex_report.new, ex_report.changed, ex_report.removed
    manifest = redirects.load(settings.root)
    if (state.global_key == gkey and state.articles == articles and state.pages
            and state.redirects == sha(manifest.text.encode("utf-8"))
            and state.pages_intact(settings.docs_path)):
        # Nothing changed since the last build, which left its pages intact: nothing to do.
        report.read = state.read
        report.skipped, report.warnings = notes.split(state.skipped)
        report.unchanged = len(state.pages)
        if files != state.files:  # touched but not changed: keep the new stamps, so next time is quick too
            replace(state, files=files).save(cache_root)
        report.seconds = time.perf_counter() - started
        return report

    # Extract: cards from the extraction cache, the rest extracted (their whole briefings kept).
    ex = incremental.extract_sources(sources, kb, settings, ex_report)
    # Dedupe: one definition of a duplicate (generator/dedupe.py), shared with intake.
    dropped, duplicates = find_duplicates((c.path, c.url, c.source, c.text_key) for c in ex.cards)
    cards = [c for i, c in enumerate(ex.cards) if i not in dropped]
    ex_report.skipped.extend(map(notes.skipped, duplicates))
    ex_report.read = len(cards)

    ex_report.skipped.extend(map(notes.warning, near_duplicates(
        ((c.path, c.text_key, c.sketch) for c in cards), {c.path: (c.url, c.source) for c in cards})))

    # Cluster and index: the corpus of every card, with the stories of the cards (generator.stories,
    # from what each card keeps of its article); whole briefings are loaded for the pages rendered again.
    corpus = index_cards(cards, incremental.Loader(ex, kb, settings), kb, settings)

    # Render: every page, those whose inputs did not change taken from the last build's output.
    keys_by_slug = {slug: ex.keys[c.path] for slug, c in corpus.cards.items()}
    previous = state.pages if state.global_key == gkey else {}
    renderer = incremental.CachingRenderer(
        corpus, incremental.PageKeys(corpus, keys_by_slug, state.names if previous else {}), previous,
        settings.docs_path, state.page_stamps, latest=settings.latest, quoted=settings.dossier_quotes,
        page_size=settings.page_size, statements=settings.dossier_statements)
    pages: dict[str, str | bytes | OnDisk] = {**site_outputs(corpus, site_url=site_url, renderer=renderer,
                                                    jobs=settings.workers), **extra}
    # Encoded once here, for the writer to compare and the state to hash, each in place so that a
    # cold build does not hold every page twice.
    for path, text in pages.items():
        if isinstance(text, str):
            pages[path] = text.encode("utf-8")

    # A page that goes leaves a redirect, listed in redirects.yml (generator/redirects.py): from the
    # manifest alone, so a build from a fresh clone writes the same ones.
    writer = Writer(settings.docs_path, owned())
    entries = redirects.update(manifest.entries, writer.previous(), pages, corpus.moved)
    pages.update((p, t.encode("utf-8")) for p, t in redirects.pages_for(entries, pages, site_url).items())
    pages.update((p, t.encode("utf-8")) for p, t in redirects.retired_pages(pages, site_url).items())
    ex_report.skipped.extend(notes.skipped(line, redirects.FILE) for line in manifest.problems)

    # The manifest first: a run killed before the pages' commit leaves entries whose pages are still
    # there (the next run drops those it makes again), never a removed page without its entry.
    redirects.save(settings.root, manifest, entries)

    # Write: atomically, removing what is no longer produced; then remember this build.
    wr: WriteReport = writer.write(dict(sorted(pages.items())))
    report.written, report.unchanged, report.removed = wr.written, wr.unchanged, wr.removed
    names = {incremental.name_key(k): e.name for k, e in sorted(corpus.entities.items())}
    BuildState(gkey, articles, ex_report.read, list(ex_report.skipped),
               incremental.page_table(pages, renderer.page_keys),
               incremental.page_stamps(pages, settings.docs_path), files, names,
               sha(redirects.load(settings.root).text.encode("utf-8"))).save(cache_root)
    ex.cache.prune({s.key for s in sources})

    report.read, report.extracted = ex_report.read, ex_report.extracted
    report.skipped, report.warnings = notes.split(ex_report.skipped)
    report.seconds = time.perf_counter() - started
    report.rendered = renderer.rendered
    log.debug("pages rendered %d, reused %d", len(renderer.rendered), renderer.reused)
    return report


def mkdocs_build(settings: Settings, strict: bool = False) -> None:
    # The same build as `briefing build`: incremental from the build state, then the search index.
    from generator import sitebuild

    sitebuild.build(settings, strict=strict)
