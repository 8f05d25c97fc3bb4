"""Stories: the reports of one real-world event, whatever outlet or wording.

Pure: reports in, stories out. Two reports are linked when a fixed pairwise test holds (their
wording is alike and their dates close, see :func:`linked`). Taken in date order, each report joins
the story it is most alike through such a link among those begun a few days before it, else it
begins one (:class:`StoryIndex`), so a story spans days, not the months of a long conflict's
daily coverage. The order is one of the set (date, title, path), never of arrival: a
:class:`StoryIndex` built one report at a time, in any order, gives the stories of :func:`cluster`
of the whole set.

A story's id is made from its earliest report (date, then title, then path), so it does not change
when later reports join; given the ids of an earlier clustering, a story keeps its id even when a
report dated before its first one arrives. When stories merge, the id of the one first reported
stays and the others are reported as merged into it (for redirects).
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from generator.extract.hits import slug
from generator.extract.summary import STOP
from generator.models import Briefing, Span
from generator.stories.dates import ReportDate, days_apart, parse_iso, text_date, text_weekday, weekday_agrees

__all__ = [
    "DATED_THRESHOLD",
    "UNDATED_THRESHOLD",
    "WINDOW_DAYS",
    "Clustering",
    "Report",
    "Story",
    "StoryIndex",
    "cluster",
    "linked",
    "pack_vector",
    "report_of",
]

WINDOW_DAYS = 3  # reports of one event are published within a few days of each other
SPAN_DAYS = 4  # a story takes reports up to this many days after its first
DATED_THRESHOLD = 0.16  # cosine above which two reports days apart tell the same event
UNDATED_THRESHOLD = 0.30  # without dates only closer wording links two reports
CAPTION_MIN_WORDS = 16  # furniture longer than this is a caption (bylines and date lines are shorter)
_BLOCK = 64  # new dated reports compared in one sparse product: few enough that their date range stays short
DIM = 1 << 20  # hashed feature space: fixed, so a vector never depends on the rest of the corpus

# Words of any news report, which say nothing about which event it tells.
_NEWS_WORDS = frozenset("""
according added adding advertisement ago agency all already among another around article back
become called came can't cannot comment comments continue copyright day days despite didn't
don't early earlier email even every first follow get getting going good got great however image
images including just know last late later latest least like likely made make making many may
might month months much must near need news next now number officials often per photo photos
post posted press read really report reported reporter reports saturday second see seen several
share since sunday monday tuesday wednesday thursday friday still story take taken three today
two updated use used via want way week weeks well went whether within without world yesterday
yet
""".split())  # noqa: SIM905
_SKIP = STOP | _NEWS_WORDS
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|\d[\d,.]*\d|\d")
_YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True)
class Report:
    """What clustering reads of one briefing."""

    key: str  # unique: the article's path
    title: str
    text: str
    date: ReportDate | None
    entities: frozenset[str] = frozenset()  # KB or discovered ids of actors and weapons
    weekday: int | None = None  # the day of the week its text names first (0 Monday), when it has no full date
    # features() of the report packed by pack_vector, when made already (at extraction, kept on the
    # card): then ``text`` is not read, so a build that extracts nothing does not read any article again.
    vector: bytes | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def order(self) -> tuple[str, str, str]:
        """Earliest first: dated reports by date, then undated ones; ties by title, then key."""
        d = self.date
        iso = "9999" if d is None or d.year is None else d.iso or "9999"
        return (iso, self.title.casefold(), self.key)


@dataclass(frozen=True)
class Story:
    id: str
    reports: tuple[str, ...]  # keys, earliest first
    first: str | None  # ISO date of the earliest dated report
    latest: str | None


@dataclass(frozen=True)
class Clustering:
    stories: tuple[Story, ...]  # by id
    story_of: dict[str, str]  # report key -> story id
    merged: dict[str, str]  # a former story id -> the id of the story it is now part of


def report_of(briefing: Briefing) -> Report:
    """The report of a briefing: its front-matter date, else the date its text gives."""
    doc = briefing.doc
    text = _captions_blanked(doc.text, doc.furniture)
    date = parse_iso(doc.date) or text_date(text)
    entities = frozenset([a.id for a in briefing.actors] + [w.id for w in briefing.weapons])
    weekday = text_weekday(text) if date is None or date.ordinal() is None else None
    return Report(doc.path, doc.title, doc.text, date, entities, weekday)


def _captions_blanked(text: str, furniture: Iterable[Span]) -> str:
    """The text with its photo captions blanked (lines of furniture longer than a byline or a date
    line): a caption dates the photograph ("FILE - ... on Monday, May 15, 2017"), not the report."""
    out = list(text)
    for f in furniture:
        start = f.start
        for line in text[f.start:f.end].split("\n"):
            if len(line.split()) > CAPTION_MIN_WORDS:
                out[start:start + len(line)] = " " * len(line)
            start += len(line) + 1
    return "".join(out)


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=1 << 16)
def _feature(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) % DIM


@functools.lru_cache(maxsize=1 << 16)
def _fold(raw: str) -> tuple[str | None, bool]:
    """A written form's content word (None for stop words, years and single letters) and whether
    it is written capitalised; cached: news vocabulary repeats from article to article."""
    raw = raw.replace("’", "'").strip("'-")
    word = raw.lower()
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) < 2 or word in _SKIP or _YEAR.fullmatch(word):
        return None, False
    return _stem(word), raw[:1].isupper() or raw[:1].isdigit()


def features(report: Report) -> dict[int, float]:
    """Hashed, L2-normalised weights of the report's content words and entities.

    Words are weighted by (1 + log tf); a word the text writes capitalised somewhere (mostly
    names) counts double, and so do numbers other than years ("56 aircraft", "23 diplomats"):
    names and figures tell events apart, common words do not.
    """
    counts: Counter[str] = Counter()
    named: set[str] = set()
    # Count each written form once (C speed), then fold the few hundred distinct forms.
    for raw, n in Counter(_TOKEN.findall(report.text)).items():
        word, capital = _fold(raw)
        if word is None:
            continue
        counts[word] += n
        if capital:
            named.add(word)
    weights: dict[int, float] = defaultdict(float)
    for word, n in counts.items():
        weights[_feature(word)] += (1.0 + math.log(n)) * (2.0 if word in named else 1.0)
    for entity in report.entities:
        weights[_feature("\0" + entity)] += 2.0
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {k: w / norm for k, w in weights.items()}


def pack_vector(vector: dict[int, float]) -> bytes:
    """Features as bytes: the sorted feature numbers (uint32), then their weights (float64)."""
    keys = sorted(vector)
    return np.array(keys, dtype="<u4").tobytes() + np.array([vector[k] for k in keys], dtype="<f8").tobytes()


def _row(packed: bytes) -> tuple[np.ndarray, np.ndarray]:
    """A packed vector's features and its weights as integers (float64 holding them exactly)."""
    n = len(packed) // 12  # 4 bytes of feature and 8 of weight each
    keys = np.frombuffer(packed, dtype="<u4", count=n)
    weights = np.frombuffer(packed, dtype="<f8", offset=4 * n, count=n)
    return keys, np.rint(weights * _SCALE)


# Weights are rounded to multiples of 2**-20 and cosines summed from those integers: every product
# and partial sum is then an integer below 2**53, so a cosine is exact, the same whichever way and
# in whatever order it is computed (one pair, or a block of a sparse product). That is what makes
# the stories independent of the order reports arrive in.
_SCALE = float(1 << 20)
_COSINE = 1.0 / (_SCALE * _SCALE)


def strong(report: Report) -> bool:
    """Whether a report has a full date (year, month and day)."""
    return report.date is not None and report.date.ordinal() is not None


def linked(a: Report, b: Report, cosine: float) -> bool:
    """The pairwise test: two reports tell one event when their wording is alike and their dates,
    where both have one, lie within WINDOW_DAYS of each other. A report without a full date (no
    year, no day, or none at all) needs closer wording."""
    if a.date is not None and b.date is not None and days_apart(a.date, b.date) > WINDOW_DAYS:
        return False
    # A report without a full date that names the event's day of the week ("on Tuesday") cannot tell
    # the event of a dated report a week day apart.
    for weak, dated in ((a, b), (b, a)):
        if weak.weekday is not None and dated.date is not None and not weekday_agrees(weak.weekday, dated.date):
            return False
    return cosine >= (DATED_THRESHOLD if strong(a) and strong(b) else UNDATED_THRESHOLD)


def _story_id(first: Report) -> str:
    d = first.date
    prefix = d.iso if d is not None and d.iso else ""
    base = slug(f"{prefix} {first.title}")[:80].strip("-") or "story"
    return base


class StoryIndex:
    """Stories of a growing set of reports: add one report at a time (or many).

    Reports with a full date are taken in date order (then title, then key: an order of the set,
    not of arrival): each joins the story it is most alike, among those begun at most SPAN_DAYS
    before it, through a report linked to it (the pairwise test); else it begins a story. So a
    story spans a few days: daily coverage of a long war does not chain into one story. A report
    without a full date cannot be placed in time, so it must not bridge two events: it joins the
    story of the fully dated report it is most alike (if linked to any), and those linked to none
    form stories among themselves. Adding a report dated after every other is one step; adding one
    dated earlier redoes the assignment (the same result as a build from scratch).
    """

    def __init__(self) -> None:
        self._reports: list[Report] = []
        self._rows: list[tuple[np.ndarray, np.ndarray]] = []  # _row() of each report
        self._order: list[tuple[str, str, str]] = []  # Report.order of each
        self._by_key: dict[str, int] = {}
        self._seed: dict[int, int] = {}  # fully dated row -> first row of its story
        self._last: tuple[str, str, str] | None = None  # order of the last dated row assigned
        self._stale = False  # a dated row arrived out of order: redo the assignment
        self._day: dict[int, list[int]] = defaultdict(list)  # day number -> fully dated rows
        self._weak: list[int] = []  # rows without a full date
        self._dated: list[int] = []  # rows with one
        self._pairs: dict[int, dict[int, float]] = defaultdict(dict)  # dated rows' linked cosines
        self._ords: list[int | None] = []  # day number of each row's full date
        self._best: dict[int, tuple[float, str, int]] = {}  # weak row -> (cosine, key, dated row)
        self._weak_links: list[tuple[int, int, float]] = []  # linked pairs of weak rows, with their cosine
        self._matrix: sparse.csr_matrix | None = None
        self._day_array: np.ndarray = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._reports)

    # ------------------------------------------------------------- union-find
    @staticmethod
    def _find(parent: list[int] | dict[int, int], i: int) -> int:
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    # ------------------------------------------------------------- adding
    def add(self, report: Report) -> None:
        """Add one report: it joins the stories it is linked to, or starts one."""
        self.extend([report])

    def extend(self, reports: Iterable[Report]) -> None:
        new = [r for r in sorted(reports, key=lambda r: r.key) if r.key not in self._by_key]
        if not new:
            return
        start = len(self._reports)
        for r in new:
            i = len(self._reports)
            self._by_key[r.key] = i
            self._reports.append(r)
            self._order.append(r.order)
            self._rows.append(_row(r.vector if r.vector is not None else pack_vector(features(r))))
            ordinal = r.date.ordinal() if r.date else None
            self._ords.append(ordinal)
            if ordinal is not None:
                self._day[ordinal].append(i)
        fresh = range(start, len(self._reports))
        dated = [i for i in fresh if self._ords[i] is not None]
        weak = [i for i in fresh if self._ords[i] is None]
        self._link(dated)
        # A report without a full date against every dated one, and against the other undated ones:
        # each pair once.
        for w, j, cos in self._cosines(weak, self._dated + dated):
            self._offer(w, j, cos)
        for j, w, cos in self._cosines(dated, self._weak):
            self._offer(w, j, cos)
        for a, b, cos in self._cosines(weak, self._weak + weak):
            if b < a and linked(self._reports[a], self._reports[b], cos):
                self._weak_links.append((b, a, cos))
        self._weak.extend(weak)
        for i in sorted(dated, key=self._order.__getitem__):
            self._dated.append(i)
            if not self._stale and (self._last is None or self._order[i] > self._last):
                self._assign(i)
            else:
                self._stale = True

    def _ordinal(self, i: int) -> int | None:
        return self._ords[i]

    def _link(self, new: list[int]) -> None:
        """Cosines of each new dated row with the dated rows within WINDOW_DAYS of it, kept (those
        reaching the threshold) so that redoing the assignment computes none again. Blocked by date:
        a run of new rows close in time against the rows dated near them, one sparse product each."""
        by_day = sorted(new, key=lambda i: (self._ords[i], i))
        ords = self._ords
        for b in range(0, len(by_day), _BLOCK):
            block = by_day[b:b + _BLOCK]
            first, last = ords[block[0]], ords[block[-1]]
            assert first is not None and last is not None
            near = [j for d in range(first - WINDOW_DAYS, last + WINDOW_DAYS + 1) for j in self._day.get(d, ())]
            for i, j, cos in self._cosines(block, near, window=True):
                self._pairs[i][j] = self._pairs[j][i] = cos

    def _assign(self, i: int) -> None:
        """Put dated row ``i`` (after every row assigned so far, in date order) in a story."""
        ordinal = self._ordinal(i)
        assert ordinal is not None
        # Only reports already placed and dated up to WINDOW_DAYS before this one.
        cands = [(j, cos) for j, cos in self._pairs.get(i, {}).items()
                 if j in self._seed and (self._ordinal(j) or 0) >= ordinal - WINDOW_DAYS]
        best: tuple[float, tuple[str, str, str], int] | None = None
        # Every pair kept by _link is linked (both fully dated, within WINDOW_DAYS, the dated threshold).
        for j, cos in sorted(cands):
            seed = self._seed[j]
            if (self._ords[seed] or 0) < ordinal - SPAN_DAYS:
                continue
            key = (cos, self._order[seed], seed)
            if best is None or cos > best[0] or (cos == best[0] and key[1] < best[1]):
                best = key
        self._seed[i] = best[2] if best is not None else i
        self._last = self._order[i]

    def _reassign(self) -> None:
        self._seed.clear()
        self._last = None
        for i in sorted(self._dated, key=self._order.__getitem__):
            self._assign(i)
        self._stale = False

    def _cosines(self, rows: list[int], others: list[int],
                 window: bool = False) -> list[tuple[int, int, float]]:
        """(row, other, cosine) of each pair of two different rows whose cosine reaches the lower
        threshold (and, with ``window``, whose full dates lie within WINDOW_DAYS), from one sparse product."""
        if not rows or not others:
            return []
        matrix = self._csr()
        sims = (matrix[rows] @ matrix[others].T).tocoo()
        cosines = sims.data * _COSINE  # exact: a power of two
        a, b = np.asarray(rows)[sims.row], np.asarray(others)[sims.col]
        keep = (cosines >= DATED_THRESHOLD) & (a != b)
        if window:
            days = self._days()
            keep &= np.abs(days[a] - days[b]) <= WINDOW_DAYS
        return list(zip(a[keep].tolist(), b[keep].tolist(), cosines[keep].tolist(), strict=True))

    def _cosine(self, i: int, j: int) -> float:
        """The cosine of two rows, exact as in :meth:`_cosines`."""
        (ki, wi), (kj, wj) = self._rows[i], self._rows[j]
        _, a, b = np.intersect1d(ki, kj, assume_unique=True, return_indices=True)
        return float(np.dot(wi[a], wj[b])) * _COSINE

    def _days(self) -> np.ndarray:
        """The day number of each row's full date (rows without one: far from every other)."""
        if len(self._day_array) != len(self._ords):
            self._day_array = np.array([-(1 << 40) if o is None else o for o in self._ords], dtype=np.int64)
        return self._day_array

    def _offer(self, weak: int, dated: int, cosine: float) -> None:
        """Keep the fully dated report most alike a weak one (ties: the smaller key)."""
        if not linked(self._reports[weak], self._reports[dated], cosine):
            return
        candidate = (cosine, self._reports[dated].key, dated)
        best = self._best.get(weak)
        if best is None or (candidate[0], _neg(candidate[1])) > (best[0], _neg(best[1])):
            self._best[weak] = candidate

    def _csr(self) -> sparse.csr_matrix:
        """Every row, its columns the features present (numbered in order): a product's transpose then
        costs what the rows hold, not the million hashed features."""
        if self._matrix is not None and self._matrix.shape[0] == len(self._rows):
            return self._matrix
        indptr = np.zeros(len(self._rows) + 1, dtype=np.int64)
        indptr[1:] = np.cumsum([len(k) for k, _ in self._rows])
        keys = np.concatenate([k for k, _ in self._rows])
        present = np.zeros(DIM, dtype=bool)
        present[keys] = True
        column = np.cumsum(present, dtype=np.int32) - 1
        data = np.concatenate([w for _, w in self._rows])
        self._matrix = sparse.csr_matrix((data, column[keys], indptr), shape=(len(self._rows), int(column[-1]) + 1))
        return self._matrix

    # ------------------------------------------------------------- results
    def groups(self) -> list[list[Report]]:
        if self._stale:
            self._reassign()
        root: dict[int, int] = dict(self._seed)
        # Each report without a full date steps to the report it is most alike among those it is
        # linked to, dated or not, preferring one whose date agrees with its own partial date ("Oct.
        # 4") over one without a date. The steps form trees, each ending at a fully dated report or at
        # two reports that choose each other (the earlier of which begins a story). A report joins
        # the story where its steps end only when it is linked to the end report and its date agrees
        # with every date in that story, or, in a story of reports without full dates, when it is
        # linked to every report in it; else it stands alone. So one tree never reaches two dated
        # reports (no bridge between two events), and a run of alike reports cannot chain.
        def candidate(w: int, other: int, cos: float) -> tuple[bool, float, tuple[tuple[int, ...], ...], int]:
            dated = self._reports[w].date is not None and self._reports[other].date is not None
            return (dated, cos, _neg_order(self._reports[other].order), other)

        best = {w: candidate(w, d, cos) for w, (cos, _, d) in self._best.items()}
        for a, b, cos in self._weak_links:
            for w, other in ((a, b), (b, a)):
                c = candidate(w, other, cos)
                if w not in best or c > best[w]:
                    best[w] = c
        weak = sorted(self._weak, key=lambda i: self._reports[i].order)
        end: dict[int, int] = {}  # weak row -> the row its steps end at
        for w in weak:
            path = [w]
            while path[-1] not in end and path[-1] not in root and path[-1] in best:
                step = best[path[-1]][3]
                if step in path:  # two reports that choose each other
                    path.append(min(path[path.index(step):], key=lambda i: self._reports[i].order))
                    break
                path.append(step)
            last = end.get(path[-1], path[-1])
            for i in path:
                end.setdefault(i, last)
        dates: dict[int, list[ReportDate]] = defaultdict(list)  # story of dated reports -> its dates
        for i, story in root.items():
            dates[story].append(self._reports[i].date)  # type: ignore[arg-type]  # fully dated rows
        members = {-1 - last: [last] for last in end.values() if last not in root}  # stories without full dates
        for w in weak:
            last, report = end[w], self._reports[w]
            if last in root:  # a story of fully dated reports
                story = root[last]
                joins = best[w][3] == last or linked(report, self._reports[last], self._cosine(w, last))
                joins = joins and (report.date is None
                                   or all(days_apart(report.date, d) <= SPAN_DAYS for d in dates[story]))
            else:
                story = -1 - last
                joins = all(m == w or linked(report, self._reports[m], self._cosine(w, m)) for m in members[story])
            if joins:
                root[w] = story
                if w != last and story < 0:
                    members[story].append(w)
            else:
                root[w] = -1 - w
            if report.date is not None and root[w] >= 0:  # only stories of dated reports check dates
                dates[root[w]].append(report.date)
        out: dict[int, list[Report]] = defaultdict(list)
        for i, r in enumerate(self._reports):
            out[root[i]].append(r)
        return list(out.values())

    def clustering(self, previous: Mapping[str, str] | None = None) -> Clustering:
        """The stories now. Without ``previous`` each story's id comes from its earliest report.
        With ``previous`` (report key -> story id of an earlier clustering) a story keeps the id it
        had, so its URL stays even when a report dated earlier than its first one arrives; when
        stories have merged, the id of the one first reported stays and the others are listed in
        ``merged`` (for redirects)."""
        previous = previous or {}
        first_seen: dict[str, tuple[str, str, str]] = {}  # former id -> its earliest report now
        for key, old in previous.items():
            if key in self._by_key:
                order = self._reports[self._by_key[key]].order
                if old not in first_seen or order < first_seen[old]:
                    first_seen[old] = order
        stories: list[Story] = []
        story_of: dict[str, str] = {}
        used: set[str] = set()
        ordered = sorted((sorted(g, key=lambda r: r.order) for g in self.groups()),
                         key=lambda g: g[0].order)
        for members in ordered:
            former = sorted({previous[r.key] for r in members if r.key in previous} - used,
                            key=lambda o: (first_seen[o], o))
            sid = former[0] if former else _story_id(members[0])
            if sid in used:  # two events first told on one day under one title: tell them apart
                sid = f"{sid}-{zlib.crc32(members[0].key.encode('utf-8')):08x}"
            used.add(sid)
            dated = sorted(d for d in (r.date.iso for r in members if r.date is not None) if d)
            stories.append(Story(sid, tuple(r.key for r in members),
                                 dated[0] if dated else None, dated[-1] if dated else None))
            for r in members:
                story_of[r.key] = sid
        merged: dict[str, str] = {}
        for key, old in sorted(previous.items()):
            new_id = story_of.get(key)
            if new_id is not None and old not in used:
                merged.setdefault(old, new_id)
        stories.sort(key=lambda s: s.id)
        return Clustering(tuple(stories), story_of, merged)


def _neg_order(order: tuple[str, str, str]) -> tuple[tuple[int, ...], ...]:
    """Reverses the order of report orders, so that max() prefers the earliest."""
    return tuple(_neg(part) for part in order)


def _neg(key: str) -> tuple[int, ...]:
    """Orders keys descending, so that the larger tuple prefers the smaller key."""
    return tuple(-ord(c) for c in key)


def cluster(reports: Iterable[Report], previous: Mapping[str, str] | None = None) -> Clustering:
    """The stories of a set of reports, built from scratch."""
    index = StoryIndex()
    index.extend(reports)
    return index.clustering(previous)
