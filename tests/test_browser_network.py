"""The network page at 150 nodes in Chromium: clusters apart, labels legible, filters, find box, keyboard.

A synthetic book (tests/networkbook.py: six clusters of 25 knowledge-base entities) is built with
MkDocs and served on 127.0.0.1. Label boxes are measured through Cytoscape.js's own API.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import Watched, need_chromium, serve, watched_tab
from networkbook import clusters
from sitefixture import mkdocs_build, write_project

from generator.kb import load_kb

pytestmark = pytest.mark.browser
TIMEOUT = 60_000  # ms; generous for shared 2-core machines, not a speed assertion

# Shown labels: every node whose label style is not empty, with its label's box in model coordinates,
# and the summed pairwise overlap of those boxes over their summed area.
LABELS = """() => { const cy = window.briefingNetwork;
  const shown = cy.nodes().filter(n => n.style('display') !== 'none' && n.style('label') !== '');
  const boxes = shown.map(n => n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true}));
  let total = 0, over = 0;
  boxes.forEach(b => { total += b.w * b.h; });
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1), h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
    if (w > 0 && h > 0) over += w * h; }
  const screenFont = parseFloat(cy.nodes()[0].style('font-size')) * cy.zoom();
  return {ids: shown.map(n => n.id()), overlap: total ? over / total : 0, screenFont: screenFont}; }"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_chromium()
    from networkbook import network_corpus

    root = tmp_path_factory.mktemp("network-book")
    return mkdocs_build(write_project(root, network_corpus(root / "content")))


@pytest.fixture(scope="module")
def base(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture
def net(browser: Any, base: str) -> Iterator[Watched]:
    with watched_tab(browser, base, TIMEOUT) as w:
        w.page.goto(base + "network/")
        w.page.locator("#briefing-network[data-nodes]").wait_for(state="attached")
        yield w


def positions(page: Any) -> dict[str, tuple[float, float]]:
    got = page.evaluate("() => window.briefingNetwork.nodes().map(n => [n.id(), n.position('x'), n.position('y')])")
    return {i: (x, y) for i, x, y in got}


def test_150_nodes_with_at_least_20_legible_labels_that_do_not_overlap(net: Watched) -> None:
    page = net.page
    assert page.get_attribute("#briefing-network", "data-nodes") == "150"
    labels = page.evaluate(LABELS)
    assert len(labels["ids"]) >= 20, labels["ids"]
    assert len(labels["ids"]) < 150  # the rest wait for hover or zoom
    assert labels["overlap"] < 0.05, labels["overlap"]
    assert labels["screenFont"] >= 10, labels["screenFont"]
    # The labelled ones are the most connected.
    degree = page.evaluate("() => Object.fromEntries(window.briefingNetwork.nodes().map(n => [n.id(), n.degree()]))")
    least_shown = min(degree[i] for i in labels["ids"])
    assert sum(1 for i, d in degree.items() if d > least_shown and i not in labels["ids"]) == 0
    net.assert_clean()


def test_hover_and_zoom_show_the_other_labels(net: Watched) -> None:
    page = net.page
    shown = set(page.evaluate(LABELS)["ids"])
    other = page.evaluate("(shown) => { const cy = window.briefingNetwork;"
                          " const n = cy.nodes().filter(n => !shown.includes(n.id()))[0];"
                          " const p = n.renderedPosition(); return [n.id(), p.x, p.y]; }", list(shown))
    box = page.locator("#briefing-network").bounding_box()
    page.mouse.move(box["x"] + other[1], box["y"] + other[2])
    page.wait_for_function("(id) => window.briefingNetwork.$id(id).style('label') !== ''", arg=other[0])
    page.evaluate("() => { const cy = window.briefingNetwork; cy.zoom({level: cy.zoom() * 2.5,"
                  " renderedPosition: {x: cy.width() / 2, y: cy.height() / 2}}); }")
    assert len(page.evaluate(LABELS)["ids"]) == 150
    net.assert_clean()


def test_layout_keeps_clusters_apart(net: Watched) -> None:
    pos = positions(net.page)
    groups = [[f"{kind}:{eid}" for kind, eid, _ in group] for group in clusters(load_kb())]

    def mean_distance(pairs: list[tuple[str, str]]) -> float:
        return sum(math.dist(pos[a], pos[b]) for a, b in pairs) / len(pairs)

    inside = [(a, b) for g in groups for i, a in enumerate(g) for b in g[i + 1:]]
    across = [(a, b) for gi, g in enumerate(groups) for h in groups[gi + 1:] for a in g for b in h]
    assert mean_distance(inside) < 0.75 * mean_distance(across)


def test_filters_by_kind_and_by_briefings(net: Watched) -> None:
    page = net.page
    # style('display') reads the style as it is now; visible() may answer from before the last change.
    visible = ("(kind) => window.briefingNetwork.nodes()"
               ".filter(n => n.style('display') !== 'none' && n.data('kind') === kind).length")
    assert page.evaluate(visible, "weapon") == 50
    page.get_by_label("weapons and systems").uncheck()
    assert page.evaluate(visible, "weapon") == 0 and page.evaluate(visible, "actor") == 100
    page.get_by_label("weapons and systems").check()
    page.get_by_label("Named in at least").fill("4")
    shown = page.evaluate("() => window.briefingNetwork.nodes().filter(n => n.style('display') !== 'none')"
                          ".map(n => n.data('briefings'))")
    many = page.evaluate("() => window.briefingNetwork.nodes().filter(n => n.data('briefings') >= 4).length")
    assert min(shown) >= 4 and 0 < many == len(shown) < 150
    assert f"{many} of 150 nodes shown" in page.locator("#network-status").inner_text()
    net.assert_clean()


def test_find_box_focuses_a_node_and_the_keyboard_opens_it(net: Watched) -> None:
    page = net.page
    name, node_id, url = page.evaluate("() => { const cy = window.briefingNetwork;"
                                       " const n = cy.nodes().sort((a, b) => a.degree() - b.degree())[0];"
                                       " return [n.data('name'), n.id(), n.data('url')]; }")
    box = page.get_by_label("Find a node")
    box.fill(name)
    box.press("Enter")
    assert page.get_attribute("#briefing-network", "data-focused") == node_id
    assert page.evaluate("() => document.activeElement.id") == "briefing-network"
    assert name in page.locator("#network-status").inner_text()
    centre = page.evaluate("(id) => { const cy = window.briefingNetwork; const p = cy.$id(id).renderedPosition();"
                           " return [p.x - cy.width() / 2, p.y - cy.height() / 2]; }", node_id)
    assert abs(centre[0]) < 2 and abs(centre[1]) < 2
    page.keyboard.press("ArrowRight")
    moved = page.get_attribute("#briefing-network", "data-focused")
    assert moved != node_id
    page.keyboard.press("ArrowLeft")
    assert page.get_attribute("#briefing-network", "data-focused") == node_id
    page.keyboard.press("Enter")
    page.wait_for_url("**/" + url)
    net.assert_clean()


def test_tab_reaches_the_network_and_arrows_walk_its_nodes(net: Watched) -> None:
    page = net.page
    page.get_by_label("Named in at least").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "briefing-network"
    first = page.get_attribute("#briefing-network", "data-focused")
    top = page.evaluate("() => window.briefingNetwork.nodes().sort((a, b) => a.data('rank') - b.data('rank'))[0].id()")
    assert first == top
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#briefing-network", "data-focused") != first
    net.assert_clean()
