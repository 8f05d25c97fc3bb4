"""How central an actor or weapon is to an article, in [0, 1].

Mentions count, with extra weight for a mention in the title, in the lead (first body sentences)
and in subject position (among the first words of its sentence). The most salient item of a list
scores 1.0; the rest are scaled against it.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.models import Mention, SourceDoc, Span

LEAD_SENTENCES = 3
SUBJECT_CHARS = 25  # a mention starting this close to its sentence's start is in subject position
TYPE_WEIGHT = {"person": 1.5, "organization": 1.2, "group": 1.3, "country": 1.0}


class Salience:
    """The scoring of one article's mentions.

    What a mention adds for the sentence it stands in (2 in the title, 1 in the lead) is looked up
    in one table built per article, instead of testing set membership for every mention of every
    item. Every term is a multiple of 0.5, so the sums are exact and their order does not matter.
    """

    __slots__ = ("_extra", "_starts")

    def __init__(self, doc: SourceDoc, sentences: list[Span]) -> None:
        body = [i for i, s in enumerate(sentences) if s.start >= doc.body_start]
        lead = set(body[:LEAD_SENTENCES])
        self._extra = [2.0 if s.end <= doc.body_start else 1.0 if i in lead else 0.0
                       for i, s in enumerate(sentences)]
        self._starts = [s.start for s in sentences]

    def raw(self, mentions: Sequence[Mention], type_: str = "") -> float:
        """An item's score before scaling: 1 a mention, plus the title or lead bonus, plus 0.5 in
        subject position, plus 0.5 a distinct sentence, times the weight of its type."""
        extra, starts = self._extra, self._starts
        score = 0.0
        sents = set()
        for m in mentions:
            score += 1.0
            si = m.sentence
            sents.add(si)
            if si >= 0:  # -1: outside every sentence (no bonus)
                score += extra[si]
                if m.span.start - starts[si] <= SUBJECT_CHARS:
                    score += 0.5
        score += 0.5 * len(sents)
        # Named people and organisations say more about a story than the countries around them.
        return score * TYPE_WEIGHT.get(type_, 1.0)


def scale(raw: Sequence[float]) -> list[float]:
    """Raw scores against the highest, rounded to three places."""
    top = max(raw, default=0.0)
    return [round(r / top, 3) if top else 0.0 for r in raw]

