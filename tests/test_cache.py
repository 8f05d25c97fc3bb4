from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from generator.cache import (
    PACK_MAGIC,
    PACK_SMALL_MAX,
    BuildState,
    Entry,
    ExtractionCache,
    _pack_rows,
    briefing_from_json,
    briefing_to_json,
    entry_from_bytes,
    entry_key,
    pack_bytes,
    tree_hash,
)
from generator.models import Actor, Briefing, Concern, Location, Mention, Overrides, SourceDoc, Span, Weapon
from generator.notes import FIELD, Note, skipped, warning

text = st.text(max_size=40)
spans = st.builds(Span, st.integers(0, 10_000), st.integers(0, 10_000), text)
mentions = st.tuples(*[st.builds(Mention, spans, st.integers(0, 50))] * 2)
floats = st.floats(allow_nan=False, allow_infinity=False)
opt = st.none() | text
names = st.lists(text, max_size=3).map(tuple)

docs = st.builds(
    SourceDoc, path=text, text=text, title=text, body_start=st.integers(0, 100),
    headings=st.lists(spans, max_size=2).map(tuple), date=opt, source=opt, url=opt, author=opt, licence=opt,
    tags=names, language=text, summary_only=st.booleans(),
    overrides=st.builds(Overrides, add_actors=names, suppress_weapons=names, summary=names), date_added=opt)
briefings = st.builds(
    Briefing, doc=docs, sentences=st.lists(spans, max_size=3).map(tuple),
    summary=st.lists(spans, max_size=2).map(tuple),
    actors=st.lists(st.builds(Actor, id=text, name=text, type=text, mentions=mentions, aliases=names, role=text,
                              salience=floats, discovered=st.booleans(), affiliation=opt), max_size=2).map(tuple),
    weapons=st.lists(st.builds(Weapon, id=text, name=text, category=text, mentions=mentions, aliases=names,
                               operator=opt, generic=st.booleans(), salience=floats, discovered=st.booleans()),
                     max_size=2).map(tuple),
    locations=st.lists(st.builds(Location, name=text, mentions=mentions, id=text), max_size=2).map(tuple),
    concerns=st.lists(st.builds(Concern, id=text, label=text, evidence=st.lists(spans, max_size=2).map(tuple),
                                score=floats), max_size=2).map(tuple),
)


@settings(max_examples=examples(60), deadline=None)
@given(briefings)
def test_json_round_trip_is_lossless(b: Briefing) -> None:
    # through real JSON text, as the cache stores it
    assert briefing_from_json(json.loads(json.dumps(briefing_to_json(b), ensure_ascii=False))) == b


@settings(max_examples=examples(60), deadline=None)
@given(briefings)
def test_cache_entry_round_trip_is_lossless(b: Briefing) -> None:
    # through put and get: the bytes orjson writes (or json, for what orjson refuses) read back the same
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        cache = ExtractionCache(Path(d))
        key = entry_key(b"x", "a.md", "s", "kb1")
        said = (skipped("feed.xml#1: no text", "feed.xml#1"), warning("x.md: a warning", "x.md"),
                Note(FIELD, "layout", "x.md", "layout"))
        cache.put(key, Entry((b,), said))
        assert cache.get(key) == Entry((b,), said)


def test_cache_entry_with_a_lone_surrogate_round_trips(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    doc = SourceDoc(path="a.md", text="Kim \udc80 spoke.", title="A \ud800 title")
    entry = Entry((Briefing(doc, (Span(0, 16, doc.text),), (), (), (), (), ()),))
    key = entry_key(b"y", "a.md", "s", "kb1")
    cache.put(key, entry)
    assert cache.get(key) == entry


def _sample() -> Briefing:
    doc = SourceDoc(path="a.md", text="Putin met Kim. Missiles flew.", title="A")
    m = Mention(Span(0, 5, "Putin"), 0)
    return Briefing(doc, (Span(0, 14, "Putin met Kim."), Span(15, 29, "Missiles flew.")),
                    (Span(0, 14, "Putin met Kim."),),
                    (Actor("vladimir-putin", "Vladimir Putin", "person", (m,), salience=0.7),), (), (), ())


def _damage(cache: ExtractionCache, key: str, data: bytes) -> None:
    """Put ``data`` where the entry's bytes are, in the pack that holds it (the rest of the pack kept)."""
    path = cache.folder / cache.index()[key][0]
    blob = path.read_bytes()
    rows = [(k, blob[a:a + m]) for k, a, m in _pack_rows(path) or []]
    path.write_bytes(pack_bytes([(k, data if k == key else raw) for k, raw in rows]))


def test_put_get_and_corrupt_entries_are_misses(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    b = _sample()
    key = entry_key(b"bytes", "a.md", "s", "kb1")
    entry = Entry((b, b), (skipped("feed.xml#3: no text"),))
    assert cache.get(key) is None
    cache.put(key, entry)
    assert cache.get(key) == entry
    for damage in (b"", b"{not json", b'{"key": "other", "briefings": []}', b'{"key": "%s"}' % key.encode(),
                   b"[1, 2]", json.dumps({"key": key, "briefings": [{"doc": {}}], "skipped": []}).encode()):
        _damage(cache, key, damage)
        assert ExtractionCache(tmp_path).get(key) is None, damage
    time.sleep(0.01)  # a later pack than the damaged one, even on a coarse clock
    cache.put(key, entry)  # a miss is recomputed and stored again: the newer copy is read
    assert cache.get(key) == entry and ExtractionCache(tmp_path).get(key) == entry
    assert cache.prune({key}) == 0
    assert len(list(cache.folder.iterdir())) == 1 and ExtractionCache(tmp_path).get(key) == entry
    assert not [p for p in tmp_path.rglob(".tmp-*")], "no temporary files left behind"


def test_entries_of_one_chunk_share_a_pack_and_read_back(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(5)]
    datas = cache.put_many([(k, Entry((_sample(),), (skipped(f"skipped {i}"),))) for i, k in enumerate(keys)])
    assert len(list(cache.folder.iterdir())) == 1
    fresh = ExtractionCache(tmp_path)
    for i, (k, data) in enumerate(zip(keys, datas, strict=True)):
        assert fresh.get(k) == Entry((_sample(),), (skipped(f"skipped {i}"),)) == entry_from_bytes(data, k)
    assert entry_key(b"other", "a.md", "s", "kb") not in fresh


def test_prune_keeps_only_current_keys(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(3)]
    cache.put_many([(k, Entry((_sample(),))) for k in keys])
    assert cache.prune({keys[0]}) == 2
    assert cache.get(keys[0]) is not None and cache.get(keys[1]) is None and cache.get(keys[2]) is None
    assert len(list(cache.folder.iterdir())) == 1
    assert cache.prune(set()) == 1 and not list(cache.folder.iterdir())


def test_prune_merges_small_packs_and_removes_what_is_not_a_pack(tmp_path: Path) -> None:
    # one pack per build that added an article: merged once there are many, nothing lost
    cache = ExtractionCache(tmp_path)
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(PACK_SMALL_MAX + 1)]
    for k in keys:
        cache.put(k, Entry((_sample(),)))
    old = cache.folder / "ab" / ("ab" * 32 + ".json")  # the layout of a file per entry
    old.parent.mkdir()
    old.write_bytes(b"{}")
    (cache.folder / "broken.pack").write_bytes(PACK_MAGIC + b"\x05")
    (cache.folder / ".tmp-1-2").write_bytes(b"left by a killed process")
    assert len(list(cache.folder.iterdir())) == len(keys) + 3
    assert cache.prune(set(keys)) == 0
    merged, = cache.folder.iterdir()
    assert sorted(k for k, _, _ in _pack_rows(merged) or []) == sorted(keys)
    fresh = ExtractionCache(tmp_path)
    assert all(fresh.get(k) == Entry((_sample(),)) for k in keys)
    cache.prune(set(keys))  # nothing to do the second time: the merged pack stays as it is
    assert list(cache.folder.iterdir()) == [merged]


def test_prune_moves_entries_of_the_layout_before_packs_into_packs(tmp_path: Path) -> None:
    # a site built before packs keeps its cache: the entries still wanted are moved, the rest dropped
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(3)]
    datas = ExtractionCache(tmp_path / "scratch").put_many([(k, Entry((_sample(),), (skipped(k),))) for k in keys])
    folder = tmp_path / "extract"
    for k, data in zip(keys, datas, strict=True):
        (folder / k[:2]).mkdir(parents=True, exist_ok=True)
        (folder / k[:2] / f"{k}.json").write_bytes(data)
    cache = ExtractionCache(tmp_path)
    assert cache.get(keys[2]) == Entry((_sample(),), (skipped(keys[2]),))  # read where it lies until then
    damaged = folder / keys[2][:2] / f"{keys[2]}.json"
    damaged.write_bytes(b"{")
    assert cache.get(keys[2]) is None  # and a damaged one is a miss there too
    damaged.write_bytes(datas[2])
    cache.prune(set(keys[:2]))
    assert [p.suffix for p in folder.iterdir()] == [".pack"]
    fresh = ExtractionCache(tmp_path)
    assert [fresh.get(k) for k in keys] == [Entry((_sample(),), (skipped(keys[0]),)),
                                            Entry((_sample(),), (skipped(keys[1]),)), None]


def test_prune_keeps_a_few_small_packs_as_they_are(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(PACK_SMALL_MAX)]
    for k in keys:
        cache.put(k, Entry((_sample(),)))
    before = sorted(p.name for p in cache.folder.iterdir())
    assert cache.prune(set(keys)) == 0 and sorted(p.name for p in cache.folder.iterdir()) == before


@pytest.mark.parametrize("change", ["data", "rel", "settings", "kb"])
def test_key_changes_with_every_input(change: str) -> None:
    base = {"data": b"text", "rel": "a.md", "settings_key": "summary_sentences=3", "kb_version": "k1"}
    other = dict(base)
    other[{"data": "data", "rel": "rel", "settings": "settings_key", "kb": "kb_version"}[change]] = (
        b"text!" if change == "data" else "x")
    assert entry_key(**base) != entry_key(**other)  # type: ignore[arg-type]
    assert entry_key(**base) == entry_key(**dict(base))  # type: ignore[arg-type]


def test_tree_hash_follows_file_edits(tmp_path: Path) -> None:
    pkg = tmp_path / "extract"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    h1 = tree_hash(pkg)
    (pkg / "a.py").write_text("x = 2\n")
    h2 = tree_hash(pkg)
    (pkg / "data.yaml").write_text("")
    h3 = tree_hash(pkg)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.pyc").write_bytes(b"\0")
    assert len({h1, h2, h3}) == 3 and tree_hash(pkg) == h3


def test_build_state_round_trip_and_damage(tmp_path: Path) -> None:
    said = [skipped("bad.md: is empty", "bad.md"), warning("a.md: no date", "a.md")]
    state = BuildState("g", {"a.md": "k"}, 1, said, {"briefings/a.md": ("pk", "h")})
    state.save(tmp_path)
    assert BuildState.load(tmp_path) == state
    BuildState.path_in(tmp_path).write_text('{"format": 3, "global": "g"}')
    assert BuildState.load(tmp_path) == BuildState()


def test_build_state_with_a_lone_surrogate_round_trips(tmp_path: Path) -> None:
    state = BuildState("g", {"a.md": "k"}, 1, [skipped("bad \ud800.md: is empty")], {"briefings/a.md": ("pk", "h")},
                       {"briefings/a.md": (1, 2, 3, 4)}, {"a.md": ((5, 6, 7, 8), "s")}, {"actor:x": "X \udfff"})
    state.save(tmp_path)
    assert BuildState.load(tmp_path) == state


def test_a_build_state_of_an_older_format_is_not_read(tmp_path: Path) -> None:
    # Format 3 kept sha256 page hashes: compared with xxh3 ones, every page would look edited by hand;
    # format 4 kept notes as marked strings.
    import json

    BuildState("g", {"a.md": "k"}, 1, [], {"briefings/a.md": ("pk", "h")}).save(tmp_path)
    raw = json.loads(BuildState.path_in(tmp_path).read_text())
    assert raw["format"] == 5
    BuildState.path_in(tmp_path).write_text(json.dumps({**raw, "format": 3}))
    assert BuildState.load(tmp_path) == BuildState()
