"""The search index in shards, searched in Debian's headless Chromium with Pagefind's own script.

Every shard answers for its pages; after an article is added and another deleted, the build indexes
again only the shards whose pages changed, and the updated index finds what a full build's index
finds: the added briefing, and no longer the deleted one.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from browserkit import serve, watched_tab
from test_site_incremental import DELETED, HELD_BACK, ROOT, _full_copy

from generator import search, sitebuild
from generator.config import Settings, load_settings
from generator.pipeline import generate

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 60_000  # ms; a wait on a shared machine, not a speed limit
# Small shards, so that the test book's few dozen pages fill several.
PAGES_PER_SHARD = 8
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")

# Loads the primary bundle's pagefind.js, merges the others as the site's loader does, and answers
# with the URL of every result of a query (not only the first page of them the UI shows).
_SEARCH = """async ([bundles, base, queries]) => {
  const pf = await import(bundles[0] + "pagefind.js");
  await pf.options({ baseUrl: base });
  for (const b of bundles.slice(1)) await pf.mergeIndex(b, { baseUrl: base });
  const out = {};
  for (const q of queries) {
    const found = await pf.search(q);
    out[q] = (await Promise.all(found.results.map((r) => r.data()))).map((d) => d.url);
  }
  return out;
}"""


def _title(page: Path) -> str:
    m = _H1.search(page.read_text(encoding="utf-8"))
    assert m, page
    return html.unescape(_TAG.sub("", m.group(1))).replace("¶", "").strip()


def _found(browser: Any, site: Path, queries: list[str]) -> dict[str, set[str]]:
    """The pages (paths from the site root) each query finds in the site's sharded index."""
    bundles = json.loads((site / search.BUNDLE / search.MANIFEST).read_text(encoding="utf-8"))["bundles"]
    with serve(site) as base, watched_tab(browser, base, TIMEOUT) as tab:
        tab.page.goto(base)
        got = tab.page.evaluate(_SEARCH, [[f"/{search.BUNDLE}/{b}/" for b in bundles], "/", queries])
        tab.assert_clean()
    return {q: {u.lstrip("/") for u in urls} for q, urls in got.items()}


def _probes(site: Path) -> dict[str, str]:
    """For each shard, one of its briefings or dossiers: shard -> page folder."""
    pages = search.indexed_pages(site)
    bits = search.shard_bits(sum(search.shard_of(r, 0) != search.LISTS for r in pages))
    probes: dict[str, str] = {}
    for rel in pages:
        if rel.count("/") == 2 and "md-content__inner" in (site / rel).read_text(encoding="utf-8"):
            probes.setdefault(search.shard_of(rel, bits), rel.removesuffix("index.html"))
    return probes


def _entry_files(site: Path) -> dict[str, tuple[int, int]]:
    """Each shard's entry file, by (inode, mtime): a shard indexed again has a new one."""
    out = {}
    for p in (site / search.BUNDLE).glob("*/pagefind-entry.json"):
        st = p.stat()
        out[p.parent.name] = (st.st_ino, st.st_mtime_ns)
    return out


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setattr(search, "PAGES_PER_SHARD", PAGES_PER_SHARD)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns(HELD_BACK))
    shutil.copytree(ROOT / "docs" / "manual", tmp_path / "docs" / "manual")
    return replace(load_settings(tmp_path), search="pagefind")


def test_each_shard_answers_and_an_update_finds_what_a_full_build_finds(book: Settings, browser: Any) -> None:
    generate(book)
    assert sitebuild.build(book, strict=True).full
    site = book.site_path
    probes = _probes(site)
    assert len(probes) >= 4, f"the test book fills several shards: {sorted(probes)}"
    titles = {_title(site / folder / "index.html"): folder for folder in probes.values()}
    found = _found(browser, site, list(titles))
    assert {t: f for t, f in titles.items() if f not in found[t]} == {}, "a page its own title does not find"

    deleted = f"briefings/{DELETED.removesuffix('.md')}/"
    added = f"briefings/{HELD_BACK.removesuffix('.md')}/"
    deleted_title = _title(site / deleted / "index.html")
    before = _entry_files(site)
    shutil.copy(ROOT / "content" / HELD_BACK, book.content_path / HELD_BACK)
    (book.content_path / DELETED).unlink()
    generate(book)
    run = sitebuild.build(book, strict=True)
    assert not run.full
    after = _entry_files(site)
    indexed = sorted(n for n in after if before.get(n) != after[n])
    assert 0 < len(indexed) < len(after), f"shards indexed again: {indexed} of {sorted(after)}"

    added_title = _title(site / added / "index.html")
    queries = [added_title, deleted_title, *titles]
    updated = _found(browser, site, queries)
    assert added in updated[added_title]
    assert deleted not in updated[deleted_title], "the deleted briefing is no longer found"
    assert updated == _found(browser, _full_copy(book), queries), "the full build's index finds the same pages"
