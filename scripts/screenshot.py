#!/usr/bin/env python3
"""Take the README's screenshot: the seed briefing page in headless Chromium, served on 127.0.0.1.

    .venv/bin/python scripts/screenshot.py                 # generate + build content/ in a temp folder
    .venv/bin/python scripts/screenshot.py --site site     # use an already built site/
    .venv/bin/python scripts/screenshot.py --fixture       # the small test book (no extraction engine needed)

Writes docs/assets/screenshot-briefing.png (or --out). Uses Debian's Chromium at /usr/bin/chromium;
never downloads a browser. The site is served on 127.0.0.1 and any request to another host is
blocked, so the picture shows exactly what an offline reader sees.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import logging
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGE = "briefings/putin-thanks-north-korea/"
log = logging.getLogger("screenshot")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def build_sample(work: Path) -> Path:
    """Generate and build the repository's content/ in ``work`` with the real pipeline."""
    from generator.config import load_settings
    from generator.pipeline import generate, mkdocs_build

    shutil.copy(ROOT / "mkdocs.yml", work / "mkdocs.yml")
    shutil.copytree(ROOT / "content", work / "content")
    settings = load_settings(work)
    report = generate(settings)
    log.info("%s", report.summary())
    mkdocs_build(settings, strict=True)
    return settings.site_path


def build_fixture(work: Path) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from sitefixture import mkdocs_build, write_project

    return mkdocs_build(write_project(work / "book"))


def shoot(site: Path, out: Path, page: str, width: int, height: int) -> None:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1,
                                          color_scheme="light", service_workers="block")
            context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                          else route.abort())
            tab = context.new_page()
            tab.goto(base + page)
            if tab.locator("pre.mermaid, div.mermaid").count():
                tab.wait_for_function("() => !document.querySelector('pre.mermaid')")  # diagram drawn
            tab.wait_for_load_state("networkidle")
            out.parent.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(out), full_page=False)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--site", type=Path, help="an already built site folder to serve")
    src.add_argument("--fixture", action="store_true", help="build the small test book instead of content/")
    ap.add_argument("--page", default=PAGE, help=f"page to shoot, relative to the site root (default {PAGE})")
    ap.add_argument("--out", type=Path, default=ROOT / "docs/assets/screenshot-briefing.png")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1100)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    if not Path(CHROMIUM).exists():
        log.error("needs Debian's Chromium: apt-get install chromium chromium-driver")
        return 2
    with tempfile.TemporaryDirectory(prefix="briefing-shot-") as tmp:
        site = args.site or (build_fixture(Path(tmp)) if args.fixture else build_sample(Path(tmp)))
        shoot(site, args.out, args.page, args.width, args.height)
    log.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
