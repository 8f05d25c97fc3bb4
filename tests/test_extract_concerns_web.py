"""Concerns as web news raises them: each evidence sentence must raise its concern, and common
near-misses (a missile test, a state moving its own aircraft, a group named in passing) must not.
Every article here is invented."""

from __future__ import annotations

import pytest

from generator.extract import Extractor
from generator.kb import load_kb
from generator.readers.text import parse_text


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_kb())


def concerns(extractor: Extractor, body: str) -> set[str]:
    doc = parse_text(f"Harbour report\n\n{body}\n", "a.txt")
    return {c.id for c in extractor.extract(doc).concerns}


RAISED = [
    ("Four Norlandic military planes entered Estmark's air defense identification zone on Monday, the "
     "fifth intrusion this month.", "territorial-dispute"),
    ("Coast guard ships rammed a patrol boat and opened fire on two others. The hostilities left three "
     "sailors wounded.", "armed-conflict"),
    ("The seizure ramped up bitter tensions between Norland and Estmark, and drew international "
     "condemnation.", "diplomatic-tension"),
    ("Security forces opened fire on protesters in the capital, and rights groups said dozens of "
     "activists were held without charge.", "human-rights"),
    ("Estmark accused Norland of arming the rebels with rockets and mortars.", "arms-transfer"),
]


@pytest.mark.parametrize(("body", "concern"), RAISED, ids=[c for _, c in RAISED])
def test_a_sentence_that_raises_the_concern_raises_it(extractor: Extractor, body: str, concern: str) -> None:
    assert concern in concerns(extractor, body)


NOT_RAISED = [
    ("Norland test-fired two short-range ballistic missiles into the sea on Thursday, the second launch "
     "this month; they flew 400 km.", "armed-conflict"),
    ("In response, Estmark sent fighter jets and deployed missile systems to track the Norlandic planes.",
     "arms-transfer"),
    ("The minister thanked allies for their support at the summit on harbour safety.", "military-alignment"),
    ("The mutiny in 2012 hastened the fall of the north to jihadist militants.", "terrorism"),
    ("Rockets hit the port; the ballistic missile strikes and missile attacks came from across the "
     "border, and air defenses tried to shoot down the missiles.", "missile-development"),
]


@pytest.mark.parametrize(("body", "concern"), NOT_RAISED, ids=[c for _, c in NOT_RAISED])
def test_a_near_miss_does_not_raise_the_concern(extractor: Extractor, body: str, concern: str) -> None:
    assert concern not in concerns(extractor, body)
