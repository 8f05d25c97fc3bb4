"""``briefing check``: errors for what cannot load, and the names the knowledge base does not know."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.check import format_report, norm, run_check, sentences
from generator.config import load_settings

GOOD = """\
---
title: Zorblatt Vexmoor inspects the Zorkon-77B
date: 2024-03-01
---
Zorblatt Vexmoor visited North Korea on Monday. Lt. Gen. Harrow Quint said the Zorkon-77B was ready.
Officials in Pyongyang said Zorblatt Vexmoor would return. The Zorkon-77B flew twice.
Vladimir Putin was not there. Forces moved; forces waited.
"""
BAD_FRONT = "---\ntitle: [unclosed\n---\nText of the article.\n"


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


def test_sentences_do_not_end_at_titles_and_abbreviated_months() -> None:
    text = "Lt. Gen. Townsend spoke on Dec. 1 in the U.S. capital. Then he left."
    assert sentences(text) == ["Lt. Gen. Townsend spoke on Dec. 1 in the U.S. capital.", "Then he left."]


@pytest.mark.parametrize(("a", "b"), [("Su-34", "SU 34"), ("Su-34", "su34"), ("T-72B3", "T 72B3"),
                                      ("al-Qaida", "Al Qaida")])
def test_norm_ignores_case_dashes_and_spaces(a: str, b: str) -> None:
    assert norm(a) == norm(b)


def test_lists_unknown_names_and_designators_with_counts_and_examples(proj: Path) -> None:
    report = run_check(load_settings(proj))
    assert report.ok, report.errors
    assert report.articles == 1
    # Extraction finds the person and the system by their form; the scan does not list them again.
    names = {u.text: u for u in report.discovered_actors}
    assert "Zorblatt Vexmoor" in names
    assert "Zorblatt Vexmoor" not in {u.text for u in report.names}
    zv = names["Zorblatt Vexmoor"]
    assert zv.count == 2  # the front-matter title is not article text
    assert zv.articles == 1 and zv.source == "good.md"
    assert zv.example.startswith("Zorblatt Vexmoor visited North Korea")
    designators = {u.text: u for u in report.discovered_weapons}
    assert designators["Zorkon-77B"].count == 2
    # Known to the bundled KB (name, capital, person) or common words: never listed.
    listed = {norm(u.text) for u in [*report.discovered_actors, *report.discovered_weapons, *report.names,
                                     *report.designators]}
    for known in ("North Korea", "Pyongyang", "Vladimir Putin", "Putin", "Forces", "Officials", "Monday"):
        assert norm(known) not in listed, known
    # A name seen once is below the default threshold; --min-count 1 shows it.
    assert "Harrow Quint" not in names
    assert "Harrow Quint" in {u.text for u in run_check(load_settings(proj), min_count=1).discovered_actors}


def test_the_scan_lists_designators_extraction_does_not_report() -> None:
    from generator.check import unknown_terms
    from generator.kb import load_kb
    from generator.models import SourceDoc

    doc = SourceDoc(path="a.md", title="t", text="The Zorkon-77B flew. A Zorkon-77B fell. Su-34 jets flew.")
    _, designators = unknown_terms([doc], load_kb())
    assert [(u.text, u.count, u.example) for u in designators] == [("Zorkon-77B", 2, "The Zorkon-77B flew.")]


def test_every_unreadable_article_is_an_error_with_file_and_line(proj: Path) -> None:
    (proj / "content" / "bad.md").write_text(BAD_FRONT, encoding="utf-8")
    (proj / "content" / "empty.txt").write_text("  \n", encoding="utf-8")
    report = run_check(load_settings(proj))
    assert not report.ok
    assert report.articles == 1
    assert any(e.startswith(str(proj / "content" / "bad.md") + ":") and "YAML" in e for e in report.errors)
    assert any("empty.txt" in e and "empty" in e for e in report.errors)
    text = format_report(report)
    assert "errors:" in text and "bad.md" in text


def test_kb_errors_name_file_entry_and_field(proj: Path) -> None:
    kb = proj / "kb"
    kb.mkdir()
    (kb / "weapons.yaml").write_text(
        "kind: weapons\nsource: test\nlicence: CC0\nentries:\n"
        "  - id: zorkon-77b\n    name: Zorkon-77B\n    category: missile\n    class: laser-sword\n",
        encoding="utf-8")
    (proj / "briefing.yml").write_text("kb_dirs: [kb, missing-kb]\n", encoding="utf-8")
    report = run_check(load_settings(proj))
    assert not report.ok
    assert any("missing-kb" in e and "does not exist" in e for e in report.errors)
    assert any("weapons.yaml" in e and "zorkon-77b" in e and "'class'" in e for e in report.errors)


def test_a_kb_entry_removes_the_name_from_the_list(proj: Path) -> None:
    kb = proj / "kb"
    kb.mkdir()
    (kb / "mine.yaml").write_text(
        "kind: weapons\nsource: test\nlicence: CC0\nentries:\n"
        "  - id: zorkon-77b\n    name: Zorkon-77B\n    category: missile\n    class: missile\n",
        encoding="utf-8")
    (proj / "briefing.yml").write_text("kb_dirs: [kb]\n", encoding="utf-8")
    report = run_check(load_settings(proj))
    assert report.ok, report.errors
    assert "Zorkon-77B" not in {u.text for u in [*report.designators, *report.discovered_weapons]}


def test_cli_exit_status(proj: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import cli

    ok = CliRunner().invoke(cli, ["check", "--root", str(proj)])
    assert ok.exit_code == 0, ok.output
    assert "Zorblatt Vexmoor" in ok.output and "Zorkon-77B" in ok.output
    (proj / "content" / "bad.md").write_text(BAD_FRONT, encoding="utf-8")
    bad = CliRunner().invoke(cli, ["check", "--root", str(proj)])
    assert bad.exit_code != 0
    assert "bad.md:" in bad.output and "not valid YAML" in bad.output


PAGES = """\
---
title: Harbour talks
date: 2024-03-02
---
Defence Minister Oskar Lindqvaal met the Harbour Defence Council on Monday. Brenna Tollock waved.
The Zorkon-77B flew past the pier.
"""


def test_lists_found_entities_that_get_a_page_with_their_evidence(proj: Path) -> None:
    (proj / "content" / "pages.md").write_text(PAGES, encoding="utf-8")
    report = run_check(load_settings(proj))
    pages = {p.name: p for p in report.pages}
    assert "title 'Defence Minister'" in pages["Oskar Lindqvaal"].evidence
    assert pages["Harbour Defence Council"].type == "organization"
    assert pages["Zorkon-77B"].kind == "weapon" and pages["Zorkon-77B"].briefings == 2
    # Named once with nothing but its capitals to go on: no page until it recurs.
    assert "Brenna Tollock" not in pages
    text = format_report(report)
    assert "found entities that get a site-wide page" in text and "Oskar Lindqvaal" in text


def test_a_weak_entity_gets_a_page_once_it_recurs(proj: Path) -> None:
    for i in (1, 2):
        (proj / "content" / f"p{i}.md").write_text(
            f"---\ntitle: Pier {i}\ndate: 2024-03-0{i}\n---\nBrenna Tollock waved from pier {i}.\n", encoding="utf-8")
    assert "Brenna Tollock" in {p.name for p in run_check(load_settings(proj)).pages}
    (proj / "briefing.yml").write_text("entity_page_min_briefings: 3\n", encoding="utf-8")
    assert "Brenna Tollock" not in {p.name for p in run_check(load_settings(proj)).pages}
