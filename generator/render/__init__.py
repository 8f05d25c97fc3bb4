"""Rendering: pure functions from the corpus to Markdown strings, one per page.

Templates live in ``templates/*.md.j2``. Every ``{{ value }}`` a template prints goes through
:func:`generator.render.escape.md` unless the value is :class:`markupsafe.Markup` made here (links
built from our own slugs, already-escaped text). So article text cannot reach a page unescaped,
even when a template forgets a filter.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import logging
import math
import operator
import posixpath
import re
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import yaml
from markupsafe import Markup

from generator import kinds, links
from generator.cache import OnDisk
from generator.cards import Said
from generator.config import Settings
from generator.corpus import Corpus, EntityInfo, NetEdge, NetNode, Ref
from generator.extract.summary import STOP
from generator.models import Briefing, Claim, Span
from generator.outlets import Origin, corroboration, outlet_named
from generator.render import worldmap
from generator.render.archive import split_dated
from generator.render.chart import describe as chart_describe
from generator.render.chart import mentions_svg, month_of, periods_of
from generator.render.diagram import describe as describe_diagram
from generator.render.diagram import mermaid, relationships
from generator.render.escape import attr, md
from generator.render.graphic import as_list, as_table
from generator.render.highlight import Anchor, evidence_md, first_of_each, highlight, linked_lines

log = logging.getLogger("briefing")

# A page's text, or (from a renderer that reuses the last build's pages) the page left as it is on disk.
Page = str | OnDisk
FURNITURE_NOTE = "Page furniture (a caption, credit, byline or prompt): not read by the briefing"

TEMPLATES = Path(__file__).parent / "templates"
WORDS_PER_MINUTE = 230


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return md(value)


@functools.cache
def environment() -> jinja2.Environment:
    """The one template environment of this process: each template is compiled once, when first used."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown, not HTML: escaping is done by _finalize
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are package files: no stat of each one per page rendered
    )
    return env


def plain_title(text: str) -> str:
    """A title safe for YAML front matter and for places themes print without escaping."""
    table = str.maketrans({"<": "‹", ">": "›", "&": "＆", '"': "”", "`": "'", "\\": "/"})
    s = " ".join("".join(c for c in text if c.isprintable()).split()).translate(table)
    if len(s) > 200:  # at a word boundary: a title is never cut inside a word
        s = (s[:200].rsplit(" ", 1)[0] if " " in s[:200] else s[:200]) + "…"
    return s or "Untitled"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL percent-encoded so it cannot break out of a Markdown link."""
    if not url:
        return None
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urllib.parse.quote(url.strip(), safe=":/?#@!$&*+,;=%~-._[]")


def front_matter(hide: tuple[str, ...] = ("navigation",), **fields: Any) -> Markup:
    """A generated page's front matter. Every generated page hides Material's navigation sidebar: the
    tabs lead to each section at every width (briefing.css), and the sidebar would only list them
    again, on thousands of pages."""
    data = {k: v for k, v in {**fields, "hide": list(hide)}.items() if v not in (None, [], "")}
    return Markup("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000) + "---\n")


# A dossier quotes the evidence of its newest QUOTED briefings, lists the others it shows (its newest
# PAGE_SIZE) one line each, and the rest on archive pages by year: each quote repeats a sentence of a
# briefing page, so a few show the entity in context and the lines lead to the rest.
QUOTED = Settings.dossier_quotes
BRIEFINGS = ("briefing", "briefings")  # what an archived list holds: singular, plural
STORIES = ("story", "stories")
PAGE_SIZE = Settings.page_size
STATEMENTS = Settings.dossier_statements
# Tags on a briefing's byline: few, so the line still reads at a glance.
MAX_TAGS = 8
# A briefing's tables of actors, weapons and places show the most salient (actors and weapons) or
# most named (places) this many; the rest are named in one line under each, so a long article's
# tables still read at a glance.
TABLE_ROWS = 12
# A briefing of a story names this many of the story's other outlets, then counts the rest: the
# story's page lists them all, and a story that kept being reported made the note a paragraph.
ALSO_REPORTED_BY = 5
# A search for a name answers with its dossier first, above the briefings whose titles and text name it
# (Pagefind gets the same from data-pagefind-weight on the dossier's heading, in entity.md.j2).
DOSSIER_BOOST = 10_000
CYTOSCAPE_JS = f"{links.ASSETS}/vendor/cytoscape/cytoscape.min.js"
# fCoSE and the two libraries it is built on, in load order (each UMD file reads the one before).
FCOSE_JS = tuple(f"{links.ASSETS}/vendor/{name}/{name}.js" for name in ("layout-base", "cose-base", "cytoscape-fcose"))
NETWORK_JS = f"{links.ASSETS}/js/network.js"
NETWORK_JSON = "data/network.json"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@functools.lru_cache(maxsize=65536)
def _rel(from_dir: str, target: str) -> str:
    # Pages sit in a handful of folders, so a cache turns most of the (slow) relpath calls into lookups.
    return links.rel_link(f"{from_dir}/x.md" if from_dir else "x.md", target)


@functools.lru_cache(maxsize=65536)
def _briefing_link(from_dir: str, slug: str, title_md: str) -> Markup:
    # A briefing is linked from every dossier that names it: thousands of times on a large site.
    # ``title_md`` is the card's title, escaped already.
    return Markup(f"[{title_md}]({_rel(from_dir, links.briefing_path(slug))})")


_slug_of = operator.itemgetter(0)  # Ref.slug
_T = TypeVar("_T")


@dataclass(frozen=True)
class ListLine:
    """How a list shows an entry on its archive pages (``make(here, slug)``), and whether that line
    shows a story's count of reports (``counted``): together, so that the page's cache key reads the
    stories as the line shows them."""

    make: Callable[[str, str], str]
    counted: bool = True


class _Lines(dict[str, str]):
    """Slug -> :func:`_listed` line for pages in one folder, each made on first lookup; a briefing of
    a story of several reports stands for its story (:meth:`Renderer.item_link`), with its count of
    reports when ``counted``."""

    def __init__(self, here: str, renderer: Renderer, counted: bool) -> None:
        super().__init__()
        self.here, self.cards, self.r, self.counted = here, renderer.c.cards, renderer, counted

    def __missing__(self, slug: str) -> str:
        card = self.cards[slug]
        if self.r.c.story(slug) is not None:
            link = self.r.item_link(self.here, slug, counted=self.counted)
            line = self[slug] = f"- {_dated(card.date) if card.date else ''}{link}\n"
        else:
            line = self[slug] = _listed(self.here, slug, card.date, card.title_md)
        return line


def _listed(from_dir: str, slug: str, date: str | None, title_md: str) -> str:
    """A briefing's line in a list of briefings: '- date · [title](link)' and a newline."""
    return f"- {_dated(date) if date else ''}{_briefing_link(from_dir, slug, title_md)}\n"


@functools.lru_cache(maxsize=65536)
def _dated(date: str) -> str:
    return f"{md(date)} · "


RECENT_DAYS = 30
RECENT_BRIEFINGS = 50


def recent_window(order: Sequence[str], dates: dict[str, str | None]) -> tuple[frozenset[str] | None, str | None]:
    """The briefings the home page's "Most mentioned" counts, and the words that say which.

    Whichever holds more: the RECENT_DAYS days up to the newest dated briefing (the newest briefing's
    date, not the clock's: same input, same page), or the RECENT_BRIEFINGS newest briefings. A calendar
    month would hold a single article on its first day. When the window holds every briefing, it is
    (None, None): everything is counted and the heading needs no qualifier.
    """
    days: set[str] = set()
    parsed = {s: _iso_day(dates.get(s)) for s in order}
    newest = max(filter(None, parsed.values()), default=None)
    if newest is not None:
        start = newest - dt.timedelta(days=RECENT_DAYS - 1)
        days = {s for s, d in parsed.items() if d is not None and start <= d}
    latest = order[:RECENT_BRIEFINGS]
    if newest is not None and len(days) >= len(latest):
        chosen, scope = frozenset(days), f"in the {RECENT_DAYS} days to {day_title(newest)}"
    else:
        chosen, scope = frozenset(latest), f"in the latest {RECENT_BRIEFINGS} briefings"
    return (None, None) if len(chosen) >= len(order) else (chosen, scope)


def _iso_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def day_title(day: dt.date) -> str:
    """date(2023, 8, 1) -> '1 August 2023'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_title(key: str) -> str:
    """'2023-07' -> 'July 2023'."""
    return f"{MONTHS[int(key[5:7]) - 1]} {key[:4]}"


def period_title(period: str) -> str:
    """An archive period as a reader says it: '2021', 'March 2021', 'Undated'."""
    if period == links.UNDATED:
        return "Undated"
    return period if len(period) == 4 else month_title(period)


def tags_for(b: Briefing) -> list[tuple[str, str, str]]:
    """At most MAX_TAGS (kind, id, name): the most salient actors, weapons and concerns, taken in turn.

    Taking kinds in turn keeps a weapon or a concern among the tags of an article that names many
    actors. The byline shows them, each a link to its dossier.
    """
    queues = [
        [("actor", a.id, a.name) for a in sorted(b.actors, key=lambda a: (-a.salience, a.name.casefold()))],
        # Named systems before classes: "Hwasong-18" tells briefings apart, "drones" hardly does.
        [("weapon", w.id, w.name)
         for w in sorted(b.weapons, key=lambda w: (w.generic, -w.salience, w.name.casefold()))],
        [("concern", c.id, c.label) for c in sorted(b.concerns, key=lambda c: (-c.score, c.label.casefold()))],
    ]
    out: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while len(out) < MAX_TAGS and any(queues):
        for q in queues:
            if q and len(out) < MAX_TAGS:
                tag = q.pop(0)
                # A name once, under the kind whose turn came first.
                key = plain_title(tag[2]).casefold()
                if key not in seen:
                    seen.add(key)
                    out.append(tag)
    return out


class Renderer:
    """Renders every page of a corpus. Holds the template environment and the corpus; no I/O."""

    DOSSIER_COUNTED = False
    """Whether a dossier and its archive pages show a story's count of reports. They list a story by
    its title alone: with the count, a report joining a story rewrote the pages of every entity any
    of its reports names."""

    def __init__(self, corpus: Corpus, *, latest: int = 25, quoted: int = QUOTED, page_size: int = PAGE_SIZE,
                 statements: int = STATEMENTS) -> None:
        self.c = corpus
        self.env = environment()
        self.latest = latest
        self.quoted = quoted
        self.page_size = page_size
        self._splits: dict[tuple[str, str], tuple[Sequence[Ref], dict[str, list[Ref]]]] = {}
        self._period_of: dict[str, dict[str, str]] = {}
        self.statements = statements
        self._lines_in: dict[tuple[str, bool], _Lines] = {}
        self._series_of: dict[tuple[str, str], list[tuple[str, int]]] = {}
        self._counts: dict[str, str] = {}

    # ---- links -------------------------------------------------------------------------------
    def link(self, page: str, target: str, text: str) -> Markup:
        return Markup(f"[{md(text)}]({_rel(posixpath.dirname(page), target)})")

    def entity_link(self, page: str, kind: str, eid: str, name: str) -> Markup:
        return self.link(page, links.entity_path(kind, eid), name)

    def briefing_link(self, page: str, slug: str) -> Markup:
        return _briefing_link(posixpath.dirname(page), slug, self.c.cards[slug].title_md)

    def item_link(self, here: str, slug: str, counted: bool = True) -> Markup:
        """A briefing as a list shows it: its link, or for a story of several reports, the story's link
        and, when ``counted``, its count ("6 reports, 5 outlets")."""
        sid = self.c.story(slug)
        if sid is None:
            return _briefing_link(here, slug, self.c.cards[slug].title_md)
        first = self.c.cards[self.c.stories[sid][0]]
        link = f"[{first.title_md}]({_rel(here, links.entity_path('story', sid))})"
        return Markup(f"{link} · {md(self._story_count(sid))}" if counted else link)

    def _story_count(self, sid: str) -> str:
        got = self._counts.get(sid)
        if got is None:
            got = self._counts[sid] = self.c.story_count(sid)
        return got

    def once(self, items: Iterable[_T], slug_of: Callable[[_T], str] = str) -> Iterator[_T]:
        """The items of a list (slugs, or refs with ``slug_of``) with each story of several reports
        once, at its first briefing in the list."""
        seen: set[str] = set()
        story = self.c.in_story.get
        for item in items:
            sid = story(slug_of(item))
            if sid is None:
                yield item
            elif sid not in seen:
                seen.add(sid)
                yield item

    def script(self, page: str, target: str) -> Markup:
        """A script tag for a file we ship; raw HTML, so the URL is the built one, not the .md path."""
        return Markup(f'<script src="{attr(links.raw_href(page, target))}"></script>')

    # ---- pages -------------------------------------------------------------------------------
    def index_pages(self) -> dict[str, str]:
        """Home and the indexes of entities: they read cards and entities only, never the related
        briefings or co-occurrences, so a second process may render them (see site_outputs)."""
        out: dict[str, str] = {"index.md": self.home()}
        for k in kinds.KINDS:
            out[links.index_path(k.name)] = self.kind_index(k.name)
        return out

    def network_pages(self) -> dict[str, str]:
        """The network page: it reads the co-occurrences, which the entity pages index."""
        return {links.NETWORK: self.network_page()}

    def lists(self) -> dict[str, Page]:
        """The briefing index and the timeline: every briefing, newest first. The index shares its
        lines with the dossiers (pages in folders of the same depth), so it is rendered beside them."""
        return {links.index_path("briefing"): self.briefing_index(), links.TIMELINE: self.timeline(),
                **self.list_archives(), **self.story_archives()}

    def entity_pages(self, info: EntityInfo) -> dict[str, Page]:
        """An entity's page and the archive pages of its list."""
        return {links.entity_path(info.kind, info.id): self.entity(info), **self.entity_archives(info)}

    def briefing_pages(self) -> dict[str, Page]:
        return {links.briefing_path(slug): self.briefing(slug) for slug in self.c.order}

    def bookkeeping(self, paths: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        """What a caching renderer noted of ``paths`` (each page's key, those rendered again), for a
        second process that rendered them to hand back (:meth:`adopt`); nothing here."""
        return {}, []

    def adopt(self, keys: dict[str, str], rendered: list[str]) -> None:
        """Take what :meth:`bookkeeping` gave in another process."""

    def entity_feed(self, info: EntityInfo, make: Callable[[], str]) -> Page:
        """The feed of one entity's briefings, made by ``make`` (a function of generator/render/feeds.py);
        a page of its own, so the caching renderer reuses an unchanged one."""
        return make()

    def story_feed(self, info: EntityInfo, make: Callable[[], str]) -> Page:
        """The feed of one story's reports, made by ``make`` (as :meth:`entity_feed`)."""
        return make()

    def chart(self, info: EntityInfo) -> Page | None:
        series = self._series(info)
        return mentions_svg(series, f"Briefings naming {info.name}") if series else None

    def _series(self, info: EntityInfo) -> list[tuple[str, int]]:
        # Read by the chart and by the page, once each: counted once. map and filter in C: the dossiers
        # of an added article's entities list 60,000 briefings at 5,000.
        got = self._series_of.get(info.key)
        if got is None:
            got = self._series_of[info.key] = periods_of(
                Counter(filter(None, map(self._months.__getitem__, map(_slug_of, info.refs)))))
        return got

    def _list_line(self, counted: bool) -> ListLine:
        """The briefings' list line (:meth:`_lines`) as an archive page shows it."""
        return ListLine(lambda here, slug: self._lines(here, counted)[slug], counted)

    def _lines(self, here: str, counted: bool = True) -> dict[str, str]:
        """Slug -> the briefing's line in the lists of pages in folder ``here``, made when first asked for;
        a story's with its count of reports when ``counted``.

        Folders at the same depth link to a briefing alike ('../briefings/...' from actors/, weapons/
        and concerns/), so they share one table: a dossier of each kind lists thousands of the same lines.
        """
        way = (_rel(here, links.briefing_path("x")), counted)
        got = self._lines_in.get(way)
        if got is None:
            got = self._lines_in[way] = _Lines(here, self, counted)
        return got

    # ---- archive pages -----------------------------------------------------------------------
    def _dossier_split(self, info: EntityInfo) -> tuple[Sequence[Ref], dict[str, list[Ref]]]:
        """The briefings a dossier shows and those its archive pages hold, by period (the kind's ``archive``)."""
        got = self._splits.get(info.key)
        if got is None:
            period = self._periods(kinds.kind(info.kind).archive)
            got = self._splits[info.key] = split_dated(info.refs, map(period.__getitem__, map(_slug_of, info.refs)),
                                                       self.page_size)
        return got

    @functools.cached_property
    def _story_split(self) -> tuple[Sequence[str], dict[str, list[str]]]:
        """The stories the index of stories shows, newest first, each by the slug of its first report,
        and the rest by the month of that report."""
        rank = {s: i for i, s in enumerate(self.c.order)}
        firsts = sorted((self.c.stories[e.id][0] for e in self.c.by_kind("story")), key=rank.__getitem__)
        return split_dated(firsts, map(self._periods(links.MONTH).__getitem__, firsts), self.page_size)

    def story_archives(self) -> dict[str, Page]:
        """The archive pages of the index of stories, by the month each story was first reported."""
        recent, archived = self._story_split
        continued = links.archive_period(self._dates[recent[-1]], links.MONTH) if recent else None
        return self.archive_pages(links.index_path("story"), kinds.kind("story").title, archived, continued,
                                  ListLine(self._story_line), STORIES)

    def _story_line(self, here: str, slug: str) -> str:
        """A story's entry in a list of stories: the date of its first report, its title and count."""
        b = self.c.cards[slug]
        return f"- {_dated(b.date) if b.date else ''}{self.item_link(here, slug)}\n"

    @functools.cached_property
    def _list_split(self) -> tuple[Sequence[str], dict[str, list[str]]]:
        """The briefings the timeline and the list of briefings show, and the rest by month."""
        return split_dated(self.c.order, map(self._periods(links.MONTH).__getitem__, self.c.order), self.page_size)

    def _periods(self, by: str) -> dict[str, str]:
        """Slug -> the archive period of the briefing by ``by`` (links.YEAR or links.MONTH), made once."""
        got = self._period_of.get(by)
        if got is None:
            got = self._period_of[by] = {slug: links.archive_period(date, by) for slug, date in self._dates.items()}
        return got

    def _archive_index(self, page: str, periods: Mapping[str, Sequence[object]], by: str,
                       owner: str | None = None, nouns: tuple[str, str] = BRIEFINGS) -> Markup:
        """The list's section linking its archive pages (those of the list on ``owner``, if it shares
        another's), each with how many entries (``nouns``: singular, plural) it holds."""
        if not periods:
            return Markup("")
        here = posixpath.dirname(page)
        rows = "".join(f"- [{md(period_title(p))}]({_rel(here, links.archive_path(owner or page, p))}): "
                       f"{len(got):,} {nouns[len(got) != 1]}\n" for p, got in periods.items())
        return Markup(f"\n## Archive\n\nOlder {nouns[1]} continue on a page per {by}:\n\n{rows}")

    def archive_pages(self, page: str, owner: str, periods: Mapping[str, Sequence[str]], continued: str | None,
                      line: ListLine, nouns: tuple[str, str] = BRIEFINGS) -> dict[str, Page]:
        """The archive pages of the list on ``page``: one per period, its entries one ``line`` each.

        ``continued`` is the period the main page shows the newest entries of, if any.
        """
        out: dict[str, Page] = {}
        for period, slugs in periods.items():
            path = links.archive_path(page, period)
            title = f"{owner}: {period_title(period)}"
            out[path] = self._archive(path, slugs, (title, period == continued, nouns),
                                      functools.partial(self._archive_page, path, page, owner, title, period, slugs,
                                                        period == continued, line.make, nouns), line.counted)
        return out

    def _archive(self, path: str, slugs: Sequence[str], context: tuple[object, ...],
                 render: Callable[[], str], counted: bool) -> Page:
        """One archive page: rendered here; a caching renderer keys it by ``slugs``, ``context`` and what
        it shows of their stories (``counted``)."""
        return render()

    def _archive_page(self, path: str, page: str, owner: str, title: str, period: str, slugs: Sequence[str],
                      continued: bool, line: Callable[[str, str], str], nouns: tuple[str, str]) -> str:
        here = posixpath.dirname(path)
        return self.env.get_template("archive.md.j2").render(
            # A list under its title: no headings, so no table of contents beside it either.
            fm=front_matter(title=plain_title(title), hide=("navigation", "toc")), title=title, count=len(slugs),
            continued=continued,
            noun=nouns[len(slugs) != 1],
            span="without a date" if period == links.UNDATED else f"of {period_title(period)}",
            back=self.link(path, page, owner), rows=Markup("".join(line(here, s) for s in self.once(slugs))))

    def entity_archives(self, info: EntityInfo) -> dict[str, Page]:
        """A dossier's archive pages, a period each. As on the dossier, a story is listed by its title,
        without its count of reports (its page, the timeline and the home page give it): a report joining
        a story would otherwise rewrite the dossier or archive page of every entity any of its reports
        names, most of what adding an article rewrote."""
        recent, archived = self._dossier_split(info)
        by = kinds.kind(info.kind).archive
        continued = links.archive_period(self._dates[recent[-1].slug], by) if recent else None
        return self.archive_pages(links.entity_path(info.kind, info.id), info.name,
                                  {p: [r.slug for r in refs] for p, refs in archived.items()}, continued,
                                  self._list_line(counted=self.DOSSIER_COUNTED))

    def list_archives(self) -> dict[str, Page]:
        """The archive pages of the timeline, by month. The list of briefings holds the same briefings in
        the same order, so it continues on these pages too rather than on copies of them."""
        recent, archived = self._list_split
        continued = links.archive_period(self._dates[recent[-1]], links.MONTH) if recent else None
        return self.archive_pages(links.TIMELINE, "Timeline", archived, continued, ListLine(self._timeline_line))

    def _timeline_line(self, here: str, slug: str) -> str:
        """A briefing's entry in the timeline: its date, title (or its story's, with the count) and lead."""
        b = self.c.cards[slug]
        lead = f"  \n  {b.lead_md}" if b.lead_md is not None else ""
        return f"- {_dated(b.date) if b.date else ''}{self.item_link(here, slug)}{lead}\n"

    @functools.cached_property
    def _operated(self) -> dict[str, list[Any]]:
        """Operator id -> the KB weapons it operates that briefings name, by name: sorted once, not per actor page."""
        out: dict[str, list[Any]] = {}
        for w in sorted(self.c.kb.weapons.values(), key=lambda w: (w.name.casefold(), w.id)):
            if w.operator and ("weapon", w.id) in self.c.entities:
                out.setdefault(w.operator, []).append(w)
        return out

    @functools.cached_property
    def _dates(self) -> dict[str, str | None]:
        return {slug: card.date for slug, card in self.c.cards.items()}

    @functools.cached_property
    def _months(self) -> dict[str, str | None]:
        return {slug: month_of(card.date) for slug, card in self.c.cards.items()}

    def _meta_line(self, b: Briefing, page: str) -> list[Markup | str]:
        d = b.doc
        bits: list[Markup | str] = []
        if d.date:
            bits.append(d.date)
        if d.source:
            bits.append(d.source)
        if d.author:
            bits.append(f"by {d.author}")
        url = safe_url(d.url)
        if url:
            bits.append(Markup(f"[original article]({url})"))
        words = len(d.text.split())
        bits.append(f"{max(1, math.ceil(words / WORDS_PER_MINUTE))} min read")
        if d.licence:
            bits.append(f"licence: {d.licence}")
        tags = tags_for(b)
        if tags:
            bits.append(Markup("tags: ") + Markup(", ").join(self.entity_link(page, *tag) for tag in tags))
        return bits

    def briefing(self, slug: str) -> Page:
        b = self.c.briefings[slug]
        page = links.briefing_path(slug)
        related = [(self.briefing_link(page, s), self._shared(slug, s)) for s, _ in self.c.related.get(slug, ())]
        nodes, edges = relationships(b, self.c.kb)
        diagram = mermaid(nodes, edges) if edges else ""
        diagram_text = as_list("The diagram as text", describe_diagram(nodes, edges)) if edges else ""
        actors = [(self.entity_link(page, "actor", a.id, a.name), a) for a in b.actors[:TABLE_ROWS]]
        weapons = [(self.entity_link(page, "weapon", w.id, w.name), w,
                    self._kb_name(w.operator or getattr(self.c.kb.weapons.get(w.id), "operator", None)))
                   for w in b.weapons[:TABLE_ROWS]]
        return self.env.get_template("briefing.md.j2").render(
            fm=front_matter(title=plain_title(b.doc.title), hide=("navigation", "toc")),
            b=b, page=page, meta=self._meta_line(b, page),
            actors=actors,
            # Columns nobody filled in cost a skimming reader width and attention: leave them out.
            roles=any(a.role for _, a in actors), operators=any(op for _, _, op in weapons),
            weapons=weapons,
            more_actors=self._also_named(page, "actor", [(a.id, a.name) for a in b.actors[TABLE_ROWS:]]),
            more_weapons=self._also_named(page, "weapon", [(w.id, w.name) for w in b.weapons[TABLE_ROWS:]]),
            concerns=[(self.entity_link(page, "concern", c.id, c.label), c) for c in b.concerns],
            places=[(self.entity_link(page, "place", kinds.place_id(loc.id, loc.name), loc.name), loc,
                     self._kb_name(getattr(self.c.kb.locations.get(loc.id), "country", None)))
                    for loc in b.locations[:TABLE_ROWS]],
            more_places=self._also_named(page, "place", [(kinds.place_id(loc.id, loc.name), loc.name)
                                                         for loc in b.locations[TABLE_ROWS:]]),
            related=related, lines=self._source_lines(b, page), said=self._who_says_what(b, page),
            diagram=Markup(diagram), diagram_text=Markup(diagram_text),
            syndicated_of=self.briefing_link(page, original) if (original := self.c.syndicated.get(slug)) else None,
            story=self._also_reported(page, slug),
        )

    def _also_named(self, page: str, kind: str, rest: list[tuple[str, str]]) -> Markup | None:
        """The entities of a kind past a briefing's table (TABLE_ROWS), named in one line, each linked."""
        return Markup(", ").join(self.entity_link(page, kind, eid, name) for eid, name in rest) if rest else None

    def _also_reported(self, page: str, slug: str) -> Markup | None:
        """For a briefing of a story of several reports: "Also reported by" the outlets of its other
        reports (each once, without the briefing's own), and a link to the story."""
        sid = self.c.story(slug)
        if sid is None:
            return None
        members = self.c.stories[sid]
        others = [s for s in members if s != slug]
        own = self.c.outlets([slug])
        first = self.c.cards[members[0]]
        link = Markup(f"[{first.title_md}]({_rel(posixpath.dirname(page), links.entity_path('story', sid))})")
        outlets = [o for o in self.c.outlets(others) if o not in own]
        n = len(others)
        named = outlets[:ALSO_REPORTED_BY]
        if len(outlets) > len(named):
            rest = len(outlets) - len(named)
            named.append(f"{rest} other outlet{'s' if rest != 1 else ''}")
        said = (f"Also reported by {', '.join(named[:-1])} and {named[-1]}" if len(named) > 1
                else f"Also reported by {named[0]}" if named
                else f"Also told by {n} other report{'s' if n != 1 else ''}")
        return Markup(f"{md(said)}: see the story {link}.")

    def story(self, info: EntityInfo) -> str:
        """A story's page: its reports and outlets, how well it is corroborated, the entities its reports
        name and what each report adds, and the claims they carry side by side."""
        page = links.entity_path("story", info.id)
        here = posixpath.dirname(page)
        members = self.c.stories[info.id]  # earliest first
        cards = [self.c.cards[s] for s in members]
        briefs = [self.c.briefings[s] for s in members]
        kb = self.c.kb
        reports = []
        for s, card in zip(members, cards, strict=True):
            via = card.origin[1] if card.origin and card.origin[2] == "wire agency" and card.origin[1] != card.outlet \
                else None
            reports.append((card.date or "", _briefing_link(here, s, card.title_md), card.outlet or "unknown outlet",
                            via))
        origins = [Origin(*c.origin) if c.origin else None for c in cards]
        claim_sources = [outlet_named(kb, c.speaker.name) for b in briefs for c in b.claims]
        cor = corroboration(origins, claim_sources)
        single = None
        if cor.single_state_origin is not None:
            single = kb.outlets[cor.single_state_origin].name if cor.single_state_origin in kb.outlets \
                else next((o.name for o in origins if o is not None and o.key == cor.single_state_origin), "")
        # The entities the reports name, kind by kind, with how many reports name each.
        named: dict[str, Counter[tuple[str, str]]] = {}
        adds: list[tuple[Markup, list[Markup]]] = []
        seen: set[tuple[str, str]] = set()
        for s, card in zip(members, cards, strict=True):
            mine = dict.fromkeys((m.kind, m.id) for m in card.marks)
            for key in mine:
                named.setdefault(key[0], Counter())[key] += 1
            new = [k for k in mine if k not in seen and k in self.c.entities]
            seen.update(mine)
            adds.append((_briefing_link(here, s, card.title_md), [self.entity_link(page, *k, self.c.entities[k].name)
                                                                  for k in new]))
        union = []
        for k in kinds.KINDS:
            counted = named.get(k.name)
            if k.gathered or not counted:
                continue
            ranked = sorted((kv for kv in counted.items() if kv[0] in self.c.entities),
                            key=lambda kv: (-kv[1], self.c.entities[kv[0]].name.casefold(), kv[0]))
            union.append((k.title, [(self.entity_link(page, *key, self.c.entities[key].name), n) for key, n in ranked]))
        first = [c.date for c in cards if c.date]
        return self.env.get_template(kinds.kind("story").dossier).render(
            fm=front_matter(title=plain_title(info.name), search={"boost": DOSSIER_BOOST}),
            info=info, n_reports=len(members), n_outlets=len(self.c.outlets(members)), reports=reports,
            first=min(first) if first else None, last=max(first) if first else None,
            cor=cor, single=single, union=union, adds=adds, claims=self._claims_side_by_side(briefs, cards),
            feed=Markup(f"[RSS feed of this story]({_rel(here, links.entity_feed_path('story', info.id))})"),
            index=self.link(page, links.index_path("story"), kinds.kind("story").title))

    def _claims_side_by_side(self, briefs: list[Briefing], cards: list[Any]) -> list[tuple[str, str, str, str, str]]:
        """(speaker, cue, sentence, outlets, mark) of each claim of the story's reports, report by report;
        the mark says where one report's source denies what another report's source asserts. A claim
        that several reports carry word for word (a wire story and its copies, a quoted statement) is
        one row naming every outlet that carries it."""
        rows: list[tuple[int, Any, tuple[frozenset[str], frozenset[str]], bool]] = []
        for i, b in enumerate(briefs):
            for c in b.claims:
                rows.append((i, c, claim_words(c), denies(c)))
        out: dict[tuple[str, str, str, str], dict[str, None]] = {}
        for i, c, topic, denial in rows:
            against = sorted({cards[j].outlet or "another report" for j, o, t, d in rows
                              if j != i and d != denial and _same_matter(c, topic, o, t)})
            mark = ""
            if against:
                who = ", ".join(against)
                mark = f"denies a claim reported by {who}" if denial else f"denied in {who}"
            out.setdefault((c.speaker.name, c.cue, c.span.text, mark), {})[cards[i].outlet or ""] = None
        return [(speaker, cue, text, ", ".join(filter(None, outlets)), mark)
                for (speaker, cue, text, mark), outlets in out.items()]

    def speaker(self, page: str, speaker_id: str | None, name: str, written: str) -> Markup | str:
        """A claim's speaker: linked to its actor's dossier when it is one, else as the article writes it."""
        if speaker_id and ("actor", speaker_id) in self.c.entities:
            return self.entity_link(page, "actor", speaker_id, name)
        return written

    def _who_says_what(self, b: Briefing, page: str) -> list[tuple[Markup | str, str, bool, Markup, int, int]]:
        """Each claim: (speaker, cue, direct, its sentence as escaped Markdown with the speaker marked,
        the sentence's start and end in the source text)."""
        out: list[tuple[Markup | str, str, bool, Markup, int, int]] = []
        for c in b.claims:
            speaker = Span(c.speaker.start, c.speaker.end, b.doc.text[c.speaker.start:c.speaker.end])
            out.append((self.speaker(page, c.speaker.id, c.speaker.name, c.speaker.text), c.cue, c.direct,
                        highlight(c.span, speaker), c.span.start, c.span.end))
        return out

    def statements_of(self, info: EntityInfo) -> tuple[list[tuple[str, Said]], list[tuple[str, Said]]]:
        """(slug, claim) of the actor's own statements and of those about it by others, each newest first
        and at most ``self.statements``, from the briefings that name it."""
        cap = self.statements
        if info.kind != "actor" or cap <= 0:
            return [], []
        by, about = self._statements.get(info.id, ([], []))
        named = set(map(_slug_of, info.refs))
        return (list(itertools.islice((x for x in by if x[0] in named), cap)),
                list(itertools.islice((x for x in about if x[0] in named), cap)))

    @functools.cached_property
    def _statements(self) -> dict[str, tuple[list[tuple[str, Said]], list[tuple[str, Said]]]]:
        """Actor id -> (slug, claim) of its statements and of those about it, newest first: one pass over
        every claim, not one over each dossier's briefings."""
        out: dict[str, tuple[list[tuple[str, Said]], list[tuple[str, Said]]]] = {}
        for slug in self.c.order:
            for said in self.c.cards[slug].claims:
                if said.speaker_id:
                    out.setdefault(said.speaker_id, ([], []))[0].append((slug, said))
                for other in dict.fromkeys(said.about):
                    if other != said.speaker_id:
                        out.setdefault(other, ([], []))[1].append((slug, said))
        return out

    def _statement_lines(self, page: str, found: list[tuple[str, Said]]) -> Markup:
        here = posixpath.dirname(page)
        lines = []
        for slug, said in found:
            speaker = self.speaker(page, said.speaker_id, said.speaker_name, said.speaker_text)
            how = "direct quote" if said.direct else "reported speech"
            # The briefing's list line (the briefing itself, not its story: the statement is its own)
            # without its newline, then who said it and the sentence quoted.
            card = self.c.cards[slug]
            who = speaker if isinstance(speaker, Markup) else md(speaker)
            lines.append(f"{_listed(here, slug, card.date, card.title_md).rstrip()}  \n  **{who}**"
                         f" {md(said.cue)} ({how}):\n\n    > {evidence_md((said.sentence, *said.speaker_at))}\n\n")
        return Markup("".join(lines))

    def record(self, slug: str) -> Page:
        """The briefing's ``to_record()`` (the evaluation README's shape: ``url`` is the article's source),
        with its ``slug`` and ``page``, its page's URL relative to the site root."""
        original = self.c.syndicated.get(slug)
        rec = {**self.c.briefings[slug].to_record(), "slug": slug, "page": links.page_url(links.briefing_path(slug)),
               **({"syndicated_of": original} if original else {})}
        return json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"

    def _source_lines(self, b: Briefing, page: str) -> list[Markup]:
        """The article, one Markdown paragraph a line, each entity linked to its dossier where first named."""
        here = posixpath.dirname(page)
        anchors = [Anchor(m.span, _rel(here, links.entity_path(kind, e.id)))
                   for kind, ents in (("actor", b.actors), ("weapon", b.weapons))
                   for e in ents for m in e.mentions]
        lines = linked_lines(b.doc.text, first_of_each(b.doc.text, anchors), b.doc.headings, b.doc.furniture)
        # Page furniture (captions, credits, datelines) stays in the source text, set apart: the
        # briefing did not read it.
        return [Markup(f"**{line.markup}**") if line.heading
                else Markup(f'<small class="furniture" title="{FURNITURE_NOTE}">{line.markup}</small>')
                if line.furniture else line.markup for line in lines]

    def _kb_name(self, kb_id: str | None) -> str:
        return (self.c.kb.name_of(kb_id) or kb_id or "") if kb_id else ""

    def _shared(self, a: str, b: str) -> str:
        ma, mb = self.c.cards[a].marks, self.c.cards[b].marks
        # Actors, then weapons, so a weapon's name wins where it shares an id with an actor (as before).
        names_a = {x.id: x.name for x in ma if x.kind == "actor"} | {x.id: x.name for x in ma if x.kind == "weapon"}
        names_b = {x.id for x in mb if x.kind != "concern"}
        return ", ".join(names_a[k] for k in sorted(names_a) if k in names_b)[:200]

    def entity(self, info: EntityInfo) -> Page:
        row = kinds.kind(info.kind)
        if row.page != "entity":
            return str(getattr(self, row.page)(info))
        page = links.entity_path(info.kind, info.id)
        kb_entry = self._kb_entry(info)
        # The list can run to thousands of lines: joined here, from links and quotes made once.
        here = posixpath.dirname(page)
        # A story by its title alone: see entity_archives.
        listed = self._lines(here, counted=self.DOSSIER_COUNTED)
        lines = []
        recent, archived = self._dossier_split(info)
        # A story of several reports once, at its newest briefing naming the entity.
        shown = list(self.once(recent, _slug_of)) if self.c.stories else recent
        for r in shown[:self.quoted]:
            evidence = self.c.quote(r)
            said = evidence_md(evidence) if evidence is not None else ""
            quote = f"\n    > {said}\n" if said else ""
            lines.append(f"{listed[r.slug]}{quote}\n")
        older = shown[self.quoted:]
        if older:
            lines.append(f"## Older briefings\n\n{len(older):,} more, one line each; each briefing's page shows "
                         "its evidence.\n\n")
            lines.extend(map(listed.__getitem__, map(_slug_of, older)))
        refs_block = Markup("".join(lines))
        with_ = sorted(self.c.cooccur.get(info.key, {}).items(),
                       key=lambda kv: (-kv[1], self.c.entities[kv[0]].name.casefold(), kv[0]))
        # An actor's weapons and concerns get sections of their own; its "appears with" is then people,
        # states and groups, so no name is listed twice. Kinds not listed as company appear only with
        # their own kind.
        companions = {k.name for k in kinds.KINDS if k.company} | {info.kind}
        company = [kv for kv in with_ if kv[0][0] in companions and (info.kind != "actor" or kv[0][0] == "actor")]
        appears = [(self.entity_link(page, k[0], k[1], self.c.entities[k].name), n) for k, n in company[:15]]
        linked: dict[str, list[tuple[Markup, int]]] = {"weapon": [], "concern": []}
        operated: list[Markup] = []
        if info.kind == "actor":
            for kind in ("weapon", "concern"):
                linked[kind] = [(self.entity_link(page, k[0], k[1], self.c.entities[k].name), n)
                                for k, n in with_ if k[0] == kind][:20]
            operated = [self.entity_link(page, "weapon", w.id, w.name) for w in self._operated.get(info.id, ())]
        dates = list(filter(None, map(self._dates.__getitem__, map(_slug_of, info.refs))))
        chart = None
        series = self._series(info)
        if series:
            # The image's alt text says what the bars show; the table under it gives every count.
            src = links.rel_link(page, links.chart_path(info.kind, info.id))
            unit = "Year" if len(series[0][0]) == 4 else "Month"
            chart = Markup(f"![{md(chart_describe(series))}]({src})\n\n"
                           + as_table(f"Briefings per {unit.lower()}, as a table", (unit, "Briefings"), series))
        affiliation = getattr(kb_entry, "affiliation", None)
        operator = getattr(kb_entry, "operator", None)
        by, about = self.statements_of(info)
        return self.env.get_template(row.dossier).render(
            statements_by=self._statement_lines(page, by), statements_about=self._statement_lines(page, about),
            feed=Markup(f"[RSS feed]({links.rel_link(page, links.entity_feed_path(info.kind, info.id))})"),
            fm=front_matter(title=plain_title(info.name), search={"boost": DOSSIER_BOOST}),
            info=info, kb=kb_entry, n_refs=len(info.refs), refs_block=refs_block, appears=appears, linked=linked,
            operated=operated,
            aliases=sorted(info.aliases | set(getattr(kb_entry, "aliases", ()) or ())),
            first=min(dates) if dates else None, last=max(dates) if dates else None, chart=chart,
            index=self.link(page, links.index_path(info.kind), row.title),
            facts=self._facts(page, info, kb_entry, affiliation, operator),
            archive=self._archive_index(page, archived, row.archive),
        )

    def _facts(self, page: str, info: EntityInfo, kb_entry: Any, affiliation: str | None,
               operator: str | None) -> list[tuple[str, Markup | str]]:
        """(label, value) rows from the knowledge base: what the analyst knows before reading."""
        rows: list[tuple[str, Markup | str]] = []
        if info.kind == "actor":
            rows.append(("Type", info.subtype))
        elif info.kind == "weapon":
            rows.append(("Category", info.subtype))
            if kb_entry is not None and kb_entry.wclass:
                rows.append(("Class", kb_entry.wclass))
        country = getattr(kb_entry, "country", None)
        for label, ref in (("Affiliation", affiliation), ("Operator", operator), ("Country", country)):
            if ref:
                if ("actor", ref) in self.c.entities:
                    rows.append((label, self.entity_link(page, "actor", ref, self.c.entities[("actor", ref)].name)))
                else:
                    rows.append((label, self._kb_name(ref)))
        at = getattr(kb_entry, "coordinates", None)
        if at:
            rows.append(("Coordinates", Markup(f"{at[0]:g}, {at[1]:g}")))  # numbers: nothing to escape
        rows.append(("Source", "found in the articles, not in the knowledge base" if info.discovered or kb_entry is None
                     else "knowledge base"))
        return rows

    def _kb_entry(self, info: EntityInfo) -> Any:
        if info.discovered:
            return None
        return getattr(self.c.kb, kinds.kind(info.kind).kb_table, {}).get(info.id)

    def kind_index(self, name: str) -> str:
        kind = kinds.kind(name)
        page = links.index_path(name)
        rows = [(self.entity_link(page, name, e.id, e.name), e, kind.value(e, self.c.kb)) for e in self.c.by_kind(name)]
        # The table by name lists every entity; the one by count, which would repeat each row, the most named.
        by_count = sorted(rows, key=lambda r: (-len(r[1].refs), r[1].name.casefold(), r[1].id))[:self.page_size]
        total, archive = len(rows), Markup("")
        if kind.gathered:
            # Stories grow with the book as briefings do: the newest here, the rest on a page per month.
            recent, archived = self._story_split
            shown = {self.c.story(s) for s in recent}
            rows = [r for r in rows if r[1].id in shown]
            archive = self._archive_index(page, archived, links.MONTH, nouns=STORIES)
        return self.env.get_template(kind.index).render(
            fm=front_matter(title=kind.title), title=kind.title, column=kind.column, rows=rows, by_count=by_count,
            total=total, archive=archive)

    def briefing_index(self) -> str:
        page = links.index_path("briefing")
        # One line per briefing: thousands, joined here rather than looped in the template.
        recent, archived = self._list_split
        rows = map(self._lines(posixpath.dirname(page)).__getitem__, self.once(recent))
        return self.env.get_template("briefing_index.md.j2").render(
            fm=front_matter(title="Briefings"), rows=Markup("".join(rows)),
            timeline=self.link(page, links.TIMELINE, "Timeline"),
            archive=self._archive_index(page, archived, links.MONTH, links.TIMELINE))

    def timeline(self) -> str:
        page = links.TIMELINE
        here = posixpath.dirname(page)
        groups: dict[str, list[str]] = {}
        undated: list[str] = []
        recent, archived = self._list_split
        for s in self.once(recent):  # already newest first, undated last; lines joined here, not in the template
            b = self.c.cards[s]
            month = links.archive_period(b.date, links.MONTH)
            if month != links.UNDATED:
                groups.setdefault(month, []).append(self._timeline_line(here, s))
            else:
                # Indented into the collapsed block under the Undated heading (see timeline.md.j2).
                lead = f"  \n      {b.lead_md}" if b.lead_md is not None else ""
                undated.append(f"    - {self.item_link(here, s)}{lead}\n")
        months = [(month_title(k), Markup("".join(groups[k]))) for k in sorted(groups, reverse=True)]
        return self.env.get_template("timeline.md.j2").render(
            fm=front_matter(title="Timeline"), months=months, undated=Markup("".join(undated)),
            n_undated=len(undated), archive=self._archive_index(page, archived, links.MONTH))

    def _network_table(self, page: str, nodes: list[NetNode], edges: list[NetEdge]) -> str:
        """The network's text alternative: each node, its kind and count, and whom it appears with most."""
        if not nodes:
            return ""
        names = {(n.kind, n.id): n.name for n in nodes}
        company: dict[tuple[str, str], list[tuple[int, tuple[str, str]]]] = {}
        for e in edges:
            company.setdefault(e.source, []).append((e.weight, e.target))
            company.setdefault(e.target, []).append((e.weight, e.source))
        rows = []
        for n in sorted(nodes, key=lambda n: (n.name.casefold(), n.kind, n.id)):
            best = sorted(company.get((n.kind, n.id), []), key=lambda t: (-t[0], names[t[1]].casefold(), t[1]))[:3]
            with_ = Markup(", ").join(self.entity_link(page, k[0], k[1], names[k]) + Markup(f" ({w})") for w, k in best)
            rows.append((self.entity_link(page, n.kind, n.id, n.name), n.kind, n.briefings, with_))
        return as_table("The network as a table", ("Name", "Kind", "Briefings", "Most often with (shared briefings)"),
                        rows)

    def network_page(self) -> str:
        page = links.NETWORK
        nodes, edges = self.c.graph
        return self.env.get_template("network.md.j2").render(
            fm=front_matter(title="Network", hide=("navigation", "toc")),
            data=Markup(attr(links.raw_href(page, NETWORK_JSON))),
            scripts=[self.script(page, js) for js in (CYTOSCAPE_JS, *FCOSE_JS, NETWORK_JS)],
            n_nodes=len(nodes), table=Markup(self._network_table(page, nodes, edges)),
            actors=self.link(page, links.index_path("actor"), "actors"),
            weapons=self.link(page, links.index_path("weapon"), "weapons and systems"))

    def world_map(self, page: str) -> str:
        """The map of the home page: countries shaded by the briefings naming them (linked to their
        dossiers), and the KB places with coordinates that briefings name as dots linked to theirs;
        its data as a table under it."""
        kb = self.c.kb
        here = posixpath.dirname(page)
        countries: list[worldmap.CountryCount] = []
        places: list[worldmap.PlaceDot] = []
        rows: list[tuple[int, str, Markup]] = []
        for (kind, eid), e in sorted(self.c.entities.items()):
            if e.discovered or kind not in ("actor", "place"):
                continue
            url = links.raw_href(page, links.entity_path(kind, eid))
            if kind == "actor":
                code = getattr(kb.actors.get(eid), "code", None)
                if not code:
                    continue
                countries.append(worldmap.CountryCount(code, e.name, len(e.refs), url))
            else:
                at = getattr(kb.locations.get(eid), "coordinates", None)
                if not at:
                    continue
                places.append(worldmap.PlaceDot(e.name, at[0], at[1], len(e.refs), url))
            rows.append((len(e.refs), e.name, Markup(f"[{md(e.name)}]({_rel(here, links.entity_path(kind, eid))})")))
        if not rows:
            return ""
        svg = worldmap.map_svg(worldmap.load_shapes(), countries, places)
        rows.sort(key=lambda r: (-r[0], r[1].casefold(), r[1]))
        return worldmap.map_block(svg) + "\n\n" + as_table(
            "The map as a table", ("Country or place", "Briefings"), [(link, n) for n, _, link in rows])

    def home(self) -> str:
        page = "index.md"
        latest = [(self.item_link(posixpath.dirname(page), s), self.c.cards[s])
                  for s in itertools.islice(self.once(self.c.order), self.latest)]
        window, scope = recent_window(self.c.order, {s: card.date for s, card in self.c.cards.items()})
        columns: list[list[str]] = []
        shown = [k for k in kinds.KINDS if k.home]
        for kind in shown:
            counted = []
            for e in self.c.entities.values():
                if e.kind != kind.name:
                    continue
                # Counted in C: every mention of every entity, 170,000 at 5,000 articles.
                n = len(e.refs) if window is None else sum(map(window.__contains__, map(_slug_of, e.refs)))
                if n:
                    counted.append((e, n))
            counted.sort(key=lambda en: (-en[1], en[0].name.casefold(), en[0].id))
            columns.append([f"{self.entity_link(page, kind.name, e.id, e.name)} ({n})" for e, n in counted[:10]])
        depth = max(map(len, columns), default=0)
        # One table row per rank, a cell per kind (empty where a kind has fewer entities).
        rows = [Markup("| " + " | ".join(c[i] if i < len(c) else "" for c in columns) + " |") for i in range(depth)]
        nav = [self.link(page, links.index_path("briefing"), "Briefings"),
               *(self.link(page, links.index_path(k.name), k.nav) for k in kinds.KINDS),
               self.link(page, links.TIMELINE, "Timeline"), self.link(page, links.NETWORK, "Network")]
        return self.env.get_template("home.md.j2").render(
            fm=front_matter(title="Home"), latest=latest, n=len(self.c.order), nav=Markup(" · ").join(nav),
            world=Markup(self.world_map(page)),
            header=Markup(" | ").join(md(k.title) for k in shown), rule=Markup("---|" * len(shown)), rows=rows,
            scope=scope)


# A claim that negates: "did not", "no missile was", "never", "denied", "false".
NEGATION = re.compile(r"\b(?:not|no|never|none|nothing|denie[sd]|deny|false|untrue|baseless)\b|n't\b", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|\d[\d,.]*")
# Words a denial shares with the assertion it answers beyond these say what they disagree on.
_LITTLE = STOP | frozenset(["said", "says", "told", "agency", "officials", "official"])


def denies(claim: Claim) -> bool:
    """Whether a claim denies (its cue is "denied", or its sentence negates)."""
    return claim.cue == "denied" or NEGATION.search(claim.span.text) is not None


def claim_words(claim: Claim) -> tuple[frozenset[str], frozenset[str]]:
    """A claim's content words, and for a denial those after its negation: what it says is not so."""
    def words(text: str) -> frozenset[str]:
        return frozenset(w for w in (x.casefold().removesuffix("'s").removesuffix("’s") for x in _WORD.findall(text))
                         if w not in _LITTLE and len(w) > 2)

    text = claim.span.text
    m = NEGATION.search(text)
    return words(text), words(text[m.end():]) if m else frozenset()


def _same_matter(a: Claim, words_a: tuple[frozenset[str], frozenset[str]], b: Claim,
                 words_b: tuple[frozenset[str], frozenset[str]]) -> bool:
    """Whether a denial and an assertion answer each other: what the denial negates shares three
    content words with the assertion, or two when one speaker (resolved to an actor) says both."""
    negated, other = (words_a[1], words_b[0]) if words_a[1] else (words_b[1], words_a[0])
    shared = len(negated & other)
    return shared >= 3 or (shared >= 2 and a.speaker.id is not None and a.speaker.id == b.speaker.id)
