"""Duplicate articles: one definition for ``briefing add``, ``briefing check`` and the build.

An article's text is compared by its normalised body: Unicode NFKC, case folded, only its words
(so whitespace, punctuation, Markdown marks, a BOM or other line endings do not count), without a
leading title line, date lines and bylines above the text, and without page furniture lines
("Advertisement", "Share this article") anywhere. A copy saved under another first line is the
same text.

Two articles with the same text:

* are the same article saved twice when the later one names the same outlet (``source``) as an
  earlier kept one, or, when either names none, no other URL: the later one is refused by ``add``
  and skipped by the build, naming it;
* are a wire copy (syndicated) when the later one gives another outlet, or another URL where an
  outlet is missing (the same wire story in two papers): both are kept as reports of one story, and
  the later one's briefing says whose copy it is.

Two articles with other texts are the same article when they give the same source URL after
normalisation (scheme, host case, ``www.``, default port, trailing slash, fragment and tracking
parameters do not count). Of each set the first in sorted path order is kept.

Near-duplicates (lightly edited text) are reported, not dropped: two articles whose word 5-gram
shingles overlap by :data:`NEAR_JACCARD` or more (estimated from a sketch of each article's
shingles: the :data:`SKETCH_SIZE` lowest hashes). Only articles sharing one of their lowest hashes
with few other articles are compared, so the cost grows with the articles, not with their pairs;
each article is reported once, with the earlier article closest to it. A lightly edited wire copy
from another outlet is not reported: it is a report of the same story, as an unchanged copy is.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import re
import unicodedata
import urllib.parse
import zlib
from collections.abc import Iterable, Mapping

from generator.models import SourceDoc
from generator.readers.text import FURNITURE_RE, is_date_line, reads_as_title

# Query parameters that only track the click; two links differing in them are the same article.
TRACKING_PARAMS = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.I)
# "By Jane Doe", "BY JANE DOE AND JOHN ROE": names only, so a sentence starting "By the end..." stays.
BYLINE_RE = re.compile(r"^\W*(?:by|BY|By)\s+[A-Z][\w.'’-]*(?:,?\s+(?:and\s+)?[A-Z][\w.'’-]*){0,6}[\s,]*$")
LEADING_LINES = 8  # non-blank lines from the top in which a title, date lines and a byline are passed over
SHINGLE_WORDS = 5
SKETCH_SIZE = 64
INDEXED = 8  # of each sketch's lowest hashes, the ones that propose pairs
NEAR_JACCARD = 0.5
# A sketch hash shared by more articles than this is boilerplate ("reporting by ... editing by"),
# not a sign of one story: it proposes no pairs.
RARE_SHARERS = 30


def body_of(doc: SourceDoc) -> str:
    return doc.text[doc.body_start:]


def words_of(body: str) -> list[str]:
    """The words that identify an article's text (see the module's docstring)."""
    visible = unicodedata.normalize("NFKC", body)
    if not visible.isascii():
        # Format characters (BOM, zero-width space) are invisible: they must not split a word.
        cf = {ord(c): None for c in set(visible) if c > "\x7f" and unicodedata.category(c) == "Cf"}
        if cf:
            visible = visible.translate(cf)
    lines = [ln for ln in visible.splitlines() if ln.strip()]
    start = 0
    titled = False
    while start < min(len(lines), LEADING_LINES):
        line = lines[start].strip().lstrip("#").strip()
        if FURNITURE_RE.match(line) or is_date_line(line) or BYLINE_RE.match(line):
            start += 1
        elif not titled and reads_as_title(line):
            titled = True
            start += 1
        else:
            break
    kept = [ln for ln in lines[start:] if not FURNITURE_RE.match(ln.strip())]
    return re.findall(r"\w+", "\n".join(kept).casefold())


def text_key(body: str) -> str:
    """The key of an article's body: equal keys, the same text."""
    return _key(words_of(body))


def sketch(body: str) -> bytes:
    """The :data:`SKETCH_SIZE` lowest hashes of the body's word 5-gram shingles, sorted, as uint32s."""
    return _sketch(words_of(body))


def key_and_sketch(body: str) -> tuple[str, bytes]:
    """:func:`text_key` and :func:`sketch` of one body, its words found once."""
    words = words_of(body)
    return _key(words), _sketch(words)


def _key(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def _sketch(words: list[str]) -> bytes:
    n = len(words) - SHINGLE_WORDS + 1
    if n <= 0:
        return b""
    crc = zlib.crc32
    hashes = {crc(" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")) for i in range(n)}
    return array.array("I", sorted(hashes)[:SKETCH_SIZE]).tobytes()


def url_key(url: str | None) -> str | None:
    """A URL reduced to what identifies the page, or None when there is none to compare."""
    if not url or not url.strip():
        return None
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # a malformed port or bracketed host: compare the text as given
        return url.strip()
    if not host:
        return url.strip()
    if host.startswith("www."):
        host = host[4:]
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urllib.parse.urlencode(sorted(
        (k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)))
    path = parts.path.rstrip("/") or "/"
    # http and https of one page are one article.
    return urllib.parse.urlunsplit(("https", netloc, path, query, ""))


def source_key(source: str | None) -> str | None:
    return " ".join(source.casefold().split()) or None if source else None


def other_origin(url: str | None, source: str | None, first_url: str | None, first_source: str | None) -> bool:
    """Whether a copy comes from another outlet than the first: then it is a wire copy, not re-saved.

    The outlets (``source``) decide when both are named: one outlet's text at two of its URLs is one
    article. Otherwise two URLs that differ tell two publications apart."""
    s, fs = source_key(source), source_key(first_source)
    if s is not None and fs is not None:
        return s != fs
    u, fu = url_key(url), url_key(first_url)
    return u is not None and fu is not None and u != fu


def drop_duplicates(docs: Iterable[SourceDoc]) -> tuple[list[SourceDoc], list[str]]:
    """Keep the first of each set of duplicates; return the kept docs and one message per dropped one."""
    docs = list(docs)
    dropped, messages = find_duplicates((d.path, d.url, d.source, text_key(body_of(d))) for d in docs)
    return [d for i, d in enumerate(docs) if i not in dropped], messages


Item = tuple[str, str | None, str | None, str]  # (path, url, source, text_key)


def find_duplicates(items: Iterable[Item]) -> tuple[set[int], list[str]]:
    """Of ``(path, url, source, text_key)`` items in order: the positions of the later copies, and a
    message for each. Syndicated copies are not among them (see :func:`syndicated`)."""
    dropped: set[int] = set()
    messages: list[str] = []
    by_text: dict[str, list[tuple[str, str | None, str | None]]] = {}  # the kept articles with each text
    by_url: dict[str, str] = {}
    for i, (path, url, source, tkey) in enumerate(items):
        ukey = url_key(url)
        # A re-save of any kept copy (the first or a syndicated one) is a duplicate of that copy.
        same = next((p for p, u, s in by_text.get(tkey, ()) if not other_origin(url, source, u, s)), None)
        first, why = None, ""
        if same is not None:
            first, why = same, "the same text"
        elif ukey is not None and ukey in by_url:
            first, why = by_url[ukey], f"the same URL ({url})"
        if first is not None:
            messages.append(f"{path}: duplicate of {first} ({why}); delete one of the two files")
            dropped.add(i)
            continue
        by_text.setdefault(tkey, []).append((path, url, source))
        if ukey is not None:
            by_url[ukey] = path
    return dropped, messages


def syndicated(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Of kept ``(path, text_key)`` items: each later copy's path -> the path of the first with its text."""
    first: dict[str, str] = {}
    out: dict[str, str] = {}
    for path, tkey in sorted(items):
        original = first.setdefault(tkey, path)
        if original != path:
            out[path] = original
    return out


def near_duplicates(items: Iterable[tuple[str, str, bytes]],
                    origins: Mapping[str, tuple[str | None, str | None]] | None = None) -> list[str]:
    """Of ``(path, text_key, sketch)`` items: one warning per article whose wording mostly agrees with
    an earlier one's (in path order), naming the closest; texts that are the same are left out, and so
    are pairs from two outlets (``origins``: path -> (url, source); see :func:`other_origin`)."""
    origins = origins or {}
    firsts: dict[str, tuple[str, str, bytes]] = {}
    for item in sorted(items):
        firsts.setdefault(item[1], item)  # a syndicated copy is reported as the first with its text
    items = sorted(firsts.values())
    lists = [array.array("I", sk[:INDEXED * 4]) for _, _, sk in items]  # each sketch's lowest INDEXED
    # Two sketches whose union's lowest hashes are in both share those among their own lowest
    # INDEXED: indexing only those finds a pair of Jaccard 0.5 with odds 1 - 0.5 ** 8.
    sharers: dict[int, list[int]] = {}
    for i, lowest_hashes in enumerate(lists):
        for h in lowest_hashes:
            sharers.setdefault(h, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for group in sharers.values():
        if 1 < len(group) <= RARE_SHARERS:
            pairs.update(itertools.combinations(group, 2))
    # Whole sketches as sets only for the articles in a pair: most articles are in none.
    sketches = {i: frozenset(array.array("I", items[i][2])) for i in {i for pair in pairs for i in pair}}
    closest: dict[int, list[tuple[float, int]]] = {}
    for a, b in pairs:
        # At least NEAR_JACCARD of the union's lowest hashes are in both: too few shared, too different.
        if len(sketches[a] & sketches[b]) < NEAR_JACCARD * min(len(sketches[a]), len(sketches[b])):
            continue
        lowest = sorted(sketches[a] | sketches[b])[:SKETCH_SIZE]
        jaccard = sum(1 for h in lowest if h in sketches[a] and h in sketches[b]) / len(lowest)
        if jaccard >= NEAR_JACCARD and not other_origin(*origins.get(items[b][0], (None, None)),
                                                         *origins.get(items[a][0], (None, None))):
            closest.setdefault(b, []).append((-jaccard, a))
    out = []
    for b in sorted(closest):
        found = sorted(closest[b])
        share, a = found[0]
        others = f" and {len(found) - 1} other article(s)" if len(found) > 1 else ""
        out.append(f"{items[b][0]}: nearly the same text as {items[a][0]}{others} (about {round(-100 * share)}% "
                   "of their wording shared); if one is an edited copy of the other, delete one")
    return out
