"""Every kind of page of the built book under axe-core's WCAG 2.0/2.1 A and AA rules, in both palettes.

The kinds come from the site's own list (``Corpus.example_pages``), so a kind of page added to the
site is checked here without a change to this file. axe-core is vendored under tests/vendor (never
shipped in the site) and injected into each page once the page has drawn its graphics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import ARGS, CHROMIUM, OPEN_SHADOWS, need_chromium, serve, watch
from sitefixture import fixture_corpus, mkdocs_build, write_project

from generator import links

pytestmark = pytest.mark.browser
TIMEOUT = 30_000  # ms; generous for shared 2-core machines, not a speed assertion
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PALETTES = ("light", "dark")  # mkdocs.yml follows the reader's colour scheme: default and slate


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str | None]]:
    need_chromium()
    corpus = fixture_corpus()
    site = mkdocs_build(write_project(tmp_path_factory.mktemp("book"), corpus))
    return site, corpus.example_pages()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


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
    _, pages = book
    assert {"home", "briefing", "actor", "weapon", "concern", "network", "timeline", "manual"} <= set(pages)
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
