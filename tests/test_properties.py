"""Property-based tests: for any input at all, readers fail only with ReadError, slugs stay safe and
unique, and escaped text renders as exactly that text, through the Markdown extensions mkdocs.yml
enables (read from the file, so a newly enabled extension is covered without editing this test).
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from generator import links
from generator.readers import ReadError, decode, read_docs, suffixes
from generator.readers.markdown import parse_markdown
from generator.readers.text import parse_text
from generator.render import front_matter, plain_title, safe_url
from generator.render.escape import md
from generator.writer import WriteError, _check_rel

ROOT = Path(__file__).resolve().parent.parent
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Text that leans towards the syntax an attacker would use, mixed with anything at all.
SYNTAX = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:", "data:", "[x](y)", "![i](j)",
          "{{ x }}", "{% if %}", "!!! note", "{: onclick=x }", "--8<-- \"/etc/passwd\"", ":smile:", "<!--", "-->",
          "&amp;", "&#60;", "\\", "`", "```", "***", "___", "~~", "^^", "==", "++ctrl++", "{++ a ++}", "$x$",
          "| a | b |", "---", "#", "1. ", "- ", "> ", "<http://a.b>", "https://example.org", "\n\n", "\r", "\t",
          "    ", "\x00", "\u202e", "\ufeff", "\u2028", "[^1]", "*[HTML]: x", "::: x", "??? quote"]
hostile_text = st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=20)), max_size=12).map("".join)


def _mkdocs_extensions() -> tuple[list[Any], dict[str, Any]]:
    from mkdocs.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(ROOT / "mkdocs.yml", Path(tmp) / "mkdocs.yml")
        (Path(tmp) / "docs").mkdir()
        cfg = load_config(str(Path(tmp) / "mkdocs.yml"))
        return list(cfg["markdown_extensions"]), dict(cfg["mdx_configs"])


EXTENSIONS, CONFIGS = _mkdocs_extensions()
# Every syntax extension that ships with the installed Material and Python-Markdown: if the site ever
# enables one of them, escaped text must still produce no element.
SUPERSET = [*EXTENSIONS, "abbr", "def_list", "footnotes", "md_in_html", "pymdownx.betterem", "pymdownx.caret",
            "pymdownx.critic", "pymdownx.emoji", "pymdownx.inlinehilite", "pymdownx.keys", "pymdownx.magiclink",
            "pymdownx.mark", "pymdownx.smartsymbols", "pymdownx.tasklist", "pymdownx.tilde", "pymdownx.arithmatex",
            "pymdownx.snippets", "pymdownx.tabbed", "pymdownx.highlight"]


def render(source: str, extensions: list[Any] = EXTENSIONS) -> str:
    return markdown.markdown(source, extensions=extensions, extension_configs=CONFIGS)


def folded(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


# ---- escaping ---------------------------------------------------------------------------------

@given(hostile_text)
@settings(max_examples=examples(400), deadline=None)
def test_escaped_text_renders_as_one_paragraph_of_that_text(text: str) -> None:
    assume(folded(text))
    out = render(md(text))
    m = re.fullmatch(r"<p>(.*)</p>", out, re.S)
    assert m, out
    assert "<" not in m.group(1), out  # no element at all
    assert html.unescape(m.group(1)) == folded(text)


@given(hostile_text)
@settings(max_examples=examples(150), deadline=None)
def test_escaped_text_makes_no_element_under_any_bundled_extension(text: str) -> None:
    assume(folded(text))
    out = markdown.markdown(md(text), extensions=SUPERSET, extension_configs={
        **CONFIGS, "pymdownx.snippets": {"base_path": [str(ROOT)], "check_paths": False}})
    m = re.fullmatch(r"<p>(.*)</p>", out, re.S)
    assert m and "<" not in m.group(1), out


@given(st.lists(hostile_text, min_size=2, max_size=4))
@settings(max_examples=examples(100), deadline=None)
def test_escaped_table_cells_stay_in_their_cells(cells: list[str]) -> None:
    assume(all(folded(c) for c in cells))
    head = "| " + " | ".join(f"h{i}" for i in range(len(cells))) + " |\n|" + "---|" * len(cells) + "\n"
    out = render(head + "| " + " | ".join(md(c) for c in cells) + " |\n")
    tds = re.findall(r"<td>(.*?)</td>", out, re.S)
    assert [html.unescape(t) for t in tds] == [folded(c) for c in cells]
    assert all("<" not in t for t in tds)


@given(hostile_text)
@settings(max_examples=examples(200), deadline=None)
def test_page_titles_survive_yaml_and_striptags(text: str) -> None:
    # Themes print the title through striptags, which unescapes entities: no <, > or & may remain.
    title = plain_title(text)
    assert not set(title) & set("<>&")
    fm = str(front_matter(title=title))
    assert yaml.safe_load(fm.strip().strip("-")) == {"title": title, "hide": ["navigation"]}


@given(st.text(max_size=200))
@settings(max_examples=examples(300), deadline=None)
def test_safe_url_is_http_or_nothing_and_cannot_break_a_link(url: str) -> None:
    out = safe_url(url)
    if out is not None:
        assert re.match(r"^https?://", out, re.I)
        assert not set(out) & set(" \t\n\r()<>\"'`\\")


# ---- slugs and paths --------------------------------------------------------------------------

@given(st.text(max_size=300))
@settings(max_examples=examples(500))
def test_slug_is_safe(text: str) -> None:
    slug = links.slugify(text)
    assert SLUG_RE.match(slug) and len(slug) <= links.MAX_SLUG and slug not in links.RESERVED
    assert slug == links.slugify(text)
    for rel in (links.briefing_path(slug), links.entity_path("actor", text), links.entity_path("weapon", text)):
        _check_rel(rel)  # inside docs/, no "..", no backslash


path_part = st.one_of(st.sampled_from(["..", ".", "CON", "nul", "index", "aux.txt", "é", "e\u0301", "а",
                                       "a" * 300, "", "/etc/passwd", "C:\\x", "tags"]), st.text(max_size=30))
rel_path = st.lists(path_part, min_size=1, max_size=3).map("/".join).flatmap(
    lambda stem: st.sampled_from([".md", ".txt", ".MD", ".html"]).map(lambda ext: stem + ext))


@given(st.sets(rel_path, max_size=25))
@settings(max_examples=examples(300))
def test_article_slugs_are_unique_and_safe(rels: set[str]) -> None:
    slugs = links.article_slugs(rels)
    assert set(slugs) == rels
    assert len(set(slugs.values())) == len(rels), slugs
    for slug in slugs.values():
        assert SLUG_RE.match(slug) and slug not in links.RESERVED and len(slug) <= links.MAX_SLUG + 7
        _check_rel(links.briefing_path(slug))


@pytest.mark.parametrize("rel", ["../x.md", "/abs.md", "a/../../b.md", "a\\b.md", "a\0b.md", "./a.md", "a//b.md"])
def test_writer_refuses_what_slugs_never_make(rel: str) -> None:
    with pytest.raises(WriteError):
        _check_rel(rel)


# ---- readers ----------------------------------------------------------------------------------

FRONT = st.lists(st.one_of(st.sampled_from(
    ["title: ", "date: ", "tags: ", "actors: ", "add: ", "- ", "&a ", "*a", "!!python/name:os.system",
     "!!binary ", "{", "}", "[", "]", "? ", ": ", "\n", "  ", "'", '"', "2023-02-30", "99999999999999999999",
     "summary_only: ", "yes", "null", "~", ".inf", "url: ", "javascript:", "https://x", "---"]),
    st.text(max_size=10)), max_size=25).map("".join)


MARKUP = ["<html>", "<body>", "<article>", "<p>", "</p>", "<script>", "</script>", "<![CDATA[", "]]>", "<!--",
          "<?xml version='1.0'?>", "<rss version='2.0'>", "<channel>", "<item>", "</item>", "<title>", "</title>",
          "<description>", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "<content type='html'>",
          "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>", "&a;", "&amp;", "&#0;", "&#xD800;", "{", "}", '"items": [',
          '{"version": "https://jsonfeed.org/version/1.1",', '"content_html": "', "<meta charset='cp1252'>", "\x00"]
any_file = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.one_of(st.sampled_from(MARKUP), st.sampled_from(SYNTAX), st.text(max_size=15)), max_size=30)
    .map("".join).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@given(any_file, st.sampled_from(sorted(suffixes())))
@settings(max_examples=examples(500), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_readers_raise_only_read_error_on_any_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    # Every registered reader (text, Markdown, saved HTML pages, feeds), found through the registry.
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    try:
        docs, errors = read_docs(path, path.name)
    except ReadError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
        assert "a bug in the" not in str(exc), exc  # the safety net caught a reader bug: still a failure here
        return
    for doc in docs:
        assert doc.title.strip() and doc.text.strip()
    for err in errors:
        assert isinstance(err, ReadError) and "\n" not in str(err)


@given(FRONT, hostile_text)
@settings(max_examples=examples(400), deadline=None)
def test_front_matter_raises_only_read_error(front: str, body: str) -> None:
    text = f"---\n{front}\n---\n{body}"
    try:
        doc = parse_markdown(text, "a.md", Path("a.md"))
    except ReadError:
        return
    assert isinstance(doc.title, str) and all(isinstance(t, str) for t in doc.tags)
    assert doc.url is None or doc.url.lower().startswith(("http://", "https://"))


@given(st.text(max_size=3000))
@settings(max_examples=examples(300), deadline=None)
def test_text_reader_offsets_hold_on_any_text(text: str) -> None:
    try:
        text = decode(Path("a.txt"), text.encode("utf-8"))
    except ReadError:
        return
    doc = parse_text(text, "a.txt")
    assert 0 <= doc.body_start <= len(doc.text)
    for h in doc.headings:
        assert doc.text[h.start:h.end] == h.text


# ---- extraction ---------------------------------------------------------------------------------

NEWS = ["Russia", "Vladimir Putin", "President Putin", "North Korea", "Pyongyang's", "NATO", "ISIL", "Da'esh",
        "the coalition", "Hwasong-18", "ICBM", "drones", "artillery shells", "Kim Jong Un", "Mr. Kim", "U.S.",
        "Iraqi", "Mosul", "Kyiv", "said", " on Monday", ". ", "! ", "? ", "\n\n", "“", "”", "’s", "(", ")",
        "Minister", "Defense Minister Sergei Shoigu", "supplied", "missiles", "nuclear", "sanctions", "-", "—"]
news_text = st.lists(st.one_of(st.sampled_from(NEWS), st.sampled_from(SYNTAX), st.text(max_size=12)),
                     max_size=40).map("".join)


@pytest.fixture(scope="module")
def extractor() -> Any:
    extract = pytest.importorskip("generator.extract", reason="the extraction engine has not landed")
    from generator.kb import load_kb

    return extract.Extractor(load_kb())


def _spans(b: Any) -> list[Any]:
    # A hand-written summary (front matter) has no place in the text: its spans are (-1, -1) by design.
    out = [*b.sentences, *(s for s in b.summary if (s.start, s.end) != (-1, -1))]
    for group in (b.actors, b.weapons, b.locations):
        for item in group:
            out.extend(m.span for m in item.mentions)
    for c in b.concerns:
        out.extend(c.evidence)
    return out


@given(text=news_text, names=st.lists(st.sampled_from(NEWS + SYNTAX), max_size=3))
@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_extractor_never_raises_and_every_span_is_its_text(extractor: Any, text: str, names: list[str]) -> None:
    from generator.models import Overrides, SourceDoc

    assume(text.strip())
    doc = parse_text(text, "a.txt")
    doc = SourceDoc(path=doc.path, text=doc.text, title=doc.title, body_start=doc.body_start, headings=doc.headings,
                    overrides=Overrides(add_actors=tuple(names), suppress_actors=tuple(names[:1]),
                                        add_weapons=tuple(names[1:]), summary=tuple(names[2:])))
    b = extractor.extract(doc)
    for span in _spans(b):
        assert 0 <= span.start <= span.end <= len(text), span
        assert text[span.start:span.end] == span.text, span
    for group in (b.actors, b.weapons, b.locations):
        for item in group:
            for m in item.mentions:
                assert 0 <= m.sentence < max(1, len(b.sentences)) or not b.sentences
