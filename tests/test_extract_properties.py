"""Property: any text at all extracts without error, and every span covers exactly its text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
