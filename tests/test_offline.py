"""The offline copy's link rewriting, and that an edited asset reaches docs/ on the next build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cache
from generator.offline import file_url, link_index_files


@pytest.mark.parametrize(("href", "expected"), [
    ("briefings/x/", "briefings/x/index.html"),
    ("../../weapons/iskander/#appears-with", "../../weapons/iskander/index.html#appears-with"),
    ("../actors/?h=x#russia", "../actors/index.html?h=x#russia"),
    (".", "./index.html"),
    ("..", "../index.html"),
    ("", "index.html"),
    ("#section", "#section"),
    ("../feed.xml", "../feed.xml"),
    ("../assets/briefing/css/briefing.css", "../assets/briefing/css/briefing.css"),
    ("https://example.org/a/", "https://example.org/a/"),
    ("/absolute/", "/absolute/"),
    ("mailto:a@example.org", "mailto:a@example.org"),
])
def test_file_url_names_the_index_of_a_folder_only(href: str, expected: str) -> None:
    assert file_url(href) == expected


def test_links_change_only_where_the_site_has_that_index(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="../">home</a> <a href="../missing/">gone</a>'
                                               ' <a href="https://example.org/x/">out</a>', encoding="utf-8")
    (tmp_path / "index.html").write_text('<a href="a/#top">a</a>', encoding="utf-8")
    assert link_index_files(tmp_path) == 2
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == '<a href="a/index.html#top">a</a>'
    assert (tmp_path / "a" / "index.html").read_text(encoding="utf-8") == (
        '<a href="../index.html">home</a> <a href="../missing/">gone</a> <a href="https://example.org/x/">out</a>')


def test_an_edited_asset_changes_the_code_version(tmp_path: Path) -> None:
    # docs/ gets the assets only when the code version changes: a script edit alone must change it.
    package = tmp_path / "generator"
    shutil.copytree(Path(cache.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = cache.tree_hash(package)
    assert before == cache.code_version()
    script = package / "assets" / "js" / "file-notice.js"
    script.write_text(script.read_text(encoding="utf-8") + "\n// edited\n", encoding="utf-8")
    assert cache.tree_hash(package) != before
