"""The knowledge base: YAML files an analyst can edit, validated on load.

Every ``*.yaml`` file under a KB folder holds one top-level mapping::

    kind: actors | weapons | concerns | locations
    source: where the facts come from (free text)
    licence: the licence of those facts
    entries:
      - id: north-korea            # lowercase slug, unique across the whole KB
        name: North Korea          # canonical display name
        ...                        # fields per kind, below

Actor entries (``kind: actors``)
    ``type`` (person | country | organization | group), ``aliases`` (other names, matched as whole
    words; an alias with a capital letter matches with that case only), ``demonyms`` (adjectival
    forms: "North Korean" points to North Korea), ``capitals`` (a capital city used as a metonym for
    the state: "Pyongyang's assistance"), ``titles`` (for persons: "President", "Defense Minister"),
    ``affiliation`` (id of a country or organization), ``description``; a country may have ``code``,
    its ISO 3166-1 alpha-3 code ("PRK"), which the map uses to find its shape.

Weapon entries (``kind: weapons``)
    ``category`` (display category: "ICBM", "main battle tank"), ``class`` (broad family: missile,
    air-defence, aircraft, drone, armour, artillery, munition, warship, submarine, small-arms,
    explosive, cbrn, rocket, space, other), ``generic`` (true for classes of weapon such as
    "artillery shells"; the extractor also matches their simple singular and plural forms),
    ``operator`` (id of a country or group), ``aliases``, ``description``.

Concern entries (``kind: concerns``)
    ``label``, ``description``, ``threshold`` (score a concern needs, default 1.0), ``cues``: a list
    of cues, each a mapping with ``weight`` (default 1.0) and one of

    - ``terms``: phrases; the cue fires when a sentence contains any of them;
    - ``all``: a list of term groups; fires when a sentence has a term from every group. A group may
      name ``weapon:<class>`` or ``weapon:*`` to mean a weapon mention of that class in the
      sentence, ``actor:<type>`` for an actor of that type, or ``actor:countries`` for two different
      states in one sentence.

    Terms are lower-case words or phrases matched on word boundaries; a trailing ``*`` matches any
    word ending ("supplie*"). A sentence adds the weights of the distinct cues that fire in it;
    negative weights count against the concern ("price war" is not armed conflict). A concern is
    raised when the article's total reaches ``threshold`` and at least one sentence scores 1 or
    more; the sentences that scored are its evidence.

Location entries (``kind: locations``)
    ``aliases``, ``country`` (id), ``description``: places that are never actors; ``coordinates``
    (``[lat, lon]`` in degrees) where a licensed source gives them, for the map.

Outlet entries (``kind: outlets``)
    The publishers articles come from and the agencies they carry: ``kind`` (wire agency |
    state-controlled | independent | official government source), ``country`` (id of a country
    actor), ``aliases`` (other names and credit forms: "AP", "Associated Press"), ``domains`` (web
    hosts: "apnews.com"; a subdomain matches too), ``description``. Outlets are not matched in
    article text as actors; :mod:`generator.outlets` tells an article's outlet and agency from them.
    An outlet may share its id with the actor of the same organisation.

Errors name the file, the entry and the field, and loading stops at the first bad file.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import logging
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from generator import models
from generator.files import atomic_write
from generator.models import ACTOR_TYPES

log = logging.getLogger("briefing")

BUNDLED = Path(__file__).parent / "data"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
WEAPON_CLASSES = (
    "missile", "air-defence", "aircraft", "drone", "armour", "artillery", "munition", "warship",
    "submarine", "small-arms", "explosive", "cbrn", "rocket", "space", "other",
)
KINDS = ("actors", "weapons", "concerns", "locations", "outlets")
OUTLET_KINDS = ("wire agency", "state-controlled", "independent", "official government source")
DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
TOP_LEVEL = ("kind", "source", "licence", "entries")
# Words that, as an alias, would match in every article (function words: closed-class English).
_STOP_ALIAS_TEXT = """
a an the and or but nor of in on at to by for from with as into onto over under about after before
is are was were be been it its he she they we you i me him her them us our his their this that these
those there here who what which when where not no yes so if then than also all any some one
"""
STOP_ALIASES = frozenset(_STOP_ALIAS_TEXT.split())


_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class KBError(ValueError):
    """A knowledge-base file is malformed; the message names file, entry and field."""


@dataclass(frozen=True)
class KBActor:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    affiliation: str | None = None
    description: str = ""
    source: str = ""
    code: str | None = None  # ISO 3166-1 alpha-3, countries only


@dataclass(frozen=True)
class KBWeapon:
    id: str
    name: str
    category: str
    wclass: str
    generic: bool = False
    operator: str | None = None
    aliases: tuple[str, ...] = ()
    description: str = ""
    source: str = ""


@dataclass(frozen=True)
class Cue:
    weight: float
    terms: tuple[str, ...] = ()
    all: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class KBConcern:
    id: str
    label: str
    description: str
    cues: tuple[Cue, ...]
    threshold: float = 1.0


@dataclass(frozen=True)
class KBLocation:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    description: str = ""
    coordinates: tuple[float, float] | None = None  # (lat, lon) in degrees


@dataclass(frozen=True)
class KBOutlet:
    id: str
    name: str
    kind: str  # one of OUTLET_KINDS
    country: str | None = None
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    description: str = ""
    source: str = ""


@dataclass(frozen=True)
class KnowledgeBase:
    actors: dict[str, KBActor]
    weapons: dict[str, KBWeapon]
    concerns: dict[str, KBConcern]
    locations: dict[str, KBLocation]
    version: str  # content hash of every file, for caches
    sources: tuple[tuple[str, str, str], ...] = field(default=())  # (file, source, licence)
    outlets: dict[str, KBOutlet] = field(default_factory=dict)

    def name_of(self, kb_id: str | None) -> str | None:
        if kb_id is None:
            return None
        for table in (self.actors, self.weapons, self.locations):
            if kb_id in table:
                return str(table[kb_id].name)
        return None


def _where(path: Path, index: int | None = None, entry_id: str | None = None, fld: str | None = None) -> str:
    out = str(path)
    if index is not None:
        out += f": entry {index + 1}"
        if entry_id:
            out += f" ({entry_id})"
    if fld:
        out += f", field '{fld}'"
    return out


def _str(raw: dict[str, Any], key: str, where: str, required: bool = False, default: str = "") -> str:
    value = raw.get(key)
    if value is None:
        if required:
            raise KBError(f"{where}, field '{key}': missing")
        return default
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise KBError(f"{where}, field '{key}': expected text, got {type(value).__name__}")
    return str(value).strip()


def _list(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise KBError(f"{where}, field '{key}': expected a list of text")
    seen: dict[str, None] = {}
    for v in value:
        s = str(v).strip()
        if not s:
            raise KBError(f"{where}, field '{key}': an empty name would match everywhere; remove it")
        if key in MATCHED_LISTS and s.casefold() in STOP_ALIASES and not (s.isupper() and len(s) > 1):
            # "US" and "IT" (capitals, matched with that case) are names; "us" and "the" are not.
            raise KBError(f"{where}, field '{key}': '{s}' is a common word and would match in every "
                          "article; remove it")
        seen.setdefault(s, None)
    return tuple(seen)


# Lists whose items are matched in article text as names.
MATCHED_LISTS = frozenset({"aliases", "demonyms", "capitals"})


ALLOWED = {
    "actors": {"id", "name", "type", "aliases", "demonyms", "capitals", "titles", "affiliation",
               "description", "code"},
    "weapons": {"id", "name", "category", "class", "generic", "operator", "aliases", "description"},
    "concerns": {"id", "label", "description", "cues", "threshold"},
    "locations": {"id", "name", "aliases", "country", "description", "coordinates"},
    "outlets": {"id", "name", "aliases", "country", "kind", "domains", "description"},
}
CODE_RE = re.compile(r"^[A-Z]{3}$")


def _code(raw: dict[str, Any], where: str, atype: str) -> str | None:
    code = _str(raw, "code", where) or None
    if code is None:
        return None
    if atype != "country":
        raise KBError(f"{where}, field 'code': only a country has an ISO code")
    if not CODE_RE.match(code):
        raise KBError(f"{where}, field 'code': expected an ISO 3166-1 alpha-3 code like 'PRK'")
    return code


def _coordinates(raw: dict[str, Any], where: str) -> tuple[float, float] | None:
    value = raw.get("coordinates")
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise KBError(f"{where}, field 'coordinates': expected [latitude, longitude] in degrees")
    lat, lon = float(value[0]), float(value[1])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise KBError(f"{where}, field 'coordinates': latitude must be within -90..90 and longitude -180..180")
    return lat, lon


def _load_file(path: Path, raw: bytes) -> tuple[str, str, str, list[dict[str, Any]]]:
    try:
        # As Path.read_text() gives it: UTF-8, with universal newlines.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
        # libyaml's loader, in C, for a KB of thousands of entries; the same safe semantics.
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise KBError(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    except UnicodeDecodeError as exc:
        raise KBError(f"{path}: not UTF-8 text") from exc
    if not isinstance(data, dict):
        raise KBError(f"{path}: expected a mapping with 'kind' and 'entries'")
    for key in data:
        if key not in TOP_LEVEL:
            # A typo here ("entires") would otherwise drop every entry of the file without a word.
            near = difflib.get_close_matches(str(key), TOP_LEVEL, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise KBError(f"{path}, field '{str(key)[:80]}': unknown top-level key{hint}; expected "
                          f"{', '.join(TOP_LEVEL)}")
    kind = data.get("kind")
    if kind not in KINDS:
        # Never repr() a parsed value: aliases can make a tiny file a structure of billions of strings.
        got = repr(kind)[:80] if isinstance(kind, str) else type(kind).__name__
        raise KBError(f"{path}, field 'kind': expected one of {', '.join(KINDS)}, got {got}")
    entries = data.get("entries") or []
    if not isinstance(entries, list):
        raise KBError(f"{path}, field 'entries': expected a list")
    return kind, _str(data, "source", str(path)), _str(data, "licence", str(path)), entries


def _check_cue_term(term: str, where: str) -> None:
    """A ``weapon:<class>`` or ``actor:<type>`` term must name a class or type that exists: one that does
    not would make its cue never fire, without a word."""
    if not term:
        raise KBError(f"{where}, field 'all': an empty term would match everywhere; remove it")
    if term.startswith("weapon:") and term[7:] != "*" and term[7:] not in WEAPON_CLASSES:
        raise KBError(f"{where}, field 'all': '{term}' names no weapon class; expected weapon:* or one of "
                      f"{', '.join('weapon:' + c for c in WEAPON_CLASSES)}")
    if term.startswith("actor:") and term[6:] not in ("*", "countries", *ACTOR_TYPES):
        raise KBError(f"{where}, field 'all': '{term}' names no actor type; expected actor:*, actor:countries or "
                      f"one of {', '.join('actor:' + t for t in ACTOR_TYPES)}")


def _cue(raw: Any, where: str) -> Cue:
    if not isinstance(raw, dict):
        raise KBError(f"{where}: a cue must be a mapping with 'terms' or 'all'")
    weight = raw.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool):
        raise KBError(f"{where}, field 'weight': expected a number")
    if "terms" in raw:
        terms = _list(raw, "terms", where)
        if not terms:
            raise KBError(f"{where}, field 'terms': empty")
        return Cue(float(weight), terms=tuple(t.lower() for t in terms))
    if "all" in raw:
        groups = raw["all"]
        if not isinstance(groups, list) or not groups:
            raise KBError(f"{where}, field 'all': expected a list of term lists")
        out = []
        for g in groups:
            g = [g] if isinstance(g, str) else g
            if not isinstance(g, list) or not g or not all(isinstance(t, str) for t in g):
                raise KBError(f"{where}, field 'all': each group must be a non-empty list of text")
            group = tuple(t.strip().lower() for t in g)
            for term in group:
                _check_cue_term(term, where)
            out.append(group)
        return Cue(float(weight), all=tuple(out))
    raise KBError(f"{where}: a cue needs 'terms' or 'all'")


def load_kb(folders: list[Path] | None = None, cache_dir: Path | None = None) -> KnowledgeBase:
    """Load and validate every YAML file in ``folders`` (default: the bundled KB).

    Later folders extend earlier ones; an entry whose id already exists replaces it, so a project
    can correct a bundled entry by redefining its id.

    With ``cache_dir``, the loaded KB is kept there as JSON under a key made from every file's name
    and bytes and this module's code (see :func:`_read_cache`): the next load with the same files
    reads that instead of parsing and validating the YAML again.
    """
    folders = folders if folders is not None else [BUNDLED]
    files = [(path, path.read_bytes()) for folder in folders for path in sorted(Path(folder).glob("*.yaml"))]
    digest = hashlib.sha256()
    for path, raw in files:
        digest.update(path.name.encode() + b"\0" + raw)
    version = digest.hexdigest()[:16]
    key = hashlib.sha256(f"{digest.hexdigest()}:{_code_version()}".encode()).hexdigest()
    if cache_dir is not None:
        cached = _read_cache(cache_dir, key, version)
        if cached is not None:
            return cached
    kb = _load_files(files, version)
    if cache_dir is not None:
        _write_cache(cache_dir, key, kb)
    return kb


def _domains(raw: dict[str, Any], where: str) -> tuple[str, ...]:
    out = []
    for d in _list(raw, "domains", where):
        host = d.lower().removeprefix("www.")
        if not DOMAIN_RE.match(host):
            raise KBError(f"{where}, field 'domains': '{d[:80]}' is not a web host like 'apnews.com'")
        out.append(host)
    return tuple(out)


def _outlet(raw: dict[str, Any], eid: str, where: str, source: str) -> KBOutlet:
    okind = _str(raw, "kind", where, required=True)
    if okind not in OUTLET_KINDS:
        raise KBError(f"{where}, field 'kind': expected one of {', '.join(OUTLET_KINDS)}")
    return KBOutlet(id=eid, name=_str(raw, "name", where, required=True), kind=okind,
                    country=_str(raw, "country", where) or None, aliases=_list(raw, "aliases", where),
                    domains=_domains(raw, where), description=_str(raw, "description", where), source=source)


def _load_files(files: list[tuple[Path, bytes]], version: str) -> KnowledgeBase:
    actors: dict[str, KBActor] = {}
    weapons: dict[str, KBWeapon] = {}
    concerns: dict[str, KBConcern] = {}
    locations: dict[str, KBLocation] = {}
    outlets: dict[str, KBOutlet] = {}
    outlet_where: dict[str, str] = {}
    sources: list[tuple[str, str, str]] = []
    where_of: dict[str, str] = {}  # id -> file and entry that (last) defined it, for later messages
    for path, raw_file in files:
        kind, source, licence, entries = _load_file(path, raw_file)
        sources.append((path.name, source, licence))
        seen_here: set[str] = set()
        for i, raw in enumerate(entries):
            if not isinstance(raw, dict):
                raise KBError(f"{_where(path, i)}: expected a mapping")
            eid = raw.get("id")
            where = _where(path, i, str(eid) if eid else None)
            if not isinstance(eid, str) or not ID_RE.match(eid):
                raise KBError(f"{where}, field 'id': expected a lowercase slug like 'north-korea'")
            if eid in seen_here:
                raise KBError(f"{where}, field 'id': '{eid}' appears twice in this file")
            seen_here.add(eid)
            if kind == "outlets":  # a table of its own: an outlet may share the id of its actor
                unknown = set(raw) - ALLOWED[kind]
                if unknown:
                    raise KBError(f"{where}, field '{sorted(unknown)[0]}': unknown field for {kind}")
                outlets[eid] = _outlet(raw, eid, where, path.name)
                outlet_where[eid] = where
                continue
            where_of[eid] = where
            unknown = set(raw) - ALLOWED[kind]
            if unknown:
                raise KBError(f"{where}, field '{sorted(unknown)[0]}': unknown field for {kind}")
            if kind == "actors":
                atype = _str(raw, "type", where, required=True)
                if atype not in ACTOR_TYPES:
                    raise KBError(f"{where}, field 'type': expected one of {', '.join(ACTOR_TYPES)}")
                actors[eid] = KBActor(
                    id=eid, name=_str(raw, "name", where, required=True), type=atype,
                    aliases=_list(raw, "aliases", where), demonyms=_list(raw, "demonyms", where),
                    capitals=_list(raw, "capitals", where), titles=_list(raw, "titles", where),
                    affiliation=_str(raw, "affiliation", where) or None,
                    description=_str(raw, "description", where), source=path.name,
                    code=_code(raw, where, atype))
            elif kind == "weapons":
                wclass = _str(raw, "class", where, default="other")
                if wclass not in WEAPON_CLASSES:
                    raise KBError(f"{where}, field 'class': expected one of {', '.join(WEAPON_CLASSES)}")
                generic = raw.get("generic", False)
                if not isinstance(generic, bool):
                    raise KBError(f"{where}, field 'generic': expected true or false")
                weapons[eid] = KBWeapon(
                    id=eid, name=_str(raw, "name", where, required=True),
                    category=_str(raw, "category", where, required=True), wclass=wclass,
                    generic=generic, operator=_str(raw, "operator", where) or None,
                    aliases=_list(raw, "aliases", where),
                    description=_str(raw, "description", where), source=path.name)
            elif kind == "concerns":
                cues_raw = raw.get("cues")
                if not isinstance(cues_raw, list) or not cues_raw:
                    raise KBError(f"{where}, field 'cues': expected a non-empty list")
                threshold = raw.get("threshold", 1.0)
                if not isinstance(threshold, (int, float)) or isinstance(threshold, bool):
                    raise KBError(f"{where}, field 'threshold': expected a number")
                concerns[eid] = KBConcern(
                    id=eid, label=_str(raw, "label", where, required=True),
                    description=_str(raw, "description", where),
                    cues=tuple(_cue(c, f"{where}, cue {j + 1}") for j, c in enumerate(cues_raw)),
                    threshold=float(threshold))
            else:
                locations[eid] = KBLocation(
                    id=eid, name=_str(raw, "name", where, required=True),
                    aliases=_list(raw, "aliases", where),
                    country=_str(raw, "country", where) or None,
                    description=_str(raw, "description", where),
                    coordinates=_coordinates(raw, where))
    _check_references(actors, weapons, locations, where_of)
    for o in outlets.values():
        if o.country and o.country not in actors:
            raise KBError(f"{outlet_where[o.id]}, field 'country': unknown id '{o.country}'; it must be the id of "
                          "an actor in the knowledge base")
    return KnowledgeBase(actors, weapons, concerns, locations, version, tuple(sources), outlets)


def _check_references(actors: dict[str, KBActor], weapons: dict[str, KBWeapon],
                      locations: dict[str, KBLocation], where_of: dict[str, str]) -> None:
    for a in actors.values():
        if a.affiliation and a.affiliation not in actors:
            raise KBError(f"{where_of[a.id]}, field 'affiliation': unknown id '{a.affiliation}'; it must be the id "
                          "of an actor in the knowledge base")
    for w in weapons.values():
        if w.operator and w.operator not in actors:
            raise KBError(f"{where_of[w.id]}, field 'operator': unknown id '{w.operator}'; it must be the id of "
                          "an actor in the knowledge base")
    for loc in locations.values():
        if loc.country and loc.country not in actors:
            raise KBError(f"{where_of[loc.id]}, field 'country': unknown id '{loc.country}'; it must be the id of "
                          "an actor in the knowledge base")
    clash = (set(actors) & set(weapons)) | (set(actors) & set(locations)) | (set(weapons) & set(locations))
    if clash:
        raise KBError(f"{where_of[sorted(clash)[0]]}, field 'id': '{sorted(clash)[0]}' is used by two kinds of "
                      "entry; rename one")


# ---- the loaded KB kept as JSON ------------------------------------------------------------------
#
# Parsing and validating the YAML is a large part of a `briefing generate` that adds one article.
# The cache holds the validated values only; it is JSON, never pickle, so a cache folder from
# elsewhere cannot run code, and every value is type-checked as it is read back. Anything
# unexpected (a missing, truncated, edited or stale file) falls back to the YAML.

CACHE_FORMAT = 1
"""Bump when the JSON layout below changes."""

# Each field of each class, in order, with how its JSON value is checked and converted.
_ACTOR = ("s", "s", "s", "strs", "strs", "strs", "strs", "opt", "s", "s", "opt")
_WEAPON = ("s", "s", "s", "s", "bool", "opt", "strs", "s", "s")
_LOCATION = ("s", "s", "strs", "opt", "s", "point")
_OUTLET = ("s", "s", "s", "opt", "strs", "strs", "s", "s")


@functools.cache
def _code_version() -> str:
    """This module's source and the models': what the loaded values are made by."""
    h = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    for path in (Path(__file__), Path(models.__file__)):
        h.update(path.read_bytes())
    return h.hexdigest()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "kb" / f"{key}.json"


def _s(v: Any) -> str:
    if not isinstance(v, str):
        raise ValueError("expected text")
    return v


def _opt(v: Any) -> str | None:
    return None if v is None else _s(v)


def _strs(v: Any) -> tuple[str, ...]:
    if not isinstance(v, list):
        raise ValueError("expected a list")
    return tuple(_s(x) for x in v)


def _num(v: Any) -> float:
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise ValueError("expected a number")
    return float(v)


def _flag(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("expected true or false")
    return v


def _point(v: Any) -> tuple[float, float] | None:
    if v is None:
        return None
    if not isinstance(v, list) or len(v) != 2:
        raise ValueError("expected [lat, lon]")
    return _num(v[0]), _num(v[1])


_CONVERT: dict[str, Any] = {"s": _s, "opt": _opt, "strs": _strs, "bool": _flag, "point": _point}


def _row(spec: tuple[str, ...], v: Any) -> list[Any]:
    if not isinstance(v, list) or len(v) != len(spec):
        raise ValueError("an entry of the wrong shape")
    return [_CONVERT[kind](x) for kind, x in zip(spec, v, strict=True)]


def _cue_from(v: Any) -> Cue:
    if not isinstance(v, list) or len(v) != 3 or not isinstance(v[2], list):
        raise ValueError("a cue of the wrong shape")
    return Cue(_num(v[0]), _strs(v[1]), tuple(_strs(g) for g in v[2]))


def _concern_from(v: Any) -> KBConcern:
    if not isinstance(v, list) or len(v) != 5 or not isinstance(v[3], list):
        raise ValueError("a concern of the wrong shape")
    return KBConcern(_s(v[0]), _s(v[1]), _s(v[2]), tuple(_cue_from(c) for c in v[3]), _num(v[4]))


def _read_cache(cache_dir: Path, key: str, version: str) -> KnowledgeBase | None:
    """The KB kept under ``key``, or None when there is none or it cannot be read back exactly."""
    path = _cache_path(cache_dir, key)
    try:
        record = json.loads(path.read_bytes())
        if record.get("format") != CACHE_FORMAT or record.get("key") != key:
            raise ValueError("made for other files or code")
        actors = {r[0]: KBActor(*r) for r in (_row(_ACTOR, v) for v in record["actors"])}
        weapons = {r[0]: KBWeapon(*r) for r in (_row(_WEAPON, v) for v in record["weapons"])}
        locations = {r[0]: KBLocation(*r) for r in (_row(_LOCATION, v) for v in record["locations"])}
        concerns = {c.id: c for c in (_concern_from(v) for v in record["concerns"])}
        sources = tuple((_s(a), _s(b), _s(c)) for a, b, c in record["sources"])
        outlets = {r[0]: KBOutlet(*r) for r in (_row(_OUTLET, v) for v in record["outlets"])}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        log.debug("knowledge-base cache %s unusable (%s); loading the YAML", path, exc)
        return None
    return KnowledgeBase(actors, weapons, concerns, locations, version, sources, outlets)


def _write_cache(cache_dir: Path, key: str, kb: KnowledgeBase) -> None:
    """Keep ``kb`` under ``key`` (atomically), and remove what earlier KB files left."""
    record = {
        "format": CACHE_FORMAT, "key": key, "sources": kb.sources,
        "actors": [[getattr(a, f.name) for f in fields(a)] for a in kb.actors.values()],
        "weapons": [[getattr(w, f.name) for f in fields(w)] for w in kb.weapons.values()],
        "locations": [[getattr(loc, f.name) for f in fields(loc)] for loc in kb.locations.values()],
        "outlets": [[getattr(o, f.name) for f in fields(o)] for o in kb.outlets.values()],
        "concerns": [[c.id, c.label, c.description, [[cue.weight, cue.terms, cue.all] for cue in c.cues],
                      c.threshold] for c in kb.concerns.values()],
    }
    path = _cache_path(cache_dir, key)
    try:
        atomic_write(path, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        for old in path.parent.iterdir():
            if old != path and (old.suffix == ".json" or old.name.startswith(".tmp-")):
                old.unlink(missing_ok=True)
    except OSError as exc:  # a cache that cannot be written only costs time next run
        log.debug("could not write knowledge-base cache %s: %s", path, exc)
