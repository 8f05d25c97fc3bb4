"""Pagefind indexes the pages a search should answer with, and leaves out the archive pages of dossiers and
of the timeline, and redirects."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitefixture import mkdocs_build, write_project

from generator import search

pytestmark = pytest.mark.slow


def test_archive_pages_and_the_404_page_stay_out_of_the_index(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = mkdocs_build(write_project(tmp_path / "book", page_size=1))
    pages = [p.relative_to(site) for p in site.rglob("*.html")]
    archives = [p for p in pages if len(p.parts) == 4]
    assert archives, "page_size 1 gives dossiers archive pages"
    assert all(re.fullmatch(r"\d{4}(-\d{2})?|undated", p.parts[2]) for p in archives), archives
    # The redirect at the retired tags listing's address (tags/) has no article to index.
    readable = [p for p in pages if p.name == "index.html" and len(p.parts) <= 3 and p.parts[0] != "tags"
                and not (p.parts[0] == "timeline" and len(p.parts) == 3)]  # the timeline's pages of months
    assert "url=../" in (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert any(p.parts[0] == "briefings" for p in readable) and Path("timeline/index.html") in readable
    assert list(site.glob("timeline/*/index.html")), "page_size 1 gives the timeline pages of months"
    report = search.build_index(site)
    assert report.pages == len(readable)
