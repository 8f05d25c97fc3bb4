"""Places as a kind: a dossier per place, an index, a column on briefing pages, the map on the home page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {
    "port.md": "---\ntitle: Tanker seized near the port\ndate: 2021-03-01\n---\n"
               "North Korea said its navy seized a tanker off Chongjin on Monday. Officials in Chongjin gave "
               "no reason. The United States called the seizure unlawful.\n",
    "drill.md": "---\ntitle: Coastal drill\ndate: 2021-05-20\n---\n"
                "North Korea held a coastal drill near Chongjin, state media said. Japan protested.\n",
    "talks.md": "---\ntitle: Talks in Vienna\ndate: 2021-04-02\n---\n"
                "Iran and the United States held indirect talks in Vienna about sanctions.\n",
}


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("places")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "content").mkdir()
    for name, text in ARTICLES.items():
        (project / "content" / name).write_text(text, encoding="utf-8")
    report = generate(load_settings(project))
    assert not report.skipped
    return project / "docs"


def test_a_place_dossier_quotes_its_mentions_with_dates_and_company(docs: Path) -> None:
    page = (docs / "places" / "chongjin.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: Chongjin\n")
    assert "- **Country:** [North Korea](../actors/north-korea.md)" in page
    assert ("2 briefings · first seen 2021-03-01 · last seen 2021-05-20 · [RSS feed](chongjin.xml) · "
            "back to [Places](index.md)") in page
    assert "seized a tanker off <mark>Chongjin</mark> on Monday" in page
    assert "held a coastal drill near <mark>Chongjin</mark>" in page
    assert "## Appears with" in page and "[North Korea](../actors/north-korea.md) (2)" in page


def test_the_places_index_and_the_briefing_column_link_the_dossiers(docs: Path) -> None:
    index = (docs / "places" / "index.md").read_text(encoding="utf-8")
    assert "| Name | Country | Briefings |" in index
    assert "| [Chongjin](chongjin.md) | North Korea | 2 |" in index
    briefing = (docs / "briefings" / "port.md").read_text(encoding="utf-8")
    assert "## Places" in briefing
    assert "| [Chongjin](../places/chongjin.md) | North Korea | 2 |" in briefing


def test_places_leave_related_briefings_and_other_dossiers_as_they_were(docs: Path) -> None:
    # Two briefings that share only a place are not related by it, and an actor's dossier lists no place.
    actor = (docs / "actors" / "north-korea.md").read_text(encoding="utf-8")
    assert "../places/" not in actor


def test_the_home_page_shows_the_map_with_linked_countries_and_places(docs: Path) -> None:
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "[Places](places/index.md)" in home
    svg = re.search(r'<div class="briefing-map">\n(<svg.*?</svg>)\n</div>', home, re.S)
    assert svg is not None
    assert '<a href="actors/north-korea/"><path' in svg.group(1)
    assert re.search(r'<a href="places/chongjin/"><circle [^>]*><title>Chongjin: 2 briefings</title>', svg.group(1))
    assert "| [Chongjin](places/chongjin.md) | 2 |" in home  # the map as a table


def test_places_are_exported(docs: Path) -> None:
    entities = {e["id"]: e for e in json.loads((docs / "data" / "entities.json").read_bytes()) if e["kind"] == "place"}
    assert entities["chongjin"]["country"] == "North Korea"
    assert entities["chongjin"]["url"] == "places/chongjin/"
    assert entities["chongjin"]["briefings"] == 2  # which ones: briefings.json
    listed = {b["slug"]: b["places"] for b in json.loads((docs / "data" / "briefings.json").read_bytes())}
    assert listed["port"] == ["chongjin"] and "vienna" in listed["talks"]
