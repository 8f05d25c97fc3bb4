"""A story in a real browser: an invented launch told by four outlets appears once on the home page
with its count, its page lists every outlet, and a briefing of it links to it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import need_chromium, serve, watched_tab
from sitefixture import mkdocs_build
from test_story_pages import OUTLETS, build, project

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 30_000  # ms; generous for shared 2-core machines, not a speed assertion
ROOT = Path(__file__).resolve().parent.parent
TITLE = "North Korea fires Hwasong-18 into the East Sea"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    root = project(tmp_path_factory.mktemp("stories-site"))
    # mkdocs.yml lists the manual in its nav; a strict build needs its pages.
    shutil.copytree(ROOT / "docs" / "manual", root / "docs" / "manual", dirs_exist_ok=True)
    build(root)
    with serve(mkdocs_build(root)) as url:
        yield url


def test_a_story_appears_once_on_home_its_page_lists_every_outlet_and_a_briefing_links_it(
        browser: Any, base: str) -> None:
    with watched_tab(browser, base, TIMEOUT) as tab:
        page = tab.page
        page.goto(base)
        latest = page.locator("h2:has-text('Latest briefings') + ul > li")
        items = [str(t) for t in latest.all_inner_texts()]
        told = [t for t in items if TITLE in t]
        assert len(told) == 1 and "4 reports, 4 outlets" in told[0], items
        # None of its other reports is listed on its own.
        for other in ("Pyongyang launches long-range missile", "Hwasong-18 test confirms deterrent",
                      "Missile test draws condemnation"):
            assert not [t for t in items if other in t], other
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_load_state("load")
        assert page.url.rstrip("/").endswith("/stories/2031-03-02-north-korea-fires-hwasong-18-into-the-east-sea")
        assert page.locator("article h1").first.inner_text().startswith(TITLE)
        table = page.locator("article table", has=page.locator("th", has_text="Date")).first
        outlets = [str(t).strip() for t in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
        assert [o.split(" (copy of")[0] for o in outlets] == list(OUTLETS)
        # A briefing of the story says who else reported it and links back to the story.
        page.goto(base + "briefings/kcna-launch/")
        note = page.locator("article .admonition", has_text="Also reported").first
        assert "Also reported by Yonhap, Harbour City Mirror and Lakeside Tribune" in note.inner_text()
        note.get_by_role("link", name=TITLE).click()
        page.wait_for_load_state("load")
        assert page.url.rstrip("/").endswith("/stories/2031-03-02-north-korea-fires-hwasong-18-into-the-east-sea")
        tab.assert_clean()
