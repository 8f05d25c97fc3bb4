"""The exit path from MkDocs 1.6: the same mkdocs.yml and docs/ build with ProperDocs and Zensical.

The optional engines are an extra (``pip install -e '.[engines]'``); a test that needs one skips,
naming it, when it is not installed. MkDocs is a core dependency and always runs.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator import engines
from generator.config import Settings

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("briefings", "actors", "weapons", "concerns")


def _needs(engine: str) -> None:
    if not engines.available(engine):
        pytest.skip(f"{engine} is not installed (pip install -e '.[engines]')")


@pytest.fixture
def site_project(tmp_path: Path) -> Settings:
    """The project's real mkdocs.yml and manual, with one small page where each generated section goes."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "manual", docs / "manual")
    (docs / "index.md").write_text("# Briefing book\n\n[Briefings](briefings/index.md)\n", encoding="utf-8")
    for section in SECTIONS:
        (docs / section).mkdir()
        (docs / section / "index.md").write_text(f"# {section.title()}\n\n[One](one.md)\n", encoding="utf-8")
        (docs / section / "one.md").write_text(f"# One of {section}\n\n[Back](index.md)\n", encoding="utf-8")
    # Any other page the nav names (timeline, network, ...): a strict build needs each one.
    for page in re.findall(r"^\s*-\s+(?:[^:\n]+:\s+)?(\S+\.md)\s*$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M):
        if not (docs / page).exists():
            (docs / page).parent.mkdir(parents=True, exist_ok=True)
            (docs / page).write_text(f"# {Path(page).stem.title()}\n", encoding="utf-8")
    return Settings(root=tmp_path, site_dir="public")


@pytest.mark.parametrize("engine", engines.ENGINES)
def test_builds_the_project_config_into_the_chosen_site_folder(site_project: Settings, engine: str) -> None:
    _needs(engine)
    run = engines.build(site_project, engine=engine, strict=True)
    site = site_project.root / "public"
    assert run.engine == engine
    assert (site / "index.html").is_file()
    quick = (site / "manual" / "quick-start" / "index.html").read_text(encoding="utf-8")
    assert "Quick start" in quick
    assert (site / "briefings" / "one" / "index.html").is_file()  # not_in_nav pages are built too
    assert not (site_project.root / "site").exists()
    assert not (site_project.root / engines.ZENSICAL_OVERRIDE).exists()


@pytest.mark.slow  # two site builds with each engine
@pytest.mark.parametrize("engine", engines.ENGINES)
def test_strict_mode_fails_on_a_broken_link(site_project: Settings, engine: str) -> None:
    _needs(engine)
    (site_project.docs_path / "briefings" / "one.md").write_text("# One\n\n[gone](missing.md)\n", encoding="utf-8")
    with pytest.raises(engines.EngineError, match=engine):
        engines.build(site_project, engine=engine, strict=True)
    engines.build(site_project, engine=engine, strict=False)  # the same warning passes without --strict


def test_command_lines() -> None:
    settings = Settings(root=Path("/srv/book"), site_dir="public")
    if engines.available("properdocs"):
        argv = engines.command("properdocs", settings, strict=True)
        assert argv[1:] == ["build", "--clean", "-f", "/srv/book/mkdocs.yml", "-d", "/srv/book/public", "--strict"]
        assert engines.command("properdocs", settings, strict=False)[-1] == "--no-strict"
    with pytest.raises(engines.EngineError, match="unknown engine"):
        engines.command("hugo", settings, strict=False)
    with pytest.raises(engines.EngineError, match="unknown engine"):
        engines.build(settings, engine="hugo")


def test_zensical_site_dir_goes_through_an_inheriting_config(tmp_path: Path) -> None:
    _needs("zensical")
    settings = Settings(root=tmp_path, site_dir="out/site")
    argv = engines.command("zensical", settings, strict=False)
    assert "strict: false" in (tmp_path / engines.ZENSICAL_OVERRIDE).read_text(encoding="utf-8")
    override = tmp_path / engines.ZENSICAL_OVERRIDE
    assert argv[-1] == str(override)
    assert "INHERIT: mkdocs.yml" in override.read_text(encoding="utf-8")
    assert "site_dir: out/site" in override.read_text(encoding="utf-8")
    outside = replace(settings, site_dir="../elsewhere")
    with pytest.raises(engines.EngineError, match="inside the project folder"):
        engines.command("zensical", outside, strict=False)
