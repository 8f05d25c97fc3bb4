"""Every kind of page of the built book under axe-core's WCAG 2.0/2.1 A and AA rules, in both palettes.

The kinds come from the site's own list (``Corpus.example_pages``), so a kind of page added to the
site is checked here without a change to this file. Archive pages come from a second build of the same
book with a page size small enough to need them, served under ``archived/``. axe-core is vendored under
tests/vendor (never shipped in the site) and injected into each page once the page has drawn its graphics.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import OPEN_SHADOWS, need_chromium, serve, watch, watched_tab
from sitefixture import fixture_corpus, mkdocs_build, write_project

from generator import links

pytestmark = pytest.mark.browser
TIMEOUT = 30_000  # ms; generous for shared 2-core machines, not a speed assertion
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PALETTES = ("light", "dark")  # mkdocs.yml follows the reader's colour scheme: default and slate
ARCHIVED_PAGE_SIZE = 2  # the fixture's longest lists hold 4 and 5 briefings


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str | None]]:
    need_chromium()
    corpus = fixture_corpus()
    site = mkdocs_build(write_project(tmp_path_factory.mktemp("book"), corpus))
    mkdocs_build(write_project(tmp_path_factory.mktemp("archived"), corpus, page_size=ARCHIVED_PAGE_SIZE),
                 site / "archived")
    pages = corpus.example_pages()
    archives = {k: f"archived/{p}" for k, p in corpus.example_pages(ARCHIVED_PAGE_SIZE).items()
                if k not in pages and p is not None}
    return site, {**pages, **archives}


def settle(page: Any) -> None:
    """Wait until the page has drawn what scripts draw: diagrams and the network."""
    page.wait_for_load_state("networkidle")
    if page.locator("div.mermaid, pre.mermaid").count():
        page.locator("div.mermaid svg").first.wait_for(state="attached")
    if page.locator("#briefing-network").count():
        page.locator("#briefing-network[data-nodes]").wait_for(state="attached")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))})))",
        WCAG_TAGS)
    return list(result)


def test_every_kind_of_page_has_an_example_in_the_test_book(book: tuple[Path, dict[str, str | None]]) -> None:
    site, pages = book
    assert not [p.name for p in site.rglob("axe*")]  # the rules engine is the tests', never the site's
    assert {"home", "briefing", "actor", "weapon", "concern", "network", "timeline", "manual", "actor archive",
            "timeline archive"} <= set(pages)
    assert [k for k, p in pages.items() if p is None] == []


@pytest.mark.parametrize("palette", PALETTES)
def test_every_kind_of_page_passes_axe_wcag21_aa(browser: Any, book: tuple[Path, dict[str, str | None]],
                                                 palette: str) -> None:
    site, pages = book
    found: dict[str, Counter[str]] = {}
    where: list[str] = []
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block",
                                      color_scheme=palette)
        context.add_init_script(OPEN_SHADOWS)
        context.set_default_timeout(TIMEOUT)
        try:
            w = watch(context, base)
            for kind, doc in pages.items():
                assert doc is not None
                w.page.goto(base + links.page_url(doc))
                settle(w.page)
                scheme = w.page.evaluate("document.body.getAttribute('data-md-color-scheme')")
                assert scheme == ("slate" if palette == "dark" else "default"), (kind, scheme)
                violations = axe_violations(w.page)
                found[kind] = Counter({v["id"]: len(v["nodes"]) for v in violations})
                where += [f"{kind}: {v['id']}: {', '.join(v['nodes'][:12])}" for v in violations]
            w.assert_clean()
        finally:
            context.close()
    table = "\n".join(f"{palette:5} {kind:15} " + (", ".join(f"{r} {n}" for r, n in sorted(c.items())) or "none")
                      for kind, c in found.items())
    print(f"\naxe-core {'/'.join(WCAG_TAGS)}, violating elements per rule:\n{table}")
    assert where == [], "\n".join(where)


@pytest.fixture
def tab(browser: Any, book: tuple[Path, dict[str, str | None]]) -> Iterator[Any]:
    site, _ = book
    with serve(site) as base, watched_tab(browser, base, TIMEOUT, open_shadows=True) as w:
        yield w


def test_chart_says_what_it_shows_and_gives_its_counts(tab: Any) -> None:
    page = tab.page
    page.goto(tab.base + "weapons/hwasong-18/")
    img_alt = page.locator("article img[src$='hwasong-18.svg']").get_attribute("alt")
    assert img_alt == ("Bar chart of briefings per month, 2023-04 to 2023-07: 2 in all, "
                                        "most (1) in 2023-04 and 2023-07.")
    page.get_by_text("Briefings per month, as a table").click()
    rows = page.locator("article details table tr").all_inner_texts()
    assert [r.split() for r in rows] == [["Month", "Briefings"], ["2023-04", "1"], ["2023-05", "0"],
                                         ["2023-06", "0"], ["2023-07", "1"]]
    # The SVG itself is named and described too, for a reader who opens it on its own.
    title, desc = page.evaluate("""(src) => fetch(src).then(r => r.text()).then(text => {
        const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
        const named = svg.getAttribute('aria-labelledby').split(' ').map(id => svg.querySelector('#' + id).textContent);
        return named; })""", tab.base + "assets/briefing/charts/weapons/hwasong-18.svg")
    assert title == "Briefings naming Hwasong-18" and desc == img_alt
    tab.assert_clean()


def test_relationship_diagram_draws_only_true_ties_and_says_them(tab: Any) -> None:
    page = tab.page
    page.goto(tab.base + "briefings/putin-thanks-north-korea/")
    page.locator("div.mermaid svg").first.wait_for(state="attached")
    drawn = page.evaluate("""() => { const svg = document.querySelector('div.mermaid').shadowRoot.querySelector('svg');
        return {edges: Array.from(svg.querySelectorAll('path[data-id^="L_"]')).map(p => p.getAttribute('data-id')),
                labels: Array.from(svg.querySelectorAll('.edgeLabel')).map(e => e.textContent.trim()),
                nodes: svg.querySelectorAll('g.node').length,
                desc: (svg.querySelector('desc') || {}).textContent || '',
                named: [svg.getAttribute('aria-labelledby'), svg.getAttribute('aria-describedby')]}; }""")
    assert {x for x in drawn["labels"] if x} == {"operates", "part of", "raises"}
    assert 0 < drawn["nodes"] <= 12
    # Mermaid names an edge L_<from>_<to>_<n>; our ids are a0.. actors, w0.. weapons, c0.. concerns. Every
    # tie starts at an actor: it operates a weapon, is part of an actor, or raises a concern.
    assert drawn["edges"] and all(re.fullmatch(r"L_a\d+_[awc]\d+_\d+", e) for e in drawn["edges"]), drawn["edges"]
    assert all(drawn["named"]) and "North Korea operates Hwasong-18." in drawn["desc"]
    block = page.locator("article details", has_text="The diagram as text")
    block.locator("summary").click()
    ties = block.locator("li").all_inner_texts()
    assert len(ties) == len(drawn["edges"])
    assert "North Korea operates Hwasong-18." in ties and "Russia raises Arms transfers." in ties
    assert "Sergei Shoigu is part of Russia." in ties
    tab.assert_clean()


def test_bottom_line_is_body_size_and_undated_timeline_is_collapsed(tab: Any) -> None:
    page = tab.page
    page.goto(tab.base + "briefings/putin-thanks-north-korea/")
    size = "(el) => getComputedStyle(el).fontSize"
    bottom = page.locator(".admonition.abstract p:not(.admonition-title)").first.evaluate(size)
    body = page.locator("article > p").first.evaluate(size)
    assert bottom == body == "16px"
    page.goto(tab.base + "timeline/")
    undated = page.locator("article details", has_text="without a date")
    assert undated.count() == 1 and undated.get_attribute("open") is None
    link = undated.locator("a[href*='undated-claims']")
    assert not link.is_visible()
    undated.locator("summary").click()
    assert link.is_visible()
    tab.assert_clean()


def test_an_archive_page_is_reached_from_its_dossier_and_leads_back(tab: Any) -> None:
    page = tab.page
    page.goto(tab.base + "archived/actors/north-korea/")
    archive = page.locator("article h2#archive + p + ul")
    assert archive.inner_text().split("\n") == ["2023: 1 briefing", "Undated: 1 briefing"]
    archive.get_by_role("link", name="Undated").click()
    page.wait_for_url("**/archived/actors/north-korea/undated/")
    assert page.locator("article h1").inner_text().startswith("North Korea: Undated")
    # The briefing whose title carries markup is listed as text: no element made from it.
    assert page.locator("article a[href*='undated-claims']").inner_text().startswith("Claims by <img src=x")
    assert page.locator("article img").count() == 0
    page.locator("article").get_by_role("link", name="North Korea", exact=True).click()
    page.wait_for_url("**/archived/actors/north-korea/")
    tab.assert_clean()
