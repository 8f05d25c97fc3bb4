"""Entity precision on web-news shapes: places stay places, variants resolve to the known entity,
weapon words inside names are no weapons, offices before titles are roles. Invented text only."""

from __future__ import annotations

import pytest

from generator.extract import Extractor
from generator.kb import load_kb
from generator.models import Briefing
from generator.readers.text import parse_text


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_kb())


def brief(extractor: Extractor, body: str, title: str = "Harbour report") -> Briefing:
    return extractor.extract(parse_text(f"{title}\n\n{body}\n", "a.txt"))


def actor_names(b: Briefing) -> dict[str, str]:
    return {a.name: a.type for a in b.actors}


PLACES = [
    ("Officials met at the Demilitarized Zone on Friday to talk.", "DMZ"),
    ("The envoy said the Middle East needed calm, and left on Monday.", "Middle East"),
    ("Rockets rose from the Vostochny Cosmodrome as guests watched.", "Vostochny Cosmodrome"),
    ("Fishing fleets sailed to the Far East before the storm.", "Russian Far East"),
]


@pytest.mark.parametrize(("sentence", "place"), PLACES, ids=[p for _, p in PLACES])
def test_a_place_the_kb_knows_is_a_place_not_a_person(extractor: Extractor, sentence: str, place: str) -> None:
    b = brief(extractor, sentence)
    assert place in {loc.name for loc in b.locations}
    assert not any(a.type == "person" for a in b.actors)


VARIANTS = [
    ("Russia launched four Shahed-136s overnight; one Shahed-136 hit a depot.", "weapons", "Shahed-136"),
    ("The Wagner Private Military Company said its men held the bridge.", "actors", "Wagner Group"),
    ("The Hamas movement said the ferry was stopped.", "actors", "Hamas"),
]


@pytest.mark.parametrize(("sentence", "kind", "name"), VARIANTS, ids=[n for *_, n in VARIANTS])
def test_a_variant_resolves_to_the_known_entity(extractor: Extractor, sentence: str, kind: str, name: str) -> None:
    items = getattr(brief(extractor, sentence), kind)
    assert [i.name for i in items if name.split()[0] in i.name] == [name]


NOT_WEAPONS = [
    ("A Washington think tank said the harbour was safe.", "tanks"),
    ("The Munitions Industry Department opened a harbour office.", "munitions"),
    ("Engineers cleaned a fuel tank at the harbour.", "tanks"),
]


@pytest.mark.parametrize(("sentence", "weapon"), NOT_WEAPONS, ids=[s.split()[2] for s, _ in NOT_WEAPONS])
def test_a_weapon_word_inside_a_name_or_phrase_is_no_weapon(extractor: Extractor, sentence: str,
                                                             weapon: str) -> None:
    assert weapon not in {w.name for w in brief(extractor, sentence).weapons}


def test_an_office_before_a_title_is_part_of_the_role(extractor: Extractor) -> None:
    b = brief(extractor, "Cabinet Secretary Aiko Tanabe said the port would reopen. Aiko Tanabe added "
                         "that ferries would run.")
    names = actor_names(b)
    assert names.get("Aiko Tanabe") == "person"
    assert "Cabinet" not in names


@pytest.mark.parametrize("adverb", ["Later", "Perhaps", "Earlier"])
def test_a_sentence_adverb_does_not_open_a_name(extractor: Extractor, adverb: str) -> None:
    b = brief(extractor, f"{adverb} Defence Minister Lars Odegaard spoke to the crews.")
    assert "Lars Odegaard" in actor_names(b)
    assert not any(adverb in a.name for a in b.actors)


@pytest.mark.parametrize(("full", "short"), [("Ri Pyong Chol", "Ri"), ("Oda Kenji Maru", "Oda")])
def test_a_short_form_resolves_to_the_full_name_in_the_title(extractor: Extractor, full: str, short: str) -> None:
    text = (f"{full} oversees test of new harbour drone\n\n{short} watched the test on Tuesday, state media "
            f"said. {short} said the drone met its goals. Officials praised {short} for the work.\n")
    b = extractor.extract(parse_text(text, "a.txt"))
    people = [a for a in b.actors if a.type == "person"]
    assert [(a.name, len(a.mentions)) for a in people] == [(full, 4)]


def test_an_office_in_the_title_is_no_person(extractor: Extractor) -> None:
    b = extractor.extract(parse_text("Foreign Secretary welcomes new ferry rules\n\nThe rules start in May.\n",
                                     "a.txt"))
    assert not any(a.type == "person" for a in b.actors)


def test_bare_missiles_join_the_one_narrower_missile_class(extractor: Extractor) -> None:
    b = brief(extractor, "Norland fired two ballistic missiles on Monday. The missiles flew 600 km.")
    assert [(w.name, len(w.mentions)) for w in b.weapons] == [("ballistic missiles", 2)]


def test_bare_missiles_stay_apart_when_two_classes_could_be_meant(extractor: Extractor) -> None:
    b = brief(extractor, "Norland fired ballistic missiles and cruise missiles on Monday. The missiles flew far.")
    assert "missiles" in {w.name for w in b.weapons}


def test_a_title_case_line_names_no_weapon_by_its_capitals(extractor: Extractor) -> None:
    b = extractor.extract(parse_text("Norland Announces Missile Was New Design Capable Of Striking Ports.\n\n"
                                     "Norland said the missile flew 900 km.\n", "a.txt"))
    assert not any(w.discovered for w in b.weapons)
