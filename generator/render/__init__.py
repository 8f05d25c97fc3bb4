"""Rendering: pure functions from the corpus to Markdown strings, one per page.

Templates live in ``templates/*.md.j2``. Every ``{{ value }}`` a template prints goes through
:func:`generator.render.escape.md` unless the value is :class:`markupsafe.Markup` made here (links
built from our own slugs, already-escaped text). So article text cannot reach a page unescaped,
even when a template forgets a filter.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from generator import links
from generator.corpus import Corpus, EntityInfo
from generator.models import Briefing
from generator.render.escape import md

TEMPLATES = Path(__file__).parent / "templates"
WORDS_PER_MINUTE = 230


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return md(value)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,  # Markdown, not HTML: escaping is done by _finalize
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


def plain_title(text: str) -> str:
    """A title safe for YAML front matter and for places themes print without escaping."""
    table = str.maketrans({"<": "‹", ">": "›", "&": "＆", '"': "”", "`": "'", "\\": "/"})
    s = " ".join("".join(c for c in text if c.isprintable()).split()).translate(table)
    return s[:200] or "Untitled"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL percent-encoded so it cannot break out of a Markdown link."""
    if not url:
        return None
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return urllib.parse.quote(url.strip(), safe=":/?#@!$&*+,;=%~-._[]")


def front_matter(**fields: Any) -> Markup:
    data = {k: v for k, v in fields.items() if v not in (None, [], "")}
    return Markup("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000) + "---\n")


class Renderer:
    """Renders every page of a corpus. Holds the template environment and the corpus; no I/O."""

    def __init__(self, corpus: Corpus, *, latest: int = 25) -> None:
        self.c = corpus
        self.env = environment()
        self.latest = latest
        self.slug_of_key = corpus.entities

    # ---- links -------------------------------------------------------------------------------
    def link(self, page: str, target: str, text: str) -> Markup:
        return Markup(f"[{md(text)}]({links.rel_link(page, target)})")

    def entity_link(self, page: str, kind: str, eid: str, name: str) -> Markup:
        return self.link(page, links.entity_path(kind, eid), name)

    def briefing_link(self, page: str, slug: str) -> Markup:
        return self.link(page, links.briefing_path(slug), self.c.briefings[slug].doc.title)

    # ---- pages -------------------------------------------------------------------------------
    def pages(self) -> dict[str, str]:
        out: dict[str, str] = {"index.md": self.home()}
        out[links.index_path("briefing")] = self.briefing_index()
        for slug in self.c.order:
            out[links.briefing_path(slug)] = self.briefing(slug)
        for kind in ("actor", "weapon", "concern"):
            out[links.index_path(kind)] = self.kind_index(kind)
        for info in self.c.entities.values():
            out[links.entity_path(info.kind, info.id)] = self.entity(info)
        return dict(sorted(out.items()))

    def _meta_line(self, b: Briefing) -> list[Markup | str]:
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
        return bits

    def briefing(self, slug: str) -> str:
        b = self.c.briefings[slug]
        page = links.briefing_path(slug)
        related = [(self.briefing_link(page, s), self._shared(slug, s)) for s, _ in self.c.related.get(slug, ())]
        return self.env.get_template("briefing.md.j2").render(
            fm=front_matter(title=plain_title(b.doc.title)),
            b=b, page=page, meta=self._meta_line(b),
            actors=[(self.entity_link(page, "actor", a.id, a.name), a) for a in b.actors],
            weapons=[(self.entity_link(page, "weapon", w.id, w.name), w,
                      self._kb_name(w.operator)) for w in b.weapons],
            concerns=[(self.entity_link(page, "concern", c.id, c.label), c) for c in b.concerns],
            related=related, paragraphs=self._paragraphs(b),
            home=self.link(page, "index.md", "Home"),
        )

    def _kb_name(self, kb_id: str | None) -> str:
        return (self.c.kb.name_of(kb_id) or kb_id or "") if kb_id else ""

    def _shared(self, a: str, b: str) -> str:
        ba, bb = self.c.briefings[a], self.c.briefings[b]
        names_a = {x.id: x.name for x in ba.actors} | {x.id: x.name for x in ba.weapons}
        names_b = {x.id for x in bb.actors} | {x.id for x in bb.weapons}
        return ", ".join(names_a[k] for k in sorted(names_a) if k in names_b)[:200]

    def _paragraphs(self, b: Briefing) -> list[str]:
        text = b.doc.text
        return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]

    def entity(self, info: EntityInfo) -> str:
        page = links.entity_path(info.kind, info.id)
        kb_entry = self._kb_entry(info)
        refs = [(self.briefing_link(page, r.slug), self.c.briefings[r.slug].doc.date, r) for r in info.refs]
        with_ = sorted(self.c.cooccur.get(info.key, {}).items(), key=lambda kv: (-kv[1], kv[0]))[:15]
        appears = [(self.entity_link(page, k[0], k[1], self.c.entities[k].name), n) for k, n in with_]
        dates = sorted(d for d in (self.c.briefings[r.slug].doc.date for r in info.refs) if d)
        return self.env.get_template("entity.md.j2").render(
            fm=front_matter(title=plain_title(info.name)),
            info=info, kb=kb_entry, refs=refs, appears=appears,
            aliases=sorted(info.aliases | set(getattr(kb_entry, "aliases", ()) or ())),
            first=dates[0] if dates else None, last=dates[-1] if dates else None,
            index=self.link(page, links.index_path(info.kind), links.KIND_DIRS[info.kind].capitalize()),
            operator=self._kb_name(getattr(kb_entry, "operator", None) or getattr(kb_entry, "affiliation", None)),
        )

    def _kb_entry(self, info: EntityInfo) -> Any:
        tables: dict[str, dict[str, Any]] = {"actor": self.c.kb.actors, "weapon": self.c.kb.weapons,
                                             "concern": self.c.kb.concerns}
        table = tables[info.kind]
        return None if info.discovered else table.get(info.id)

    def kind_index(self, kind: str) -> str:
        page = links.index_path(kind)
        rows = [(self.entity_link(page, kind, e.id, e.name), e) for e in self.c.by_kind(kind)]
        by_count = sorted(rows, key=lambda r: (-len(r[1].refs), r[1].name.casefold()))
        title = {"actor": "Actors", "weapon": "Weapons and systems", "concern": "Concerns"}[kind]
        return self.env.get_template("kind_index.md.j2").render(
            fm=front_matter(title=title), title=title, kind=kind, rows=rows, top=by_count[:20])

    def briefing_index(self) -> str:
        page = links.index_path("briefing")
        rows = [(self.briefing_link(page, s), self.c.briefings[s]) for s in self.c.order]
        return self.env.get_template("briefing_index.md.j2").render(
            fm=front_matter(title="Briefings"), rows=rows)

    def home(self) -> str:
        page = "index.md"
        latest = [(self.briefing_link(page, s), self.c.briefings[s]) for s in self.c.order[: self.latest]]
        top = {}
        for kind in ("actor", "weapon", "concern"):
            ents = sorted((e for e in self.c.entities.values() if e.kind == kind),
                          key=lambda e: (-len(e.refs), e.name.casefold()))[:10]
            top[kind] = [(self.entity_link(page, kind, e.id, e.name), len(e.refs)) for e in ents]
        return self.env.get_template("home.md.j2").render(
            fm=front_matter(title="Home"), latest=latest, top=top, n=len(self.c.order),
            idx={k: self.link(page, links.index_path(k), links.KIND_DIRS.get(k, "briefings").capitalize())
                 for k in ("briefing", "actor", "weapon", "concern")})


def render_site(corpus: Corpus) -> dict[str, str]:
    """Every generated page: docs-relative path -> Markdown text."""
    return Renderer(corpus).pages()


def first_words(items: Iterable[str], limit: int = 240) -> str:
    s = " ".join(items)
    return s if len(s) <= limit else s[:limit].rsplit(" ", 1)[0] + "…"
