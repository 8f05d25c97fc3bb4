"""Files: the one way a file is written whole, the one table of the input formats' suffixes, and the
stamp that tells whether a file changed without reading it."""

from __future__ import annotations

import itertools
import os
import stat
import tempfile
from pathlib import Path

# Each input format and its file suffixes, the preferred format first: readers register under these,
# intake sorts what it is given by them, and of two content files whose names differ only in suffix
# the one earlier here keeps the plain slug.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "markdown": (".md", ".markdown"),
    "text": (".txt", ".text"),
    "html": (".html", ".htm"),
    "feed": (".xml", ".rss", ".atom", ".rdf", ".json"),
}

SUFFIX_RANK: dict[str, int] = {s: i for i, s in enumerate(s for group in SUFFIXES.values() for s in group)}


def format_of(suffix: str) -> str | None:
    """The input format of a file suffix ('.HTM' -> 'html'), or None when no reader takes it."""
    suffix = suffix.lower()
    return next((name for name, group in SUFFIXES.items() if suffix in group), None)


_TMP_COUNTER = itertools.count()


def atomic_write(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never a part. No fsync: what is written with this is
    a cache or a record of the last build, which a crash costs only work (docs/ goes through the journal).

    The temporary file is named by process id and a counter (``mkstemp``'s random names and
    buffered file object cost more than the write itself, for thousands of cache entries), and
    the folder is made only when the file cannot be created without it. A name left by a dead
    process with the same id falls back to ``mkstemp``.
    """
    tmp = f"{path.parent}{os.sep}.tmp-{os.getpid()}-{next(_TMP_COUNTER)}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, flags, 0o600)
    except FileExistsError:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


Stamp = tuple[int, int, int, int]
"""(size, mtime, ctime in ns, inode) of a regular file: what ``git status`` compares before reading it.
The ctime catches an edit whose mtime was set back (``touch -r``): nobody can set a ctime."""

# A file written again within the file system's timestamp granularity of the last look keeps its
# mtime ("racy" in git's words). A stamp taken so soon after the file's mtime is not kept, so such a
# file is read and hashed next time. Coarse file systems round mtimes to whole seconds (2 s on FAT).
RACY_NS = 50_000_000
RACY_COARSE_NS = 2_000_000_000


def stamp(path: str | Path, now_ns: int | None = None) -> Stamp | None:
    """The file's stamp, or None when it is not a regular file, cannot be read, or was modified so
    recently (before ``now_ns``, the moment of looking) that a later write might keep its mtime."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    if now_ns is not None:
        changed = max(st.st_mtime_ns, st.st_ctime_ns)
        coarse = changed % 1_000_000_000 == 0
        if now_ns - changed < (RACY_COARSE_NS if coarse else RACY_NS):
            return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
