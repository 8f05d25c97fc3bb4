"""Property: any text at all extracts without error, and every span covers exactly its text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from generator.extract import Extractor
from generator.kb import load_kb
from generator.models import SourceDoc

EXTRACTOR = Extractor(load_kb())

WORDS = st.sampled_from([
    "Putin", "North Korea", "Russian", "President", "Gen.", "Lt.", "U.S.", "Pyongyang's", "said",
    "T-72B3", "HMS", "Daring", "(DDG 72)", "drones", "(SDF)", "Syrian Democratic Forces", "Mr", "the",
    "in", "war", "air strikes", ".", ",", "\n", "\n\n", "’s", "İ", "“", "”", "Ministry of", "Defence",
    "3.5", "Hwasong-18", "ISIL", "Council", "Kim Jong Un", "leader", "-", "'", "(", ")",
])
TEXTS = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=60).map(" ".join))


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.integers(min_value=0, max_value=5))
def test_any_text_extracts_with_exact_spans(text: str, n: int) -> None:
    nl = text.find("\n")
    doc = SourceDoc(path="p.txt", text=text, title=text[:nl] if nl > 0 else text,
                    body_start=nl + 1 if nl > 0 else 0)
    b = EXTRACTOR.extract(doc, summary_sentences=n)
    for item in (*b.actors, *b.weapons, *b.locations):
        for m in item.mentions:
            assert 0 <= m.span.start <= m.span.end <= len(text)
            assert text[m.span.start:m.span.end] == m.span.text
    for s in (*b.sentences, *b.summary, *(e for c in b.concerns for e in c.evidence)):
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end] == s.text
    assert len(b.summary) <= n
    assert b.to_record() == EXTRACTOR.extract(doc, summary_sentences=n).to_record()


DESIGNATOR_TEXTS = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="AB MZTmk-.0123456789١٢ ×x,'’(", max_size=60),
    st.lists(st.sampled_from(["Su-34", "T-72B3", "AK-47", ".223", "9mm", "7.62mm", "Glock 19", "M79",
                              "9K-38", "In", "2014", "-", " ", "x", "A", "1", "١"]), max_size=20).map("".join),
)


@settings(max_examples=examples(500), deadline=None)
@given(DESIGNATOR_TEXTS)
def test_weapon_patterns_tried_near_digits_find_what_finditer_finds(text: str) -> None:
    from generator.extract import weapons as w

    digits = [m.start() for m in w._DIGIT.finditer(text)]
    for rx, starts in ((w._HYPHENATED, w._hyphenated_starts(text, digits)),
                       (w._GLUED, w._starts(text, digits, 3, 1, "", w._UPPER)),
                       (w._NAMED_NUMBER, w._starts(text, digits, 14, 3, " ", w._UPPER)),
                       (w._CALIBRE, w._calibre_starts(text, digits))):
        assert [m.span() for m in w._scan(rx, text, starts)] == [m.span() for m in rx.finditer(text)]


WORD_TEXTS = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="aB1_-.'’ \n\té\u0639“”–—‘\u200eā²½İß(,x", max_size=60),
)


@settings(max_examples=examples(1000), deadline=None)
@given(WORD_TEXTS)
def test_word_bounds_are_the_regex_words(text: str) -> None:
    from itertools import accumulate

    from generator.extract.tokens import _PLAIN_SPLIT, word_bounds

    bounds = list(accumulate(map(len, _PLAIN_SPLIT.split(text)), initial=0))
    assert word_bounds(text) == (bounds[1:-1:2], bounds[2::2])


@settings(max_examples=examples(500), deadline=None)
@given(DESIGNATOR_TEXTS)
def test_weapon_patterns_tried_at_digit_runs_find_what_finditer_finds(text: str) -> None:
    from generator.extract import weapons as w
    from generator.extract.tokens import latin_view

    latin = latin_view(text)
    runs = w._digit_run_starts(latin)
    assert runs == [m.start() for m in re.finditer(r"\d+", text)]
    for rx, starts in ((w._HYPHENATED, w._hyphenated_starts(text, runs)),
                       (w._GLUED, w._starts(text, runs, 3, 1, "", w._UPPER)),
                       (w._NAMED_NUMBER, w._starts(text, runs, 14, 3, " ", w._UPPER)),
                       (w._CALIBRE, w._calibre_starts(text, runs))):
        assert [m.span() for m in w._scan(rx, text, starts)] == [m.span() for m in rx.finditer(text)]
    assert [m.span() for m in w._scan(w._SHIP, text, w._ship_starts(latin))] == \
        [m.span() for m in w._SHIP.finditer(text)]


SHIP_TEXTS = st.lists(st.sampled_from(["HMS", "USS", "XHMS", "ROKS", "KS", "-", "(", " ", "Daring", "a",
                                       "’", "İ", "\n", "\u00a0", "FS", "RFS", "ITS"]), max_size=12).map("".join)


@settings(max_examples=examples(500), deadline=None)
@given(st.one_of(SHIP_TEXTS, st.text(max_size=40)))
def test_ship_pattern_tried_at_navy_prefixes_finds_what_finditer_finds(text: str) -> None:
    from generator.extract import weapons as w
    from generator.extract.tokens import latin_view, occurrences

    assert [m.span() for m in w._scan(w._SHIP, text, w._ship_starts(latin_view(text)))] == \
        [m.span() for m in w._SHIP.finditer(text)]
    for word in ("HMS", "Daring", "a"):
        rx = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
        assert [m.span() for m in w._scan(rx, text, occurrences(text, word))] == \
            [m.span() for m in rx.finditer(text)]


SENTENCE_TEXTS = st.one_of(
    st.text(max_size=200),
    st.text(alphabet="aB1 .!?\"'”’)]([“‘\n\r\tÀUS", max_size=80),
    st.lists(st.sampled_from(["U.S.", "Gen.", "said.", "He", "...", "?!", "”", " ", "\n", "\r\n", "No.", "5",
                              "J.", "(", "e.g.", "Mr.", "!", "a"]), max_size=30).map(" ".join),
)


@settings(max_examples=examples(1000), deadline=None)
@given(SENTENCE_TEXTS)
def test_sentence_boundaries_and_lines_are_the_regex_ones(text: str) -> None:
    from generator.extract import sentences as s

    assert s._lines(text) == [(m.start(), m.group()) for m in s._LINE.finditer(text)]
    for _, body in s._lines(text):
        assert s._boundaries(body) == [m.end() for m in s._BOUNDARY.finditer(body)]


@settings(max_examples=examples(1000), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=30, unique_by=lambda t: t))
def test_settle_by_overlap_groups_is_longest_first_over_all(spans: list[tuple[int, int]]) -> None:
    from generator.extract.hits import SpanSet
    from generator.extract.matcher import Match, settle

    matches = [Match(s, s + n, ()) for s, n in spans]
    chosen: list[Match] = []  # the definition: longest first, earliest on ties, over all matches
    taken = SpanSet()
    for m in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
        if not taken.hits(m.start, m.end):
            chosen.append(m)
            taken.add(m.start, m.end)
    chosen.sort(key=lambda m: m.start)
    assert [(m.start, m.end) for m in settle(matches)] == [(m.start, m.end) for m in chosen]
