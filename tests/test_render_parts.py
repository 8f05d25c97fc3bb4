"""The small renderers: highlighted sentences, linked lines, Mermaid labels, the SVG chart."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.models import Span
from generator.render.chart import mentions_svg, periods
from generator.render.diagram import safe_label
from generator.render.highlight import Anchor, highlight, linked_lines, marked


def test_highlight_keeps_word_spacing_and_escapes_each_piece() -> None:
    text = "The *parade* featured the Hwasong-18, a [solid] ICBM."
    sent = Span(100, 100 + len(text), text)
    start = 100 + text.index("Hwasong-18")
    out = highlight(sent, Span(start, start + 10, "Hwasong-18"))
    assert out == "The &#42;parade&#42; featured the <mark>Hwasong-18</mark>, a &#91;solid&#93; ICBM."


def test_highlight_ignores_a_span_that_does_not_match_its_text() -> None:
    sent = Span(0, 11, "Putin spoke")
    assert highlight(sent, Span(0, 5, "Xi Ji")) == "Putin spoke"
    assert highlight(sent, Span(20, 25, "Putin")) == "Putin spoke"


def test_hostile_mention_is_escaped_inside_the_mark() -> None:
    text = "Group <script>alert(1)</script> said"
    s = text.index("<script>")
    e = text.index(" said")
    out = marked(text, 0, [Anchor(Span(s, e, text[s:e]))])
    assert "<script" not in out and out.startswith("Group <mark>&#60;script&#62;")


def test_overlapping_anchors_keep_the_earliest_longest() -> None:
    text = "North Korea and Korea"
    a = [Anchor(Span(6, 11, "Korea"), "b.md"), Anchor(Span(0, 11, "North Korea"), "a.md"),
         Anchor(Span(16, 21, "Korea"), "c.md")]
    assert marked(text, 0, a) == "[North Korea](a.md) and [Korea](c.md)"


def test_linked_lines_keep_offsets_per_line_and_mark_headings() -> None:
    text = "Title line\n\nPutin met Kim.\nSecond: Kim again."
    kim2 = text.rindex("Kim")
    lines = linked_lines(text, [Anchor(Span(12, 17, "Putin"), "p.md"), Anchor(Span(kim2, kim2 + 3, "Kim"), "k.md")],
                         headings=[Span(0, 10, "Title line")])
    assert [str(ln.markup) for ln in lines] == [
        "Title line", "[Putin](p.md) met Kim.", "Second&#58; [Kim](k.md) again."]
    assert [ln.heading for ln in lines] == [True, False, False]


@given(st.text(max_size=120))
def test_safe_label_never_carries_mermaid_or_html_syntax(name: str) -> None:
    label = safe_label(name)
    assert label and len(label) <= 40
    assert not set(label) & set('"<>[](){}|#;:&`\\=_\n')


FORMAT_CHARACTERS = Path(__file__).parent / "fixtures" / "hostile" / "content" / "format-characters.md"
# Zero-width space, bidi marks, embeddings, overrides and isolates, soft hyphen: invisible characters
# that escaping turns into spaces.
INVISIBLE = "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u00ad"


def test_a_format_character_beside_a_linked_name_keeps_the_space_beside_it() -> None:
    text = FORMAT_CHARACTERS.read_text(encoding="utf-8")
    names = {"Hamas": "../actors/hamas.md", "Hezbollah": "../actors/hezbollah.md"}
    anchors = [Anchor(Span(m.start(), m.end(), m.group(0)), names[m.group(0)])
               for m in re.finditer("|".join(names), text)]
    for c in INVISIBLE:  # the fixture holds each one after the first name and before the second
        assert f"Hamas{c} and {c}Hezbollah" in text, hex(ord(c))
    lines = [ln for ln in linked_lines(text, anchors) if "Hamas" in ln.markup]
    assert len(lines) == len(INVISIBLE)
    for line in lines:
        html = markdown.markdown(str(line.markup))
        assert "Hamas</a> and <a" in html and "Hezbollah</a> met" in html, html
        assert not set(html) & set(INVISIBLE), html


@pytest.mark.parametrize("invisible", list(INVISIBLE))
@pytest.mark.parametrize("text, linked", [
    ("Hamas{c} and Hezbollah", "[Hamas](h.md) and Hezbollah"),
    ("Talks with {c}Hamas ended", "Talks with [Hamas](h.md) ended"),
    ("Talks with{c} Hamas{c} ended", "Talks with [Hamas](h.md) ended"),
    ("Talks{c}with{c}Hamas{c}ended", "Talks with [Hamas](h.md) ended"),
])
def test_an_invisible_character_at_either_side_of_a_link_counts_as_a_space(invisible: str, text: str,
                                                                          linked: str) -> None:
    text = text.format(c=invisible)
    s = text.index("Hamas")
    assert marked(text, 0, [Anchor(Span(s, s + 5, "Hamas"), "h.md")]) == linked


@pytest.mark.parametrize("name", ['A"]) --> B', "<b>x</b>", "click a0 call alert()", "#quot;#60;", "x\n y"])
def test_safe_label_examples(name: str) -> None:
    assert re.fullmatch(r"[\w .,'/-]+", safe_label(name))


def test_periods_fill_every_month_between_first_and_last() -> None:
    s = periods(["2023-07-27", "2023-04-13", "2023-07-26", "bad", "2023"])
    assert s == [("2023-04", 1), ("2023-05", 0), ("2023-06", 0), ("2023-07", 2)]


def test_periods_count_by_year_when_the_span_is_long() -> None:
    s = periods(["2015-01-01", "2019-06-02", "2019-07-01"])
    assert s == [("2015", 1), ("2016", 0), ("2017", 0), ("2018", 0), ("2019", 2)]


def test_chart_is_well_formed_svg_with_one_bar_per_period() -> None:
    svg = mentions_svg([("2023-04", 1), ("2023-05", 0), ("2023-07", 2)])
    root = ET.fromstring(svg)
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == 3
    heights = [float(r.get("height", "0")) for r in rects]
    assert heights[1] == 0 and heights[2] == pytest.approx(2 * heights[0])
    assert mentions_svg([("2023-04", 1)]) == mentions_svg([("2023-04", 1)])


def test_an_anchor_running_past_its_line_does_not_hide_the_next_one() -> None:
    text = "Alpha beta\ngamma"
    lines = linked_lines(text, [Anchor(Span(0, 13, "Alpha beta\nga"), "x.md"), Anchor(Span(6, 10, "beta"), "b.md")])
    assert [str(ln.markup) for ln in lines] == ["Alpha [beta](b.md)", "gamma"]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), st.lists(st.tuples(st.integers(0, 80),
       st.integers(1, 12)), max_size=5))
def test_marked_text_has_no_markup_but_ours(text: str, cuts: list[tuple[int, int]]) -> None:
    anchors = [Anchor(Span(s, min(len(text), s + n), text[s:s + n])) for s, n in cuts if s < len(text)]
    out = str(marked(text, 0, anchors))
    bare = out.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in bare and ">" not in bare and "\n" not in out
    assert not re.search(r"(?<!&#)[\[\]()*_`]", bare)
