"""Related briefings and the network graph of the corpus index."""

from __future__ import annotations

from sitefixture import fixture_corpus

from generator.corpus import build_corpus, network, rank_related
from generator.kb import KnowledgeBase
from generator.models import Actor, Briefing, Mention, SourceDoc, Span

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
