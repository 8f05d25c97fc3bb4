"""The palette toggle, whose options every page shares from one script: a reader switches to the dark
palette and back, and the choice holds on the next page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browserkit import need_chromium, serve, watched_tab
from sitefixture import mkdocs_build, write_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 15_000


def test_the_palette_toggle_switches_and_the_choice_holds(tmp_path: Path, browser: Any,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    need_chromium()
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    site = mkdocs_build(write_project(tmp_path / "book"), shell_templates=True)
    dossier = next(site.glob("actors/*/index.html"))
    # The page carries the toggle empty; its options come from the shared script.
    assert '<form class="md-header__option" data-md-component="palette"></form>' in dossier.read_text("utf-8")
    with serve(site) as base, watched_tab(browser, base, TIMEOUT) as tab:
        page = tab.page
        page.emulate_media(color_scheme="light")
        page.goto(base + dossier.parent.relative_to(site).as_posix() + "/")
        scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")  # noqa: E731
        assert scheme() == "default"
        assert page.locator("[data-md-component=palette] input[type=radio]").count() == 2
        page.get_by_title("Switch to dark mode").click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
        page.goto(base + "briefings/putin-thanks-north-korea/")
        assert scheme() == "slate", "the reader's choice holds on the next page"
        page.get_by_title("Switch to light mode").click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
        tab.assert_clean()
