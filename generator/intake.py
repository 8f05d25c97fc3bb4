"""``briefing add``: bring articles into ``content/`` as Markdown files with normalised front matter.

Sources are text, Markdown and HTML files, feed files (RSS, Atom, JSON Feed), standard input
(``-``) and ``http(s)`` URLs of pages or feeds. Every article is written as ``<slug of title>.md``:

* one format for everything added, so title, date, source, URL, author and ``date_added`` live in
  front matter where an analyst can correct them and add overrides; a saved ``.html`` would have
  nowhere to keep ``date_added`` or corrections, and would be re-extracted on every build;
* the body is the article's plain text (for a page, trafilatura's main text), so the offsets of
  every fact point into the file an analyst can open.

Pages saved by hand into ``content/`` as ``.html`` and feed files dropped there are still read
directly by the readers; ``add`` is the way to keep them for good.

Duplicates are refused, naming the existing article: the same URL, the same feed entry (GUID within
one feed), or the same text by the build's definition (:mod:`generator.dedupe`: the normalised body,
without a leading title line or page furniture) unless it names another outlet (or, where an outlet
is missing, another URL), which makes it a wire copy, added and marked by the build. A feed added
twice adds only its new entries.

This is the one place that reads the clock: ``date_added`` is stamped with the day given by the
caller (the CLI passes today) when the source does not carry it. The generator never does.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import io
import logging
import os
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from generator import links
from generator.dedupe import body_of, other_origin, text_key, url_key
from generator.files import format_of
from generator.models import SourceDoc
from generator.readers import MAX_BYTES, ReadError, decode, discover, read_bytes_checked, read_docs
from generator.readers import feeds as feed_reader
from generator.readers.html import decode_html, parse_html
from generator.readers.markdown import FRONT_RE, PELICAN_RE, parse_markdown, split_front_matter, unlinked
from generator.readers.text import parse_text

log = logging.getLogger("briefing")

USER_AGENT = "briefing-site/0.1 (+https://github.com/; briefing add)"
FETCH_TIMEOUT = 20.0
FRONT_ORDER = ("title", "date", "source", "url", "author")


class IntakeError(Exception):
    """A source that cannot be added; ``str()`` is one line naming the source."""


@dataclass(frozen=True)
class Added:
    path: Path
    title: str
    origin: str


@dataclass(frozen=True)
class Refused:
    origin: str
    reason: str


@dataclass
class AddReport:
    added: list[Added] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.added)} article(s) added, {len(self.refused)} skipped"


@dataclass(frozen=True)
class Candidate:
    """An article ready to be written: its front matter, its body, and what identifies it."""

    origin: str
    front: dict[str, Any]
    body: str
    guid: str | None = None

    @property
    def title(self) -> str:
        return str(self.front["title"])


# ---- identity ------------------------------------------------------------------------------------

def normalise_url(url: str) -> str:
    """A URL in the form used to compare articles (the build's: :func:`generator.dedupe.url_key`)."""
    return url_key(url) or url.strip()


def _guid_key(guid: str, source: str | None) -> str:
    # GUIDs like "123" are unique only within their feed; pair them with the feed's name.
    return f"{(source or '').casefold()}\n{guid}"


_FRONT_LINE = re.compile(r"^(url|guid|source):[ \t]*(.*?)[ \t]*$", re.M)


def _scalar(raw: str) -> str:
    """The value of a one-line YAML scalar: quoted values unquoted, plain ones as they are."""
    if raw[:1] in ("'", '"'):
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            return raw.strip("'\"")
        return str(value)
    return raw


class ContentIndex:
    """What ``content/`` already holds: URLs, feed GUIDs, text fingerprints and taken slugs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.urls: dict[str, str] = {}
        self.guids: dict[str, str] = {}
        self.texts: dict[str, list[tuple[str, str | None, str | None]]] = {}  # text key -> [(article, url, source)]
        self.slugs: set[str] = set()
        if not root.is_dir():
            return
        rels = []
        for path, rel in discover(root):
            rels.append(rel)
            try:
                if format_of(path.suffix) == "markdown":
                    self._index_markdown(path, rel)
                    continue
                docs, _ = read_docs(path, rel)
            except ReadError as exc:
                log.debug("not indexed for duplicates: %s", exc)
                continue
            for d in docs:
                self._remember(d.path, d.url, None, d.source, body_of(d))
        self.slugs.update(links.article_slugs(rels).values())

    def _index_markdown(self, path: Path, rel: str) -> None:
        """Index a Markdown article from its front-matter lines, without a YAML parse.

        The full reader's YAML parse (pure Python, alias-safe) over a large archive would dominate every
        ``add``. Only url, guid and source are needed here, and ``add`` writes each on one line.
        """
        text = decode(path, read_bytes_checked(path))
        if not text.startswith("---") and (text.startswith("+++") or PELICAN_RE.match(text)):
            doc = parse_markdown(text, rel, path)  # another tool's front matter: rare, read in full
            guid = {str(k).casefold(): v for k, v in split_front_matter(text, path)[0].items()}.get("guid")
            self._remember(rel, doc.url, _opt(guid), doc.source, body_of(doc))
            return
        m = FRONT_RE.match(text)
        body = text[m.end():] if m else text
        found: dict[str, str] = {}
        for key, raw in _FRONT_LINE.findall(m.group(1) if m else ""):
            found.setdefault(key, _scalar(raw))
        self._remember(rel, found.get("url"), found.get("guid"), found.get("source"), body)

    def _remember(self, name: str, url: str | None, guid: str | None, source: str | None, body: str) -> None:
        if url:
            self.urls.setdefault(normalise_url(url), name)
        if guid:
            self.guids.setdefault(_guid_key(guid, source), name)
        # Wikilinks as the Markdown reader reads them, so the key is the build's.
        self.texts.setdefault(text_key(unlinked(body)), []).append((name, url, source))

    def known_url(self, url: str) -> str | None:
        return self.urls.get(normalise_url(url))

    def duplicate_of(self, c: Candidate) -> tuple[str, str] | None:
        """(existing article, why) when ``c`` is already in content, else None."""
        if c.guid and (hit := self.guids.get(_guid_key(c.guid, c.front.get("source")))):
            return hit, "same feed entry GUID"
        url = c.front.get("url")
        if url and (hit := self.known_url(str(url))):
            return hit, "same URL"
        # The same text from another outlet or URL is a syndicated copy: added, and marked by the build.
        url, source = _opt(c.front.get("url")), _opt(c.front.get("source"))
        for name, known_url, known_source in self.texts.get(text_key(unlinked(c.body)), ()):
            if not other_origin(url, source, known_url, known_source):
                return name, "same text"
        return None

    def add(self, c: Candidate, rel: str) -> None:
        self._remember(rel, _opt(c.front.get("url")), c.guid, _opt(c.front.get("source")), c.body)

    def free_name(self, title: str) -> str:
        """``<slug>.md``, or ``<slug>-2.md``, ... so that neither the file nor the page slug is taken."""
        base = links.slugify(title)
        n = 1
        while True:
            stem = base if n == 1 else f"{base}-{n}"
            taken = stem in self.slugs or any(self.root.glob(f"{glob_escape(stem)}.*"))
            if not taken:
                self.slugs.add(stem)
                return f"{stem}.md"
            n += 1


def _opt(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def glob_escape(s: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", s)


# ---- turning sources into candidates --------------------------------------------------------------

def _body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return text + "\n"


def _front(doc: SourceDoc) -> dict[str, Any]:
    return {"title": doc.title, "date": doc.date, "source": doc.source, "url": doc.url, "author": doc.author}


# Labels browsers read as windows-1252 (WHATWG Encoding Standard): servers say "ISO-8859-1" and send
# curly quotes in 0x93/0x94, which true Latin-1 would turn into control characters.
WHATWG_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def _decode(data: bytes, origin: str, charset: str | None) -> str:
    """Text of a source; a charset the server declared wins when the bytes decode with it."""
    if charset and charset.lower() in WHATWG_CP1252:
        charset = "cp1252"
    if charset:
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # the header lied; detection decides
        else:
            if "\x00" not in text:  # NULs mean binary whatever the header says: decode() refuses it by name
                return text.removeprefix("\ufeff")
    return decode(Path(origin), data)


def from_text(data: bytes, origin: str, charset: str | None = None) -> list[Candidate]:
    text = _decode(data, origin, charset)
    doc = parse_text(text.replace("\r\n", "\n"), origin)
    body = doc.text[doc.body_start:]
    if not body.strip():
        raise IntakeError(f"{origin}: has a title line but no article text")
    return [Candidate(origin, {"title": doc.title, "date": doc.date}, _body(body))]


def from_markdown(data: bytes, origin: str, charset: str | None = None) -> list[Candidate]:
    text = _decode(data, origin, charset).replace("\r\n", "\n")
    doc = parse_markdown(text, origin, Path(origin))  # validates the front matter, naming the file
    raw_meta, _, body = split_front_matter(text, Path(origin))
    meta = {str(k): v for k, v in raw_meta.items()}
    for key, value in list(meta.items()):
        if isinstance(value, (dt.date, dt.datetime, dt.time)):
            meta[key] = value.isoformat()[:10] if isinstance(value, dt.date) else value.isoformat()
    front = {"title": doc.title, "date": doc.date, "source": doc.source, "url": doc.url, "author": doc.author}
    front.update({k: v for k, v in meta.items() if k not in front})
    guid = meta.get("guid")
    # The body as written (the reader's text has wikilinks blanked out).
    return [Candidate(origin, front, _body(body), str(guid) if guid is not None else None)]


def from_html(html: str, origin: str, url: str | None = None) -> list[Candidate]:
    doc = parse_html(html, origin, origin, url=url)
    body = doc.text[doc.body_start:]
    return [Candidate(origin, _front(doc), _body(body))]


def from_feed(data: bytes, origin: str, url: str | None = None) -> tuple[list[Candidate], list[Refused]]:
    feed, errors = feed_reader.parse_feed_bytes(data, origin, base=url)
    refused = [Refused(origin, e.problem) for e in errors]
    out: list[Candidate] = []
    for entry, item in feed_reader.entry_docs(feed, origin, origin):
        if isinstance(item, ReadError):
            refused.append(Refused(origin, item.problem))
            continue
        front = _front(item)
        if item.summary_only:
            front["summary_only"] = True
        if entry.guid:
            front["guid"] = entry.guid
        out.append(Candidate(f"{origin} [{item.title[:60]}]", front, _body(item.text), entry.guid))
    return out, refused


def sniff(data: bytes) -> str:
    """The kind of unnamed input (stdin, a URL without a telling Content-Type)."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:2000]
    low = head.lower()
    if head.startswith(b"{"):
        return "feed"
    if head.startswith(b"<"):
        if re.search(rb"<(rss|feed|rdf:rdf)[\s>]", low):
            return "feed"
        return "html"
    if head.startswith(b"---"):
        return "markdown"
    return "text"


def _kind_of_type(content_type: str) -> str | None:
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if content_type in ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
                        "application/feed+json"):
        return "feed"
    if content_type == "text/markdown":
        return "markdown"
    return None


def candidates(data: bytes, kind: str, origin: str, url: str | None = None,
               charset: str | None = None) -> tuple[list[Candidate], list[Refused]]:
    if kind == "feed":
        return from_feed(data, origin, url)
    if kind == "html":
        html = _decode(data, origin, charset) if charset else decode_html(Path(origin), data)
        return from_html(html, origin, url), []
    found = from_markdown(data, origin, charset) if kind == "markdown" else from_text(data, origin, charset)
    if url:
        # A text fetched from the web is credited to where it was fetched, unless it names its own URL.
        found = [Candidate(c.origin, {**c.front, "url": c.front.get("url") or url}, c.body, c.guid) for c in found]
    return found, []


# ---- fetching ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fetched:
    data: bytes
    content_type: str
    charset: str | None
    url: str


class _Deadline:
    """Shuts every connection of one download at a fixed moment.

    A socket timeout bounds each read, not the download: a server sending a byte a second never
    trips it. At the deadline the sockets are shut down, so a blocked read returns at once.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib's opener, with every connection it makes (redirects too) handed to ``deadline``."""

    class Connection(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class SecureConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            deadline.watch(self.sock)

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(Connection, req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(SecureConnection, req, context=self._context)  # type: ignore[attr-defined]

    return urllib.request.build_opener(Handler, SecureHandler)


def _too_slow(url: str, timeout: float) -> str:
    return (f"{url}: no complete answer within {timeout:g} s (--timeout); try again, or save the page and add "
            "the file")


def fetch(url: str, timeout: float = FETCH_TIMEOUT, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url`` within ``timeout`` seconds in all and a size cap. Raises IntakeError with one line saying why not."""
    too_slow = _too_slow(url, timeout)
    with _Deadline(timeout) as deadline:
        try:
            got = _fetch(url, timeout, max_bytes, _opener(deadline))
        except IntakeError:
            if deadline.expired:
                raise IntakeError(too_slow) from None
            raise
    if deadline.expired:  # cut off mid-body, where the end of the data looks like the end of the page
        raise IntakeError(too_slow)
    return got


def _fetch(url: str, timeout: float, max_bytes: int, opener: urllib.request.OpenerDirector) -> Fetched:
    req = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                  "application/feed+json;q=0.9,text/plain;q=0.8,*/*;q=0.1",
    })
    too_slow = _too_slow(url, timeout)
    try:
        with opener.open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise IntakeError(f"{url}: is {int(length):,} bytes, over the {max_bytes:,}-byte limit")
            data = resp.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise IntakeError(f"{url}: is over the {max_bytes:,}-byte limit")
            final = resp.geturl()
            if not final.lower().startswith(("http://", "https://")):
                raise IntakeError(f"{url}: redirected to {final[:80]}, which is not a web address")
            return Fetched(data, resp.headers.get_content_type(), resp.headers.get_content_charset(), final)
    except urllib.error.HTTPError as exc:
        raise IntakeError(f"{url}: the server answered {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise IntakeError(too_slow) from exc
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        raise IntakeError(f"{url}: cannot fetch ({reason}); check the address and the network, "
                          "or save the page and add the file") from exc
    except TimeoutError as exc:
        raise IntakeError(too_slow) from exc
    except (http.client.HTTPException, OSError, ValueError) as exc:
        raise IntakeError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from exc


def is_url(source: str) -> bool:
    return bool(re.match(r"^https?://", source, re.I))


# ---- the command ------------------------------------------------------------------------------------

def _read_limited(stream: BinaryIO, origin: str) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise IntakeError(f"{origin}: is over the {MAX_BYTES:,}-byte limit for one article")
    if not data.strip():
        raise IntakeError(f"{origin}: is empty")
    return data


def load(source: str, index: ContentIndex, stdin: BinaryIO | None,
         timeout: float) -> tuple[list[Candidate], list[Refused]]:
    """The candidate articles of one source. Raises IntakeError or ReadError for the whole source."""
    if source == "-":
        if stdin is None:
            raise IntakeError("standard input is closed; pipe an article in: briefing add - < article.txt")
        data = _read_limited(stdin, "<stdin>")
        return candidates(data, sniff(data), "<stdin>")
    if is_url(source):
        if hit := index.known_url(source):
            return [], [Refused(source, f"already in content as {hit} (same URL)")]
        got = fetch(source, timeout)
        kind = _kind_of_type(got.content_type) or sniff(got.data)
        return candidates(got.data, kind, source, url=got.url, charset=got.charset)
    path = Path(source)
    if not path.exists():
        raise IntakeError(f"{source}: no such file")
    if path.is_dir():
        raise IntakeError(f"{source}: is a folder; give the article files inside it")
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES and format_of(suffix) == "feed":
        kept = feed_reader.whole_entries(data[:MAX_BYTES])
        if kept is not None:
            # A long archive: its whole entries within the limit still make articles.
            found, refused = candidates(kept, "feed", source)
            return found, [*refused, Refused(source, f"is over the {MAX_BYTES:,}-byte limit; added from the entries "
                                                     f"in its first {len(kept):,} bytes and skipped the rest. "
                                                     "Split the feed to add them all")]
    data = _read_limited(io.BytesIO(data), source)
    kind = format_of(suffix) or sniff(data)
    return candidates(data, kind, source)


def render(c: Candidate, today: dt.date) -> str:
    front = {k: c.front[k] for k in FRONT_ORDER if c.front.get(k) not in (None, "")}
    front.update({k: v for k, v in c.front.items() if k not in FRONT_ORDER and v not in (None, "")})
    front.setdefault("date_added", today.isoformat())
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{text}---\n{c.body}"


def write_new(folder: Path, name: str, content: str) -> Path:
    """Write ``folder/name`` without ever replacing a file: a hidden temp file, then a hard link."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / name
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    tmp.write_text(content, encoding="utf-8")
    try:
        os.link(tmp, final)  # fails if final exists: a concurrent add cannot be clobbered
    finally:
        tmp.unlink()
    return final


def add_sources(sources: Sequence[str], content: Path, *, today: dt.date, stdin: BinaryIO | None = None,
                timeout: float = FETCH_TIMEOUT) -> AddReport:
    """Add every source to ``content``; report what was added and what was skipped, and why."""
    report = AddReport()
    index = ContentIndex(content)
    for source in sources:
        try:
            found, refused = load(source, index, stdin, timeout)
        except (IntakeError, ReadError) as exc:
            report.refused.append(Refused(source, str(exc)))
            continue
        report.refused.extend(refused)
        for c in found:
            dup = index.duplicate_of(c)
            if dup:
                report.refused.append(Refused(c.origin, f"already in content as {dup[0]} ({dup[1]})"))
                continue
            name = index.free_name(c.title)
            try:
                path = write_new(content, name, render(c, today))
            except OSError as exc:
                report.refused.append(Refused(c.origin, f"cannot write {content / name} ({exc.strerror})"))
                continue
            index.add(c, name)
            report.added.append(Added(path, c.title, c.origin))
            log.debug("added %s from %s", path, c.origin)
    return report
