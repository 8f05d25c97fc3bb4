"""Briefings made by hand from the fixture articles, and a project folder to build a site from.

Extraction is another module's job; these tests need briefings whose every fact is known. So the
facts (which KB entry an article names) are written in ``fixtures/site/facts.yaml``, and this helper
only finds where each name stands in the text: spans and sentences are real offsets of real files.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import yaml

from generator import links
from generator.corpus import Corpus
from generator.extract.claims import find_claims
from generator.kb import KnowledgeBase, load_kb
from generator.models import Actor, Briefing, Concern, Location, Mention, SourceDoc, Span, Weapon
from generator.outputs import site_outputs
from generator.pipeline import build_corpus
from generator.readers import read_file
from generator.writer import Writer

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(__file__).resolve().parent / "fixtures" / "site"
OWNED_ALL = (*tuple(f"{d}/" for d in links.owned_dirs()), "index.md")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def sentences(doc: SourceDoc) -> tuple[Span, ...]:
    out = []
    for m in _SENTENCE.finditer(doc.text, doc.body_start):
        s, e = m.start(), m.end()
        while s < e and doc.text[s].isspace():
            s += 1
        if s < e:
            out.append(Span(s, e, doc.text[s:e]))
    return tuple(out)


def _mentions(doc: SourceDoc, sents: tuple[Span, ...], names: list[str]) -> tuple[Mention, ...]:
    found: list[Span] = []
    for name in sorted(set(names), key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", doc.text):
            if m.start() >= doc.body_start and not any(f.start < m.end() and m.start() < f.end for f in found):
                found.append(Span(m.start(), m.end(), m.group(0)))
    found.sort(key=lambda sp: sp.start)
    out = []
    for sp in found:
        idx = next(i for i, s in enumerate(sents) if s.start <= sp.start < s.end)
        out.append(Mention(sp, idx))
    return tuple(out)


def _salience(ms: tuple[Mention, ...], most: int) -> float:
    return round(0.5 * len(ms) / most + 0.5 / (1 + ms[0].sentence), 3) if ms else 0.0


def make_briefing(doc: SourceDoc, facts: dict, kb: KnowledgeBase) -> Briefing:
    sents = sentences(doc)
    actor_ms = {aid: _mentions(doc, sents, [kb.actors[aid].name, *kb.actors[aid].aliases, *kb.actors[aid].capitals])
                for aid in facts.get("actors", [])}
    weapon_ms = {wid: _mentions(doc, sents, [kb.weapons[wid].name, *kb.weapons[wid].aliases])
                 for wid in facts.get("weapons", [])}
    disc_ms = {d["id"]: _mentions(doc, sents, [d["name"]]) for d in facts.get("discovered", [])}
    most = max((len(m) for m in (*actor_ms.values(), *weapon_ms.values(), *disc_ms.values())), default=1) or 1
    actors = [Actor(aid, kb.actors[aid].name, kb.actors[aid].type, ms,
                    aliases=tuple(sorted({m.span.text for m in ms} - {kb.actors[aid].name})),
                    salience=_salience(ms, most), affiliation=kb.actors[aid].affiliation)
              for aid, ms in actor_ms.items()]
    actors += [Actor(d["id"], d["name"], d["type"], disc_ms[d["id"]], salience=_salience(disc_ms[d["id"]], most),
                     discovered=True) for d in facts.get("discovered", [])]
    weapons = [Weapon(wid, kb.weapons[wid].name, kb.weapons[wid].category, ms, operator=kb.weapons[wid].operator,
                      generic=kb.weapons[wid].generic, salience=_salience(ms, most))
               for wid, ms in weapon_ms.items()]
    concerns = []
    for cid in facts.get("concerns", []):
        terms = [t for cue in kb.concerns[cid].cues for t in cue.terms]
        ev = tuple(s for s in sents if any(re.search(rf"\b{re.escape(t)}\b", s.text, re.I) for t in terms))
        concerns.append(Concern(cid, kb.concerns[cid].label, ev, score=float(len(ev))))
    places = tuple(Location(kb.locations[pid].name, _mentions(doc, sents, [kb.locations[pid].name]), pid)
                   for pid in facts.get("places", []))
    summary = sents[:2]
    actors.sort(key=lambda a: -a.salience)
    # Claims come from the extraction's own pure function over these known actors and sentences.
    return Briefing(doc, sents, summary, tuple(actors), tuple(sorted(weapons, key=lambda w: -w.salience)), places,
                    tuple(concerns), find_claims(doc.text, sents, actors))


def fixture_kb() -> KnowledgeBase:
    return load_kb([SITE / "kb"])


def fixture_briefings(kb: KnowledgeBase | None = None) -> list[Briefing]:
    kb = kb or fixture_kb()
    facts = yaml.safe_load((SITE / "facts.yaml").read_text(encoding="utf-8"))
    out = []
    for path in sorted((SITE / "content").iterdir()):
        doc = read_file(path, path.name)
        out.append(make_briefing(doc, facts[path.name], kb))
    return out


def fixture_corpus() -> Corpus:
    kb = fixture_kb()
    briefings = fixture_briefings(kb)
    slugs = links.article_slugs(b.doc.path for b in briefings)
    return build_corpus({slugs[b.doc.path]: b for b in briefings}, kb)


def redated_corpus(plan: list[tuple[str, str | None]], stories: bool = True) -> Corpus:
    """A corpus of copies of the fixture briefings: one per (fixture file name, date) of ``plan``.

    Copy i of ``name`` is the article ``copies/NNN-name`` dated as planned, with the original's facts.
    Copies of one text told close in time (or undated) form stories; ``stories=False`` keeps every
    copy a briefing of its own, for tests of lists rather than of stories.
    """
    kb = fixture_kb()
    originals = {b.doc.path: b for b in fixture_briefings(kb)}
    briefings = []
    for i, (name, date) in enumerate(plan):
        b = originals[name]
        briefings.append(dataclasses.replace(b, doc=dataclasses.replace(b.doc, path=f"copies/{i:03d}-{name}",
                                                                          date=date)))
    slugs = links.article_slugs(b.doc.path for b in briefings)
    corpus = build_corpus({slugs[b.doc.path]: b for b in briefings}, kb)
    if stories:
        return corpus
    entities = {k: e for k, e in corpus.entities.items() if k[0] != "story"}
    return dataclasses.replace(corpus, entities=entities, story_of={}, stories={}, moved={})


def markdown_pages(corpus: Corpus, page_size: int | None = None) -> dict[str, str]:
    """Every generated Markdown page of the corpus, as site_outputs makes them: path -> text."""
    from generator.render import Renderer

    renderer = Renderer(corpus, page_size=page_size) if page_size is not None else None
    return {path: page.decode("utf-8") if isinstance(page, bytes) else page
            for path, page in site_outputs(corpus, renderer=renderer, jobs=1).items()
            if path.endswith(".md") and isinstance(page, (str, bytes))}


def write_project(root: Path, corpus: Corpus | None = None, site_url: str = "http://127.0.0.1/",
                  page_size: int | None = None) -> Path:
    """A project folder with the repository's mkdocs.yml and the fixture corpus written into docs/, with
    the redirects every build leaves at retired pages' URLs; with ``page_size``, lists longer than that
    continue on archive pages."""
    from generator import redirects
    from generator.outputs import EXTRA_OWNED
    from generator.render import Renderer

    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    # mkdocs.yml lists the manual in its nav; a strict build needs its pages.
    shutil.copytree(ROOT / "docs" / "manual", root / "docs" / "manual", dirs_exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    corpus = corpus or fixture_corpus()
    renderer = Renderer(corpus, page_size=page_size) if page_size is not None else None
    pages = site_outputs(corpus, site_url, renderer)
    pages.update(redirects.retired_pages(pages, site_url))
    Writer(root / "docs", (*OWNED_ALL, *EXTRA_OWNED, *redirects.owned())).write(pages)
    return root


def copy_handwritten_docs(docs: Path) -> None:
    """The repository's hand-written docs/ (the manual, its images) without what a local
    ``briefing generate`` left there."""
    from generator.outputs import EXTRA_OWNED
    from generator.pipeline import owned

    generated_tops = {o.split("/")[0] for o in (*owned(), *EXTRA_OWNED) if not o.startswith("assets/")}

    def generated(folder: str, names: list[str]) -> set[str]:
        if Path(folder).resolve() != (ROOT / "docs").resolve():
            return {"briefing"} & set(names) if Path(folder).name == "assets" else set()
        return {n for n in names if n in generated_tops or n.startswith(".briefing")}

    shutil.copytree(ROOT / "docs", docs, ignore=generated, dirs_exist_ok=True)


def mkdocs_build(root: Path, site: Path | None = None, shell_templates: bool = False) -> Path:
    """``mkdocs build --strict`` of a project folder (into ``site``, else its site/); returns the site folder.
    ``shell_templates``: with the site build's templates over Material's, as ``briefing build`` has them."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator import pageshell

    site = site or root / "site"
    cfg = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(site))
    if shell_templates:
        pageshell.add_theme(cfg)
    build(cfg)
    return site
