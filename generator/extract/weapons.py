"""Weapons the knowledge base lacks, found by their form.

Three sources of evidence, tried in this order:

- designators: letters, a hyphen and digits ("T-72B3", "Su-34", "RPG-7", "AIM-9 Sidewinder"), or
  letters glued to digits ("M79") when the sentence talks about weapons;
- ships: a navy prefix and a capitalised name ("HMS Daring", "USS Mahan (DDG 72)");
- a capitalised name right before a weapon noun ("FN MAG machine guns", "Vickers machine gun").

A generic noun that follows a named system ("T-28 tanks") belongs to that mention: it gives the
category and is not listed again as a class of weapon.
"""

from __future__ import annotations

import re

import ahocorasick

from generator.extract.hits import Hit, SpanSet, slug
from generator.extract.lexicon import (
    LOC_HEADS,
    NOT_DESIGNATORS,
    NOT_NAMES,
    ORG_HEADS,
    SHIP_PREFIXES,
    TITLE_WORDS,
    WEAK_WEAPON_NOUNS,
    WEAPON_NOUNS,
)
from generator.extract.tokens import Words, occurrences
from generator.models import Span

_HYPHENATED = re.compile(
    r"(?=[A-Z0-9])(?<![\w-])(?:[A-Z][A-Za-z]{0,10}|\d{1,2}[A-Z]{1,3})-\d{1,4}[A-Za-z0-9]{0,4}(?:-\d{1,3}[A-Z]?)?(?![\w-])"
)
# Not before a unit or a count ("Zone 27 times", "Route 66 miles"): a number, not a designator.
_NAMED_NUMBER = re.compile(
    r"(?=[A-Z])(?<![\w.-])[A-Z][A-Za-z]{1,12}[ ]\d{1,4}[A-Z]?(?![\w.,-]|[ ]?%|[ ](?:times|percent|per|km|miles|"
    r"kilometres|kilometers|metres|meters|feet|people|days|hours|minutes|seconds|weeks|months|years)\b)")
_CALIBRE = re.compile(
    r"(?=[.0-9])(?<![\w.])(?:\.\d{2,3}(?:-\d{2})?(?:[ ](?:[A-Z][A-Za-z]+|S[ ]?&(?:amp;)?[ ]?W|ACP))?"
    r"|\d{1,2}(?:\.\d{1,2})?(?:×\d{2})?mm(?:[ ][A-Z]{3,5})?)(?![\w])")
_NOT_MAKERS = frozenset(["article", "resolution", "chapter", "section", "page", "room", "level", "phase",
                         "number", "no", "flight", "route", "highway", "channel", "radio", "week",
                         "day", "year", "grade", "class", "category", "type", "version", "model",
                         "unit", "fleet", "task", "ctf", "hwasong", "paragraph", "item", "line",
                         "stage", "season", "series", "episode", "volume", "part", "act", "under",
                         "over", "about", "around", "some", "nearly", "almost", "than",
                         "juche"])  # North Korea's calendar: "July 3, Juche 106"
_GLUED = re.compile(r"(?=[A-Z])(?<![\w-])[A-Z]{1,3}\d{1,4}[A-Z]{0,2}\d{0,2}(?![\w-])")
_SHIP = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(SHIP_PREFIXES)) + r")[ ]"
    r"([A-Z][\w'’-]+(?:[ ](?:de[ ]|of[ ]|the[ ])?[A-Z][\w'’-]+){0,3})"
    r"(?:[ ]\(([A-Z]{1,4}[- ]?\d{1,4})\))?"
)
_SHIP_PREFIX_BYTES = frozenset(p.encode("ascii") for p in SHIP_PREFIXES)
_SMALL_ARMS = ("machine gun", "rifle", "pistol", "grenade launcher", "carbine", "shotgun", "revolver",
               "handgun", "mortar", "howitzer")

_CATEGORY_BY_NOUN = {
    "tank": "tank", "gun": "gun", "rifle": "rifle", "missile": "missile", "rocket": "rocket",
    "helicopter": "helicopter", "drone": "drone", "uav": "drone", "launcher": "launcher",
    "frigate": "frigate", "destroyer": "destroyer", "submarine": "submarine", "fighter": "aircraft",
    "jet": "aircraft", "bomber": "aircraft", "aircraft": "aircraft", "howitzer": "artillery",
    "mortar": "artillery", "cannon": "artillery", "pistol": "pistol", "carbine": "rifle",
}
_CLASS_BY_CATEGORY = {
    "tank": "armour", "gun": "small-arms", "rifle": "small-arms", "pistol": "small-arms",
    "missile": "missile", "rocket": "rocket", "helicopter": "aircraft", "aircraft": "aircraft",
    "drone": "drone", "launcher": "small-arms", "frigate": "warship", "destroyer": "warship",
    "submarine": "submarine", "artillery": "artillery", "warship": "warship",
}


def _category(noun: str) -> str:
    noun = noun.lower()
    for key, cat in _CATEGORY_BY_NOUN.items():
        if key in noun:
            return cat
    return "weapon system"


class WeaponFinder:
    """Finds weapons by form; holds only an automaton of weapon nouns."""

    def __init__(self) -> None:
        self._nouns = ahocorasick.Automaton()
        for n in WEAPON_NOUNS:
            self._nouns.add_word(n, len(n))
        self._nouns.make_automaton()

    def nouns(self, folded: str) -> list[tuple[int, int]]:
        """Whole-word weapon nouns, longest at each place, in text order."""
        found: dict[int, int] = {}
        n = len(folded)
        for end_idx, length in self._nouns.iter(folded):
            s, e = end_idx - length + 1, end_idx + 1
            if (s > 0 and (folded[s - 1].isalnum() or folded[s - 1] == "-")) or (
                    e < n and (folded[e].isalnum() or folded[e] == "-")):
                continue
            if found.get(s, 0) < e:
                found[s] = e
        out: list[tuple[int, int]] = []
        for s in sorted(found):
            if out and s < out[-1][1]:
                continue
            out.append((s, found[s]))
        return out

    def find(self, text: str, folded: str, words: Words, sentences: list[Span],
             sentence_of: list[int], taken: SpanSet,
             kb_weapon_spans: list[tuple[int, int]],
             kb_class_spans: frozenset[tuple[int, int]] = frozenset()) -> tuple[list[Hit], list[tuple[int, int]]]:
        return find_weapons(text, words, self.nouns(folded), sentences, sentence_of, taken,
                            kb_weapon_spans, kb_class_spans)


def find_weapons(text: str, words: Words, nouns: list[tuple[int, int]], sentences: list[Span],
                 sentence_of: list[int], taken: SpanSet,
                 kb_weapon_spans: list[tuple[int, int]],
                 kb_class_spans: frozenset[tuple[int, int]] = frozenset()) -> tuple[list[Hit], list[tuple[int, int]]]:
    """Discovered weapon mentions, and the spans of generic nouns they absorbed.

    ``kb_class_spans`` are the knowledge base's generic classes ("rifles"): a capitalised name right
    before one still makes a named weapon ("Winchester rifles"), which absorbs the class mention."""
    noun_at = dict(nouns)
    noun_sents = {sentence_of[s] for s, _ in nouns}
    hits: list[Hit] = []
    absorbed: list[tuple[int, int]] = []
    used = SpanSet()
    for s, e in kb_weapon_spans:
        used.add(s, e)

    def free(s: int, e: int) -> bool:
        return not used.hits(s, e) and not taken.hits(s, e)

    def add(s: int, e: int, name: str, noun: str, ship: bool = False) -> None:
        cat = "warship" if ship else _category(noun)
        hits.append(Hit(s, e, "weapon", "~weapon:" + slug(name), cat, name, discovered=True,
                        wclass=_CLASS_BY_CATEGORY.get(cat, "other")))
        used.add(s, e)

    # Ships first: their hull numbers ("DDG 72") must not become designators or acronyms.
    ship_names: dict[str, str] = {}
    # The pattern starts with a look-behind, so the regex engine would try it at every character;
    # it is tried only where a run of capitals is a navy prefix (where every match starts).
    for m in _scan(_SHIP, text, _ship_starts(words.latin)):
        s, e = m.start(), m.end(2)
        if not free(s, e):
            continue
        name = f"{m.group(1)} {m.group(2)}"
        add(s, e, name, "", ship=True)
        if m.group(3):  # the hull number is another name of the same ship
            hs, he = m.start(3), m.end(3)
            hits.append(Hit(hs, he, "weapon", "~weapon:" + slug(name), "warship", name,
                            discovered=True, wclass="warship"))
            used.add(m.end(2), m.end())
        short = m.group(2)
        if short.lower() not in NOT_NAMES:
            ship_names[short] = name
    for short, name in ship_names.items():
        rx = re.compile(rf"(?<![\w-]){re.escape(short)}(?![\w-])")
        for m in _scan(rx, text, occurrences(text, short)):
            if free(m.start(), m.end()):
                add(m.start(), m.end(), name, "", ship=True)

    # Designators.
    cands: list[tuple[int, int]] = []
    weapon_sents = {sentence_of[s] for s, _ in kb_weapon_spans if s < len(sentence_of)}
    # Glued designators, makers' numbers and calibres count only in sentences about weapons.
    about_weapons = bool(noun_sents or weapon_sents)
    digits = _digit_run_starts(words.latin)
    for m in _scan(_HYPHENATED, text, _hyphenated_starts(text, digits)):
        if m.group().lower() not in NOT_DESIGNATORS:
            cands.append((m.start(), m.end()))
    for m in _scan(_GLUED, text, _starts(text, digits, 3, 1, "", _UPPER)) if about_weapons else ():
        if m.group().lower() in NOT_DESIGNATORS or len(m.group()) < 2:
            continue
        si = sentence_of[m.start()] if m.start() < len(sentence_of) else -1
        if si < 0:
            continue
        if si in noun_sents or si in weapon_sents:
            cands.append((m.start(), m.end()))
    # Maker's name and number ("Glock 19", "Remington 700") and calibres (".223 Remington",
    # "7.62mm NATO"), only in sentences that talk about weapons.
    for rx, starts in ((_NAMED_NUMBER, _starts(text, digits, 14, 3, " ", _UPPER)),
                       (_CALIBRE, _calibre_starts(text, digits))) if about_weapons else ():
        for m in _scan(rx, text, starts):
            si = sentence_of[m.start()] if m.start() < len(sentence_of) else -1
            first = m.group().split()[0].lower()
            if si < 0 or not (si in noun_sents or si in weapon_sents):
                continue
            if first in NOT_NAMES or first in ORG_HEADS or first in LOC_HEADS or first in TITLE_WORDS \
                    or first in _NOT_MAKERS:
                continue
            cands.append((m.start(), m.end()))
    for s, e in sorted(cands):
        if not free(s, e):
            continue
        # A maker's name before ("ArmaLite AR-15"), a given name after ("AIM-9 Sidewinder").
        prev = words.before(s, 1)
        if prev and text[prev[0][1]:s] == " ":
            ps, pe = prev[0]
            pw = text[ps:pe]
            if pw[0].isupper() and pw.lower() not in NOT_NAMES and free(ps, pe) \
                    and pw.lower() not in TITLE_WORDS and not _sentence_first(ps, sentence_of, sentences):
                s = ps
        for _ in range(2):
            nxt = words.after(e, gap=" ")
            if not nxt or nxt[0] != e + 1:
                break
            ws, we = nxt
            w = text[ws:we]
            if not w[0].isupper() or w.lower() in NOT_NAMES or not free(ws, we):
                break
            if w.lower() in ORG_HEADS or w.lower() in LOC_HEADS:
                break
            e = we
        noun = ""
        # A generic noun within two words after: "M79 grenade launchers", "T-28 light tanks".
        nxt = words.after(e, gap=" ")
        hops = 0
        while nxt and hops < 3 and nxt[0] - e <= 1:
            if nxt[0] in noun_at:
                ns, ne = nxt[0], noun_at[nxt[0]]
                noun = text[ns:ne]
                absorbed.append((ns, ne))
                break
            if not text[nxt[0]].islower():
                break
            nxt = words.after(nxt[1], gap=" ")
            hops += 1
        add(s, e, text[s:e], noun)

    # Capitalised names right before a weapon noun.
    for n_start, n_end in nouns:
        noun = text[n_start:n_end].lower()
        if noun in WEAK_WEAPON_NOUNS or not (free(n_start, n_end) or (n_start, n_end) in kb_class_spans):
            continue
        if any(a <= n_start < b for a, b in absorbed):
            continue
        if text[n_start].isupper():
            continue  # "Announces Missile": in a title-case line every word has a capital
        toks: list[tuple[int, int]] = []
        pos = n_start
        while len(toks) < 3:
            p = words.before(pos, 1)
            if not p or text[p[0][1]:pos] != " ":
                break
            ps, pe = p[0]
            word = text[ps:pe]
            low = word.lower()
            if not word[0].isupper() or low in NOT_NAMES or low in ORG_HEADS or low in LOC_HEADS \
                    or low in TITLE_WORDS:
                break
            if not free(ps, pe):
                break
            toks.insert(0, (ps, pe))
            pos = ps
        if not toks:
            continue
        s, e = toks[0][0], toks[-1][1]
        parts = text[s:e].split()
        if all(w.isupper() and w.isalpha() for w in parts) and not any(k in noun for k in _SMALL_ARMS):
            continue  # "ISIL tanks", "NATO aircraft": an operator, not a model
        if _sentence_first(s, sentence_of, sentences) and len(parts) == 1 and not parts[0].isupper():
            continue
        absorbed.append((n_start, n_end))
        add(s, e, text[s:e], noun)
    return hits, absorbed


# Every pattern above needs a digit near its start, so the places a match can start are found from
# the text's digits (one fast pass) and each pattern is tried only there (``_scan``): the same
# matches as ``finditer``, without the regex engine trying its look-behind at every character
# (four passes of 120-160 us an article). The first digit of each run of digits is enough: a
# pattern that needs "-", " " or a capital before a digit finds only a run's first digit there, and
# a calibre cannot start inside a run (its look-behind refuses a word character before it).
_DIGIT = re.compile(r"\d")  # the definition of a digit (what the byte scan below finds)
_DIGIT_BYTES = bytes(ord("0") if 48 <= b <= 57 else ord(" ") for b in range(256))
_CAPITALS_ONLY = bytes(b if 65 <= b <= 90 else ord(" ") for b in range(256))
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_DIGIT = _UPPER | frozenset("0123456789")
_CALIBRE_FIRST = frozenset(".0123456789")


def _digit_run_starts(latin: bytes) -> list[int]:
    """Where each run of ``_DIGIT`` characters starts, from :attr:`Words.latin` (whose ASCII digits
    are exactly the text's decimal digits): byte searches instead of a regex pass (about 80 us)."""
    cls = latin.translate(_DIGIT_BYTES)
    out: list[int] = []
    i = cls.find(48)  # b"0"
    while i >= 0:
        out.append(i)
        j = cls.find(32, i)  # b" ": the end of the run
        if j < 0:
            break
        i = cls.find(48, j)
    return out


def _ship_starts(latin: bytes) -> list[int]:
    """Where a run of capitals of the text is a navy prefix ("HMS"), from :attr:`Words.latin`: every
    ``_SHIP`` match starts at one (the character before it is no word character, the one after a
    space). A translate and a split find the prefixes present, instead of a substring search for
    each of 21 prefixes (about 120 us an article), and byte searches find where they are."""
    caps = b" " + latin.translate(_CAPITALS_ONLY) + b" "  # offsets one more than the text's
    starts: list[int] = []
    for prefix in _SHIP_PREFIX_BYTES.intersection(caps.split()):
        needle = b" " + prefix + b" "
        i = caps.find(needle)
        while i >= 0:
            starts.append(i)  # the space before the prefix: the prefix's own offset in the text
            i = caps.find(needle, i + 1)
    starts.sort()
    return starts


def _scan(rx: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``list(rx.finditer(text))``, given every position where a match can start (sorted; more is
    fine). ``finditer`` takes the leftmost match at or after the end of the last one; so does this."""
    out: list[re.Match[str]] = []
    last = 0
    for p in starts:
        if p < last:
            continue
        m = rx.match(text, p)
        if m is not None:
            out.append(m)
            last = m.end()
    return out


def _starts(text: str, digits: list[int], back: int, near: int, before: str,
            first: frozenset[str]) -> list[int]:
    """Positions from ``back`` to ``near`` characters before a digit (that has ``before`` right
    before it, if given) holding a character of ``first``: where a match can start."""
    found: set[int] = set()
    for d in digits:
        if before and text[d - 1:d] != before:
            continue
        for p in range(max(0, d - back), d - near + 1):
            if text[p] in first:
                found.add(p)
    return sorted(found)


def _hyphenated_starts(text: str, digits: list[int]) -> list[int]:
    # "T-72", "9K-38": at most eleven characters (letters, or two digits and three letters) before "-\d".
    return _starts(text, digits, 12, 2, "-", _UPPER_DIGIT)


def _calibre_starts(text: str, digits: list[int]) -> list[int]:
    # ".223" starts at its dot, "7.62mm" at its first digit.
    found = {p for d in digits for p in (d - 1, d) if p >= 0 and text[p] in _CALIBRE_FIRST}
    return sorted(found)


def _sentence_first(pos: int, sentence_of: list[int], sentences: list[Span]) -> bool:
    si = sentence_of[pos] if pos < len(sentence_of) else -1
    return si >= 0 and sentences[si].start == pos
