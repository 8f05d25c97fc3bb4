"""The intermediate value every finder returns: one mention of one entity, before grouping."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from typing import Protocol, TypeVar


@dataclass(slots=True)
class Hit:
    """Treated as immutable (changed only through ``dataclasses.replace``), but not declared
    frozen: a frozen dataclass sets each of its eleven fields through ``object.__setattr__``,
    which made building hits several times slower, and articles make hundreds of them."""

    start: int
    end: int
    kind: str  # "actor", "weapon" or "location"
    key: str  # KB id, or a provisional key for something discovered ("~person:john dorrian")
    type: str  # actor type, or weapon category for weapons
    name: str  # display name of the entity
    discovered: bool = False
    role: str = ""  # title words of a person in this mention
    wclass: str = ""  # weapon class
    generic: bool = False
    affiliation: str = ""  # KB id of the state a discovered body belongs to ("Iraqi forces")


_NOT_SLUG = re.compile(r"[^a-z0-9]+")  # compiled once: slug runs for every name an article discovers


def slug(text: str) -> str:
    s = _NOT_SLUG.sub("-", text.lower().replace("’", "").replace("'", "")).strip("-")
    return s or "x"


class _Ranged(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_R = TypeVar("_R", bound=_Ranged)
start_key = attrgetter("start")  # sort key of anything with a start, in text order


def overlap_groups(items: list[_R]) -> Iterator[list[_R]]:
    """``items`` in text order, cut into groups linked by overlaps: an item that starts at or after
    the end of every item before it opens a new group.

    Settling overlaps (keep the longest, then the earliest) within each group chooses what settling
    all items at once would: a kept item never touches another group. Most items overlap nothing
    and come as groups of one, which need no settling at all.
    """
    group: list[_R] = []
    reach = -1
    for x in sorted(items, key=start_key):
        if x.start >= reach and group:
            yield group
            group = []
        group.append(x)
        if x.end > reach:
            reach = x.end
    if group:
        yield group


class SpanSet:
    """Occupied character ranges; answers "does this range touch a taken one?".

    The ranges are kept sorted by start, with the length of the longest: a query looks only at the
    ranges that start before its end and no further back than that length, instead of at every
    range (articles ask thousands of times, of sets holding up to a hundred ranges).
    """

    __slots__ = ("_ends", "_longest", "_starts")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []  # of the range whose start is at the same index
        self._longest = 0

    @classmethod
    def of(cls, ranges: list[tuple[int, int]]) -> SpanSet:
        """A set holding ``ranges``, built at once (one sort instead of an insertion each)."""
        out = cls()
        ordered = sorted(ranges, key=itemgetter(0))
        out._starts = [a for a, _ in ordered]
        out._ends = [b for _, b in ordered]
        out._longest = max(0, max((b - a for a, b in ordered), default=0))
        return out

    def add(self, start: int, end: int) -> None:
        i = bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        if end - start > self._longest:
            self._longest = end - start

    def hits(self, start: int, end: int) -> bool:
        starts, ends = self._starts, self._ends
        floor = start - self._longest  # a range starting here or earlier ends by ``start``
        i = bisect_left(starts, end)  # the ranges before ``i`` start before ``end``
        while i:
            i -= 1
            if starts[i] <= floor:
                return False
            if ends[i] > start:
                return True
        return False
