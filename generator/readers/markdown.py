"""Markdown articles with YAML front matter (``.md``).

Front matter fields: ``title``, ``date``, ``source``, ``url``, ``author``, ``licence`` (or
``license``), ``tags``, ``language`` (overrides detection), ``date_added``, ``guid`` (the feed entry an
article came from, kept by ``briefing add`` to refuse it twice), and per-article overrides::

    actors:   {add: [...], suppress: [...]}      # KB ids or names
    weapons:  {add: [...], suppress: [...]}
    concerns: {add: [...], suppress: [...]}      # concern ids
    summary: "Hand-written bottom line."         # or a list of sentences

Other tools' front matter is read too: Hugo's TOML between ``+++`` lines and Pelican's ``Title:``
lines; ``categories``, ``authors``, ``lang`` and ``description`` map to tags, author, language and
the summary; ``draft: true`` (``published: false``, ``status: draft``) is not published. Any other
field is kept in ``SourceDoc.extra`` for the record. A field whose value cannot be used is dropped
with a note naming file, line and field (``SourceDoc.notes``); the article is still read.

Offsets of mentions count from the first character after the closing ``---`` line.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any, cast

import yaml

from generator import limits
from generator.files import SUFFIXES
from generator.models import Overrides, SourceDoc
from generator.readers import ReadError, decode, language, read_bytes_checked, register
from generator.readers.furniture import find_furniture
from generator.readers.text import derive_title, find_headings

FRONT_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
FIELDS = {"title", "date", "source", "url", "author", "licence", "license", "tags", "language",
          "date_added", "actors", "weapons", "concerns", "summary", "summary_only", "guid"}
# Other tools' names for the same things (Jekyll, Hugo, Pelican, Obsidian), and their draft flags.
EQUIVALENTS = {"categories": "tags", "category": "tags", "authors": "author", "lang": "language",
               "description": "summary"}
DRAFT_FIELDS = {"draft", "published"}
# guid is not read here but kept by `briefing add`, so it is no stranger either.
USED = FIELDS | set(EQUIVALENTS) | DRAFT_FIELDS
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DATE_TIME_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}\S*(?: ?[+-]\d{2}:?\d{2}| ?Z| [A-Z]{3,4})?)$")
TOML_RE = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)
# Pelican's metadata: "Title: ..." first, "Key: value" lines, then a blank line.
PELICAN_RE = re.compile(r"\A((?i:title)[ \t]*:[^\n]*\n(?:[A-Za-z][\w-]*[ \t]*:[^\n]*\n)*)[ \t]*(?:\r?\n|\Z)")
KEY_LINE_RE = re.compile(r"""^["']?([A-Za-z_][\w-]*)["']?[ \t]*[:=]""")
WIKILINK_RE = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")


_CLOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _safe_load(raw: str) -> Any:
    """Load front matter with libyaml's safe loader after a pass over its events that refuses
    aliases, so billion-laughs front matter cannot expand, and nesting deeper than the limit, before
    the composer can exhaust memory or the stack. Both passes run in C: the pure-Python loader was
    most of a warm read of a large site."""
    max_depth = limits.current().max_front_depth
    try:
        _check_events(raw, max_depth)
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" not in str(exc.problem):
            raise
        # libyaml's scanner stops at its own, deeper limit before our count sees the events.
        raise _too_deep(max_depth, exc.problem_mark) from exc
    return yaml.load(raw, Loader=_CLOADER)


def _too_deep(max_depth: int, mark: Any) -> yaml.YAMLError:
    return yaml.composer.ComposerError(
        None, None, f"nested more than {max_depth} levels deep; front matter needs at most 3", mark)


def _check_events(raw: str, max_depth: int) -> None:
    open_containers = 0
    for event in yaml.parse(raw, Loader=_CLOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in front matter",
                                              cast(Any, event.start_mark))
        if isinstance(event, (*_OPEN, yaml.ScalarEvent)) and open_containers + 1 > max_depth:
            raise _too_deep(max_depth, event.start_mark)
        if isinstance(event, _OPEN):
            open_containers += 1
        elif isinstance(event, _CLOSE):
            open_containers -= 1


class _Fields:
    """Reads the fields of one article's front matter. A field whose value cannot be used is dropped
    with a note naming the file, its line and the field; the article is still built."""

    def __init__(self, meta: dict[str, Any], lines: dict[str, int], path: Path, first_line: int) -> None:
        self.meta = meta
        self.lines = lines
        self.path = path
        self.first_line = first_line
        self.notes: list[str] = []

    def drop(self, key: str, problem: str) -> None:
        where = ReadError(self.path, f"front matter '{key}' {problem}; the field is ignored",
                          line=self.lines.get(key.split(".")[0], self.first_line))
        self.notes.append(str(where))

    def text(self, key: str) -> str | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.drop(key, f"must be text, not {type(value).__name__}")
            return None
        s = str(value).strip()
        return s or None

    def names(self, key: str, value: Any, split: bool = False) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            # Pelican and Jekyll write a list as one comma-separated line.
            value = value.split(",") if split else [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) and not isinstance(v, bool)
                                                  for v in value):
            self.drop(key, "must be a list of names")
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def override(self, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        value = self.meta.get(key)
        if value is None:
            return (), ()
        if not isinstance(value, dict) or set(value) - {"add", "suppress"}:
            self.drop(key, "must be a mapping with 'add' and/or 'suppress'")
            return (), ()
        return self.names(f"{key}.add", value.get("add")), self.names(f"{key}.suppress", value.get("suppress"))

    def flag(self, key: str) -> bool | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().casefold() in ("true", "false"):
            return value.strip().casefold() == "true"  # Pelican's metadata is all text
        if not isinstance(value, bool):
            self.drop(key, f"must be true or false, not {str(value)[:20]!r}")
            return None
        return value

    def date(self, key: str) -> str | None:
        value = self.meta.get(key)
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()[:10]
        given = self.text(key)
        if not given:
            return None
        # Jekyll, Hugo and Pelican give a time too: "2024-03-05 10:20 +0900", "2024-03-05T10:20:00Z".
        m = DATE_TIME_RE.match(given)
        day = m.group(1) if m else given
        if DATE_RE.match(day):
            try:
                if len(day) == 10:
                    dt.date.fromisoformat(day)
                return day
            except ValueError:
                pass
        self.drop(key, f"must look like 2023-07-27 (or 2023-07, 2023), not {given[:40]!r}")
        return None

    def language(self, key: str) -> str | None:
        given = self.text(key)
        if not given:
            return None
        code = language.normalise(given)
        if code is None:
            self.drop(key, f"must be a language code like en or de, not {given[:20]!r}")
        return code


def _json_text(value: Any) -> str:
    """A front-matter value as JSON text, for the record; dates become ISO text."""
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False, default=str)
    except (TypeError, ValueError):  # keys that do not sort together, NaN
        return json.dumps(str(value), ensure_ascii=False)


def _check_size(raw: str, path: Path) -> None:
    max_chars = limits.current().max_front_matter
    if len(raw) > max_chars:
        raise ReadError(path, f"front matter is {len(raw):,} characters, over the {max_chars:,}-character limit; "
                              "keep only the documented fields", line=1)


def parse_front_matter(raw: str, path: Path) -> dict[str, Any]:
    _check_size(raw, path)
    try:
        meta = _safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        # Our own refusals (aliases, depth) already say what is wrong; a syntax error needs the hint.
        hint = "" if isinstance(exc, yaml.composer.ComposerError) else \
            "; check the quotes, brackets and indentation on that line"
        raise ReadError(path, f"front matter is not valid YAML: {problem}{hint}", line=line) from exc
    except RecursionError as exc:
        raise ReadError(path, "front matter is nested too deeply", line=1) from exc
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise these for values that scan but do not convert:
        # "date: 2023-13-45", an int of 5,000 digits.
        digits = sys.get_int_max_str_digits()
        long_number = re.search(rf"\d{{{digits + 1},}}", raw) if digits else None
        if long_number is not None:
            # Python's own message advises a Python call; the analyst needs to know where and what to do.
            raise ReadError(path, f"front matter holds a number of more than {digits:,} digits; quote it to keep "
                                  "it as text, or remove it", line=raw.count("\n", 0, long_number.start()) + 2) from exc
        raise ReadError(path, f"front matter holds a value that cannot be read: {exc}; "
                              "quote it to keep it as text") from exc
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ReadError(path, "front matter must be a mapping of fields", line=2)
    return meta


def parse_toml(raw: str, path: Path) -> dict[str, Any]:
    """Hugo's ``+++`` front matter."""
    _check_size(raw, path)
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        # "at end of document": the closing +++ line
        line = int(m.group(1)) + 1 if m else raw.count("\n") + 2
        raise ReadError(path, f"front matter is not valid TOML: {str(exc).split(' (at')[0]}", line=line) from exc
    except RecursionError as exc:
        raise ReadError(path, "front matter is nested too deeply", line=1) from exc


def _key_lines(raw: str, first_line: int) -> dict[str, int]:
    """The line of each top-level field, for the notes about dropped fields."""
    lines: dict[str, int] = {}
    for n, line in enumerate(raw.splitlines()):
        m = KEY_LINE_RE.match(line)
        if m:
            lines.setdefault(m.group(1).casefold(), first_line + n)
    return lines


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int], str]:
    """(fields, line of each field, body) of a Markdown article: YAML between ``---`` lines (Jekyll,
    Obsidian), TOML between ``+++`` lines (Hugo), or Pelican's ``Title: ...`` lines up to a blank line."""
    if text.startswith("---"):
        m = FRONT_RE.match(text)
        if not m:
            raise ReadError(path, "front matter starts with '---' but has no closing '---' line", line=1)
        return parse_front_matter(m.group(1), path), _key_lines(m.group(1), 2), text[m.end():]
    if text.startswith("+++"):
        m = TOML_RE.match(text)
        if not m:
            raise ReadError(path, "front matter starts with '+++' but has no closing '+++' line", line=1)
        return parse_toml(m.group(1), path), _key_lines(m.group(1), 2), text[m.end():]
    m = PELICAN_RE.match(text)
    if m:
        meta: dict[str, Any] = {}
        for line in m.group(1).splitlines():
            key, _, value = line.partition(":")
            meta.setdefault(key.strip().casefold(), value.strip())
        return meta, _key_lines(m.group(1), 1), text[m.end():]
    return {}, {}, text


def _folded(meta: dict[str, Any]) -> dict[str, Any]:
    """Keys in lower case (Hugo's and Pelican's are case-insensitive); the first spelling wins."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        out.setdefault(str(key).casefold(), value)
    return out


def unlinked(body: str) -> str:
    """Obsidian's ``[[Target]]`` and ``[[Target|shown]]`` with the brackets and target blanked to
    spaces: the shown words stay where they are, so offsets still point into the file."""
    if "[[" not in body:
        return body

    def blank(m: re.Match[str]) -> str:
        shown = m.group(2)
        return " " * (m.start(2) - m.start()) + shown + "  " if shown else "  " + m.group(1) + "  "

    return WIKILINK_RE.sub(blank, body)


def parse_markdown(text: str, rel: str, path: Path) -> SourceDoc:
    raw_meta, lines, body = split_front_matter(text, path)
    if not body.strip():
        raise ReadError(path, "has front matter but no article text")
    body = unlinked(body)
    meta = _folded(raw_meta)
    f = _Fields(meta, lines, path, 2 if text.startswith(("---", "+++")) else 1)
    url = f.text("url")
    if url and not re.match(r"^https?://", url, re.I):
        f.drop("url", f"must start with http:// or https://, not {url[:60]!r}")
        url = None
    summary = meta.get("summary", meta.get("description"))
    summary_key = "summary" if "summary" in meta else "description"
    if isinstance(summary, str):
        summary_t: tuple[str, ...] = (summary.strip(),) if summary.strip() else ()
    else:
        summary_t = f.names(summary_key, summary)
    a_add, a_sup = f.override("actors")
    w_add, w_sup = f.override("weapons")
    c_add, c_sup = f.override("concerns")
    summary_only = f.flag("summary_only") or False
    published = f.flag("published")
    status = meta.get("status")
    draft = bool(f.flag("draft")) or published is False or (isinstance(status, str) and status.casefold() == "draft")
    tags = dict.fromkeys(t.lstrip("#") for t in (*f.names("tags", meta.get("tags"), split=True),
                                                  *f.names("categories", meta.get("categories"), split=True),
                                                  *f.names("category", meta.get("category"), split=True)))
    author = f.text("author") if "author" in meta else ", ".join(f.names("authors", meta.get("authors"), split=True))
    lang = f.language("language") if "language" in meta else f.language("lang")
    title = f.text("title") or _heading_title(body) or derive_title(body.lstrip())
    doc = SourceDoc(
        path=rel, text=body, title=title, body_start=0, headings=find_headings(body),
        furniture=find_furniture(body, 0, title),
        date=f.date("date"), source=f.text("source"), url=url, author=author or None,
        licence=f.text("licence") or f.text("license"),
        tags=tuple(t for t in tags if t), language=lang or language.detect(body),
        summary_only=summary_only, date_added=f.text("date_added"),
        overrides=Overrides(add_actors=a_add, suppress_actors=a_sup, add_weapons=w_add,
                            suppress_weapons=w_sup, add_concerns=c_add, suppress_concerns=c_sup,
                            summary=summary_t),
        extra=tuple((k, _json_text(v)) for k, v in sorted(meta.items()) if k not in USED and
                    not (k == "status" and draft)),
        notes=tuple(f.notes), draft=draft,
    )
    return doc


def _heading_title(body: str) -> str | None:
    """The text of a leading ``# Heading`` line (Obsidian notes carry their title so)."""
    m = re.match(r"\s*#[ \t]+(\S[^\n]*?)[ \t#]*(?:\r?\n|\Z)", body)
    return m.group(1).strip() if m else None


@register(*SUFFIXES["markdown"])
def read_markdown(path: Path, rel: str) -> SourceDoc:
    return parse_markdown(decode(path, read_bytes_checked(path)), rel, path)
