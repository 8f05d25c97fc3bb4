"""Search ranking in a real browser: an entity's own page comes before the briefings that name it.

The test book (tests/fixtures/site) is built once with each search engine, served on 127.0.0.1 and
searched in Debian's headless Chromium by typing into the site's own search box.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import Watched, need_chromium, serve, watched_tab
from sitefixture import fixture_corpus, write_project

from generator import links, search

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 30_000  # ms; generous for shared 2-core machines, not a speed assertion
TOP = 3


def _dossiers() -> list[tuple[str, str]]:
    """(name, page folder) of every dossier of the test book."""
    corpus = fixture_corpus()
    return sorted((e.name, links.entity_path(e.kind, e.id).removesuffix(".md") + "/")
                  for e in corpus.entities.values())


DOSSIERS = _dossiers()


def _typed(name: str) -> str:
    """What a reader types for ``name``: the test book's hostile name is markup, and Material reads ':' and
    a leading '-' or '+' in a query as operators, so its words are typed instead."""
    return " ".join(re.findall(r"\w+", name)) if re.search(r"[<>:\"]", name) else name


def _build(root: Path, engine: str) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    write_project(root)
    for rel, text in search.asset_pages(engine).items():
        (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    cfg = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site"))
    search.configure(cfg, engine)
    build(cfg)
    if engine == "pagefind":
        search.build_index(root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    with serve(_build(tmp_path_factory.mktemp("material"), "material")) as url:
        yield url


@pytest.fixture(scope="module")
def pagefind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_chromium()
    with serve(_build(tmp_path_factory.mktemp("pagefind"), "pagefind")) as url:
        yield url


@pytest.fixture
def material_tab(browser: Any, material: str) -> Iterator[Watched]:
    """The home page of the Material-search book, opened once for every query of a test."""
    with watched_tab(browser, material, TIMEOUT) as tab:
        tab.page.goto(material)
        yield tab


@pytest.fixture
def pagefind_tab(browser: Any, pagefind: str) -> Iterator[Watched]:
    with watched_tab(browser, pagefind, TIMEOUT) as tab:
        tab.page.goto(pagefind)
        yield tab


def _material_results(tab: Watched, query: str) -> list[str]:
    """The result pages, in order, that Material's search box lists for ``query`` (paths from the base)."""
    page, meta = tab.page, tab.page.locator(".md-search-result__meta")
    box = page.locator("input.md-search__input")
    box.click()
    # Material reads the box on key events, not on fill(): a key that leaves the text as it is sends the
    # whole query at once, so no answer to a part of it can be taken for the answer to all of it.
    # Emptied first, the box shows no count until the new query is answered.
    box.fill("")
    box.press("End")
    meta.filter(has_text="matching").wait_for(state="detached")
    box.fill(query)
    box.press("End")
    # The count line says "No matching documents" or "N matching documents" once the query is answered.
    meta.filter(has_text="matching").wait_for(state="visible")
    # One item per page; its first link is the page itself, the others its sections.
    hrefs = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.querySelector('a').href)")
    tab.assert_clean()
    return [h.removeprefix(tab.base).split("#")[0].split("?")[0] for h in hrefs]


def _pagefind_results(tab: Watched, query: str) -> list[str]:
    """The result pages, in order, that the Pagefind box lists for ``query``."""
    page = tab.page
    box = page.locator("input.pagefind-ui__search-input")
    # Emptied first, the box lists nothing; then every result listed answers the new query.
    box.fill("")
    page.locator(".pagefind-ui__result").first.wait_for(state="detached")
    box.fill(query)
    page.locator(".pagefind-ui__result").first.wait_for(state="visible")
    # A result shows before its page's fragment has loaded, and only then holds its link.
    page.wait_for_function("() => { const n = document.querySelectorAll('.pagefind-ui__result').length; return"
                           " n > 0 && document.querySelectorAll('.pagefind-ui__result-link').length === n; }")
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    tab.assert_clean()
    return [h.removeprefix(tab.base).split("#")[0].split("?")[0] for h in hrefs]


def test_every_dossier_is_among_the_first_results_for_its_name(material_tab: Watched) -> None:
    missed = {}
    for name, folder in DOSSIERS:
        found = _material_results(material_tab, _typed(name))
        if folder not in found[:TOP]:
            missed[name] = found
    assert missed == {}


def test_a_weapon_family_name_finds_its_dossiers_first(material_tab: Watched) -> None:
    found = _material_results(material_tab, "Hwasong")
    assert "weapons/hwasong-18/" in found[:TOP] and "weapons/hwasong-17/" in found[:TOP], found


def test_pagefind_also_puts_every_dossier_among_the_first_results(pagefind_tab: Watched) -> None:
    missed = {}
    for name, folder in [*DOSSIERS, ("Hwasong", "weapons/hwasong-18/")]:
        found = _pagefind_results(pagefind_tab, name)  # Pagefind has no query operators
        if folder not in found[:TOP]:
            missed[name] = found
    assert missed == {}
