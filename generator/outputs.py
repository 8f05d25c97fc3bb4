"""Everything the site needs beside the Markdown pages: feed, JSON exports, network data, assets.

Pure functions from the corpus to file contents (text or bytes), so the writer stays the one
component that touches docs/. Nothing here takes the time of day: dates come from the sources.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from generator import kinds, links
from generator.cache import OnDisk
from generator.corpus import Corpus, Related
from generator.forked import Child, can_fork
from generator.render import NETWORK_JSON, Renderer, plain_title, safe_url
from generator.render.escape import html_text

log = logging.getLogger("briefing")

ASSET_SOURCE = Path(__file__).parent / "assets"
FEED_ITEMS = 50
BRIEFINGS_JSON = "data/briefings.json"
ENTITIES_JSON = "data/entities.json"
# Paths outside links.owned_dirs() that only the generator writes (the writer refuses all others).
EXTRA_OWNED = (f"{links.ASSETS}/", links.FEED, links.TIMELINE, links.NETWORK, links.TAGS)


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


def feed_xml(corpus: Corpus, site_url: str, title: str = "Briefing book", items: int = FEED_ITEMS) -> str:
    """RSS 2.0 of the latest briefings; every text node and attribute XML-escaped.

    Titles, categories and source names are plain text (:func:`plain_title`: no character that
    markup needs); a description is HTML made by :func:`_description`."""

    def el(tag: str, text: str, **attrs: str) -> str:
        a = "".join(f' {k}="{xml_escape(v, {chr(34): "&quot;"})}"' for k, v in attrs.items())
        return f"<{tag}{a}>{xml_escape(_xml_text(text))}</{tag}>"

    out = ['<?xml version="1.0" encoding="utf-8"?>', '<rss version="2.0">', "<channel>",
           el("title", title), el("link", site_url or "./"),
           el("description", "The latest structured briefings on security news.")]
    newest = next((corpus.cards[s].date for s in corpus.order if corpus.cards[s].date), None)
    if newest and _rfc822(newest):
        out.append(el("lastBuildDate", _rfc822(newest) or ""))
    for slug in corpus.order[:items]:
        card = corpus.cards[slug]
        url = _abs(site_url, links.briefing_path(slug))
        parts = ["<item>", el("title", plain_title(card.title)), el("link", url),
                 el("guid", url, isPermaLink="true" if site_url else "false"),
                 el("description", _description(card.summary))]
        when = _rfc822(card.date) if card.date else None
        if when:
            parts.append(el("pubDate", when))
        parts += [el("category", plain_title(m.name)) for m in card.marks if m.kind == "actor"][:5]
        source = safe_url(card.url)
        if source:
            parts.append(el("source", plain_title(card.source) if card.source else source, url=source))
        parts.append("</item>")
        out.append("".join(parts))
    out += ["</channel>", "</rss>"]
    return "\n".join(out) + "\n"


def _description(summary: tuple[str, ...]) -> str:
    """An item's description: HTML, as readers take it. The summary is escaped for HTML by the pages'
    escaping module (zero-width and bidi characters become spaces, as on the pages), and the element then escapes
    this HTML once more for XML: a reader decodes it to the article's text, never to its markup."""
    return f"<p>{html_text(' '.join(summary))}</p>" if summary else ""


def _xml_text(text: str) -> str:
    # XML 1.0 forbids most control characters outright; an article carrying one must not break the feed.
    return "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and c not in "\ufffe\uffff"))


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
    record (``data/briefings/<slug>.json``, the evaluation README's shape) and its entities' ids.

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
                    **{k.export: ids[k.name] for k in table}})
    return _dump(out)


def entities_json(corpus: Corpus) -> str:
    """One record per entity, kind by kind: id, name, the kind's own column (type, category...), aliases,
    briefings."""
    out = []
    for kind in kinds.KINDS:
        for e in corpus.by_kind(kind.name):
            rec: dict[str, Any] = {"id": e.id, "kind": kind.name, "name": e.name,
                                   kind.field: kind.value(e, corpus.kb)}
            rec["aliases"] = sorted(e.aliases)
            rec["discovered"] = e.discovered
            rec["url"] = links.page_url(links.entity_path(kind.name, e.id))
            rec["briefings"] = [r[0] for r in e.refs]  # Ref.slug
            out.append(rec)
    return _dump(out)


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


# From this many briefings on, a second process ranks the related briefings, writes the data files
# and renders the index pages while this one renders the lists, entity and briefing pages: together
# about a third of adding one article to a large site (bench/RESULTS.md); the pages need the ranking
# only when the briefing pages (rendered last) are, and the rest only at the end. Below this, a
# process costs more than it saves.
PARALLEL_MIN = 1000


def listings(corpus: Corpus) -> dict[str, str]:
    """The list of briefings and the entities (12 MB at 5,000 articles), made by the helper process.
    The network page and its data are made in the build process, from the co-occurrence index its
    dossiers built already, and from one computation of the graph (Corpus.graph)."""
    return {BRIEFINGS_JSON: briefings_json(corpus), ENTITIES_JSON: entities_json(corpus)}


def _overview(corpus: Corpus, renderer: Renderer, site_url: str) -> dict[str, str]:
    """The listings, the index pages and the feed: they read no related briefings and no
    co-occurrences, so the helper makes them from what it was forked with."""
    return {**listings(corpus), **renderer.index_pages(), links.FEED: feed_xml(corpus, site_url)}


def _in_helper(corpus: Corpus, renderer: Renderer, site_url: str) -> Iterator[object]:
    """In the forked process, in the order the build process needs them: the related briefings
    (corpus.related has no source there, so they are ranked here), then the overview, encoded."""
    yield dict(corpus.related)
    yield _encoded(_overview(corpus, renderer, site_url))


def _encoded(files: dict[str, str]) -> dict[str, bytes]:
    return {path: text.encode("utf-8") for path, text in files.items()}


class _Helper:
    """:func:`_in_helper` in a forked process; each part read when needed, made here if it failed.

    The related briefings come first, so the briefing pages need not wait for the rest."""

    def __init__(self, corpus: Corpus, renderer: Renderer, site_url: str) -> None:
        self._child = Child("related briefings and overview", _in_helper, corpus, renderer, site_url, parts=2)
        if isinstance(corpus.related, Related):
            corpus.related.fetch_from(self._related)

    def _related(self) -> dict[str, tuple[tuple[str, float], ...]] | None:
        got = self._child.result(0)
        return got if isinstance(got, dict) else None

    def overview(self) -> dict[str, bytes] | None:
        got = self._child.result(1)
        return got if isinstance(got, dict) else None


def _helper(corpus: Corpus, renderer: Renderer, site_url: str, jobs: int) -> _Helper | None:
    if len(corpus.cards) < PARALLEL_MIN or jobs < 2 or not can_fork():
        return None
    try:
        return _Helper(corpus, renderer, site_url)
    except OSError as exc:
        log.debug("ranking related briefings and rendering the overview here: no process (%s)", exc)
        return None


def site_outputs(corpus: Corpus, site_url: str = "", renderer: Renderer | None = None,
                 jobs: int = 2) -> dict[str, str | bytes | OnDisk]:
    """Every file the generator writes into docs/: pages, charts, data, feed and assets.

    ``renderer``: one to render pages with (the incremental build passes one that reuses unchanged pages).
    On a large site the related briefings and the overview (listings, index pages, feed) are made in a
    second process meanwhile (the same functions on the same corpus, so the same bytes; made here if
    that process fails), unless ``jobs`` (the processes the build may run at once) is 1.
    """
    r = renderer or Renderer(corpus)
    helper = _helper(corpus, r, site_url, jobs)
    out: dict[str, str | bytes | OnDisk] = {}
    out.update(r.charts())
    out.update(assets())
    for slug in corpus.order:
        out[links.record_path(slug)] = r.record(slug)
    out.update(r.lists())
    out.update(r.item_pages())  # briefing pages last: they read corpus.related, which the helper may be ranking
    out.update(r.network_pages())
    out[NETWORK_JSON] = network_json(corpus).encode("utf-8")
    out.update((helper.overview() if helper is not None else None) or _encoded(_overview(corpus, r, site_url)))
    return dict(sorted(out.items()))
