"""The relationship diagram of one briefing, as Mermaid source.

Mermaid renders labels as HTML, and its syntax gives meaning to quotes, brackets, ``#`` entity codes
and keywords. So node ids are ones we make (``a0``, ``w1``, ``c2``), and labels keep only letters,
digits, spaces and ``. , ' / -``: nothing a label can carry opens a tag, an entity or a directive.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from generator.kb import KnowledgeBase
from generator.models import Briefing, Mention

_UNSAFE = re.compile(r"[^\w .,'/-]|_")
MAX_LABEL = 40
RAISERS = 2


def safe_label(text: str) -> str:
    """A Mermaid node or edge label that is plain text whatever ``text`` holds."""
    s = unicodedata.normalize("NFKC", text)
    s = "".join(c if c.isprintable() else " " for c in s)
    s = " ".join(_UNSAFE.sub(" ", s).split())
    if len(s) > MAX_LABEL:
        s = s[: MAX_LABEL - 1].rstrip() + "…"
    return s or "unnamed"


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    key: tuple[str, str]


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    label: str
    weight: int


def _sentences(mentions: tuple[Mention, ...]) -> set[int]:
    return {m.sentence for m in mentions}


def relationships(b: Briefing, kb: KnowledgeBase, max_actors: int = 6, max_weapons: int = 4,
                  max_concerns: int = 3, max_edges: int = 16) -> tuple[list[Node], list[Edge]]:
    """The most salient entities of a briefing, and how the article ties them together.

    Ties, strongest evidence first: a weapon's operator ("operates"), an actor's affiliation
    ("part of"), a concern whose evidence sentence names the entity ("raises"), and two entities
    named in one sentence ("N sentences").
    """
    actors = sorted(b.actors, key=lambda a: (-a.salience, a.name.casefold(), a.id))[:max_actors]
    weapons = sorted(b.weapons, key=lambda w: (-w.salience, w.name.casefold(), w.id))[:max_weapons]
    concerns = sorted(b.concerns, key=lambda c: (-c.score, c.label.casefold(), c.id))[:max_concerns]
    nodes: list[Node] = []
    sents: dict[str, set[int]] = {}
    ids: dict[tuple[str, str], str] = {}
    for i, a in enumerate(actors):
        nodes.append(Node(f"a{i}", safe_label(a.name), "actor", ("actor", a.id)))
        sents[f"a{i}"] = _sentences(a.mentions)
        ids[("actor", a.id)] = f"a{i}"
    for i, w in enumerate(weapons):
        nodes.append(Node(f"w{i}", safe_label(w.name), "weapon", ("weapon", w.id)))
        sents[f"w{i}"] = _sentences(w.mentions)
        ids[("weapon", w.id)] = f"w{i}"
    sentence_of = {(s.start, s.end): i for i, s in enumerate(b.sentences)}
    for i, c in enumerate(concerns):
        nodes.append(Node(f"c{i}", safe_label(c.label), "concern", ("concern", c.id)))
        sents[f"c{i}"] = {sentence_of[(e.start, e.end)] for e in c.evidence if (e.start, e.end) in sentence_of}
        ids[("concern", c.id)] = f"c{i}"

    edges: dict[tuple[str, str], Edge] = {}
    for w in weapons:
        op = w.operator or (kb.weapons[w.id].operator if w.id in kb.weapons else None)
        if op and ("actor", op) in ids:
            src, dst = ids[("actor", op)], ids[("weapon", w.id)]
            edges[(src, dst)] = Edge(src, dst, "operates", 1000)
    for actor in actors:
        aff = actor.affiliation or (kb.actors[actor.id].affiliation if actor.id in kb.actors else None)
        if aff and ("actor", aff) in ids:
            src, dst = ids[("actor", actor.id)], ids[("actor", aff)]
            edges.setdefault((src, dst), Edge(src, dst, "part of", 900))
    ents = [n for n in nodes if n.kind != "concern"]
    for cn in (n for n in nodes if n.kind == "concern"):
        # The two entities most named in a concern's evidence; more would bury who-goes-with-whom.
        raisers = sorted(((len(sents[en.id] & sents[cn.id]), en) for en in ents), key=lambda t: -t[0])
        for shared, en in [t for t in raisers if t[0]][:RAISERS]:
            edges.setdefault((en.id, cn.id), Edge(en.id, cn.id, "raises", 500 + shared))
    together: Counter[tuple[str, str]] = Counter()
    for i, x in enumerate(ents):
        for y in ents[i + 1:]:
            shared = len(sents[x.id] & sents[y.id])
            if shared and (x.id, y.id) not in edges and (y.id, x.id) not in edges:
                together[(x.id, y.id)] = shared
    for (src, dst), count in together.items():
        edges[(src, dst)] = Edge(src, dst, f"{count} sentence{'s' if count != 1 else ''}", count)
    kept = sorted(edges.values(), key=lambda e: (-e.weight, e.a, e.b))[:max_edges]
    return nodes, sorted(kept, key=lambda e: (e.a, e.b))


SHAPES = {"actor": ('(["', '"])'), "weapon": ('[["', '"]]'), "concern": ('{{"', '"}}')}


def mermaid(nodes: list[Node], edges: list[Edge]) -> str:
    """Mermaid flowchart source; empty when there is nothing to draw."""
    if not nodes:
        return ""
    lines = ["flowchart LR"]
    for n in nodes:
        open_, close = SHAPES[n.kind]
        lines.append(f"  {n.id}{open_}{safe_label(n.label)}{close}")
    for e in edges:
        arrow = "-->" if e.label in ("operates", "part of", "raises") else "---"
        lines.append(f'  {e.a} {arrow}|"{safe_label(e.label)}"| {e.b}')
    for kind, style in (("actor", "fill:#e8eaf6,stroke:#3f51b5"), ("weapon", "fill:#fff3e0,stroke:#ef6c00"),
                        ("concern", "fill:#ffebee,stroke:#c62828")):
        members = [n.id for n in nodes if n.kind == kind]
        if members:
            lines.append(f"  classDef {kind} {style}")
            lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"
