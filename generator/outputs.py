"""Every file the generator writes into docs/, gathered from the renderer, the feeds and the data files.

The formats live in :mod:`generator.render` (pages), :mod:`generator.render.feeds` and
:mod:`generator.render.exports`; this module decides what is made, and on a large site which share a
second process makes meanwhile. Nothing here takes the time of day: dates come from the sources.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from generator import kinds, links
from generator.cache import OnDisk
from generator.corpus import Corpus, Related
from generator.forked import Child, can_fork
from generator.render import NETWORK_JSON, Page, Renderer
from generator.render.exports import listings, network_json
from generator.render.feeds import FeedItems, entity_feed_xml, feed_xml, story_feed_xml

log = logging.getLogger("briefing")

ASSET_SOURCE = Path(__file__).parent / "assets"
# Paths outside links.owned_dirs() that only the generator writes (the writer refuses all others).
EXTRA_OWNED = (f"{links.ASSETS}/", links.FEED, links.TIMELINE, links.NETWORK)


def site_url_from(mkdocs_yml: Path) -> str:
    """The ``site_url`` of an mkdocs.yml (``!ENV`` tags and ``INHERIT`` resolved as MkDocs does), or ''."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(mkdocs_yml, encoding="utf-8") as fh:  # a file, whose name locates what it inherits
            cfg = yaml_load(fh) or {}
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read site_url (%s); the feed will use relative links", mkdocs_yml, exc)
        return ""
    url = cfg.get("site_url") if isinstance(cfg, dict) else None
    return url if isinstance(url, str) else ""


def assets() -> dict[str, bytes]:
    """The vendored libraries, their licences and our scripts, copied under docs/assets/briefing/."""
    out: dict[str, bytes] = {}
    for root, dirs, files in os.walk(ASSET_SOURCE):
        dirs.sort()
        for name in sorted(files):
            if name.startswith(".") or name == "README.md":
                continue
            path = Path(root) / name
            rel = path.relative_to(ASSET_SOURCE).as_posix()
            out[f"{links.ASSETS}/{rel}"] = path.read_bytes()
    return out


# From this many briefings on, a second process ranks the related briefings, writes the data files,
# renders the index pages and every other entity's files while this one renders the lists, the other
# entities' files and the briefing pages (bench/RESULTS.md); the pages need the ranking only when the
# briefing pages (rendered last) are, and the rest only at the end. Below this, a process costs more
# than it saves.
PARALLEL_MIN = 1000


def _overview(corpus: Corpus, renderer: Renderer, site_url: str) -> dict[str, str]:
    """The listings, the index pages and the feed: they read no related briefings and no
    co-occurrences, so the helper makes them from what it was forked with."""
    return {**listings(corpus), **renderer.index_pages(), links.FEED: feed_xml(corpus, site_url)}


def _in_helper(corpus: Corpus, renderer: Renderer, site_url: str) -> Iterator[object]:
    """In the forked process, in the order the build process needs them: the related briefings
    (corpus.related has no source there, so they are ranked here), then the overview, encoded, then
    the helper's share of the entities' files with what the renderer noted of them (their keys)."""
    yield dict(corpus.related)
    yield _encoded(_overview(corpus, renderer, site_url))
    files = _entity_files(corpus, renderer, site_url, HELPER_SHARE)
    yield files, renderer.bookkeeping(files)


def _encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {path: text.encode("utf-8") for path, text in files.items()}


EntityShare = tuple[dict[str, Page], tuple[dict[str, str], list[str]]]


class _Helper:
    """:func:`_in_helper` in a forked process; each part read when needed, made here if it failed.

    The related briefings come first, so the briefing pages need not wait for the rest."""

    def __init__(self, corpus: Corpus, renderer: Renderer, site_url: str) -> None:
        self._child = Child("related briefings, overview and entities", _in_helper, corpus, renderer, site_url,
                            parts=3)
        if isinstance(corpus.related, Related):
            corpus.related.fetch_from(self._related)

    def _related(self) -> dict[str, tuple[tuple[str, float], ...]] | None:
        got = self._child.result(0)
        return got if isinstance(got, dict) else None

    def overview(self) -> dict[str, bytes] | None:
        got = self._child.result(1)
        return got if isinstance(got, dict) else None

    def entities(self) -> EntityShare | None:
        got = self._child.result(2)
        return got if isinstance(got, tuple) else None


def _helper(corpus: Corpus, renderer: Renderer, site_url: str, jobs: int) -> _Helper | None:
    if len(corpus.cards) < PARALLEL_MIN or jobs < 2 or not can_fork():
        return None
    try:
        return _Helper(corpus, renderer, site_url)
    except OSError as exc:
        log.debug("ranking related briefings and rendering the overview here: no process (%s)", exc)
        return None


# The helper renders every other entity's files (dossier, archive pages, chart, feed); the build
# process the rest, beside the briefing pages.
HELPER_SHARE, OWN_SHARE = 0, 1


def _entity_files(corpus: Corpus, r: Renderer, site_url: str, share: int | None = None) -> dict[str, Page]:
    """Each entity's dossier and archive pages, its chart and its feed; with ``share`` (0 or 1), those
    of every other entity (in the corpus's order of entities) from the first or the second."""
    out: dict[str, Page] = {}
    made = FeedItems(corpus, site_url)
    rank = {s: i for i, s in enumerate(corpus.order)}
    charted = {k.name for k in kinds.KINDS if k.chart}
    for i, info in enumerate(corpus.entities.values()):
        if share is not None and i % 2 != share:
            continue
        out.update(r.entity_pages(info))
        if info.kind in charted:
            svg = r.chart(info)
            if svg is not None:
                out[links.chart_path(info.kind, info.id)] = svg
        if kinds.kind(info.kind).gathered:  # a story's feed lists its reports, not the briefings naming it
            out[links.entity_feed_path(info.kind, info.id)] = r.story_feed(
                info, functools.partial(story_feed_xml, corpus, site_url, info.id, rank, made))
        else:
            out[links.entity_feed_path(info.kind, info.id)] = r.entity_feed(
                info, functools.partial(entity_feed_xml, corpus, info, site_url, made=made))
    return out


def site_outputs(corpus: Corpus, site_url: str = "", renderer: Renderer | None = None,
                 jobs: int = 2) -> dict[str, str | bytes | OnDisk]:
    """Every file the generator writes into docs/: pages, charts, data, feeds and assets.

    ``renderer``: one to render pages with (the incremental build passes one that reuses unchanged pages).
    On a large site the related briefings, the overview (listings, index pages, feed) and every other
    entity's files are made in a second process meanwhile (the same functions on the same corpus, so
    the same bytes; made here if that process fails), unless ``jobs`` (the processes the build may
    run at once) is 1.
    """
    r = renderer or Renderer(corpus)
    helper = _helper(corpus, r, site_url, jobs)
    out: dict[str, str | bytes | OnDisk] = {}
    out.update(assets())
    for slug in corpus.order:
        out[links.record_path(slug)] = r.record(slug)
    out.update(r.lists())
    out.update(_entity_files(corpus, r, site_url, OWN_SHARE if helper is not None else None))
    out.update(r.briefing_pages())  # after the entities: they read corpus.related, which the helper may be ranking
    out.update(r.network_pages())
    out[NETWORK_JSON] = network_json(corpus).encode("utf-8")
    out.update((helper.overview() if helper is not None else None) or _encoded(_overview(corpus, r, site_url)))
    if helper is not None:
        share = helper.entities()
        if share is None:
            out.update(_entity_files(corpus, r, site_url, HELPER_SHARE))
        else:
            out.update(share[0])
            r.adopt(*share[1])
    return dict(sorted(out.items()))
