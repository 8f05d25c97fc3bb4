"""Built pages with a smaller shell: Material's templates minified, and with the pieces every page
repeats (icons, scripts) moved to files every page shares.

Material writes every page with its templates' indentation, quoted attributes and closing tags that
HTML lets a page leave out: about a tenth of a briefing page. minify-html removes them as each page is
written, as a browser would read the page anyway; it keeps ``<pre>`` and ``<textarea>`` exactly (code,
Mermaid sources) and never turns escaped text into markup.

Files of Material's that no page loads (source maps; lunr and the search worker under Pagefind) are
not copied into the site.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import minify_html
from mkdocs.plugins import BasePlugin

PLUGIN_NAME = "briefing/compact-html"
THEME_DIR = Path(__file__).parent / "theme"
"""Templates over Material's own (partials/icon.html says which and why); a project's own overrides
(``custom_dir`` in mkdocs.yml) still come first."""
PALETTE_SCRIPT = "assets/briefing/js/palette.js"
"""A template of the shell's, rendered once for the site: the palette toggle's options, which every page
shared (partials/palette.html)."""
_INDENT = re.compile(r"\n\s+")


def minified(html: str) -> str:
    """``html`` as a browser reads it, in fewer bytes: spec-compliant minification, inline scripts and
    styles left as they are, and ``type="text"`` kept on inputs (stylesheets may select by it)."""
    return minify_html.minify(html, keep_input_type_text_attr=True)


def unindented(text: str) -> str:
    """``text`` with each line break's following indentation removed: for the theme's templates that
    are not HTML (sitemap.xml, the palette script), which an HTML minifier must not read."""
    return _INDENT.sub("\n", text)


_SOURCE_MAP = ".map"
_MATERIAL_SEARCH = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


def unused_theme_file(src_uri: str, material_search: bool) -> bool:
    """A file of Material's that no page of this site loads: its source maps (read only by a browser's
    developer tools), and its search's lunr languages and worker while Material's search is off."""
    return src_uri.endswith(_SOURCE_MAP) or (not material_search and src_uri.startswith(_MATERIAL_SEARCH))


class CompactHtml(BasePlugin):
    def __init__(self, minify: bool = True) -> None:
        super().__init__()
        self.minify = minify

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
        return minified(output) if self.minify else output

    def on_post_template(self, output_content: str, /, *, template_name: str, config: Any) -> str:
        # The 404 page, sitemap.xml and the palette script, which MkDocs renders from templates.
        if template_name.endswith(".html"):
            return minified(output_content) if self.minify else output_content
        return unindented(output_content)


def add_theme(cfg: Any) -> None:
    """Put the shell's templates over Material's in a loaded MkDocs config, after the project's own."""
    dirs = cfg["theme"].dirs
    dirs.insert(1 if cfg["theme"].custom_dir else 0, str(THEME_DIR))
    cfg["theme"].static_templates.add(PALETTE_SCRIPT)


def configure(cfg: Any, minify: bool = True) -> None:
    """The shell's templates, and the minification after every other plugin's page output (``minify``:
    False for the offline copy, whose links are rewritten in the built pages' quoted attributes)."""
    add_theme(cfg)
    cfg["plugins"][PLUGIN_NAME] = CompactHtml(minify)
