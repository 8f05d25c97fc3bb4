"""Plain-text articles (``.txt``).

The first line is the title when it is short and has no final punctuation; otherwise a title is
derived from the lead. Short standalone lines without final punctuation are section headings.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.models import SourceDoc, Span
from generator.readers import decode, read_bytes_checked, register
from generator.readers.language import detect

TITLE_MAX_CHARS = 150
HEADING_MAX_WORDS = 12
FINAL_PUNCT = ".!?:;,…\"”'’)"


def _looks_like_heading(line: str, max_words: int) -> bool:
    s = line.strip()
    if not s or len(s.split()) > max_words or s[-1] in FINAL_PUNCT:
        return False
    first = next((c for c in s if c.isalnum()), "")
    return bool(first) and (first.isupper() or first.isdigit())


def derive_title(lead: str, limit: int = 90) -> str:
    """A title from the first sentence of the lead, cut at a word boundary."""
    lead = " ".join(lead.split())
    m = re.search(r"(?<=[.!?])[\"”’]?\s", lead)
    first = lead[: m.start()].rstrip() if m else lead
    first = first.rstrip(".")
    if len(first) <= limit:
        return first or "Untitled"
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def split_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line, without the line break."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        line = raw.rstrip("\r\n")
        out.append((pos, line))
        pos += len(raw)
    return out


def find_headings(text: str, start: int = 0) -> tuple[Span, ...]:
    """Spans of standalone short lines (blank line or text edge on both sides) after ``start``."""
    lines = split_lines(text)
    heads = []
    for i, (off, line) in enumerate(lines):
        if off < start or not line.strip():
            continue
        before_blank = i == 0 or not lines[i - 1][1].strip()
        after_blank = i + 1 >= len(lines) or not lines[i + 1][1].strip()
        if before_blank and after_blank and _looks_like_heading(line, HEADING_MAX_WORDS):
            s = off + (len(line) - len(line.lstrip()))
            heads.append(Span(s, s + len(line.strip()), line.strip()))
    return tuple(heads)


def parse_text(text: str, rel: str) -> SourceDoc:
    lines = split_lines(text)
    first_idx = next((i for i, (_, ln) in enumerate(lines) if ln.strip()), 0)
    off, first = lines[first_idx]
    body_start = 0
    title = ""
    if first.strip() and len(first.strip()) <= TITLE_MAX_CHARS and first.strip()[-1] not in FINAL_PUNCT \
            and len(first.split()) <= 25:
        title = first.strip()
        body_start = off + len(first)
        while body_start < len(text) and text[body_start] in "\r\n":
            body_start += 1
    else:
        title = derive_title(text[off:])
    headings = tuple(h for h in find_headings(text, body_start) if h.start >= body_start)
    return SourceDoc(path=rel, text=text, title=title, body_start=body_start, headings=headings,
                     language=detect(text[body_start:]))


@register(".txt", ".text")
def read_text(path: Path, rel: str) -> SourceDoc:
    return parse_text(decode(path, read_bytes_checked(path)), rel)
