"""The intermediate value every finder returns: one mention of one entity, before grouping."""

from __future__ import annotations

import re
from dataclasses import dataclass


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


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "").replace("'", "")).strip("-")
    return s or "x"


class SpanSet:
    """Occupied character ranges; answers "does this range touch a taken one?"."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def add(self, start: int, end: int) -> None:
        self._spans.append((start, end))

    def hits(self, start: int, end: int) -> bool:
        for s, e in self._spans:  # noqa: SIM110 - a loop is twice as fast as any(genexpr) here
            if s < end and start < e:
                return True
        return False
