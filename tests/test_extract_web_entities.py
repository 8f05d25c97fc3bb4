"""One entity per real-world thing on web-news shapes: class words that describe a named system,
agents that name their class, demonym bodies and plural demonyms, acronyms and initials, offices
without a holder. Invented text only."""

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


def weapon_names(b: Briefing) -> list[str]:
    return sorted(w.name for w in b.weapons)


def actor_names(b: Briefing) -> list[str]:
    return sorted(a.name for a in b.actors)


# ---------------------------------------------------------------- weapons

def test_a_class_noun_right_after_a_named_system_describes_it(extractor: Extractor) -> None:
    b = brief(extractor, "Two Shenyang J-16 fighter jets crossed the line near the harbour on Sunday.")
    assert weapon_names(b) == ["J-16"]


def test_a_class_noun_elsewhere_in_the_article_stays_listed(extractor: Extractor) -> None:
    b = brief(extractor, "Two J-16 aircraft crossed the line on Sunday. Later, six fighter jets followed them.")
    assert "fighter jets" in weapon_names(b)


def test_the_bare_agent_is_the_one_named_agent(extractor: Extractor) -> None:
    b = brief(extractor, "Inspectors said the Novichok nerve agent was found at the harbour. "
                         "The nerve agent had been painted on a door handle.")
    assert weapon_names(b) == ["Novichok"]
    assert len(b.weapons[0].mentions) == 2


def test_a_nerve_agent_with_no_named_agent_is_its_own_class(extractor: Extractor) -> None:
    b = brief(extractor, "Police said a nerve agent was used at the harbour. The attack broke the ban on "
                         "chemical weapons, the minister said.")
    assert weapon_names(b) == ["chemical weapons", "nerve agents"]


def test_a_weapon_word_loading_another_weapon_is_its_load(extractor: Extractor) -> None:
    b = brief(extractor, "Ten bomb-laden drones struck the harbour depot before dawn.")
    assert weapon_names(b) == ["drones"]


def test_the_rocket_word_of_an_icbm_is_the_icbm(extractor: Extractor) -> None:
    b = brief(extractor, "The agency said the intercontinental ballistic rocket flew for forty minutes.")
    assert weapon_names(b) == ["ICBMs"]


def test_warplanes_are_military_aircraft_not_fighters(extractor: Extractor) -> None:
    b = brief(extractor, "Forty warplanes crossed the zone: twenty fighter jets, ten bombers and other planes.")
    assert weapon_names(b) == ["bombers", "fighter jets", "military aircraft"]


def test_a_launcher_vehicle_and_its_acronym_are_one_weapon(extractor: Extractor) -> None:
    b = brief(extractor, "The missile rose from a transporter-erector-launcher (TEL) parked by the harbour. "
                         "The TEL then drove away.")
    assert "mobile missile launchers" in weapon_names(b)
    assert not any(a.name == "TEL" for a in b.actors)


def test_a_count_is_no_designator(extractor: Extractor) -> None:
    b = brief(extractor, "Aircraft entered the Harbour Zone 27 times in March, the ministry said of its missile tests.")
    assert not any(w.discovered for w in b.weapons)


# ---------------------------------------------------------------- persons

def test_an_honorific_makes_a_surname_a_person_and_bare_mentions_follow(extractor: Extractor) -> None:
    b = brief(extractor, "Police said Mr Veller was found on a bench. Veller, 66, was a former officer.")
    people = [a for a in b.actors if a.type == "person"]
    assert [(p.name, len(p.mentions)) for p in people] == [("Veller", 2)]


def test_an_honorific_with_a_surname_joins_the_full_name(extractor: Extractor) -> None:
    b = brief(extractor, "The attack on Anton Veller shocked the town. Police said Mr Veller was found on a bench.")
    people = [a for a in b.actors if a.type == "person"]
    assert [(p.name, len(p.mentions)) for p in people] == [("Anton Veller", 2)]


def test_a_given_name_after_a_family_word_is_a_person(extractor: Extractor) -> None:
    b = brief(extractor, "Anton Veller and his daughter Mila were found on a bench near the harbour.")
    assert {a.name for a in b.actors if a.type == "person"} == {"Anton Veller", "Mila"}


@pytest.mark.parametrize(("sentence", "name"), [
    ("Others were hurt, including Detective Sergeant Tom Harlow, the police said.", "Tom Harlow"),
    ("“We are on track,” said Harbourco CEO Jane R. Lark, after the vote.", "Jane R. Lark"),
])
def test_a_title_after_a_qualifier_makes_the_name_a_person(extractor: Extractor, sentence: str, name: str) -> None:
    people = [a for a in brief(extractor, sentence).actors if a.type == "person"]
    assert [p.name for p in people] == [name]


# ---------------------------------------------------------------- bodies and organisations

def test_a_states_citizens_are_no_actor_of_their_own(extractor: Extractor) -> None:
    b = brief(extractor, "Britain said the attack threatened British citizens in the harbour town.")
    assert actor_names(b) == ["United Kingdom"]


def test_a_possessive_state_names_its_body(extractor: Extractor) -> None:
    b = brief(extractor, "Iraq's military said rockets hit the base. Iraq asked for calm.")
    assert actor_names(b) == ["Iraq", "Iraq's military"]


@pytest.mark.parametrize("sentence", [
    "Rockets hit two Iraqi military bases that host foreign troops. Iraq asked for calm.",
    "A drone killed the deputy head of Iraqi militia Kataib Hezbollah. Iraq asked for calm.",
])
def test_a_demonym_body_that_only_describes_is_no_actor(extractor: Extractor, sentence: str) -> None:
    assert not any(a.name.startswith("Iraqi ") for a in brief(extractor, sentence).actors)


def test_a_demonym_before_a_known_body_is_that_body(extractor: Extractor) -> None:
    b = brief(extractor, "The Russian Federal Security Service said the boats were seized near the harbour.")
    assert actor_names(b) == ["FSB"]


def test_a_states_embassy_is_a_body_of_that_state(extractor: Extractor) -> None:
    b = brief(extractor, "The Russian Embassy said the claims were false. Russia denied the attack.")
    assert actor_names(b) == ["Russia", "Russian Embassy"]


def test_a_name_ending_in_a_body_word_is_one_organisation(extractor: Extractor) -> None:
    b = brief(extractor, "Shares in Canadian Harbour Railway rose after Canadian Harbour Railway beat forecasts.")
    assert actor_names(b) == ["Canadian Harbour Railway"]


@pytest.mark.parametrize("sentence", [
    "The president tweeted that it was “Mission Accomplished!” on Friday.",
    "After a first Golden Bowl title, the pair rose to number one.",
    "Militants operate across the centre of the West African country.",
])
def test_a_capitalised_phrase_that_names_no_one_is_no_actor(extractor: Extractor, sentence: str) -> None:
    assert actor_names(brief(extractor, sentence)) == []


def test_an_office_alone_is_the_one_person_the_kb_gives_it(extractor: Extractor) -> None:
    b = brief(extractor, "Theresa May spoke on Monday. The Prime Minister is suspending all high-level contacts.")
    assert actor_names(b) == ["Theresa May"]
    assert len(b.actors[0].mentions) == 2


# ---------------------------------------------------------------- acronyms and short forms

@pytest.mark.parametrize(("body", "name", "short"), [
    ("South Korea's Joint Chiefs of Staff said two missiles flew east. Both fell into the sea, the JCS said.",
     "South Korean Joint Chiefs of Staff", "JCS"),
    ("South Korea’s Joint Chiefs of Staff (JCS) said two missiles flew east. Later the JCS said more.",
     "South Korean Joint Chiefs of Staff", "JCS"),
    ("Harbour Pacific Railway (NYSE: HP) beat forecasts on Tuesday, and HP stock rose.",
     "Harbour Pacific Railway", "HP"),
    ("Protesters asked President Anton Boris Veller to resign. “ABV did not listen,” their spokesman said.",
     "Anton Boris Veller", "ABV"),
])
def test_an_acronym_spelling_out_a_name_in_the_article_is_that_actor(extractor: Extractor, body: str,
                                                                      name: str, short: str) -> None:
    b = brief(extractor, body)
    actor = next(a for a in b.actors if a.name == name)
    assert short in {m.span.text for m in actor.mentions}
    assert not any(a.name in (short, "Joint Chiefs of Staff") for a in b.actors)


def test_the_organisation_of_an_office_is_read(extractor: Extractor) -> None:
    b = brief(extractor, "Tom Harlow, President and CEO of Canadian Harbour Railway, said in a statement.")
    assert actor_names(b) == ["Canadian Harbour Railway", "Tom Harlow"]


def test_where_something_is_based_is_a_place_not_an_actor(extractor: Extractor) -> None:
    b = brief(extractor, "Fighting killed thousands, according to the U.S.-based monitor ACLED.")
    assert actor_names(b) == ["ACLED"]
    assert "U.S." in {m.span.text for loc in b.locations for m in loc.mentions}


def test_a_states_government_by_possessive_is_the_state(extractor: Extractor) -> None:
    b = brief(extractor, "Ukraine’s government met on Sunday. Ukraine protested the seizure.")
    assert actor_names(b) == ["Ukraine"]


def test_a_body_written_in_lower_case_after_its_acronym_or_demonym_is_the_known_body(extractor: Extractor) -> None:
    b = brief(extractor, "Russia, a permanent member of the UN security council, said the Russian defence "
                         "ministry would answer.")
    assert actor_names(b) == ["Russia", "Russian Ministry of Defence", "UN Security Council"]


def test_a_qualified_office_before_a_known_person_is_that_persons_role(extractor: Extractor) -> None:
    b = brief(extractor, "National Defense Minister Li Shangfu met the envoy at the harbour.")
    assert [(a.name, a.role) for a in b.actors] == [("Li Shangfu", "National Defense Minister")]


def test_new_opening_a_name_inside_a_sentence_is_part_of_it(extractor: Extractor) -> None:
    b = brief(extractor, "The strike hit the depot, the New Harbour Times reported on Sunday.")
    assert actor_names(b) == ["New Harbour Times"]


def test_an_office_without_its_holder_is_weak_however_often_repeated(extractor: Extractor) -> None:
    b = brief(extractor, "The Defence Secretary said the test worked. The Defence Secretary also said more "
                         "tests would follow.")
    offices = [a for a in b.actors if a.type == "person"]
    assert [(a.name, len(a.mentions), a.weak) for a in offices] == [("Defence Secretary", 2, True)]


def test_a_run_ending_in_an_office_is_an_office_not_a_name(extractor: Extractor) -> None:
    b = brief(extractor, "The National Defense Minister said the test at the harbour worked. Later the "
                         "National Defense Minister said more.")
    assert [(a.name, a.role, a.weak) for a in b.actors] == [
        ("National Defense Minister", "National Defense Minister", True)]
