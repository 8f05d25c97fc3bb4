"""Opening the site as a new reader does: from the file system, and through ``briefing serve``.

A project of the test book's articles is built with the real command (``briefing build --strict
--offline``); its offline copy is opened from file:// in Debian's headless Chromium, and so is the
published copy, which must say how to open it instead. ``briefing serve`` runs as a subprocess and is
browsed at the URL it prints.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import need_chromium
from sitefixture import ROOT, SITE, write_project

from generator import offline, search
from generator.config import Settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT = 30_000  # ms; generous for shared 2-core machines, not a speed assertion
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}


def _project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs" / "manual", root / "docs" / "manual")
    shutil.copytree(SITE / "content", root / "content")
    # Material's search is the one that works from files, in the offline copy.
    (root / "briefing.yml").write_text("search: material\n", encoding="utf-8")
    return root


def _briefing(*args: str, root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args, "--root", str(root)], env=ENV,
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    need_chromium()
    root = _project(tmp_path_factory.mktemp("book"))
    run = _briefing("build", "--strict", "--offline", root=root)
    assert run.returncode == 0, run.stderr
    return root, run.stderr


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(TIMEOUT)
    tab = context.new_page()
    tab.errors = []
    tab.requests = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("request", lambda r: tab.requests.append(r.url))
    try:
        yield tab
    finally:
        context.close()


def _h1(page: Any) -> str:
    return str(page.locator("h1").first.inner_text()).rstrip("¶").strip()


def test_build_names_the_offline_copy_to_open(built: tuple[Path, str]) -> None:
    root, stderr = built
    index = root / "site-offline" / "index.html"
    assert f"offline copy built: open {index.resolve()}" in stderr
    assert index.is_file()


def test_the_published_site_keeps_its_folder_urls(built: tuple[Path, str]) -> None:
    root, _ = built
    html = (root / "site" / "briefings" / "iskander-drills" / "index.html").read_text(encoding="utf-8")
    assert "href=../../weapons/iskander/>" in html  # minified: the attribute needs no quotes
    assert not re.search(r"href=[^ >]*index\.html", html)
    assert not (root / "site" / "search" / "search_index.js").exists()


def test_offline_copy_is_browsed_and_searched_from_files(built: tuple[Path, str], page: Any) -> None:
    root, _ = built
    home = (root / "site-offline" / "index.html").resolve().as_uri()
    page.goto(home)
    page.locator(".md-content a[href*='iskander-drills']").first.click()
    page.wait_for_url("**/briefings/iskander-drills/index.html")
    assert "Iskander" in _h1(page)
    page.locator(".md-content a[href*='weapons/iskander/']").first.click()
    page.wait_for_url("**/weapons/iskander/index.html")
    assert "Iskander" in _h1(page)
    # Search from a file: the index comes as a script, the worker through the iframe-worker shim.
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Shoigu", delay=20)  # Material searches on key events, not on fill()
    hit = page.locator(".md-search-result__item a[href*='sergei-shoigu']").first
    hit.wait_for(state="visible")
    hit.click()
    page.wait_for_url("**/actors/sergei-shoigu/index.html*")
    assert "Shoigu" in _h1(page)
    assert page.locator(".briefing-file-notice").count() == 0
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file://")] == []


def test_offline_network_draws_from_files_and_a_node_opens_its_page(built: tuple[Path, str], page: Any) -> None:
    root, _ = built
    page.goto((root / "site-offline" / "network" / "index.html").resolve().as_uri())
    net = page.locator("#briefing-network[data-nodes]")
    net.wait_for(state="attached")
    assert int(net.get_attribute("data-nodes") or 0) > 0
    # The data came from data/network.json.js, with each node's page named as a file.
    url = page.evaluate("""() => { const n = window.briefingNetwork.nodes().filter(n => n.data('kind') === 'weapon')[0];
        n.emit('tap'); return n.data('url'); }""")
    assert url.endswith("/index.html")
    page.wait_for_url("**/" + url)
    assert _h1(page)
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith("file://")] == []


def test_published_copy_opened_as_a_file_says_how_to_open_it(built: tuple[Path, str], page: Any) -> None:
    root, _ = built
    page.goto((root / "site" / "index.html").resolve().as_uri())
    note = str(page.locator(".briefing-file-notice").inner_text())
    assert "briefing serve" in note and "briefing build --offline" in note and "site-offline/index.html" in note
    box = page.locator("input.md-search__input")
    assert box.get_attribute("placeholder") == "Search needs a served site" and box.is_disabled()


def test_offline_copy_with_pagefind_says_search_needs_a_served_site(tmp_path: Path, page: Any) -> None:
    need_chromium()
    root = write_project(tmp_path / "book")
    for rel, text in search.asset_pages("pagefind").items():
        (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    folder = offline.build(Settings(root=root, search="pagefind"), strict=True)
    page.goto((folder / "index.html").as_uri())
    assert str(page.locator("#briefing-search").inner_text()) == "Search needs a served site: run briefing serve"
    assert page.errors == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_prints_the_url_it_answers_at(built: tuple[Path, str], page: Any, tmp_path: Path) -> None:
    root, _ = built
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--root", str(root),
                                 "--dev-addr", f"127.0.0.1:{port}"], env=ENV, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while f"Serving on {url}" not in log.read_text(encoding="utf-8"):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.2)
        assert f"serving the site at {url} (Ctrl+C stops)" in log.read_text(encoding="utf-8")
        with urllib.request.urlopen(url + "briefings/iskander-drills/") as deep:  # a deep link, straight in
            assert deep.status == 200
        page.goto(url)
        assert page.url == url  # no redirect to a prefix
        page.locator(".md-content a[href*='iskander-drills']").first.click()
        page.wait_for_url(url + "briefings/iskander-drills/")
        assert "Iskander" in _h1(page)
        assert page.locator(".briefing-file-notice").count() == 0
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert "WARNING" not in log.read_text(encoding="utf-8")
