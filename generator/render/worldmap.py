"""The world map: countries shaded by a count and places drawn as linked dots, as one inline SVG.

The country shapes are bundled (``data/world-110m.json``, made by ``scripts/build_world_map.py`` from
Natural Earth's 1:110m countries, public domain): already projected with the Equal Earth projection,
simplified and rounded to whole units of a 1000-wide view box, keyed by ISO 3166-1 alpha-3 code.
:func:`load_shapes` reads that file once; :func:`map_svg` and :func:`map_table` are pure functions of
their arguments, so the same counts give the same bytes.

Names and URLs come from the caller and may hold anything: every name reaches the SVG through
:func:`~generator.render.escape.html_text` and every URL through
:func:`~generator.render.escape.attr`, and a URL with a scheme other than http(s) is not linked.
"""

from __future__ import annotations

import functools
import json
import math
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.render.escape import attr, html_text, md

SHAPES_FILE = Path(__file__).parent / "data" / "world-110m.json"

# Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, so a large country does not look
# larger than it is, with a world outline that reads as a globe flattened.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2

# A sequential palette (the darker five of ColorBrewer "Blues", light to dark) for the classes, so
# that even the lightest class stands apart from land with no count; then that land, and the sea.
PALETTE = ("#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
UNSHADED = "#e3e3e3"
SEA = "#f7fbff"
BORDER = "#ffffff"
DOT = "#d94801"
CLASSES = len(PALETTE)
TOP = 10  # how many countries and places the description names


def equal_earth(lat: float, lon: float) -> tuple[float, float]:
    """Equal Earth coordinates of a point (degrees), in units of the earth's radius, y pointing north."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


@dataclass(frozen=True)
class CountryShape:
    code: str
    name: str
    rings: tuple[tuple[tuple[int, int], ...], ...]  # closed outlines in view-box units

    @property
    def bbox(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in view-box units."""
        xs = [x for ring in self.rings for x, _ in ring]
        ys = [y for ring in self.rings for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)

    @functools.cached_property
    def path(self) -> str:
        """The SVG path data: each ring as a move, relative lines and a close."""
        out = []
        for ring in self.rings:
            (x0, y0), rest = ring[0], ring[1:]
            steps = []
            px, py = x0, y0
            for x, y in rest:
                steps.append(f"{x - px} {y - py}")
                px, py = x, y
            out.append(f"M{x0} {y0}l" + " ".join(steps) + "z")
        return "".join(out).replace(" -", "-")


@dataclass(frozen=True)
class WorldShapes:
    """The bundled country outlines and the projection that placed them."""

    width: int
    height: int
    scale: float  # view-box units per earth radius
    left: float  # view-box x of longitude 0 (the centre)
    top: float  # view-box y of the projection's y = 0 (the equator)
    countries: Mapping[str, CountryShape]
    source: str

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        """View-box (x, y) of a point given in degrees."""
        x, y = equal_earth(lat, lon)
        return self.left + self.scale * x, self.top - self.scale * y


def shapes_from(data: Mapping[str, Any]) -> WorldShapes:
    """:class:`WorldShapes` from the parsed JSON of the bundled file (rings stored as flat x, y lists)."""
    countries = {}
    for code, entry in data["countries"].items():
        rings = tuple(tuple(zip(flat[0::2], flat[1::2], strict=True)) for flat in entry["rings"])
        countries[code] = CountryShape(code, entry["name"], rings)
    return WorldShapes(int(data["width"]), int(data["height"]), float(data["scale"]), float(data["left"]),
                       float(data["top"]), countries, str(data["source"]))


@functools.cache
def load_shapes(path: Path = SHAPES_FILE) -> WorldShapes:
    """The bundled world shapes (read once per process)."""
    return shapes_from(json.loads(path.read_bytes()))


@dataclass(frozen=True)
class CountryCount:
    """A country to shade: its ISO alpha-3 code, display name, count and (optionally) its page."""

    code: str
    name: str
    count: int
    url: str | None = None


@dataclass(frozen=True)
class PlaceDot:
    """A place to mark: its name, position in degrees, count and (optionally) its page."""

    name: str
    lat: float
    lon: float
    count: int
    url: str | None = None


def class_limits(counts: Iterable[int], classes: int = CLASSES) -> tuple[int, ...]:
    """The upper limit of each shading class for these counts, smallest first.

    The limits grow geometrically up to the largest count (news coverage is heavy-tailed: a few
    countries have most briefings), and limits that round to the same whole number merge, so small
    counts make fewer classes. The largest count is always in the top class; no positive count means
    no class.
    """
    top = max((c for c in counts if c > 0), default=0)
    if top == 0:
        return ()
    limits: list[int] = []
    for k in range(1, classes + 1):
        limit = max(1, round(top ** (k / classes)))
        if not limits or limit > limits[-1]:
            limits.append(limit)
    limits[-1] = top
    return tuple(limits)


def class_of(count: int, limits: Sequence[int]) -> int:
    """The shading class of ``count``: 0 when it is not positive, else 1 to ``len(limits)``."""
    if count <= 0:
        return 0
    for k, limit in enumerate(limits, 1):
        if count <= limit:
            return k
    return len(limits)


def class_colour(k: int, n: int) -> str:
    """The fill of class ``k`` of ``n``: spread over the palette so the top class is always darkest."""
    if k == 0:
        return UNSHADED
    if n == 1:
        return PALETTE[-1]
    return PALETTE[round((k - 1) * (len(PALETTE) - 1) / (n - 1))]


def class_labels(limits: Sequence[int]) -> list[str]:
    """A legend label per class: '1', '2-3', '4-9'."""
    out, low = [], 1
    for limit in limits:
        out.append(str(limit) if limit == low else f"{low}\u2013{limit}")
        low = limit + 1
    return out


def _link(url: str | None) -> str | None:
    """``url`` percent-encoded when it is relative or http(s); anything else (javascript:, data:) is
    not linked. Encoding leaves no space, line break, quote or parenthesis that could end a Markdown
    link or the raw HTML block the map sits in."""
    if not url:
        return None
    scheme = urllib.parse.urlsplit(url.strip()).scheme.lower()
    if scheme not in ("", "http", "https"):
        return None
    return urllib.parse.quote(url.strip(), safe=":/?#@!$&*+,;=%~-._")


def _counted(count: int, unit: tuple[str, str]) -> str:
    return f"{count} {unit[0] if count == 1 else unit[1]}"


def _ranked_countries(countries: Iterable[CountryCount]) -> list[CountryCount]:
    return sorted((c for c in countries if c.count > 0), key=lambda c: (-c.count, c.name, c.code))


def _ranked_places(places: Iterable[PlaceDot]) -> list[PlaceDot]:
    return sorted((p for p in places if p.count > 0), key=lambda p: (-p.count, p.name, p.lat, p.lon))


def describe(countries: Iterable[CountryCount], places: Iterable[PlaceDot], title: str,
             top: int = TOP) -> str:
    """The map in words (plain text): the top countries and places with their counts."""
    ranked = _ranked_countries(countries)
    if not ranked:
        text = f"{title}: none yet."
    else:
        named = ", ".join(f"{c.name} {c.count}" for c in ranked[:top])
        more = len(ranked) - top
        text = f"{title}: {named}" + (f", and {more} more countries." if more > 0 else ".")
    dots = _ranked_places(places)
    if dots:
        named = ", ".join(f"{p.name} {p.count}" for p in dots[:top])
        more = len(dots) - top
        text += f" Places marked: {named}" + (f", and {more} more." if more > 0 else ".")
    return text


def _fmt(v: float) -> str:
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def map_svg(shapes: WorldShapes, countries: Iterable[CountryCount], places: Iterable[PlaceDot] = (), *,
            title: str = "Briefings by country", unit: tuple[str, str] = ("briefing", "briefings"),
            top: int = TOP) -> str:
    """The world map as an inline SVG string: same arguments, same bytes.

    Countries with a positive count are shaded by class and carry a ``<title>`` with name and count
    (linked to their page when they have a URL); places with a positive count are dots linked to their
    page. A country whose code has no shape (too small at this scale) is still in the description.
    """
    countries = list(countries)
    places = list(places)
    by_code: dict[str, CountryCount] = {}
    for c in _ranked_countries(countries):
        by_code.setdefault(c.code, c)
    limits = class_limits(c.count for c in by_code.values())
    w, h = shapes.width, shapes.height
    # The children of an image are presentational: a map with links is a group, so that assistive
    # technology reaches each linked country and place.
    linked = any(_link(c.url) for c in by_code.values()) or any(_link(p.url) for p in places if p.count > 0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="{"group" if linked else "img"}" '
        'class="briefing-map" '
        f'style="width:100%;height:auto;max-width:{w}px">',
        f"<title>{html_text(title)}</title>",
        f"<desc>{html_text(describe(countries, places, title, top))}</desc>",
        f'<rect width="{w}" height="{h}" fill="{SEA}"/>',
        f'<g stroke="{BORDER}" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    for code in sorted(shapes.countries):
        shape = shapes.countries[code]
        counted = by_code.get(code)
        if counted is None:
            out.append(f'<path d="{shape.path}" fill="{UNSHADED}"><title>{html_text(shape.name)}</title></path>')
            continue
        fill = class_colour(class_of(counted.count, limits), len(limits))
        path = (f'<path d="{shape.path}" fill="{fill}"><title>{html_text(counted.name)}: '
                f"{html_text(_counted(counted.count, unit))}</title></path>")
        href = _link(counted.url)
        out.append(f'<a href="{attr(href)}">{path}</a>' if href else path)
    out.append("</g>")
    dots = _ranked_places(places)
    if dots:
        most = dots[0].count
        out.append(f'<g fill="{DOT}" stroke="{BORDER}" stroke-width="0.8">')
        for p in dots:  # the largest first, so a small dot is never hidden under a larger one
            x, y = shapes.project(p.lat, p.lon)
            r = 2.5 + 3.5 * math.sqrt(p.count / most)
            dot = (f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}">'
                   f"<title>{html_text(p.name)}: {html_text(_counted(p.count, unit))}</title></circle>")
            href = _link(p.url)
            out.append(f'<a href="{attr(href)}">{dot}</a>' if href else dot)
        out.append("</g>")
    out.extend(_legend(limits, h))
    out.append("</svg>")
    return "\n".join(out)


def map_block(svg: str) -> str:
    """``svg`` ready for a Markdown page, set between blank lines: inside a ``<div>``, Python-Markdown
    keeps it as raw HTML, byte for byte; bare, it would read the SVG as a paragraph and turn a ``*``
    or ``_`` in a name into emphasis. The SVG has no blank line, which would end the block."""
    return f'<div class="briefing-map">\n{svg}\n</div>'


def _legend(limits: Sequence[int], height: int) -> list[str]:
    """Boxes with the count range of each class, bottom left (only numbers we format ourselves)."""
    if not limits:
        return []
    box, gap = 12, 4
    y = height - 8 - (box + gap) * len(limits)
    out = ['<g font-family="sans-serif" font-size="10" fill="#333333">']
    for k, label in enumerate(class_labels(limits), 1):
        top = y + (k - 1) * (box + gap)
        out.append(f'<rect x="8" y="{top}" width="{box}" height="{box}" fill="{class_colour(k, len(limits))}" '
                   f'stroke="#666666" stroke-width="0.5"/><text x="{8 + box + 4}" y="{top + box - 2}">{label}</text>')
    out.append("</g>")
    return out


def _md_link(name: str, url: str | None) -> str:
    href = _link(url)
    return f"[{md(name)}]({href})" if href else md(name)


def map_table(countries: Iterable[CountryCount], places: Iterable[PlaceDot] = (), *,
              unit: tuple[str, str] = ("briefing", "briefings")) -> str:
    """The map's data as Markdown tables (countries, then places), the text alternative under the map."""
    label = unit[1][:1].upper() + unit[1][1:]
    lines = [f"| Country | {md(label)} |", "| --- | ---: |"]
    lines += [f"| {_md_link(c.name, c.url)} | {c.count} |" for c in _ranked_countries(countries)]
    dots = _ranked_places(places)
    if dots:
        lines += ["", f"| Place | {md(label)} |", "| --- | ---: |"]
        lines += [f"| {_md_link(p.name, p.url)} | {p.count} |" for p in dots]
    return "\n".join(lines) + "\n"
