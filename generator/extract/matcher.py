"""Whole-word alias matching with one Aho-Corasick automaton.

The automaton is built once per knowledge base; matching a text is one pass over its lower-cased
form followed by a word-boundary check and, for aliases with a capital letter, a case check (so
"US" is the country and "us" is not). Overlaps are settled longest first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from generator.extract.hits import SpanSet, overlap_groups, start_key

# Same-length normalisation so offsets into the normalised text are offsets into the original.
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"',
                       "‐": "-", "‑": "-", "–": "-", "—": "-", "\u00a0": " "})


_FOLD_PAIRS = tuple((chr(k), v) for k, v in _FOLD.items())


def _unify(text: str) -> str:
    # str.replace per character is much faster than str.translate with a mapping.
    for old, new in _FOLD_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def fold(text: str) -> str:
    """Lower-case ``text`` without changing its length, unifying quotes and dashes."""
    low = text.lower()
    if len(low) != len(text):  # a few code points (İ) lower-case to two: keep those as they are
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return _unify(low)


def fold_case_kept(text: str) -> str:
    return _unify(text)


@dataclass(frozen=True)
class Target:
    """What an alias points to."""

    kind: str  # "actor", "weapon", "location"
    id: str
    form: str  # "name", "alias", "demonym", "capital", "plural"
    exact: str | None  # the alias with its capitals when it must match that case, else None


@dataclass(slots=True)
class Match:  # not frozen, for speed (see Hit); never changed after it is made
    start: int
    end: int
    targets: tuple[Target, ...]


class AliasIndex:
    """An automaton over every alias; ``find`` returns non-overlapping whole-word matches."""

    def __init__(self, entries: Iterable[tuple[str, Target]]) -> None:
        table: dict[str, list[Target]] = {}
        for alias, target in entries:
            alias = " ".join(alias.split())
            if not alias:
                continue
            key = fold(alias)
            exact = fold_case_kept(alias) if any(c.isupper() for c in alias) else None
            target = Target(target.kind, target.id, target.form, exact)
            bucket = table.setdefault(key, [])
            if target not in bucket:
                bucket.append(target)
        self._auto = ahocorasick.Automaton()
        for key, targets in table.items():
            plain = all(t.exact is None for t in targets)  # no case check needed
            self._auto.add_word(key, (len(key), tuple(targets), plain))
        self.size = len(table)
        if self.size:
            self._auto.make_automaton()

    def find(self, text: str, folded: str | None = None) -> list[Match]:
        if not self.size:
            return []
        low = folded if folded is not None else fold(text)
        kept = fold_case_kept(text)
        n = len(text)
        found: list[Match] = []
        for end_idx, (length, targets, plain) in self._auto.iter(low):
            start, end = end_idx - length + 1, end_idx + 1
            if (start > 0 and low[start - 1].isalnum() and low[start].isalnum()) or (
                end < n and low[end].isalnum() and low[end - 1].isalnum()
            ):  # not a whole word (inlined: most raw matches end here)
                continue
            if end + 1 < n and low[end] == "-" and low[end + 1].isdigit():
                continue  # "IS-2", "F-16": a designator, not the alias "IS"
            if plain:
                found.append(Match(start, end, targets))
                continue
            surface = kept[start:end]
            if len(targets) == 1:  # the usual case, without a generator
                t = targets[0]
                ok = targets if t.exact is None or t.exact == surface else ()
            else:
                ok = tuple(t for t in targets if t.exact is None or t.exact == surface)
            if ok:
                found.append(Match(start, end, ok))
        return settle(found)


def settle(matches: list[Match]) -> list[Match]:
    """Keep the longest of overlapping matches (earliest first on ties), in text order; settled
    group by group (:func:`~generator.extract.hits.overlap_groups`), as most overlap nothing."""
    chosen: list[Match] = []
    for group in overlap_groups(matches):
        chosen.extend(group if len(group) == 1 else _longest_first(group))
    return chosen



def _longest_first(matches: list[Match]) -> list[Match]:
    """Longest first (earliest on ties), each kept unless it overlaps one kept; in text order."""
    chosen: list[Match] = []
    taken = SpanSet()
    for m in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if not taken.hits(m.start, m.end):
            chosen.append(m)
            taken.add(m.start, m.end)
    chosen.sort(key=start_key)
    return chosen


def plural_forms(phrase: str) -> list[str]:
    """Simple singular and plural variants of a generic noun phrase ("shells" <-> "shell")."""
    out: list[str] = []
    last = phrase.rsplit(" ", 1)[-1]
    if not last or not last[-1].isalpha():
        return out
    if last.isupper() and len(last) > 1:  # ICBM -> ICBMs
        return [phrase + "s"]
    if last.endswith("ies") and len(last) > 4:
        out.append(phrase[:-3] + "y")
    elif last.endswith(("ches", "shes", "sses", "xes")):
        out.append(phrase[:-2])
    elif last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        out.append(phrase[:-1])
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        out.append(phrase[:-1] + "ies")
    elif last.endswith(("s", "x", "ch", "sh")):
        out.append(phrase + "es")
    else:
        out.append(phrase + "s")
    return out
