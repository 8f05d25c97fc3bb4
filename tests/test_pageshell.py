"""Built pages are minified and lose nothing a reader sees: text, links, code and diagrams stay."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitefixture import mkdocs_build, write_project

from generator import search, sitebuild
from generator.config import load_settings
from generator.pageshell import minified, unindented

PRE = re.compile(r"<(pre|textarea)\b.*?</\1\s*>", re.S | re.I)


def test_minified_drops_indentation_quotes_and_optional_closing_tags() -> None:
    html = "<ul>\n    <li>\n      <a href=\"#a\">One</a>\n    </li>\n\n\n  </ul>\n"
    assert minified(html) == "<ul><li><a href=#a>One</a></ul>"


def test_minified_keeps_pre_textarea_and_escaped_markup_exactly() -> None:
    code = "<pre class=mermaid><code>graph LR\n    a --> b\n\n    b --> c\n</code></pre>"
    area = "<textarea>\n  kept\n</textarea>"
    text = "text &lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&gt;"
    html = f"<div>\n  {code}\n  <p>\n    {text}\n  </p>\n  {area}\n</div>"
    out = minified(html)
    assert code in out and area in out
    assert "<script" not in out and "&lt;script>" in out and "&amp;lt;b>" in out


def test_a_template_that_is_not_html_loses_only_its_indentation() -> None:
    xml = "<urlset>\n    <url>\n         <loc>https://example.org/</loc>\n    </url>\n</urlset>"
    assert unindented(xml) == "<urlset>\n<url>\n<loc>https://example.org/</loc>\n</url>\n</urlset>"


def test_a_minified_pages_fingerprint_leaves_out_what_pagefind_ignores() -> None:
    # A dossier's counts and lists change with every briefing naming it, in divisions Pagefind skips:
    # its search shard is indexed again only when the text outside them changes.
    def page(counts: str, text: str) -> bytes:
        ignored = f'<div data-pagefind-ignore="all">\n<p>{counts}</p>\n<div><p>nested</p></div>\n</div>'
        return minified(f"<html><body><article><h1>X</h1>{ignored}<p>{text}</p></article></body></html>").encode()

    assert b"data-pagefind-ignore=all>" in page("3 briefings", "a")
    assert search.page_fingerprint(page("3 briefings", "a")) == search.page_fingerprint(page("4 briefings", "a"))
    assert search.page_fingerprint(page("3 briefings", "a")) != search.page_fingerprint(page("3 briefings", "b"))


class _Seen(HTMLParser):
    """The words a reader sees (whitespace collapsed, as a browser does), and attribute values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_data(self, data: str) -> None:
        self.words.extend(data.split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # As a browser reads them: in any order, a class list's spaces collapsed, an empty tabindex
        # (which browsers ignore, and the minifier drops) left out.
        seen = [(k, " ".join(v.split()) if k == "class" and v else v) for k, v in attrs]
        self.attrs.extend(sorted(a for a in seen if a != ("tabindex", "")))


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
        assert shell.count("<svg") == shell.count("<svg", shell.find("for=__search")), rel
        assert "__md_scope=" not in shell and "__md_get(\"__palette\")" not in shell, rel
    for shared in ("assets/briefing/js/scope.js", "assets/briefing/js/palette.js"):
        assert (built / shared).is_file(), shared
    # Material's own search (search: material here) keeps its worker and lunr; no source map is copied.
    scripts = built / "assets" / "javascripts"
    assert list(scripts.glob("workers/search.*.min.js")) and (scripts / "lunr").is_dir()
    assert not list(built.rglob("*.map"))
    briefing = "briefings/putin-thanks-north-korea/index.html"
    assert "<pre class=mermaid>" in (built / briefing).read_text(encoding="utf-8")
    assert saved > 1000 * len(pages), "each page should lose at least a kilobyte the browser does not need"
    # A generated page hides the navigation: a briefing or a dossier has neither the primary sidebar
    # nor the menu button that opens it; the analyst's own page has both.
    menu = re.compile(r'<label class="md-header__button md-icon" for=__drawer>')
    hiding = (built / briefing).read_text(encoding="utf-8")
    assert "md-sidebar--primary" not in hiding and not menu.search(hiding)
    # Nor the table of contents: its line of links to its sections stands in for it, at every width.
    assert "md-sidebar--secondary" not in hiding and 'aria-label="Sections of this briefing"' in hiding
    assert "md-sidebar--secondary" in dossier_page(built)  # a dossier keeps its table of contents
    dossier = next(built.glob("actors/*/index.html")).read_text(encoding="utf-8")
    assert "md-sidebar--primary" not in dossier and not menu.search(dossier)
    own = (built / "notes" / "index.html").read_text(encoding="utf-8")
    assert "md-sidebar--primary" in own and menu.search(own)
