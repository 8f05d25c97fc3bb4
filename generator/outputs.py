"""Everything the site needs beside the Markdown pages: feed, JSON exports, network data, assets.

Pure functions from the corpus to file contents (text or bytes), so the writer stays the one
component that touches docs/. Nothing here takes the time of day: dates come from the sources.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import urllib.parse
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator import kinds, links
from generator.cache import OnDisk
from generator.corpus import Corpus, EntityInfo, Related
from generator.forked import Child, can_fork
from generator.outlets import Origin, corroboration
from generator.render import NETWORK_JSON, Page, Renderer, plain_title, safe_url
from generator.render.escape import html_text

log = logging.getLogger("briefing")

ASSET_SOURCE = Path(__file__).parent / "assets"
FEED_ITEMS = 50
# A dossier's or a story's feed is a watchlist that a reader polls: the newest ten cover what it missed
# between polls (as WordPress's and jekyll-feed's defaults), and a site has a feed per entity and
# story, each its items' summaries over again (bench/RESULTS.md has what they weigh).
WATCH_FEED_ITEMS = 10
BRIEFINGS_JSON = "data/briefings.json"
ENTITIES_JSON = "data/entities.json"
STORIES_JSON = "data/stories.json"
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



def _abs(site_url: str, page: str) -> str:
    path = links.page_url(page)
    return urllib.parse.urljoin(site_url if site_url.endswith("/") else site_url + "/", path) if site_url else path


def _rfc822(iso: str) -> str | None:
    try:

        d = date.fromisoformat(iso[:10])
        return format_datetime(datetime(d.year, d.month, d.day, tzinfo=UTC))
    except ValueError:
        return None


def _el(tag: str, text: str, **attrs: str) -> str:
    a = "".join(f' {k}="{xml_escape(v, {chr(34): "&quot;"})}"' for k, v in attrs.items())
    return f"<{tag}{a}>{xml_escape(_xml_text(text))}</{tag}>"


class FeedItems(dict[str, str]):
    """Slug -> the briefing's ``<item>``, made on first lookup: the site's feed and every dossier's
    feed list the same items, a briefing in as many feeds as it names entities."""

    def __init__(self, corpus: Corpus, site_url: str) -> None:
        super().__init__()
        self.corpus, self.site_url = corpus, site_url

    def __missing__(self, slug: str) -> str:
        item = self[slug] = _item(self.corpus, slug, self.site_url)
        return item


def _item(corpus: Corpus, slug: str, site_url: str) -> str:
    card = corpus.cards[slug]
    url = _abs(site_url, links.briefing_path(slug))
    parts = ["<item>", _el("title", plain_title(card.title)), _el("link", url),
             _el("guid", url, isPermaLink="true" if site_url else "false"),
             _el("description", _description(card.summary))]
    when = _rfc822(card.date) if card.date else None
    if when:
        parts.append(_el("pubDate", when))
    parts += [_el("category", plain_title(m.name)) for m in [m for m in card.marks if m.kind == "actor"][:5]]
    source = safe_url(card.url)
    if source:
        parts.append(_el("source", plain_title(card.source) if card.source else source, url=source))
    parts.append("</item>")
    return "".join(parts)


def _channel(corpus: Corpus, slugs: Sequence[str], title: str, link: str, description: str,
             items: FeedItems) -> str:
    """RSS 2.0 of the briefings ``slugs`` (newest first); every text node and attribute XML-escaped."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0">', "<channel>",
           _el("title", title), _el("link", link), _el("description", description)]
    newest = next((corpus.cards[s].date for s in slugs if corpus.cards[s].date), None)
    if newest and _rfc822(newest):
        out.append(_el("lastBuildDate", _rfc822(newest) or ""))
    out.extend(map(items.__getitem__, slugs))
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


def story_feed_xml(corpus: Corpus, site_url: str, story_id: str, rank: dict[str, int] | None = None,
                   made: FeedItems | None = None) -> str:
    """RSS 2.0 of one story's newest reports (WATCH_FEED_ITEMS), newest first, linked to the story's
    page. ``rank``: each slug's place in ``corpus.order`` (made here when not given)."""
    members = corpus.stories[story_id]
    rank = rank if rank is not None else {s: i for i, s in enumerate(corpus.order)}
    title = plain_title(corpus.cards[members[0]].title)
    return _channel(corpus, sorted(members, key=rank.__getitem__)[:WATCH_FEED_ITEMS], f"Story: {title}",
                    _abs(site_url, links.entity_path("story", story_id)),
                    plain_title(f"The newest reports of one story, {corpus.story_count(story_id)} in all."),
                    made or FeedItems(corpus, site_url))


def feed_xml(corpus: Corpus, site_url: str, title: str = "Briefing book", items: int = FEED_ITEMS,
             made: FeedItems | None = None) -> str:
    """RSS 2.0 of the latest briefings; every text node and attribute XML-escaped.

    Titles, categories and source names are plain text (:func:`plain_title`: no character that
    markup needs); a description is HTML made by :func:`_description`."""
    return _channel(corpus, corpus.order[:items], title, site_url or "./",
                    "The latest structured briefings on security news.", made or FeedItems(corpus, site_url))


def entity_feed_xml(corpus: Corpus, info: EntityInfo, site_url: str, items: int = WATCH_FEED_ITEMS,
                    made: FeedItems | None = None) -> str:
    """RSS 2.0 of the latest briefings that name one entity (its dossier's list, capped at
    WATCH_FEED_ITEMS), linking to its dossier: an analyst follows one actor, weapon, concern or place in a reader."""
    # refs are in page order, newest first; a briefing is listed once.
    slugs = list(dict.fromkeys(r[0] for r in info.refs))[:items]  # Ref.slug
    name = plain_title(info.name)
    return _channel(corpus, slugs, f"{name}: briefings", _abs(site_url, links.entity_path(info.kind, info.id)),
                    f"The latest briefings that name {name} ({kinds.kind(info.kind).name}).",
                    made or FeedItems(corpus, site_url))


def _description(summary: tuple[str, ...]) -> str:
    """An item's description: HTML, as readers take it. The summary is escaped for HTML by the pages'
    escaping module (zero-width and bidi characters become spaces, as on the pages), and the element then escapes
    this HTML once more for XML: a reader decodes it to the article's text, never to its markup."""
    return f"<p>{html_text(' '.join(summary))}</p>" if summary else ""


# XML 1.0 forbids most control characters outright; an article carrying one must not break the feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _dump(data: Any) -> str:
    # Compact: these files are for programs, and briefings.json grows with every mention (about a
    # third smaller than indented JSON). orjson writes the same bytes as json.dumps below for these
    # values (strings, ints, lists, dicts), several times faster; json takes what orjson refuses (a lone
    # surrogate in a string, an integer past 64 bits).
    import orjson

    try:
        return orjson.dumps(data).decode("utf-8") + "\n"
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def briefings_json(corpus: Corpus) -> str:
    """The list of briefings, newest first: slug, title, date, source URL, page, the file with its whole
    record (``data/briefings/<slug>.json``, the evaluation README's shape), its entities' ids and its
    claims (speaker, cue, the sentence's span and whether it quotes; the sentence is in the record).

    A list, not the records themselves: at 5,000 articles the records are 60 MB, which a program can
    fetch one by one and a new article need not rewrite."""
    out = []
    table = kinds.KINDS
    for slug in corpus.order:
        card = corpus.cards[slug]
        ids: dict[str, list[str]] = {k.name: [] for k in table}
        for m in card.marks:  # one pass: 170,000 marks at 5,000 articles
            ids[m[0]].append(m[1])  # Mark.kind, Mark.id
        out.append({"slug": slug, "title": card.title, "date": card.date, "url": card.url,
                    "page": links.page_url(links.briefing_path(slug)), "record": links.record_path(slug),
                    # A gathered kind (a story) holds the briefing whole: its one id, not a list.
                    **{k.export: corpus.story_of.get(slug) if k.gathered else ids[k.name] for k in table},
                    "claims": [{"speaker": {"id": c.speaker_id or None, "name": c.speaker_name, "text": c.speaker_text},
                                "cue": c.cue, "start": c.start, "end": c.end, "direct": c.direct}
                               for c in card.claims]})
    return _dump(out)


def entities_json(corpus: Corpus) -> str:
    """One record per entity, kind by kind: id, name, the kind's own column (type, category...), aliases,
    page and the number of briefings naming it. Which briefings those are is in briefings.json (each
    briefing's ids): listed here as well, they made this file 10 MB at 5,000 articles, 2 KB of the site
    per article, rewritten on every addition."""
    out = []
    for kind in kinds.KINDS:
        for e in corpus.by_kind(kind.name):
            rec: dict[str, Any] = {"id": e.id, "kind": kind.name, "name": e.name,
                                   kind.field: kind.value(e, corpus.kb)}
            rec["aliases"] = sorted(e.aliases)
            rec["discovered"] = e.discovered
            rec["url"] = links.page_url(links.entity_path(kind.name, e.id))
            rec["briefings"] = len(e.refs)
            out.append(rec)
    return _dump(out)


def stories_json(corpus: Corpus) -> str:
    """Every story, earliest first: id, title (of its earliest report), first and latest dates, its
    page (None for a story of one report, shown as the briefing itself), its reports (slug, outlet,
    date), how many outlets published them and how many independent sources it has apart from
    state media (a wire copy counts as its agency)."""
    out = []
    for sid, members in sorted(corpus.stories.items(), key=lambda kv: (_story_order(corpus, kv[1]), kv[0])):
        cards = [corpus.cards[s] for s in members]
        dates = sorted(c.date for c in cards if c.date)
        cor = corroboration([Origin(*c.origin) if c.origin else None for c in cards])
        out.append({"id": sid, "title": cards[0].title, "first": dates[0] if dates else None,
                    "latest": dates[-1] if dates else None,
                    "page": links.page_url(links.entity_path("story", sid)) if len(members) > 1 else None,
                    "reports": [{"slug": s, "outlet": c.outlet, "date": c.date}
                                for s, c in zip(members, cards, strict=True)],
                    "outlets": len(corpus.outlets(members)), "independent": cor.independent})
    return _dump(out)


def _story_order(corpus: Corpus, members: tuple[str, ...]) -> tuple[str, str]:
    first = corpus.cards[members[0]]
    return (first.date or "9999", first.title.casefold())


def network_json(corpus: Corpus) -> str:
    """Nodes and weighted edges of the network page; URLs relative to the site root."""
    nodes, edges = corpus.graph
    return _dump({
        "nodes": [{"id": f"{n.kind}:{n.id}", "label": n.name, "kind": n.kind, "briefings": n.briefings,
                   "url": links.page_url(links.entity_path(n.kind, n.id))} for n in nodes],
        "edges": [{"source": f"{e.source[0]}:{e.source[1]}", "target": f"{e.target[0]}:{e.target[1]}",
                   "weight": e.weight} for e in edges],
    })


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


def listings(corpus: Corpus) -> dict[str, str]:
    """The list of briefings and the entities (12 MB at 5,000 articles), made by the helper process.
    The network page and its data are made in the build process, from the co-occurrence index its
    dossiers built already, and from one computation of the graph (Corpus.graph)."""
    return {BRIEFINGS_JSON: briefings_json(corpus), ENTITIES_JSON: entities_json(corpus),
            STORIES_JSON: stories_json(corpus)}


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
