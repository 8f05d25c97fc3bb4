"""Readers turn files in ``content/`` into :class:`~generator.models.SourceDoc` values.

One reader per format, registered by file suffix (as Pelican does). Readers decode and split out
metadata; they never extract facts. Every failure is a :class:`ReadError` naming the file and,
where there is one, the line.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from generator import limits
from generator.models import SourceDoc

log = logging.getLogger("briefing")

Reader = Callable[[Path, str], "SourceDoc | list[SourceDoc | ReadError]"]
"""A reader takes the file path and its path relative to the content root.

It returns one article, or, for a file holding several (a feed), a list in which an entry that
cannot become an article is a :class:`ReadError`, so one bad entry skips itself, not the feed.
"""

# Inputs above this size are refused before they are read: memory stays bounded (generator.limits).
MAX_BYTES = limits.DEFAULT.max_bytes


class ReadError(Exception):
    """A file that cannot become an article. ``str()`` gives ``path[:line]: problem``."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


_REGISTRY: dict[str, Reader] = {}


def register(*suffixes: str) -> Callable[[Reader], Reader]:
    def deco(fn: Reader) -> Reader:
        for s in suffixes:
            _REGISTRY[s.lower()] = fn
        return fn

    return deco


def suffixes() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def reader_for(path: Path) -> Reader | None:
    return _REGISTRY.get(path.suffix.lower())


def read_bytes_checked(path: Path) -> bytes:
    """Read a file, refusing what is not a regular file, too large, or empty."""
    lim = limits.current()
    try:
        st = path.stat()
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror}); check that it exists and is readable") from exc
    if stat.S_ISDIR(st.st_mode) and (err := folder_link_error(path)) is not None:
        raise err
    if not stat.S_ISREG(st.st_mode):
        # A FIFO or device named like an article would block or never end when read.
        raise ReadError(path, "is not a regular file (a pipe, device or socket); remove it from content/")
    too_big = (f"over the {lim.max_bytes:,}-byte limit for one article; split it into separate articles "
               "(see generator/limits.py)")
    if st.st_size > lim.max_bytes:
        raise ReadError(path, f"is {st.st_size:,} bytes, {too_big}")
    try:
        with path.open("rb") as fh:
            # One byte past the limit: a file that grew since stat() is still caught, unread.
            data = fh.read(lim.max_bytes + 1)
    except OSError as exc:
        raise ReadError(path, f"cannot be read ({exc.strerror}); check its permissions") from exc
    if len(data) > lim.max_bytes:
        raise ReadError(path, f"grew past {lim.max_bytes:,} bytes while being read; {too_big}")
    if not data.strip():
        raise ReadError(path, "is empty (or whitespace only); add the article text or delete the file")
    return data


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
"""Control characters other than tab, line feed, form feed and carriage return (a regular expression:
a character loop in Python is slow on every article)."""


def decode(path: Path, data: bytes) -> str:
    """Decode article bytes (see :func:`generator.readers.encoding.decode_text`) and check line lengths."""
    from generator.readers.encoding import decode_text

    lim = limits.current()
    text = decode_text(path, data)
    if not text.strip():
        raise ReadError(path, "has no text (whitespace only); add the article text or delete the file")
    controls = len(_CONTROL.findall(text))
    # Valid UTF-8 can still be binary (ASCII control bytes); a stray control character is tolerated.
    if controls > max(8, len(text) // 100):
        raise ReadError(path, f"looks binary ({controls:,} control characters); articles must be text")
    n_lines = text.count("\n") + (not text.endswith("\n"))
    if n_lines > lim.max_lines:
        raise ReadError(path, f"has {n_lines:,} lines, over the {lim.max_lines:,}-line limit for one article; "
                              "split it into separate articles", line=lim.max_lines + 1)
    if len(text) <= lim.max_line_chars:
        return text  # no line can be too long (the usual case: skips splitting the text into lines)
    for lineno, line in enumerate(text.split("\n"), 1):
        if len(line) > lim.max_line_chars:
            raise ReadError(path, f"has a line of {len(line):,} characters, over the {lim.max_line_chars:,}-character "
                                  "limit; is it really an article? Break the text into paragraphs", line=lineno)
    return text


def read_docs(path: Path, rel: str) -> tuple[list[SourceDoc], list[ReadError]]:
    """Every article in one file (several for a feed), and the entries that were skipped.

    Raises :class:`ReadError` when the file as a whole cannot be read.
    """
    reader = reader_for(path)
    if reader is None:
        if (err := folder_link_error(path)) is not None:
            raise err
        raise ReadError(path, f"has no reader for '{path.suffix}' (known: {', '.join(suffixes())})")
    try:
        result = reader(path, rel)
    except ReadError:
        raise
    except RecursionError as exc:
        raise ReadError(path, "is nested too deeply to read; is it really an article?") from exc
    except OSError as exc:
        # Not the file's fault: a parser's temporary file or model on a full disk, say.
        log.debug("reader for %s failed", path, exc_info=True)
        what = f"{exc.strerror} ({exc.filename})" if exc.filename else (exc.strerror or str(exc))
        raise ReadError(path, f"could not be read: {what}; if the disk is full, free space and run again") from exc
    except Exception as exc:
        # A reader bug (or one in a parser it uses) on one file must not stop the build of the others.
        log.debug("reader for %s failed", path, exc_info=True)  # the trace with --debug; the ReadError says it
        raise ReadError(path, f"could not be read: {type(exc).__name__}: {str(exc)[:200]} (a bug in the "
                              f"'{path.suffix}' reader; please report it with this file)") from exc
    if isinstance(result, SourceDoc):
        return [result], []
    docs = [r for r in result if isinstance(r, SourceDoc)]
    errors = [r for r in result if isinstance(r, ReadError)]
    return docs, errors


def read_file(path: Path, rel: str) -> SourceDoc:
    """The one article in ``path``; a feed (several articles) is refused: use :func:`read_docs`."""
    docs, errors = read_docs(path, rel)
    if len(docs) != 1 or errors:
        if errors and not docs:
            raise errors[0]
        raise ReadError(path, f"holds {len(docs)} articles, not one")
    return docs[0]


def discover(root: Path) -> Iterator[tuple[Path, str]]:
    """Yield ``(path, relative path)`` of every readable file under ``root``, sorted.

    Hidden files and folders are passed over. Symbolic links that lead outside ``root`` raise
    :class:`ReadError` when read, so they are reported instead of silently followed; so do links to
    folders, which are yielded (not descended into) for that reason.
    """
    root = root.resolve()
    found: list[tuple[tuple[str, ...], Path]] = []
    # os.walk lists each folder once from its directory entries (no stat per file) and, like rglob,
    # does not descend into links to folders.
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        rel = os.path.relpath(folder, root)
        parts = () if rel == "." else tuple(rel.split(os.sep))
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                # Not followed (it could loop, or read articles twice), but yielded: reading it raises a
                # ReadError saying so by name, instead of the folder vanishing without a word.
                found.append(((*parts, name), Path(folder, name)))
        for name in files:
            if name.startswith((".", "_")) or os.path.splitext(name)[1].lower() not in _REGISTRY:
                continue
            found.append(((*parts, name), Path(folder, name)))
    found.sort(key=lambda f: f[0])  # the order of sorted(Path): part by part
    for parts, path in found:
        yield path, "/".join(parts)


def folder_link_error(path: Path) -> ReadError | None:
    """The error for a symbolic link to a folder in ``content/``, or None when ``path`` is not one."""
    if not (path.is_symlink() and path.is_dir()):
        return None
    return ReadError(path, f"is a link to the folder {path.resolve()}; links to folders are not followed "
                           "(they can loop or read articles twice). Move or copy the folder into content/ instead")


def check_inside(root: Path, path: Path) -> None:
    if (err := folder_link_error(path)) is not None:
        raise err
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        raise ReadError(path, f"is a link to {real}, outside {root}; refused. Copy the file into {root} "
                              "instead of linking to it")


# Register the bundled readers.
from generator.readers import feeds as _feeds  # noqa: E402,F401
from generator.readers import html as _html  # noqa: E402,F401
from generator.readers import markdown as _markdown  # noqa: E402,F401
from generator.readers import text as _text  # noqa: E402,F401
