"""Regenerate generator/render/data/world-110m.json, the country shapes the map draws.

Source: the npm package world-atlas 2 (``npm pack world-atlas@2``), whose countries-110m.json is
Natural Earth's 1:110m admin-0 countries (public domain) as TopoJSON; ISO numeric ids there become
alpha-3 codes and display names through mledoze/countries' countries.json (ODbL 1.0).

    python scripts/build_world_map.py world-atlas-2.0.2.tgz /path/to/countries.json

Every point is projected with Equal Earth (generator.render.worldmap.equal_earth, the same function that
places the dots), scaled to a 1000-wide view box and rounded to whole units; points that round onto
the previous one are dropped, and so are islands smaller than a unit square unless they are all a
country has. Antarctica is left out: it would take a fifth of the height and carries no briefings.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.render.worldmap import SHAPES_FILE, equal_earth

WIDTH = 1000
MARGIN = 4
MEMBER = "package/countries-110m.json"
# Natural Earth draws these apart from the state the KB counts them under; they are merged into it
# so that shading a country covers all of its territory.
MERGED_INTO = {"N. Cyprus": "CYP", "Somaliland": "SOM"}
NAMED = {"Kosovo": "Kosovo"}  # no ISO numeric code: matched on countries.json's common name
LEFT_OUT = {"010"}  # Antarctica


def read_topology(tarball: Path) -> dict:
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"{tarball}: no {MEMBER}")
        return json.loads(member.read())


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Each arc as (lon, lat) points: TopoJSON stores quantized deltas."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(ring: list[tuple[float, float]], limit: float, keep_below: bool) -> list[tuple[float, float]]:
    """The part of ``ring`` on one side of the meridian ``limit`` (Sutherland-Hodgman, one edge)."""
    def inside(p: tuple[float, float]) -> bool:
        return p[0] <= limit if keep_below else p[0] >= limit

    out: list[tuple[float, float]] = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        if inside(a):
            out.append(a)
        if inside(a) != inside(b):
            t = (limit - a[0]) / (b[0] - a[0])
            out.append((limit, a[1] + t * (b[1] - a[1])))
    return out


def split_at_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """``ring`` as rings that stay within -180..180 degrees of longitude.

    Natural Earth's rings cross the antimeridian (Russia's far east, Fiji, the Aleutians): drawn as
    they are, such a ring would streak across the whole map. The ring is made continuous, then cut
    at 180 degrees and the part beyond is shifted back to the other edge.
    """
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        prev = unwrapped[-1][0]
        lon += 360 * round((prev - lon) / 360)
        unwrapped.append((lon, lat))
    if abs(unwrapped[-1][0] - unwrapped[0][0]) > 180:
        raise SystemExit("a ring circles the pole; only Antarctica does, and it is left out")
    lons = [lon for lon, _ in unwrapped]
    if min(lons) >= -180 and max(lons) <= 180:
        return [unwrapped]
    shift = 360 if min(lons) < -180 else -360
    edge = -180 if shift > 0 else 180
    near = clip(unwrapped, edge, keep_below=edge > 0)
    far = clip([(lon + shift, lat) for lon, lat in unwrapped], -edge, keep_below=edge < 0)
    return [r for r in (near, far) if len(r) >= 3]


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def area(ring: list[tuple[int, int]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))) / 2


def build(tarball: Path, countries_json: Path) -> dict:
    topology = read_topology(tarball)
    arcs = decode_arcs(topology)
    countries = json.loads(countries_json.read_text(encoding="utf-8"))
    by_numeric = {c["ccn3"]: c for c in countries if c.get("ccn3")}
    by_name = {c["name"]["common"]: c for c in countries}
    scale = WIDTH / (2 * equal_earth(0, 180)[0])

    raw: dict[str, list[list[tuple[float, float]]]] = {}
    names: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        gid, ne_name = geometry.get("id"), geometry["properties"]["name"]
        if gid in LEFT_OUT:
            continue
        if gid in by_numeric:
            entry = by_numeric[gid]
        elif ne_name in MERGED_INTO:
            entry = next(c for c in countries if c["cca3"] == MERGED_INTO[ne_name])
        elif ne_name in NAMED:
            entry = by_name[NAMED[ne_name]]
        else:
            raise SystemExit(f"{tarball}: no code for {ne_name!r} (id {gid!r})")
        code = entry["cca3"]
        names[code] = entry["name"]["common"]
        for polygon in polygons(geometry):
            for ring in polygon:
                for part in split_at_antimeridian(ring_points(ring, arcs)):
                    raw.setdefault(code, []).append(
                        [(scale * x, -scale * y) for x, y in (equal_earth(lat, lon) for lon, lat in part)])

    ys = [y for rings in raw.values() for ring in rings for _, y in ring]
    top, bottom = min(ys) - MARGIN, max(ys) + MARGIN
    left = WIDTH / 2
    out: dict[str, dict] = {}
    for code in sorted(raw):
        rings = []
        for ring in raw[code]:
            pts: list[tuple[int, int]] = []
            for x, y in ring:
                p = (round(left + x), round(y - top))
                if not pts or p != pts[-1]:
                    pts.append(p)
            if len(pts) > 1 and pts[0] == pts[-1]:
                pts.pop()  # the path closes itself
            if len(pts) >= 3:
                rings.append(pts)
        kept = [r for r in rings if area(r) >= 1] or sorted(rings, key=area)[-1:]
        out[code] = {"name": names[code], "rings": [[v for p in r for v in p] for r in kept]}
    return {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), via world-atlas "
                  + tarball.name.removeprefix("world-atlas-").removesuffix(".tgz")
                  + "; codes and names from mledoze/countries (ODbL 1.0)",
        "projection": "Equal Earth",
        "width": WIDTH,
        "height": math.ceil(bottom - top),
        "scale": round(scale, 6),
        "left": left,
        "top": round(-top, 6),
        "countries": out,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="world-atlas-2.x.y.tgz from `npm pack world-atlas@2`")
    parser.add_argument("countries_json", type=Path, help="mledoze/countries countries.json")
    parser.add_argument("--out", type=Path, default=SHAPES_FILE)
    args = parser.parse_args()
    data = build(args.tarball, args.countries_json)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(data['countries'])} countries, {len(text.encode())} bytes")


if __name__ == "__main__":
    main()
