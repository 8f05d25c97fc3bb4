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
from generator.models import Span

_HYPHENATED = re.compile(
    r"(?<![\w-])(?:[A-Z][A-Za-z]{0,10}|\d{1,2}[A-Z]{1,3})-\d{1,4}[A-Za-z0-9]{0,4}(?:-\d{1,3}[A-Z]?)?(?![\w-])"
)
_GLUED = re.compile(r"(?<![\w-])[A-Z]{1,3}\d{1,4}[A-Z]{0,2}\d{0,2}(?![\w-])")
_NOUN_ALT = "|".join(re.escape(n) for n in sorted(WEAPON_NOUNS, key=len, reverse=True))
_NOUN_AFTER = re.compile(rf"[ ]((?:[a-z][a-z-]* ){{0,2}}?(?:{_NOUN_ALT}))(?![\w-])", re.I)
_NOUN = re.compile(rf"(?<![\w-])(?:{_NOUN_ALT})(?![\w-])", re.I)
_CAPWORD = re.compile(r"[ ]([A-Z][\w-]*)(?![\w'’-])")
_PREV_WORD = re.compile(r"([A-Z][\w-]*)[ ]$")
_SHIP = re.compile(
    r"(?<![\w-])(" + "|".join(sorted(SHIP_PREFIXES)) + r")[ ]([A-Z][\w'’-]+(?:[ ](?:de[ ]|of[ ]|the[ ])?[A-Z][\w'’-]+){0,3})"
    r"(?:[ ]\(([A-Z]{1,4}[- ]?\d{1,4})\))?"
)
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


def _singular(noun: str) -> str:
    noun = noun.lower().strip()
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith("s") and not noun.endswith("ss"):
        return noun[:-1]
    return noun


def _weaponish_sentence(text: str, sent: Span, kb_weapon_in: bool) -> bool:
    return kb_weapon_in or _NOUN.search(text, sent.start, sent.end) is not None


def find_weapons(text: str, sentences: list[Span], sentence_of: list[int], taken: SpanSet,
                 kb_weapon_spans: list[tuple[int, int]]) -> tuple[list[Hit], list[tuple[int, int]]]:
    """Discovered weapon mentions, and the spans of generic nouns they absorbed."""
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
    for m in _SHIP.finditer(text):
        s, e = m.start(), m.end(2)
        if not free(s, e):
            continue
        name = f"{m.group(1)} {m.group(2)}"
        add(s, e, name, "", ship=True)
        if m.group(3):
            absorbed.append((m.end(2), m.end()))
            used.add(m.end(2), m.end())
        short = m.group(2)
        if short.lower() not in NOT_NAMES:
            ship_names[short] = name
    for short, name in ship_names.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
            if free(m.start(), m.end()):
                add(m.start(), m.end(), name, "", ship=True)

    # Designators.
    cands: list[tuple[int, int]] = []
    for m in _HYPHENATED.finditer(text):
        if m.group().lower() not in NOT_DESIGNATORS:
            cands.append((m.start(), m.end()))
    weapon_sents = {sentence_of[s] for s, _ in kb_weapon_spans if s < len(sentence_of)}
    for m in _GLUED.finditer(text):
        if m.group().lower() in NOT_DESIGNATORS or len(m.group()) < 2:
            continue
        si = sentence_of[m.start()] if m.start() < len(sentence_of) else -1
        if si < 0:
            continue
        nxt = _NOUN_AFTER.match(text, m.end())
        if nxt or _weaponish_sentence(text, sentences[si], si in weapon_sents):
            cands.append((m.start(), m.end()))
    for s, e in sorted(cands):
        if not free(s, e):
            continue
        # A maker's name before ("ArmaLite AR-15"), a given name after ("AIM-9 Sidewinder").
        prev = _PREV_WORD.search(text, max(0, s - 30), s)
        if prev and prev.group(1).lower() not in NOT_NAMES and free(prev.start(1), prev.end(1)) \
                and prev.group(1).lower() not in TITLE_WORDS and not _sentence_first(prev.start(1), sentence_of, sentences):
            s = prev.start(1)
        for _ in range(2):
            w = _CAPWORD.match(text, e)
            if not w or w.group(1).lower() in NOT_NAMES or not free(w.start(1), w.end(1)):
                break
            if w.group(1).lower() in ORG_HEADS or w.group(1).lower() in LOC_HEADS:
                break
            e = w.end(1)
        noun = ""
        nm = _NOUN_AFTER.match(text, e)
        if nm:
            noun = nm.group(1)
            absorbed.append((nm.start(1), nm.end(1)))
        add(s, e, text[s:e], noun)

    # Capitalised names right before a weapon noun.
    for m in _NOUN.finditer(text):
        noun = m.group().lower()
        if noun in WEAK_WEAPON_NOUNS or not free(m.start(), m.end()):
            continue
        if any(a <= m.start() < b for a, b in absorbed):
            continue
        toks: list[tuple[int, int]] = []
        pos = m.start()
        while len(toks) < 3:
            p = _PREV_WORD.search(text, max(0, pos - 30), pos)
            if not p:
                break
            word = p.group(1)
            low = word.lower()
            if low in NOT_NAMES or low in ORG_HEADS or low in LOC_HEADS or low in TITLE_WORDS:
                break
            if not free(p.start(1), p.end(1)):
                break
            toks.insert(0, (p.start(1), p.end(1)))
            pos = p.start(1)
        if not toks:
            continue
        s, e = toks[0][0], toks[-1][1]
        words = text[s:e].split()
        if all(w.isupper() and w.isalpha() for w in words) and not any(k in noun for k in _SMALL_ARMS):
            continue  # "ISIL tanks", "NATO aircraft": an operator, not a model
        if _sentence_first(s, sentence_of, sentences) and len(words) == 1 and not words[0].isupper():
            continue
        absorbed.append((m.start(), m.end()))
        add(s, e, text[s:e], noun)
    return hits, absorbed


def _sentence_first(pos: int, sentence_of: list[int], sentences: list[Span]) -> bool:
    si = sentence_of[pos] if pos < len(sentence_of) else -1
    return si >= 0 and sentences[si].start == pos
