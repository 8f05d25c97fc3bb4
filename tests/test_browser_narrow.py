"""On a narrow screen, where Material keeps its navigation in the menu's drawer, a page without the
drawer (a briefing hides the navigation) still shows the tabs, and they lead to the other sections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browserkit import OPEN_SHADOWS, need_chromium, serve, watch
from sitefixture import mkdocs_build, write_project
from test_accessibility import axe_violations, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]
BRIEFING = "briefings/putin-thanks-north-korea/"


def test_a_briefing_on_a_narrow_screen_keeps_the_tabs(tmp_path: Path, browser: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    need_chromium()
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = mkdocs_build(write_project(tmp_path / "book"), shell_templates=True)
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 800, "height": 900}, service_workers="block")
        context.add_init_script(OPEN_SHADOWS)
        try:
            w = watch(context, base)
            w.page.goto(base + BRIEFING)
            settle(w.page)
            assert w.page.locator('label.md-header__button[for="__drawer"]').count() == 0  # no menu here
            tabs = w.page.locator("nav.md-tabs")
            assert tabs.is_visible()
            # The tabs at this width pass the same WCAG 2.1 AA rules as every page at a desktop's.
            assert [v["id"] for v in axe_violations(w.page)] == []
            tabs.get_by_role("link", name="Actors").click()
            w.page.wait_for_url(base + "actors/")
            assert w.page.locator("article h1").first.inner_text().startswith("Actors")
            w.assert_clean()
        finally:
            context.close()
