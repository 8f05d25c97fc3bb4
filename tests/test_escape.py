from __future__ import annotations

from html import unescape

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.render.escape import html_text, md, plain

EXTENSIONS = ["admonition", "pymdownx.details", "tables", "attr_list", "pymdownx.superfences", "toc"]

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    "{{ config }} {% include 'x' %}",
    "!!! danger\n    boom",
    "text {: onclick=alert(1) }",
    "--8<-- /etc/passwd",
    ":smile: :material-alert:",
    "<http://evil.example/>",
    "| a | b |",
    "# heading",
    "1. list",
    "> quote",
]


def render(text: str) -> str:
    return markdown.markdown(md(text), extensions=EXTENSIONS)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_text(text: str) -> None:
    html = render(text)
    assert html.startswith("<p>") and html.endswith("</p>")
    inner = html[3:-4]
    assert "<" not in inner.replace("&lt;", ""), html
    for tag in ("<script", "<img", "<svg", "<a ", "<h1", "<ol", "<blockquote", "<table", "<div"):
        assert tag not in html


@given(st.text(max_size=300))
def test_escaped_text_never_makes_markup(text: str) -> None:
    html = render(text)
    if not md(text):
        return
    assert html.startswith("<p>") and html.endswith("</p>")
    assert "<" not in html[3:-4]


@given(st.one_of(st.sampled_from([*HOSTILE, "Bidi\u202e over\u2066ride\u200b and soft\u00adhyphen\u200e"]),
                 st.text(max_size=300)))
def test_html_text_is_that_text_and_no_element(text: str) -> None:
    out = html_text(text)
    assert not set(out) & set("<>\"'"), out
    assert unescape(out) == plain(text)
    assert not any(c in out for c in "\u200b\u200e\u202e\u2066\u00ad")  # invisible characters become spaces
