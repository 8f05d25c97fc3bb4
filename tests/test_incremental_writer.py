"""The writer's manifest: what it wrote is what it may remove, and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.writer import MANIFEST, WriteError, Writer

OWNED = ("briefings/", "actors/", "index.md")


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def stamps(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_second_run_changes_no_byte_and_no_mtime(tmp_path: Path) -> None:
    pages = {"index.md": "home", "briefings/a.md": "Ä\n", "actors/x.md": b"\x00raw"}
    Writer(tmp_path, OWNED).write(pages)
    before, times = tree(tmp_path), stamps(tmp_path)
    os.utime(tmp_path / MANIFEST, ns=(1, 1))  # so a rewrite of the manifest would show
    times[MANIFEST] = 1
    r = Writer(tmp_path, OWNED).write(dict(reversed(list(pages.items()))))
    assert r.written == [] and r.removed == [] and r.unchanged == 3
    assert tree(tmp_path) == before and stamps(tmp_path) == times


def test_removes_only_what_the_manifest_lists_and_prunes_empty_folders(tmp_path: Path) -> None:
    w = Writer(tmp_path, OWNED)
    w.write({"index.md": "h", "actors/gone.md": "g", "briefings/a.md": "a"})
    (tmp_path / "briefings" / "notes.md").write_text("hand-written, inside an owned folder")
    r = w.write({"index.md": "h", "briefings/a.md": "a"})
    assert r.removed == ["actors/gone.md"]
    assert not (tmp_path / "actors").exists(), "an emptied generated folder is removed"
    assert (tmp_path / "briefings" / "notes.md").exists(), "never listed in the manifest, so never removed"
    # An entry planted in the manifest outside the owned paths is not trusted either.
    (tmp_path / "about.md").write_text("mine")
    (tmp_path / MANIFEST).write_text('{"files": ["about.md", "index.md"]}')
    w.write({"index.md": "h"})
    assert (tmp_path / "about.md").read_text() == "mine"


def test_first_run_refuses_a_hand_written_page_but_adopts_an_identical_one(tmp_path: Path) -> None:
    (tmp_path / "index.md").write_text("my own home page")
    with pytest.raises(WriteError, match="did not write"):
        Writer(tmp_path, OWNED).write({"index.md": "generated"})
    assert (tmp_path / "index.md").read_text() == "my own home page"
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "a.md").write_text("same")
    r = Writer(tmp_path, OWNED).write({"briefings/a.md": "same"})
    assert r.unchanged == 1 and "briefings/a.md" in (tmp_path / MANIFEST).read_text()


def test_a_lost_manifest_does_not_lose_pages(tmp_path: Path) -> None:
    pages = {"index.md": "h", "briefings/a.md": "a"}
    Writer(tmp_path, OWNED).write(pages)
    (tmp_path / MANIFEST).unlink()
    r = Writer(tmp_path, OWNED).write(pages)
    assert r.written == [] and r.unchanged == 2
    r = Writer(tmp_path, OWNED).write({"index.md": "h"})
    assert r.removed == ["briefings/a.md"], "adopted pages are in the manifest again, so they can be removed"
