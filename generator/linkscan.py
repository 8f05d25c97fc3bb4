"""A Markdown extension that makes Python-Markdown's link parsing linear in the brackets, not the text.

For each text that holds a link, Python-Markdown's link patterns find where every ``[`` closes by
walking the text one character at a time in Python (``LinkInlineProcessor._findBracketEnds``), and
walk it again after each link they replace. A briefing's source text (every paragraph linking the
names it mentions) made that walk most of the time MkDocs spends on a page. :func:`bracket_ends`
gives the same answer from the positions of the brackets alone, found by a regular expression; the
stretches between brackets are filled by slice assignment. The HTML is the same; only the time differs.

``briefing build`` adds the extension to the site's Markdown (generator/sitebuild.py); with a
Python-Markdown that has no such method it changes nothing.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension

_BRACKET = re.compile(r"[\[\]]")
# The inline patterns that parse "[text](...)" or "[text][ref]": Python-Markdown's own names.
LINK_PATTERNS = ("link", "image_link", "reference", "image_reference", "short_reference", "short_image_ref")


def bracket_ends(data: str) -> list[int | None]:
    """For each index of ``data`` (and its end), the index just past the ``]`` that closes the bracket
    open at that index, or None if it never closes: what ``_findBracketEnds`` returns.

    The bracket depth is constant between two brackets, and so is the answer: positions are taken a
    stretch at a time. A stretch's answer is the position after the first ``]`` that takes the depth
    below the stretch's depth.
    """
    ends: list[int | None] = [None] * (len(data) + 1)
    # Stretches not closed yet, in order: (first position, end (exclusive), depth before each).
    stack: list[tuple[int, int, int]] = []
    depth = 0
    start = 0
    for m in _BRACKET.finditer(data):
        pos = m.start()
        stack.append((start, pos + 1, depth))
        depth += 1 if data[pos] == "[" else -1
        start = pos + 1
        # From ``start`` on, the depth is below that of the stretches on top: they close here.
        while stack and depth < stack[-1][2]:
            first, end, _ = stack.pop()
            ends[first:end] = [start] * (end - first)
    return ends


class FastBrackets(Extension):
    """Gives Python-Markdown's link patterns :func:`bracket_ends` (see the module's docstring)."""

    def extendMarkdown(self, md: Any) -> None:
        for name in LINK_PATTERNS:
            if name not in md.inlinePatterns:
                continue
            processor = md.inlinePatterns[name]
            if callable(getattr(type(processor), "_findBracketEnds", None)):
                # An instance attribute: the processor calls self._findBracketEnds(data).
                processor._findBracketEnds = bracket_ends
