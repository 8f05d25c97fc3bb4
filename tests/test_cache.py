from __future__ import annotations

import hashlib
import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from generator.cache import (
    BuildState,
    Entry,
    ExtractionCache,
    briefing_from_json,
    briefing_to_json,
    key_of,
    tree_hash,
)
from generator.models import Actor, Briefing, Concern, Location, Mention, Overrides, SourceDoc, Span, Weapon
from generator.notes import FIELD, Note, skipped, warning


def entry_key(data: bytes, rel: str, settings_key: str, kb_version: str) -> str:
    """The cache key of an article of these bytes, as the scan makes it."""
    return key_of(hashlib.sha256(data).hexdigest(), rel, settings_key, kb_version)


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


def _put(cache: ExtractionCache, key: str, entry: Entry, cards: bytes = b"cards") -> None:
    cache.put_many([(key, entry)])
    cache.put_cards([(key, cards)])


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
        _put(cache, key, Entry((b,), said))
        assert cache.get(key) == Entry((b,), said)
        cache.close()


def test_cache_entry_with_a_lone_surrogate_round_trips(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    doc = SourceDoc(path="a.md", text="Kim \udc80 spoke.", title="A \ud800 title")
    entry = Entry((Briefing(doc, (Span(0, 16, doc.text),), (), (), (), (), ()),))
    key = entry_key(b"y", "a.md", "s", "kb1")
    _put(cache, key, entry)
    assert cache.get(key) == entry


def _sample() -> Briefing:
    doc = SourceDoc(path="a.md", text="Putin met Kim. Missiles flew.", title="A")
    m = Mention(Span(0, 5, "Putin"), 0)
    return Briefing(doc, (Span(0, 14, "Putin met Kim."), Span(15, 29, "Missiles flew.")),
                    (Span(0, 14, "Putin met Kim."),),
                    (Actor("vladimir-putin", "Vladimir Putin", "person", (m,), salience=0.7),), (), (), ())


def _damage(cache: ExtractionCache, key: str, data: bytes) -> None:
    """Put ``data`` where the entry's bytes are, its cards and the other rows kept."""
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE article SET entry = ? WHERE key = ?", (data, key))


def test_put_get_and_corrupt_entries_are_misses(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    b = _sample()
    key = entry_key(b"bytes", "a.md", "s", "kb1")
    entry = Entry((b, b), (skipped("feed.xml#3: no text"),))
    assert cache.get(key) is None
    _put(cache, key, entry)
    assert cache.get(key) == entry
    for damage in (b"", b"{not json", b'{"key": "other", "briefings": []}', b'{"key": "%s"}' % key.encode(),
                   b"[1, 2]", json.dumps({"key": key, "briefings": [{"doc": {}}], "skipped": []}).encode()):
        _damage(cache, key, damage)
        assert ExtractionCache(tmp_path).get(key) is None, damage
        assert ExtractionCache(tmp_path).cards([key]) == {key: b"cards"}  # the row's cards are still there
    _put(cache, key, entry)  # a miss is extracted and stored again, in place of the damaged row
    assert cache.get(key) == entry and ExtractionCache(tmp_path).get(key) == entry
    assert cache.prune({key}) == 0 and ExtractionCache(tmp_path).get(key) == entry


def test_a_chunk_is_one_write_and_reads_back_and_its_cards_are_added(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(5)]
    cache.put_many([(k, Entry((_sample(),), (skipped(f"skipped {i}"),))) for i, k in enumerate(keys)])
    assert cache.cards(keys) == {}  # cards are added by the build process, once it made them
    cache.put_cards((k, f"cards {i}".encode()) for i, k in enumerate(keys) if i % 2)
    fresh = ExtractionCache(tmp_path)
    for i, k in enumerate(keys):
        assert fresh.get(k) == Entry((_sample(),), (skipped(f"skipped {i}"),))
    other = entry_key(b"other", "a.md", "s", "kb")
    assert fresh.cards([keys[1], keys[3], other]) == {keys[1]: b"cards 1", keys[3]: b"cards 3"}


def test_prune_keeps_only_current_keys(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(3)]
    cache.put_many([(k, Entry((_sample(),))) for k in keys])
    assert cache.prune({keys[0]}) == 2
    assert cache.get(keys[0]) is not None and cache.get(keys[1]) is None and cache.get(keys[2]) is None
    assert cache.prune(set()) == 1 and ExtractionCache(tmp_path).cards(keys) == {}


def test_a_damaged_database_is_started_again(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path)
    cache.path.write_bytes(b"not a database, " * 512)
    key = entry_key(b"z", "a.md", "s", "kb")
    assert cache.get(key) is None and cache.cards([key]) == {}
    _put(cache, key, Entry((_sample(),)))
    assert ExtractionCache(tmp_path).get(key) == Entry((_sample(),))


def _put_range(root: Path, first: int) -> None:
    cache = ExtractionCache(root)
    for i in range(first, first + 20):
        _put(cache, entry_key(bytes([i]), "a.md", "s", "kb"), Entry((_sample(),)))


def test_worker_processes_write_at_once(tmp_path: Path) -> None:
    # Extraction workers each write their chunks' rows: none may be lost or fail for a lock.
    ExtractionCache(tmp_path).prune(set())  # the database made first, as the build process does
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_put_range, args=(tmp_path, first)) for first in (0, 20, 40)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    keys = [entry_key(bytes([i]), "a.md", "s", "kb") for i in range(60)]
    assert len(ExtractionCache(tmp_path).cards(keys)) == 60


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
