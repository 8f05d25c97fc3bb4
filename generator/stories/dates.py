"""The date of a report, from its front matter or, failing that, from the top of its text.

A story's reports are days apart; the same kind of event months later is another story, so the
clustering needs a date for each report. Front matter gives one; a pasted article usually carries
it in its first lines ("July 4, 2017", "29 July,2017", "date 2020-01-03", "SEOUL, Nov. 29"). A date
without a year is kept as a month and day (:class:`ReportDate` with ``year`` None) and compared
with others modulo the year; a month alone ("2021-10") covers that month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {m: i for i, ms in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for m in ms}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# Forms seen in news pages: ISO, "July 4, 2017", "4 July 2017", "29 July,2017", "25, Jul. 2019".
_FULL = [
    re.compile(r"\b" + _YEAR + r"-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"(?:\s*,\s*|\s+)" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _DAY + r",?\s+" + _MONTH + r"\s*,?\s*" + _YEAR + r"\b", re.I),
]
_MONTH_ONLY = re.compile(r"\bdate\s+" + _YEAR + r"-(?P<mnum>[01]\d)\b")
_PARTIAL = [
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?![:\d])", re.I),
    re.compile(r"\b" + _DAY + r"\s+" + _MONTH + r"\b", re.I),
]
HEAD = 400  # characters at the top of a text where its own date stands
WHOLE = 3000  # how far a full date is looked for when the top has none


@dataclass(frozen=True)
class ReportDate:
    """A date, possibly without a year, or a whole month (``day`` None)."""

    year: int | None
    month: int
    day: int | None

    @property
    def iso(self) -> str | None:
        if self.year is None:
            return None
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def ordinal(self) -> int | None:
        """Day number of a full date (None for partial ones)."""
        if self.year is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day).toordinal()


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _month(m: re.Match[str]) -> int:
    return int(m.group("mnum")) if "mnum" in m.re.groupindex else _MONTHS[m.group("mon").lower()]


def _first_full(text: str) -> ReportDate | None:
    best: tuple[int, ReportDate] | None = None
    for pattern in _FULL:
        for m in pattern.finditer(text):
            year, month, day = int(m.group("year")), _month(m), int(m.group("day"))
            if _valid(year, month, day) and (best is None or m.start() < best[0]):
                best = (m.start(), ReportDate(year, month, day))
                break
    return best[1] if best else None


def parse_iso(value: str | None) -> ReportDate | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``) from front matter."""
    if not value:
        return None
    m = re.fullmatch(r"((?:19|20)\d\d)-([01]\d)(?:-([0-3]\d))?", value.strip()[:10])
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
    if not 1 <= month <= 12 or (day is not None and not _valid(year, month, day)):
        return None
    return ReportDate(year, month, day)


def text_date(text: str) -> ReportDate | None:
    """The report's own date as its text gives it: a full date near the top, else a month alone
    marked as the date, else the first full date further on, else a month and day at the top."""
    head = text[:HEAD]
    found = _first_full(head)
    if found:
        return found
    m = _MONTH_ONLY.search(head)
    if m:
        return ReportDate(int(m.group("year")), int(m.group("mnum")), None)
    found = _first_full(text[:WHOLE])
    if found:
        return found
    best: tuple[int, ReportDate] | None = None
    for pattern in _PARTIAL:
        for pm in pattern.finditer(head):
            month, day = _MONTHS[pm.group("mon").lower()], int(pm.group("day"))
            if _valid(2000, month, day) and (best is None or pm.start() < best[0]):
                best = (pm.start(), ReportDate(None, month, day))
                break
    return best[1] if best else None


def days_apart(a: ReportDate, b: ReportDate) -> int:
    """Least number of days between two dates, whichever is partial: a month covers its days and a
    date without a year is matched against the other's year and its neighbours."""

    def spans(d: ReportDate, years: list[int]) -> list[tuple[int, int]]:
        out = []
        for y in years if d.year is None else [d.year]:
            day = d.day
            if day is not None and not _valid(y, d.month, day):
                continue
            first = dt.date(y, d.month, day or 1).toordinal()
            if day is None:
                nxt = dt.date(y + (d.month == 12), d.month % 12 + 1, 1).toordinal()
                out.append((first, nxt - 1))
            else:
                out.append((first, first))
        return out

    anchor = a.year or b.year or 2000
    years = [anchor - 1, anchor, anchor + 1]
    best = None
    for s1, e1 in spans(a, years):
        for s2, e2 in spans(b, years):
            gap = max(0, s2 - e1, s1 - e2)
            best = gap if best is None else min(best, gap)
    return best if best is not None else 10**6


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")


def text_weekday(text: str) -> int | None:
    """The day of the week the text's top first names (0 Monday .. 6 Sunday): news without a date
    still says when the event happened ("fired a missile on Tuesday")."""
    m = _WEEKDAY.search(text, 0, WHOLE)
    return _WEEKDAYS.index(m.group(1).lower()) if m else None


def weekday_agrees(weekday: int, date: ReportDate) -> bool:
    """Whether an event told as on ``weekday`` can be the one a report dated ``date`` tells: that
    report is dated from a day before the event (time zones) to two days after it."""
    ordinal = date.ordinal()
    if ordinal is None:
        return True
    return any(dt.date.fromordinal(ordinal + k).weekday() == weekday for k in range(-2, 2))
