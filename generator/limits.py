"""Input limits: the one place that says how large an input may be.

Every input the generator reads comes from people or feeds it does not control, so each is bounded
before it can cost memory or time. A file over a limit is refused with a one-line message naming
the file, the limit and what to do, and is skipped; the rest of the site still builds (and
``--strict`` turns the skip into a non-zero exit status).

========================  ============  ==========================================================
Limit                     Default       Why this size
========================  ============  ==========================================================
``max_bytes``             5,000,000     Bytes of one article file. The longest real news article
                                        is well under 1 MB; checked with ``stat`` before reading,
                                        and the read itself stops one byte past the limit, so a
                                        file that grows while it is read cannot exceed it.
``max_line_chars``        200,000       Characters on one line (a minified HTML page or a one-line
                                        dump). Reported with the line number.
``max_lines``             20,000        Lines in one article (a 200-page report pasted in by
                                        mistake is refused, not extracted slowly).
``max_front_matter``      64,000        Characters of YAML front matter.
``max_front_depth``       8             Nesting depth of YAML front matter. The schema needs 3
                                        (``actors: {add: [...]}``); deep nesting is refused before
                                        PyYAML recurses into it. Aliases (``*name``) are refused
                                        outright, so "billion laughs" cannot expand.
``max_files``             50,000        Article files under ``content/``. Files past the limit (in
                                        sorted order) are skipped with one message.
========================  ============  ==========================================================

The limits are plain constants, not settings: a limit that an article can need raised points to
an input that is not an article, and the messages say to split the file instead. Tests shrink
them with :func:`override` rather than writing huge files where size is not the point.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5_000_000
    max_line_chars: int = 200_000
    max_lines: int = 20_000
    max_front_matter: int = 64_000
    max_front_depth: int = 8
    max_files: int = 50_000


DEFAULT = Limits()
_current = DEFAULT


def current() -> Limits:
    """The limits in force (the defaults, unless a test has overridden them)."""
    return _current


@contextmanager
def override(**changes: int) -> Iterator[Limits]:
    """Temporarily change some limits (for tests): ``with override(max_lines=10): ...``."""
    global _current
    known = {f.name for f in fields(Limits)}
    unknown = set(changes) - known
    if unknown:
        raise TypeError(f"unknown limit(s): {', '.join(sorted(unknown))}")
    before = _current
    _current = replace(before, **changes)
    try:
        yield _current
    finally:
        _current = before


def table() -> list[tuple[str, int]]:
    """(name, value) of every limit in force, for reports and documentation."""
    return [(f.name, getattr(_current, f.name)) for f in fields(Limits)]
