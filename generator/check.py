"""``briefing check``: is ``content/`` readable and the knowledge base valid, and what is the KB missing?

Errors are what stops an article or the KB from loading: every :class:`ReadError` (file and line)
and a :class:`KBError` (file, entry, field). Beyond errors, check lists what the analyst could add,
each with its count and an example sentence, most frequent first: first the actors and weapons that
extraction found by their form but not in the KB (``discovered=True``), then, from a plain scan,
other capitalised names and weapon-like designators ("Su-34", "T-72B3") that no KB entry names.
Nothing here writes a file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator import notes, scan
from generator.config import Settings
from generator.dedupe import body_of, drop_duplicates, key_and_sketch, near_duplicates
from generator.extract import Extractor, split_sentences
from generator.kb import BUNDLED, KBError, KnowledgeBase, load_kb
from generator.models import Actor, Briefing, Mention, SourceDoc, Weapon, earns_page
from generator.readers import ReadError


def _words(text: str) -> frozenset[str]:
    """A word list kept as text, so adding a word is editing a line, not a Python literal."""
    return frozenset(text.split())


# Weapon designators: letters, a hyphen, digits, then letters/digits (Su-34, T-72B3, KN-23, Hwasong-17).
DESIGNATOR_RE = re.compile(r"(?<![\w-])[A-Z][A-Za-z]*-\d+[A-Z0-9]*(?![\w-])")
# A run of capitalised words, allowing the particles that names carry inside them ("Bashar al-Assad").
# Arabic names keep their lower-case article ("al-Qaida", "ad-Dawla").
WORD = r"(?:(?:al|el|ad|an|ar|as|ash|at|az)-)?(?:[A-Z][\w'’]*(?:-[A-Z0-9][\w'’]*)*)"
NAME_RE = re.compile(rf"{WORD}(?:\s+(?:(?:of|al|bin|ibn|de|la|du|von|van|the)\s+)?{WORD})*")
# Abbreviations, never unknown names ("Lt. Gen. Townsend", "on Dec. 1", "U.S. forces").
ABBREVIATIONS = _words("""
gen lt col maj capt cmdr cdr adm sgt cpl pvt brig mr mrs ms dr st no vs jan feb mar apr jun jul aug
sep sept oct nov dec u.s u.k u.n e.g i.e
""")
# Designators that are not weapons but look like them.
NOT_WEAPONS = frozenset({"covid19", "g7", "g8", "g20", "mh17", "h5n1", "sars2"})
# Capitalised words that start sentences or fill titles; never worth adding to the KB as names.
STOPWORDS = _words("""
a about after against all also an and any as at because before both but by during each for from had
has have he her his however i if in into it its last meanwhile more most mr mrs ms my no nor not of
on once one or our over she since so some such than that the their them then there these they this
those though through to today under until up we what when where whether which while who why will
with within without yesterday you
minister secretary deputy president vice prime foreign defence defense general ambassador envoy special
spokesman spokeswoman spokesperson commander chief chairman director acting senior state army navy
lieutenant colonel major captain admiral sergeant chancellor king queen prince sheikh his-excellency
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
""")
EXAMPLE_CHARS = 220


@dataclass(frozen=True)
class Unknown:
    """A name or designator the KB does not know, with how often it occurs and one example."""

    text: str
    count: int
    articles: int
    example: str  # the sentence of its first occurrence
    source: str  # the article that sentence comes from


@dataclass(frozen=True)
class PageCandidate:
    """An entity extraction found by its form that would get a site-wide page, and why."""

    kind: str  # "actor" or "weapon"
    name: str
    type: str  # the actor's type, or the weapon's category
    briefings: int
    evidence: str  # what backs it: "title 'Defence Minister'", "organisation word", "named 3 times" ...
    example: str  # the sentence of its first mention
    source: str


@dataclass
class CheckReport:
    articles: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # articles that build, with something to fix
    kb: KnowledgeBase | None = None
    discovered_actors: list[Unknown] = field(default_factory=list)  # found by extraction, not in the KB
    discovered_weapons: list[Unknown] = field(default_factory=list)
    names: list[Unknown] = field(default_factory=list)
    designators: list[Unknown] = field(default_factory=list)
    pages: list[PageCandidate] = field(default_factory=list)  # found entities that get a site-wide page

    @property
    def ok(self) -> bool:
        return not self.errors


def norm(text: str) -> str:
    """Compare names as a reader would: any case, any dash or space inside ("Su-34" = "SU 34" = "Su34")."""
    return re.sub(r"[\s\-‐‑‒–—'’.]+", "", text.casefold())


def known_names(kb: KnowledgeBase) -> set[str]:
    """Every normalised name, alias, demonym, capital and title in the KB, plus persons' surnames."""
    known: set[str] = set()
    for a in kb.actors.values():
        forms = [a.name, *a.aliases, *a.demonyms, *a.capitals, *a.titles]
        if a.type == "person":
            forms += [n.split()[-1] for n in (a.name, *a.aliases) if n.split()]
        known.update(norm(f) for f in forms)
    for w in kb.weapons.values():
        known.update(norm(f) for f in (w.name, *w.aliases, w.category))
    for loc in kb.locations.values():
        known.update(norm(f) for f in (loc.name, *loc.aliases))
    for c in kb.concerns.values():
        known.add(norm(c.label))
    known.discard("")
    return known


def sentences(text: str) -> list[str]:
    """The sentences extraction sees (one splitter for both), each on one line for the report."""
    return [" ".join(s.text.split()) for s in split_sentences(text)]


def _residuals(run: str, known: set[str]) -> Iterable[str]:
    """The parts of a capitalised run that are neither known names nor stopwords.

    "Russian President Vladimir Putin met Kim" arrives as runs; inside a run the longest known
    sub-sequences are taken out first, so "Defence Minister Pavel Kuznetsov" with "Defence Minister"
    known leaves "Pavel Kuznetsov".
    """
    words = run.split()
    i, current = 0, list[str]()
    while i < len(words):
        match = next((j for j in range(len(words), i, -1) if norm(" ".join(words[i:j])) in known), None)
        if match is not None or words[i].casefold() in STOPWORDS:
            if current:
                yield " ".join(current)
            current = []
            i = match if match is not None else i + 1
            continue
        current.append(words[i])
        i += 1
    if current:
        yield " ".join(current)


def _strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name)


def unknown_terms(docs: list[SourceDoc], kb: KnowledgeBase, min_count: int = 2,
                  limit: int = 30) -> tuple[list[Unknown], list[Unknown]]:
    """(names, designators) that the KB does not know, most frequent first."""
    known = known_names(kb)
    lower_words: set[str] = set()  # words seen in lower case somewhere: common words, not names
    for d in docs:
        lower_words.update(re.findall(r"\b[a-z][a-z'’]+\b", d.text))
    names: dict[str, list[tuple[str, str]]] = {}
    designators: dict[str, list[tuple[str, str]]] = {}
    shown: dict[str, str] = {}
    for d in docs:
        for sent in sentences(d.text):
            for m in DESIGNATOR_RE.finditer(sent):
                key = norm(m.group())
                if key in known or key in NOT_WEAPONS:
                    continue
                designators.setdefault(key, []).append((d.path, sent))
                shown.setdefault("d:" + key, m.group())
            for m in NAME_RE.finditer(sent):
                for part in _residuals(m.group(), known):
                    part = _strip_possessive(part)
                    if part.casefold() in STOPWORDS or part.rstrip(".").casefold() in ABBREVIATIONS:
                        continue
                    if DESIGNATOR_RE.fullmatch(part) or len(part) < 3 or norm(part) in known:
                        continue
                    if " " not in part and part.casefold() in lower_words:
                        continue  # a sentence-initial common word ("Forces", "Officials")
                    key = norm(part)
                    names.setdefault(key, []).append((d.path, sent))
                    shown.setdefault("n:" + key, part)

    def rank(table: dict[str, list[tuple[str, str]]], prefix: str) -> list[Unknown]:
        out = []
        for key, hits in table.items():
            if len(hits) < min_count:
                continue
            path, sent = hits[0]
            out.append(Unknown(shown[prefix + key], len(hits), len({p for p, _ in hits}), _shorten(sent), path))
        out.sort(key=lambda u: (-u.count, -u.articles, u.text.casefold()))
        return out[:limit]

    return rank(names, "n:"), rank(designators, "d:")


def read_content(settings: Settings, errors: list[str]) -> tuple[list[SourceDoc], list[notes.Note]]:
    """Every article of content/, drafts included, read as the build reads it (:mod:`generator.scan`),
    and the warnings about them; what the build would skip goes into ``errors``."""
    content = settings.content_path
    if not content.is_dir():
        errors.append(f"{content}: no content folder (setting content_dir)")
        return [], []
    docs: list[SourceDoc] = []
    said: list[notes.Note] = []
    for path, rel in scan.content_files([content], content, said):
        try:
            found, messages = scan.read_article(path, rel, content)
        except ReadError as exc:
            said.append(notes.skipped(str(exc), rel))
            continue
        docs.extend(found)
        said.extend(messages)
    errors.extend(n.message for n in said if n.kind == notes.SKIPPED)
    return docs, [n for n in said if n.kind != notes.SKIPPED]


def _how_to_date(path: str) -> str:
    suffix = path.split("#")[0].rsplit(".", 1)[-1].lower()
    if suffix in ("txt", "text"):
        return "add a 'Published' line or a dateline with the year near the top"
    if suffix in ("md", "markdown"):
        return "add 'date:' to its front matter"
    return "the page or feed gives none; add the article with 'briefing add' and set 'date:' in its front matter"


def article_warnings(docs: list[SourceDoc], read_notes: list[notes.Note] | None = None) -> list[str]:
    """Fields dropped or not used, drafts, undated articles (an undated briefing sorts last and is
    on no timeline), and duplicates by the build's own definition. ``read_notes``: the warnings
    reading gave (:func:`read_content`); by default, each article's own."""
    marked = list(read_notes) if read_notes is not None else [m for d in docs for m in notes.of_doc(d)]
    for d in docs:
        if not d.date:
            marked.append(notes.warning(f"{d.path}: no date; {_how_to_date(d.path)}", d.path))
    kept, duplicates = drop_duplicates(d for d in docs if not d.draft)
    near = near_duplicates(((d.path, *key_and_sketch(body_of(d))) for d in kept),
                           {d.path: (d.url, d.source) for d in kept})
    return notes.split(marked)[1] + duplicates + near


def run_check(settings: Settings, min_count: int = 2, limit: int = 30) -> CheckReport:
    report = CheckReport()
    missing = [p for p in settings.kb_paths if not p.is_dir()]
    report.errors.extend(f"{p}: knowledge-base folder does not exist (setting kb_dirs)" for p in missing)
    try:
        report.kb = load_kb([BUNDLED, *settings.kb_paths])
    except KBError as exc:
        report.errors.append(f"knowledge base: {exc}")
    docs, marked = read_content(settings, report.errors)
    report.articles = len(docs)
    report.warnings = article_warnings(docs, marked)
    if report.kb is not None:
        extractor = Extractor(report.kb)  # one for every article: building it is most of a small check
        briefings = [extractor.extract(d) for d in docs if not d.draft]
        report.discovered_actors, report.discovered_weapons = discovered(briefings, min_count, limit)
        report.pages = page_candidates(briefings, settings.entity_page_min_briefings)
        names, designators = unknown_terms(docs, report.kb, min_count, limit)
        # The scan complements extraction: what extraction already reported is not listed twice.
        seen = {norm(u.text) for u in (*report.discovered_actors, *report.discovered_weapons)}
        report.names = [u for u in names if norm(u.text) not in seen]
        report.designators = [u for u in designators if norm(u.text) not in seen]
    return report


def discovered(briefings: list[Briefing], min_count: int = 2,
               limit: int = 30) -> tuple[list[Unknown], list[Unknown]]:
    """Actors and weapons that extraction found by their form (``discovered=True``), most frequent first.

    These are the best candidates for the KB: extraction already judged them to be names of people,
    groups or systems, and an entry makes them link to one page with a type, affiliation and aliases.
    """
    tables: tuple[dict[str, list[tuple[str, str, str]]], dict[str, list[tuple[str, str, str]]]] = ({}, {})
    for b in briefings:
        found: list[tuple[int, str, tuple[Mention, ...]]] = [
            *((0, a.name, a.mentions) for a in b.actors if a.discovered),
            *((1, w.name, w.mentions) for w in b.weapons if w.discovered)]
        for which, name, mentions in found:
            for m in mentions:
                sent = b.sentences[m.sentence].text if 0 <= m.sentence < len(b.sentences) else m.span.text
                tables[which].setdefault(norm(name), []).append((name, b.doc.path, " ".join(sent.split())))

    def rank(table: dict[str, list[tuple[str, str, str]]]) -> list[Unknown]:
        out = []
        for hits in table.values():
            if len(hits) < min_count:
                continue
            name, path, sent = hits[0]
            out.append(Unknown(name, len(hits), len({p for _, p, _ in hits}), _shorten(sent), path))
        out.sort(key=lambda u: (-u.count, -u.articles, u.text.casefold()))
        return out[:limit]

    return rank(tables[0]), rank(tables[1])


def page_candidates(briefings: list[Briefing], min_briefings: int) -> list[PageCandidate]:
    """Entities found by their form that get a site-wide page (``earns_page``), with what backs
    each: the analyst adds them to the KB or lets them be. One named once with nothing but its
    capitals to go on waits until ``min_briefings`` briefings name it."""
    seen: dict[tuple[str, str], list[tuple[Briefing, Actor | Weapon]]] = {}
    for b in briefings:
        items: list[Actor | Weapon] = [*b.actors, *b.weapons]
        for item in items:
            if item.discovered:
                kind = "actor" if isinstance(item, Actor) else "weapon"
                seen.setdefault((kind, norm(item.name)), []).append((b, item))
    out: list[PageCandidate] = []
    for (kind, _), hits in seen.items():
        if not earns_page([item.weak for _, item in hits], min_briefings):
            continue
        b, item = next(((b, i) for b, i in hits if not i.weak), hits[0])
        m = item.mentions[0] if item.mentions else None
        sent = b.sentences[m.sentence].text if m and 0 <= m.sentence < len(b.sentences) else (
            m.span.text if m else "")
        out.append(PageCandidate(kind, item.name, item.type if isinstance(item, Actor) else item.category,
                                 len(hits), _evidence(item, len(hits)), _shorten(" ".join(sent.split())),
                                 b.doc.path))
    out.sort(key=lambda p: (-p.briefings, p.kind, p.name.casefold()))
    return out


def _evidence(item: Actor | Weapon, briefings: int) -> str:
    parts = []
    if isinstance(item, Actor) and item.role:
        parts.append(f"title '{item.role}'")
    if isinstance(item, Actor) and item.affiliation:
        parts.append(f"body of {item.affiliation}")
    if not item.weak and not parts:
        parts.append("designator" if isinstance(item, Weapon) and any(c.isdigit() for c in item.name)
                     else f"named {len(item.mentions)} times" if len(item.mentions) > 1 else "organisation word")
    if briefings > 1:
        parts.append(f"in {briefings} briefings")
    return ", ".join(parts)


def _shorten(sentence: str) -> str:
    if len(sentence) <= EXAMPLE_CHARS:
        return sentence
    return sentence[:EXAMPLE_CHARS].rsplit(" ", 1)[0] + "…"


def format_report(report: CheckReport) -> str:
    """The report as the analyst reads it: errors first, then what the KB could learn."""
    lines = []
    if report.kb is not None:
        kb = report.kb
        lines.append(f"knowledge base: {len(kb.actors)} actors, {len(kb.weapons)} weapons, "
                     f"{len(kb.concerns)} concerns, {len(kb.locations)} locations")
    lines.append(f"content: {report.articles} articles read, {len(report.errors)} error(s)")
    if report.errors:
        lines.append("")
        lines.append("errors:")
        lines.extend(f"  {e}" for e in report.errors)
    if report.warnings:
        lines.append("")
        lines.append(f"warnings ({len(report.warnings)}):")
        lines.extend(f"  {w}" for w in report.warnings)
    for title, hint, items in (
        ("actors found by extraction that the knowledge base does not know",
         "add each as an actor, or as an alias of one", report.discovered_actors),
        ("weapons found by extraction that the knowledge base does not know",
         "add each as a weapon, or as an alias of one", report.discovered_weapons),
        ("other capitalised names the knowledge base does not know", "add each real one as an actor or location",
         report.names),
        ("weapon-like designators the knowledge base does not know", "add each as a weapon or an alias",
         report.designators),
    ):
        if not items:
            continue
        lines.append("")
        lines.append(f"{title} ({hint}):")
        for u in items:
            lines.append(f"  {u.count:4d}x in {u.articles:3d} article(s)  {u.text}")
            lines.append(f"        e.g. {u.source}: {u.example}")
    if report.pages:
        lines.append("")
        lines.append(f"found entities that get a site-wide page ({len(report.pages)}; add each to the knowledge "
                     "base, or suppress it in the article's front matter):")
        for p in report.pages:
            lines.append(f"  {p.kind} {p.name} ({p.type}), {p.briefings} briefing(s): {p.evidence}")
            lines.append(f"        e.g. {p.source}: {p.example}")
    return "\n".join(lines)
