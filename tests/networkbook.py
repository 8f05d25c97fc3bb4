"""A book large enough to fill the network page: 150 entities in six clusters, in synthetic articles.

The articles are sentences this module writes from knowledge-base names (no news text): each names
five entities of one cluster, and every fourth also one of the next cluster, so the network has six
dense groups joined by a few lines. Facts are known, as in sitefixture: spans are real offsets.
"""

from __future__ import annotations

from pathlib import Path

from sitefixture import make_briefing

from generator import links
from generator.corpus import Corpus
from generator.kb import KnowledgeBase, load_kb
from generator.pipeline import build_corpus
from generator.readers import read_file

CLUSTERS, PER_CLUSTER, ARTICLES_PER_CLUSTER, NAMED = 6, 25, 20, 5


def _entities(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(kind, id, name) of 100 actors and 50 weapons whose names no other chosen name contains."""
    actors = sorted((a.id, a.name) for a in kb.actors.values() if a.type == "country")
    weapons = sorted((w.id, w.name) for w in kb.weapons.values() if not w.generic)
    chosen: list[tuple[str, str, str]] = []
    for kind, pool, want in (("actor", actors, 100), ("weapon", weapons, 50)):
        taken = 0
        for eid, name in pool:
            if taken == want:
                break
            if name.isascii() and not any(name in n or n in name for _, _, n in chosen):
                chosen.append((kind, eid, name))
                taken += 1
    # Interleave kinds so each cluster holds actors and weapons alike.
    actors_, weapons_ = [c for c in chosen if c[0] == "actor"], [c for c in chosen if c[0] == "weapon"]
    mixed = []
    for i in range(len(weapons_)):
        mixed += [actors_[2 * i], actors_[2 * i + 1], weapons_[i]]
    return mixed


def clusters(kb: KnowledgeBase) -> list[list[tuple[str, str, str]]]:
    ents = _entities(kb)
    return [ents[c::CLUSTERS] for c in range(CLUSTERS)]


def write_articles(folder: Path, kb: KnowledgeBase) -> dict[str, dict[str, list[str]]]:
    """Write the articles into ``folder``; returns each file's facts (the KB ids it names)."""
    groups = clusters(kb)
    facts: dict[str, dict[str, list[str]]] = {}
    folder.mkdir(parents=True, exist_ok=True)
    for c, group in enumerate(groups):
        for i in range(ARTICLES_PER_CLUSTER):
            named = [group[(i * 3 + k) % PER_CLUSTER] for k in range(NAMED)]
            if i % 4 == 0:
                named.append(groups[(c + 1) % CLUSTERS][i % PER_CLUSTER])
            name = f"group-{c}-report-{i:02d}.md"
            sentences = [f"{named[0][2]} and {named[1][2]} held talks on regional security."]
            sentences += [f"Officials said {e[2]} took part in the review." for e in named[2:]]
            (folder / name).write_text(
                f"---\ntitle: Group {c} report {i}\ndate: 2024-{1 + i % 12:02d}-{1 + c:02d}\nsource: Test Wire\n---\n"
                + " ".join(sentences) + "\n", encoding="utf-8")
            facts[name] = {"actors": [e[1] for e in named if e[0] == "actor"],
                           "weapons": [e[1] for e in named if e[0] == "weapon"]}
    return facts


def network_corpus(folder: Path) -> Corpus:
    kb = load_kb()
    facts = write_articles(folder, kb)
    briefings = [make_briefing(read_file(p, p.name), facts[p.name], kb) for p in sorted(folder.iterdir())]
    slugs = links.article_slugs(b.doc.path for b in briefings)
    return build_corpus({slugs[b.doc.path]: b for b in briefings}, kb)
