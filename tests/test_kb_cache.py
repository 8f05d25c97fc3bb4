"""The loaded knowledge base kept as JSON in the cache folder: the same KB back, never a stale or bad one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.kb import BUNDLED, KBError, KnowledgeBase, load_kb


def _same(a: KnowledgeBase, b: KnowledgeBase) -> None:
    assert a == b
    # Order matters too: the alias automaton and every "first match" are built in KB order.
    for table in ("actors", "weapons", "concerns", "locations"):
        assert list(getattr(a, table)) == list(getattr(b, table))
    assert (a.version, a.sources) == (b.version, b.sources)


def _entry(cache: Path) -> Path:
    files = list((cache / "kb").glob("*.json"))
    assert len(files) == 1
    return files[0]


@pytest.fixture(scope="module")
def fresh() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the bundled KB's entry, written by a load; tests that damage it take a copy."""
    cache = tmp_path_factory.mktemp("kb-cache")
    load_kb(cache_dir=cache)
    return cache


def test_the_cached_kb_is_the_kb(tmp_path: Path, fresh: KnowledgeBase) -> None:
    first = load_kb(cache_dir=tmp_path)  # written
    _entry(tmp_path)
    second = load_kb(cache_dir=tmp_path)  # read back
    _same(fresh, first)
    _same(fresh, second)


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) // 2],  # truncated
    lambda raw: b"\xff\xfe" + raw,  # not UTF-8
    lambda raw: b"[]",  # another shape
    lambda raw: raw.replace(b'"format":1', b'"format":0'),  # another layout
    lambda raw: raw.replace(b'"afghanistan","Afghanistan","country"', b'"afghanistan",7,"country"'),  # bad type
    lambda raw: raw.replace(b'"Afghanistan","country",', b'"Afghanistan",'),  # a field short
])
def test_a_damaged_cache_entry_falls_back_to_the_yaml_and_is_rewritten(tmp_path: Path, fresh: KnowledgeBase,
                                                                       written: Path, damage: object) -> None:
    shutil.copytree(written, tmp_path, dirs_exist_ok=True)
    path = _entry(tmp_path)
    bad = damage(path.read_bytes())  # type: ignore[operator]
    assert bad != path.read_bytes()
    path.write_bytes(bad)
    _same(fresh, load_kb(cache_dir=tmp_path))
    _same(fresh, load_kb(cache_dir=tmp_path))
    assert json.loads(_entry(tmp_path).read_bytes())["format"] == 1


def _cached_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the bundled KB, loaded once into a cache: (KB folder, cache folder)."""
    kb_dir, cache = tmp_path / "kb-src", tmp_path / "cache"
    shutil.copytree(BUNDLED, kb_dir)
    load_kb([kb_dir], cache_dir=cache)
    return kb_dir, cache


def test_an_entry_under_another_key_is_not_read(tmp_path: Path, fresh: KnowledgeBase) -> None:
    """A KB file edited since: its key changes, so the old entry is neither read nor kept."""
    kb_dir, cache = _cached_copy(tmp_path)
    old = _entry(cache)
    people = kb_dir / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("name: Vladimir Putin", "name: V. Putin", 1),
                      encoding="utf-8")
    edited = load_kb([kb_dir], cache_dir=cache)
    assert edited.actors["vladimir-putin"].name == "V. Putin"
    assert edited.version != fresh.version
    assert not old.exists() and _entry(cache) != old


def test_the_key_inside_must_match_the_file_name(tmp_path: Path, fresh: KnowledgeBase) -> None:
    kb_dir, cache = _cached_copy(tmp_path)
    entry = _entry(cache)
    record = json.loads(entry.read_bytes())
    record["actors"][0][1] = "Somewhere Else"
    record["key"] = "0" * 64  # an entry that claims another key is not trusted
    entry.write_text(json.dumps(record), encoding="utf-8")
    assert load_kb([kb_dir], cache_dir=cache).actors[record["actors"][0][0]].name != "Somewhere Else"


def test_errors_still_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("kind: actors\nentries:\n  - id: Not A Slug\n", encoding="utf-8")
    with pytest.raises(KBError, match=r"bad\.yaml"):
        load_kb([tmp_path], cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("kb/*.json"))


def test_an_unwritable_cache_costs_only_time(tmp_path: Path, fresh: KnowledgeBase) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder would go", encoding="utf-8")
    _same(fresh, load_kb(cache_dir=blocker))


def test_crlf_kb_files_load_as_before(tmp_path: Path) -> None:
    src = (BUNDLED / "concerns.yaml").read_text(encoding="utf-8")
    (tmp_path / "concerns.yaml").write_bytes(src.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "lf").mkdir()
    (tmp_path / "lf" / "concerns.yaml").write_text(src, encoding="utf-8")
    assert load_kb([tmp_path]).concerns == load_kb([tmp_path / "lf"]).concerns
