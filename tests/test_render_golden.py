"""Golden pages: the seed-like fixture's briefing and a dossier, byte for byte.

A change to templates or rendering shows up here as a diff a reviewer can read. After an intended
change, regenerate with ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render_golden.py``
and commit the files under tests/golden/ with the change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitefixture import fixture_corpus

from generator.outputs import site_outputs

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = {
    "briefings/putin-thanks-north-korea.md": "briefing-putin-thanks-north-korea.md",
    "weapons/hwasong-18.md": "dossier-hwasong-18.md",
    "assets/briefing/charts/weapons/hwasong-18.svg": "chart-hwasong-18.svg",
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matches_golden(page: str) -> None:
    out = site_outputs(fixture_corpus(), "https://briefs.example.org/book/")
    got = out[page]
    assert isinstance(got, str)
    golden = GOLDEN / PAGES[page]
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"{golden} missing: run with UPDATE_GOLDEN=1 to create it"
    assert got == golden.read_text(encoding="utf-8"), f"{page} differs from {golden}; UPDATE_GOLDEN=1 if intended"
