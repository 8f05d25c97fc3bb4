"""Markdown articles with YAML front matter (``.md``).

Front matter fields: ``title``, ``date``, ``source``, ``url``, ``author``, ``licence`` (or
``license``), ``tags``, ``language`` (overrides detection), ``date_added``, ``guid`` (the feed entry an
article came from, kept by ``briefing add`` to refuse it twice), and per-article overrides::

    actors:   {add: [...], suppress: [...]}      # KB ids or names
    weapons:  {add: [...], suppress: [...]}
    concerns: {add: [...], suppress: [...]}      # concern ids
    summary: "Hand-written bottom line."         # or a list of sentences

Offsets of mentions count from the first character after the closing ``---`` line.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any, cast

import yaml

from generator import limits
from generator.models import Overrides, SourceDoc
from generator.readers import ReadError, decode, language, read_bytes_checked, register
from generator.readers.text import derive_title, find_headings

FRONT_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
MAX_FRONT_MATTER = limits.DEFAULT.max_front_matter  # the limit in force is limits.current()
FIELDS = {"title", "date", "source", "url", "author", "licence", "license", "tags", "language",
          "date_added", "actors", "weapons", "concerns", "summary", "summary_only", "guid"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


_CLOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _safe_load(raw: str) -> Any:
    """Load front matter with libyaml's safe loader after a pass over its events that refuses
    aliases, so billion-laughs front matter cannot expand, and nesting deeper than the limit, before
    the composer can exhaust memory or the stack. Both passes run in C: the pure-Python loader cost
    6-13 ms per article, most of a warm read of a large site."""
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


def _text(meta: dict[str, Any], key: str, path: Path) -> str | None:
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ReadError(path, f"front matter '{key}' must be text, not {type(value).__name__}")
    s = str(value).strip()
    return s or None


def _names(value: Any, path: Path, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ReadError(path, f"front matter '{key}' must be a list of names")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _override(meta: dict[str, Any], key: str, path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    value = meta.get(key)
    if value is None:
        return (), ()
    if not isinstance(value, dict) or set(value) - {"add", "suppress"}:
        raise ReadError(path, f"front matter '{key}' must be a mapping with 'add' and/or 'suppress'")
    return _names(value.get("add"), path, f"{key}.add"), _names(value.get("suppress"), path, f"{key}.suppress")


def _language(meta: dict[str, Any], body: str, path: Path) -> str:
    """Front matter ``language`` wins; otherwise the body's detected language."""
    given = _text(meta, "language", path)
    if given:
        code = language.normalise(given)
        if code is None:
            raise ReadError(path, f"front matter 'language' must be a language code like en or de, not {given[:20]!r}")
        return code
    return language.detect(body)


def parse_front_matter(raw: str, path: Path) -> dict[str, Any]:
    max_chars = limits.current().max_front_matter
    if len(raw) > max_chars:
        raise ReadError(path, f"front matter is {len(raw):,} characters, over the {max_chars:,}-character limit; "
                              "keep only the documented fields", line=1)
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
    unknown = sorted(str(k) for k in meta if k not in FIELDS)
    if unknown:
        raise ReadError(path, f"front matter has unknown field '{unknown[0]}' (known: {', '.join(sorted(FIELDS))})")
    return meta


def parse_markdown(text: str, rel: str, path: Path) -> SourceDoc:
    meta: dict[str, Any] = {}
    body = text
    if text.startswith("---"):
        m = FRONT_RE.match(text)
        if not m:
            raise ReadError(path, "front matter starts with '---' but has no closing '---' line", line=1)
        meta = parse_front_matter(m.group(1), path)
        body = text[m.end():]
    if not body.strip():
        raise ReadError(path, "has front matter but no article text")
    date = _text(meta, "date", path)
    if date and not DATE_RE.match(date):
        raise ReadError(path, f"front matter 'date' must look like 2023-07-27 (or 2023-07, 2023), not {date!r}")
    url = _text(meta, "url", path)
    if url and not re.match(r"^https?://", url, re.I):
        raise ReadError(path, f"front matter 'url' must start with http:// or https://, not {url[:60]!r}")
    summary = meta.get("summary")
    if isinstance(summary, str):
        summary_t: tuple[str, ...] = (summary.strip(),) if summary.strip() else ()
    else:
        summary_t = _names(summary, path, "summary")
    a_add, a_sup = _override(meta, "actors", path)
    w_add, w_sup = _override(meta, "weapons", path)
    c_add, c_sup = _override(meta, "concerns", path)
    summary_only = meta.get("summary_only", False)
    if not isinstance(summary_only, bool):
        raise ReadError(path, "front matter 'summary_only' must be true or false")
    title = _text(meta, "title", path) or derive_title(body.lstrip())
    return SourceDoc(
        path=rel, text=body, title=title, body_start=0, headings=find_headings(body),
        date=date, source=_text(meta, "source", path), url=url, author=_text(meta, "author", path),
        licence=_text(meta, "licence", path) or _text(meta, "license", path),
        tags=_names(meta.get("tags"), path, "tags"), language=_language(meta, body, path),
        summary_only=summary_only, date_added=_text(meta, "date_added", path),
        overrides=Overrides(add_actors=a_add, suppress_actors=a_sup, add_weapons=w_add,
                            suppress_weapons=w_sup, add_concerns=c_add, suppress_concerns=c_sup,
                            summary=summary_t),
    )


@register(".md", ".markdown")
def read_markdown(path: Path, rel: str) -> SourceDoc:
    return parse_markdown(decode(path, read_bytes_checked(path)), rel, path)
