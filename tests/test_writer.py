from __future__ import annotations

from pathlib import Path

import pytest

from generator.writer import WriteError, Writer

OWNED = ("briefings/", "actors/", "index.md")


def test_writes_only_changes_and_removes_stale(tmp_path: Path) -> None:
    w = Writer(tmp_path, OWNED)
    r1 = w.write({"index.md": "home", "briefings/a.md": "A", "briefings/b.md": "B"})
    assert sorted(r1.written) == ["briefings/a.md", "briefings/b.md", "index.md"]
    mtime = (tmp_path / "briefings/a.md").stat().st_mtime_ns
    r2 = w.write({"index.md": "home", "briefings/a.md": "A"})
    assert r2.written == [] and r2.unchanged == 2 and r2.removed == ["briefings/b.md"]
    assert (tmp_path / "briefings/a.md").stat().st_mtime_ns == mtime
    assert not (tmp_path / "briefings/b.md").exists()


def test_hand_written_pages_are_never_touched(tmp_path: Path) -> None:
    (tmp_path / "manual.md").write_text("mine", encoding="utf-8")
    w = Writer(tmp_path, OWNED)
    w.write({"index.md": "home"})
    w.write({"index.md": "home 2"})
    assert (tmp_path / "manual.md").read_text(encoding="utf-8") == "mine"
    with pytest.raises(WriteError):
        w.write({"manual.md": "overwrite"})


@pytest.mark.parametrize("rel", ["../x.md", "/etc/passwd", "briefings/../../x.md", "briefings\\x.md"])
def test_refuses_paths_outside(tmp_path: Path, rel: str) -> None:
    with pytest.raises(WriteError):
        Writer(tmp_path, OWNED).write({rel: "x"})


@pytest.mark.parametrize("rel", ["manual.md", "briefingsx.md", "index.md.bak", "actors", "x/briefings/a.md"])
def test_refuses_pages_outside_the_owned_folders_and_files(tmp_path: Path, rel: str) -> None:
    with pytest.raises(WriteError, match="not inside a folder the generator owns"):
        Writer(tmp_path, OWNED).write({rel: "x"})
    Writer(tmp_path, OWNED).write({"briefings/a.md": "x", "actors/b/c.md": "y", "index.md": "z"})
