"""The one owner of slugs, page paths and relative links.

Every generated page lives under a folder the generator owns. Paths here are POSIX paths relative
to ``docs/``; links between pages are relative ``.md`` links, so ``mkdocs build --strict`` checks
each of them.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
import unicodedata
from collections.abc import Iterable, Mapping

from generator import kinds
from generator.files import SUFFIX_RANK

BRIEFINGS = "briefings"
MAX_SLUG = 80
# Names Windows refuses as file names, whatever the extension.
RESERVED = {"con", "prn", "aux", "nul", "index", "tags"} | {f"com{i}" for i in range(10)} | {
    f"lpt{i}" for i in range(10)}


def short_hash(text: str, n: int = 6) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


@functools.lru_cache(maxsize=1 << 16)  # pure; a build links the same few thousand ids tens of thousands of times
def slugify(text: str) -> str:
    """A lowercase ASCII slug; never empty, never a reserved name, at most MAX_SLUG characters.

    Unicode is folded to ASCII where it has an equivalent (é -> e); anything else is dropped, and a
    slug that would be empty or reserved gets a hash of the original text, so it stays unique.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG - 7].rstrip("-") + "-" + short_hash(text)
    if not slug:
        return "x-" + short_hash(text)
    if slug in RESERVED:
        return f"{slug}-{short_hash(text)}"
    return slug


def _base(rel: str) -> tuple[str, str]:
    # A feed entry's path is "feed.xml#<entry id>": the entry id joins the slug, so each entry of a
    # feed keeps its own stable URL.
    rel, _, entry = rel.partition("#")
    stem, ext = posixpath.splitext(rel)
    if entry:
        stem = f"{stem}-{entry}"
    return slugify(stem.replace("/", "-")), ext.lower()


def base_slug(rel: str) -> str:
    """The slug an article's path gives when no other article's folds to it (see :func:`article_slugs`)."""
    return _base(rel)[0]


def article_slugs(rel_paths: Iterable[str]) -> dict[str, str]:
    """Map each article's content path to its slug.

    The slug comes from the file name, not the title, so two articles with one title get distinct
    URLs and no URL changes when other articles arrive. When two files fold to one slug
    (``a.md`` and ``a.txt``), the one with the preferred suffix keeps it; the others get a hash of
    their path.
    """
    groups: dict[str, list[tuple[int, str]]] = {}
    for rel in rel_paths:
        base, ext = _base(rel)
        groups.setdefault(base, []).append((SUFFIX_RANK.get(ext, len(SUFFIX_RANK)), rel))
    out: dict[str, str] = {}
    for base, members in groups.items():
        members.sort()
        out[members[0][1]] = base
        for _, rel in members[1:]:
            out[rel] = f"{base}-{short_hash(rel)}"
    return out


def record_path(slug: str) -> str:
    """The JSON record of one briefing, for programs (data/briefings.json lists them all)."""
    return f"data/briefings/{slug}.json"


def briefing_path(slug: str) -> str:
    return f"{BRIEFINGS}/{slug}.md"


def owned_dirs() -> tuple[str, ...]:
    """The folders of docs/ only the generator writes: briefings, each kind's, the data exports and the
    timeline's archive pages."""
    return (BRIEFINGS, *(k.folder for k in kinds.KINDS), "data", TIMELINE_ARCHIVES)


def entity_path(kind: str, entity_id: str) -> str:
    return f"{kinds.kind(kind).folder}/{slugify(entity_id)}.md"


def index_path(kind: str) -> str:
    return f"{kinds.kind(kind).folder}/index.md" if kind != "briefing" else f"{BRIEFINGS}/index.md"


# Lists that grow with the corpus show their newest entries and continue on archive pages, one per
# period: a year ("2021") or a month ("2021-03"); entries without a usable date go to UNDATED.
YEAR, MONTH = "year", "month"
UNDATED = "undated"
_YEAR_RE = re.compile(r"[0-9]{4}")
_MONTH_RE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def archive_period(date: str | None, by: str) -> str:
    """The archive period of an entry dated ``date``: '2021' by YEAR, '2021-03' by MONTH, else UNDATED."""
    if date:
        if by == YEAR and _YEAR_RE.match(date):
            return date[:4]
        if by == MONTH and _MONTH_RE.match(date):
            return date[:7]
    return UNDATED


def archive_path(page: str, period: str) -> str:
    """The archive page of ``page`` for ``period``: in a folder named after the page (``actors/iraq.md`` ->
    ``actors/iraq/2021.md``), or ``archive/`` beside an index page (``places/index.md`` ->
    ``places/archive/2021.md``). Neither can be another page's path: slugs hold no '/'."""
    stem = page[:-3]
    folder = stem[:-len("index")] + "archive" if stem == "index" or stem.endswith("/index") else stem
    return f"{folder}/{period}.md"


def rel_link(from_page: str, to_page: str) -> str:
    """Relative link from one docs page to another (both relative to docs/, normalised, no '..').

    The same as ``posixpath.relpath(to_page, dirname(from_page))`` without its two ``abspath``
    calls, which made it a third of render time on large sites.
    """
    src = from_page.split("/")[:-1]
    dst = to_page.split("/")
    common = 0
    while common < len(src) and common < len(dst) and src[common] == dst[common]:
        common += 1
    return "/".join([".."] * (len(src) - common) + dst[common:]) or "."


# Files the site pages generated around the briefings: assets we copy, feeds, the timeline, the network.
ASSETS = "assets/briefing"
TIMELINE = "timeline.md"
TIMELINE_ARCHIVES = "timeline"  # its archive pages, by month: timeline/2021-03.md
NETWORK = "network.md"
FEED = "feed.xml"


def entity_feed_path(kind: str, entity_id: str) -> str:
    """The RSS feed beside a dossier: the briefings that name the entity, or a story's reports."""
    return f"{kinds.kind(kind).folder}/{slugify(entity_id)}.xml"


def chart_path(kind: str, entity_id: str) -> str:
    """The mentions-over-time chart of one entity (an SVG file beside the pages)."""
    return f"{ASSETS}/charts/{kinds.kind(kind).folder}/{slugify(entity_id)}.svg"


def page_url(page: str) -> str:
    """The site URL (relative to the site root) MkDocs gives a docs page with ``use_directory_urls``.

    Raw HTML and JSON data are not rewritten by MkDocs, so they need the built URL, not the .md path.
    """
    if not page.endswith(".md"):
        return page
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def raw_href(from_page: str, target: str) -> str:
    """A relative URL from a docs page to a site file, for raw HTML (``<script src>``) on that page."""
    here = page_url(from_page)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    rel = posixpath.relpath(page_url(target) or ".", base.rstrip("/") or ".")
    return rel + "/" if page_url(target).endswith("/") and not rel.endswith("/") else rel


MANUAL = "manual/index.md"


def example_pages(briefing_slug: str | None, entity_ids: Mapping[str, str],
                  archives: Mapping[str, str] | None = None) -> dict[str, str | None]:
    """Every kind of page the site has, each with the docs path of one page of that kind.

    The one list of page kinds: checks that must try each kind (accessibility, for one) take it from
    here, so a kind added to the site is added here and is checked too. ``entity_ids`` maps a kind
    of dossier to the id of one entity of that kind; a kind the site has no page of yet maps to None.
    ``archives`` maps a kind of archive page ("actor archive", "timeline archive", ...) to one such page.
    """
    pages: dict[str, str | None] = {
        "home": "index.md",
        "briefing": briefing_path(briefing_slug) if briefing_slug else None,
        "briefing index": index_path("briefing"),
    }
    for kind in kinds.names():
        pages[kind] = entity_path(kind, entity_ids[kind]) if kind in entity_ids else None
        pages[f"{kind} index"] = index_path(kind)
    pages.update({"timeline": TIMELINE, "network": NETWORK, "manual": MANUAL})
    pages.update(archives or {})
    return pages
