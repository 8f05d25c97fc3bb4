"""Extraction: one :class:`~generator.models.SourceDoc` in, one :class:`~generator.models.Briefing` out.

Pure and deterministic. The only state is built once from the knowledge base in
:class:`Extractor` (the alias and cue automata); ``extract`` reads nothing else and writes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, TypeVar

from generator.extract.actors import ActorFinder
from generator.extract.claims import find_claims
from generator.extract.concerns import ConcernFinder
from generator.extract.hits import Hit, SpanSet, overlap_groups, slug
from generator.extract.lexicon import ORG_HEADS
from generator.extract.matcher import AliasIndex, Match, Target, fold, plural_forms
from generator.extract.salience import Salience, scale
from generator.extract.sentences import is_headline, split_sentences
from generator.extract.summary import choose
from generator.extract.tokens import Words
from generator.extract.weapons import WeaponFinder
from generator.kb import KnowledgeBase
from generator.models import Actor, Briefing, Concern, Location, Mention, SourceDoc, Span, Weapon, make

__all__ = ["Extractor", "split_sentences"]

_Item = TypeVar("_Item", Actor, Weapon)


def _alias_entries(kb: KnowledgeBase) -> Iterator[tuple[str, Target]]:
    demonyms = frozenset(d for a in kb.actors.values() for d in a.demonyms)
    for a in kb.actors.values():
        yield a.name, Target("actor", a.id, "name", None)
        for al in a.aliases:
            yield al, Target("actor", a.id, "alias", None)
        if a.type in ("organization", "group"):
            for n in (a.name, *a.aliases):
                tail = _lower_tail(n, demonyms)
                if tail:  # "UN security council", "Russian defence ministry": news writes them so
                    yield tail, Target("actor", a.id, "alias", None)
        for d in a.demonyms:
            yield d, Target("actor", a.id, "demonym", None)
            if d[-1:].isalpha() and not d.endswith(("s", "ese", "ch", "sh")):
                yield d + "s", Target("actor", a.id, "demonym", None)
        for c in a.capitals:
            yield c, Target("actor", a.id, "capital", None)
    for w in kb.weapons.values():
        names = [w.name, *w.aliases]
        for n in names:
            yield n, Target("weapon", w.id, "name", None)
            if w.generic:
                for p in plural_forms(n):
                    yield p, Target("weapon", w.id, "plural", None)
            if "-" in n and any(ch.isdigit() for ch in n):  # "Su-34" also written "Su 34", "Su34"
                yield n.replace("-", " "), Target("weapon", w.id, "alias", None)
            if not w.generic and n[-1:].isdigit():  # "four Shahed-136s": the same system, counted
                yield n + "s", Target("weapon", w.id, "plural", None)
    for loc in kb.locations.values():
        yield loc.name, Target("location", loc.id, "name", None)
        for al in loc.aliases:
            yield al, Target("location", loc.id, "alias", None)


def _lower_tail(name: str, demonyms: frozenset[str]) -> str:
    """A body's name with its words after an acronym or a demonym in lower case, or "" when it has
    no such form ("UN Security Council" -> "UN security council")."""
    words = name.split()
    if len(words) < 2 or not (words[0] in demonyms or (words[0].isupper() and len(words[0]) > 1)):
        return ""
    if not all(w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words[1:]):
        return ""
    return " ".join([words[0], *(w.lower() for w in words[1:])])


class Extractor:
    """Turns articles into briefings with one knowledge base."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.index = AliasIndex(_alias_entries(kb))
        self.actors = ActorFinder(kb)
        self.concerns = ConcernFinder(kb)
        self.weapon_finder = WeaponFinder()
        self._kb_ids = frozenset(kb.actors) | frozenset(kb.weapons) | frozenset(kb.locations)
        # A place read by its form ("from Chongjin") or a capital named as a place is the KB location
        # of that name when there is one: one place, one id, one page.
        self._place_ids: dict[str, str] = {}
        for loc in kb.locations.values():
            for n in (loc.name, *loc.aliases):
                self._place_ids.setdefault(n.casefold(), loc.id)

    # ---------------------------------------------------------------- the contract
    def extract(self, doc: SourceDoc, *, summary_sentences: int = 3) -> Briefing:
        text = doc.text
        folded = fold(text)
        sentences = split_sentences(text)
        furniture = SpanSet.of([(f.start, f.end) for f in doc.furniture]) if doc.furniture else None
        if furniture is not None:
            # Captions, credits and datelines are no prose: no sentence, no entity, no evidence.
            sentences = _carve(text, sentences, doc.furniture)
        sentence_of = [-1] * len(text)
        for i, s in enumerate(sentences):
            sentence_of[s.start:s.end] = [i] * (s.end - s.start)

        matches = self.index.find(text, folded)
        if furniture is not None:
            matches = sorted(matches + self._dateline_places(text, doc.furniture), key=lambda m: m.start)
            # A place stays a place there ("BAGHDAD -" is where the report was filed); nothing
            # else named in furniture is the article's.
            matches = [m for m in matches if not furniture.hits(m.start, m.end)
                       or all(t.kind == "location" or t.form == "capital" for t in m.targets)]
        # KB weapons (matches naming only weapons), and the ranges of matches naming anything else.
        kb_weapons: list[Hit] = []
        other_ranges: list[tuple[int, int]] = []
        for m in matches:
            targets = m.targets
            if len(targets) == 1:  # most matches: no comprehension needed
                only_weapons = targets[0].kind == "weapon"
                other = not only_weapons
            else:
                only_weapons = bool(targets) and all(t.kind == "weapon" for t in targets)
                other = any(t.kind != "weapon" for t in targets)
            if only_weapons and _in_a_name(text, m.start, m.end):
                continue
            if only_weapons:
                kw = self.kb.weapons[targets[0].id]
                kb_weapons.append(Hit(m.start, m.end, "weapon", kw.id, kw.category, kw.name,
                                      wclass=kw.wclass, generic=kw.generic))
            if other:
                other_ranges.append((m.start, m.end))
        taken = SpanSet.of(other_ranges)
        words = Words(text)
        found, absorbed = self.weapon_finder.find(text, folded, words, sentences, sentence_of, taken,
                                                  [(h.start, h.end) for h in kb_weapons],
                                                  frozenset((h.start, h.end) for h in kb_weapons if h.generic))
        kb_weapons = [h for h in kb_weapons
                      if not (h.generic and any(a <= h.start < b for a, b in absorbed))]
        if furniture is not None:
            found = [h for h in found if not furniture.hits(h.start, h.end)]
        # A class noun in the sentence of a named system usually describes it ("the Hwasong-18, a
        # solid-fueled ICBM"): that mention is not the class on its own. The class stays listed
        # when the article names it elsewhere.
        named = [h for h in kb_weapons + found if not h.generic]
        named_sents = {sentence_of[h.start] for h in named}
        described = [h for h in kb_weapons if h.generic and sentence_of[h.start] in named_sents
                     and (_adjacent(h, found) or _next_to(h, named))]
        if described:  # still weapon words: no name to read there
            kb_weapons = [h for h in kb_weapons if h not in described]
            absorbed = absorbed + [(h.start, h.end) for h in described]
        weapon_hits = kb_weapons + found
        weapon_spans = SpanSet.of([(h.start, h.end) for h in weapon_hits] + absorbed)

        kb_actor_hits, places = self.actors.kb_hits(text, words, matches)
        kb_actor_hits = [h for h in kb_actor_hits if not weapon_spans.hits(h.start, h.end)]
        # A title in sentence case reads as prose ("Kim Jong Un oversees launch"): its names count.
        headlines = {i for i, s in enumerate(sentences)
                     if (s.end <= doc.body_start and _title_case(s.text)) or is_headline(s)
                     or (doc.headings and any(s.start < h.end and h.start < s.end for h in doc.headings))}
        # A place the KB names ("Demilitarized Zone", "Middle East") is no run of capitals to read.
        # Not when it is part of a longer name ("Mount Sinjar", "Minister for the Middle East").
        kb_places = [p for p in places if p.key and " " in text[p.start:p.end]
                     and not text.endswith(("for the ", "of the ", "for ", "of "), max(0, p.start - 8), p.start)
                     and not _CAPITALISED_BEFORE.search(text, max(0, p.start - 30), p.start)
                     and not _CAPITALISED_AFTER.match(text, p.end)]
        chunk_taken = SpanSet.of([(h.start, h.end) for h in weapon_hits] + absorbed
                                 + [(p.start, p.end) for p in kb_places]) if kb_places else weapon_spans
        new, chunk_places, dropped = self.actors.chunk_hits(text, sentences, kb_actor_hits,
                                                            chunk_taken, headlines)
        if doc.body_start:  # an office named in the title ("Foreign Secretary welcomes ...") has no holder there
            new = [h for h in new if not (h.kind == "title" and h.end <= doc.body_start)]
        if dropped:
            drop = {(h.start, h.end, h.key) for h in dropped}
            kb_actor_hits = [h for h in kb_actor_hits if (h.start, h.end, h.key) not in drop]
        actor_hits = kb_actor_hits + new
        actor_hits, places = self.actors.resolve(text, words, sentences, sentence_of, actor_hits,
                                                 places + chunk_places)
        actor_hits = _settle(_state_groups(text, actor_hits))
        actor_hits, places = _places_by_context(text, actor_hits, _settle(places), weapon_spans)
        actor_spans = SpanSet.of([(h.start, h.end) for h in actor_hits])
        places = [p for p in places if not actor_spans.hits(p.start, p.end)]

        actors = self._actors(actor_hits, doc, sentences, sentence_of)
        weapons = self._weapons(_settle(weapon_hits), doc, sentences, sentence_of)
        locations = _locations(text, places, sentence_of, self._place_ids)
        weapons = self._merge_bare_classes(weapons)
        actors, weapons = _apply_entity_overrides(self.kb, doc, actors, weapons)

        # Concerns read the classes of weapons and the types of actors in each sentence.
        wclasses: list[set[str]] = [set() for _ in sentences]
        for weapon in weapons:
            wclass = self._wclass(weapon)
            for mm in weapon.mentions:
                if mm.sentence >= 0:
                    wclasses[mm.sentence].add(wclass)
        atypes: list[set[str]] = [set() for _ in sentences]
        countries: list[set[str]] = [set() for _ in sentences]
        for actor in actors:
            for mm in actor.mentions:
                if mm.sentence >= 0:
                    atypes[mm.sentence].add(actor.type)
                    if actor.type == "country":
                        countries[mm.sentence].add(actor.id)
        for si, ids in enumerate(countries):
            if len(ids) > 1:  # "actor:countries": two states in one sentence
                atypes[si].add("countries")
        # Organisations named by their form ("Countryside Alliance", "Stop the War Coalition"): a
        # cue word inside such a name is part of the name. Bodies of a state ("Iraqi forces") and KB
        # names keep their cues.
        names = tuple((m.span.start, m.span.end) for a in actors
                      if a.discovered and a.type == "organization" and not a.affiliation
                      for m in a.mentions if len(m.span.text.split()) > 1)
        concerns = self.concerns.find(folded, sentences, sentence_of, wclasses, atypes, names)
        concerns = _apply_concern_overrides(self.kb, doc, concerns)

        summary = self._summary(doc, sentences, actors, weapons, summary_sentences)
        return Briefing(doc=doc, sentences=tuple(sentences), summary=tuple(summary),
                        actors=tuple(actors), weapons=tuple(weapons), locations=tuple(locations),
                        concerns=tuple(concerns), claims=find_claims(text, sentences, actors))

    def _dateline_places(self, text: str, furniture: tuple[Span, ...]) -> list[Match]:
        """The place in capitals opening a dateline ("BAGHDAD -"), matched as the KB writes it
        (the index reads capitals as an acronym's, not a name's)."""
        out: list[Match] = []
        for f in furniture:
            word = _CAPS_WORDS.match(f.text)
            if word is None or len(word.group()) < 3:
                continue
            for m in self.index.find(word.group().title()):
                if m.start == 0 and m.end == len(word.group()) and all(
                        t.kind == "location" or t.form == "capital" for t in m.targets):
                    out.append(Match(f.start, f.start + m.end, m.targets))
        return out

    # ---------------------------------------------------------------- grouping
    def _wclass(self, w: Weapon) -> str:
        if w.id in self.kb.weapons:
            return self.kb.weapons[w.id].wclass
        return {"warship": "warship", "tank": "armour", "missile": "missile", "rocket": "rocket",
                "aircraft": "aircraft", "helicopter": "aircraft", "drone": "drone",
                "artillery": "artillery"}.get(w.category, "small-arms" if w.category in (
                    "gun", "rifle", "pistol", "launcher") else "other")

    def _merge_bare_classes(self, weapons: list[Weapon]) -> list[Weapon]:
        """A bare class word ("the missiles") in an article that names one narrower class of the
        same kind ("ballistic missiles", "ICBM") refers to that class: one weapon, not two. So does
        a class whose members have names ("the nerve agent") when the article names one member
        ("Novichok")."""
        bare = [w for w in weapons if w.generic and (w.name.lower() in BARE_CLASSES or w.category in NAMED_MEMBERS)]
        if not bare:
            return weapons
        out = list(weapons)
        for b in bare:
            wclass = self._wclass(b)
            if b.category in NAMED_MEMBERS:
                into = [w for w in out if not w.generic and w.category == b.category]
            else:
                into = [w for w in out if w is not b and w.generic and self._wclass(w) == wclass]
            if len(into) != 1:
                continue  # none, or several it could stand for: left as it is
            target = into[0]
            mentions = tuple(sorted(target.mentions + b.mentions, key=lambda m: m.span.start))
            merged = make(Weapon, {**target.__dict__, "mentions": mentions,
                                   "aliases": _aliases(target.name, mentions)})
            out = [merged if w is target else w for w in out if w is not b]
        return out

    def _actors(self, hits: list[Hit], doc: SourceDoc, sentences: list[Span],
                sentence_of: list[int]) -> list[Actor]:
        """One actor a key, ranked by salience. ``hits`` come settled (``_settle``), so in text
        order, and so does each group: no sort a group."""
        groups: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            groups[h.key].append(h)
        scorer = Salience(doc, sentences)
        specs: list[tuple[float, dict[str, Any]]] = []
        used_ids: set[str] = set()  # besides the KB ids, which are never copied per article
        for key, hs in groups.items():
            first = hs[0]
            discovered = key.startswith("~")
            if discovered:
                name = max((h.name for h in hs), key=lambda n: (len(n.split()), len(n), n))
                aid = _free_id(slug(name), used_ids, self._kb_ids)
            else:
                name, aid = first.name, key
            used_ids.add(aid)
            mentions = _mentions(doc.text, hs, sentence_of)
            kb_actor = self.kb.actors.get(aid)
            type_ = kb_actor.type if kb_actor else first.type
            role = next((h.role for h in hs if h.role), "")
            affiliation = kb_actor.affiliation if kb_actor else (first.affiliation or None)
            # An office named without its holder ("the National Defense Minister") is weak evidence
            # of a person however often the article repeats it.
            specs.append((scorer.raw(mentions, type_), dict(  # every field of Actor, in order
                id=aid, name=name, type=type_, mentions=mentions, aliases=_aliases(name, mentions),
                role=role, salience=0.0, discovered=discovered, affiliation=affiliation,
                weak=discovered and ((len(mentions) == 1 and not role and not affiliation
                                      and not _named_as_body(name)) or (type_ == "person" and name == role)))))
        return _rank(Actor, specs)

    def _weapons(self, hits: list[Hit], doc: SourceDoc, sentences: list[Span],
                 sentence_of: list[int]) -> list[Weapon]:
        """One weapon a key, ranked by salience; ``hits`` settled, as for ``_actors``."""
        groups: dict[str, list[Hit]] = defaultdict(list)
        for h in hits:
            groups[h.key].append(h)
        scorer = Salience(doc, sentences)
        specs: list[tuple[float, dict[str, Any]]] = []
        used_ids: set[str] = set()
        for key, hs in groups.items():
            first = hs[0]
            discovered = key.startswith("~")
            kw = self.kb.weapons.get(key)
            name = max((h.name for h in hs), key=lambda n: (len(n), n)) if discovered else first.name
            wid = _free_id(slug(name), used_ids, self._kb_ids) if discovered else key
            used_ids.add(wid)
            mentions = _mentions(doc.text, hs, sentence_of)
            specs.append((scorer.raw(mentions), dict(  # no type weight; every field of Weapon, in order
                id=wid, name=name, category=first.type, mentions=mentions,
                aliases=_aliases(name, mentions), operator=kw.operator if kw else None,
                generic=first.generic, salience=0.0, discovered=discovered,
                weak=discovered and len(mentions) == 1 and not any(c.isdigit() for c in name))))
        return _rank(Weapon, specs)

    def _summary(self, doc: SourceDoc, sentences: list[Span], actors: list[Actor],
                 weapons: list[Weapon], n: int) -> list[Span]:
        if doc.overrides.summary:
            out = []
            for line in doc.overrides.summary:
                at = doc.text.find(line)
                out.append(Span(at, at + len(line), line) if at >= 0 else Span(-1, -1, line))
            return out
        heading_starts = {(h.start, h.end) for h in doc.headings}
        title = _words_of(doc.title)
        candidates = [i for i, s in enumerate(sentences)
                      if s.start >= doc.body_start and not is_headline(s) and not any(
                          s.start < he and hs < s.end for hs, he in heading_starts)
                      and not _run_on(s.text)
                      and (abs(len(s.text) - len(doc.title)) > 4 or _words_of(s.text) != title)]
        counts = [0] * len(sentences)
        for ms in [a.mentions for a in actors] + [w.mentions for w in weapons]:
            for m in ms:
                if m.sentence >= 0:
                    counts[m.sentence] += 1
        return [sentences[i] for i in choose(doc.text, sentences, candidates, counts, n)]


_CAPS_WORDS = re.compile(r"[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+)*(?![a-z])")
# Words before a weapon noun that make it something else: "think tank", "fuel tank".
_NOT_WEAPON_BEFORE = frozenset(["think", "septic", "fuel", "oil", "water", "gas", "storage", "fish",
                                "petrol", "shark", "sensory"])
_NEXT_WORDS = re.compile(r"(?:[ ][A-Z][\w'’-]*|[ ](?:of|and|for)(?=[ ][A-Z])){1,5}")


def _named_as_body(name: str) -> bool:
    """An organisation word ends the name ("Harbour Defence Council"), or it is an acronym: evidence
    beyond a run of capitals."""
    words = name.split()
    return (len(words) > 1 and words[-1].lower() in ORG_HEADS) or (len(words) == 1 and name.isupper()
                                                                   and len(name) > 1)


def _title_case(line: str) -> bool:
    """Whether most longer words of a line are capitalised, so capitals say nothing about names."""
    words = [w for w in line.split() if len(w) > 3]
    return not words or sum(w[0].isupper() for w in words) >= 0.5 * len(words)


def _in_a_name(text: str, start: int, end: int) -> bool:
    """Whether a weapon word is part of a phrase or an organisation's name, not a weapon: "think
    tank", "bomb-laden", "Munitions Industry Department", "Missile Defense Agency" (capitalised words
    after it that end in an organisation word)."""
    before = text[max(0, start - 12):start].rstrip().rsplit(" ", 1)[-1].lower()
    if before in _NOT_WEAPON_BEFORE:
        return True
    if text[end:end + 1] == "-" and _CARRIER_SUFFIX.match(text, end):
        return True  # the load of the weapon named next: "bomb-laden drones", "missile-carrying ships"
    if not text[start:start + 1].isupper():
        return False
    m = _NEXT_WORDS.match(text, end)
    if m is None:
        return False
    last = m.group().rsplit(" ", 1)[-1].lower().strip("'’")
    return last in ORG_HEADS and last not in ("forces", "force", "army", "navy", "corps")


_CARRIER_SUFFIX = re.compile(r"-(?:laden|carrying|capable|equipped|tipped|mounted|fitted|loaded)\b")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’-]*[ ]$")
_CAPITALISED_AFTER = re.compile(r"[ ][A-Z]")
BARE_CLASSES = frozenset(["missiles", "missile"])  # class words too vague to stand beside a narrower one
NAMED_MEMBERS = frozenset(["nerve agent"])  # categories whose bare class word means the one member named
SUMMARY_MAX_WORDS = 60  # a longer "sentence" is a run-on of several, or a list: no editor picks it


def _run_on(sentence: str) -> bool:
    """More than ``SUMMARY_MAX_WORDS`` words (spaces counted first: most sentences are far shorter)."""
    return sentence.count(" ") >= SUMMARY_MAX_WORDS and len(sentence.split()) > SUMMARY_MAX_WORDS


def _words_of(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").rstrip(".!? ").split())


def _carve(text: str, sentences: list[Span], furniture: tuple[Span, ...]) -> list[Span]:
    """The sentences with the furniture cut out: a dateline leaves the rest of its sentence, a
    caption leaves nothing."""
    out: list[Span] = []
    spans = sorted((f.start, f.end) for f in furniture)
    k = 0
    for sent in sentences:
        while k < len(spans) and spans[k][1] <= sent.start:
            k += 1
        if k >= len(spans) or spans[k][0] >= sent.end:
            out.append(sent)
            continue
        pos = sent.start
        j = k
        while j < len(spans) and spans[j][0] < sent.end:
            _add_piece(text, pos, spans[j][0], out)
            pos = max(pos, spans[j][1])
            j += 1
        _add_piece(text, pos, sent.end, out)
    return out


def _add_piece(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and (text[start].isspace() or text[start] in "-–—:,.;|"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start >= 3 and any(c.isalpha() for c in text[start:end]):
        out.append(Span(start, end, text[start:end]))


def _adjacent(h: Hit, named: list[Hit]) -> bool:
    """Whether a class noun sits within a few characters of a named system ("Glock 19 pistol")."""
    return any(0 <= h.start - n.end <= 12 for n in named)


def _next_to(h: Hit, named: list[Hit]) -> bool:
    """Whether a class noun directly follows a named system ("Shenyang J-16 fighter jets")."""
    return any(0 <= h.start - n.end <= 1 for n in named)


def _free_id(base: str, used: set[str], reserved: frozenset[str]) -> str:
    if base not in used and base not in reserved:
        return base
    n = 2
    while f"{base}-{n}" in used or f"{base}-{n}" in reserved:
        n += 1
    return f"{base}-{n}"


def _aliases(name: str, mentions: tuple[Mention, ...]) -> tuple[str, ...]:
    seen = {m.span.text for m in mentions if m.span.text != name}
    return tuple(sorted(seen))


def _settle(hits: list[Hit]) -> list[Hit]:
    """Drop duplicate and overlapping hits, keeping the longer (then earlier) one.

    Settled group by group (:func:`~generator.extract.hits.overlap_groups`): the same result as
    settling all hits at once (``_settle_run``, the definition), with no key tuple and no overlap
    test for the many hits that overlap nothing.
    """
    if any(h.end <= h.start for h in hits):
        return _settle_run(hits)  # an empty range (none seen): "overlap" is subtler there
    out: list[Hit] = []
    for group in overlap_groups(hits):
        out.extend(group if len(group) == 1 else _settle_run(group))
    return out


def _settle_run(hits: list[Hit]) -> list[Hit]:
    """Settle overlapping hits: longest first, then earliest, each kept if it overlaps none kept."""
    chosen: list[Hit] = []
    taken = SpanSet()
    for h in sorted(hits, key=lambda h: (h.start - h.end, h.start, h.key)):
        if not taken.hits(h.start, h.end):
            chosen.append(h)
            taken.add(h.start, h.end)
    chosen.sort(key=lambda h: (h.start, h.end))
    return chosen


def _mentions(text: str, hits: list[Hit], sentence_of: list[int]) -> tuple[Mention, ...]:
    """``Mention(Span(start, end, text), sentence)`` of each hit."""
    return tuple([make(Mention, {
        "span": make(Span, {"start": h.start, "end": h.end, "text": text[h.start:h.end]}),
        "sentence": sentence_of[h.start]}) for h in hits])


def _rank(cls: type[_Item], specs: list[tuple[float, dict[str, Any]]]) -> list[_Item]:
    """Build each item once, with its salience scaled from the raw scores (``dataclasses.replace``
    on a frozen model costs as much as building it)."""
    scaled = scale([raw for raw, _ in specs])
    ranked = []
    for (_, spec), s in zip(specs, scaled, strict=True):
        spec["salience"] = s
        ranked.append(make(cls, spec))
    ranked.sort(key=lambda x: (-x.salience, x.mentions[0].span.start if x.mentions else 0, x.id))
    return ranked


# People or a body of a state named after it ("the Iraqi people", "U.S. officials", "our Syrian
# partners", "Turkish allies"): a group of that state, not the state itself nor a place.
_STATE_GROUP = re.compile(
    r"[ ]((?:(?:military|security|special|government|armed|naval|defence|defense|senior|local|"
    r"religious)[ ])?(?:partners|allies|counterparts|leaders|businesses|organisations|"
    r"organizations|service members))\b")


# A state's name at the head of the name of one of its offices or organs ("U.S. Secretary of
# State Kerry", "the UK Special Representative", "U.S. Embassy"): the office is what is named.
_STATE_OFFICE = re.compile(
    r"[ ](?:Secretary|Minister|Ministry|Special|Ambassador|Embassy|Envoy|Representative|Department|"
    r"Navy|Naval|Army|Air[ ]Force|Marines?|Coast[ ]Guard|Forces|Congress|Senate|Parliament)\b")
# Named events whose names hold states or places: "the Iran-Iraq War", "the UK-France Summit".
_EVENT_AFTER = re.compile(r"(?:-[A-Z][\w.’']*)*[ ](?:War|Summit|Agreement|Accord|Treaty|Conference|Crisis)\b")
# A place named in an office: "the Minister for Central Asia", "Special Representative for Syria".
_OFFICE_BEFORE = re.compile(
    r"\b(?:Minister|Secretary|Envoy|Representative|Ambassador|Commissioner|Coordinator|Adviser|Advisor)"
    r"[ ](?:for|of|to)[ ](?:the[ ])?$")
# "In Turkey Minister Ellwood met ...": a state after a locative word is a place, not an office's head.
_AT_PLACE = re.compile(r"\b(?:in|at|to|from|into|visit|visited)[ ]$", re.I)


def _state_groups(text: str, hits: list[Hit]) -> list[Hit]:
    """Each state mention followed by a group of its people becomes that group, an organisation
    of the state; one at the head of an office's or an event's name is part of that name. Both
    only when the article also names the state itself (else the mention is the article's one
    pointer to the state and stays one)."""
    groups: dict[int, re.Match[str] | None] = {}
    for n, h in enumerate(hits):
        if h.type == "country" and not h.discovered and text.startswith((" ", "-"), h.end):
            m = _STATE_GROUP.match(text, h.end)
            if m or _EVENT_AFTER.match(text, h.end) or (
                    _STATE_OFFICE.match(text, h.end) and not _AT_PLACE.search(text, max(0, h.start - 8), h.start)):
                groups[n] = m
    if not groups:
        return hits
    named = {h.key for n, h in enumerate(hits) if n not in groups and h.type == "country"}
    out = []
    for n, h in enumerate(hits):
        if n in groups and h.key in named:
            m = groups[n]
            if m is None:
                continue  # the office's name carries the state
            name = text[h.start:m.end(1)]
            h = Hit(h.start, m.end(1), "actor", "~organization:" + slug(name), "organization", name,
                    discovered=True, affiliation=h.key)
        out.append(h)
    return out


_PLACE_WORD = r"[A-Z][a-z][\w'’-]*"
# Capitalised words that end a list of places without being one.
_NOT_PLACES = frozenset(["the", "other", "elsewhere", "beyond", "abroad", "others", "north", "south",
                         "east", "west", "central"])
# Further members of a list that starts with a place: "in Mosul, Sarab and Hammam".
_LIST_AFTER_PLACE = re.compile(rf"((?:,[ ]{_PLACE_WORD})*),?[ ](?:and|or)[ ]({_PLACE_WORD})\b(?![ ][A-Z])")
# "northwest of Kafr Tel": a bearing taken from a capitalised word makes it a place.
_BEARING_OF = re.compile(
    rf"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?[ ]of[ ]({_PLACE_WORD})\b(?![ ][A-Z])")
# Names listed after a plural noun of places: "towns in the north including Amrak and Sulin".
_PLACE_PLURALS = ("towns", "villages", "cities", "districts", "provinces", "regions")
_PLACES_INCLUDING = re.compile(
    rf"\b(?:towns|villages|cities|districts|provinces|regions)\b[^.\n]{{0,40}}?[ ](?:including|such[ ]as|like)[ ]"
    rf"({_PLACE_WORD}(?:(?:,[ ]|,?[ ](?:and|or)[ ]){_PLACE_WORD})*)\b(?![ ][A-Z])")
# A name and a common noun of geography after it: "the Sarq mountains", "the Wadi Tel region".
_GEO_NOUNS = (" mountain", " region", " province", " governorate", " district", " valley", " desert",
              " river", " plain")
_NAME_AND_GEO = re.compile(
    rf"\b(?!(?:The|This|That|Its|Their|Our|His|Her|A|An|Each|Every|Whole|Entire)\b)({_PLACE_WORD}(?:[ ]{_PLACE_WORD})*)"
    r"[ ](mountains|mountain[ ]range|region|province|governorate|district|valley|desert|river|plains?)\b")


def _places_by_context(text: str, actor_hits: list[Hit], places: list[Hit],
                       weapon_spans: SpanSet) -> tuple[list[Hit], list[Hit]]:
    """Places read from their context, beyond the knowledge base and the name chunks: the other
    members of a list that starts with a place, a name a bearing is taken from, a name with a
    geographic noun after it. A lone word read as a place right before another name is part of
    that name ("the Coalition to Counter ISIL"), not a place."""
    actor_starts = {h.start for h in actor_hits}
    places = [p for p in places if not (
        (p.discovered and " " not in p.name and text.startswith(" ", p.end) and p.end + 1 in actor_starts)
        or _EVENT_AFTER.match(text, p.end) or _OFFICE_BEFORE.search(text, max(0, p.start - 40), p.start))]
    taken = SpanSet.of([(h.start, h.end) for h in (*actor_hits, *places)])
    found: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return not taken.hits(start, end) and not weapon_spans.hits(start, end)

    for p in places:
        m = _LIST_AFTER_PLACE.match(text, p.end)
        if m:
            at = m.start(1)
            for word in m.group(1).split(", ")[1:]:
                at = text.index(word, at)
                found.append((at, at + len(word)))
            found.append((m.start(2), m.end(2)))
    # Each pattern runs only on a text holding its plain words: most articles hold none of them.
    if "th of " in text or "st of " in text or "thern of " in text or "stern of " in text:
        found.extend((m.start(1), m.end(1)) for m in _BEARING_OF.finditer(text))
    if any(w in text for w in _PLACE_PLURALS):
        for m in _PLACES_INCLUDING.finditer(text):
            at = m.start(1)
            for word in re.split(r",[ ](?:and[ ]|or[ ])?|[ ](?:and|or)[ ]", m.group(1)):
                at = text.index(word, at)
                found.append((at, at + len(word)))
    replaced: set[tuple[int, int]] = set()
    for m in (_NAME_AND_GEO.finditer(text) if any(w in text for w in _GEO_NOUNS) else ()):
        # A name read as a person before a geographic noun is that place ("the Wadi Tel region").
        inside = [(h.start, h.end) for h in actor_hits if h.discovered and h.type == "person"
                  and m.start(1) <= h.start and h.end <= m.end(1)]
        if inside:
            replaced.update(inside)
            taken = SpanSet.of([(h.start, h.end) for h in (*actor_hits, *places)
                                if (h.start, h.end) not in replaced])
        found.append((m.start(1), m.end(2)))
    if replaced:
        actor_hits = [h for h in actor_hits if (h.start, h.end) not in replaced]
    out_places = list(places)
    for s, e in found:
        if free(s, e) and text[s:e].lower() not in _NOT_PLACES:
            out_places.append(Hit(s, e, "location", "", "location", text[s:e], discovered=True))
            taken.add(s, e)
    return actor_hits, sorted(out_places, key=lambda h: (h.start, h.end))



def _locations(text: str, places: list[Hit], sentence_of: list[int], kb_ids: dict[str, str]) -> list[Location]:
    groups: dict[str, list[Hit]] = defaultdict(list)
    for p in places:
        groups[p.key or kb_ids.get(p.name.casefold()) or p.name].append(p)
    out = []
    for key, ps in groups.items():
        ps.sort(key=lambda h: h.start)
        mentions = tuple(Mention(Span(p.start, p.end, text[p.start:p.end]), sentence_of[p.start])
                         for p in ps)
        kb_id = ps[0].key or kb_ids.get(ps[0].name.casefold(), "")
        named = next((p.name for p in ps if p.key), ps[0].name)  # the KB's spelling when a mention has it
        out.append(Location(name=named, mentions=mentions, id=kb_id if kb_id == key else ""))
    out.sort(key=lambda loc: (-len(loc.mentions), loc.mentions[0].span.start))
    return out


def _matches_name(value: str, kb_id: str, name: str, aliases: tuple[str, ...]) -> bool:
    v = value.strip().lower()
    return v in (kb_id.lower(), name.lower()) or v in (a.lower() for a in aliases)


def _apply_entity_overrides(kb: KnowledgeBase, doc: SourceDoc, actors: list[Actor],
                            weapons: list[Weapon]) -> tuple[list[Actor], list[Weapon]]:
    ov = doc.overrides
    if ov.suppress_actors:
        actors = [a for a in actors if not any(_matches_name(v, a.id, a.name, a.aliases)
                                               for v in ov.suppress_actors)]
    if ov.suppress_weapons:
        weapons = [w for w in weapons if not any(_matches_name(v, w.id, w.name, w.aliases)
                                                 for v in ov.suppress_weapons)]
    for value in ov.add_actors:
        if any(_matches_name(value, a.id, a.name, a.aliases) for a in actors):
            continue
        kb_a = kb.actors.get(value) or next((a for a in kb.actors.values()
                                             if a.name.lower() == value.lower()), None)
        if kb_a:
            actors.append(Actor(id=kb_a.id, name=kb_a.name, type=kb_a.type, mentions=(),
                                affiliation=kb_a.affiliation))
        else:
            actors.append(Actor(id=slug(value), name=value, type="organization", mentions=(),
                                discovered=True))
    for value in ov.add_weapons:
        if any(_matches_name(value, w.id, w.name, w.aliases) for w in weapons):
            continue
        kb_w = kb.weapons.get(value) or next((w for w in kb.weapons.values()
                                              if w.name.lower() == value.lower()), None)
        if kb_w:
            weapons.append(Weapon(id=kb_w.id, name=kb_w.name, category=kb_w.category, mentions=(),
                                  operator=kb_w.operator, generic=kb_w.generic))
        else:
            weapons.append(Weapon(id=slug(value), name=value, category="weapon", mentions=(),
                                  discovered=True))
    return actors, weapons


def _apply_concern_overrides(kb: KnowledgeBase, doc: SourceDoc, concerns: list[Concern]) -> list[Concern]:
    ov = doc.overrides
    if ov.suppress_concerns:
        drop = {v.strip().lower() for v in ov.suppress_concerns}
        concerns = [c for c in concerns if c.id not in drop and c.label.lower() not in drop]
    have = {c.id for c in concerns}
    for value in ov.add_concerns:
        kc = kb.concerns.get(value) or next((c for c in kb.concerns.values()
                                             if c.label.lower() == value.lower()), None)
        if kc and kc.id not in have:
            concerns.append(Concern(kc.id, kc.label, (), 0.0))
            have.add(kc.id)
    return concerns
