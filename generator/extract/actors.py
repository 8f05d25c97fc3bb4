"""Actors and places: knowledge-base matches, names found by their form, and resolution.

Evidence is tried in order, each step only on text the earlier ones left:

1. knowledge-base aliases (countries, organisations, people, demonyms, capitals);
2. runs of capitalised words ("chunks") read by their form: a title before a name makes a person
   ("Lt. Gen. Stephen J. Townsend", "leader Kim Jong Un"), an organisation word at the end makes an
   organisation ("Syrian Democratic Forces", "Ministry of Defence"), a place word or a locative
   preposition makes a place;
3. resolution inside the article: a surname or given name alone is the person named in full
   earlier or later, an acronym defined in brackets is the name before it, a capital followed by
   a verb or a possessive is its state.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from operator import attrgetter

from generator.extract.hits import Hit, SpanSet, slug, start_key
from generator.extract.lexicon import (
    ABBREVIATIONS,
    ACTION_VERBS,
    EVENT_HEADS,
    LOC_HEADS,
    LOCATIVE,
    NOT_NAMES,
    ORG_HEADS,
    ORG_OPENERS,
    SPEECH_VERBS,
    TITLE_MODIFIERS,
    TITLE_WORDS,
    WEAK_TITLES,
)
from generator.extract.matcher import Match, Target
from generator.extract.tokens import CHUNK, Tok, Words, chunk_tokens, is_acronym, occurrences
from generator.kb import KnowledgeBase
from generator.models import Span

_ACRONYM_DEF = re.compile(r"[ ]?\((?:the[ ])?([A-Z][A-Za-z0-9&-]{1,11})\)")
_POSSESSIVE = re.compile(r"['’]s?(?!\w)")
_ROMAN = re.compile(r"^[IVXLC]+$")
_APPOSED = re.compile(r",[ ]")
PLACE_NOUNS = LOC_HEADS | frozenset(["siege", "outskirts", "suburb", "suburbs", "centre", "center",
                                     "heart", "north", "south", "east", "west", "capital", "outside"])
PLACE_OPENERS = frozenset(["mount", "mt", "lake", "port", "fort", "cape", "gulf", "bay", "camp", "lake"])
# Nouns after a demonym that make the pair an armed or official body ("Iraqi forces").
_BODY = re.compile(
    r"[ ]((?:(?:military|security|special|government|state|armed|naval|air|defence|defense|"
    r"opposition|rebel|regime|pro-government|elite|general|foreign)[ ])?"
    r"(?:forces|troops|soldiers|military|army|navy|police|government|officials|authorities|"
    r"militias?|fighters|rebels|television|media|ministry|intelligence|diplomats|commanders?|"
    r"officers|units|jets|warplanes|aircraft|refugees|civilians|citizens|nationals|[Ee]mbassy|[Cc]onsulate|"
    r"coast[ ]guard|border[ ]guards?|security[ ]service|intelligence[ ]service))\b")
_CAPITALISED_NEXT = re.compile(r"[ ][A-Z][a-z]")
_BASED_IN = re.compile(r"[-‐‑](?:based|born|headquartered|registered|listed)\b")
# Bodies that are a state's people, not a body acting for it ("British citizens"): the demonym stays
# the state's mention and the people are no actor of their own.
_PEOPLE = frozenset(["citizens", "nationals"])
_THE_STATE = ("government", "authorities", "officials", "leadership")
# A noun after "military" that makes it an adjective ("Iraqi military bases"): the state, not its army.
_MILITARY_THINGS = re.compile(
    r"[ ](?:bases?|sites?|facilit(?:y|ies)|installations?|targets?|positions?|vehicles?|equipment|"
    r"hardware|aircraft|planes?|jets?|ships?|vessels?|helicopters?|convoys?|exercises?|drills?|"
    r"operations?|activit(?:y|ies)|capabilit(?:y|ies)|spending|budget|presence|warmongers|court|"
    r"academy|hospital|leaders?|leadership|sources?|personnel|advisers?|advisors?|trainers?|"
    r"action|intervention|threats?|power|might|parade|junta|ties|cooperation|co-operation)\b")


# Words that describe a known group without naming another one: "Wagner Private Military Company".
_DESCRIPTORS = frozenset(["private", "military", "company", "group", "pmc", "mercenary", "mercenaries",
                          "organization", "organisation", "militia", "movement", "network", "faction"])

# An official body named after its state: "the government of Iraq", "the armed forces of Ukraine".
_OF_BODY = re.compile(
    r"\b((?:government|authorities|armed forces|army|security forces|parliament|navy|air force)[ ]of[ ](?:the[ ])?)$")

NOT_ORG_ACRONYMS = frozenset([
    "TV", "IP", "GMT", "UTC", "UHF", "VHF", "HF", "FEC", "MHZ", "GHZ", "GPS", "ID", "DNA", "HQ", "OK",
    "CEO", "AM", "FM", "PDF", "URL", "USD", "EUR", "GBP", "GDP", "CCTV", "SMS", "FAQ", "PS", "NB",
    "EPS", "GAAP", "CFO", "COO", "CTO", "IPO", "ETF", "EBITDA", "YOY", "ROI", "Q1", "Q2", "Q3", "Q4",
])


def text_of_after(words: Words, pos: int) -> str:
    """The next non-space character after ``pos``."""
    rest = words.text[pos:pos + 3].lstrip(" ")
    return rest[:1]


def _word_before_text(text: str, pos: int) -> str:
    head = text[max(0, pos - 12):pos].rstrip()
    return head.rsplit(" ", 1)[-1].lower() if head else ""


def text_of(words: Words, span: tuple[int, int]) -> str:
    return words.text[span[0]:span[1]]


def _title_key(role: str) -> str:
    words = [w.lower().rstrip(".") for w in role.split()]
    while words and words[0] not in TITLE_WORDS and words[0] not in TITLE_MODIFIERS:
        words = words[1:]  # drop "Russian", "The"
    return " ".join(words)


def _clean(tok: Tok) -> Tok:
    """Drop a sentence-final dot that the chunk pattern swallowed ("Syria.")."""
    if tok.text.endswith(".") and len(tok.text) > 2:
        bare = tok.text[:-1]
        if bare.lower() not in ABBREVIATIONS and bare.lower() not in TITLE_WORDS and "." not in bare:
            return Tok(tok.start, tok.end - 1, bare)
    return tok


def _kept_whole(chunk: str) -> bool:
    """Whether ``_read_group`` reads the chunk's words as they are: its first word is not stripped
    as a function word and :func:`_clean` changes none of them (which would move an edge or split it)."""
    first = chunk.split(" ", 1)[0]
    if first.lower().replace(".", "") in NOT_NAMES:
        return False
    if "." in chunk:
        for w in chunk.split(" "):
            if w.endswith(".") and _clean(Tok(0, len(w), w)).text != w:
                return False
    return True


def _is_title(tok: Tok) -> bool:
    return tok.bare in TITLE_WORDS


def _is_name_word(tok: Tok) -> bool:
    t = tok.text.rstrip(".")
    if not t or not t[0].isupper():
        return False
    if tok.bare in NOT_NAMES:
        return False
    return not (is_acronym(t) and len(t) > 1)


_START_END = attrgetter("start", "end")
# Words before a capitalised run that make it a thing's name, not a person's ("a Golden Bowl title").
_NOT_BEFORE_PERSON = frozenset(["a", "an", "first", "second", "third", "last", "next", "every", "each",
                                "another", "its", "their", "our", "this", "these", "those"])
# First words that open no person's name: compass points, and words that head a body's, a place's
# or an event's name ("West African", "Mission Accomplished").
_NOT_PERSON_OPENERS = frozenset(["north", "south", "east", "west", "northeast", "northwest", "southeast",
                                 "southwest", "upper", "lower", "greater"]) | ORG_HEADS | LOC_HEADS | EVENT_HEADS
# Nouns of office that end no person's name: "National Defense Minister" is an office, not a name.
_OFFICES = frozenset(["minister", "secretary", "president", "spokesman", "spokeswoman", "spokesperson",
                      "ambassador", "envoy", "chancellor", "premier", "governor", "commander", "director",
                      "chairman", "chairwoman", "ceo", "commissioner", "mayor", "senator", "deputy",
                      "adviser", "advisor", "official", "officer", "minister-president"])
HONORIFICS = frozenset(["mr", "mrs", "ms", "dr", "messrs", "mme"])
# Nouns of family that make the capitalised word after them a person's given name.
KINSHIP = frozenset(["daughter", "son", "wife", "husband", "brother", "sister", "mother", "father",
                     "widow", "cousin", "nephew", "niece", "uncle", "aunt", "grandson", "granddaughter"])


class _KbSpans:
    """Knowledge-base hits in text order; ``within`` finds those inside a range by bisection."""

    def __init__(self, hits: list[Hit]) -> None:
        ordered = sorted(hits, key=_START_END)
        self.hits = ordered
        self.starts = [h.start for h in ordered]

    def within(self, start: int, end: int) -> list[Hit]:
        out = []
        hits = self.hits
        for i in range(bisect_left(self.starts, start), len(hits)):
            h = hits[i]
            if h.start >= end:
                break
            if h.end <= end:
                out.append(h)
        return out


class ActorFinder:
    """Reads one article's actors and places. Holds only the knowledge base, never state."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    # ------------------------------------------------------------------ step 1: KB matches
    def kb_hits(self, text: str, words: Words, matches: list[Match]) -> tuple[list[Hit], list[Hit]]:
        """Actor and location hits from knowledge-base matches (capitals decided by context)."""
        actors: list[Hit] = []
        places: list[Hit] = []
        bodies: list[Hit] = []
        for m in matches:
            t = m.targets[0] if len(m.targets) == 1 else _pick(m)
            if t.kind == "weapon":
                continue
            if t.kind == "location":
                loc = self.kb.locations[t.id]
                places.append(Hit(m.start, m.end, "location", t.id, "location", loc.name))
                continue
            a = self.kb.actors[t.id]
            if a.type == "country" and _BASED_IN.match(text, m.end):
                # "the U.S.-based monitor": where something is, not a state acting.
                places.append(Hit(m.start, m.end, "location", "", "location", text[m.start:m.end]))
                continue
            if t.form == "capital" and not _acts(words, m.start, m.end):
                places.append(Hit(m.start, m.end, "location", "", "location", text[m.start:m.end]))
                continue
            if a.type != "country" and text.endswith(" military", m.start, m.end) \
                    and _MILITARY_THINGS.match(text, m.end) and a.affiliation in self.kb.actors:
                # A KB army named as an adjective ("Iraqi military bases"): its state's demonym.
                state = self.kb.actors[a.affiliation]
                if state.type == "country":
                    actors.append(Hit(m.start, m.end - len(" military"), "actor", state.id, state.type, state.name))
                    continue
            owner = t.form == "demonym" or (t.form in ("name", "alias") and text.startswith(("'s ", "’s "), m.end))
            if owner and a.type == "country":
                # "Iraqi forces", "Iraq's military": a body of that state.
                body = _BODY.match(text, m.end if t.form == "demonym" else m.end + 2)
                if body and body.group(1) == "military" and _MILITARY_THINGS.match(text, body.end(1)):
                    body = None
                if body and t.form != "demonym" and body.group(1).endswith(_THE_STATE):
                    body = None  # "Ukraine's government" is Ukraine
                if body and (body.group(1) in _PEOPLE or _CAPITALISED_NEXT.match(text, body.end(1))):
                    body = None  # "British citizens"; "Iraqi militia Harbour Brigades" describes the name after it
                if body and body.group(1) not in ("jets", "warplanes", "aircraft"):
                    # "Iraqi forces", "Syrian government": a body of that state, its own actor.
                    name = text[m.start:body.end(1)]
                    bodies.append(Hit(m.start, body.end(1), "actor", "~organization:" + slug(name),
                                      "organization", name, discovered=True, affiliation=a.id,
                                      role=f"{m.start}:{m.end}"))
                    continue
                surface = text[m.start:m.end]
                if t.form == "demonym" and surface.endswith("s") and not surface.endswith("ss"):
                    # "Syrians", "Iraqis": the people of a state, not the state acting.
                    bodies.append(Hit(m.start, m.end, "actor", "~organization:" + slug(surface),
                                      "organization", surface, discovered=True, affiliation=a.id,
                                      role=f"{m.start}:{m.end}"))
                    continue
            if a.type == "country" and t.form in ("name", "alias"):
                # The pattern ends in "of " or "of the " at the name (``$`` also before a last
                # newline): tested first, so the engine does not try the pattern at each of the 40
                # characters before every name.
                window = max(0, m.start - 40)
                head = _OF_BODY.search(text, window, m.start) if text.endswith(
                    ("of ", "of the ", "of \n", "of the \n"), window, m.start) else None
                if head:  # "the government of Iraq": a body of that state, named after it
                    name = text[head.start(1):m.end]
                    bodies.append(Hit(head.start(1), m.end, "actor", "~organization:" + slug(name),
                                      "organization", name, discovered=True, affiliation=a.id,
                                      role=f"{m.start}:{m.end}"))
                    continue
            actors.append(Hit(m.start, m.end, "actor", a.id, a.type, a.name))
        # A body (or a people) stands apart from its state only when the state is named elsewhere too; else the
        # demonym is the article's one pointer to the state and stays a mention of it.
        named = {h.key for h in actors}
        for b in bodies:
            if b.affiliation in named:
                actors.append(replace(b, role=""))
            else:
                a = self.kb.actors[b.affiliation]
                fs, fe = (int(x) for x in b.role.split(":"))  # the state's own words in the mention
                actors.append(Hit(fs, fe, "actor", a.id, a.type, a.name))
                named.add(a.id)
        actors.sort(key=start_key)
        return actors, places

    # ------------------------------------------------------------------ step 2: chunks
    def chunk_hits(self, text: str, sentences: list[Span], kb_actor_hits: list[Hit],
                   taken: SpanSet, headlines: set[int]) -> tuple[list[Hit], list[Hit], list[Hit]]:
        """(new actor hits, new place hits, KB hits to drop as swallowed, unresolved token starts).

        Unresolved single words and name-like runs come back as ``pending`` hits (kind
        "pending") for the resolution step.
        """
        by_start = {h.start: h for h in kb_actor_hits}
        kb_spans = _KbSpans(kb_actor_hits)
        new: list[Hit] = []
        places: list[Hit] = []
        dropped: list[Hit] = []
        for si, sent in enumerate(sentences):
            found_here: list[Hit] = []
            for cm in CHUNK.finditer(text, sent.start, sent.end):
                word = cm.group()
                single = " " not in word
                bare = word.lower().replace(".", "") if single else ""
                if single and bare in NOT_NAMES:
                    continue  # a capitalised sentence opener ("The", "It"): a quarter of all runs
                cs, ce = cm.span()
                in_taken = taken.hits(cs, ce)
                kb = by_start.get(cs)
                if kb is None and single and word[-1] != "." and not in_taken and bare not in TITLE_WORDS \
                        and bare != "coalition" and not kb_spans.within(cs, ce):
                    # One capitalised word that is no title, no KB name and holds none (the
                    # commonest run left): ``_read_group`` would keep it for resolution as is.
                    found_here.append(Hit(cs, ce, "pending", "", "", word))
                    continue
                if kb is not None and kb.end == ce and not in_taken and _kept_whole(word):
                    # Exactly one KB entity ("Iraq", "Saudi Arabia"), a third of the rest: reading
                    # its words would end at the same check in ``_read_group``.
                    inside = kb_spans.within(cs, ce)
                    if len(inside) == 1 and inside[0].start == cs and inside[0].end == ce:
                        continue
                toks = chunk_tokens(text, cs, ce)
                whole = True  # the words still touch one another: one group
                for k, t in enumerate(toks):
                    if t.text[-1] == ".":
                        c = toks[k] = _clean(t)
                        if c is not t:
                            whole = False
                if in_taken:
                    toks = [t for t in toks if not taken.hits(t.start, t.end)]
                    whole = False
                if not toks:
                    continue
                if whole:
                    self._read_group(text, sent, toks, by_start, kb_spans, found_here, places, dropped)
                else:
                    self._read_chunk(text, sent, toks, by_start, kb_spans, found_here, places, dropped)
            if si in headlines:  # capitals mean nothing in a title-case line: keep only titled people
                found_here = [h for h in found_here if h.kind != "pending" and (h.type != "person" or h.role)]
            new.extend(found_here)
        return new, places, dropped

    def _read_chunk(self, text: str, sent: Span, toks: list[Tok], by_start: dict[int, Hit],
                    kb_spans: _KbSpans, new: list[Hit], places: list[Hit],
                    dropped: list[Hit]) -> None:
        # Contiguity: tokens left after removing taken ones may have gaps; split on gaps.
        groups: list[list[Tok]] = [[toks[0]]]
        for t in toks[1:]:
            prev = groups[-1][-1]
            if t.start - prev.end > 1:
                groups.append([t])
            else:
                groups[-1].append(t)
        for g in groups:
            self._read_group(text, sent, g, by_start, kb_spans, new, places, dropped)

    def _read_group(self, text: str, sent: Span, toks: list[Tok], by_start: dict[int, Hit],
                    kb_spans: _KbSpans, new: list[Hit], places: list[Hit],
                    dropped: list[Hit]) -> None:
        # Strip leading function words ("The", "In") and trailing connectors; an honorific before a
        # name stays, as the title that makes it a person ("Mr Veller").
        while toks and (toks[0].bare in NOT_NAMES or toks[0].text[0].islower()) and not (
                toks[0].bare in HONORIFICS and len(toks) > 1 and _is_name_word(toks[1])
                and len(toks[1].bare) > 1) \
                and toks[0].start not in by_start \
                and not (toks[0].bare == "new" and len(toks) > 1 and _is_name_word(toks[1])
                         and (toks[0].start != sent.start or _has_org_head(toks[1:]))):
            # "U.S." is no "us"; "New" opens a name inside a sentence ("the New York Times")
            toks = toks[1:]
        while toks and toks[-1].text[0].islower():
            toks = toks[:-1]
        if not toks:
            return
        start, end = toks[0].start, toks[-1].end
        inside = kb_spans.within(start, end)
        if inside and len(inside) == 1 and inside[0].start == start and inside[0].end == end:
            return  # exactly a KB entity

        # Titles: [demonym/KB] Title Title Name Name
        i = 0
        lead_kb: list[Hit] = []
        n = len(toks)
        while i < n and (h := by_start.get(toks[i].start)) is not None and h.type == "country":
            lead_kb.append(h)
            i += 1  # always move on, even when the hit ends inside the token ("Iraqi-led")
            while i < n and toks[i].end <= h.end:
                i += 1
        j = i
        while j < n and (toks[j].bare in TITLE_WORDS or (toks[j].bare in TITLE_MODIFIERS and j + 1 < n)):
            j += 1
        title_toks = toks[i:j]
        has_title = j > i and any(t.bare in TITLE_WORDS for t in title_toks)
        if has_title and len(title_toks) == 1 and title_toks[0].bare in WEAK_TITLES \
                and title_toks[0].start == sent.start:
            has_title = False
        if has_title and j < len(toks):
            name_toks = _name_run(toks[j:])
            if name_toks:
                role = " ".join([text[h.start:h.end] for h in lead_kb] + [t.text for t in title_toks])
                self._person(text, title_toks[0].start, name_toks, role, by_start, kb_spans, new, dropped)
                rest = toks[j + len(name_toks):]
                if rest:
                    self._read_group(text, sent, rest, by_start, kb_spans, new, places, dropped)
                return
        if has_title and j < len(toks) and toks[j].bare in ("for", "of"):
            # A title with its complement before the name: "Minister for the Middle East Tobias
            # Ellwood". The name is the trailing run of name words, if there are two or more.
            k = len(toks)
            while k > j and _is_name_word(toks[k - 1]) and toks[k - 1].bare not in ORG_HEADS | LOC_HEADS:
                k -= 1
            if len(toks) - k >= 2 and k > j + 1:
                role = " ".join(t.text for t in toks[:k])
                self._person(text, toks[0].start, toks[k:], role, by_start, kb_spans, new, dropped)
                return
        if not has_title and not lead_kb:
            # A title after a word that qualifies it: "Detective Sergeant Tom Harlow", "Harbourco CEO
            # Jane R. Lark". The person's full name follows: two name words at least.
            at = next((k for k in range(1, min(n - 2, 3)) if toks[k].bare in TITLE_WORDS
                       and toks[k].bare not in WEAK_TITLES and toks[k].bare not in ORG_HEADS), None)
            if at is not None and all(_is_name_word(t) or is_acronym(t.text) for t in toks[:at]) \
                    and not _has_org_head(toks[:at]) and not kb_spans.within(toks[0].start, toks[at].end):
                k = at
                e = k + 1
                while e < n and (toks[e].bare in TITLE_WORDS or toks[e].bare in TITLE_MODIFIERS):
                    e += 1
                name_toks = _name_run(toks[e:])
                if len(name_toks) >= 2:
                    role = text[toks[0].start:toks[e - 1].end]
                    self._person(text, toks[k].start, name_toks, role, by_start, kb_spans, new, dropped)
                    rest = toks[e + len(name_toks):]
                    if rest:
                        self._read_group(text, sent, rest, by_start, kb_spans, new, places, dropped)
                    return
        if has_title and (j == len(toks) or toks[j].bare in ("for", "of")):
            # A title on its own ("the Foreign Secretary"): kept for resolution to its holder.
            if title_toks[-1].bare in TITLE_WORDS and title_toks[-1].bare not in WEAK_TITLES:
                s0 = title_toks[0].start if not lead_kb else lead_kb[0].start
                the = _word_before_text(text, s0) == "the"
                if (len(title_toks) > 1 or the) and title_toks[0].bare not in ("mr", "mrs", "ms", "dr"):
                    new.append(Hit(s0, toks[j - 1].end, "title", "", "person", text[s0:toks[j - 1].end]))
            if j + 2 < len(toks) and toks[-1].bare in ORG_HEADS and toks[-2].text[0].isupper():
                # The office's organisation: "CEO of Canadian Harbour Railway".
                self._read_group(text, sent, toks[j + 1:], by_start, kb_spans, new, places, dropped)
            return

        # Places by their first word: "Mount Sinjar", "Lake Chad", "Gulf of Aden".
        if len(toks) > 1 and toks[0].bare in PLACE_OPENERS and not inside:
            places.append(Hit(toks[0].start, toks[-1].end, "location", "", "location",
                              text[toks[0].start:toks[-1].end], discovered=True))
            return

        # Named operations and events: "Operation Steel Curtain".
        if toks[0].bare in ("operation", "exercise") and len(toks) > 1:
            return

        # Events, laws and eras ("Korean War", "Victory Day") are neither actors nor places.
        if len(toks) > 1 and toks[-1].bare in EVENT_HEADS:
            dropped.extend(h for h in inside)
            return

        # Organisation by its last word, or "Ministry of ...".
        body = toks[i:] if lead_kb and i < len(toks) and not _has_org_head(toks[i:]) else toks
        head = _org_head_index(body)
        if head is not None and head + 1 < len(body) and _is_title(body[head + 1]):
            # "Cabinet Secretary Hirokazu Matsuno", "Party Secretary Li": the body names the office.
            k = head + 1
            while k < len(body) and (_is_title(body[k]) or body[k].bare in TITLE_MODIFIERS):
                k += 1
            name_toks = _name_run(body[k:])
            if name_toks and name_toks[0] is body[k]:
                role = " ".join(t.text for t in toks[:toks.index(body[k])])
                self._person(text, toks[0].start, name_toks, role, by_start, kb_spans, new, dropped)
                rest = body[k + len(name_toks):]
                if rest:
                    self._read_group(text, sent, rest, by_start, kb_spans, new, places, dropped)
                return
        if head == 0 and len(body) == 2 and body[1].bare.endswith(("ed", "ing")):
            head = None  # the organisation word opens a phrase, it ends no name: "Mission Accomplished"
        if head is not None and (head > 0 or len(body) > 1 or body[0].bare in ("coalition",)):
            # "Ministry of Defence", "Syrian Democratic Forces", "Chinese Communist Party Politburo"
            last = head
            if body[0].bare in ORG_OPENERS or (head + 1 < len(body) and body[head + 1].bare == "of"):
                last = len(body) - 1
            s, e = body[0].start, body[last].end
            if text[e - 1] == ".":
                e -= 1
            known = next((h for h in inside if h.start == s and h.type in ("organization", "group")), None)
            if known is None and lead_kb and body is toks and i < len(toks):
                # "Russian Federal Security Service": the KB body (FSB) with its state's demonym.
                known = next((h for h in inside if h.start == toks[i].start and h.end == e
                              and h.type in ("organization", "group")), None)
                if known is not None:
                    dropped.extend(lead_kb)
                    known = replace(known, start=s)
            if known is not None and all(t.bare in _DESCRIPTORS for t in body if t.start >= known.end and t.end <= e):
                # "Wagner Private Military Company", "the Hamas movement": the known group, described.
                dropped.append(known)
                new.append(replace(known, end=e))
                rest = body[last + 1:]
                if rest:
                    self._read_group(text, sent, rest, by_start, kb_spans, new, places, dropped)
                return
            name = text[s:e]
            for h in inside:
                if h.start >= s and h.end <= e:
                    dropped.append(h)
            new.append(Hit(s, e, "actor", "~organization:" + slug(name), "organization", name,
                           discovered=True))
            rest = body[last + 1:]
            if rest:
                self._read_group(text, sent, rest, by_start, kb_spans, new, places, dropped)
            return

        # Place by its last word ("Tiyas Military Airfield", "Mosul University").
        if len(body) > 1 and body[-1].bare in LOC_HEADS and not any(_is_title(t) for t in body):
            s, e = body[0].start, body[-1].end
            for h in inside:
                if h.start >= s and h.end <= e:
                    dropped.append(h)
            places.append(Hit(s, e, "location", "", "location", text[s:e], discovered=True))
            return

        # What is left: parts not covered by KB hits become pending candidates.
        covered = SpanSet.of([(h.start, h.end) for h in inside]) if inside else None
        run: list[Tok] = []
        for t in toks:
            joins = t.bare in ("of", "al", "bin", "ibn", "de")
            if (covered is not None and covered.hits(t.start, t.end)) \
                    or not (t.text[0].isupper() or t.text[0].isdigit() or joins):
                if run:
                    self._pending(text, sent, run, new)
                run = []
            else:
                run.append(t)
        if run:
            self._pending(text, sent, run, new)

    def _person(self, text: str, span_start: int, name_toks: list[Tok], role: str,
                by_start: dict[int, Hit], kb_spans: _KbSpans, new: list[Hit],
                dropped: list[Hit]) -> None:
        ns, ne = name_toks[0].start, name_toks[-1].end
        kb_person = next((h for h in kb_spans.within(ns, ne) if h.type == "person"), None)
        dropped.extend(kb_spans.within(span_start, ne))
        if kb_person is not None:
            new.append(replace(kb_person, start=span_start, end=ne, role=role))
            return
        name = text[ns:ne]
        new.append(Hit(span_start, ne, "actor", "~person:" + slug(name), "person", name,
                       discovered=True, role=role))

    def _pending(self, text: str, sent: Span, run: list[Tok], new: list[Hit]) -> None:
        while run and not run[0].text[0].isupper():
            run = run[1:]
        while run and not run[-1].text[0].isupper() and not run[-1].text[0].isdigit():
            run = run[:-1]
        if not run:
            return
        s, e = run[0].start, run[-1].end
        name = text[s:e]
        new.append(Hit(s, e, "pending", "", "", name))

    # ------------------------------------------------------------------ step 3: resolution
    def resolve(self, text: str, words: Words, sentences: list[Span], sentence_of: list[int],
                hits: list[Hit], places: list[Hit]) -> tuple[list[Hit], list[Hit]]:
        """Settle pending candidates; link surnames, acronyms and apposed titles."""
        settled: list[Hit] = []
        pending: list[Hit] = []
        titles: list[Hit] = []
        for h in hits:
            if h.kind == "pending":
                pending.append(h)
            elif h.kind == "title":
                titles.append(h)
            else:
                settled.append(h)

        # Acronyms defined in brackets after a name: "Syrian Democratic Forces (SDF)". The pattern
        # is tried only where a bracket opens (most articles have a few).
        acronyms: dict[str, Hit] = {}
        opens = _bracket_openings(text)
        for h in settled:
            m = _ACRONYM_DEF.match(text, h.end) if h.end in opens else None
            if m and (_initials_fit(h.name, m.group(1)) or _initials_fit(_own_name(text[h.start:h.end]), m.group(1))):
                acronyms[m.group(1)] = h  # "South Korea's Joint Chiefs of Staff (JCS)": its own words fit
        for h in pending:
            m = _ACRONYM_DEF.match(text, h.end) if h.end in opens else None
            if m and len(h.name.split()) > 1 and _initials_fit(h.name, m.group(1)) and m.group(1) not in acronyms:
                org = Hit(h.start, h.end, "actor", "~organization:" + slug(h.name), "organization",
                          h.name, discovered=True)
                acronyms[m.group(1)] = org

        # Persons by name parts. Titled persons and KB persons first.
        persons: dict[str, Hit] = {}
        for h in settled:
            if h.type == "person":
                parts = h.name.replace(".", " ").split()
                if len(parts) > 1:
                    persons.setdefault(parts[-1], h)
                    if parts[0].lower() not in TITLE_WORDS and _given_or_family(parts[0]):
                        persons.setdefault(parts[0], h)
        # Name-like runs: persons when the article treats them as people.
        pending_out: list[Hit] = []
        multi: list[Hit] = []
        singles: list[Hit] = []
        for h in pending:
            n_words = len(h.name.split())
            if n_words >= 2:
                multi.append(h)
            elif n_words == 1:
                singles.append(h)
        by_name = {h.name: h for h in settled if h.type == "person"}
        for h in multi:
            if acronyms and any(a.start == h.start for a in acronyms.values()):
                continue
            if h.name in by_name:
                pending_out.append(replace(by_name[h.name], start=h.start, end=h.end,
                                           role=_role_before(words, h.start)))
                continue
            kind = self._guess_multi(words, h)
            parts = h.name.split()
            if kind == "person" and parts[-1].lower() in _OFFICES:
                # "National Defense Minister": an office without its holder, listed under the office
                pending_out.append(Hit(h.start, h.end, "actor", "~person:" + slug(h.name), "person", h.name,
                                       discovered=True, role=h.name))
            elif kind == "person":
                p = Hit(h.start, h.end, "actor", "~person:" + slug(h.name), "person", h.name,
                        discovered=True, role=_role_before(words, h.start))
                pending_out.append(p)
                persons.setdefault(parts[-1], p)
                if _given_or_family(parts[0]):
                    persons.setdefault(parts[0], p)
            elif kind == "place":
                places.append(Hit(h.start, h.end, "location", "", "location", h.name, discovered=True))
            elif kind == "organization":
                pending_out.append(Hit(h.start, h.end, "actor", "~organization:" + slug(h.name),
                                       "organization", h.name, discovered=True))
        for h in settled:  # "Mr Veller" makes a bare "Veller" that person, if no full name does
            if h.type == "person" and h.role and " " not in h.name and _given_or_family(h.name):
                persons.setdefault(h.name, h)
        for h in pending if acronyms else ():
            if any(a.start == h.start and a.end == h.end for a in acronyms.values()):
                a = acronyms[next(k for k, v in acronyms.items() if v.start == h.start)]
                pending_out.append(a)
        # A word read as a place or a person once is that everywhere in the article.
        guessed: dict[str, str] = {}
        own: dict[int, str] = {}  # each mention's own reading, computed once
        for h in singles:
            if h.name not in acronyms and h.name not in persons:
                g = own[h.start] = self._guess_single(words, h, sentences, sentence_of)
                if g in ("place", "person"):
                    guessed.setdefault(h.name, g)
        for h in singles:
            word = h.name
            if word in acronyms:
                a = acronyms[word]
                pending_out.append(replace(a, start=h.start, end=h.end))
                continue
            full = _spelled_out(text, word, settled + pending_out) if is_acronym(word) else None
            if full is not None:  # "the JCS" after "Joint Chiefs of Staff", "ABV" after Anton Boris Veller
                acronyms[word] = full
                pending_out.append(replace(full, start=h.start, end=h.end, role=""))
                continue
            if word in persons:
                p = persons[word]
                pending_out.append(replace(p, start=h.start, end=h.end, role=_role_before(words, h.start)))
                continue
            guess = guessed.get(word) or (own[h.start] if h.start in own
                                          else self._guess_single(words, h, sentences, sentence_of))
            if guess == "organization":
                pending_out.append(Hit(h.start, h.end, "actor", "~organization:" + slug(word),
                                       "organization", word, discovered=True))
            elif guess == "person":
                pending_out.append(Hit(h.start, h.end, "actor", "~person:" + slug(word), "person", word,
                                       discovered=True, role=_role_before(words, h.start)))
            elif guess == "place":
                places.append(Hit(h.start, h.end, "location", "", "location", word, discovered=True))
        # A title on its own is the person the article gives that title to, if there is one.
        if titles:
            holders: dict[str, Hit] = {}
            for h in settled + pending_out:
                if h.type == "person" and h.role:
                    holders.setdefault(_title_key(h.role), h)
            for t in titles:
                holder = holders.get(_title_key(t.name))
                if holder is None:
                    nxt = _APPOSED.match(text, t.end)
                    holder = next((h for h in settled + pending_out if h.type == "person" and nxt
                                   and h.start == nxt.end()), None)
                if holder is None:  # the one person of the article the KB gives that office to
                    holder = self._kb_holder(_title_key(t.name), settled)
                if holder is not None:
                    pending_out.append(replace(holder, start=t.start, end=t.end, role=t.name))
                else:  # an office named without its holder: listed under the office
                    name = t.name[4:] if t.name.lower().startswith("the ") else t.name
                    pending_out.append(Hit(t.start, t.end, "actor", "~person:" + slug(name), "person",
                                           name, discovered=True, role=name))
        # Titled mentions by surname only ("Mr Colville") already are persons; link them to a
        # fuller name when the article has one.
        out: list[Hit] = []
        for h in settled + pending_out:
            if h.type == "person" and h.discovered and h.name in persons and len(h.name.split()) == 1:
                full = persons[h.name]
                if full.key != h.key:
                    h = replace(h, key=full.key, name=full.name, discovered=full.discovered)
            out.append(h)
        return out, places

    def _kb_holder(self, title: str, hits: list[Hit]) -> Hit | None:
        """The person named in the article whose KB titles include ``title`` ("prime minister"), when
        there is exactly one."""
        found: dict[str, Hit] = {}
        for h in hits:
            person = self.kb.actors.get(h.key) if h.type == "person" and not h.discovered else None
            if person is not None and any(_title_key(k) == title for k in person.titles):
                found.setdefault(h.key, h)
        return next(iter(found.values())) if len(found) == 1 else None

    def _guess_multi(self, words: Words, h: Hit) -> str:
        parts = h.name.split()
        if is_acronym(parts[0]) or any(is_acronym(w) for w in parts if not w.isdigit()):
            return "organization" if len(parts) <= 3 else ""
        if any(w.isdigit() for w in parts) or len(parts) > 4:
            return ""
        if any(w.lower() in NOT_NAMES for w in parts):
            return ""
        before = _word_before(words, h.start)
        if before in LOCATIVE:
            return "place"
        if before in ("operation", "exercise", "codenamed", "dubbed", "named"):
            return ""  # names of operations
        if before in _NOT_BEFORE_PERSON or parts[0].lower() in _NOT_PERSON_OPENERS:
            return ""  # "a first Golden Bowl title", "Mission Accomplished", "the West African country"
        if len(parts) <= 3 and all(w[0].isupper() and (w[1:].islower() or "-" in w or "’" in w or "'" in w)
                                   for w in parts if w.lower() not in ("al", "bin", "ibn", "de", "of")):
            if "of" in [w.lower() for w in parts]:
                return ""
            return "person"
        return ""

    def _guess_single(self, words: Words, h: Hit, sentences: list[Span], sentence_of: list[int]) -> str:
        word = h.name
        if is_acronym(word) and not _ROMAN.match(word) and not (len(word) <= 4 and "." in word):
            if word in NOT_ORG_ACRONYMS or text_of_after(words, h.end) == ":":
                return ""  # "TV", "GMT"; "QUESTION:" and "MR KIRBY:" label speakers
            return "organization"
        if not word[0].isupper() or not word[1:].replace("-", "").isalpha():
            return ""
        before = _word_before(words, h.start)
        si = sentence_of[h.start] if h.start < len(sentence_of) else -1
        first = si >= 0 and sentences[si].start == h.start
        if (before in LOCATIVE or before.endswith(("-held", "-controlled"))) and not first:
            return "place"
        if before == "of" and not first:
            two = words.before(h.start, 2)
            if len(two) == 2 and text_of(words, two[0]).lower() in PLACE_NOUNS:
                return "place"
        if _word_after(words, h.end) in SPEECH_VERBS and not first:
            return "person"
        if before in KINSHIP and not first:
            return "person"  # "his daughter Mila"
        return ""


_KIND_ORDER = {"actor": 0, "location": 1, "weapon": 2}


def _pick(m: Match) -> Target:
    """Prefer actors over locations over weapons when one alias names several things."""
    if len(m.targets) == 1:
        return m.targets[0]
    return min(m.targets, key=lambda t: (_KIND_ORDER.get(t.kind, 3), t.form != "name", t.id))


def _bracket_openings(text: str) -> set[int]:
    """Where ``_ACRONYM_DEF`` can match: at each "(" and at a space right before one."""
    out: set[int] = set()
    for p in occurrences(text, "("):
        out.add(p)
        if p and text[p - 1] == " ":
            out.add(p - 1)
    return out


def _acts(words: Words, start: int, end: int) -> bool:
    """Whether a capital at [start, end) stands for its government ("Moscow said", "Pyongyang's")."""
    if _POSSESSIVE.match(words.text, end):
        return True
    if _word_before(words, start) in LOCATIVE:
        return False
    return _word_after(words, end) in ACTION_VERBS


def _word_before(words: Words, pos: int) -> str:
    w = words.word_before(pos)
    return words.text[w[0]:w[1]].lower() if w else ""


def _word_after(words: Words, pos: int) -> str:
    w = words.after(pos)
    return words.text[w[0]:w[1]].lower() if w else ""


def _role_before(w: Words, pos: int) -> str:
    """Title words right before a name: "leader", "North Korean leader", "planning minister"."""
    if _word_before(w, pos).rstrip(".") not in TITLE_WORDS:
        return ""  # no title word right before (most names): the test below, without the list
    words = [w.text[s:e] for s, e in w.before(pos, 4)]
    if not words or words[-1].lower().rstrip(".") not in TITLE_WORDS:
        return ""
    keep = [words[-1]]
    for word in reversed(words[:-1]):
        low = word.lower().rstrip(".")
        if low in TITLE_MODIFIERS or low in TITLE_WORDS or (word[0].isupper() and low not in NOT_NAMES):
            keep.insert(0, word)
        else:
            break
    return " ".join(keep)


def _given_or_family(word: str) -> bool:
    """Whether a name's first word can stand for the person alone: "Kim" of Kim Jong Un, "Ri"
    of Ri Pyong Chol (two letters when capitalised then lower-case), never "Al" or "de"."""
    return (len(word) > 2 or (len(word) == 2 and word[0].isupper() and word[1].islower())) \
        and word.lower() not in NOT_NAMES and word.lower() not in ("al", "el", "de", "da", "di", "le", "la")


def _name_run(toks: list[Tok]) -> list[Tok]:
    out: list[Tok] = []
    for t in toks:
        if _is_name_word(t) or (out and t.bare in ("al", "bin", "ibn", "de", "van", "von")) or (
                len(t.text) <= 2 and t.text.rstrip(".").isupper() and t.text[0].isalpha()):
            if t.bare in ORG_HEADS and out:
                break
            out.append(t)
        else:
            break
        if len(out) == 4:
            break
    while out and not _is_name_word(out[-1]):
        out.pop()
    return out


def _org_head_index(toks: list[Tok]) -> int | None:
    last = None
    for i, t in enumerate(toks):
        if t.bare in ORG_HEADS and t.text[0].isupper():
            last = i
    if last is None and toks and toks[0].bare in ORG_OPENERS and len(toks) > 2 and toks[1].bare == "of":
        return 0
    return last


def _has_org_head(toks: list[Tok]) -> bool:
    return _org_head_index(toks) is not None


_OWNER = re.compile(r"^.*?['’]s[ ]")


def _own_name(surface: str) -> str:
    """A body's name without the state before it: "Joint Chiefs of Staff" of "South Korea's Joint
    Chiefs of Staff"."""
    return _OWNER.sub("", surface, count=1)


def _initials(name: str) -> tuple[str, str]:
    """(initials of a name's words, of those that are no organisation word): "HPR" and "HP" for
    Harbour Pacific Railway. Function words do not count."""
    words = [w for w in re.split(r"[\s-]+", name.replace(".", " ")) if w and w[0].isupper()]
    return ("".join(w[0] for w in words), "".join(w[0] for w in words if w.lower() not in ORG_HEADS))


def _spelled_out(text: str, acronym: str, hits: list[Hit]) -> Hit | None:
    """The one actor of the article whose name the acronym spells: every initial of an organisation
    ("JCS", "HP" of Harbour Pacific Railway, its organisation word left out) or of a person's three
    names or more ("ABV")."""
    acr = acronym.replace(".", "").replace("-", "")
    if len(acr) < 2 or not acr.isalpha():
        return None
    found: dict[str, Hit] = {}
    for h in hits:
        if h.kind != "actor" or h.type == "country":
            continue
        if h.type == "person":
            fits = len(acr) >= 3 and _initials(h.name)[0] == acr
        else:
            names = (h.name, _own_name(text[h.start:h.end]))
            fits = any(acr in _initials(n) and len(n.split()) > 1 for n in names)
        if fits:
            found.setdefault(h.key, h)
    return next(iter(found.values())) if len(found) == 1 else None


def _initials_fit(name: str, acronym: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in ("of", "the", "and", "for", "de", "al")]
    initials = "".join(w[0] for w in words).upper()
    acr = acronym.upper().replace("-", "")
    if not words:
        return False
    # Loose: the acronym's letters appear in order among the words' letters, first letters agree.
    if acr[0] != initials[0] and not (len(words) > 1 and acr[0] == words[1][0].upper()):
        return False
    it = iter(name.upper())
    return all(c in it for c in acr)
