"""Checks on the bundled knowledge base (generator/kb/data): coverage and ambiguity.

The UN member list below was generated from mledoze/countries (countries.json, ODbL 1.0) when the KB
was built; it is written out literally so this test needs no external data.  Vatican City is flagged
as a UN member in that data set, but the Holy See is an observer state, so it is listed with the
observers here.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from generator.kb import KBError, load_kb

UN_MEMBERS = (
    'afghanistan', 'albania', 'algeria', 'andorra', 'angola', 'antigua-and-barbuda', 'argentina',
    'armenia', 'australia', 'austria', 'azerbaijan', 'bahamas', 'bahrain', 'bangladesh', 'barbados',
    'belarus', 'belgium', 'belize', 'benin', 'bhutan', 'bolivia', 'bosnia-and-herzegovina',
    'botswana', 'brazil', 'brunei', 'bulgaria', 'burkina-faso', 'burundi', 'cambodia', 'cameroon',
    'canada', 'cape-verde', 'central-african-republic', 'chad', 'chile', 'china', 'colombia',
    'comoros', 'costa-rica', 'croatia', 'cuba', 'cyprus', 'czech-republic', 'denmark', 'djibouti',
    'dominica', 'dominican-republic', 'dr-congo', 'ecuador', 'egypt', 'el-salvador', 'equatorial-guinea',
    'eritrea', 'estonia', 'eswatini', 'ethiopia', 'fiji', 'finland', 'france', 'gabon', 'gambia',
    'georgia', 'germany', 'ghana', 'greece', 'grenada', 'guatemala', 'guinea', 'guinea-bissau',
    'guyana', 'haiti', 'honduras', 'hungary', 'iceland', 'india', 'indonesia', 'iran', 'iraq',
    'ireland', 'israel', 'italy', 'ivory-coast', 'jamaica', 'japan', 'jordan', 'kazakhstan',
    'kenya', 'kiribati', 'kuwait', 'kyrgyzstan', 'laos', 'latvia', 'lebanon', 'lesotho', 'liberia',
    'libya', 'liechtenstein', 'lithuania', 'luxembourg', 'madagascar', 'malawi', 'malaysia',
    'maldives', 'mali', 'malta', 'marshall-islands', 'mauritania', 'mauritius', 'mexico', 'micronesia',
    'moldova', 'monaco', 'mongolia', 'montenegro', 'morocco', 'mozambique', 'myanmar', 'namibia',
    'nauru', 'nepal', 'netherlands', 'new-zealand', 'nicaragua', 'niger', 'nigeria', 'north-korea',
    'north-macedonia', 'norway', 'oman', 'pakistan', 'palau', 'panama', 'papua-new-guinea',
    'paraguay', 'peru', 'philippines', 'poland', 'portugal', 'qatar', 'republic-of-the-congo',
    'romania', 'russia', 'rwanda', 'saint-kitts-and-nevis', 'saint-lucia', 'saint-vincent-and-the-grenadines',
    'samoa', 'san-marino', 'sao-tome-and-principe', 'saudi-arabia', 'senegal', 'serbia', 'seychelles',
    'sierra-leone', 'singapore', 'slovakia', 'slovenia', 'solomon-islands', 'somalia', 'south-africa',
    'south-korea', 'south-sudan', 'spain', 'sri-lanka', 'sudan', 'suriname', 'sweden', 'switzerland',
    'syria', 'tajikistan', 'tanzania', 'thailand', 'timor-leste', 'togo', 'tonga', 'trinidad-and-tobago',
    'tunisia', 'turkey', 'turkmenistan', 'tuvalu', 'uganda', 'ukraine', 'united-arab-emirates',
    'united-kingdom', 'united-states', 'uruguay', 'uzbekistan', 'vanuatu', 'venezuela', 'vietnam',
    'yemen', 'zambia', 'zimbabwe',
)
OBSERVERS = ("vatican-city", "palestine")
OTHER_STATES = ("taiwan", "kosovo")

HEAD_TITLES = ("President", "Prime Minister", "Premier", "Chancellor", "King", "Emir", "Supreme Leader",
               "Crown Prince", "Chairman of the Presidential Council")
DEFENCE_TITLES = ("Defence Minister", "Defense Minister", "Secretary of Defense", "Defence Secretary",
                  "Armed Forces Minister", "Minister of National Defence", "Secretary of War")
FOREIGN_TITLES = ("Foreign Minister", "Secretary of State", "Foreign Secretary", "External Affairs Minister",
                  "Foreign Affairs Minister")

GENERIC_REQUIRED = (
    "icbm", "ballistic-missile", "cruise-missile", "hypersonic-missile", "slbm", "irbm", "srbm", "mrbm",
    "anti-ship-missile", "surface-to-air-missile", "atgm", "manpads", "air-defence-system", "artillery",
    "artillery-shells", "rockets", "mortars", "grenades", "rpg", "ied", "vbied", "suicide-vest",
    "barrel-bombs", "cluster-munitions", "landmines", "chemical-weapons", "biological-weapons",
    "nuclear-weapons", "drones", "loitering-munition", "tanks", "armoured-vehicles", "apc", "ifv",
    "fighter-jets", "bombers", "attack-helicopters", "helicopters", "warships", "frigates", "destroyers",
    "submarines", "aircraft-carriers", "rifles", "assault-rifles", "machine-guns", "sniper-rifles",
    "small-arms", "munitions", "missile", "bombs",
)

# Surface forms deliberately shared by two entries, with the reason.  Keep this list short.
ALLOWED_SHARED: dict[str, str] = {}


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_every_state_is_present(kb):
    assert len(UN_MEMBERS) == 193
    for cid in UN_MEMBERS + OBSERVERS + OTHER_STATES:
        assert cid in kb.actors, cid
        assert kb.actors[cid].type == "country", cid
    countries = [a for a in kb.actors.values() if a.type == "country"]
    assert len(countries) == 197


def _resolve(kb, form):
    return {a.id for a in kb.actors.values() if form == a.name or form in a.aliases}


@pytest.mark.parametrize("form", [
    "ISIL", "ISIS", "IS", "Daesh", "Da'esh", "Da\u2019esh", "Islamic State", "Islamic State of Iraq and the Levant",
    "so-called Islamic State", "Islamic State of Iraq and Syria",
])
def test_isil_variants_resolve_to_one_entry(kb, form):
    assert _resolve(kb, form) == {"isil"}


@pytest.mark.parametrize("form,expected", [
    ("al-Qaeda", "al-qaeda"), ("al-Qaida", "al-qaeda"), ("Al Qaeda", "al-qaeda"),
    ("Jabhat al-Nusra", "nusra-front"), ("Nusra Front", "nusra-front"), ("HTS", "hts"),
    ("Ansar Allah", "houthis"), ("Hashd al-Shaabi", "pmf"), ("DPRK", "north-korea"), ("U.S.", "united-states"),
    ("Burma", "myanmar"), ("Zelenskyy", "volodymyr-zelensky"), ("Ibrahim al-Ja\u2019afari", "ibrahim-al-jaafari"),
])
def test_news_spellings_resolve(kb, form, expected):
    assert _resolve(kb, form) == {expected}


def test_thirty_states_have_leader_defence_and_foreign_minister(kb):
    roles: dict[str, set[str]] = defaultdict(set)
    for a in kb.actors.values():
        if a.type != "person" or not a.affiliation or kb.actors[a.affiliation].type != "country":
            continue
        titles = " | ".join(a.titles)
        if any(t in titles for t in HEAD_TITLES):
            roles[a.affiliation].add("head")
        if any(t in titles for t in DEFENCE_TITLES):
            roles[a.affiliation].add("defence")
        if any(t in titles for t in FOREIGN_TITLES):
            roles[a.affiliation].add("foreign")
    complete = sorted(c for c, r in roles.items() if r == {"head", "defence", "foreign"})
    assert len(complete) >= 30, complete


def test_weapon_counts(kb):
    named = [w for w in kb.weapons.values() if not w.generic]
    generic = [w for w in kb.weapons.values() if w.generic]
    assert len(named) >= 500
    assert len(generic) >= 40


def test_required_generic_classes(kb):
    for wid in GENERIC_REQUIRED:
        assert wid in kb.weapons, wid
        assert kb.weapons[wid].generic, wid


def test_references_resolve(kb):
    for w in kb.weapons.values():
        assert w.operator is None or w.operator in kb.actors, w.id
    for a in kb.actors.values():
        assert a.affiliation is None or a.affiliation in kb.actors, a.id
    for loc in kb.locations.values():
        assert loc.country is None or kb.actors[loc.country].type == "country", loc.id


def test_no_bare_two_letter_codes_that_are_words(kb):
    bad = {"IN", "IT", "AM", "BE", "NO", "TO", "ME", "MY", "OR", "SO", "AT", "HE", "DO", "GO", "AN", "AS", "BY",
           "ON", "UP", "WE", "us", "it", "in"}
    for a in kb.actors.values():
        assert not bad & set(a.aliases), (a.id, bad & set(a.aliases))


def test_no_alias_shared_by_two_entries(kb):
    """A surface form must point to one entry, or extraction becomes ambiguous.

    The one sanctioned overlap: a capital city is both a location and, in its country's
    ``capitals``, a metonym for the state.
    """
    forms: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a in kb.actors.values():
        for f in (a.name, *a.aliases, *a.demonyms, *a.capitals):
            forms[f].add(("actor", a.id))
    for w in kb.weapons.values():
        for f in (w.name, *w.aliases):
            forms[f].add(("weapon", w.id))
    for loc in kb.locations.values():
        for f in (loc.name, *loc.aliases):
            forms[f].add(("location", loc.id))
    clashes = []
    for form, owners in forms.items():
        if len({i for _, i in owners}) < 2 or form in ALLOWED_SHARED:
            continue
        actors = [i for k, i in owners if k == "actor"]
        locs = [i for k, i in owners if k == "location"]
        if (len(owners) == 2 and len(actors) == 1 and len(locs) == 1
                and form in kb.actors[actors[0]].capitals and kb.locations[locs[0]].country == actors[0]):
            continue
        clashes.append((form, sorted(owners)))
    assert not clashes, clashes[:20]


def test_no_lowercase_duplicates(kb):
    for a in kb.actors.values():
        forms = [a.name, *a.aliases]
        lowered = [f for f in forms if f.islower() and any(g != f and g.lower() == f for g in forms)]
        assert not lowered, (a.id, lowered)


@pytest.mark.parametrize("kind,entry,message", [
    ("actors", "{id: ruritania, name: Ruritania, type: country, code: rur}",
     "entry 1 (ruritania), field 'code': expected an ISO 3166-1 alpha-3 code"),
    ("actors", "{id: r-army, name: Ruritanian Army, type: organization, code: RUR}",
     "entry 1 (r-army), field 'code': only a country has an ISO code"),
    ("locations", "{id: strelsau, name: Strelsau, coordinates: [95, 10]}",
     "entry 1 (strelsau), field 'coordinates': latitude must be within -90..90"),
    ("locations", "{id: strelsau, name: Strelsau, coordinates: [50.1]}",
     "entry 1 (strelsau), field 'coordinates': expected [latitude, longitude]"),
    ("locations", "{id: strelsau, name: Strelsau, coordinates: [north, east]}",
     "entry 1 (strelsau), field 'coordinates': expected [latitude, longitude]"),
])
def test_a_bad_map_field_is_named(tmp_path, kind, entry, message):
    (tmp_path / "extra.yaml").write_text(f"kind: {kind}\nentries:\n- {entry}\n", encoding="utf-8")
    with pytest.raises(KBError) as caught:
        load_kb([tmp_path])
    assert str(caught.value).startswith(str(tmp_path / "extra.yaml")) and message in str(caught.value)


def test_map_fields_load(tmp_path):
    (tmp_path / "extra.yaml").write_text(
        "kind: locations\nentries:\n- {id: strelsau, name: Strelsau, coordinates: [50.1, -7]}\n", encoding="utf-8")
    assert load_kb([tmp_path]).locations["strelsau"].coordinates == (50.1, -7.0)
