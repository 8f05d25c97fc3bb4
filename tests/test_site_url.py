"""The site_url the feed's links start with: read as MkDocs reads it, and remembered between builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import outputs
from generator.outputs import site_url_from


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times MkDocs' loader is asked (one item a read)."""
    import mkdocs.utils.yaml as mkyaml

    calls: list[int] = []
    real = mkyaml.yaml_load

    def counting(source: object, loader: object = None) -> object:
        calls.append(1)
        return real(source, loader)  # type: ignore[arg-type]

    monkeypatch.setattr(mkyaml, "yaml_load", counting)
    return calls


def test_site_url_is_remembered_for_the_same_bytes_and_environment(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _reads(monkeypatch)
    yml, memo = tmp_path / "mkdocs.yml", tmp_path / "cache" / "site-url.json"
    yml.write_text('site_name: B\nsite_url: !ENV [BRIEFING_TEST_URL, "https://a.example/"]\n', encoding="utf-8")
    monkeypatch.delenv("BRIEFING_TEST_URL", raising=False)
    assert site_url_from(yml, memo) == "https://a.example/" and len(calls) == 1
    assert site_url_from(yml, memo) == "https://a.example/" and len(calls) == 1  # not read again
    monkeypatch.setenv("BRIEFING_TEST_URL", "https://b.example/")  # the variable it names changed
    assert site_url_from(yml, memo) == "https://b.example/" and len(calls) == 2
    monkeypatch.setenv("UNRELATED_VARIABLE", "x")
    assert site_url_from(yml, memo) == "https://b.example/" and len(calls) == 2
    yml.write_text("site_name: B\nsite_url: https://c.example/\n", encoding="utf-8")  # the file changed
    assert site_url_from(yml, memo) == "https://c.example/" and len(calls) == 3
    memo.write_bytes(b"{not json")  # a damaged memo is read past
    assert site_url_from(yml, memo) == "https://c.example/" and len(calls) == 4
    assert site_url_from(yml) == "https://c.example/" and len(calls) == 5  # no memo: always read


def test_site_url_of_a_file_that_inherits_is_always_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _reads(monkeypatch)
    (tmp_path / "base.yml").write_text("site_url: https://base.example/\n", encoding="utf-8")
    yml, memo = tmp_path / "mkdocs.yml", tmp_path / "site-url.json"
    yml.write_text("INHERIT: base.yml\nsite_name: B\n", encoding="utf-8")
    assert site_url_from(yml, memo) == "https://base.example/"
    first = len(calls)  # MkDocs' loader reads the inherited file with the same function
    (tmp_path / "base.yml").write_text("site_url: https://other.example/\n", encoding="utf-8")
    assert site_url_from(yml, memo) == "https://other.example/" and len(calls) == 2 * first


def test_unreadable_site_url_is_empty_and_not_remembered(tmp_path: Path) -> None:
    yml, memo = tmp_path / "mkdocs.yml", tmp_path / "site-url.json"
    assert site_url_from(yml, memo) == ""
    yml.write_bytes(b"site_url: \xff\xfe\n")
    assert site_url_from(yml, memo) == "" and not memo.exists()
    assert outputs.site_url_from(tmp_path / "missing.yml") == ""
