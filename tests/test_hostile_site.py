"""End to end: a project whose content and KB are hostile or broken builds a site in which nothing
executes, every bad file is reported in one line and skipped, and every good article is present.

The project: the fixtures in ``fixtures/hostile/`` (script injection in every field, reserved and
lookalike file names, a hostile project KB through ``kb_dirs``), three ordinary articles from the
repository's ``content/``, and broken files written here (sizes and shapes that would be silly to
commit: 50 MB, 100,000 lines, a 5 MB line). The site is built once per module with the real CLI and
real MkDocs; the browser tests that drive Chromium against it live in test_hostile_browser.py.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator import links

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
ORDINARY = ["putin-thanks-north-korea.txt", "minister-ellwood-statement-on-mosul.md", "al-sumaria.md"]

pytest.importorskip("generator.extract", reason="the extraction engine (generator/extract) has not landed")

BILLION_LAUGHS = (HOSTILE / "billion-laughs.md").read_text(encoding="utf-8")

# file name -> (content or None for special handling, words the one "skipped:" line must hold)
BROKEN: dict[str, tuple[bytes | None, str]] = {
    "empty.md": (b"", "is empty"),
    "blank.txt": (b" \n\t\r\n", "is empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "looks binary"),
    "huge.txt": (None, "over the 5,000,000-byte limit"),
    "lines.txt": (b"A short line of text.\n" * 100_000, "100,000 lines"),
    "oneline.txt": (b"word " * 1_000_000, ":1: has a line of 5,000,000 characters"),
    "deep.md": (b"---\ntags: " + b"[" * 5000 + b"x" + b"]" * 5000 + b"\n---\nBody.\n", ":2: front matter"),
    "laughs.md": (BILLION_LAUGHS.encode(), ":3: front matter is not valid YAML: aliases"),
    "badyaml.md": (b"---\ntitle: ok\ndate: [\n---\nBody.\n", "not valid YAML"),
    "unclosed.md": (b"---\ntitle: x\nBody with no closing line\n", "no closing '---' line"),
    "baddate.md": (b"---\ndate: 2023-02-30\n---\nBody.\n", "day is out of range"),
    "leak.txt": (None, "outside"),
    "pipe.txt": (None, "not a regular file"),
    "zz-copy.txt": (None, "duplicate of putin-thanks-north-korea.txt (the same text)"),
    "zz-same-url.md": (None, "duplicate of minister-ellwood-statement-on-mosul.md (the same URL"),
}
# Files with a bad field: built without it, each bad field one "warning:" line naming file, line and field.
WARNED: dict[str, tuple[bytes, list[str]]] = {
    "wrongtype.md": (b"---\ntitle: [a, b]\nurl: javascript:alert(1)\n---\nThe ministry said talks resumed.\n",
                     [":2: front matter 'title' must be text, not list", ":3: front matter 'url' must start with"]),
}
PAYLOAD = re.compile(r"pwned\s*=|alert\(")  # the code of a payload; a slug or anchor made from it is harmless
SECRET = "Text that lives outside content/ and must never be published"


@dataclass
class Built:
    root: Path
    generate: subprocess.CompletedProcess[str]
    strict: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]
    good: list[str]  # content paths of the articles that must be published


def briefing(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)


def make_project(root: Path) -> list[str]:
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    # mkdocs.yml lists the manual in its nav; a strict build needs its pages.
    shutil.copytree(ROOT / "docs" / "manual", root / "docs" / "manual", dirs_exist_ok=True)
    shutil.copytree(HOSTILE / "content", root / "content")
    shutil.copytree(HOSTILE / "kb", root / "kb")
    # Material's search: its index is one JSON file of page text, checked here for markup. A small page
    # size puts the hostile articles on archive pages too, which every check below then covers.
    (root / "briefing.yml").write_text("kb_dirs: [kb]\nsearch: material\npage_size: 2\n", encoding="utf-8")
    content = root / "content"
    for name in ORDINARY:
        shutil.copy(ROOT / "content" / name, content / name)
    for name, (data, _) in WARNED.items():
        (content / name).write_bytes(data)
    good = sorted(p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file())
    for name, (data, _) in BROKEN.items():
        if data is not None:
            (content / name).write_bytes(data)
    with open(content / "huge.txt", "wb") as fh:
        for _ in range(50):
            fh.write(b"All quiet on the front today. " * 33_334)  # 50 MB in 1 MB steps
    (root / "secret.txt").write_text(f"Secret\n\n{SECRET}.\n", encoding="utf-8")
    (content / "leak.txt").symlink_to(root / "secret.txt")
    os.mkfifo(content / "pipe.txt")
    (content / "zz-copy.txt").write_bytes((content / ORDINARY[0]).read_bytes().replace(b"\n", b"\r\n"))
    ellwood = (content / ORDINARY[1]).read_text(encoding="utf-8")
    url = re.search(r"^url: (.+)$", ellwood, re.M)
    assert url, "the ordinary article needs a url for the duplicate-URL case"
    (content / "zz-same-url.md").write_text(
        f"---\nurl: {url.group(1).replace('https://', 'http://')}?utm_source=feed\n---\nA different text.\n",
        encoding="utf-8")
    return good


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs POSIX named pipes and symbolic links")
    root = tmp_path_factory.mktemp("hostile-project")
    good = make_project(root)
    generate = briefing("generate", "--root", str(root))
    strict = briefing("generate", "--strict", "--root", str(root))
    build = briefing("build", "--root", str(root))
    return Built(root, generate, strict, build, good)


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped: ")]


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_each_broken_file_is_one_line_and_exit_status_follows_strict(built: Built) -> None:
    assert built.generate.returncode == 0, built.generate.stderr[-3000:]
    lines = skipped_lines(built.generate.stderr)
    assert len(lines) == len(BROKEN), "\n".join(lines)
    content = built.root / "content"
    for name, (_, words) in BROKEN.items():
        mine = [line for line in lines if f"{content / name}:" in line or f"skipped: {name}:" in line]
        assert len(mine) == 1, (name, lines)
        assert words in mine[0], (name, mine[0])
    assert built.strict.returncode != 0
    assert f"{len(BROKEN)} article(s) skipped (--strict)" in built.strict.stderr
    assert built.build.returncode == 0, built.build.stderr[-3000:]


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_a_bad_field_is_one_warning_line_and_costs_only_that_field(built: Built) -> None:
    warnings = [line for line in built.generate.stderr.splitlines() if line.startswith("warning: ")]
    content = built.root / "content"
    for name, (_, expected) in WARNED.items():
        for words in expected:
            mine = [line for line in warnings if line.startswith(f"warning: {content / name}{words}")]
            assert len(mine) == 1, (name, words, warnings)


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_every_good_article_is_published_under_a_safe_unique_slug(built: Built) -> None:
    slugs = links.article_slugs(built.good)
    assert len(set(slugs.values())) == len(built.good)
    docs, site = built.root / "docs", built.root / "site"
    for rel, slug in slugs.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and slug not in links.RESERVED, rel
        assert (docs / links.briefing_path(slug)).is_file(), rel
        assert (site / "briefings" / slug / "index.html").is_file(), rel
    published = {p.stem for p in (docs / "briefings").glob("*.md")} - {"index"}
    assert published == set(slugs.values())  # nothing from a skipped file, nothing missing
    for path in (*docs.rglob("*"), *site.rglob("*")):
        assert path.resolve().is_relative_to(built.root.resolve()), path


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_nothing_from_outside_content_is_published(built: Built) -> None:
    for path in (built.root / "docs").rglob("*.md"):
        assert SECRET not in path.read_text(encoding="utf-8"), path
    assert SECRET not in (built.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8")


_RAW_MARKDOWN = re.compile(r"<\s*/?\s*(script|img|svg|iframe|a|div|style|meta|link|b)\b|javascript:|data:text|"
                           r"\bon\w+=|^\s*(!!!|\?\?\?|--8<--)|\{\{|\{%|\{:", re.I | re.M)


def markdown_problem(path: Path, text: str) -> str | None:
    """Raw markup or extension syntax in a generated page, beyond the lines our templates write."""
    body = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    # Our own templates open admonitions and details blocks (a graphic's text alternative) at the margin;
    # the article's are escaped.
    ours = (r'!!! (abstract|warning|info) "[^"&]*"', r'\?\?\? quote "Source text \([^"]*\)"',
            r'\?\?\? info "[^"&]*"', r'\?\?\? note "\d+ briefings? without a date"')
    body = re.sub(rf"^({'|'.join(ours)})$", "", body, flags=re.M)
    # The relationship diagram: a fence of ids and labels our renderer strips to letters and digits
    # (test_render_parts checks the labels); Mermaid's {{ }} node shape is not Jinja.
    body = re.sub(r"^```mermaid\n.*?^```$", "", body, flags=re.S | re.M)
    # The home page's map: raw SVG our renderer writes, checked here element by element instead.
    for svg in re.findall(r'^<div class="briefing-map">\n(<svg .*?</svg>)\n</div>$', body, flags=re.S | re.M):
        problem = _map_problem(svg)
        if problem:
            return f"{path}: the map {problem}"
    body = re.sub(r'^<div class="briefing-map">\n<svg .*?</svg>\n</div>$', "", body, flags=re.S | re.M)
    # The layout grid that puts the actors and weapons tables side by side, and the parts search leaves
    # out of its index: whole lines of our templates.
    body = re.sub(r'^(<div class="grid" markdown>|<div markdown>|<div data-pagefind-ignore="all" markdown>|</div>)$',
                  "", body, flags=re.M)
    # A briefing's line of links to its own sections: our template's, fixed words and anchors.
    body = re.sub(r'^<nav class="briefing-sections" aria-label="Sections of this briefing" data-pagefind-ignore="all">'
                  r'Jump to: <a href="#[a-z-]+">[A-Za-z ]+</a>( · <a href="#[a-z-]+">[A-Za-z ]+</a>)*</nav>$',
                  "", body, flags=re.M)
    if path.name == "network.md":  # the graph's mount point and vendored scripts: our template, no article text
        body = re.sub(r'^<div id="briefing-network" class="briefing-network" data-src="[\w./-]*" [\w =";,\'-]*>'
                      r'</div>$', "", body, flags=re.M)
        body = re.sub(r'^<div class="network-controls">[\w <>="/;,\'-]*</div>$', "", body, flags=re.M)
        body = re.sub(r'^<p id="network-status" class="network-status" aria-live="polite"></p>$', "", body,
                      flags=re.M)
        body = re.sub(r'^<script src="[\w./-]*"></script>$', "", body, flags=re.M)
    m = _RAW_MARKDOWN.search(body)
    return f"{path}: {body[max(0, m.start() - 80):m.end() + 80]!r}" if m else None


_MAP_TAGS = {"svg", "title", "desc", "rect", "g", "path", "a", "circle", "text"}


def _map_problem(svg: str) -> str | None:
    """What in the map's SVG could be live: an element it never draws, a handler, a link with a scheme."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        return f"is not well-formed: {exc}"
    for el in root.iter():
        tag = el.tag.rpartition("}")[2]
        if tag not in _MAP_TAGS:
            return f"has a <{tag}> element"
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                return f"has a handler {name}"
            if name == "href" and (":" in value.split("/")[0] or value.startswith("//")):
                return f"links off the site: {value}"
    return None


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_generated_markdown_holds_no_raw_markup(built: Built) -> None:
    assert list((built.root / "docs" / "timeline").glob("*.md")), "archive pages are among the pages checked"
    for path in (built.root / "docs").rglob("*.md"):
        if "manual" in path.relative_to(built.root / "docs").parts:
            continue  # hand-written pages, copied from the project: not generated from articles
        problem = markdown_problem(path, path.read_text(encoding="utf-8"))
        assert not problem, problem


class _Audit(HTMLParser):
    """Collects what would be live in a page: handlers, script URLs, foreign hosts, script text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.in_title = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag in ("script", "style")
        self.in_title = tag == "title"
        if tag in ("iframe", "object", "embed", "svg", "meta") and any(
                "pwned" in (v or "") or "evil.example" in (v or "") for _, v in attrs):
            self.problems.append(f"<{tag}> from the article")
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            # A URL runs code only through its scheme; an http link that merely holds the payload is inert.
            if name in ("href", "src", "action", "formaction", "data", "content") and (
                    re.match(r"(javascript|data|vbscript):", v.replace("\t", "").replace("\n", ""))
                    or "evil.example" in v):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False
        self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_script and PAYLOAD.search(data):
            self.problems.append(f"script or style text: {data[:80]!r}")
        if self.in_title:
            self.title += data


def html_problems(name: str, source: str) -> list[str]:
    """What would be live in a page, and a title that is not plain text."""
    audit = _Audit()
    audit.feed(source)
    problems = [f"{name}: {p}" for p in audit.problems]
    # Themes print titles through striptags, which unescapes entities: the raw <title> text itself
    # must hold no markup, and neither may the title once unescaped.
    m = re.search(r"<title>(.*?)</title>", source, re.S)
    if not m or "<" in m.group(1) or set(html.unescape(m.group(1))) & set("<>"):
        problems.append(f"{name}: no plain-text <title>: {m.group(1)[:120] if m else None!r}")
    return problems


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_built_pages_have_no_live_markup_and_safe_titles(built: Built) -> None:
    pages = sorted((built.root / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        problems = html_problems(str(page), page.read_text(encoding="utf-8"))
        assert not problems, problems
    hostile = (built.root / "site" / "briefings" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned='body'</script>" not in hostile  # present only as character references:
    assert "<script>window.__pwned='body'</script>" in html.unescape(hostile)


_LIVE_IN_INDEX = re.compile(r"<\s*(script|img|svg|iframe|a\s|div|style|meta|link|b>)|<[^>]*\son\w+\s*=", re.I)


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_search_index_holds_text_not_markup(built: Built) -> None:
    index = json.loads((built.root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = False
    for doc in index["docs"]:
        for key in ("title", "text"):
            m = _LIVE_IN_INDEX.search(doc.get(key, ""))
            assert not m, (doc["location"], key, doc[key][max(0, m.start() - 60):m.end() + 60])
        found |= "onerror=" in html.unescape(doc.get("text", "") + doc.get("title", ""))
    assert found, "the hostile strings should be in the index as text"


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_a_format_character_beside_a_linked_name_keeps_its_space_on_the_page(built: Built) -> None:
    # The fixture has each zero-width, bidi and soft-hyphen character after "Hamas" and before "Hezbollah".
    page = (built.root / "site" / "briefings" / "format-characters" / "index.html").read_text(encoding="utf-8")
    # The source text links the names where first named (each character beside a link: test_render_parts).
    source = page[page.index("id=source-text"):]  # the page is minified: no quotes an attribute can do without
    assert source.count("Hamas</a> and <a href=../../actors/hezbollah/>Hezbollah</a> met") == 1
    assert source.count("Hamas and Hezbollah met") == 12
    assert not re.search(r"</a>and|and<a ", page)
    assert not INVISIBLE.search(page)


# ---- feeds -----------------------------------------------------------------------------------

# All the markup a feed may carry: readers show a description's HTML as it is, many without
# sanitising it, so only these elements and attributes (links only to http(s) or relative URLs).
FEED_ELEMENTS: dict[str, set[str]] = {"p": set(), "a": {"href"}, "em": set(), "strong": set(), "ul": set(),
                                      "li": set(), "br": set()}
FEED_ROOTS = ("rss", "{http://www.w3.org/2005/Atom}feed", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF")
# Zero-width, bidi and soft-hyphen characters: they reorder or hide text, and pages strip them.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u00ad]")
_SCRIPT_URL = re.compile(r"(javascript|data|vbscript):", re.I)


def script_url(value: str) -> bool:
    # Browsers drop whitespace and control characters inside a scheme ("java\tscript:").
    return bool(_SCRIPT_URL.match("".join(c for c in value if c > " ")))


class Fragment(HTMLParser):
    """An HTML fragment as a reader renders it: what it holds beyond FEED_ELEMENTS, and its text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.parts: list[str] = []
        self.feed(source)
        self.close()

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in FEED_ELEMENTS:
            self.problems.append(f"<{tag}>")
            return
        for name, value in attrs:
            # A link goes to an http(s) URL or a relative one (no scheme at all).
            bad_link = name == "href" and (script_url(value or "") or not re.match(r"(https?:|[^:]*$)", value or ""))
            if name not in FEED_ELEMENTS[tag] or bad_link:
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _is_feed(raw: bytes) -> bool:
    try:
        return ET.fromstring(raw).tag in FEED_ROOTS
    except ET.ParseError:
        return False


def entry_texts(entry: Any) -> list[tuple[str, str]]:
    """Every text of a parsed feed entry that a reader may show, as (field, value)."""
    out = [(key, entry.get(key) or "") for key in ("title", "summary", "link", "author")]
    out += [("content", c.get("value") or "") for c in entry.get("content", [])]
    out += [("tag", t.get("term") or "") for t in entry.get("tags", [])]
    source = entry.get("source") or {}
    out += [("source", source.get("title") or ""), ("source url", source.get("href") or "")]
    return out


def xml_problems(name: str, raw: bytes) -> list[str]:
    """Every text and attribute of an XML file, decoded once as XML, read as the HTML a feed reader
    may take it for; a feed also as feedparser gives it with sanitising off, as many readers use it."""
    try:
        tree = ET.fromstring(raw)
    except ET.ParseError as exc:
        return [f"{name}: not well-formed XML: {exc}"]
    problems: list[str] = []
    values = [(str(el.tag), el.text or "") for el in tree.iter()]
    values += [(f"{el.tag}@{k}", v) for el in tree.iter() for k, v in el.attrib.items()]
    if tree.tag in FEED_ROOTS:
        import feedparser

        parsed = feedparser.parse(raw, sanitize_html=False)
        if parsed.bozo:
            problems.append(f"{name}: feedparser: {parsed.bozo_exception}")
        values += [(f"entry {i} {field}", value) for i, entry in enumerate(parsed.entries)
                   for field, value in entry_texts(entry)]
    for where, value in values:
        problems += [f"{name}: {where}: {p}" for p in Fragment(value).problems]
        if script_url(value):
            problems.append(f"{name}: {where}: a script URL {value[:80]!r}")
        if INVISIBLE.search(value):
            problems.append(f"{name}: {where}: a bidi or invisible character in {value[:80]!r}")
    return problems


def generated_files(root: Path) -> list[Path]:
    """Every file the build wrote: all of docs/ but the hand-written manual, and all of site/."""
    docs = [p for p in (root / "docs").rglob("*") if p.is_file() and (root / "docs" / "manual") not in p.parents]
    return sorted([*docs, *(p for p in (root / "site").rglob("*") if p.is_file())])


def feeds(root: Path) -> list[Path]:
    """The feeds among the generated files, found by what they are, not by name."""
    return [p for p in generated_files(root) if p.suffix in (".xml", ".rss", ".atom", ".rdf")
            and _is_feed(p.read_bytes())]


def test_feed_audit_catches_markup_a_reader_would_run() -> None:
    # A description escaped only once for XML, the way readers that do not sanitise turn it into markup.
    for description in ("&lt;img src=x onerror=alert(1)&gt;", "&lt;a href='javascript:alert(1)'&gt;x&lt;/a&gt;",
                        "&lt;p style='x'&gt;x&lt;/p&gt;", "Bidi \u202eoverride"):
        raw = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><item>'
               f"<title>T</title><description>{description}</description></item></channel></rss>").encode()
        assert _is_feed(raw)
        assert xml_problems("control.xml", raw), description


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_every_feed_reads_as_text_in_a_reader_that_does_not_sanitise(built: Built) -> None:
    import feedparser

    found = feeds(built.root)
    names = {p.relative_to(built.root).as_posix() for p in found}
    assert {"docs/feed.xml", "site/feed.xml"} <= names, names  # the walk finds at least the main feed
    shown = []
    for path in found:
        raw = path.read_bytes()
        problems = xml_problems(str(path), raw)
        assert not problems, "\n".join(problems[:20])
        parsed = feedparser.parse(raw, sanitize_html=False)
        shown += [Fragment(e.summary).text for e in parsed.entries if e.link.endswith("/reader-markup/")]
    # The payloads are still there, as the text a reader shows, with the bidi override gone.
    assert shown
    for text in shown:
        assert "on Tuesday <img src=x onerror=alert(1)> to discuss" in text, text
        assert "<script>alert('feed-script')</script>" in text and "said elbatpecca ton<svg" in text, text


def test_claims_speakers_and_dossier_feeds_carry_the_hostile_text_inert(built: Built) -> None:
    docs, site = built.root / "docs", built.root / "site"
    page = (docs / "briefings" / "hostile.md").read_text(encoding="utf-8")
    start = page.index("## Who says what")
    section = page[start:page.index("\n## ", start)]
    # The speaker resolves to the hostile KB's actor: linked, its name escaped; the sentence quoted inert.
    assert "](../actors/zorblax-front.md)" in section and "denied (reported speech)" in section
    assert "Zorblax Front &#60;img src&#61;x onerror&#61;" in section and "<img" not in section
    assert "&#60;script&#62;window.&#95;&#95;pwned&#61;&#39;body&#39;&#60;/script&#62;" in section
    dossier = (docs / "actors" / "zorblax-front.md").read_text(encoding="utf-8")
    assert "## Statements by Zorblax Front &#60;img" in dossier and "## Statements about Zorblax Front" in dossier
    assert markdown_problem(docs / "actors" / "zorblax-front.md", dossier) is None
    # Its feed, published beside its page, is found by the walk of every feed and audited there too.
    feed = docs / "actors" / "zorblax-front.xml"
    assert feed in feeds(built.root) and (site / "actors" / "zorblax-front.xml") in feeds(built.root)
    assert "[RSS feed](zorblax-front.xml)" in dossier
    raw = feed.read_bytes()
    assert not xml_problems(str(feed), raw)
    channel = ET.fromstring(raw).find("channel")
    assert channel is not None
    assert channel.findtext("title", "").startswith("Zorblax Front ‹img src=x onerror=”window.__pwned=")
    titles = [t.text or "" for t in channel.iter("title")]
    assert any(t.startswith("‹/title›‹script›window.__pwned='title'") for t in titles), titles
    # The exports keep the speaker's name as plain text, its own characters.
    listed = json.loads((docs / "data" / "briefings.json").read_bytes())
    speakers = {c["speaker"]["name"] for b in listed for c in b["claims"]}
    assert "Zorblax Front <img src=x onerror=\"window.__pwned='kbname'\">" in speakers


# ---- every output -------------------------------------------------------------------------------

# The contract of the JSON files (docs/manual/publishing.md): every string is plain text, the
# article's or KB's own characters, never HTML; a program escapes it where it shows it. The one
# exception is MkDocs' search index, whose titles and texts the theme shows as HTML.
JSON_AS_HTML = {"search/search_index.json": ("title", "text")}
# HTML escapes of markup characters in a plain-text string: text escaped for a page, which a program
# escaping it again would show as "&lt;".
_ESCAPED = re.compile(r"&(lt|gt|quot|#0*(60|62|34)|#x0*(3c|3e|22));", re.I)
# Files made from no article text (theme and vendored code, styles, fonts, images, licences): the
# article's words must not be in them, else they need a check of their own here.
STATIC = {".js", ".css", ".map", ".png", ".ico", ".jpg", ".gif", ".webp", ".woff", ".woff2", ".ttf", ".txt", ""}
ARTICLE_WORDS = (b"Zorblax", b"__pwned", b"onerror=alert")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def json_problems(name: str, raw: bytes) -> list[str]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return [f"{name}: not valid JSON: {exc}"]
    as_html = JSON_AS_HTML.get(name.split("/", 1)[-1])
    if as_html:
        return [f"{name}: {doc.get('location')}: {key}: live markup {m.group(0)!r}"
                for doc in data["docs"] for key in as_html if (m := _LIVE_IN_INDEX.search(doc.get(key, "")))]
    return [f"{name}: text escaped for HTML in a plain-text string: {s[:80]!r}" for s in _strings(data)
            if _ESCAPED.search(s)]


def svg_problems(name: str, raw: bytes) -> list[str]:
    try:
        tree = ET.fromstring(raw)
    except ET.ParseError as exc:
        return [f"{name}: not well-formed SVG: {exc}"]
    problems = []
    for el in tree.iter():
        tag = str(el.tag).rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject", "iframe", "object", "embed", "handler"):
            problems.append(f"{name}: <{tag}>")
        for key, value in el.attrib.items():
            attr = key.rsplit("}", 1)[-1]
            if attr.lower().startswith("on") or (attr in ("href", "src") and script_url(value)):
                problems.append(f"{name}: <{tag} {attr}={value[:60]!r}>")
    return problems


def output_problems(name: str, raw: bytes) -> list[str]:
    """Whatever would be live in one generated file (``name``: its path from the project folder),
    checked by the kind of file it is; a kind with no check here is itself a problem."""
    lower = name.lower()
    if lower.endswith(".gz"):
        return output_problems(name[:-3], gzip.decompress(raw))
    suffix = Path(lower).suffix
    if suffix in (".html", ".htm"):
        return html_problems(name, raw.decode("utf-8"))
    if suffix == ".md":
        problem = markdown_problem(Path(name), raw.decode("utf-8"))
        return [problem] if problem else []
    if suffix == ".svg":
        return svg_problems(name, raw)
    if suffix in (".xml", ".rss", ".atom", ".rdf"):
        return xml_problems(name, raw)
    if suffix == ".json":
        return json_problems(name, raw)
    if suffix in STATIC:
        return [f"{name}: holds {w.decode()!r}, yet no article text should reach it" for w in ARTICLE_WORDS
                if w in raw]
    return [f"{name}: no check for {suffix or 'this kind of'} file; add one to output_problems"]


def test_output_audit_catches_live_payloads_in_each_kind_of_file() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg">{}</svg>'
    live = {
        "site/x/index.html": b"<!doctype html><title>x</title><img src=x onerror=alert(1)>",
        "site/y/index.html": b"<title>x</title><a href='javascript:alert(1)'>x</a>",
        "docs/briefings/x.md": b"Text <script>alert(1)</script>",
        "docs/assets/briefing/charts/a.svg": svg.format("<script>alert(1)</script>").encode(),
        "docs/assets/briefing/charts/b.svg": svg.format('<rect onclick="alert(1)"/>').encode(),
        "docs/assets/briefing/charts/c.svg": svg.format("<foreignObject><p>x</p></foreignObject>").encode(),
        "site/feed.xml": b"<rss version='2.0'><channel><item><description>&lt;img src=x onerror=alert(1)&gt;"
                         b"</description></item></channel></rss>",
        "site/sitemap.xml.gz": gzip.compress(b"<urlset><url><loc>javascript:alert(1)</loc></url></urlset>"),
        "docs/data/briefings.json": b'[{"title": "&lt;script&gt;alert(1)&lt;/script&gt;"}]',
        "site/search/search_index.json": b'{"docs": [{"location": "", "title": "<img src=x onerror=alert(1)>"}]}',
        "site/assets/x.js": b"window.__pwned = 1",
        "site/data/export.parquet": b"PAR1",
    }
    for name, raw in live.items():
        assert output_problems(name, raw), name


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_every_output_of_the_hostile_build_is_inert(built: Built) -> None:
    files = generated_files(built.root)
    names = [p.relative_to(built.root).as_posix() for p in files]
    # The walk reaches each kind of output: pages, feeds, data, charts, network, search index.
    for must in ("docs/feed.xml", "site/feed.xml", "docs/data/briefings.json", "site/data/network.json",
                 "site/search/search_index.json", "site/briefings/hostile/index.html", "docs/briefings/hostile.md"):
        assert must in names, must
    assert any(n.startswith("site/assets/briefing/charts/") and n.endswith(".svg") for n in names)
    problems = []
    for path, name in zip(files, names, strict=True):
        problems += output_problems(name, path.read_bytes())
    assert not problems, "\n".join(problems[:40])
    # The plain-text contract, seen from the other side: the data holds the article's own characters.
    listed = json.loads((built.root / "docs" / "data" / "briefings.json").read_bytes())
    assert "</title><script>window.__pwned='title'</script> Zorblax & <b>bold</b> {{ 7*7 }}" in {
        b["title"] for b in listed}


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_rebuild_changes_nothing(built: Built) -> None:
    before = {p: p.read_bytes() for p in (built.root / "docs").rglob("*") if p.is_file()}
    again = briefing("generate", "--root", str(built.root))
    assert again.returncode == 0
    assert " 0 pages written" in again.stderr
    after = {p: p.read_bytes() for p in (built.root / "docs").rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.slow  # the fixture builds the site with mkdocs
def test_every_entity_and_briefing_gets_its_own_page(built: Built) -> None:
    # Two ids folding to one slug would make one page overwrite another: count the pages.
    from sitefixture import markdown_pages

    from generator import pipeline
    from generator.config import load_settings

    settings = load_settings(built.root)
    report = pipeline.BuildReport()
    docs = pipeline.read_sources([settings.content_path], settings.content_path, report)
    corpus = pipeline.index(pipeline.extract_all(docs, pipeline.load_knowledge(settings), settings),
                            pipeline.load_knowledge(settings), settings)
    pages = markdown_pages(corpus)
    # home, briefing index, an index per kind, timeline, network
    from generator.kinds import KINDS

    assert len(pages) == 1 + 1 + len(KINDS) + 2 + len(corpus.order) + len(corpus.entities)
    kinds = {info.kind for info in corpus.entities.values()}
    assert {"actor", "weapon"} <= kinds
    assert any("onerror" in info.name for info in corpus.entities.values())  # the override made an entity


def test_the_hostile_story_reaches_its_page_and_feed_as_text(built: Built) -> None:
    # hostile.md and zorblax-drones.md tell one event: their story has a page and a feed, audited
    # with every other output above; here, that they exist and carry the payloads as text.
    stories = built.root / "docs" / "stories"
    (page,) = [p for p in stories.glob("*.md") if "pwned" in p.name]
    feed = page.with_suffix(".xml")
    assert feed in feeds(built.root)
    text = page.read_text(encoding="utf-8")
    assert "../briefings/hostile.md" in text and "../briefings/zorblax-drones.md" in text
    assert "<script" not in text and "<svg" not in text and "<img" not in text
    assert "&#60;script&#62;window.&#95;&#95;pwned&#61;&#39;storyclaim&#39;&#60;/script&#62;" in text
    site_page = built.root / "site" / "stories" / page.stem / "index.html"
    assert not html_problems(site_page.name, site_page.read_text(encoding="utf-8"))
    import feedparser

    parsed = feedparser.parse(feed.read_bytes(), sanitize_html=False)
    assert {e.link.rstrip("/").rsplit("/", 1)[1] for e in parsed.entries} >= {"hostile", "zorblax-drones"}
    # Titles as the site feed gives them: plain text, markup characters as look-alikes.
    assert "‹script›window.__pwned='storytitle'‹/script› Zorblax Front drones {{ 7*7 }}" in {
        e.title for e in parsed.entries}
