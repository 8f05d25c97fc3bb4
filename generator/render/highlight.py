"""Article text with some of its spans marked or linked, escaped piece by piece.

The text between spans goes through :func:`generator.render.escape.md`; the spans themselves are
escaped the same way and wrapped in markup we write (``<mark>``, a Markdown link to our own page).
So the result is safe to mark as :class:`markupsafe.Markup` whatever the article says.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup

from generator.models import Span
from generator.render.escape import is_gap, md

log = logging.getLogger("briefing")
_LINE = re.compile(r"[^\n]+")


def md_piece(text: str) -> str:
    """``md`` for a piece of a line: keeps one space at either end, so pieces still join as words.

    A zero-width space, bidi mark or soft hyphen at an end counts as a space there (``md`` makes it
    one), else the space beside it would be stripped with it: "[Hamas](...)and".
    """
    out = md(text)
    if not out:
        return " " if is_gap(text[:1]) else ""
    return (" " if is_gap(text[:1]) else "") + out + (" " if is_gap(text[-1:]) else "")


@dataclass(frozen=True)
class Anchor:
    """A span of the text to wrap: in ``<mark>`` (href None) or in a link to ``href``."""

    span: Span
    href: str | None = None


def _usable(text: str, offset: int, anchors: Iterable[Anchor]) -> list[Anchor]:
    """Anchors inside the text whose span still matches it, without overlaps (earliest, then longest)."""
    out: list[Anchor] = []
    last = -1
    for a in sorted(anchors, key=lambda a: (a.span.start, -(a.span.end - a.span.start))):
        s, e = a.span.start - offset, a.span.end - offset
        if s < 0 or e > len(text) or s >= e:
            continue
        if text[s:e] != a.span.text:
            # A span that no longer matches its text is a bug upstream; show the text plain.
            log.debug("span %d-%d does not match its text %r", a.span.start, a.span.end, a.span.text)
            continue
        if s < last:
            continue
        out.append(a)
        last = e
    return out


def first_of_each(text: str, anchors: Iterable[Anchor]) -> list[Anchor]:
    """Of the anchors usable in ``text`` (the whole source), the first to each page: a name is linked
    where it first appears, as Wikipedia links it (MOS:DUPLINK); linking every mention made the text
    hard to read and weighed on every briefing page."""
    seen: set[str | None] = set()
    out: list[Anchor] = []
    for a in _usable(text, 0, anchors):
        if a.href not in seen:
            seen.add(a.href)
            out.append(a)
    return out


def marked(text: str, offset: int, anchors: Iterable[Anchor]) -> Markup:
    """``text`` (which starts at ``offset`` of its source) escaped, with each anchor marked or linked."""
    pieces: list[str] = []
    pos = 0
    for a in _usable(text, offset, anchors):
        s, e = a.span.start - offset, a.span.end - offset
        pieces.append(md_piece(text[pos:s]))
        inner = md(text[s:e])
        pieces.append(f"<mark>{inner}</mark>" if a.href is None else f"[{inner}]({a.href})")
        pos = e
    pieces.append(md_piece(text[pos:]))
    return Markup("".join(pieces).strip())


def highlight(sentence: Span, mention: Span | None) -> Markup:
    """A sentence with the mention in it highlighted."""
    return marked(sentence.text, sentence.start, [Anchor(mention)] if mention else [])


def place_in(sentence: Span, mention: Span | None) -> tuple[int, int]:
    """Where :func:`highlight` marks ``mention`` in ``sentence``, as offsets into the sentence's text;
    (-1, -1) where it marks nothing. A card keeps these, and :func:`evidence_md` marks them later."""
    if mention is not None and _usable(sentence.text, sentence.start, [Anchor(mention)]):
        return mention.start - sentence.start, mention.end - sentence.start
    return -1, -1


def evidence_md(evidence: tuple[str, int, int]) -> Markup:
    """A card's evidence sentence (:meth:`generator.cards.Card.evidence`) escaped, the mention marked:
    what :func:`highlight` makes of the sentence and the mention it was made from."""
    text, s, e = evidence
    return marked(text, 0, [Anchor(Span(s, e, text[s:e]))] if s >= 0 else [])


@dataclass(frozen=True)
class Line:
    markup: Markup
    heading: bool
    furniture: bool = False  # the whole line is page furniture (a caption, a credit, a byline)


def linked_lines(text: str, anchors: Iterable[Anchor], headings: Iterable[Span] = (),
                 furniture: Iterable[Span] = ()) -> list[Line]:
    """Each non-blank line of ``text`` with the anchors that fall inside it linked."""
    by_start = sorted(anchors, key=lambda a: a.span.start)
    starts = [a.span.start for a in by_start]
    head_starts = {h.start for h in headings}
    spans = [(f.start, f.end) for f in furniture]
    lines: list[Line] = []
    for m in _LINE.finditer(text):
        if not m.group(0).strip():
            continue
        # Anchors starting on this line; one that runs past its end is dropped by marked().
        inside = by_start[bisect_left(starts, m.start()):bisect_left(starts, m.end())]
        lo = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
        hi = m.start() + len(m.group(0).rstrip())
        lines.append(Line(marked(m.group(0), m.start(), inside), m.start() in head_starts,
                          any(s <= lo and hi <= e for s, e in spans)))
    return lines
