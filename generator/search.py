"""Site search: Material's built-in lunr search, or Pagefind for large sites (setting ``search``).

Material's search ships one JSON index of every page and builds a lunr index from it in the
browser before it can answer, which grows with the site (bench/RESULTS.md has the figures).
Pagefind indexes the built HTML after ``mkdocs build`` into small chunks and fetches only those a
query needs, so its first answer takes about as long at any size. It costs an indexing step
after the build and one binary, shipped inside the ``pagefind-bin`` wheel (nothing downloads at run
time), and the site then needs an HTTP server for search (as Material's search does too).

With ``search: pagefind``: Material's search plugin is switched off for the build (its box and its
index go), the generator writes a small loader script and style sheet into docs/, and the loader
mounts Pagefind's own UI in Material's header. Everything is served from the site itself.
"""

from __future__ import annotations

import logging
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("briefing")

ENGINES = ("material", "pagefind")
ASSET_DIR = "assets/briefing-search"
"""Folder in docs/ that the generator owns for the Pagefind loader."""

ASSETS = Path(__file__).parent / "assets" / "search"
LOADER = f"{ASSET_DIR}/pagefind-loader.js"
STYLE = f"{ASSET_DIR}/pagefind.css"
BUNDLE = "pagefind"
ROOT_SELECTOR = "article.md-content__inner"
"""Index the article only: the navigation Material repeats on every page would match every query."""
EXCLUDE = ".headerlink"
"""The permalink mark after each heading ("¶") would end every result title."""
PAGES = "<*/:0,2>index.html"
"""The pages to index: the home page and pages one or two folders down. A dossier's archive pages
(``actors/iraq/2021/``, three down) list briefings with the sentences that name the entity, which search
finds on the briefings themselves; indexed, they would only repeat those results. The 404 page goes too."""


class SearchError(RuntimeError):
    pass


def asset_pages(engine: str) -> dict[str, str]:
    """The files the generator writes into docs/ for this search engine."""
    if engine != "pagefind":
        return {}
    return {LOADER: (ASSETS / "pagefind-loader.js").read_text(encoding="utf-8"),
            STYLE: (ASSETS / "pagefind.css").read_text(encoding="utf-8")}


def configure(cfg: Any, engine: str) -> None:
    """Adjust a loaded MkDocs config for the engine (Material's search is already on by default)."""
    if engine != "pagefind":
        return
    plugin = cfg["plugins"].get("material/search") or cfg["plugins"].get("search")
    if plugin is not None:
        # Material's header shows its search box only while the plugin is enabled, and a disabled
        # plugin writes no search_index.json: both are what Pagefind replaces.
        plugin.config.enabled = False
    cfg["extra_javascript"].append(LOADER)
    cfg["extra_css"].append(STYLE)


def pagefind_executable() -> Path:
    try:
        import pagefind_bin
    except ImportError as exc:
        raise SearchError("setting 'search: pagefind' needs the pagefind-bin package; "
                          "install it with: pip install 'pagefind-bin>=1.5,<2'") from exc
    return Path(pagefind_bin.get_executable())


@dataclass(frozen=True)
class IndexReport:
    pages: int
    files: int
    bytes: int
    seconds: float


def build_index(site: Path) -> IndexReport:
    """Run Pagefind over the built site; the bundle goes to ``site/pagefind/``."""
    started = time.perf_counter()
    cmd = [str(pagefind_executable()), "--site", str(site), "--output-subdir", BUNDLE,
           "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDE, "--glob", PAGES, "--force-language", "en"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SearchError(f"pagefind failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    pages = 0
    for line in proc.stdout.splitlines():
        log.debug("pagefind: %s", line)
        if "Indexed" in line and "page" in line:
            digits = "".join(c for c in line.split("page")[0] if c.isdigit())
            pages = int(digits) if digits else pages
    bundle = site / BUNDLE
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return IndexReport(pages, len(files), sum(p.stat().st_size for p in files), time.perf_counter() - started)
