"""The world map: bundled shapes, projection, shading classes, escaping, determinism, and Chromium."""

from __future__ import annotations

import itertools
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from browserkit import ARGS, CHROMIUM, need_chromium, serve, watch

from generator.kb import load_kb
from generator.render import worldmap
from generator.render.escape import plain
from generator.render.worldmap import (
    CountryCount,
    PlaceDot,
    class_limits,
    class_of,
    load_shapes,
    map_block,
    map_svg,
    map_table,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> \"Evil\" & 'Co' ]]> <!--"


@pytest.fixture(scope="module")
def shapes() -> worldmap.WorldShapes:
    return load_shapes()


@pytest.fixture(scope="module")
def kb() -> Any:
    return load_kb()


def _place(kb: Any, place_id: str, count: int, url: str | None = None) -> PlaceDot:
    loc = kb.locations[place_id]
    assert loc.coordinates is not None, place_id
    return PlaceDot(loc.name, *loc.coordinates, count=count, url=url)


def _inside(point: tuple[float, float], ring: tuple[tuple[int, int], ...]) -> bool:
    """Even-odd ray casting."""
    x, y = point
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _in_country(shapes: worldmap.WorldShapes, code: str, point: tuple[float, float]) -> bool:
    return sum(_inside(point, ring) for ring in shapes.countries[code].rings) % 2 == 1


def _in_box(box: tuple[int, int, int, int], point: tuple[float, float], margin: float = 0) -> bool:
    left, top, right, bottom = box
    return left - margin <= point[0] <= right + margin and top - margin <= point[1] <= bottom + margin


def _sample(kb: Any) -> tuple[list[CountryCount], list[PlaceDot]]:
    countries = [CountryCount(kb.actors[i].code, kb.actors[i].name, n, f"../actors/{i}/")
                 for i, n in (("south-korea", 12), ("north-korea", 9), ("ukraine", 30), ("russia", 14),
                              ("united-states", 3), ("japan", 1), ("china", 0), ("singapore", 2))]
    places = [_place(kb, "seoul", 5, "../places/seoul/"), _place(kb, "pyongyang", 4, "../places/pyongyang/"),
              _place(kb, "kyiv", 20, "../places/kyiv/"), _place(kb, "kharkiv", 2)]
    return countries, places


# ---- the bundled data ----------------------------------------------------------------------------

def test_the_bundled_shapes_are_a_small_world(shapes: worldmap.WorldShapes) -> None:
    assert worldmap.SHAPES_FILE.stat().st_size < 150_000
    assert shapes.width == 1000 and 400 < shapes.height < 520
    assert len(shapes.countries) >= 170
    assert "ATA" not in shapes.countries  # left out on purpose
    for code in ("KOR", "PRK", "UKR", "RUS", "USA", "BRA", "AUS", "ZAF", "UNK", "TWN", "PSE"):
        assert code in shapes.countries, code
    for shape in shapes.countries.values():
        left, top, right, bottom = shape.bbox
        assert 0 <= left <= right <= shapes.width and 0 <= top <= bottom <= shapes.height, shape.code


def test_countries_sit_where_they_should(shapes: worldmap.WorldShapes) -> None:
    """West is left, north is up, and the antimeridian cut leaves no ring streaking across the map."""
    centre = {c: ((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for c, b in
              ((code, shapes.countries[code].bbox) for code in ("USA", "CHN", "BRA", "AUS", "NOR", "ZAF"))}
    assert centre["USA"][0] < centre["CHN"][0] and centre["BRA"][0] < centre["ZAF"][0]
    assert centre["NOR"][1] < centre["ZAF"][1] and centre["CHN"][1] < centre["AUS"][1]
    for code in ("RUS", "FJI", "USA"):  # each has land on both sides of 180 degrees
        for ring in shapes.countries[code].rings:
            xs = [x for x, _ in ring]
            assert max(xs) - min(xs) < shapes.width / 2, code


def test_the_projection_puts_capitals_inside_their_country(shapes: worldmap.WorldShapes, kb: Any) -> None:
    seoul = shapes.project(*kb.locations["seoul"].coordinates)
    pyongyang = shapes.project(*kb.locations["pyongyang"].coordinates)
    assert _in_box(shapes.countries["KOR"].bbox, seoul) and _in_country(shapes, "KOR", seoul)
    assert _in_box(shapes.countries["PRK"].bbox, pyongyang) and _in_country(shapes, "PRK", pyongyang)
    assert not _in_country(shapes, "PRK", seoul) and not _in_country(shapes, "KOR", pyongyang)
    for place, code in (("kyiv", "UKR"), ("moscow", "RUS"), ("brasilia", "BRA"), ("canberra", "AUS"),
                        ("ottawa", "CAN"), ("nairobi", "KEN"), ("tehran", "IRN")):
        assert _in_country(shapes, code, shapes.project(*kb.locations[place].coordinates)), place


def test_every_place_with_coordinates_lies_in_its_country(shapes: worldmap.WorldShapes, kb: Any) -> None:
    placed = [loc for loc in kb.locations.values() if loc.coordinates is not None]
    assert len(placed) >= 300
    for loc in placed:
        code = kb.actors[loc.country].code
        if code in shapes.countries:  # a very small state has no shape at 1:110m
            assert _in_box(shapes.countries[code].bbox, shapes.project(*loc.coordinates), margin=6), loc.id


def test_every_country_has_a_code_and_most_a_shape(shapes: worldmap.WorldShapes, kb: Any) -> None:
    codes = [a.code for a in kb.actors.values() if a.type == "country"]
    assert len(codes) == 197 and None not in codes and len(set(codes)) == len(codes)
    assert kb.actors["north-korea"].code == "PRK" and kb.actors["south-korea"].code == "KOR"
    assert all(a.code is None for a in kb.actors.values() if a.type != "country")
    drawn = [c for c in codes if c in shapes.countries]
    assert len(drawn) >= 165  # the rest are islands and city states too small for 1:110m


# ---- shading ---------------------------------------------------------------------------------------

def test_class_limits_grow_geometrically_to_the_largest_count() -> None:
    assert class_limits([1, 3, 12, 100, 0]) == (3, 6, 16, 40, 100)
    assert class_limits([]) == () and class_limits([0, 0]) == ()
    assert class_limits([5, 5]) == (1, 2, 3, 4, 5)
    assert class_limits([3]) == (1, 2, 3)
    assert class_limits([1, 2]) == (1, 2)
    limits = class_limits([1, 3, 12, 100])
    assert [class_of(n, limits) for n in (0, 1, 3, 4, 12, 16, 17, 100)] == [0, 1, 1, 2, 3, 3, 4, 5]


def test_the_top_class_is_darkest_and_zero_is_unshaded(shapes: worldmap.WorldShapes, kb: Any) -> None:
    countries, places = _sample(kb)
    root = ET.fromstring(map_svg(shapes, countries, places))
    fills = {}
    for path in root.iter(f"{SVG}path"):
        title = path.find(f"{SVG}title")
        assert title is not None and title.text
        fills[title.text.split(":")[0]] = path.get("fill")
    assert fills["Ukraine"] == worldmap.PALETTE[-1]
    assert fills["Japan"] == worldmap.PALETTE[0]
    assert fills["China"] == worldmap.UNSHADED  # a count of 0 is not shaded
    assert fills["Brazil"] == worldmap.UNSHADED
    assert fills["South Korea"] != fills["United States"]
    order = [fills[n] for n in ("Japan", "United States", "North Korea", "South Korea", "Ukraine")]
    assert [worldmap.PALETTE.index(f) for f in order] == sorted(worldmap.PALETTE.index(f) for f in order)
    # A single count makes one class, drawn darkest.
    one = ET.fromstring(map_svg(shapes, [CountryCount("KOR", "South Korea", 4)]))
    assert [p.get("fill") for p in one.iter(f"{SVG}path") if p.get("fill") != worldmap.UNSHADED] == \
        [worldmap.PALETTE[-1]]


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_palette_is_sequential_with_contrast() -> None:
    """Each class darker than the last; the lightest apart from unshaded land; dots readable on all."""
    lum = [_luminance(c) for c in worldmap.PALETTE]
    assert lum == sorted(lum, reverse=True)
    assert all(_contrast(a, b) >= 1.35 for a, b in itertools.pairwise(worldmap.PALETTE))
    assert _contrast(worldmap.UNSHADED, worldmap.PALETTE[0]) >= 1.8
    assert _contrast(worldmap.DOT, worldmap.SEA) >= 3 and _contrast(worldmap.DOT, worldmap.UNSHADED) >= 3
    # On the darkest class the dot shows by its white outline.
    assert _contrast(worldmap.BORDER, worldmap.PALETTE[-1]) >= 3


# ---- the SVG as a document -------------------------------------------------------------------------

def test_the_svg_is_xml_with_an_accessible_name_and_description(shapes: worldmap.WorldShapes, kb: Any) -> None:
    countries, places = _sample(kb)
    root = ET.fromstring(map_svg(shapes, countries, places, title="Briefings by country"))
    # Linked countries and dots make the map a group (an image's children are presentational).
    assert root.tag == f"{SVG}svg" and root.get("role") == "group"
    unlinked = [worldmap.CountryCount(c.code, c.name, c.count) for c in countries]
    assert ET.fromstring(map_svg(shapes, unlinked, title="Briefings by country")).get("role") == "img"
    assert root.get("viewBox") == f"0 0 {shapes.width} {shapes.height}"
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].text == "Briefings by country"
    assert children[1].tag == f"{SVG}desc"
    assert children[1].text == ("Briefings by country: Ukraine 30, Russia 14, South Korea 12, North Korea 9, "
                                "United States 3, Singapore 2, Japan 1. Places marked: Kyiv 20, Seoul 5, "
                                "Pyongyang 4, Kharkiv 2.")
    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    assert "../places/seoul/" in links and "../actors/ukraine/" in links
    seoul = links["../places/seoul/"].find(f"{SVG}circle")
    assert seoul is not None and seoul.find(f"{SVG}title").text == "Seoul: 5 briefings"  # type: ignore[union-attr]
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 4
    titles = [c.find(f"{SVG}title").text for c in circles]  # type: ignore[union-attr]
    assert titles[0] == "Kyiv: 20 briefings" and "Kharkiv: 2 briefings" in titles
    assert len(list(root.iter(f"{SVG}path"))) == len(shapes.countries)


def test_the_description_names_the_top_ten_and_counts_the_rest(shapes: worldmap.WorldShapes) -> None:
    codes = sorted(shapes.countries)[:14]
    countries = [CountryCount(c, shapes.countries[c].name, 20 - i) for i, c in enumerate(codes)]
    desc = ET.fromstring(map_svg(shapes, countries)).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert desc.text.endswith(", and 4 more countries.")
    assert desc.text.count(",") == 10
    empty = ET.fromstring(map_svg(shapes, [])).find(f"{SVG}desc")
    assert empty is not None and empty.text == "Briefings by country: none yet."


def test_hostile_names_and_urls_stay_text(shapes: worldmap.WorldShapes) -> None:
    countries = [CountryCount("KOR", HOSTILE, 3, 'x" onmouseover="alert(1)'),
                 CountryCount("PRK", "North", 2, "javascript:alert(1)")]
    places = [PlaceDot(HOSTILE, 37.5, 127.0, 2, "java\tscript:alert(2)"),
              PlaceDot("Data", 39.0, 125.7, 1, "data:text/html,<script>alert(3)</script>")]
    svg = map_svg(shapes, countries, places, title=HOSTILE)
    root = ET.fromstring(svg)  # still well-formed
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "foreignObject")]
    assert "<script" not in svg and "javascript:" not in svg.lower() and "data:" not in svg
    assert all(not any(k.startswith("on") for k in e.attrib) for e in root.iter())
    hrefs = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert hrefs == ["x%22%20onmouseover=%22alert%281%29"]  # one inert relative URL
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == plain(HOSTILE)
    texts = [t.text for t in root.iter(f"{SVG}title")]
    assert f"{plain(HOSTILE)}: 3 briefings" in texts and f"{plain(HOSTILE)}: 2 briefings" in texts

    table = map_table(countries, places)
    assert "<" not in table and "javascript:" not in table and "data:" not in table
    assert "x%22%20onmouseover=%22alert(1)" not in table  # parentheses encoded too
    assert "(x%22%20onmouseover=%22alert%281%29)" in table


def test_the_map_survives_the_sites_markdown_byte_for_byte(shapes: worldmap.WorldShapes) -> None:
    """Names with Markdown syntax and a URL with blank lines: the page's HTML holds the SVG unchanged."""
    markdown = pytest.importorskip("markdown")
    config = (Path(__file__).parent.parent / "mkdocs.yml").read_text(encoding="utf-8")
    extensions = [e for e in ("admonition", "pymdownx.details", "tables", "toc", "attr_list", "md_in_html",
                              "pymdownx.superfences") if f"  - {e}" in config]
    assert "md_in_html" in extensions
    countries = [CountryCount("KOR", "*South* _Korea_ [x](y) `z` <b>", 3, "a_b_c/\n\n*d*/"),
                 CountryCount("PRK", "North | Korea ~~x~~", 2, "north/")]
    places = [PlaceDot("Se*o*ul\n\nPara", 37.5, 127.0, 2, "seoul/")]
    svg = map_svg(shapes, countries, places)
    assert "\n\n" not in svg
    page = "# Map\n\n" + map_block(svg) + "\n\n" + map_table(countries, places) + "\nAfter the map.\n"
    html = markdown.markdown(page, extensions=extensions)
    assert svg in html
    assert "<em>" not in html and "<code>" not in html and "<del>" not in html
    assert html.count("<table>") == 2 and html.rstrip().endswith("<p>After the map.</p>")


def test_the_table_is_the_same_data(kb: Any) -> None:
    countries, places = _sample(kb)
    assert map_table(countries, places) == (
        "| Country | Briefings |\n| --- | ---: |\n"
        "| [Ukraine](../actors/ukraine/) | 30 |\n| [Russia](../actors/russia/) | 14 |\n"
        "| [South Korea](../actors/south-korea/) | 12 |\n| [North Korea](../actors/north-korea/) | 9 |\n"
        "| [United States](../actors/united-states/) | 3 |\n| [Singapore](../actors/singapore/) | 2 |\n"
        "| [Japan](../actors/japan/) | 1 |\n"
        "\n| Place | Briefings |\n| --- | ---: |\n"
        "| [Kyiv](../places/kyiv/) | 20 |\n| [Seoul](../places/seoul/) | 5 |\n"
        "| [Pyongyang](../places/pyongyang/) | 4 |\n| Kharkiv | 2 |\n")


def test_same_data_same_bytes_whatever_the_order(shapes: worldmap.WorldShapes, kb: Any) -> None:
    countries, places = _sample(kb)
    first = map_svg(shapes, countries, places)
    rng = random.Random(7)
    for _ in range(3):
        rng.shuffle(countries)
        rng.shuffle(places)
        assert map_svg(shapes, countries, places) == first
        assert map_table(countries, places) == map_table(sorted(countries, key=repr), sorted(places, key=repr))
    reloaded = worldmap.shapes_from(json.loads(worldmap.SHAPES_FILE.read_bytes()))
    assert map_svg(reloaded, countries, places) == first


# ---- in a browser ----------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Map</title></head>
<body style="margin:0;width:1000px">
{svg}
</body></html>
"""


@pytest.mark.browser
def test_the_map_renders_in_chromium(tmp_path: Path, shapes: worldmap.WorldShapes, kb: Any) -> None:
    need_chromium()
    from playwright.sync_api import sync_playwright

    countries, places = _sample(kb)
    (tmp_path / "index.html").write_text(PAGE.format(svg=map_svg(shapes, countries, places)), encoding="utf-8")
    seoul_page = tmp_path / "places" / "seoul"
    seoul_page.mkdir(parents=True)
    (seoul_page / "index.html").write_text(
        "<!doctype html><link rel=\"icon\" href=\"data:,\"><title>Seoul</title><h1>Seoul</h1>", encoding="utf-8")
    with serve(tmp_path) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1000, "height": 480}, service_workers="block")
            w = watch(context, base)
            w.page.goto(base)
            box = w.page.locator("svg").bounding_box()
            assert box is not None and box["width"] == 1000
            assert abs(box["height"] - shapes.height) <= 1  # scaled 1:1 at this width
            w.page.screenshot(path=str(tmp_path / "map.png"))
            assert (tmp_path / "map.png").stat().st_size > 10_000
            # What sits under a point: sea in mid-Pacific, Brazil's land, the Kyiv dot.
            x, y = shapes.project(-10.0, -150.0)
            assert w.page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", [x, y]) == "rect"
            x, y = shapes.project(-10.0, -50.0)
            assert w.page.evaluate("([x, y]) => document.elementFromPoint(x, y).textContent", [x, y]) == "Brazil"
            x, y = shapes.project(*kb.locations["kyiv"].coordinates)
            assert w.page.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName", [x, y]) == "circle"
            # Following a dot's link opens the place's page, on 127.0.0.1.
            x, y = shapes.project(*kb.locations["seoul"].coordinates)
            w.page.mouse.click(x, y)
            w.page.wait_for_url(base + "places/seoul/")
            assert w.page.locator("h1").text_content() == "Seoul"
            w.assert_clean()
            assert len(w.requests) == 2
            context.close()
        finally:
            browser.close()
