"""The site's fast link parsing gives Python-Markdown's own results, bracket for bracket and page for page."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples
from markdown.inlinepatterns import LinkInlineProcessor

from generator.linkscan import FastBrackets, bracket_ends

stock = getattr(LinkInlineProcessor, "_findBracketEnds", None)
needs_stock = pytest.mark.skipif(stock is None, reason="this Python-Markdown parses links another way")
EXTENSIONS = ["admonition", "pymdownx.details", "tables", "toc", "attr_list", "md_in_html", "pymdownx.superfences"]
# Written for this test: links, images and references, nested, escaped and unclosed brackets, in
# the block structures the briefing pages use (a table, a list, a collapsed quote).
PAGE = """# A page [with brackets]

Talks in [Geneva](../places/geneva.md) with [the [inner] name](../actors/x.md "a title") and
![a chart [svg]](../assets/c.svg), an unclosed [bracket and a ] stray one, \\[escaped\\](no.md),
[a reference][ref] and [ref], [[double]](d.md) and [empty]() [x](<spaced path.md>).

| Actor | Note |
|---|---|
| [Russia](../actors/russia.md) | said [it](a.md) would [ |
| ] | [Ukraine](../actors/ukraine.md) *(discovered)* |

- [First](one.md) (shared: [A](a.md), [B](b.md), [C [c]](c.md))
- text only [ ] []

??? quote "Source text (one.md)"
    &#34;The [Zorvian Front](../actors/zorvian.md)&#34; &#40;[ZF](../actors/zorvian.md)&#41; met [Iran](i.md).

[ref]: ../actors/ref.md
"""


@needs_stock
@given(st.text(alphabet="[]ab(!", max_size=60))
@settings(max_examples=examples(400), deadline=None)
def test_bracket_ends_equal_python_markdowns(data: str) -> None:
    assert stock is not None
    assert bracket_ends(data) == stock(data)


def test_pages_convert_to_the_same_html_with_the_extension() -> None:
    plain = markdown.Markdown(extensions=EXTENSIONS).convert(PAGE)
    fast = markdown.Markdown(extensions=[FastBrackets(), *EXTENSIONS]).convert(PAGE)
    assert fast == plain
    assert 'href="../actors/x.md" title="a title">the [inner] name</a>' in fast


@needs_stock
def test_the_extension_takes_the_place_of_the_stock_scan() -> None:
    md = markdown.Markdown(extensions=[FastBrackets()])
    assert md.inlinePatterns["link"]._findBracketEnds is bracket_ends
