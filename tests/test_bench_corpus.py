"""The benchmark corpus: events told by several outlets, some wire copies, the same files every run."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from bench.corpus import EVENT_DAYS, EVENT_SIZES, event_of, outlets, write_corpus
from generator.dedupe import drop_duplicates, syndicated, text_key
from generator.kb import load_kb
from generator.outlets import agency_of, outlet_of
from generator.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
N = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("bench") / "content", N, [ROOT / "content"])


def _front(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


def test_the_same_article_whatever_the_corpus_size(corpus: list[Path], tmp_path: Path) -> None:
    again = write_corpus(tmp_path / "later", 5, [ROOT / "content"], start=N - 5)
    for path in again:
        assert path.read_bytes() == corpus[N - 5 + again.index(path)].read_bytes()


def test_events_are_told_by_several_outlets_within_days(corpus: list[Path]) -> None:
    events: dict[int, list[Path]] = defaultdict(list)
    for i, path in enumerate(corpus):
        events[event_of(i)[0]].append(path)
    complete = [e for e, paths in events.items() if len(paths) == event_of(corpus.index(paths[0]))[2]]
    assert len(complete) >= N // max(EVENT_SIZES)
    known = {o.name: o for o in outlets()}
    kb = load_kb()
    for e in complete:
        fronts = [_front(p)[0] for p in events[e]]
        assert min(EVENT_SIZES) <= len(fronts) <= max(EVENT_SIZES)
        assert len({f["source"] for f in fronts}) == len(fronts), "each report is another outlet's"
        for f in fronts:
            assert f["source"] in known and f["url"].startswith(f"https://{known[f['source']].domain}/")
            got = outlet_of(kb, f["source"], f["url"])
            assert got is not None and got.name == f["source"]
        days = [dt.date.fromisoformat(str(f["date"])) for f in fronts]
        assert max(days) - min(days) < dt.timedelta(days=EVENT_DAYS)


def test_some_reports_are_wire_copies_kept_by_the_build(corpus: list[Path]) -> None:
    docs = [read_file(p, p.name) for p in corpus]
    kept, dropped = drop_duplicates(docs)
    assert dropped == [] and len(kept) == N
    copies = syndicated((d.path, text_key(d.text[d.body_start:])) for d in kept)
    assert len(copies) >= N // 20
    kb = load_kb()
    for copy, original in copies.items():
        assert event_of(int(copy[1:6]))[0] == event_of(int(original[1:6]))[0]
        (copy_front, body), original_front = _front(corpus[int(copy[1:6])]), _front(corpus[int(original[1:6])])[0]
        assert copy_front["source"] != original_front["source"]
        # The copy keeps the agency's credit: the one source it counts as.
        agency = agency_of(kb, body)
        assert agency is not None and agency.name == original_front["source"]


def test_articles_keep_the_size_of_the_earlier_corpus(corpus: list[Path]) -> None:
    words = [len(_front(p)[1].split()) for p in corpus]
    assert 450 <= sum(words) / len(words) <= 560
