"""Built pages with a smaller shell: Material's templates without their indentation, and with the pieces
every page repeats (icons, scripts) moved to files every page shares.

Material writes every page with its templates' indentation: about a third of the page shell that every
page repeats (header, tabs, navigation, table of contents, footer), and more inside tables and lists.
A browser collapses that whitespace anyway, so the site drops it as each page is written: a line keeps
its text and loses the spaces before it, and runs of blank lines become one line break. Whitespace is
kept as it is inside ``<pre>`` and ``<textarea>`` (code, Mermaid sources), where it is shown.

Files of Material's that no page loads (source maps; lunr and the search worker under Pagefind) are
not copied into the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

PLUGIN_NAME = "briefing/compact-html"
THEME_DIR = Path(__file__).parent / "theme"
"""Templates over Material's own (partials/icon.html says which and why); a project's own overrides
(``custom_dir`` in mkdocs.yml) still come first."""
PALETTE_SCRIPT = "assets/briefing/js/palette.js"
"""A template of the shell's, rendered once for the site: the palette toggle's options, which every page
shared (partials/palette.html)."""
_KEPT = re.compile(r"<(pre|textarea)\b.*?</\1\s*>", re.S | re.I)
_INDENT = re.compile(r"\n\s+")


def compact(html: str) -> str:
    """``html`` with each line break's following whitespace removed, outside ``<pre>`` and ``<textarea>``."""
    out: list[str] = []
    pos = 0
    for kept in _KEPT.finditer(html):
        out.append(_INDENT.sub("\n", html[pos:kept.start()]))
        out.append(kept.group(0))
        pos = kept.end()
    out.append(_INDENT.sub("\n", html[pos:]))
    return "".join(out)


_SOURCE_MAP = ".map"
_MATERIAL_SEARCH = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


def unused_theme_file(src_uri: str, material_search: bool) -> bool:
    """A file of Material's that no page of this site loads: its source maps (read only by a browser's
    developer tools), and its search's lunr languages and worker while Material's search is off."""
    return src_uri.endswith(_SOURCE_MAP) or (not material_search and src_uri.startswith(_MATERIAL_SEARCH))


class CompactHtml(BasePlugin):
    def on_files(self, files: Any, /, *, config: Any) -> Any:
        search = config["plugins"].get("material/search") or config["plugins"].get("search")
        material_search = bool(search is not None and search.config.enabled)
        theme_dirs = tuple(map(str, config["theme"].dirs))
        for f in list(files):
            from_theme = f.abs_src_path is not None and f.abs_src_path.startswith(theme_dirs)
            if from_theme and unused_theme_file(f.src_uri, material_search):
                files.remove(f)
        return files

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        return compact(output)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: Any) -> str:
        # The 404 page and sitemap.xml, which MkDocs renders from templates rather than from pages.
        return compact(output_content)


def add_theme(cfg: Any) -> None:
    """Put the shell's templates over Material's in a loaded MkDocs config, after the project's own."""
    dirs = cfg["theme"].dirs
    dirs.insert(1 if cfg["theme"].custom_dir else 0, str(THEME_DIR))
    cfg["theme"].static_templates.add(PALETTE_SCRIPT)


def configure(cfg: Any) -> None:
    """The shell's templates, and the compaction after every other plugin's page output."""
    add_theme(cfg)
    cfg["plugins"][PLUGIN_NAME] = CompactHtml()
