"""The manual's reference pages are generated from the code, and the committed ones are current.

When this fails after a setting or a command changed, run ``briefing reference`` and commit the two
pages under docs/manual/.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import reference
from generator.cli import cli
from generator.config import Settings

ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT / "docs" / reference.MANUAL_DIR


def test_committed_reference_pages_match_the_code() -> None:
    stale = reference.stale(MANUAL, cli)
    assert not stale, f"out of date: {', '.join(stale)}; run `briefing reference` and commit docs/manual/"


def test_config_reference_lists_every_setting_with_its_doc() -> None:
    page = reference.config_reference()
    for f in fields(Settings):
        if f.name != "root":
            assert f"| `{f.name}` |" in page, f.name
    assert "| `summary_sentences` | `3` | How many sentences the bottom line holds. |" in page


def test_cli_reference_has_the_help_of_every_command() -> None:
    from generator.cli import cli

    page = reference.cli_reference(cli)
    names = sorted(cli.commands)
    assert {"build", "check", "reference"} <= set(names)
    for name in names:
        assert f"\n## briefing {name}\n" in page
        assert f"Usage: briefing {name} [OPTIONS]" in page
    assert "--engine [mkdocs|properdocs|zensical]" in page


def test_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    first = reference.cli_reference(cli)
    monkeypatch.setenv("COLUMNS", "40")
    assert reference.cli_reference(cli) == first


def test_command_writes_then_check_passes_and_catches_an_edit(tmp_path: Path) -> None:
    from generator.cli import cli

    runner = CliRunner()
    assert runner.invoke(cli, ["reference", "--check", "--root", str(tmp_path)]).exit_code != 0
    wrote = runner.invoke(cli, ["reference", "--root", str(tmp_path)])
    assert wrote.exit_code == 0, wrote.output
    folder = tmp_path / "docs" / reference.MANUAL_DIR
    assert sorted(p.name for p in folder.iterdir()) == [reference.CLI_PAGE, reference.CONFIG_PAGE]
    assert runner.invoke(cli, ["reference", "--check", "--root", str(tmp_path)]).exit_code == 0
    page = folder / reference.CONFIG_PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("bottom line", "bottom-line"), encoding="utf-8")
    stale = runner.invoke(cli, ["reference", "--check", "--root", str(tmp_path)])
    assert stale.exit_code != 0
    assert reference.CONFIG_PAGE in stale.output


def test_the_manuals_kb_examples_load_and_work(tmp_path: Path) -> None:
    """The YAML examples in the KB chapter are real: they load, and extraction uses them."""
    import re

    from generator.extract import Extractor
    from generator.kb import BUNDLED, load_kb
    from generator.models import SourceDoc

    text = (MANUAL / "knowledge-base.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n# kb/(\w+\.yaml)\n(.*?)```", text, re.S)
    assert {name for name, _ in blocks} == {"actors.yaml", "weapons.yaml", "concerns.yaml", "locations.yaml",
                                            "outlets.yaml"}
    for name, body in blocks:
        (tmp_path / name).write_text(body, encoding="utf-8")
    kb = load_kb([BUNDLED, tmp_path])
    assert kb.locations["chongjin"].coordinates == (41.8, 129.78)
    assert kb.outlets["vell-wire"].kind == "wire agency"
    doc = SourceDoc(path="x.md", title="x",
                    text="Mr Ellwood said Su 34 jets flew as the navy seized a tanker off Chongjin.")
    briefing = Extractor(kb).extract(doc)
    assert "tobias-ellwood" in {a.id for a in briefing.actors}
    assert "su-34" in {w.id for w in briefing.weapons}
    assert "maritime-incident" in {c.id for c in briefing.concerns}
    assert "Chongjin" in {loc.name for loc in briefing.locations}
