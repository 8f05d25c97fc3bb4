"""Archive pages: one mechanism for every list that grows with the corpus.

A list (a dossier's briefings, the timeline, the list of briefings) shows its newest entries on its
main page and continues on one archive page per period. :func:`split_dated` splits the entries, of
whatever shape, so the same split serves every list; each archive page is rendered with the one
``archive.md.j2`` template.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TypeVar

from generator import links

T = TypeVar("T")


def split_dated(entries: Sequence[T], periods: Iterable[str], keep: int) -> tuple[Sequence[T], dict[str, list[T]]]:
    """(the newest ``keep`` entries, {period: the rest of that period}) of entries given newest first,
    ``periods`` giving each entry's period (:func:`links.archive_period`).

    Periods come newest first and UNDATED last; each keeps its entries in the order given, so every
    entry is in exactly one of the parts.
    """
    recent = entries[:keep]
    rest: dict[str, list[T]] = {}
    # Entries newest first fall into runs of one period: sliced a run at a time, the loop runs in C
    # (a dossier of a large site lists a hundred thousand briefings).
    at = keep
    for period, run in itertools.groupby(itertools.islice(periods, keep, None)):
        n = len(list(run))
        rest.setdefault(period, []).extend(entries[at:at + n])
        at += n
    dated = sorted((p for p in rest if p != links.UNDATED), reverse=True)
    return recent, {p: rest[p] for p in (*dated, *((links.UNDATED,) if links.UNDATED in rest else ()))}
