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
from browserkit import need_chromium, serve, watched_tab
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


def _material_results(browser: Any, base: str, query: str) -> list[str]:
    """The result pages, in order, that Material's search box lists for ``query`` (paths from the base)."""
    with watched_tab(browser, base, TIMEOUT) as tab:
        page = tab.page
        page.goto(base)
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially(query, delay=20)  # Material searches on key events, not on fill()
        # The count line says "No matching documents" or "N matching documents" once the query is answered.
        page.locator(".md-search-result__meta", has_text="matching").wait_for(state="visible")
        # One item per page; its first link is the page itself, the others its sections.
        hrefs = page.eval_on_selector_all(
            ".md-search-result__item", "els => els.map(e => e.querySelector('a').href)")
        tab.assert_clean()
        return [h.removeprefix(base).split("#")[0].split("?")[0] for h in hrefs]


def _pagefind_results(browser: Any, base: str, query: str) -> list[str]:
    """The result pages, in order, that the Pagefind box lists for ``query``."""
    with watched_tab(browser, base, TIMEOUT) as tab:
        page = tab.page
        page.goto(base)
        page.locator("input.pagefind-ui__search-input").fill(query)
        page.locator(".pagefind-ui__result").first.wait_for(state="visible")
        # A result shows before its page's fragment has loaded, and only then holds its link.
        page.wait_for_function("() => { const n = document.querySelectorAll('.pagefind-ui__result').length; return"
                               " n > 0 && document.querySelectorAll('.pagefind-ui__result-link').length === n; }")
        hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
        tab.assert_clean()
        return [h.removeprefix(base).split("#")[0].split("?")[0] for h in hrefs]


def test_every_dossier_is_among_the_first_results_for_its_name(browser: Any, material: str) -> None:
    missed = {}
    for name, folder in DOSSIERS:
        found = _material_results(browser, material, _typed(name))
        if folder not in found[:TOP]:
            missed[name] = found
    assert missed == {}


def test_a_weapon_family_name_finds_its_dossiers_first(browser: Any, material: str) -> None:
    found = _material_results(browser, material, "Hwasong")
    assert "weapons/hwasong-18/" in found[:TOP] and "weapons/hwasong-17/" in found[:TOP], found


def test_pagefind_also_puts_every_dossier_among_the_first_results(browser: Any, pagefind: str) -> None:
    missed = {}
    for name, folder in [*DOSSIERS, ("Hwasong", "weapons/hwasong-18/")]:
        found = _pagefind_results(browser, pagefind, name)  # Pagefind has no query operators
        if folder not in found[:TOP]:
            missed[name] = found
    assert missed == {}
