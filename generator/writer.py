"""The one component that writes generated pages into ``docs/``.

It writes only inside the paths the generator owns, only files whose bytes changed, and removes the
pages it wrote before that are no longer produced, knowing them from its manifest (never by
guessing). All changes of one write, manifest included, switch in one crash-safe commit
(:mod:`generator.journal`): a run killed at any moment leaves the old pages or, after the next
run, the new ones; never a half-written file or a lost page. Hand-written pages are never touched:
a generated path that collides with a file the manifest does not list is refused.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from generator import journal
from generator.cache import OnDisk

MANIFEST = ".briefing-manifest.json"


class WriteError(Exception):
    pass


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def _same(target: Path, content: str | bytes) -> bool:
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        return target.is_file() and target.read_bytes() == data
    except OSError:
        return False


def _check_rel(rel: str) -> None:
    norm = posixpath.normpath(rel)
    if rel != norm or norm.startswith(("/", "../")) or norm == ".." or "\\" in rel or "\0" in rel:
        raise WriteError(f"refusing to write outside docs/: {rel!r}")


class Writer:
    def __init__(self, docs_dir: Path, owned: tuple[str, ...]) -> None:
        """``owned``: folders (ending in '/') and single files the generator may write."""
        self.docs = docs_dir
        self.owned = owned
        self.manifest_path = docs_dir / MANIFEST
        self._folders = tuple(o for o in owned if o.endswith("/"))
        self._files = frozenset(o for o in owned if not o.endswith("/"))

    def _is_owned(self, rel: str) -> bool:
        # Asked of every page, 11,000 at 5,000 articles: one startswith over the folders, in C.
        return rel.startswith(self._folders) or rel in self._files

    def previous(self) -> set[str]:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            return {p for p in data.get("files", []) if isinstance(p, str)}
        except (OSError, ValueError):
            return set()

    def _read_kept(self, rel: str) -> bytes:
        try:
            return (self.docs / rel).read_bytes()
        except OSError as exc:
            raise WriteError(f"{rel} was to be kept as it is, but cannot be read: {exc}") from exc

    def write(self, pages: dict[str, str | bytes | OnDisk]) -> WriteReport:
        """Bring the owned pages of ``docs/`` to exactly ``pages``, in one crash-safe commit (see journal)."""
        self.docs.mkdir(parents=True, exist_ok=True)
        with journal.locked(self.docs):
            # A run killed after its commit point is finished first, so "before" is a whole state.
            journal.recover(self.docs)
            return self._write(pages)

    def _write(self, pages: dict[str, str | bytes | OnDisk]) -> WriteReport:
        report = WriteReport()
        before = self.previous()
        docs = self.docs.resolve()
        folders: dict[Path, Path] = {}  # a few folders hold thousands of pages: resolve each once
        # An OnDisk page is one the last build wrote and nobody touched since (its stamp says so): it
        # stays as it is, unread. One the manifest does not list is read, so it is checked like others.
        pages = {rel: (self._read_kept(rel) if isinstance(c, OnDisk) and rel not in before else c)
                 for rel, c in pages.items()}
        for rel, page in sorted(pages.items()):
            _check_rel(rel)
            if not self._is_owned(rel):
                raise WriteError(f"refusing to write {rel}: not inside a folder the generator owns")
            if isinstance(page, OnDisk):
                continue
            target = self.docs / rel
            if target.is_symlink():
                raise WriteError(f"{target}: is a symbolic link where a generated page goes; refusing to write "
                                 "through it. Delete the link (the generator writes the page there itself) and "
                                 "run again")
            parent = folders.get(target.parent)
            if parent is None:
                parent = folders[target.parent] = target.parent.resolve()
            if not parent.is_relative_to(docs):
                raise WriteError(f"{target}: refusing to write, its folder is a link to {parent}, "
                                 "outside docs/; replace the link with a folder")
            if rel not in before and target.exists() and not _same(target, page):
                # Even on a first run (no manifest yet): a page the generator did not write is someone's
                # work. One with exactly the bytes we would write is adopted, so a lost manifest heals.
                raise WriteError(f"refusing to overwrite {target}: a file the generator did not write is in "
                                 "the way; move it elsewhere, or delete it if it is an old generated page")
        changes: dict[str, bytes] = {}
        for rel, content in sorted(pages.items()):
            if isinstance(content, OnDisk):
                report.unchanged += 1
                continue
            data = content.encode("utf-8") if isinstance(content, str) else content
            try:
                if (self.docs / rel).read_bytes() == data:
                    report.unchanged += 1
                    continue
            except OSError:
                pass
            changes[rel] = data
            report.written.append(rel)
        for rel in sorted(before - set(pages)):
            target = self.docs / rel
            try:
                _check_rel(rel)
            except WriteError:
                continue  # a manifest edited by hand: never delete what it points outside of
            if self._is_owned(rel) and target.is_file() and not target.is_symlink():
                report.removed.append(rel)
        manifest = json.dumps({"files": sorted(pages)}, indent=0).encode() + b"\n"
        try:
            same = self.manifest_path.read_bytes() == manifest
        except OSError:
            same = False
        if not same:
            changes[MANIFEST] = manifest
        # The manifest switches in the same commit as the pages it lists.
        journal.commit(self.docs, changes, report.removed)
        return report
