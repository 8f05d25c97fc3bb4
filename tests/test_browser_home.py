"""The home page's "Most mentioned" in a real browser, over a book whose newest month holds one article."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from browserkit import ARGS, CHROMIUM, need_chromium, serve, watch
from sitefixture import mkdocs_build, redated_corpus, write_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 30_000  # ms; generous for shared 2-core machines, not a speed assertion


def _days(start: str, count: int) -> list[str]:
    first = dt.date.fromisoformat(start)
    return [(first + dt.timedelta(days=i)).isoformat() for i in range(count)]


# One article in August 2023; 54 in the thirty days up to it (2023-07-03 to 2023-08-01), so that window
# holds 55 briefings, more than the latest fifty; one the day before it starts; ten Iskander ones in May.
PLAN = [("hwasong-18-test.md", "2023-08-01"), *(("shoigu-in-pyongyang.md", d) for d in _days("2023-07-03", 29)),
        *(("putin-thanks-north-korea.md", d) for d in _days("2023-07-03", 25)),
        ("putin-thanks-north-korea.md", "2023-07-02"), *(("iskander-drills.md", d) for d in _days("2023-05-01", 10))]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    site = mkdocs_build(write_project(tmp_path_factory.mktemp("home"), redated_corpus(PLAN)))
    with serve(site) as url:
        yield url


def _most_mentioned(base: str) -> tuple[str, dict[str, dict[str, int]]]:
    """The section's heading, and column heading -> {name: count} of its table, as the browser shows them."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(service_workers="block")
            context.set_default_timeout(TIMEOUT)
            tab = watch(context, base)
            tab.page.goto(base)
            heading = str(tab.page.locator("h2", has_text="Most mentioned").inner_text()).rstrip("¶").strip()
            table = tab.page.locator("h2:has-text('Most mentioned') ~ * table").first
            cols = [str(t).strip() for t in table.locator("thead th").all_inner_texts()]
            out: dict[str, dict[str, int]] = {c: {} for c in cols}
            for row in table.locator("tbody tr").all():
                for col, cell in zip(cols, row.locator("td").all_inner_texts(), strict=True):
                    cell = str(cell).strip()
                    if cell:
                        name, _, n = cell.rpartition(" (")
                        out[col][name] = int(n.rstrip(")"))
            tab.assert_clean()
            return heading, out
        finally:
            browser.close()


def test_most_mentioned_covers_the_last_thirty_days_not_the_newest_month(base: str) -> None:
    heading, table = _most_mentioned(base)
    assert heading == "Most mentioned in the 30 days to 1 August 2023"
    # Counted from PLAN: which copies fall in the window and what each original names.
    assert table["Actors"]["North Korea"] == 55
    assert table["Actors"]["Russia"] == 54
    assert table["Actors"]["Vladimir Putin"] == 25
    assert table["Weapons and systems"]["Hwasong-18"] == 26
    assert "Iskander" not in table["Weapons and systems"]
