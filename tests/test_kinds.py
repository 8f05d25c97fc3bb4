"""The table of kinds: the navigation names every kind, and a kind added as one row and one template
gets its index, its dossiers, links to them and its data exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from generator import kinds
from generator.kinds import Item, Kind
from generator.models import Briefing
from generator.pipeline import generate
from generator.render import environment

ROOT = Path(__file__).resolve().parent.parent


class _Lenient(yaml.SafeLoader):
    """Reads mkdocs.yml's own tags (!ENV, !!python/name) as plain values."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
_Lenient.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config() -> dict[str, Any]:
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Lenient)


def test_the_navigation_lists_every_kind_and_leaves_out_its_dossiers() -> None:
    config = mkdocs_config()
    tabs = {title: page for entry in config["nav"] for title, page in entry.items() if isinstance(page, str)}
    for k in kinds.KINDS:
        assert tabs.get(k.nav) == f"{k.folder}/index.md", f"mkdocs.yml nav lacks '{k.nav}: {k.folder}/index.md'"
        assert f"/{k.folder}/*.md" in config["not_in_nav"].split(), f"not_in_nav lacks /{k.folder}/*.md"


def outlet_items(b: Briefing) -> Iterator[Item]:
    """A throwaway kind: the outlet that published the article."""
    if b.doc.source:
        yield Item(b.doc.source.casefold(), b.doc.source, "outlet", False, (), 1.0, 1, False, None, None)


OUTLET = Kind("outlet", "outlets", "Outlets", "Outlets", "Sort", "outlets", "sort", "", outlet_items,
              dossier="outlet.md.j2")
OUTLET_TEMPLATE = ("{{ fm }}\n# Outlet: {{ info.name }}\n\n{{ n_refs }} briefings · back to {{ index }}\n\n"
                   "{{ refs_block }}")
ARTICLES = {
    "a.md": "---\ntitle: Sanctions on Iran\ndate: 2020-01-02\nsource: North Wire\n---\n"
            "The United States imposed sanctions on Iran after a missile test.\n",
    "b.md": "---\ntitle: Talks in Geneva\ndate: 2020-02-03\nsource: North Wire\n---\n"
            "Russia and Ukraine met in Geneva to discuss a ceasefire.\n",
    "c.md": "---\ntitle: Drone strike\ndate: 2020-03-04\nsource: South Post <b>\n---\n"
            "Turkey said a drone strike hit a convoy near Aleppo in Syria.\n",
}


@pytest.fixture
def outlets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, OUTLET))
    extra = tmp_path / "templates"
    extra.mkdir()
    (extra / "outlet.md.j2").write_text(OUTLET_TEMPLATE, encoding="utf-8")
    env = environment()
    monkeypatch.setattr(env, "loader", jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(extra)), env.loader]))
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in ARTICLES.items():
        (project / "content" / name).write_text(text, encoding="utf-8")
    from generator.config import load_settings

    report = generate(load_settings(project))
    assert not report.skipped
    return project / "docs"


def test_a_kind_added_as_a_row_and_a_template_is_built_linked_and_exported(outlets: Path) -> None:
    index = (outlets / "outlets" / "index.md").read_text(encoding="utf-8")
    assert "# Outlets" in index and "| Name | Sort | Briefings |" in index
    assert "[North Wire](north-wire.md) | 2 |" in index
    dossier = (outlets / "outlets" / "north-wire.md").read_text(encoding="utf-8")
    assert "# Outlet: North Wire" in dossier
    assert "2 briefings · back to [Outlets](index.md)" in dossier
    assert "(../briefings/a.md)" in dossier and "(../briefings/b.md)" in dossier
    # Article text reaches the new kind's pages through the one escaping function.
    other = (outlets / "outlets" / "south-post-b.md").read_text(encoding="utf-8")
    assert "<b>" not in other and "South Post" in other
    home = (outlets / "index.md").read_text(encoding="utf-8")
    assert "[Outlets](outlets/index.md)" in home and "| Outlets |" in home
    entities = [e for e in json.loads((outlets / "data" / "entities.json").read_bytes()) if e["kind"] == "outlet"]
    assert {(e["name"], e["sort"], e["url"]) for e in entities} == {
        ("North Wire", "outlet", "outlets/north-wire/"), ("South Post <b>", "outlet", "outlets/south-post-b/")}
    listed = {b["slug"]: b["outlets"] for b in json.loads((outlets / "data" / "briefings.json").read_bytes())}
    assert listed == {"a": ["north wire"], "b": ["north wire"], "c": ["south post <b>"]}


def test_a_kinds_row_says_how_its_dossiers_are_archived(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from sitefixture import markdown_pages, redated_corpus

    plan = [("hwasong-18-test.md", f"2020-{m:02d}-10") for m in (1, 1, 2, 3)]
    by_year = markdown_pages(redated_corpus(plan), page_size=1)
    assert [p for p in by_year if p.startswith("weapons/hwasong-18/")] == ["weapons/hwasong-18/2020.md"]
    monthly = tuple(dataclasses.replace(k, archive="month") if k.name == "weapon" else k for k in kinds.KINDS)
    monkeypatch.setattr(kinds, "KINDS", monthly)
    by_month = markdown_pages(redated_corpus(plan), page_size=1)
    assert sorted(p for p in by_month if p.startswith("weapons/hwasong-18/")) == [
        "weapons/hwasong-18/2020-01.md", "weapons/hwasong-18/2020-02.md"]
    assert "- [February 2020](hwasong-18/2020-02.md): 1 briefing\n" in by_month["weapons/hwasong-18.md"]
    assert not [p for p in by_month if p.startswith("actors/north-korea/") and len(p.split("/")[-1]) != 7]
    with pytest.raises(ValueError, match="archive must be 'year' or 'month'"):
        dataclasses.replace(kinds.kind("weapon"), archive="week")
