"""Built pages lose their templates' indentation and nothing a reader sees: text, code and diagrams stay."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitefixture import mkdocs_build, write_project

from generator import sitebuild
from generator.config import load_settings
from generator.pageshell import compact

PRE = re.compile(r"<(pre|textarea)\b.*?</\1\s*>", re.S | re.I)


def test_compact_drops_indentation_and_blank_lines_outside_pre() -> None:
    html = "<ul>\n    <li>\n      <a href=\"#a\">One</a>\n    </li>\n\n\n  </ul>\n"
    assert compact(html) == "<ul>\n<li>\n<a href=\"#a\">One</a>\n</li>\n</ul>\n"


def test_compact_keeps_pre_and_textarea_exactly() -> None:
    code = "<pre class=\"mermaid\"><code>graph LR\n    a --> b\n\n    b --> c\n</code></pre>"
    area = "<TEXTAREA>\n  kept\n</TEXTAREA>"
    html = f"<div>\n  {code}\n  <p>\n    text\n  </p>\n  {area}\n</div>"
    assert compact(html) == f"<div>\n{code}\n<p>\ntext\n</p>\n{area}\n</div>"


class _Seen(HTMLParser):
    """The words a reader sees (whitespace collapsed, as a browser does), and attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_data(self, data: str) -> None:
        self.words.extend(data.split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs.extend(attrs)


def _seen(html: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    parser = _Seen()
    parser.feed(html)
    return parser.words, parser.attrs


def dossier_page(site: Path) -> str:
    return next(site.glob("actors/*/index.html")).read_text(encoding="utf-8")


@pytest.mark.slow
def test_built_pages_are_compact_and_show_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    root = write_project(tmp_path / "book")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "notes.md").write_text("# Notes\n\nThe analyst's own page.\n", encoding="utf-8")
    plain = mkdocs_build(root, tmp_path / "plain", shell_templates=True)
    settings = replace(load_settings(root), search="material")
    sitebuild.build(settings, strict=True, full=True)
    built = settings.site_path

    pages = sorted(p.relative_to(plain) for p in plain.rglob("*.html"))
    assert sorted(p.relative_to(built) for p in built.rglob("*.html")) == pages
    saved = 0
    for rel in pages:
        before = (plain / rel).read_text(encoding="utf-8")
        after = (built / rel).read_text(encoding="utf-8")
        outside_pre = PRE.sub("", after)
        assert re.search(r"\n[ \t]", outside_pre) is None, f"{rel}: an indented line is left"
        assert PRE.findall(after) == PRE.findall(before), f"{rel}: code or a diagram changed"
        assert _seen(after) == _seen(before), f"{rel}: the text or the links changed"
        saved += len(before.encode()) - len(after.encode())
    for rel in pages:
        after = (built / rel).read_text(encoding="utf-8")
        shell = re.sub(r"<article\b.*?</article>", "", after, flags=re.S)
        # The shell's icons (logo, menu, palette, back to top) and Material's inline scripts are files
        # every page shares; only the search box's own icons stay inline (with search: material).
        assert shell.count("<svg") == shell.count("<svg", shell.find('for="__search"')), rel
        assert "__md_scope=" not in shell and "__md_get(\"__palette\")" not in shell, rel
    for shared in ("assets/briefing/js/scope.js", "assets/briefing/js/palette.js"):
        assert (built / shared).is_file(), shared
    # Material's own search (search: material here) keeps its worker and lunr; no source map is copied.
    scripts = built / "assets" / "javascripts"
    assert list(scripts.glob("workers/search.*.min.js")) and (scripts / "lunr").is_dir()
    assert not list(built.rglob("*.map"))
    briefing = "briefings/putin-thanks-north-korea/index.html"
    assert '<pre class="mermaid">' in (built / briefing).read_text(encoding="utf-8")
    assert saved > 1000 * len(pages), "each page should lose at least a kilobyte of indentation"
    # A generated page hides the navigation: a briefing or a dossier has neither the primary sidebar
    # nor the menu button that opens it; the analyst's own page has both.
    menu = re.compile(r'<label class="md-header__button md-icon" for="__drawer">')
    hiding = (built / briefing).read_text(encoding="utf-8")
    assert "md-sidebar--primary" not in hiding and not menu.search(hiding)
    # Nor the table of contents: its line of links to its sections stands in for it, at every width.
    assert "md-sidebar--secondary" not in hiding and 'aria-label="Sections of this briefing"' in hiding
    assert "md-sidebar--secondary" in dossier_page(built)  # a dossier keeps its table of contents
    dossier = next(built.glob("actors/*/index.html")).read_text(encoding="utf-8")
    assert "md-sidebar--primary" not in dossier and not menu.search(dossier)
    own = (built / "notes" / "index.html").read_text(encoding="utf-8")
    assert "md-sidebar--primary" in own and menu.search(own)
