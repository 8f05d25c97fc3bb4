"""A copy of the site that a browser opens from the file system (``briefing build --offline``).

The published site links to folders (``briefings/x/``), as a web server expects; opened as a file, such
a link shows a directory listing. The offline copy is a second MkDocs build of the same docs/ into its
own folder (setting ``offline_dir``) in which every link to a folder names its ``index.html``; the
published site and its URLs stay as they are. Material's search, opened from a file, reads
``search/search_index.js`` instead of fetching the JSON index, and starts its worker through the
vendored iframe-worker shim, since a browser starts no Worker from a file. The JSON a page fetches (the
network's data) ships as a script too, which assets/briefing/js/offline-fetch.js answers the fetch
from. Pagefind fetches its index as a browser will not from a file, so with ``search: pagefind`` the
offline copy's search box says that search needs a served site. The copy is always built with MkDocs.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from generator import links, linkscan, search
from generator.config import Settings

SHIM = f"{links.ASSETS}/vendor/iframe-worker/shim.js"
FETCH = f"{links.ASSETS}/js/offline-fetch.js"
INDEX_JSON = "search/search_index.json"
INDEX_JS = "search/search_index.js"
# A relative URL in an attribute MkDocs, Material or the generator wrote: path, then query or fragment.
_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"#?]*)([^"]*)"')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def build(settings: Settings, strict: bool = False) -> Path:
    """Build docs/ into the offline folder with MkDocs; returns that folder."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator import pageshell  # imports MkDocs, as the two lines above

    site = settings.offline_path.resolve()
    cfg = load_config(str(settings.root / "mkdocs.yml"), strict=strict, site_dir=str(site))
    search.configure(cfg, settings.search)
    pageshell.configure(cfg, minify=False)
    cfg["markdown_extensions"].append(linkscan.FastBrackets())  # as in sitebuild.build: the same HTML, sooner
    # Material's base template loads extra.polyfills before its own scripts.
    cfg["extra"]["polyfills"] = [*(cfg["extra"].get("polyfills") or []), SHIM, FETCH]
    mkdocs_build(cfg)
    link_index_files(site)
    inline_search_index(site)
    inline_fetched_data(site)
    return site


def file_url(href: str) -> str:
    """``briefings/x/#a`` -> ``briefings/x/index.html#a``: a folder link made one a file browser follows."""
    path, rest = re.match(r"([^#?]*)(.*)", href, re.S).groups()  # type: ignore[union-attr]
    if _SCHEME.match(path) or path.startswith("/"):
        return href
    if path == "" and rest.startswith("#"):
        return href  # a link within the page
    if path in ("", ".", "..") or path.endswith(("/", "/.", "/..")):
        return posixpath.join(path, "index.html") + rest if path else "index.html" + rest
    return href


def link_index_files(site: Path) -> int:
    """Point every relative link to a folder of ``site`` at the folder's index.html; returns the pages changed."""
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    # Resolved against this set, not the disk: a large site has millions of links.
    indexes = {p for p in pages if p == "index.html" or p.endswith("/index.html")}
    changed = 0
    for rel in pages:
        here = posixpath.dirname(rel)
        page = site / rel
        text = page.read_text(encoding="utf-8")

        def fix(m: re.Match[str], here: str = here) -> str:
            path = m.group(2)
            target = file_url(path)
            # Only links to a folder the site holds an index.html for: anything else stays as written.
            if target == path or posixpath.normpath(posixpath.join(here, target)) not in indexes:
                return m.group(0)
            return f'{m.group(1)}{target}{m.group(3)}"'

        new = _URL_ATTR.sub(fix, text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def inline_search_index(site: Path) -> None:
    """Write Material's search index as a script, with each location naming its page's index.html."""
    source = site / INDEX_JSON
    if not source.is_file():
        return  # Pagefind, or the search plugin off
    index = json.loads(source.read_text(encoding="utf-8"))
    for doc in index.get("docs", []):
        doc["location"] = file_url(doc["location"])
    data = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    (site / INDEX_JS).write_text(f"var __index = {data}", encoding="utf-8")


_DATA_SRC = re.compile(r'\sdata-src="([^"#?]+\.json)"')


def inline_fetched_data(site: Path) -> list[str]:
    """Write each JSON file a page names in ``data-src`` as a script beside it (``X.json.js``).

    The script files the data under its own URL for offline-fetch.js; each ``url`` in it that links to
    a folder names the folder's index.html, as the pages' links do. Returns the files written.
    """
    wanted: set[Path] = set()
    for page in site.rglob("*.html"):
        for src in _DATA_SRC.findall(page.read_text(encoding="utf-8")):
            target = (page.parent / src).resolve()
            if target.is_file() and target.is_relative_to(site.resolve()):
                wanted.add(target)
    written = []
    for target in sorted(wanted):
        data = _file_urls(json.loads(target.read_text(encoding="utf-8")))
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        script = target.with_name(target.name + ".js")
        script.write_text("(window.__briefingOffline = window.__briefingOffline || {})"
                          f"[document.currentScript.src.replace(/\\.js$/, \"\")] = {body};\n", encoding="utf-8")
        written.append(script.relative_to(site.resolve()).as_posix())
    return written


def _file_urls(value: object) -> object:
    if isinstance(value, dict):
        return {k: file_url(v) if k == "url" and isinstance(v, str) else _file_urls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_file_urls(v) for v in value]
    return value
