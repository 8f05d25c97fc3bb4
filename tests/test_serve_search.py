"""``briefing serve`` previews the built site with its Pagefind search, and live-reloads an edited page.

Runs the real command on 127.0.0.1 and drives Debian's headless Chromium against it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browserkit import ARGS, CHROMIUM, need_chromium

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ROOT = Path(__file__).resolve().parent.parent
WAIT_MS = 90_000  # a wait for an answer on a shared machine, not a limit on its speed
# A word no article uses, written into a manual page while the preview runs.
NEW_WORD = "Quillhaven"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    need_chromium()
    root = tmp_path_factory.mktemp("book")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "docs" / "manual", root / "docs" / "manual")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = (root / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--root", str(root),
                             "--dev-addr", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + 600
        while True:
            assert proc.poll() is None, (root / "serve.log").read_text(encoding="utf-8")
            try:
                with urllib.request.urlopen(url + "pagefind/pagefind-ui.js", timeout=5):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the preview never answered"
                time.sleep(1)
        yield url, root
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_preview_searches_and_reloads_an_edited_page(preview: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    url, root = preview
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, wait_until="load")
            page.fill("input.pagefind-ui__search-input", "Raqqah")
            page.wait_for_selector(".pagefind-ui__result", timeout=WAIT_MS)
            hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
            # Briefings, or the story pages that gather them (ranked with the dossiers).
            assert any(h.startswith((url + "briefings/", url + "stories/")) for h in hrefs), hrefs

            page.goto(url + "manual/", wait_until="load")
            manual = root / "docs" / "manual" / "index.md"
            manual.write_text(manual.read_text(encoding="utf-8") + f"\n\nThe {NEW_WORD} note.\n", encoding="utf-8")
            # Live reload: the open page shows the edit without being navigated again.
            page.wait_for_selector(f"text={NEW_WORD}", timeout=WAIT_MS)
            page.goto(url, wait_until="load")
            page.fill("input.pagefind-ui__search-input", NEW_WORD)
            page.wait_for_selector(".pagefind-ui__result", timeout=WAIT_MS)
            hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
            assert hrefs == [url + "manual/"]
        finally:
            browser.close()
