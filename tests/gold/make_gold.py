"""Build ``briefs.jsonl`` from the marked-up articles in ``articles.txt``.

The articles are the project's own (invented, plausible security news written for this gold set;
project licence). In the mark-up, ``[[Type|text]]`` labels a span with a re3d type (Person,
Organisation, Location, Nationality, Weapon, MilitaryPlatform); the brackets are removed and the
offsets computed, so nobody counts characters by hand. Each article starts with ``=== id`` and
ends with a ``--- brief`` JSON line (the briefing labels) and optionally a ``--- summary`` line.

Run ``python tests/gold/make_gold.py`` after editing the articles.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"\[\[(\w+)\|([^\]]+)\]\]")


def parse(markup: str) -> tuple[str, list[dict[str, object]]]:
    out, entities, pos = [], [], 0
    for m in MARK.finditer(markup):
        out.append(markup[pos:m.start()])
        begin = sum(len(x) for x in out)
        out.append(m.group(2))
        entities.append({"begin": begin, "end": begin + len(m.group(2)), "type": m.group(1)})
        pos = m.end()
    out.append(markup[pos:])
    return "".join(out), entities


def build() -> list[dict[str, object]]:
    docs = []
    for block in (HERE / "articles.txt").read_text(encoding="utf-8").split("=== ")[1:]:
        head, _, rest = block.partition("\n")
        body, _, tail = rest.partition("--- brief ")
        brief_line, _, summary_part = tail.partition("--- summary ")
        text, entities = parse(body.strip("\n") + "\n")
        doc: dict[str, object] = {"id": head.strip(), "text": text, "entities": entities,
                                  "brief": json.loads(brief_line)}
        if summary_part.strip():
            doc["summary"] = summary_part.strip()
        docs.append(doc)
    return docs


if __name__ == "__main__":
    lines = [json.dumps(d, ensure_ascii=False) for d in build()]
    (HERE / "briefs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} documents")
