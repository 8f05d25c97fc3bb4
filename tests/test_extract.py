"""Table-driven tests of each extraction step, on a small knowledge base built in the test."""

from __future__ import annotations

import pytest

from generator.extract import Extractor
from generator.extract.matcher import AliasIndex, Target, fold, plural_forms
from generator.extract.sentences import is_headline, split_sentences
from generator.kb import Cue, KBActor, KBConcern, KBLocation, KBWeapon, KnowledgeBase
from generator.models import Actor, Briefing, Overrides, SourceDoc, Span


def _kb() -> KnowledgeBase:
    actors = {
        "russia": KBActor("russia", "Russia", "country", aliases=("Russian Federation",),
                          demonyms=("Russian",), capitals=("Moscow",)),
        "north-korea": KBActor("north-korea", "North Korea", "country", aliases=("DPRK",),
                               demonyms=("North Korean",), capitals=("Pyongyang",)),
        "china": KBActor("china", "China", "country", demonyms=("Chinese",), capitals=("Beijing",)),
        "united-states": KBActor("united-states", "United States", "country", aliases=("US", "U.S."),
                                 demonyms=("American",), capitals=("Washington",)),
        "vladimir-putin": KBActor("vladimir-putin", "Vladimir Putin", "person", aliases=("Putin",),
                                  affiliation="russia"),
        "islamic-state": KBActor("islamic-state", "Islamic State", "group", aliases=("ISIL", "Daesh")),
    }
    weapons = {
        "hwasong-18": KBWeapon("hwasong-18", "Hwasong-18", "ICBM", "missile", operator="north-korea"),
        "icbm": KBWeapon("icbm", "intercontinental ballistic missile", "ICBM", "missile", generic=True,
                         aliases=("ICBM",)),
        "artillery-shells": KBWeapon("artillery-shells", "artillery shells", "artillery shell",
                                     "artillery", generic=True),
        "drones": KBWeapon("drones", "drones", "drone", "drone", generic=True),
        "tanks": KBWeapon("tanks", "tanks", "tank", "armour", generic=True),
    }
    concerns = {
        "arms-transfer": KBConcern("arms-transfer", "Arms transfers", "", (
            Cue(2.0, all=(("supplie*", "furnish*", "deliver*"), ("weapon:*", "munitions"))),), 2.0),
        "armed-conflict": KBConcern("armed-conflict", "Armed conflict", "", (
            Cue(2.0, terms=("air strikes", "shelling")), Cue(0.5, terms=("war",)),
            Cue(-2.0, terms=("price war",))), 2.0),
        "missile-development": KBConcern("missile-development", "Missile development", "", (
            Cue(2.0, all=(("weapon:missile",), ("test*", "launch*", "parade"))),), 2.0),
    }
    locations = {"donbas": KBLocation("donbas", "Donbas", aliases=("Donbass",))}
    return KnowledgeBase(actors, weapons, concerns, locations, "test")


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(_kb())


def run(ex: Extractor, text: str, **kw: object) -> Briefing:
    nl = text.find("\n")
    title = text[:nl] if nl > 0 else text
    doc = SourceDoc(path="t.txt", text=text, title=title, body_start=nl + 1 if nl > 0 else 0, **kw)  # type: ignore[arg-type]
    return ex.extract(doc)


def assert_spans_exact(b: Briefing) -> None:
    text = b.doc.text
    for item in (*b.actors, *b.weapons, *b.locations):
        for m in item.mentions:
            assert text[m.span.start:m.span.end] == m.span.text
    for c in b.concerns:
        for e in c.evidence:
            assert text[e.start:e.end] == e.text
            assert e in b.sentences
    for s in b.summary:
        assert text[s.start:s.end] == s.text


# ------------------------------------------------------------------ sentences
@pytest.mark.parametrize("text, expected", [
    ("The U.S. Army said so. It left.", ["The U.S. Army said so.", "It left."]),
    ("Gen. Joseph Votel spoke. Lt. Col. Ann Lee agreed.", ["Gen. Joseph Votel spoke.", "Lt. Col. Ann Lee agreed."]),
    ("Lt. Gen. Stephen J. Townsend said it. Then he left.", ["Lt. Gen. Stephen J. Townsend said it.", "Then he left."]),
    ("Dr Smith paid 3.5 million. Mr Colville agreed.", ["Dr Smith paid 3.5 million.", "Mr Colville agreed."]),
    ('He said: "We will win." "No," she said.', ['He said: "We will win."', '"No," she said.']),
    ("Title line\n\nBody sentence one. Body two!", ["Title line", "Body sentence one.", "Body two!"]),
    ("Is it over? Yes.", ["Is it over?", "Yes."]),
    ("", []),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    spans = split_sentences(text)
    assert [s.text for s in spans] == expected
    assert all(text[s.start:s.end] == s.text for s in spans)


@pytest.mark.parametrize("line, expected", [
    ("North Korea's Support and Putin's Message", True),
    ("Putin thanked North Korea for its support.", False),
    ("Remembering the Korean War", True),
])
def test_is_headline(line: str, expected: bool) -> None:
    assert is_headline(split_sentences(line)[0]) is expected


# ------------------------------------------------------------------ matcher
def test_matcher_whole_words_case_and_longest() -> None:
    idx = AliasIndex([("US", Target("actor", "us", "alias", None)),
                      ("North Korea", Target("actor", "nk", "name", None)),
                      ("Korea", Target("actor", "korea", "name", None)),
                      ("drones", Target("weapon", "d", "name", None))])
    text = "Let us see: North Korea and the US sent Drones, not dronesX."
    found = [(text[m.start:m.end], m.targets[0].id) for m in idx.find(text)]
    assert found == [("North Korea", "nk"), ("US", "us"), ("Drones", "d")]


def test_fold_keeps_length() -> None:
    s = "İstanbul’s “quote” – dash"
    assert len(fold(s)) == len(s)


@pytest.mark.parametrize("phrase, variants", [
    ("artillery shells", ["artillery shell"]), ("drone", ["drones"]), ("ICBM", ["ICBMs"]),
    ("missile", ["missiles"]), ("battery", ["batteries"]),
])
def test_plural_forms(phrase: str, variants: list[str]) -> None:
    assert plural_forms(phrase) == variants


# ------------------------------------------------------------------ actors and resolution
def _actor(b: Briefing, name: str) -> Actor:
    return next(a for a in b.actors if a.name == name)


def test_person_title_surname_and_possessive_are_one_actor(ex: Extractor) -> None:
    b = run(ex, "Putin speaks\nRussian President Vladimir Putin spoke. Putin's words were clear. Putin left.")
    putin = [a for a in b.actors if a.id == "vladimir-putin"]
    assert len(putin) == 1
    assert len(putin[0].mentions) >= 3
    assert putin[0].role == "Russian President"
    assert any(a.id == "russia" for a in b.actors)  # "Russian" points to its country


@pytest.mark.parametrize("text, actor_ids, location_names", [
    ("T\nPyongyang's assistance was not disclosed.", {"north-korea"}, set()),
    ("T\nMoscow said the talks had failed.", {"russia"}, set()),
    ("T\nThe parade in Pyongyang was large.", set(), {"Pyongyang"}),
    ("T\nNorth Korean troops and Chinese officials met.", {"china"}, set()),
])
def test_capitals_as_metonyms_or_places(ex: Extractor, text: str, actor_ids: set[str],
                                        location_names: set[str]) -> None:
    b = run(ex, text)
    assert actor_ids <= {a.id for a in b.actors}
    assert {loc.name for loc in b.locations} >= location_names
    if not actor_ids:
        assert not any(a.type == "country" for a in b.actors)


@pytest.mark.parametrize("text, name, atype, role", [
    ("T\nRussian Defense Minister Sergei Shoigu attended.", "Sergei Shoigu", "person", "Russian Defense Minister"),
    ("T\nThe general, Lt. Gen. Stephen J. Townsend, spoke.", "Stephen J. Townsend", "person", "Lt. Gen."),
    ("T\nThey joined North Korean leader Kim Jong Un on the stand.", "Kim Jong Un", "person", "North Korean leader"),
    ("T\nChinese Communist Party Politburo member Li Hongzhong came.", "Li Hongzhong", "person", ""),
    ("T\nMr Colville said the attacks must stop.", "Colville", "person", "Mr"),
    ("T\nThe Ministry of Foreign Affairs issued a statement.", "Ministry of Foreign Affairs", "organization", ""),
    ("T\nThe Syrian Democratic Forces advanced.", "Syrian Democratic Forces", "organization", ""),
])
def test_discovery_by_form(ex: Extractor, text: str, name: str, atype: str, role: str) -> None:
    b = run(ex, text)
    a = _actor(b, name)
    assert a.type == atype and a.discovered
    if role:
        assert a.role == role


def test_acronym_defined_in_text(ex: Extractor) -> None:
    b = run(ex, "T\nThe Syrian Democratic Forces (SDF) took the town. The SDF said it held it.")
    sdf = _actor(b, "Syrian Democratic Forces")
    # The bracketed definition is itself a mention, as annotators label it.
    assert [m.span.text for m in sdf.mentions] == ["Syrian Democratic Forces", "SDF", "SDF"]


def test_surname_links_to_discovered_full_name(ex: Extractor) -> None:
    b = run(ex, "T\nDefence Minister Kenji Harada spoke on Monday. Harada said the launch was a threat.")
    harada = _actor(b, "Kenji Harada")
    assert len(harada.mentions) == 2


# ------------------------------------------------------------------ weapons
@pytest.mark.parametrize("text, names", [
    ("T\nThe parade featured the Hwasong-18 and new drones.", {"Hwasong-18", "drones"}),
    ("T\nThey fired artillery shells. One artillery shell failed.", {"artillery shells"}),
    ("T\nRebels used RPG-7 launchers and M79 grenade launchers.", {"RPG-7", "M79"}),
    ("T\nUnits received T-72B3 tanks and Su-34 bombers.", {"T-72B3", "Su-34"}),
    ("T\nThe Chinese FN MAG machine guns were found.", {"FN MAG"}),
    ("T\nThe destroyer USS Mahan (DDG 72) sailed with HMS Daring.", {"USS Mahan", "HMS Daring"}),
    ("T\nIt carried AIM-9 Sidewinder missiles.", {"AIM-9 Sidewinder"}),
])
def test_weapons(ex: Extractor, text: str, names: set[str]) -> None:
    b = run(ex, text)
    assert names <= {w.name for w in b.weapons}
    assert_spans_exact(b)


def test_generic_variants_merge(ex: Extractor) -> None:
    b = run(ex, "T\nDrones hit the town. A drone was shot down. More drones came.")
    drones = [w for w in b.weapons if w.id == "drones"]
    assert len(drones) == 1 and len(drones[0].mentions) == 3 and drones[0].generic


# ------------------------------------------------------------------ concerns
@pytest.mark.parametrize("text, expected", [
    ("T\nUS officials said North Korea furnished rockets and artillery shells to Russia.", {"arms-transfer"}),
    ("T\nAir strikes and shelling continued in the east.", {"armed-conflict"}),
    ("T\nThe parade showed the Hwasong-18 and its launch vehicle.", {"missile-development"}),
    ("T\nThe council approved a budget. The mayor warned of a price war between supermarkets.", set()),
    ("T\nThe war of ideas goes on.", set()),
])
def test_concerns(ex: Extractor, text: str, expected: set[str]) -> None:
    b = run(ex, text)
    assert {c.id for c in b.concerns} == expected
    assert_spans_exact(b)
    for c in b.concerns:
        assert c.evidence


# ------------------------------------------------------------------ summary and overrides
ARTICLE = """Putin thanks North Korea
Russian President Vladimir Putin thanked North Korea for its support in the war.
The weather in Moscow was mild and sunny on the day of the message.
Putin said Russia and North Korea shared interests and would deepen military cooperation.
North Korea displayed the Hwasong-18 at a parade in Pyongyang.
A band played."""


def test_summary_in_document_order_and_count(ex: Extractor) -> None:
    b = run(ex, ARTICLE)
    assert len(b.summary) == 3
    starts = [s.start for s in b.summary]
    assert starts == sorted(starts)
    assert all(s.start >= b.doc.body_start for s in b.summary)
    assert "A band played." not in [s.text for s in b.summary]


def test_summary_sentences_parameter(ex: Extractor) -> None:
    doc = SourceDoc(path="a.txt", text=ARTICLE, title="Putin thanks North Korea", body_start=ARTICLE.find("\n") + 1)
    assert len(ex.extract(doc, summary_sentences=1).summary) == 1
    assert ex.extract(doc, summary_sentences=0).summary == ()


# A page's display lines in the body: the headline again without its stop, a kicker line and a
# standfirst that the third paragraph repeats word for word inside a longer sentence.
DISPLAY_LINES = """Harbour talks stall
Harbour talks stall as Russia recalls its envoy
THE HARBOUR DISPUTE: Russia recalls envoy as talks stall over the northern port.
Russia withdrew its envoy from the northern port talks.
Russian negotiators left the talks in Pyongyang on Monday after a dispute over fishing rights in the northern port.
North Korea said the talks would resume once Russia named a new envoy for the port.
Russia withdrew its envoy from the northern port talks on Monday, officials in Moscow confirmed later.
The port handles most of the fishing fleet of the region and its trade with Russia.
A band played."""


def test_summary_never_picks_display_lines(ex: Extractor) -> None:
    texts = [s.text for s in run(ex, DISPLAY_LINES).summary]
    assert len(texts) == 3
    assert "Harbour talks stall as Russia recalls its envoy" not in texts  # no closing stop
    assert not any(t.startswith("THE HARBOUR DISPUTE") for t in texts)  # a kicker line
    assert "Russia withdrew its envoy from the northern port talks." not in texts  # repeated standfirst
    assert texts[0].startswith("Russian negotiators left the talks")


def _article(n_sentences: int) -> str:
    lead = ("Russian President Vladimir Putin told North Korea on Monday that Russia would send more "
            "artillery shells and engineers to the border region before the end of the year, officials said.")
    second = ("North Korea said in a statement carried by its state media that the shipments would arrive "
              "by rail through the border crossing near the port within the next three weeks.")
    rest = ["The weather in the capital was mild.", "A band played at the station.",
            "Traffic was slow on the coast road.", "Schools closed early for the holiday.",
            "The harvest was late this autumn.", "Fishing boats stayed in the harbour.",
            "A museum reopened after repairs.", "Ferries ran to the islands as usual.",
            "The river was high after the rain.", "Markets were busy in the evening.",
            "A new bridge opened to cyclists.", "Flights left on time all week."][:n_sentences - 2]
    return "Putin pledges shells\n" + "\n".join([lead, second, *rest])


def test_short_article_gets_a_two_sentence_bottom_line(ex: Extractor) -> None:
    short = run(ex, _article(8)).summary
    assert [s.text[:20] for s in short] == ["Russian President Vl", "North Korea said in "]
    assert len(run(ex, _article(14)).summary) == 3  # a longer article keeps three


def test_two_sentence_bottom_line_comes_from_the_opening(ex: Extractor) -> None:
    text = _article(8) + ("\nRussian President Vladimir Putin told North Korea that Russia would send "
                          "artillery shells by rail through the border crossing near the port, officials "
                          "in Moscow and North Korea said in a statement carried by state media.")
    assert [s.text[:20] for s in run(ex, text).summary] == ["Russian President Vl", "North Korea said in "]


def test_short_bottom_line_only_when_two_sentences_make_one(ex: Extractor) -> None:
    text = ("Putin visits\nPutin arrived in Pyongyang on Monday.\nNorth Korea welcomed him at the airport.\n"
            "Putin and North Korea signed a military cooperation treaty.\nThe visit lasted two days.")
    assert len(run(ex, text).summary) == 3


def test_overrides(ex: Extractor) -> None:
    ov = Overrides(add_actors=("china",), suppress_actors=("Russia",), add_weapons=("tanks",),
                   suppress_concerns=("armed-conflict",), add_concerns=("arms-transfer",),
                   summary=("A hand-written summary.", "A band played."))
    doc = SourceDoc(path="a.txt", text=ARTICLE, title="T", body_start=ARTICLE.find("\n") + 1, overrides=ov)
    b = ex.extract(doc)
    ids = {a.id for a in b.actors}
    assert "china" in ids and "russia" not in ids
    assert "tanks" in {w.id for w in b.weapons}
    assert "arms-transfer" in {c.id for c in b.concerns}
    assert "armed-conflict" not in {c.id for c in b.concerns}
    assert b.summary[0].start == -1 and b.summary[1].text == "A band played."
    assert ARTICLE[b.summary[1].start:b.summary[1].end] == "A band played."


def test_deterministic_and_sorted_by_salience(ex: Extractor) -> None:
    a, b = run(ex, ARTICLE), run(ex, ARTICLE)
    assert a.to_record() == b.to_record()
    sal = [x.salience for x in a.actors]
    assert sal == sorted(sal, reverse=True) and sal[0] == 1.0
    assert all(0.0 <= x.salience <= 1.0 for x in (*a.actors, *a.weapons))


def test_headings_are_not_summary_but_count_mentions(ex: Extractor) -> None:
    text = ("Title\nPutin spoke at length about North Korea today.\nNorth Korea and Russia\n"
            "Russia agreed with North Korea on every point raised.")
    h_start = text.find("North Korea and Russia")
    doc = SourceDoc(path="a.txt", text=text, title="Title", body_start=6,
                    headings=(Span(h_start, h_start + 22, "North Korea and Russia"),))
    b = ex.extract(doc)
    assert "North Korea and Russia" not in [s.text for s in b.summary]
    nk = next(a for a in b.actors if a.id == "north-korea")
    assert any(m.span.start == h_start for m in nk.mentions)


# ------------------------------------------------------------------ places read from context
def _places(ex: Extractor, text: str) -> list[str]:
    return [loc.name for loc in run(ex, "Report\n" + text).locations]


@pytest.mark.parametrize("text, place", [
    ("Shelling hit villages in Donbas, Varkino and Pelsk on Monday.", "Varkino"),
    ("Shelling hit villages in Donbas, Varkino and Pelsk on Monday.", "Pelsk"),
    ("The convoy stopped northwest of Velmar on Tuesday.", "Velmar"),
    ("Fighting spread into the Sarq mountains overnight.", "Sarq mountains"),
    ("Troops entered several towns in the north including Amrak and Sulin.", "Amrak"),
    ("Troops entered several towns in the north including Amrak and Sulin.", "Sulin"),
])
def test_places_read_from_context(ex: Extractor, text: str, place: str) -> None:
    assert place in _places(ex, text)


@pytest.mark.parametrize("text, not_place", [
    ("Ministers of the Global Coalition to Counter ISIL met in Donbas.", "Counter"),
    ("The Special Envoy for Donbas, John Reed, arrived on Monday.", "Donbas"),
    ("Veterans of the Donbas War marched on Monday.", "Donbas"),
    ("Shelling hit Donbas and South Ossetia on Monday.", "South"),
    ("The region was calm on Monday, officials said.", "The region"),
])
def test_words_beside_places_that_are_no_places(ex: Extractor, text: str, not_place: str) -> None:
    assert not_place not in _places(ex, text)


def test_state_group_and_office_are_not_the_state_itself(ex: Extractor) -> None:
    b = run(ex, "Talks\nRussia hosted the talks. Russian partners joined them, and the Russia Embassy "
                "issued a statement. In Russia Minister Ivanov met the delegates.")
    russia = next(a for a in b.actors if a.id == "russia")
    assert [m.span.text for m in russia.mentions] == ["Russia", "Russia"]  # the first and "In Russia"
    group = next(a for a in b.actors if a.name == "Russian partners")
    assert group.type == "organization" and group.affiliation == "russia"


def test_state_named_only_in_a_group_stays_the_state(ex: Extractor) -> None:
    b = run(ex, "Talks\nRussian partners joined the talks on Monday.")
    assert "russia" in {a.id for a in b.actors}
    assert "Russian partners" not in {a.name for a in b.actors}


# ------------------------------------------------------------------ bodies, peoples, named classes
def test_plural_demonym_is_the_people_when_the_state_is_named() -> None:
    kb = _kb()
    kb.actors["russia"] = KBActor("russia", "Russia", "country", demonyms=("Russian", "Russians"))
    ex2 = Extractor(kb)
    b = run(ex2, "Title\nRussia said many Russians left the country this year.")
    people = next(a for a in b.actors if a.name == "Russians")
    assert people.type == "organization" and people.affiliation == "russia"
    alone = run(ex2, "Title\nMany Russians left the country this year.")
    assert [a.id for a in alone.actors] == ["russia"]  # the one pointer to the state stays its mention


def test_government_of_a_state_is_a_body_of_it(ex: Extractor) -> None:
    b = run(ex, "Title\nThe government of China met envoys. China later agreed to the plan.")
    body = next(a for a in b.actors if a.name == "government of China")
    assert body.affiliation == "china"
    assert [m.span.text for m in next(a for a in b.actors if a.id == "china").mentions] == ["China"]


def test_name_before_a_kb_weapon_class_is_a_named_weapon(ex: Extractor) -> None:
    b = run(ex, "Title\nThe army paraded its new Merkava tanks through the capital on Monday.")
    names = [w.name for w in b.weapons]
    assert "Merkava" in names and "tanks" not in names


def test_cue_word_inside_an_organisation_name_is_not_a_cue() -> None:
    kb = _kb()
    kb.concerns["military-alignment"] = KBConcern("military-alignment", "Military alignment", "", (
        Cue(2.0, terms=("alliance",)),), 2.0)
    ex2 = Extractor(kb)
    b = run(ex2, "Title\nThe Countryside Alliance said its members would march on Saturday.")
    assert "military-alignment" not in {c.id for c in b.concerns}
    b = run(ex2, "Title\nThe two states signed a defence alliance on Saturday.")
    assert "military-alignment" in {c.id for c in b.concerns}


def test_a_place_read_by_its_form_takes_the_id_of_the_kb_location_of_that_name() -> None:
    from generator.kb import BUNDLED, load_kb

    kb = load_kb([BUNDLED])
    text = ("Launch reported\n\nA missile was fired from Chongjin at dawn. Officials near Chongjin said the "
            "site in Seoul was calm, while Tartus stayed quiet.")
    places = {loc.name: loc for loc in Extractor(kb).extract(SourceDoc(path="x.md", text=text, title="t")).locations}
    assert places["Chongjin"].id == "chongjin" and len(places["Chongjin"].mentions) == 2
    assert places["Seoul"].id == kb.locations["seoul"].id
    for loc in places.values():
        assert loc.id == "" or loc.id in kb.locations
