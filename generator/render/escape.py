"""The one module through which article text reaches markup: Markdown pages and the feed's HTML.

Article text, titles, front-matter values and KB descriptions are untrusted. ``md`` turns any text
into Markdown that renders as that same text and nothing else: no raw HTML, no links or images, no
emphasis, and none of the extension syntax this site enables (admonitions, attribute lists,
snippets, emoji shortcodes, critic marks, keys, tables, math). Characters that could start such
syntax become numeric character references, which Markdown leaves as literal characters.
``html_text`` does the same for HTML (the feed's descriptions), from the same :func:`plain` text.
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


def plain(text: object) -> str:
    """Untrusted text as one line of plain text, the form every output escapes.

    A character that is not printable (a control; a format character such as a zero-width space, a
    bidi mark or override, a soft hyphen; a line or paragraph separator) becomes a space, so it can
    neither reorder what a reader sees nor hide a word; whitespace then folds to single spaces.
    """
    s = str(text)
    if not s.isprintable():  # one C-speed pass first: most text needs no per-character work
        s = "".join(ch if ch.isprintable() else " " for ch in s)
    return _WS.sub(" ", s).strip()


def is_gap(ch: str) -> bool:
    """Whether ``ch`` (one character or '') separates words once escaped: whitespace, or a character
    :func:`plain` turns into a space."""
    return ch != "" and (ch.isspace() or not ch.isprintable())


def md(text: object) -> str:
    """Escape untrusted text for use inline in Markdown (paragraph, table cell, list item, link text).

    The text is :func:`plain` first, so it can never start a new block.
    """
    s = plain(text).translate(_TABLE)
    # A block marker at the start of the line ("- ", "1. ", "> ", "???") must not open a block.
    m = _LEADING.match(s)
    if m:
        s = "".join(f"&#{ord(c)};" for c in m.group(0)) + s[m.end():]
    return s


def html_text(text: object) -> str:
    """Untrusted text as HTML that shows exactly that text: :func:`plain`, then every character that
    could open markup or end an attribute as a character reference (the feed's descriptions)."""
    return attr(plain(text))


def attr(text: object) -> str:
    """Escape text for a double-quoted HTML attribute value."""
    return (str(text).replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
            .replace(">", "&gt;").replace("'", "&#39;"))
