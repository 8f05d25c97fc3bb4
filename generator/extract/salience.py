"""How central an actor or weapon is to an article, in [0, 1].

Mentions count, with extra weight for a mention in the title, in the lead (first body sentences)
and in subject position (among the first words of its sentence). The most salient item of a list
scores 1.0; the rest are scaled against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.models import SourceDoc, Span

LEAD_SENTENCES = 3
TYPE_WEIGHT = {"person": 1.5, "organization": 1.2, "group": 1.3, "country": 1.0}


def salience(items: Sequence[Any], doc: SourceDoc, sentences: list[Span]) -> list[float]:
    body = [i for i, s in enumerate(sentences) if s.start >= doc.body_start]
    lead = set(body[:LEAD_SENTENCES])
    title_sents = {i for i, s in enumerate(sentences) if s.end <= doc.body_start}
    raw: list[float] = []
    for item in items:
        score = 0.0
        sents = set()
        for m in item.mentions:
            score += 1.0
            si = m.sentence
            sents.add(si)
            if si in title_sents:
                score += 2.0
            elif si in lead:
                score += 1.0
            if 0 <= si < len(sentences) and m.span.start - sentences[si].start <= 25:
                score += 0.5
        score += 0.5 * len(sents)
        # Named people and organisations say more about a story than the countries around them.
        score *= TYPE_WEIGHT.get(getattr(item, "type", ""), 1.0)
        raw.append(score)
    top = max(raw, default=0.0)
    return [round(r / top, 3) if top else 0.0 for r in raw]
