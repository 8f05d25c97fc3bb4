"""Sentence splitting that keeps exact character spans.

Lines end sentences (titles, headings and paragraphs are lines in every reader's output). Inside a
line a sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) followed by
space and a capital, digit or opening quote, unless the word before the stop is an abbreviation
("Gen.", "U.S.", "Dr."), an initial ("Stephen J. Townsend") or a number bullet.
"""

from __future__ import annotations

import re

from generator.extract.lexicon import ABBREVIATIONS
from generator.extract.tokens import occurrences
from generator.models import Span

_LINE = re.compile(r"[^\n\r]+")
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9À-Ý])")
# Sentences run together by a page that lost its spaces: "... warmongers".The short-range ...".
_GLUED = re.compile(r"(?<=[a-z]{2})[.!?][\"”’]?(?=[A-Z][a-z]{2})|(?<=[a-z][\"”’])[.!?](?=[A-Z][a-z]{2})")
_LAST_WORD = re.compile(r"([\w.’'-]*)[.!?]*[\"'”’)\]]*$")
_WORD_EXTRA = frozenset("_.’'-")
_ALNUM = re.compile(r"[^\W_]")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]\.?$")  # U.S. U.K. e.g.


def _is_stop(line: str, end: int) -> bool:
    """Whether the punctuation ending at ``end`` (exclusive) in ``line`` closes a sentence."""
    head = line[max(0, end - 60):end].rstrip("\"'”’)]")  # the last word is all that matters
    if not head.endswith("."):
        return True  # ! and ? always end a sentence
    word = _last_word(head[-40:])
    if not word:
        return True
    bare = word.rstrip(".")
    if len(bare) == 1 and bare.isalpha() and bare.isupper():
        return False  # an initial: "Stephen J. Townsend"
    if _DOTTED.match(word) or _DOTTED.match(bare + "."):
        return False  # U.S., U.K., e.g.
    lower = bare.lower().lstrip("(\"'“‘")
    if lower in ABBREVIATIONS:
        return False
    return not (lower == "no" and re.match(r"\.\s+\d", line[end - 1:]))


def _last_word(head: str) -> str:
    """The word before the closing stops of ``head``, with its own dots ("U.S." in "U.S.!").

    The same as ``_LAST_WORD.search(head).group(1)`` (kept as the definition), read from the end
    instead of trying the pattern at every position.
    """
    i = len(head)
    while i and head[i - 1] in ".!?":
        i -= 1
    j = i
    while j and (head[j - 1].isalnum() or head[j - 1] in _WORD_EXTRA):
        j -= 1
    k = i
    while k < len(head) and head[k] == ".":
        k += 1
    return head[j:k]


def split_sentences(text: str) -> list[Span]:
    """Every sentence of ``text`` as a trimmed span, in document order."""
    out: list[Span] = []
    for base, body in _lines(text):
        start = 0
        ends = _boundaries(body)
        for end in ends:
            if _is_stop(body, end):
                _add(out, text, base + start, base + end)
                start = end
        _add(out, text, base + start, base + len(body))
    return out


def _lines(text: str) -> list[tuple[int, str]]:
    """Each ``_LINE`` match as (offset, text): split on newlines, without a match object a line."""
    if "\r" in text:
        return [(m.start(), m.group()) for m in _LINE.finditer(text)]
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line:
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _boundaries(body: str) -> list[int]:
    """The ends of the ``_BOUNDARY`` matches of ``body``, as ``finditer`` finds them.

    The pattern is tried only where one can start, at a ``.``, ``!`` or ``?`` (found by ``str.find``),
    instead of by the regex engine at every character; like ``finditer``, the next match is the
    first at or after the end of the last one.
    """
    stops = [*occurrences(body, "."), *occurrences(body, "!"), *occurrences(body, "?")]
    if not stops:
        return []
    stops.sort()
    ends: list[int] = []
    last = 0
    match = _BOUNDARY.match
    glued = _GLUED.match
    for p in stops:
        if p < last:
            continue
        m = match(body, p)
        if m is None and p >= 2 and (body[p - 1].islower() or body[p - 1] in "\"”’"):
            m = glued(body, p)  # "... warmongers".The short-range ...": a page lost the space
        if m is not None:
            last = m.end()
            ends.append(last)
    return ends


def _add(out: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # ``[^\W_]`` is an alphanumeric character (``\w`` is ``isalnum()`` or "_"): the first one
    # usually is, which saves the search.
    if end > start and (text[start].isalnum() or _ALNUM.search(text, start, end)):
        out.append(Span(start, end, text[start:end]))


def is_headline(sentence: Span) -> bool:
    """A title-case line without a closing stop ("North Korea's Support and Putin's Message").

    In such lines every word is capitalised, so capitals say nothing about names.
    """
    t = sentence.text.rstrip()
    if not t or t[-1] in ".!?\"'”’:;)":
        return False
    words = [w for w in t.split() if len(w) > 3]
    if not words or len(t.split()) > 16:
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)
