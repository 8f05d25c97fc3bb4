"""The relationship diagram of one briefing, as Mermaid source.

Mermaid renders labels as HTML, and its syntax gives meaning to quotes, brackets, ``#`` entity codes
and keywords. So node ids are ones we make (``a0``, ``w1``, ``c2``), and labels keep only letters,
digits, spaces and ``. , ' / -``: nothing a label can carry opens a tag, an entity or a directive.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from generator.kb import KnowledgeBase
from generator.models import Briefing, Mention

_UNSAFE = re.compile(r"[^\w .,'/-]|_")
MAX_LABEL = 40
RAISERS = 2
MAX_NODES = 12


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


def relationships(b: Briefing, kb: KnowledgeBase, max_actors: int = 6, max_weapons: int = 3,
                  max_concerns: int = 3, max_nodes: int = MAX_NODES) -> tuple[list[Node], list[Edge]]:
    """The most salient entities of a briefing, and the ties the article and the KB vouch for.

    Three ties, each a true statement: an actor "operates" a weapon (its KB operator), an actor is
    "part of" another (its affiliation), and an actor "raises" a concern (named in a sentence that is
    the concern's evidence, at most the ``RAISERS`` actors named most there). Weapons raise nothing:
    a missile does not raise arms transfers, the actor that sells it does. At most ``max_nodes``
    nodes, the most salient of each kind first, and none without a tie.
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
        if aff and ("actor", aff) in ids and aff != actor.id:
            src, dst = ids[("actor", actor.id)], ids[("actor", aff)]
            edges.setdefault((src, dst), Edge(src, dst, "part of", 900))
    for cn in (n for n in nodes if n.kind == "concern"):
        raisers = sorted(((len(sents[an.id] & sents[cn.id]), an) for an in nodes if an.kind == "actor"),
                         key=lambda t: (-t[0], t[1].id))
        for shared, an in [t for t in raisers if t[0]][:RAISERS]:
            edges.setdefault((an.id, cn.id), Edge(an.id, cn.id, "raises", 500 + shared))
    tied = {e.a for e in edges.values()} | {e.b for e in edges.values()}
    kept_nodes = [n for n in nodes if n.id in tied][:max_nodes]
    kept_ids = {n.id for n in kept_nodes}
    kept = [e for e in edges.values() if e.a in kept_ids and e.b in kept_ids]
    return kept_nodes, sorted(kept, key=lambda e: (e.a, e.b))


def describe(nodes: list[Node], edges: list[Edge]) -> list[str]:
    """The diagram in words, one sentence per tie: its text alternative."""
    label = {n.id: n.label for n in nodes}
    return [f"{label[e.a]} {'is part of' if e.label == 'part of' else e.label} {label[e.b]}." for e in edges]


SHAPES = {"actor": ('(["', '"])'), "weapon": ('[["', '"]]'), "concern": ('{{"', '"}}')}


def mermaid(nodes: list[Node], edges: list[Edge]) -> str:
    """Mermaid flowchart source; empty when there is nothing to draw."""
    if not nodes:
        return ""
    # Mermaid writes these into the SVG's <title> and <desc>, for screen readers.
    lines = ["flowchart LR", "  accTitle: Relationships in this briefing",
             f"  accDescr: {' '.join(describe(nodes, edges)) or 'No ties between the entities named.'}"]
    for n in nodes:
        open_, close = SHAPES[n.kind]
        lines.append(f"  {n.id}{open_}{safe_label(n.label)}{close}")
    for e in edges:
        lines.append(f'  {e.a} -->|"{safe_label(e.label)}"| {e.b}')
    for kind, style in (("actor", "fill:#e8eaf6,stroke:#3f51b5"), ("weapon", "fill:#fff3e0,stroke:#ef6c00"),
                        ("concern", "fill:#ffebee,stroke:#c62828")):
        members = [n.id for n in nodes if n.kind == kind]
        if members:
            lines.append(f"  classDef {kind} {style}")
            lines.append(f"  class {','.join(members)} {kind}")
    return "\n".join(lines) + "\n"
