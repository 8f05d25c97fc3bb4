"""The built briefing book in a real browser: search, links, diagrams, the network, and nothing from outside.

A fixture book (tests/fixtures/site) is generated, built with MkDocs into a temporary folder, served
on 127.0.0.1 and opened in Debian's headless Chromium.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import OPEN_SHADOWS, Watched, need_chromium, serve, watch, watched_tab

from generator.pipeline import BuildReport

pytestmark = pytest.mark.browser
TIMEOUT = 30_000  # ms; generous for shared 2-core machines, not a speed assertion


def h1(page: Any) -> str:
    """The page title without the permalink mark the toc extension adds."""
    return str(page.locator("h1").first.inner_text()).rstrip("¶").strip()


@pytest.fixture(scope="module")
def site(fixture_book_site: Path) -> Path:
    need_chromium()
    return fixture_book_site


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture
def tab(browser: Any, base: str) -> Iterator[Watched]:
    with watched_tab(browser, base, TIMEOUT, open_shadows=True) as w:
        yield w


def test_searching_a_weapon_shows_its_briefing(tab: Watched) -> None:
    page = tab.page
    page.goto(tab.base)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Iskander", delay=30)  # Material searches on key events, not on fill()
    hit = page.locator(".md-search-result__item a[href*='iskander-drills']").first
    hit.wait_for(state="visible")
    hit.click()
    page.wait_for_url("**/briefings/iskander-drills/**")
    assert "Iskander" in h1(page)
    tab.assert_clean()


def test_briefing_to_actor_to_another_briefing(tab: Watched) -> None:
    page = tab.page
    page.goto(tab.base + "briefings/putin-thanks-north-korea/")
    assert h1(page).startswith("Putin thanks North Korea")
    page.locator("table a", has_text="Sergei Shoigu").first.click()
    page.wait_for_url("**/actors/sergei-shoigu/")
    assert h1(page) == "Sergei Shoigu"
    assert page.locator("mark", has_text="Shoigu").count() >= 1  # the mention is highlighted in its sentence
    # Shoigu's visit and Putin's thanks are one story: the dossier lists the story, whose page lists both.
    page.locator("article a", has_text="Shoigu visits Pyongyang").first.click()
    page.wait_for_url("**/stories/2023-07-26-shoigu-visits-pyongyang-as-arms-talks-deepen/")
    page.locator("article table a", has_text="Shoigu visits Pyongyang").first.click()
    page.wait_for_url("**/briefings/shoigu-in-pyongyang/")
    assert h1(page) == "Shoigu visits Pyongyang as arms talks deepen"
    tab.assert_clean()


def test_relationship_diagram_renders_as_svg(tab: Watched) -> None:
    page = tab.page
    page.goto(tab.base + "briefings/putin-thanks-north-korea/")
    svg = page.locator("div.mermaid svg").first
    svg.wait_for(state="attached")
    text = svg.inner_html()
    assert "Hwasong-18" in text and "Sanctions violations" in text and "Syntax error" not in text
    box = page.locator("div.mermaid").first.bounding_box()
    assert box is not None and box["height"] > 100
    assert any(u.endswith("/vendor/mermaid/mermaid.min.js") for u in tab.requests)
    tab.assert_clean()


def test_hostile_names_run_nothing_and_draw_as_text(tab: Watched) -> None:
    page = tab.page
    for path in ("briefings/undated-claims/", "actors/x-img-onerror/", "actors/"):
        page.goto(tab.base + path)
        page.wait_for_load_state("load")
    page.goto(tab.base + "briefings/undated-claims/")
    page.locator("div.mermaid svg").first.wait_for(state="attached")
    assert page.locator("article img[src='x']").count() == 0
    assert "<img src=x onerror=alert(1)>" in h1(page).replace("Claims by ", "")
    tab.assert_clean()


def test_the_old_tags_address_lands_on_the_home_page(tab: Watched) -> None:
    page = tab.page
    page.goto(tab.base + "tags/")
    page.wait_for_url(tab.base)
    assert h1(page) == "Briefing book"
    tab.assert_clean()


def test_network_draws_nodes_and_clicks_through(tab: Watched, site: Path) -> None:
    page = tab.page
    page.goto(tab.base + "network/")
    net = page.locator("#briefing-network[data-nodes]")
    net.wait_for(state="attached")
    data = json.loads((site / "data/network.json").read_text(encoding="utf-8"))
    assert int(net.get_attribute("data-nodes") or 0) == len(data["nodes"]) > 0
    assert int(net.get_attribute("data-edges") or 0) == len(data["edges"]) > 0
    painted = page.evaluate("""() => Array.from(document.querySelectorAll('#briefing-network canvas')).some(c => {
        const ctx = c.getContext('2d'); if (!c.width || !c.height) return false;
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
        return false; })""")
    assert painted, "no canvas of the network has a drawn pixel"
    pos = page.evaluate("""() => { const n = window.briefingNetwork.$id('weapon:hwasong-18');
        const p = n.renderedPosition(); return {x: p.x, y: p.y}; }""")
    box = net.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_url("**/weapons/hwasong-18/")
    assert h1(page) == "Hwasong-18"
    tab.assert_clean()


def test_dossier_chart_timeline_and_feed_load(tab: Watched) -> None:
    page = tab.page
    page.goto(tab.base + "weapons/hwasong-18/")
    img = page.locator("article img[src$='hwasong-18.svg']")
    img.wait_for(state="visible")
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) > 0
    page.goto(tab.base + "timeline/")
    heads = page.locator("article h2").all_inner_texts()
    assert [h.strip("¶ \n") for h in heads] == ["July 2023", "April 2023", "November 2022", "Undated"]
    resp = page.goto(tab.base + "feed.xml")
    assert resp is not None and resp.ok
    tab.assert_clean()


@pytest.mark.skipif(importlib.util.find_spec("generator.extract") is None,
                    reason="the extraction engine (generator/extract) is not on this branch yet")
def test_real_pipeline_seed_briefing_in_the_browser(browser: Any, sample_book: tuple[Path, BuildReport]) -> None:
    root, _ = sample_book
    with serve(root / "site") as url:
        context = browser.new_context(service_workers="block")
        context.add_init_script(OPEN_SHADOWS)
        context.set_default_timeout(TIMEOUT)
        w = watch(context, url)
        try:
            w.page.goto(url + "briefings/putin-thanks-north-korea/")
            assert "Putin" in h1(w.page)
            assert w.page.locator(".admonition.abstract").count() == 1
            if w.page.locator("pre.mermaid, div.mermaid").count():
                w.page.locator("div.mermaid svg").first.wait_for(state="attached")
            w.page.goto(url + "network/")
            w.page.locator("#briefing-network[data-nodes]").wait_for(state="attached")
            w.assert_clean()
        finally:
            context.close()


def test_pages_without_diagrams_do_not_load_mermaid(tab: Watched) -> None:
    page = tab.page
    for path in ("", "actors/north-korea/", "timeline/"):
        page.goto(tab.base + path)
        page.wait_for_load_state("networkidle")
    assert any(u.endswith("/js/mermaid-shim.js") for u in tab.requests)
    assert not any(u.endswith("/mermaid.min.js") for u in tab.requests)
    tab.assert_clean()
