"""Closed word lists the extraction rules read.

These are grammar, not facts about the world: words that introduce a person's name, that end an
organisation's or a place's name, that open a sentence without being a name. Facts (who is who,
which weapon belongs to which class) live in the knowledge base YAML.
"""

from __future__ import annotations

# Abbreviations after which a full stop does not end a sentence (lower case, without dots).
ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "capt", "cpt", "maj", "sgt", "adm", "cmdr",
    "cdr", "rep", "sen", "gov", "pres", "st", "mt", "ft", "fig", "vs", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "jr", "sr",
    "dept", "est", "hon", "rev", "brig", "pvt", "cpl", "lieut", "gen", "gens", "messrs", "mme",
    "mlle", "rt", "cmdt", "cdre", "sgt", "lcpl", "wo", "cpo", "po", "approx", "al"
])

# Words that, in front of a name, make it a person's title ("Defense Minister Sergei Shoigu",
# "leader Kim Jong Un", "Lt. Gen. Stephen J. Townsend"). Compared lower-case, dots removed.
TITLE_WORDS = frozenset([
    "president", "vice-president", "minister", "secretary", "leader", "member", "spokesman",
    "spokeswoman", "spokesperson", "commander", "chief", "general", "gen", "lt", "lieutenant",
    "col", "colonel", "capt", "captain", "commodore", "admiral", "adm", "rear", "major", "maj",
    "sgt", "sergeant", "cpl", "corporal", "brig", "brigadier", "marshal", "dr", "mr", "mrs", "ms",
    "prof", "professor", "king", "queen", "prince", "princess", "sheikh", "shaikh", "ayatollah",
    "chancellor", "senator", "sen", "rep", "representative", "governor", "gov", "ambassador",
    "envoy", "director", "chairman", "chairwoman", "chair", "mayor", "premier", "speaker", "mp",
    "judge", "prosecutor", "deputy", "he", "excellency", "emir", "pope", "cardinal", "archbishop",
    "bishop", "imam", "cleric", "rabbi", "rev", "reverend", "commissioner", "officer", "official",
    "negotiator", "adviser", "advisor", "aide", "analyst", "lawyer", "attorney", "correspondent",
    "editor", "reporter", "founder", "ceo", "head", "counsel", "consul", "diplomat", "pm", "fm",
    "cmdr", "cdr", "cdre", "lcpl", "pte", "pvt", "private", "gens", "messrs", "coordinator",
    "co-ordinator", "administrator", "lord", "lady", "sir", "baroness", "baron", "dame"
])

# Title words that are too generic to stand alone as a title when capitalised at the start of a
# sentence ("Chief among them ...", "Head of ...").
WEAK_TITLES = frozenset([
    "head", "chief", "member", "official", "officer", "private", "general", "major", "rear",
    "deputy"
])

# Words before the name that qualify a title ("Foreign Minister", "Defence Secretary").
TITLE_MODIFIERS = frozenset([
    "foreign", "defence", "defense", "interior", "home", "prime", "finance", "justice", "trade",
    "industry", "health", "education", "energy", "economy", "economic", "culture", "security",
    "intelligence", "state", "general-secretary", "first", "second", "deputy", "vice", "acting",
    "former", "supreme", "senior", "chief", "army", "navy", "naval", "air", "military", "political",
    "planning", "information", "development", "environment", "opposition", "shadow", "labour"
])

# Last words of an organisation's name ("Syrian Democratic Forces", "Ministry of Defence").
ORG_HEADS = frozenset([
    "ministry", "department", "council", "party", "forces", "force", "command", "army", "navy",
    "corps", "agency", "committee", "commission", "coalition", "front", "brigade", "brigades",
    "battalion", "regiment", "division", "organization", "organisation", "union", "group",
    "association", "institute", "centre", "center", "bank", "court", "parliament", "assembly",
    "government", "office", "service", "services", "fleet", "guard", "guards", "police", "militia",
    "movement", "alliance", "authority", "administration", "bureau", "cabinet", "congress",
    "senate", "secretariat", "directorate", "fund", "foundation", "university", "school", "college",
    "company", "corporation", "tribunal", "network", "media", "radio", "television", "tv", "news",
    "times", "post", "herald", "telegraph", "journal", "agency", "trust", "league", "federation",
    "mission", "programme", "program", "unit", "units", "squadron", "wing", "taskforce", "coast",
    "society", "railway", "railways", "railroad", "airlines", "airways"
])

# First words of an organisation's name when followed by "of" ("Ministry of Defence").
ORG_OPENERS = frozenset([
    "ministry", "department", "office", "council", "committee", "commission", "court", "board",
    "bureau", "house", "organisation", "organization", "league", "union", "bank"
])

# Last words of a place name ("Tiyas Military Airfield", "Arabian Gulf").
LOC_HEADS = frozenset([
    "city", "town", "village", "province", "governorate", "district", "region", "county", "state",
    "square", "street", "road", "river", "sea", "gulf", "ocean", "bay", "strait", "lake",
    "mountain", "mountains", "hills", "valley", "island", "islands", "peninsula", "airfield",
    "airport", "base", "camp", "cosmodrome", "spaceport", "port", "harbour", "harbor", "desert", "border",
    "frontier", "coast",
    "crossing", "bridge", "hospital", "university", "dam", "plain", "plains", "oblast", "krai",
    "canal", "peninsula", "heights", "highway", "avenue", "gate", "library", "site", "museum",
    "mosque", "church", "palace", "prison", "stadium", "market", "neighbourhood", "neighborhood",
    "suburb", "quarter"
])

# Prepositions that make the next name a place ("a parade in Pyongyang").
LOCATIVE = frozenset([
    "in", "at", "near", "into", "from", "to", "outside", "inside", "across", "around", "toward",
    "towards", "via", "within", "throughout", "off", "beyond", "along"
])

# Verbs that make a preceding capital a government acting ("Moscow said").
ACTION_VERBS = frozenset([
    "said", "says", "say", "has", "have", "had", "will", "would", "could", "should", "might", "may",
    "must", "is", "was", "were", "are", "did", "does", "announced", "accused", "denied", "warned",
    "insisted", "claimed", "condemned", "rejected", "welcomed", "urged", "called", "threatened",
    "agreed", "signed", "supplied", "sent", "sold", "delivered", "provided", "launched", "fired",
    "responded", "vowed", "pledged", "demanded", "protested", "summoned", "expelled", "sanctioned",
    "imposed", "backed", "supports", "supported", "wants", "wanted", "sees", "saw", "believes",
    "believed", "hopes", "hoped", "plans", "planned", "refused"
])

SPEECH_VERBS = frozenset([
    "said", "says", "told", "added", "stated", "argued", "explained", "wrote", "asked", "replied"
])

# Capitalised words that are not names on their own: sentence openers, weekdays, months,
# pronouns and other function words.
NOT_NAMES = frozenset([
    "a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "it's", "he",
    "she", "they", "we", "i", "you", "his", "her", "their", "our", "my", "your", "him", "them",
    "us", "me", "who", "whom", "whose", "which", "what", "when", "where", "why", "how", "while",
    "whilst", "if", "but", "and", "or", "nor", "so", "yet", "for", "of", "in", "on", "at", "by",
    "to", "from", "with", "without", "within", "into", "onto", "over", "under", "after", "before",
    "during", "since", "until", "as", "than", "then", "though", "although", "because", "however",
    "meanwhile", "moreover", "also", "furthermore", "nevertheless", "instead", "still", "thus",
    "therefore", "hence", "indeed", "already", "even", "only", "just", "all", "any", "both", "each",
    "every", "few", "many", "more", "most", "much", "no", "none", "not", "other", "others", "some",
    "such", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "first",
    "second", "third", "last", "next", "new", "old", "according", "despite", "among", "amid",
    "against", "about", "above", "below", "between", "beyond", "through", "throughout", "upon",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "today", "yesterday", "tomorrow", "tonight", "yes", "oh", "mr", "mrs", "ms", "dr",
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did",
    "will", "would", "can", "could", "should", "shall", "might", "must", "may", "let", "lets",
    "let's", "please", "thank", "thanks", "dear", "photo", "image", "video", "watch", "read",
    "related", "more", "comments", "share", "western", "eastern", "northern", "southern", "central",
    "near", "later", "earlier", "perhaps", "now", "once", "soon", "often", "recently", "currently",
    "previously", "eventually", "finally", "again", "elsewhere", "overall", "respected"
])

# Generic nouns that make a preceding capitalised run a weapon ("FN MAG machine guns").
WEAPON_NOUNS = (
    "machine gun", "machine guns", "submachine gun", "submachine guns", "assault rifle",
    "assault rifles", "sniper rifle", "sniper rifles", "rifle", "rifles", "carbine", "carbines",
    "pistol", "pistols", "revolver", "revolvers", "shotgun", "shotguns", "handgun", "handguns",
    "grenade launcher", "grenade launchers", "rocket launcher", "rocket launchers", "launcher",
    "launchers", "mortar", "mortars", "howitzer", "howitzers", "cannon", "cannons", "gun", "guns",
    "tank", "tanks", "main battle tank", "main battle tanks", "light tank", "light tanks",
    "medium tank", "medium tanks", "heavy tank", "heavy tanks", "tank destroyer",
    "tank destroyers", "armoured car", "armored car", "armoured vehicle", "armored vehicle",
    "infantry fighting vehicle", "infantry fighting vehicles", "apc", "ifv",
    "missile", "missiles", "rocket", "rockets", "torpedo", "torpedoes", "bomb", "bombs",
    "warhead", "warheads", "grenade", "grenades", "mine", "mines",
    "fighter", "fighters", "fighter jet", "fighter jets", "jet", "jets", "bomber", "bombers",
    "aircraft", "airplane", "aeroplane", "helicopter", "helicopters", "gunship", "gunships",
    "drone", "drones", "uav", "uavs", "interceptor", "interceptors", "airship", "flying boat",
    "seaplane", "monoplane", "biplane", "trainer", "airliner", "transport",
    "submarine", "submarines", "destroyer", "destroyers", "frigate", "frigates", "corvette",
    "corvettes", "cruiser", "cruisers", "battleship", "battleships", "aircraft carrier",
    "carrier", "carriers", "warship", "warships", "patrol boat", "gunboat", "ironclad",
    "system", "systems", "air defence system", "air defense system", "radar",
)
WEAPON_NOUN_SET = frozenset(WEAPON_NOUNS)
# Nouns weak on their own: a capitalised word before them is a weapon only with a designator.
WEAK_WEAPON_NOUNS = frozenset([
    "system", "systems", "transport", "trainer", "carrier", "carriers", "jet", "jets", "fighter",
    "fighters", "gun", "guns", "mine", "mines", "radar", "launcher", "launchers", "airliner",
])

# Prefixes of ships' names ("HMS Daring", "USS Mahan (DDG 72)", "FS Forbin").
SHIP_PREFIXES = frozenset([
    "HMS", "USS", "FS", "INS", "HMAS", "HMCS", "HMNZS", "RFS", "ROKS", "JS", "PNS", "TCG", "HNLMS",
    "HDMS", "KRI", "BNS", "SAS", "ARA", "NRP", "ITS", "ESPS"
])

# Codes that look like weapon designators but name something else.
NOT_DESIGNATORS = frozenset([
    "covid-19", "covid", "g-7", "g-8", "g-20", "g7", "g8", "g20", "mh17", "mh-17", "mh370", "a1",
    "a4", "f1", "p5", "e3", "e-3", "b1", "h1n1", "h5n1", "n95", "u-turn"
])

# Last words of names of events, laws and eras: neither actors nor places ("Korean War").
EVENT_HEADS = frozenset([
    "war", "wars", "day", "revolution", "crisis", "summit", "games", "olympics", "cup",
    "conference", "agreement", "treaty", "accord", "act", "bill", "resolution", "declaration",
    "convention", "festival", "week", "anniversary", "election", "elections", "referendum",
    "campaign", "era", "age", "spring", "talks", "forum", "initiative", "plan", "doctrine",
    "strategy", "review", "report", "budget", "award", "prize", "protocol", "memorandum", "process",
    "deal", "time"
])
