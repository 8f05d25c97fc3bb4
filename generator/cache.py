"""The extraction cache: one JSON entry per article, keyed by everything the briefing depends on.

An entry's key hashes the article's bytes, its path relative to the content root, the settings that
change what readers and extraction produce, :func:`code_version` (a hash of the whole package) and
``KnowledgeBase.version`` (a hash of the KB files). So an unchanged article is never extracted
twice, and an edit to the code or the KB re-extracts everything: simpler than
tracking which KB entry touched which article, and never stale.

The key hashes the raw bytes, not the parsed document, so a warm build does not even parse front
matter: the cached entry holds the whole :class:`~generator.models.Briefing`, its ``SourceDoc``
included, beside the article's cards (one SQLite row, :class:`ExtractionCache`). An entry that
cannot be read or decoded is treated as a miss, extracted again, and stored again.

JSON conversion lives here (``briefing_to_json`` / ``briefing_from_json``) rather than on the
models, so the models keep their fields and the cache owns its own format, versioned by
:data:`FORMAT`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

from generator.files import Stamp, atomic_write, stamp
from generator.models import (
    Actor,
    Briefing,
    Claim,
    Concern,
    Location,
    Mention,
    Overrides,
    SourceDoc,
    Span,
    Speaker,
    Weapon,
    make,
)
from generator.notes import Note

log = logging.getLogger("briefing")

FORMAT = 5
"""Bump when the JSON layout below changes; old entries then stop matching."""
STATE_FORMAT = 5
"""Of the build state's file: bump when its layout or its page hashes change (4: xxh3-128 page
hashes). A state of another format is not read: the next build renders every page once."""

PACKAGE = Path(__file__).parent


def tree_hash(folder: Path) -> str:
    """A hash of every file under ``folder`` (compiled bytecode aside), by relative path and bytes."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@cache
def code_version() -> str:
    """Hash of the whole package: code, templates, assets and bundled data. Derived, not listed: an
    edit anywhere in it (the models, the KB loader, a template) makes every cache key new, so no
    cached briefing, card or page outlives the code that made it. Computed once per process."""
    return tree_hash(PACKAGE)


def key_of(content_sha: str, rel: str, settings_key: str, kb_version: str) -> str:
    """The cache key of one article: the sha256 of its bytes (kept beside the file's stamp, so an
    unchanged file is not read again), where it sits, and everything that shapes its briefing."""
    h = hashlib.sha256()
    for part in (f"v{FORMAT}", code_version(), kb_version, settings_key, rel, content_sha):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class OnDisk:
    """A generated page on disk as the last build wrote it, untouched since (its stamp says so).

    A caching renderer returns it instead of the page's text, so an unchanged page of a large site is
    neither read nor compared, and the writer leaves it alone; ``sha`` and ``stamp`` are the recorded ones.
    """

    sha: str
    stamp: Stamp


# ---- JSON <-> values -------------------------------------------------------------------------
#
# A briefing holds a few hundred small values (spans, mentions): the loops below run once per span.

_OVERRIDE_FIELDS = tuple(f.name for f in fields(Overrides))


def _spans(spans: Iterable[Span], text: str) -> list[list[object]]:
    # Most spans cover exactly the article text they point at: storing only the offsets makes
    # entries about half the size. Others keep their text.
    out: list[list[object]] = []
    n = len(text)
    for s in spans:
        a, b, t = s.start, s.end, s.text
        if 0 <= a <= b <= n and b - a == len(t) and text.startswith(t, a):
            out.append([a, b])
        else:
            out.append([a, b, t])
    return out


def _spans_from(vs: Any, text: str) -> tuple[Span, ...]:
    # make(): the models without their frozen __init__; an entry reads back in about 40% less time
    out: list[Span] = []
    for v in vs:
        if len(v) == 2:
            start, end = int(v[0]), int(v[1])
            out.append(make(Span, {"start": start, "end": end, "text": text[start:end]}))
        else:
            start, end, t = v
            out.append(make(Span, {"start": int(start), "end": int(end), "text": str(t)}))
    return tuple(out)


def _mentions(ms: tuple[Mention, ...], text: str) -> list[list[object]]:
    return [[m.sentence, *span] for m, span in zip(ms, _spans((m.span for m in ms), text), strict=True)]


def _mentions_from(vs: Any, text: str) -> tuple[Mention, ...]:
    spans = _spans_from([v[1:] for v in vs], text)
    return tuple(make(Mention, {"span": span, "sentence": int(v[0])}) for v, span in zip(vs, spans, strict=True))


def _doc(d: SourceDoc) -> dict[str, object]:
    o = d.overrides
    return {
        "path": d.path, "text": d.text, "title": d.title, "body_start": d.body_start,
        "headings": _spans(d.headings, d.text), "date": d.date, "source": d.source, "url": d.url,
        "author": d.author, "licence": d.licence, "tags": list(d.tags), "language": d.language,
        "summary_only": d.summary_only, "date_added": d.date_added,
        "extra": [list(kv) for kv in d.extra], "notes": list(d.notes), "draft": d.draft,
        "overrides": {name: list(getattr(o, name)) for name in _OVERRIDE_FIELDS},
        "furniture": _spans(d.furniture, d.text),
    }


def _doc_from(v: dict[str, Any]) -> SourceDoc:
    o = v["overrides"]
    text = v["text"]
    return SourceDoc(
        path=v["path"], text=text, title=v["title"], body_start=v["body_start"],
        headings=_spans_from(v["headings"], text), date=v["date"], source=v["source"],
        url=v["url"], author=v["author"], licence=v["licence"], tags=tuple(v["tags"]),
        language=v["language"], summary_only=v["summary_only"], date_added=v["date_added"],
        extra=tuple((k, x) for k, x in v["extra"]), notes=tuple(v["notes"]), draft=v["draft"],
        overrides=Overrides(**{name: tuple(o[name]) for name in _OVERRIDE_FIELDS}),
        furniture=_spans_from(v.get("furniture", []), text),
    )


def briefing_to_json(b: Briefing) -> dict[str, object]:
    """Every field of a briefing, losslessly (floats unrounded), as JSON-ready values."""
    t = b.doc.text
    return {
        "doc": _doc(b.doc),
        "sentences": _spans(b.sentences, t),
        "summary": _spans(b.summary, t),
        "actors": [{"id": a.id, "name": a.name, "type": a.type, "mentions": _mentions(a.mentions, t),
                    "aliases": list(a.aliases), "role": a.role, "salience": a.salience,
                    "discovered": a.discovered, "affiliation": a.affiliation, "weak": a.weak} for a in b.actors],
        "weapons": [{"id": w.id, "name": w.name, "category": w.category, "mentions": _mentions(w.mentions, t),
                     "aliases": list(w.aliases), "operator": w.operator, "generic": w.generic,
                     "salience": w.salience, "discovered": w.discovered, "weak": w.weak} for w in b.weapons],
        "locations": [{"id": loc.id, "name": loc.name, "mentions": _mentions(loc.mentions, t)}
                      for loc in b.locations],
        "concerns": [{"id": c.id, "label": c.label, "evidence": _spans(c.evidence, t),
                      "score": c.score} for c in b.concerns],
        "claims": [{"speaker": [c.speaker.id, c.speaker.name, c.speaker.start, c.speaker.end],
                    "cue": c.cue, "span": _spans((c.span,), t)[0], "direct": c.direct} for c in b.claims],
    }


def briefing_from_json(v: dict[str, Any]) -> Briefing:
    """The inverse of :func:`briefing_to_json`; raises KeyError/TypeError/ValueError on a bad record."""
    doc = _doc_from(v["doc"])
    t = doc.text
    return Briefing(
        doc=doc,
        sentences=_spans_from(v["sentences"], t),
        summary=_spans_from(v["summary"], t),
        actors=tuple(make(Actor, {
            "id": a["id"], "name": a["name"], "type": a["type"], "mentions": _mentions_from(a["mentions"], t),
            "aliases": tuple(a["aliases"]), "role": a["role"], "salience": float(a["salience"]),
            "discovered": bool(a["discovered"]), "affiliation": a["affiliation"],
            "weak": bool(a.get("weak", False))}) for a in v["actors"]),
        weapons=tuple(make(Weapon, {
            "id": w["id"], "name": w["name"], "category": w["category"],
            "mentions": _mentions_from(w["mentions"], t), "aliases": tuple(w["aliases"]),
            "operator": w["operator"], "generic": bool(w["generic"]), "salience": float(w["salience"]),
            "discovered": bool(w["discovered"]), "weak": bool(w.get("weak", False))}) for w in v["weapons"]),
        locations=tuple(make(Location, {"name": loc["name"], "mentions": _mentions_from(loc["mentions"], t),
                                        "id": loc["id"]}) for loc in v["locations"]),
        concerns=tuple(make(Concern, {"id": c["id"], "label": c["label"], "evidence": _spans_from(c["evidence"], t),
                                      "score": float(c["score"])}) for c in v["concerns"]),
        claims=tuple(Claim(Speaker(c["speaker"][0], c["speaker"][1], t[c["speaker"][2]:c["speaker"][3]],
                                   c["speaker"][2], c["speaker"][3]),
                           c["cue"], _spans_from([c["span"]], t)[0], bool(c["direct"])) for c in v["claims"]),
    )


# ---- storage ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """What one content file gave: its briefings (several for a feed) and the entries skipped, with why."""

    briefings: tuple[Briefing, ...]
    skipped: tuple[Note, ...] = ()


def json_bytes(value: dict[str, Any], sort_keys: bool = False) -> bytes:
    """Compact JSON of cache entries and of the build states, generate's and the site build's:
    orjson, several times faster than json (in every worker, and on a large site's states). json
    takes what orjson refuses (a lone surrogate, an integer past 64 bits), escaped to ASCII so that
    it reads back (:func:`json_value`)."""
    import orjson

    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=sort_keys, separators=(",", ":"), check_circular=False).encode("ascii")


def json_value(raw: bytes) -> Any:
    import orjson

    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return json.loads(raw)  # what orjson refuses; json raises ValueError if it is not JSON either


def entry_from_bytes(raw: bytes, key: str) -> Entry:
    """The entry stored as ``raw`` under ``key``; raises ValueError, KeyError, TypeError... on bad bytes."""
    record = json_value(raw)
    if record.get("key") != key:
        raise ValueError("entry key does not match its file name")
    return Entry(tuple(briefing_from_json(b) for b in record["briefings"]),
                 tuple(map(Note.from_json, record["skipped"])))


def entry_bytes(key: str, entry: Entry) -> bytes:
    """What :func:`entry_from_bytes` reads back: the entry as JSON, with its key."""
    return json_bytes({"key": key, "briefings": [briefing_to_json(b) for b in entry.briefings],
                       "skipped": [n.to_json() for n in entry.skipped]})


class ExtractionCache:
    """What extracting each article gave, by its cache key, in one SQLite database ``root/extract.sqlite``:
    the entry (whole briefings, JSON), written by the process that extracted the article, and the
    article's cards (what the cross-article pages read of it, packed by :mod:`generator.cards`), made
    from the entry by the build process and added to its row.

    SQLite, not files of our own: a row is written and replaced atomically, worker processes add rows
    at once (WAL), a killed run loses at most its open transaction, and dropping what content/ no
    longer has is one statement. A database that cannot be opened, or a row that cannot be decoded,
    is a miss: the article is extracted again, and a cache that cannot be written only costs time.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / "extract.sqlite"
        self._conn: sqlite3.Connection | None = None
        self._pid = 0

    def _db(self) -> sqlite3.Connection:
        # A connection is never used in a process forked after it was opened: each process opens its own.
        if self._conn is None or self._pid != os.getpid():
            self._pid, self._conn = os.getpid(), self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.OperationalError:
            raise  # locked, or no room: the file is left as it is
        except sqlite3.DatabaseError as exc:  # not a database (damaged, or written by something else)
            log.warning("extraction cache %s unreadable (%s); starting it again", self.path, exc)
            for path in (self.path, *(self.path.with_name(self.path.name + end) for end in ("-wal", "-shm"))):
                path.unlink(missing_ok=True)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            # Set once, by the first process: setting it takes a lock that others would not wait for.
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            # The cards before the entry: SQLite reads a row's columns in order, so reading every
            # article's cards then never walks through the (larger) entries.
            conn.execute("CREATE TABLE IF NOT EXISTS article (key TEXT PRIMARY KEY, cards BLOB, entry BLOB NOT NULL)")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def get(self, key: str) -> Entry | None:
        """The cached entry, or None when missing or unreadable (a corrupt entry is a miss)."""
        try:
            row = self._db().execute("SELECT entry FROM article WHERE key = ?", (key,)).fetchone()
        except (OSError, sqlite3.Error) as exc:
            log.debug("extraction cache unreadable (%s)", exc)
            return None
        if row is None:
            return None
        try:
            return entry_from_bytes(row[0], key)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            log.debug("cache entry %s unusable (%s); extracting again", key, exc)
            return None

    def cards(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The packed cards of each of ``keys`` that the cache holds cards of."""
        wanted = set(keys)
        try:
            rows = self._db().execute("SELECT key, cards FROM article WHERE cards IS NOT NULL").fetchall()
        except (OSError, sqlite3.Error) as exc:
            log.warning("extraction cache %s unreadable (%s); extracting every article", self.path, exc)
            return {}
        return {key: cards for key, cards in rows if key in wanted}

    def put_many(self, items: list[tuple[str, Entry]]) -> None:
        """Store the entries in one transaction, without cards."""
        self._write("INSERT OR REPLACE INTO article (key, entry) VALUES (?, ?)",
                    [(key, entry_bytes(key, entry)) for key, entry in items])

    def put_cards(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Add their packed cards to the rows of these keys."""
        self._write("UPDATE article SET cards = ? WHERE key = ?", [(cards, key) for key, cards in items])

    def _write(self, sql: str, rows: list[tuple[object, ...]]) -> None:
        if not rows:
            return
        try:
            with contextlib.closing(self._db().cursor()) as cur:
                cur.execute("BEGIN IMMEDIATE")
                cur.executemany(sql, rows)
                cur.execute("COMMIT")
        except (OSError, sqlite3.Error) as exc:  # a cache that cannot be written only costs time next run
            log.warning("could not write to the extraction cache %s: %s", self.path, exc)
            with contextlib.suppress(sqlite3.Error):
                self._db().execute("ROLLBACK")

    def prune(self, keep: set[str]) -> int:
        """Drop the rows whose key is not in ``keep``; returns how many. Keeps the cache the size of content/."""
        try:
            db = self._db()
            gone: list[tuple[object, ...]] = [(k,) for (k,) in db.execute("SELECT key FROM article") if k not in keep]
        except (OSError, sqlite3.Error) as exc:
            log.warning("could not prune the extraction cache %s: %s", self.path, exc)
            return 0
        self._write("DELETE FROM article WHERE key = ?", gone)
        return len(gone)

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None


# ---- rendered pages and the previous build -----------------------------------------------------

def digest(*parts: object) -> str:
    """A key from values whose ``repr`` is stable: str, int, float, tuples and lists of them."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def page_hash(data: bytes) -> str:
    """The fingerprint of a generated page's bytes that the build state keeps, to tell a page left
    as written from one edited or damaged since. xxh3-128, not sha256: no adversary picks these
    bytes, and adding an article to a large site hashes tens of megabytes of pages and data files,
    where xxh3 is many times faster."""
    import xxhash

    return xxhash.xxh3_128_hexdigest(data)


@dataclass
class BuildState:
    """What the previous build saw and wrote, stored as ``root/state.json``.

    ``articles`` maps content files to cache keys (a file that could not be read maps to a digest
    of its error), to tell new, changed and removed files apart and to skip everything when nothing
    changed; ``read`` and ``skipped`` are what that build reported, repeated when nothing changed;
    ``pages`` maps each generated page to the key of the inputs it was rendered from and the hash
    of its bytes, so a page whose inputs did not change is taken from docs/ (after checking its
    hash) instead of being rendered again.
    """

    global_key: str = ""
    articles: dict[str, str] = field(default_factory=dict)
    read: int = 0
    skipped: list[Note] = field(default_factory=list)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Stamps: a page whose stamp is unchanged is not read again to check it; nor is a content file,
    # whose sha256 is kept beside its stamp. Files without a (non-racy) stamp are read and hashed.
    page_stamps: dict[str, Stamp] = field(default_factory=dict)
    files: dict[str, tuple[Stamp, str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # "kind:id" -> the name its pages showed
    redirects: str = ""  # sha256 of redirects.yml as the build left it: an edit by hand is a change

    @staticmethod
    def path_in(root: Path) -> Path:
        return root / "state.json"

    @classmethod
    def load(cls, root: Path) -> BuildState:
        try:
            raw = json_value(cls.path_in(root).read_bytes())  # 4 MB at 5,000 articles, read by every run
            if raw.get("format") != STATE_FORMAT:
                return cls()
            return cls(
                global_key=str(raw["global"]),
                articles={str(k): str(v) for k, v in raw["articles"].items()},
                read=int(raw["read"]),
                skipped=list(map(Note.from_json, raw["skipped"])),
                pages={str(k): (str(v[0]), str(v[1])) for k, v in raw["pages"].items()},
                page_stamps={str(k): _stamp(v) for k, v in raw.get("page_stamps", {}).items()},
                files={str(k): (_stamp(v[0]), str(v[1])) for k, v in raw.get("files", {}).items()},
                names={str(k): str(v) for k, v in raw.get("names", {}).items()},
                redirects=str(raw.get("redirects", "")),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return cls()  # no state, or an unreadable one: a full build, which rewrites it

    def save(self, root: Path) -> None:
        value = {"format": STATE_FORMAT, "global": self.global_key, "articles": self.articles, "read": self.read,
                 "skipped": [n.to_json() for n in self.skipped], "pages": self.pages,
                 "page_stamps": self.page_stamps, "files": self.files,
                 "names": self.names, "redirects": self.redirects}
        data = json_bytes(value, sort_keys=True)  # a lone surrogate in a skipped file's message is escaped
        path = self.path_in(root)
        try:
            if path.read_bytes() == data:
                return
        except OSError:
            pass
        try:
            atomic_write(path, data)
        except OSError as exc:
            log.warning("could not write build state %s: %s", path, exc)

    def pages_intact(self, docs: Path) -> bool:
        """True when every page the last build wrote is still in docs/ with the same bytes (a page
        with its stamp unchanged is taken as unchanged, unread)."""
        return all(self.page_same(docs, rel) for rel in self.pages)

    def page_same(self, docs: Path, rel: str) -> bool:
        """True when ``docs/rel`` still holds the bytes this state recorded for it."""
        known = self.page_stamps.get(rel)
        if known is not None and stamp(docs / rel) == known:
            return True
        try:
            return page_hash((docs / rel).read_bytes()) == self.pages[rel][1]
        except (OSError, KeyError):
            return False


def _stamp(v: Any) -> Stamp:
    size, mtime, ctime, ino = v
    return (int(size), int(mtime), int(ctime), int(ino))
