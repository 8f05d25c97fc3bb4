"""A URL once published keeps answering: the redirect manifest ``redirects.yml`` and its pages.

Every page of a generated folder (a briefing, a dossier, an archive page) that a build removes gets an
entry in ``redirects.yml`` at the project root: its docs path, then the docs path of the page that
answers in its place. That is where the corpus says the page went (:attr:`Corpus.moved`: a merged
entity, a briefing whose slug moved), else the index of its folder. A page that comes back loses its
entry. The file is a project input, committed beside ``content/``: a build from a fresh clone, which
has neither ``docs/`` nor the cache folder, reads it and writes the same redirect pages as the
incremental build that made the entries, so both leave the same ``docs/`` and ``site/``.

Pages the generator itself stopped making (:data:`RETIRED`) are not entries: every site built before
published them, so every build, from a fresh clone too, leaves their redirect pages.

Each entry becomes a static HTML file at the URL the page had (``briefings/old/index.html``): a meta
refresh, a canonical link and a plain link, no script. MkDocs copies it like any file, so it is in
neither the sitemap nor MkDocs' search index, and Pagefind, which indexes only Material's article
element, skips it.
"""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from generator import kinds, links
from generator.extract.hits import slug as discovered_id
from generator.files import atomic_write
from generator.render.escape import attr, html_text

if TYPE_CHECKING:
    from generator.corpus import Corpus

log = logging.getLogger("briefing")

FILE = "redirects.yml"
HEADER = (
    "# Pages this site once published and no longer makes: old page -> the page that answers in its place\n"
    "# (paths in docs/). `briefing generate` adds an entry when a page goes and drops it when the page\n"
    "# comes back. Commit this file with content/; an entry may be edited or deleted by hand.\n"
)
# A docs path as the generator makes them: folders and a file name of letters, digits, '.', '_' and
# '-', each starting with a letter or digit (so never '..'), ending in .md.
_PAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*\.md")
_ENTRY = re.compile(r"""\s*(["']?)(?P<old>[^"':#]*)\1\s*:\s*(["']?)(?P<new>[^"'#]*?)\3\s*(?:#.*)?""")


RETIRED = {
    # Material's tags listing named every tagged briefing under every tag: the one page that grew without
    # bound. Each tag was an actor, weapon or concern, and the home page links the index of each kind
    # and their most mentioned names, so it answers in its place.
    "tags.md": "index.md",
}
"""Pages an earlier version of the generator made and this one does not: old docs path -> the page that
answers at its URL. The generator still owns both paths in docs/, so it removes the old page the last
build left and writes the redirect in its place."""


@dataclass
class Manifest:
    entries: dict[str, str] = field(default_factory=dict)  # old docs path -> new docs path
    problems: list[str] = field(default_factory=list)  # one line per entry skipped: file:line: why
    text: str = ""  # the file's text as read ("" when there is none)


def _folder(page: str) -> str:
    return page.split("/", 1)[0]


def redirectable(page: str) -> bool:
    """Whether a page that goes leaves a redirect: a Markdown page of a folder the generator owns
    (briefings, dossiers, archive pages), not a data export."""
    folder = _folder(page)
    return (_PAGE.fullmatch(page) is not None and "/" in page and folder in links.owned_dirs()
            and folder != "data")


def fallback(page: str) -> str:
    """The page that answers for a gone page when nothing says where it went: its folder's index."""
    folder = _folder(page)
    for k in kinds.KINDS:
        if k.folder == folder:
            return links.index_path(k.name)
    return links.index_path("briefing") if folder == links.BRIEFINGS else "index.md"


def redirect_file(page: str) -> str:
    """The file in docs/ the site serves at ``page``'s URL once the page is gone."""
    return links.page_url(page) + "index.html"


def load(root: Path) -> Manifest:
    """The manifest of the project at ``root``; an entry that is not a pair of generated docs paths
    is skipped with a line that names the file and line, and the others still count."""
    path = root / FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Manifest()
    except (OSError, UnicodeDecodeError) as exc:
        return Manifest(problems=[f"{FILE}: cannot be read ({exc}); no redirects written from it"])
    out = Manifest(text=text)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _ENTRY.fullmatch(line)
        if m is None:
            out.problems.append(f"{FILE}:{number}: not 'old page: new page'; entry skipped")
            continue
        old, new = m.group("old").strip(), m.group("new").strip()
        if not redirectable(old):
            out.problems.append(f"{FILE}:{number}: {old!r} is not a page of a generated folder of docs/; "
                                "entry skipped")
        elif _PAGE.fullmatch(new) is None:
            out.problems.append(f"{FILE}:{number}: {new!r} is not a page in docs/ (a path ending in .md); "
                                "entry skipped")
        elif old in out.entries:
            out.problems.append(f"{FILE}:{number}: {old} is listed twice; the first entry counts")
        else:
            out.entries[old] = new
    return out


def update(entries: Mapping[str, str], before: Iterable[str], pages: Mapping[str, object],
           moved: Mapping[str, str]) -> dict[str, str]:
    """The manifest after a build that makes ``pages`` where the last one made ``before``: each
    redirectable page that went is added (to where ``moved`` says it went, else its folder's index),
    and each page that is made again is taken out."""
    out = {old: new for old, new in entries.items() if old not in pages}
    for page in before:
        if page not in pages and redirectable(page):
            target = moved.get(page, "")
            out[page] = target if _PAGE.fullmatch(target) and target != page else fallback(page)
    return dict(sorted(out.items()))


def text_of(entries: Mapping[str, str]) -> str:
    return HEADER + "".join(f"{old}: {new}\n" for old, new in sorted(entries.items()))


def save(root: Path, manifest: Manifest, entries: Mapping[str, str]) -> None:
    """Write the manifest when its entries changed; a project that never lost a page gets no file."""
    if dict(entries) == manifest.entries and not manifest.problems:
        return
    if not entries and not manifest.text:
        return
    text = text_of(entries)
    if text != manifest.text:
        atomic_write(root / FILE, text.encode("utf-8"))


def target_of(page: str, entries: Mapping[str, str], pages: Mapping[str, object]) -> str | None:
    """The page that answers for gone ``page``: its entry's target, following entries whose target
    went too, else its folder's index, else the home page; None if the build makes none of them."""
    seen = {page}
    target = entries[page]
    while target not in pages and target in entries and target not in seen:
        seen.add(target)
        target = entries[target]
    for candidate in (target, fallback(page), "index.md"):
        if candidate in pages and candidate.endswith(".md"):
            return candidate
    return None


def pages_for(entries: Mapping[str, str], pages: Mapping[str, object], site_url: str = "") -> dict[str, str]:
    """The redirect files of the manifest's entries, by their path in docs/: a page for each, and for a
    dossier or story page, a feed at the address of the feed it had."""
    out: dict[str, str] = {}
    for old in sorted(entries):
        if old in pages:
            continue
        target = target_of(old, entries, pages)
        where = redirect_file(old)
        if target is None or where in pages:
            continue
        out[where] = redirect_page(old, target, site_url)
        feed = feed_of(old)
        if feed is not None and feed not in pages:
            new_feed = feed_of(target)
            out[feed] = moved_feed(feed, new_feed if new_feed is not None and new_feed in pages else target, site_url)
    return out


def retired_pages(pages: Mapping[str, object], site_url: str = "") -> dict[str, str]:
    """The redirect files left at the URLs of the :data:`RETIRED` pages, by their path in docs/."""
    out: dict[str, str] = {}
    for old, target in sorted(RETIRED.items()):
        where = redirect_file(old)
        if old not in pages and where not in pages and target in pages:
            out[where] = redirect_page(old, target, site_url)
    return out


def owned() -> tuple[str, ...]:
    """The paths in docs/ the :data:`RETIRED` pages leave to the generator: each page and its redirect."""
    return tuple(sorted({*RETIRED, *map(redirect_file, RETIRED)}))


def feed_of(page: str) -> str | None:
    """The feed beside a dossier or story page (``actors/x.md``: ``actors/x.xml``), else None."""
    folder, _, name = page.partition("/")
    if "/" in name or name == "index.md" or folder not in {k.folder for k in kinds.KINDS}:
        return None
    return f"{folder}/{name.removesuffix('.md')}.xml"


def _url(path: str) -> str:
    """A docs path's URL from the site root: a feed as itself, a page as MkDocs serves it."""
    return path if path.endswith(".xml") else links.page_url(path)


def moved_feed(feed: str, target: str, site_url: str = "") -> str:
    """The RSS 2.0 left at the address of ``feed`` once it is gone: one item that points to ``target``,
    the feed (or, when it has none, the page) that took its place. A static host cannot redirect a
    feed reader; the item says where to go, and ``itunes:new-feed-url``, which some readers follow,
    names the new feed. Both paths are generated docs paths; every text and attribute is escaped."""
    here = posixpath.dirname(feed)
    href = (site_url.rstrip("/") + "/" + _url(target) if site_url
            else posixpath.relpath(_url(target) or ".", here or ".") + ("/" if not target.endswith(".xml") else ""))
    what = "feed" if target.endswith(".xml") else "page"
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">', "<channel>",
             "<title>This feed has moved</title>", f"<link>{xml_escape(href)}</link>",
             f"<description>This feed is no longer updated: follow the {what} at {xml_escape(href)}.</description>"]
    if what == "feed":
        lines.append(f"<itunes:new-feed-url>{xml_escape(href)}</itunes:new-feed-url>")
    lines += ["<item>", f"<title>This feed has moved to {xml_escape('/' + _url(target))}</title>",
              f"<link>{xml_escape(href)}</link>", f'<guid isPermaLink="false">moved:{xml_escape(_url(target))}</guid>',
              "</item>", "</channel>", "</rss>"]
    return "\n".join(lines) + "\n"


FAVICON = "assets/images/favicon.png"


def _href(page: str, target: str) -> str:
    """A relative URL from ``page``'s URL (a folder) to ``target``'s, ending in '/' as MkDocs' do."""
    depth = links.page_url(page).count("/")
    href = "../" * depth + links.page_url(target)
    return href or "./"


def redirect_page(page: str, target: str, site_url: str = "") -> str:
    """The static page left at ``page``'s URL: a refresh to ``target``, its canonical link, and a plain
    link for a reader whose browser does not follow the refresh. Both are generated docs paths."""
    href = _href(page, target)
    canonical = site_url.rstrip("/") + "/" + links.page_url(target) if site_url else href
    # The theme's icon (Material copies it into every site), so that a browser passing through does
    # not ask for /favicon.ico, which the site does not have: a 404 in the console of every redirect.
    icon = "../" * links.page_url(page).count("/") + FAVICON
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Page moved</title>\n"
            f'<link rel="icon" href="{attr(icon)}">\n'
            f'<meta http-equiv="refresh" content="0; url={attr(href)}">\n'
            f'<link rel="canonical" href="{attr(canonical)}">\n<meta name="robots" content="noindex">\n</head>\n'
            f'<body>\n<p>This page has moved to <a href="{attr(href)}">{html_text("/" + links.page_url(target))}'
            "</a>.</p>\n</body>\n</html>\n")


def known_moves(corpus: Corpus, content_paths: Mapping[str, str]) -> dict[str, str]:
    """Where pages an earlier build may have made went, as far as this corpus can tell.

    - A briefing whose file name folds to the slug of another article's (``a.md`` beside ``a-.txt``)
      had ``<slug>-<hash>`` while the other was there; once alone it takes the plain slug.
    - A name that had a dossier of its own while the KB did not know it (a discovered entity) goes to
      the KB entity that has it as its name or an alias.
    - A story that had a page while several reports told it, and has one report now, goes to that
      report's briefing.
    ``content_paths``: slug -> the article's path in content/.
    """
    moved: dict[str, str] = {}
    for sid, members in sorted(corpus.stories.items()):
        if len(members) == 1:
            moved[links.entity_path("story", sid)] = links.briefing_path(members[0])
    for slug, path in sorted(content_paths.items()):
        base = links.base_slug(path)
        if slug == base:
            moved[links.briefing_path(f"{base}-{links.short_hash(path)}")] = links.briefing_path(slug)
    for (kind_name, entity_id), info in sorted(corpus.entities.items()):
        if info.discovered:
            continue
        entry = getattr(corpus.kb, kinds.kind(kind_name).kb_table, {}).get(entity_id)
        # A concern has neither name nor aliases in the KB: its cue words never give it a dossier of its own.
        names = [n for n in (getattr(entry, "name", ""), *getattr(entry, "aliases", ())) if isinstance(n, str) and n]
        own = links.entity_path(kind_name, entity_id)
        for name in sorted({*names, *info.aliases}):
            other = discovered_id(name)
            page = links.entity_path(kind_name, other)
            if page != own and (kind_name, other) not in corpus.entities:
                moved.setdefault(page, own)
    return moved
