"""Serving a built site on 127.0.0.1 and driving Debian's headless Chromium at it (Playwright).

Every page opened through :class:`Watched` records each request, console error, page error and
dialog, so a test can assert that nothing left 127.0.0.1, nothing failed and no script ran from
article text.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Material draws Mermaid diagrams into a closed shadow root; opening it lets the test see the SVG.
OPEN_SHADOWS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, Object.assign({}, init, {mode: "open"})); };
"""


def need_chromium() -> None:
    if not os.path.exists(CHROMIUM):
        pytest.skip("needs Debian's Chromium: apt-get install chromium chromium-driver")
    pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' installs playwright")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_handler(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run ``handler`` on 127.0.0.1 (a free port) for the duration; yields the base URL (ending in /)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # shutdown() waits for the loop to look at its flag, every poll_interval (0.5 s unless told).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve the files of ``root`` on 127.0.0.1 for the duration; yields the base URL."""
    with serve_handler(functools.partial(_Quiet, directory=str(root))) as base:
        yield base


@dataclass
class Watched:
    page: Any
    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def outside(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base) and not u.startswith("data:")
                and not u.startswith("blob:")]

    def assert_clean(self) -> None:
        assert self.outside() == [], f"requests left 127.0.0.1: {self.outside()}"
        assert self.errors == [], f"console or page errors: {self.errors}"
        assert self.dialogs == [], f"a script opened dialogs: {self.dialogs}"


def watch(context: Any, base: str) -> Watched:
    page = context.new_page()
    w = Watched(page, base)
    page.on("request", lambda r: w.requests.append(r.url))
    page.on("console", lambda m: w.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))

    def on_dialog(d: Any) -> None:
        w.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    return w


@contextmanager
def watched_tab(browser: Any, base: str, timeout_ms: int, open_shadows: bool = False) -> Iterator[Watched]:
    """A watched page in a fresh browser context (desktop viewport, no service workers), closed after."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    if open_shadows:
        context.add_init_script(OPEN_SHADOWS)
    context.set_default_timeout(timeout_ms)
    try:
        yield watch(context, base)
    finally:
        context.close()
