"""Feeds: RSS 0.9x/1.0/2.0 and Atom (``.xml``, ``.rss``, ``.rdf``, ``.atom``) and JSON Feed (``.json``).

Each entry becomes one article. Its path is ``<feed path>#<entry key>``, the key a hash of the
entry's GUID (or link, or title and text when it has neither), so an entry keeps its page URL when
the feed is re-saved with new entries on top. An entry whose key was already seen in the same
feed (a repeated GUID) is skipped and reported.

The full content is used where the entry has it; otherwise its summary, and the article is marked
``summary_only`` so its page says so. Entry HTML becomes plain text through
:func:`generator.readers.html.html_to_text`, which drops scripts, embeds and forms with their text.
Dates come from the entry only; an entry without one has no date (never the day of the build).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import json
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import limits
from generator.files import SUFFIXES
from generator.links import short_hash
from generator.models import SourceDoc, Span
from generator.readers import ReadError, read_bytes_checked, register
from generator.readers.encoding import decode_text
from generator.readers.furniture import find_furniture
from generator.readers.html import byline_spans, html_to_text, merge_spans
from generator.readers.language import detect
from generator.readers.text import derive_title

JSON_FEED_VERSION = re.compile(r"^https?://jsonfeed\.org/version/1(\.\d+)?/?$")
_HTML_TYPES = {"text/html", "application/xhtml+xml", "html", "xhtml"}


@dataclass(frozen=True)
class FeedEntry:
    """One entry as the feed gives it, before it becomes a SourceDoc; shared by both feed formats."""

    guid: str | None
    link: str | None
    title: str | None
    title_is_html: bool
    content: str | None  # full content
    content_is_html: bool
    summary: str | None
    summary_is_html: bool
    date: str | None
    author: str | None


@dataclass(frozen=True)
class Feed:
    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]


def entry_key(entry: FeedEntry) -> str:
    """The stable identity of an entry: GUID, else link, else a hash of its title and text."""
    ident = entry.guid or entry.link or f"{entry.title}\n{entry.content or entry.summary}"
    return short_hash(ident, 10)


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if base and not re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        url = urllib.parse.urljoin(base, url)
    return url if re.match(r"^https?://[^\s/]+", url, re.I) and not re.search(r"\s", url) else None


def _plain(value: str | None, is_html: bool, captions: list[Span] | None = None) -> tuple[str, tuple[Span, ...]]:
    if not value or not value.strip():
        return "", ()
    if is_html:
        return html_to_text(value, captions)
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", value)]
    text = "\n\n".join(p for p in paras if p)
    return (text + "\n" if text else ""), ()


def _entry_date(e: Any) -> str | None:
    """The entry's date as its publisher wrote it (local date, not shifted to UTC), else feedparser's."""
    for key in ("published", "updated", "created"):
        # dict.get, not FeedParserDict.get: the latter maps a missing "updated" to "published" with a warning.
        raw = dict.get(e, key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        raw = raw.strip()
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()  # RSS: RFC 822
        except (TypeError, ValueError, IndexError):
            pass
        if re.match(r"^\d{4}-\d{2}-\d{2}", raw):  # Atom, RSS 1.0 dc:date: ISO 8601
            return raw[:10]
        parsed = _struct_date(dict.get(e, f"{key}_parsed"))
        if parsed:
            return parsed
    return None


def _struct_date(value: Any) -> str | None:
    if not value:
        return None
    try:
        return dt.date(value[0], value[1], value[2]).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def parse_rss_atom(data: bytes, path: Path | str, base: str | None = None) -> Feed:
    """Parse RSS or Atom bytes with feedparser. Raises ReadError when it is not a feed.

    ``base`` (where the feed was fetched from) resolves relative links when the feed names no site.
    """
    import feedparser

    # A stream, never a string: feedparser would fetch a string that looks like a URL.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except (UnicodeError, ValueError) as exc:  # feedparser: "&#xD800;" (a surrogate) raises from its charref handler
        raise ReadError(path, f"is a feed feedparser cannot read ({type(exc).__name__}: {exc})") from exc
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise ReadError(path, "is not an RSS or Atom feed" + (f" ({why})" if why else ""))
    feed = parsed.feed
    base = _absolute(feed.get("link"), base) or base
    entries = []
    for e in parsed.entries:
        content = None
        content_html = False
        # Atom may hold several <content> alternatives; the richest one is the article.
        for c in sorted(e.get("content", []), key=lambda c: -len(c.get("value", ""))):
            if c.get("value", "").strip():
                content, content_html = c["value"], c.get("type", "text/html") in _HTML_TYPES
                break
        summary = e.get("summary")
        s_detail = e.get("summary_detail") or {}
        t_detail = e.get("title_detail") or {}
        entries.append(FeedEntry(
            guid=e.get("id") or None,
            link=_absolute(e.get("link"), base),
            title=e.get("title"), title_is_html=t_detail.get("type", "text/plain") in _HTML_TYPES,
            content=content, content_is_html=content_html,
            summary=summary, summary_is_html=s_detail.get("type", "text/html") in _HTML_TYPES,
            date=_entry_date(e),
            author=e.get("author") or None,
        ))
    return Feed(title=feed.get("title") or None, link=_absolute(base, None), entries=tuple(entries))


def _json_date(value: Any) -> str | None:
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def parse_json_feed(text: str, path: Path | str, fetched_from: str | None = None) -> tuple[Feed, list[ReadError]]:
    """Parse and validate a JSON Feed (1.0 or 1.1). Invalid items are returned as errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(path, f"is not valid JSON: {exc.msg}", line=exc.lineno) from exc
    if not isinstance(data, dict) or not isinstance(data.get("version"), str) \
            or not JSON_FEED_VERSION.match(data["version"]):
        raise ReadError(path, "is JSON but not a JSON Feed (it needs \"version\": \"https://jsonfeed.org/version/1.1\")")
    items = data.get("items")
    if not isinstance(items, list):
        raise ReadError(path, "is a JSON Feed without an \"items\" list")
    base = data.get("home_page_url") if isinstance(data.get("home_page_url"), str) else None
    base = base or (data.get("feed_url") if isinstance(data.get("feed_url"), str) else None) or fetched_from
    entries: list[FeedEntry] = []
    errors: list[ReadError] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            errors.append(ReadError(path, f"item {n} is not an object; skipped"))
            continue
        ident = item.get("id")
        if not isinstance(ident, (str, int)) or isinstance(ident, bool) or not str(ident).strip():
            errors.append(ReadError(path, f"item {n} has no \"id\" (required by JSON Feed); skipped"))
            continue

        def text_field(key: str, item: dict[str, Any] = item) -> str | None:
            v = item.get(key)
            return v if isinstance(v, str) and v.strip() else None

        authors: list[Any] = []
        if isinstance(item.get("authors"), list):
            authors = item["authors"]
        elif isinstance(item.get("author"), dict):  # JSON Feed 1.0
            authors = [item["author"]]
        names = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
        html, plain = text_field("content_html"), text_field("content_text")
        entries.append(FeedEntry(
            guid=str(ident), link=_absolute(text_field("url") or text_field("external_url"), base),
            title=text_field("title"), title_is_html=False,
            content=html or plain, content_is_html=html is not None,
            summary=text_field("summary"), summary_is_html=False,
            date=_json_date(item.get("date_published")) or _json_date(item.get("date_modified")),
            author=", ".join(names) or None,
        ))
    title = data.get("title") if isinstance(data.get("title"), str) else None
    return Feed(title=title, link=_absolute(base, None), entries=tuple(entries)), errors


def entry_doc(entry: FeedEntry, feed: Feed, feed_rel: str, path: Path | str) -> SourceDoc:
    """The article of one entry. Raises ReadError (naming the feed and the entry) when it has no text."""
    captions: list[Span] = []
    text, heads = _plain(entry.content, entry.content_is_html, captions)
    summary_only = False
    if not text.strip():
        captions = []
        text, heads = _plain(entry.summary, entry.summary_is_html, captions)
        summary_only = True
    label = entry.guid or entry.link or entry.title or "?"
    if not text.strip():
        raise ReadError(path, f"entry {label!r} has neither content nor a summary; skipped")
    title_text, _ = _plain(entry.title, entry.title_is_html)
    title = " ".join(title_text.split()) or derive_title(text)
    author = " ".join((entry.author or "").split()) or None
    # The feed's own word first (figure captions, the author's byline), then the rules on text.
    furniture = merge_spans(text, captions, byline_spans(text, author), find_furniture(text, 0, title))
    return SourceDoc(
        path=f"{feed_rel}#{entry_key(entry)}", text=text, title=title, headings=heads, date=entry.date,
        source=" ".join((feed.title or "").split()) or None, url=entry.link,
        author=author, language=detect(text), summary_only=summary_only, furniture=furniture,
    )


def entry_docs(feed: Feed, feed_rel: str, path: Path | str) -> list[tuple[FeedEntry, SourceDoc | ReadError]]:
    """Each entry with its article, in feed order; repeated entry keys and empty entries become errors."""
    out: list[tuple[FeedEntry, SourceDoc | ReadError]] = []
    seen: set[str] = set()
    for entry in feed.entries:
        key = entry_key(entry)
        if key in seen:
            out.append((entry, ReadError(path, f"entry {entry.guid or entry.link!r} repeats an earlier entry's id; "
                                               "skipped")))
            continue
        seen.add(key)
        try:
            out.append((entry, entry_doc(entry, feed, feed_rel, path)))
        except ReadError as exc:
            out.append((entry, exc))
    return out


def feed_docs(feed: Feed, feed_rel: str, path: Path | str) -> list[SourceDoc | ReadError]:
    return [doc for _, doc in entry_docs(feed, feed_rel, path)]


def parse_feed_bytes(data: bytes, path: Path | str, base: str | None = None) -> tuple[Feed, list[ReadError]]:
    """A feed of either kind from its bytes: JSON when it starts with ``{``, else RSS/Atom."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"{":
        return parse_json_feed(decode_text(Path(str(path)), data), path, base)
    return parse_rss_atom(data, path, base), []


_ENTRY_ENDS = re.compile(rb"</(?:[\w-]+:)?(?:item|entry)\s*>", re.I)


def whole_entries(head: bytes) -> bytes | None:
    """The start of an RSS or Atom feed up to the end of its last whole entry, or None when there is none.

    A feed over the size limit is mostly a long archive; its first entries (the newest, in feed order)
    still make articles. feedparser reads the document without its closing tags.
    """
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return None  # a JSON Feed cut short is not JSON
    ends = [m.end() for m in _ENTRY_ENDS.finditer(head)]
    return head[:ends[-1]] if ends else None


def _feed_bytes(path: Path) -> tuple[bytes, int | None]:
    """The feed's bytes and None; for a feed over the size limit, its whole entries within the limit and
    the file's size. Other files that cannot be read raise :class:`ReadError` as articles do."""
    try:
        return read_bytes_checked(path), None
    except ReadError as exc:
        too_big = exc
    max_bytes = limits.current().max_bytes
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(max_bytes) if size > max_bytes and path.is_file() else b""
    except OSError:
        raise too_big from None
    kept = whole_entries(head)
    if kept is None:
        raise too_big
    return kept, size


@register(*SUFFIXES["feed"])
def read_feed(path: Path, rel: str) -> list[SourceDoc | ReadError]:
    data, size = _feed_bytes(path)
    feed, errors = parse_feed_bytes(data, path)
    if size is not None:
        errors.append(ReadError(path, f"is {size:,} bytes, over the {limits.current().max_bytes:,}-byte limit; read "
                                      f"the {len(feed.entries):,} entries in its first {len(data):,} bytes and "
                                      "skipped the rest. Split the feed to keep them all"))
    docs = feed_docs(feed, rel, path)
    if not any(isinstance(d, SourceDoc) for d in docs) and not errors and not docs:
        raise ReadError(path, "is a feed with no entries")
    return [*docs, *errors]
