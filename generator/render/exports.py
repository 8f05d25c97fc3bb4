"""The data files a program reads instead of the pages: briefings, entities, stories and the network,
as compact JSON made from the corpus."""

from __future__ import annotations

import json
from typing import Any

from generator import kinds, links
from generator.corpus import Corpus
from generator.outlets import Origin, corroboration

BRIEFINGS_JSON = "data/briefings.json"
ENTITIES_JSON = "data/entities.json"
STORIES_JSON = "data/stories.json"


def _dump(data: Any) -> str:
    # Compact: these files are for programs, and briefings.json grows with every mention (about a
    # third smaller than indented JSON). orjson writes the same bytes as json.dumps below for these
    # values (strings, ints, lists, dicts), several times faster; json takes what orjson refuses (a lone
    # surrogate in a string, an integer past 64 bits).
    import orjson

    try:
        return orjson.dumps(data).decode("utf-8") + "\n"
    except (orjson.JSONEncodeError, UnicodeDecodeError):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def briefings_json(corpus: Corpus) -> str:
    """The list of briefings, newest first: slug, title, date, source URL, page, the file with its whole
    record (``data/briefings/<slug>.json``, the evaluation README's shape), its entities' ids and its
    claims (speaker, cue, the sentence's span and whether it quotes; the sentence is in the record).

    A list, not the records themselves: at 5,000 articles the records are 60 MB, which a program can
    fetch one by one and a new article need not rewrite."""
    out = []
    table = kinds.KINDS
    for slug in corpus.order:
        card = corpus.cards[slug]
        ids: dict[str, list[str]] = {k.name: [] for k in table}
        for m in card.marks:  # one pass: 170,000 marks at 5,000 articles
            ids[m[0]].append(m[1])  # Mark.kind, Mark.id
        out.append({"slug": slug, "title": card.title, "date": card.date, "url": card.url,
                    "page": links.page_url(links.briefing_path(slug)), "record": links.record_path(slug),
                    # A gathered kind (a story) holds the briefing whole: its one id, not a list.
                    **{k.export: corpus.story_of.get(slug) if k.gathered else ids[k.name] for k in table},
                    "claims": [{"speaker": {"id": c.speaker_id or None, "name": c.speaker_name, "text": c.speaker_text},
                                "cue": c.cue, "start": c.start, "end": c.end, "direct": c.direct}
                               for c in card.claims]})
    return _dump(out)


def entities_json(corpus: Corpus) -> str:
    """One record per entity, kind by kind: id, name, the kind's own column (type, category...), aliases,
    page and the number of briefings naming it. Which briefings those are is in briefings.json (each
    briefing's ids): listed here as well, they made this file 10 MB at 5,000 articles, 2 KB of the site
    per article, rewritten on every addition."""
    out = []
    for kind in kinds.KINDS:
        for e in corpus.by_kind(kind.name):
            rec: dict[str, Any] = {"id": e.id, "kind": kind.name, "name": e.name,
                                   kind.field: kind.value(e, corpus.kb)}
            rec["aliases"] = sorted(e.aliases)
            rec["discovered"] = e.discovered
            rec["url"] = links.page_url(links.entity_path(kind.name, e.id))
            rec["briefings"] = len(e.refs)
            out.append(rec)
    return _dump(out)


def stories_json(corpus: Corpus) -> str:
    """Every story, earliest first: id, title (of its earliest report), first and latest dates, its
    page (None for a story of one report, shown as the briefing itself), its reports (slug, outlet,
    date), how many outlets published them and how many independent sources it has apart from
    state media (a wire copy counts as its agency)."""
    out = []
    for sid, members in sorted(corpus.stories.items(), key=lambda kv: (_story_order(corpus, kv[1]), kv[0])):
        cards = [corpus.cards[s] for s in members]
        dates = sorted(c.date for c in cards if c.date)
        cor = corroboration([Origin(*c.origin) if c.origin else None for c in cards])
        out.append({"id": sid, "title": cards[0].title, "first": dates[0] if dates else None,
                    "latest": dates[-1] if dates else None,
                    "page": links.page_url(links.entity_path("story", sid)) if len(members) > 1 else None,
                    "reports": [{"slug": s, "outlet": c.outlet, "date": c.date}
                                for s, c in zip(members, cards, strict=True)],
                    "outlets": len(corpus.outlets(members)), "independent": cor.independent})
    return _dump(out)


def _story_order(corpus: Corpus, members: tuple[str, ...]) -> tuple[str, str]:
    first = corpus.cards[members[0]]
    return (first.date or "9999", first.title.casefold())


def network_json(corpus: Corpus) -> str:
    """Nodes and weighted edges of the network page; URLs relative to the site root."""
    nodes, edges = corpus.graph
    return _dump({
        "nodes": [{"id": f"{n.kind}:{n.id}", "label": n.name, "kind": n.kind, "briefings": n.briefings,
                   "url": links.page_url(links.entity_path(n.kind, n.id))} for n in nodes],
        "edges": [{"source": f"{e.source[0]}:{e.source[1]}", "target": f"{e.target[0]}:{e.target[1]}",
                   "weight": e.weight} for e in edges],
    })


def listings(corpus: Corpus) -> dict[str, str]:
    """The list of briefings and the entities (12 MB at 5,000 articles), made together
    (by the helper process on a large site). The network data is made apart, from the co-occurrence
    index the dossiers built already."""
    return {BRIEFINGS_JSON: briefings_json(corpus), ENTITIES_JSON: entities_json(corpus),
            STORIES_JSON: stories_json(corpus)}
