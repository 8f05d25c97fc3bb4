from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's site configuration with an empty content folder.

    The hand-written manual comes along: mkdocs.yml lists its pages in the nav, and a strict build
    fails on a nav entry whose page is missing.
    """
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "content").mkdir()
    shutil.copytree(ROOT / "docs" / "manual", tmp_path / "docs" / "manual")
    return tmp_path
