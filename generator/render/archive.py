"""Archive pages: one mechanism for every list that grows with the corpus.

A list (a dossier's briefings, the timeline, the list of briefings) shows its newest entries on its
main page and continues on one archive page per period. :func:`split_dated` splits the entries, of
whatever shape, so the same split serves every list; each archive page is rendered with the one
``archive.md.j2`` template.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from generator import links

T = TypeVar("T")


def split_dated(entries: Sequence[T], date_of: Callable[[T], str | None], keep: int,
                by: str) -> tuple[Sequence[T], dict[str, list[T]]]:
    """(the newest ``keep`` entries, {period: the rest of that period}) of entries given newest first.

    Periods (:func:`links.archive_period` by ``by``) come newest first and UNDATED last; each keeps its
    entries in the order given, so every entry is in exactly one of the parts.
    """
    recent = entries[:keep]
    rest: dict[str, list[T]] = {}
    for entry in entries[keep:]:
        rest.setdefault(links.archive_period(date_of(entry), by), []).append(entry)
    dated = sorted((p for p in rest if p != links.UNDATED), reverse=True)
    return recent, {p: rest[p] for p in (*dated, *((links.UNDATED,) if links.UNDATED in rest else ()))}
