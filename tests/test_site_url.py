"""The site_url the feed's links start with: read as MkDocs reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.outputs import site_url_from


def test_site_url_follows_the_file_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    yml = tmp_path / "mkdocs.yml"
    yml.write_text('site_name: B\nsite_url: !ENV [BRIEFING_TEST_URL, "https://a.example/"]\n', encoding="utf-8")
    monkeypatch.delenv("BRIEFING_TEST_URL", raising=False)
    assert site_url_from(yml) == "https://a.example/"
    monkeypatch.setenv("BRIEFING_TEST_URL", "https://b.example/")
    assert site_url_from(yml) == "https://b.example/"
    yml.write_text("site_name: B\nsite_url: https://c.example/\n", encoding="utf-8")
    assert site_url_from(yml) == "https://c.example/"


def test_site_url_of_a_file_that_inherits_comes_from_the_file_it_inherits(tmp_path: Path) -> None:
    (tmp_path / "base.yml").write_text("site_url: https://base.example/\n", encoding="utf-8")
    yml = tmp_path / "mkdocs.yml"
    yml.write_text("INHERIT: base.yml\nsite_name: B\n", encoding="utf-8")
    assert site_url_from(yml) == "https://base.example/"
    (tmp_path / "base.yml").write_text("site_url: https://other.example/\n", encoding="utf-8")
    assert site_url_from(yml) == "https://other.example/"


def test_unreadable_site_url_is_empty(tmp_path: Path) -> None:
    yml = tmp_path / "mkdocs.yml"
    assert site_url_from(yml) == ""
    yml.write_bytes(b"site_url: \xff\xfe\n")
    assert site_url_from(yml) == ""
