"""Related briefings and the network graph of the corpus index."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from corpus_reference import cooccur_reference, cosines_reference, rank_related_reference
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples
from sitefixture import fixture_corpus

from generator import kinds
from generator.corpus import MIN_RELATED, cooccurrence, cosines, network, rank_related
from generator.kb import KnowledgeBase
from generator.models import Actor, Briefing, Mention, SourceDoc, Span
from generator.pipeline import build_corpus

KB = KnowledgeBase({}, {}, {}, {}, "test")


def brief(path: str, date: str, *actors: tuple[str, float]) -> Briefing:
    doc = SourceDoc(path=path, text="x", title=path, date=date)
    m = (Mention(Span(0, 1, "x"), 0),)
    return Briefing(doc, (Span(0, 1, "x"),), (), tuple(Actor(a, a, "person", m, salience=s) for a, s in actors),
                    (), (), ())


def test_a_shared_rare_entity_outranks_a_shared_common_one() -> None:
    bs = {
        "a": brief("a", "2023-01-01", ("common", 0.5), ("rare", 0.5)),
        "b": brief("b", "2023-01-02", ("common", 0.5)),
        "c": brief("c", "2023-01-03", ("rare", 0.5)),
        "d": brief("d", "2023-01-04", ("common", 0.5)),
        "e": brief("e", "2023-01-05", ("common", 0.5)),
    }
    related = build_corpus(bs, KB).related
    assert related["a"][0][0] == "c"


def test_a_shared_main_actor_outranks_a_passing_mention() -> None:
    bs = {
        "a": brief("a", "2023-01-01", ("x", 0.9), ("y", 0.1)),
        "b": brief("b", "2023-01-02", ("x", 0.9), ("z", 0.5)),
        "c": brief("c", "2023-01-03", ("y", 0.9), ("z", 0.5)),
    }
    ranked = build_corpus(bs, KB).related["a"]
    assert ranked[0][0] == "b"
    # "c" shares only the passing mention: too weak a lead to list at all.
    assert "c" not in [s for s, _ in ranked]


def test_long_articles_do_not_crowd_out_close_matches() -> None:
    # "big" names everything; "twin" names exactly what "a" names. Cosine prefers the twin.
    per = {
        "a": {("actor", "p"): 0.5, ("actor", "q"): 0.5},
        "twin": {("actor", "p"): 0.5, ("actor", "q"): 0.5},
        "big": {("actor", k): 0.5 for k in "pqrstuvwxyz"},
    }
    ranked = rank_related(per, {"a": 0, "twin": 2, "big": 1}, 5)
    assert [s for s, _ in ranked["a"]] == ["twin", "big"]
    assert ranked["a"][0][1] > ranked["a"][1][1]


def test_ties_go_to_the_newer_briefing_and_nothing_relates_to_itself() -> None:
    bs = {
        "old": brief("old", "2020-01-01", ("x", 0.5)),
        "new": brief("new", "2024-01-01", ("x", 0.5)),
        "me": brief("me", "2022-01-01", ("x", 0.5)),
    }
    related = build_corpus(bs, KB).related
    assert [s for s, _ in related["me"]] == ["new", "old"]
    assert all(s != slug for slug, r in related.items() for s, _ in r)


def test_unrelated_briefings_get_no_related() -> None:
    bs = {"a": brief("a", "2020-01-01", ("x", 0.5)), "b": brief("b", "2020-01-02", ("y", 0.5))}
    assert build_corpus(bs, KB).related == {"a": (), "b": ()}


def test_fixture_related_prefers_the_shoigu_visit_for_the_seed() -> None:
    c = fixture_corpus()
    assert c.related["putin-thanks-north-korea"][0][0] == "shoigu-in-pyongyang"
    assert c.related["iskander-drills"][0][0] == "putin-thanks-north-korea"


def test_network_caps_nodes_and_keeps_heaviest_edges() -> None:
    c = fixture_corpus()
    nodes, edges = network(c, max_nodes=3, max_edges=2)
    assert [n.id for n in nodes] == ["kim-jong-un", "north-korea", "russia"] or len(nodes) == 3
    assert {n.kind for n in nodes} <= {"actor", "weapon"}
    assert len(edges) <= 2 and edges == sorted(edges, key=lambda e: (-e.weight, e.source, e.target))
    keep = {(n.kind, n.id) for n in nodes}
    assert all(e.source in keep and e.target in keep for e in edges)


def test_a_shared_named_system_outranks_shared_weapon_classes() -> None:
    from generator.models import Weapon

    def with_weapons(path: str, date: str, *ws: tuple[str, bool]) -> Briefing:
        b = brief(path, date)
        m = (Mention(Span(0, 1, "x"), 0),)
        return Briefing(b.doc, b.sentences, (), (), tuple(Weapon(w, w, "c", m, generic=g, salience=0.5) for w, g in ws),
                        (), ())

    bs = {
        "a": with_weapons("a", "2023-01-01", ("hwasong-18", False), ("drones", True), ("munitions", True)),
        "classes": with_weapons("classes", "2023-01-03", ("drones", True), ("munitions", True)),
        "named": with_weapons("named", "2023-01-02", ("hwasong-18", False)),
    }
    assert build_corpus(bs, KB).related["a"][0][0] == "named"


# ---- the sparse computations against the pure-Python ones they replaced ---------------------------

# Few slugs and entities and a handful of round weights, so that briefings share entities, scores
# tie, posting lists pass `common`, and scores land on MIN_RELATED; floats in between for the rest.
SLUGS = st.sampled_from([f"s{i:02d}" for i in range(14)])
KEYS = st.tuples(st.sampled_from(("actor", "weapon", "concern")), st.sampled_from("abcdefgh"))
WEIGHTS = st.one_of(st.sampled_from([0.05, 0.1, 0.3, 0.5, 1.0]), st.floats(0.05, 1.0))
PER_BRIEF = st.dictionaries(SLUGS, st.dictionaries(KEYS, WEIGHTS, max_size=10), max_size=14)


@settings(max_examples=examples(400), deadline=None)
@given(PER_BRIEF, st.randoms(use_true_random=False), st.integers(0, 7), st.integers(0, 8))
def test_sparse_ranking_equals_the_pure_python_one(per: dict[str, dict[tuple[str, str], float]],
                                                   rnd: random.Random, count: int, common: int) -> None:
    order = sorted(per)
    rnd.shuffle(order)
    rank = {slug: i for i, slug in enumerate(order)}
    got = rank_related(per, rank, count, common=common)
    want = rank_related_reference(per, rank, count, common=common)
    assert list(got.items()) == list(want.items())  # same briefings in the same order, same lists


@settings(max_examples=examples(300), deadline=None)
@given(PER_BRIEF, st.integers(0, 8))
def test_sparse_cosines_are_the_pure_python_ones_bit_for_bit(per: dict[str, dict[tuple[str, str], float]],
                                                             common: int) -> None:
    # Rounding to 4 places would hide a last-bit difference that could still flip a tie or the
    # MIN_RELATED cut on other data, so the unrounded cosines are compared, as exact floats.
    slugs = list(per)
    r, o, score = cosines(per, common=common)
    got = {(slugs[i], slugs[j]): s for i, j, s in zip(r.tolist(), o.tolist(), score.tolist(), strict=True)}
    want = cosines_reference(per, common=common)
    assert got == {pair: s for pair, s in want.items() if s != 0}
    assert len(got) == len(r)


def test_sparse_ranking_keeps_ties_and_the_min_related_edge() -> None:
    # Four identical briefings: every score is the same, so the order comes from `rank` alone.
    same = {slug: {("actor", "x"): 0.5, ("actor", "y"): 0.3} for slug in "abcd"}
    rank = {"a": 3, "b": 0, "c": 2, "d": 1}
    assert rank_related(same, rank, 2) == rank_related_reference(same, rank, 2)
    assert rank_related(same, rank, 2)["a"] == (("b", 1.0), ("d", 1.0))
    # With common=2 no entity (each in four briefings) adds to a dot product: nothing is related.
    assert rank_related(same, rank, 5, common=2) == dict.fromkeys("abcd", ())
    assert rank_related({}, {}, 5) == {}


@settings(max_examples=examples(300), deadline=None)
@given(PER_BRIEF, st.sets(KEYS, max_size=12))
def test_cooccurrence_equals_the_pairwise_count(per: dict[str, dict[tuple[str, str], float]],
                                                keep: set[tuple[str, str]]) -> None:
    got, want = cooccurrence(per), cooccur_reference(per)
    assert dict(got.items()) == want
    assert set(got) == set(want) and len(got) == len(want)
    assert all(got.get(k, Counter()) == want.get(k, Counter()) for k in [*keep, ("actor", "absent")])
    assert all((k in got) == (k in want) for k in keep)
    # network() used to walk each kept entity's row; pairs() gives the same edges, sorted.
    walked = [(a, b, w) for a in sorted(keep) for b, w in want.get(a, Counter()).items() if b in keep and a < b]
    assert list(got.pairs(keep)) == sorted(walked)


def test_fixture_network_and_cooccurrence_match_the_pairwise_count() -> None:
    c = fixture_corpus()
    # Entities a briefing names; a story gathers briefings, it is not named in one.
    named = {key: e for key, e in c.entities.items() if not kinds.kind(key[0]).gathered}
    per = {r.slug: set() for e in named.values() for r in e.refs}
    for key, e in named.items():
        for r in e.refs:
            per[r.slug].add(key)
    want = cooccur_reference({slug: dict.fromkeys(keys, 1.0) for slug, keys in per.items()})
    assert dict(c.cooccur.items()) == want
    nodes, edges = network(c)
    keep = {(n.kind, n.id) for n in nodes}
    assert edges and all(e.weight == want[e.source][e.target] for e in edges)
    assert all(e.source < e.target and e.source in keep and e.target in keep for e in edges)


def test_sparse_cosines_take_the_log_of_python() -> None:
    # 56 briefings, an entity in 13: numpy's log(1 + 56/13) is one bit off math.log's, which the
    # old ranking used, and that bit reaches the cosines.
    per = {f"b{i:02d}": {**({("actor", "x"): 0.5} if i < 13 else {}), ("actor", f"own{i}"): 0.3,
                         ("weapon", f"w{i % 4}"): 0.7} for i in range(56)}
    slugs = list(per)
    r, o, score = cosines(per)
    got = {(slugs[i], slugs[j]): s for i, j, s in zip(r.tolist(), o.tolist(), score.tolist(), strict=True)}
    assert got == cosines_reference(per)


def test_a_near_tie_below_min_related_takes_its_place_as_before() -> None:
    # Both cosines of "a" are 0.1 on paper (every entity is in three briefings, so the idf are equal
    # and cancel, and 0.9² + 0.3² + 0.3² = 11 x 0.3² = 99 x 0.1²); computed, p's is
    # 0.09999999999999999 and q's 0.1. Rounded to 9 places they tie and the newer p goes first:
    # with count=1 it takes the one place and then falls under MIN_RELATED, so "a" lists nothing.
    f = {("actor", "f0"): 0.9, ("actor", "f1"): 0.3, ("actor", "f2"): 0.3}
    g = {("actor", f"g{i}"): 0.3 for i in range(11)}
    k = ("actor", "k")
    per = {"a": {k: 0.05}, "p": {k: 0.1, **f}, "q": {k: 0.1, **g}, "z1": {**f, **g}, "z2": {**f, **g}}
    assert cosines_reference(per)[("a", "p")] < MIN_RELATED == cosines_reference(per)[("a", "q")]
    rank = {"p": 0, "q": 1, "a": 2, "z1": 3, "z2": 4}
    assert rank_related(per, rank, 1) == rank_related_reference(per, rank, 1)
    assert rank_related(per, rank, 1)["a"] == ()
    assert rank_related(per, rank, 2)["a"] == (("q", 0.1),)


def test_related_and_overview_made_in_another_process_equal_those_made_here(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import generator.outputs as out
    from generator.corpus import Related
    from generator.render import Renderer

    here = out.site_outputs(fixture_corpus())
    monkeypatch.setattr(out, "PARALLEL_MIN", 0)
    monkeypatch.setattr(out, "can_fork", lambda: True)
    # All are made in the other process only: doing any in this one fails the test.
    build = os.getpid()
    ranked, made, indexes, feed = Related.ranked_here, out.listings, Renderer.index_pages, out.feed_xml

    def rank_elsewhere(self: Related) -> object:
        assert os.getpid() != build, "related briefings ranked in the build process"
        return ranked(self)

    def make_elsewhere(corpus: object) -> dict[str, str]:
        assert os.getpid() != build, "briefing and entity listings made in the build process"
        return made(corpus)  # type: ignore[arg-type]

    def index_elsewhere(self: Renderer) -> dict[str, str]:
        assert os.getpid() != build, "index pages rendered in the build process"
        return indexes(self)

    def feed_elsewhere(*args: object) -> str:
        assert os.getpid() != build, "feed made in the build process"
        return feed(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(Related, "ranked_here", rank_elsewhere)
    monkeypatch.setattr(out, "listings", make_elsewhere)
    monkeypatch.setattr(Renderer, "index_pages", index_elsewhere)
    monkeypatch.setattr(out, "feed_xml", feed_elsewhere)
    c = fixture_corpus()
    assert out.site_outputs(c) == here
    assert isinstance(c.related, Related) and c.related["putin-thanks-north-korea"]


def test_related_and_overview_are_made_here_when_the_other_process_fails(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import generator.outputs as out

    here = out.site_outputs(fixture_corpus())
    monkeypatch.setattr(out, "PARALLEL_MIN", 0)
    monkeypatch.setattr(out, "can_fork", lambda: True)
    monkeypatch.setattr(out, "_in_helper", lambda *args: os._exit(3))
    assert out.site_outputs(fixture_corpus()) == here


def test_a_build_computes_the_network_once_for_its_page_and_its_data(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitefixture import fixture_corpus

    from generator import corpus as corpus_module
    from generator.outputs import site_outputs

    calls = []
    real = corpus_module.network

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "network", counted)
    out = site_outputs(fixture_corpus())
    assert len(calls) == 1
    assert b'"nodes"' in out["data/network.json"] and "network.md" in out  # type: ignore[operator]
