"""Articles that came in through ``briefing add`` (or as saved pages and feeds) credit their source on the site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.config import load_settings
from generator.pipeline import generate

FIX = Path(__file__).parent / "fixtures" / "intake"


def test_cli_add_then_generate_credits_source_author_date_and_url(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["add", "--root", str(project), str(FIX / "news-page.html"),
                                 str(FIX / "german-page.html"), str(FIX / "rss2.xml")])
    assert result.exit_code == 0, result.output
    assert "added " in result.output and "5 article(s) added" in result.output

    again = runner.invoke(cli, ["add", "--root", str(project), str(FIX / "rss2.xml")])
    assert again.exit_code == 1  # nothing new: the policy is non-zero only when nothing was added
    assert "already in content as border-guards-report-surge-in-drone-incursions.md" in again.output
    assert "nothing was added" in again.output

    report = generate(load_settings(project))
    assert report.skipped == [] and report.read == 5
    page = (project / "docs" / "briefings" / "drone-strikes-hit-fuel-depot-near-sevastopol.md").read_text("utf-8")
    assert "2024-03-14" in page and "Harbour Watch" in page and "by Maria Lindqvist" in page
    assert "[original article](https://harbourwatch.example/news/2024/03/drone-strikes-fuel-depot)" in page
    assert "We use cookies" not in page and "seagull77" not in page

    german = (project / "docs" / "briefings" / "bundeswehr-erhalt-weitere-flugabwehrsysteme.md").read_text("utf-8")
    assert '!!! warning "Not in English"' in german and "detected as de" in german

    summary = (project / "docs" / "briefings" / "parliament-approves-defence-budget-increase.md").read_text("utf-8")
    assert '!!! info "Summary only"' in summary
    assert '!!! warning "Not in English"' not in summary


def test_saved_pages_and_feeds_in_content_build_with_stable_pages(project: Path) -> None:
    for name in ("news-page.html", "atom.xml", "jsonfeed.json"):
        shutil.copy(FIX / name, project / "content" / name)
    report = generate(load_settings(project))
    assert report.read == 1 + 2 + 3
    assert len(report.skipped) == 1 and "item 4 has no \"id\"" in report.skipped[0]
    pages = sorted(p.name for p in (project / "docs" / "briefings").iterdir())
    assert "news-page.md" in pages
    assert sum(p.startswith("atom-") for p in pages) == 2 and sum(p.startswith("jsonfeed-") for p in pages) == 3
    atom = next(p for p in pages if p.startswith("atom-") and "Shelling" in
                (project / "docs" / "briefings" / p).read_text("utf-8"))
    text = (project / "docs" / "briefings" / atom).read_text("utf-8")
    assert "Ceasefire Monitor" in text and "by Jonas Berg" in text
    assert "(https://ceasefire-monitor.example/reports/2024-06-02-shelling)" in text
    before = {p: (project / "docs" / "briefings" / p).read_bytes() for p in pages}
    generate(load_settings(project))
    assert before == {p: (project / "docs" / "briefings" / p).read_bytes() for p in pages}


@pytest.mark.slow
def test_everything_intake_reads_builds_a_strict_site(project: Path) -> None:
    sources = sorted(p for p in FIX.iterdir() if p.is_file()) + sorted((FIX / "text").iterdir())
    runner = CliRunner()
    result = runner.invoke(cli, ["add", "--root", str(project), *map(str, sources)])
    assert result.exit_code == 0, result.output
    build = runner.invoke(cli, ["build", "--strict", "--root", str(project)])
    assert build.exit_code == 0, build.output
    page = project / "site" / "briefings" / "talks-resume-in-zurich" / "index.html"
    html = page.read_text("utf-8")
    assert "Zürich" in html and "Ã" not in html


def test_extract_records_carry_language_and_one_record_per_feed_entry(project: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", "--root", str(project), str(FIX / "german-page.html"),
                                      str(FIX / "rss2.xml")])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(r["source"].split("#")[0], r["language"]) for r in records] == [
        ("german-page.html", "de"), ("rss2.xml", "en"), ("rss2.xml", "en"), ("rss2.xml", "en")]
    assert records[0]["url"] == "https://nordkurier.example/politik/flugabwehr"
