"""The one function through which article text reaches Markdown.

Article text, titles, front-matter values and KB descriptions are untrusted. ``md`` turns any text
into Markdown that renders as that same text and nothing else: no raw HTML, no links or images, no
emphasis, and none of the extension syntax this site enables (admonitions, attribute lists,
snippets, emoji shortcodes, critic marks, keys, tables, math). Characters that could start such
syntax become numeric character references, which Markdown leaves as literal characters.
"""

from __future__ import annotations

import re

# Every character that opens inline or block syntax in Markdown or in an enabled extension.
_SPECIAL = set("&<>\\`*_{}[]()#!|~:^=+$\"'")
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_WS = re.compile(r"\s+")
# "???" opens a collapsible block (pymdownx.details) and "///" a generic block (pymdownx.blocks): both
# only at the start of a line, so only a leading "?" or "/" needs escaping.
_LEADING = re.compile(r"^(\d+[.)]|[-+>?/])")


def md(text: object) -> str:
    """Escape untrusted text for use inline in Markdown (paragraph, table cell, list item, link text).

    Whitespace (newlines included) folds to single spaces, so the text can never start a new block.
    """
    s = str(text)
    if not s.isprintable():  # one C-speed pass first: most text needs no per-character work
        s = "".join(ch if ch.isprintable() else " " for ch in s)
    s = _WS.sub(" ", s).strip()
    s = s.translate(_TABLE)
    # A block marker at the start of the line ("- ", "1. ", "> ", "???") must not open a block.
    m = _LEADING.match(s)
    if m:
        s = "".join(f"&#{ord(c)};" for c in m.group(0)) + s[m.end():]
    return s


def attr(text: object) -> str:
    """Escape text for a double-quoted HTML attribute value."""
    return (str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("'", "&#39;"))
