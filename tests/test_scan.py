"""generate, extract and check read content/ one way: the same feeds, limits and messages."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from generator import limits
from generator.check import run_check
from generator.cli import cli
from generator.config import load_settings
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
FEED = ROOT / "tests" / "fixtures" / "intake" / "rss2.xml"
ARTICLE = "---\ntitle: Talks {n}\ndate: 2022-01-0{n}\n---\nRussia and Ukraine met for talks number {n} in Geneva.\n"


def project(tmp_path: Path, articles: int = 0, feed: bool = False) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    content = tmp_path / "content"
    content.mkdir()
    for n in range(1, articles + 1):
        (content / f"a{n}.md").write_text(ARTICLE.format(n=n), encoding="utf-8")
    if feed:
        shutil.copy(FEED, content / "wire.xml")
    return tmp_path


def test_check_reads_a_feed_of_several_articles_as_the_build_does(tmp_path: Path) -> None:
    settings = load_settings(project(tmp_path, feed=True))
    built = generate(settings)
    checked = run_check(settings)
    assert built.read >= 2
    assert checked.articles == built.read
    # The entry the build skips is the one check reports, in the same words; no "holds N articles".
    assert checked.errors == built.skipped and all("repeats an earlier entry" in e for e in checked.errors)


def test_the_file_limit_holds_for_generate_extract_and_check(tmp_path: Path) -> None:
    root = project(tmp_path, articles=3)
    settings = load_settings(root)
    with limits.override(max_files=2):
        built = generate(settings)
        checked = run_check(settings)
        extracted = CliRunner().invoke(cli, ["extract", str(root / "content"), "--root", str(root)])
    message = "a3.md and the files after it: over the 2-file limit; split content/ into separate sites"
    assert built.read == 2 and message in built.skipped
    assert checked.articles == 2 and message in checked.errors
    assert extracted.output.count('"source"') == 2 and f"skipped: {message}" in extracted.output
