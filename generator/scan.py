"""The one way content/ is read, for ``generate``, ``extract`` and ``check`` alike.

:func:`content_files` lists the article files (sorted, at most ``limits.max_files``, the rest
reported in one message); :func:`read_article` reads one file into its articles (a feed gives
several) with the messages about it: entries that could not become articles, and the warnings of
each article (fields dropped or unused, a draft). Every command applies the same limits, reads
feeds the same way and reports the same messages.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from generator import limits, notes
from generator.models import SourceDoc
from generator.notes import Note
from generator.readers import check_inside, discover, read_docs

log = logging.getLogger("briefing")


def content_files(paths: Iterable[Path], root: Path | None, skipped: list[Note]) -> list[tuple[Path, str]]:
    """``(path, relative path)`` of every article file under ``paths`` (files or folders), sorted per
    folder; past the file limit, the rest are left out and one message says so in ``skipped``."""
    out: list[tuple[Path, str]] = []
    max_files = limits.current().max_files
    for path, rel in _inputs(paths, root):
        if len(out) >= max_files:
            message = (f"{rel} and the files after it: over the {max_files:,}-file limit; "
                       "split content/ into separate sites")
            log.debug("skipped %s", message)
            skipped.append(notes.skipped(message))
            break
        out.append((path, rel))
    return out


def _inputs(paths: Iterable[Path], root: Path | None) -> Iterable[tuple[Path, str]]:
    for p in paths:
        if p.is_dir():
            yield from discover(p)
        else:
            base = root if root is not None else p.parent
            try:
                rel = p.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                rel = p.name
            yield p, rel


def read_article(path: Path, rel: str, root: Path | None) -> tuple[list[SourceDoc], list[Note]]:
    """The articles of one file, drafts included (``doc.draft``), and its messages: the entries of a
    feed that could not become articles, and each article's warnings (:mod:`generator.notes`).

    Raises :class:`~generator.readers.ReadError` when the file cannot be read at all (or, with
    ``root``, lies outside it).
    """
    if root is not None:
        check_inside(root, path)
    docs, bad = read_docs(path, rel)
    messages = [notes.skipped(str(exc), rel) for exc in bad]
    for doc in docs:
        messages.extend(notes.of_doc(doc))
    return docs, messages
