"""Crash-safe commit of a whole write to ``docs/``: every changed page switches, or none does.

Writing each page atomically is not enough: a run killed half-way through would leave some pages of
the new build beside pages of the old one (a briefing linking to an entity page not yet written, a
page removed from the manifest but still on disk). So a write happens in three steps:

1. **Stage.** Every changed file is written, fsynced, into a staging folder beside ``docs/``
   (``.docs-staging/``, outside ``docs/`` so MkDocs never sees it, on the same file system so
   ``os.replace`` is atomic). Staged files are named by number, never by a path from the input.
2. **Commit.** A journal listing every move (staged file -> page) and every deletion is written to a
   temporary file, fsynced, and renamed to ``.docs-journal.json``. That rename is the commit point.
3. **Apply.** Each staged file is moved into place with ``os.replace``, deletions are made, the
   touched folders are fsynced, and then the journal and the staging folder are removed.

Recovery (:func:`recover`, run before anything else by every write and by ``pipeline.generate``):
a journal that exists is applied again from the start (each step is idempotent: a staged file
that is gone was already moved, a deleted page that is gone was already deleted); a staging folder
without a journal is a write killed before its commit point and is thrown away.

The guarantee, stated exactly: killed before the commit point, ``docs/`` is as it was before; killed
after it, the next run of the generator rolls the write forward before doing anything else, so
``docs/`` becomes exactly what the killed run would have written. Every single file is always a
whole old or a whole new version (never a partial one), and no page is ever lost. While a commit is
being applied - or after a kill during that window, until the next run - a reader of ``docs/``
(``mkdocs serve``, say) can see some pages new and others old. A lock file beside ``docs/`` keeps
two runs from writing at once (``fcntl``, so POSIX only; elsewhere runs are not serialised).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import posixpath
import re
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger("briefing")

VERSION = 1
STAGING_THREADS = 8
_STAGED_NAME = re.compile(r"^\d{6,}$")


class JournalError(Exception):
    """A journal that cannot be applied; the message says which file to look at."""


def journal_path(docs: Path) -> Path:
    return docs.parent / f".{docs.name}-journal.json"


def staging_path(docs: Path) -> Path:
    return docs.parent / f".{docs.name}-staging"


def lock_path(docs: Path) -> Path:
    return docs.parent / f".{docs.name}.lock"


def _fsync_dir(folder: Path) -> None:
    # A rename is durable only once its folder is synced; some file systems refuse, which is harmless.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes, shown: Path | None = None) -> None:
    """Write and sync ``path``; a failure (a full disk) names ``shown``, the file the user knows."""
    try:
        with open(path, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        # A failed write() carries no file name of its own.
        raise OSError(exc.errno, exc.strerror, str(shown or path)) from exc


_ADVICE = "delete it and the staging folder beside docs/, then run again"


def _safe_rel(rel: object) -> str:
    if not isinstance(rel, str) or not rel:
        raise JournalError(f"journal names a page that is not a path: {rel!r}; {_ADVICE}")
    norm = posixpath.normpath(rel)
    if rel != norm or norm.startswith(("/", "../")) or norm == ".." or "\\" in rel or "\0" in rel:
        raise JournalError(f"journal names a page outside docs/: {rel!r}; {_ADVICE}")
    return rel


@contextlib.contextmanager
def locked(docs: Path) -> Iterator[None]:
    """Hold the write lock of ``docs`` (released by the kernel if the process dies)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, see the module docstring
        yield
        return
    docs.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(docs), "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another briefing run is writing %s; waiting for it to finish", docs)
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _prune(docs: Path, folder: Path) -> None:
    root = docs.resolve()
    while folder.resolve() != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _apply(docs: Path, entries: dict[str, object]) -> None:
    staging = staging_path(docs)
    moves = entries.get("moves")
    deletes = entries.get("deletes")
    if entries.get("version") != VERSION or not isinstance(moves, list) or not isinstance(deletes, list):
        raise JournalError(f"{journal_path(docs)} is not a journal this version can apply; {_ADVICE}")
    # Everything is checked before anything moves: a bad journal changes nothing.
    for move in moves:
        if not (isinstance(move, list) and len(move) == 2 and isinstance(move[0], str)
                and _STAGED_NAME.match(move[0])):
            raise JournalError(f"{journal_path(docs)} holds a malformed move {move!r}; {_ADVICE}")
        _safe_rel(move[1])
    for rel in deletes:
        _safe_rel(rel)
    touched: set[Path] = {docs}
    for name, rel in moves:
        src, dst = staging / name, docs / rel
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
        # else: moved by an earlier apply that was interrupted after this step.
        touched.add(dst.parent)
    for rel in deletes:
        target = docs / rel
        if target.is_symlink() or not target.exists():
            continue
        target.unlink()
        touched.add(target.parent)
        _prune(docs, target.parent)
    for folder in sorted(touched):
        if folder.is_dir():
            _fsync_dir(folder)
    # The journal goes before the staging folder: a staging folder without a journal is discarded.
    journal_path(docs).unlink()
    _fsync_dir(docs.parent)
    shutil.rmtree(staging, ignore_errors=True)


def recover(docs: Path) -> bool:
    """Finish a write that a killed run committed, or discard one it had not; True if one was finished."""
    journal = journal_path(docs)
    for leftover in docs.parent.glob(f".{docs.name}-journal.json.*.tmp"):
        leftover.unlink(missing_ok=True)  # a journal killed before its rename: never committed
    if journal.exists():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise JournalError(f"{journal} cannot be read ({exc}); {_ADVICE}") from exc
        if not isinstance(entries, dict):
            raise JournalError(f"{journal} is not a journal; {_ADVICE}")
        log.warning("finishing the write to %s that an interrupted run had committed", docs)
        _apply(docs, entries)
        return True
    staging = staging_path(docs)
    if staging.exists():
        log.info("discarding pages staged by an interrupted run that had not committed them")
        shutil.rmtree(staging)
    return False


def commit(docs: Path, writes: dict[str, bytes], deletes: Iterable[str]) -> None:
    """Switch ``docs/`` to a new state in one crash-safe step.

    ``writes`` maps docs-relative paths to their new bytes; ``deletes`` lists docs-relative paths to
    remove. The caller holds :func:`locked` and has checked the paths it may touch.
    """
    recover(docs)
    deletes = sorted(set(deletes) - set(writes))
    if not writes and not deletes:
        return
    staging = staging_path(docs)
    staging.mkdir(parents=True)
    moves = [[f"{i:06d}", _safe_rel(rel)] for i, rel in enumerate(sorted(writes))]
    # Staged in threads: each fsync waits on the disk, not the CPU, and the disk takes several at once.
    try:
        with ThreadPoolExecutor(max_workers=STAGING_THREADS) as pool:
            for _ in pool.map(lambda move: _write_synced(staging / move[0], writes[move[1]], docs / move[1]), moves):
                pass
    except OSError:
        # Nothing is committed yet: give back the space of what was staged (a full disk is the usual cause).
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync_dir(staging)
    for rel in deletes:
        _safe_rel(rel)
    data = json.dumps({"version": VERSION, "moves": moves, "deletes": deletes}).encode("utf-8")
    journal = journal_path(docs)
    tmp = journal.with_name(f"{journal.name}.{hashlib.sha256(data).hexdigest()[:8]}.tmp")
    _write_synced(tmp, data)
    os.replace(tmp, journal)  # the commit point
    _fsync_dir(docs.parent)
    _apply(docs, {"version": VERSION, "moves": moves, "deletes": deletes})
