"""Plain-text articles (``.txt``).

The first line is the title when it reads as one: short, no final punctuation, not page furniture
("Advertisement") and not a date line; otherwise a title is derived from the lead. Short standalone
lines without final punctuation are section headings.

The date comes from a "Published"/"Updated" line or a dateline ("SEOUL, April 14, 2024 (Reuters) -")
near the top; a dateline without a year gives no date, since a year would have to be guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.files import SUFFIXES
from generator.models import SourceDoc, Span
from generator.readers import decode, read_bytes_checked, register
from generator.readers.furniture import find_furniture
from generator.readers.language import detect

TITLE_MAX_CHARS = 150
HEADING_MAX_WORDS = 12
FINAL_PUNCT = ".!?:;,…\"”'’)"
DATE_LINES = 12  # non-blank lines from the top searched for a date
MONTHS = {m: i for i, names in enumerate((
    "january jan", "february feb", "march mar", "april apr", "may", "june jun", "july jul",
    "august aug", "september sep sept", "october oct", "november nov", "december dec"), 1)
    for m in names.split()}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})(?!\d)"),
    re.compile(rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})(?!\d)", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)", re.I),
)
PUBLISHED_RE = re.compile(r"^\W*(?:first\s+|last\s+)?(?P<kind>published|updated|posted)\b(?P<rest>.*)$", re.I)
# "SEOUL, April 14, 2024 (Reuters) -": a place in capitals, a comma, the date, a dash.
DATELINE_RE = re.compile(r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Za-z .]+)?,\s*(?P<rest>[^\n]{4,60}?)\s*[-–—]")
# Lines of a saved web page that are not the article's: never its title.
FURNITURE_RE = re.compile(
    r"^\W*(?:advertisement|advert|sponsored(?: content)?|skip to (?:main )?content|share(?: this)?(?: article| story)?"
    r"|share on \w+|read more|related(?: articles| stories)?|subscribe(?: now)?|sign up|log ?in|menu|close"
    r"|image (?:caption|source)|listen to (?:this )?article|print(?: this)?(?: article)?)\W*$", re.I)


def _looks_like_heading(line: str, max_words: int) -> bool:
    s = line.strip()
    if not s or len(s.split()) > max_words or s[-1] in FINAL_PUNCT:
        return False
    first = next((c for c in s if c.isalnum()), "")
    if not (first and (first.isupper() or first.isdigit())):
        return False
    return not FURNITURE_RE.match(s) and not is_date_line(s)  # "Advertisement", "Updated 9 March 2024"


def derive_title(lead: str, limit: int = 90) -> str:
    """A title from the first sentence of the lead, cut at a word boundary."""
    lead = " ".join(lead.split())
    m = re.search(r"(?<=[.!?])[\"”’]?\s", lead)
    first = lead[: m.start()].rstrip() if m else lead
    first = first.rstrip(".")
    if len(first) <= limit:
        return first or "Untitled"
    if first[limit] == " ":
        cut = first[:limit]
    elif " " in first[:limit]:
        cut = first[:limit].rsplit(" ", 1)[0]
    else:
        return first.split(" ", 1)[0]  # one word longer than the limit: whole, never cut inside
    return cut.rstrip(",;: ") + "…"


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


def _date_in(text: str) -> str | None:
    """The first full date (with a year) in ``text``, as YYYY-MM-DD."""
    for pattern in DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[groups["month"].casefold()]
        try:
            return dt.date(int(groups["year"]), month, int(groups["day"])).isoformat()
        except ValueError:
            continue
    return None


def find_date(lines: list[str]) -> str | None:
    """The article's date from its first lines: a "Published" line, else an "Updated" line, else a
    dateline with a year."""
    published = updated = dateline = None
    for line in lines:
        m = PUBLISHED_RE.match(line)
        if m:
            day = _date_in(m.group("rest"))
            if m.group("kind").casefold() == "updated":
                updated = updated or day
            else:
                published = published or day
            continue
        m = DATELINE_RE.match(line.strip())
        if m and dateline is None:
            dateline = _date_in(m.group("rest"))
    return published or updated or dateline


def is_date_line(line: str) -> bool:
    """A "Published 9 March" line or a bare date: not a title ("Updated rules for drones" is one)."""
    s = line.strip()
    m = PUBLISHED_RE.match(s)
    if m:
        return bool(re.search(r"\d", m.group("rest")))
    return len(s.split()) <= 6 and _date_in(s) is not None


def reads_as_title(line: str) -> bool:
    s = line.strip()
    return (bool(s) and len(s) <= TITLE_MAX_CHARS and s[-1] not in FINAL_PUNCT and len(s.split()) <= 25
            and not FURNITURE_RE.match(s) and not is_date_line(s))


def parse_text(text: str, rel: str) -> SourceDoc:
    lines = split_lines(text)
    filled = [(i, ln) for i, (_, ln) in enumerate(lines) if ln.strip()]
    # Page furniture ("Advertisement") and date lines above the headline are passed over for the title.
    first_idx = next((i for i, ln in filled if not FURNITURE_RE.match(ln.strip()) and not is_date_line(ln)),
                     filled[0][0] if filled else 0)
    off, first = lines[first_idx] if lines else (0, "")
    body_start = 0
    title = ""
    if reads_as_title(first):
        title = first.strip()
        body_start = off + len(first)
        while body_start < len(text) and text[body_start] in "\r\n":
            body_start += 1
    else:
        title = derive_title(text[off:])
    furniture = find_furniture(text, body_start, title if body_start else "")
    # A furniture line ("Related Stories", "By Jane Roe") is no section heading.
    headings = tuple(h for h in find_headings(text, body_start) if h.start >= body_start
                     and not any(f.start <= h.start < f.end for f in furniture))
    return SourceDoc(path=rel, text=text, title=title, body_start=body_start, headings=headings,
                     furniture=furniture,
                     date=find_date([ln for _, ln in filled[:DATE_LINES]]), language=detect(text[body_start:]))


@register(*SUFFIXES["text"])
def read_text(path: Path, rel: str) -> SourceDoc:
    return parse_text(decode(path, read_bytes_checked(path)), rel)
