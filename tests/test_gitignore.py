"""Every page the generator owns in docs/ is ignored by git: `make site` leaves a clean work tree,
and a kind added to the table of kinds cannot leave its generated folder to be committed by mistake."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator import pipeline

ROOT = Path(__file__).resolve().parent.parent


def test_every_owned_path_in_docs_is_ignored() -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    # A folder is checked through a page inside it: git ignores the folder's files.
    paths = [f"docs/{p}page.md" if p.endswith("/") else f"docs/{p}" for p in pipeline.owned()]
    done = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=ROOT, input="\n".join(paths),
                          capture_output=True, text=True, check=False)
    ignored = set(done.stdout.split())
    assert [p for p in paths if p not in ignored] == []
