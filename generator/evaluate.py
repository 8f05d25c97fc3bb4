"""The evaluation gate: score extraction against a gold JSONL file.

The metric definitions are those of the shared scorer the project is measured with (mention spans
exact and relaxed per class, briefing lists with alias-aware matching, ROUGE-1/2/L of the summary),
written again here so that the project and its CI need nothing outside the repository.

Gold format, one JSON object per line::

    {"id": "...", "text": "...",
     "entities": [{"begin": 0, "end": 5, "type": "Person"}, ...],      # optional
     "summary": "reference summary",                                   # optional
     "brief": {"actors": [{"name": "...", "aliases": [...]}],          # optional
               "weapons": [...], "concerns": ["armed-conflict"], "optional": [...]}}
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from generator.models import Briefing, SourceDoc
from generator.readers.text import parse_text

PRONOUNS = frozenset([
    "i", "me", "my", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "he", "him",
    "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them",
    "their", "theirs", "themselves", "who", "whom", "this", "that", "these", "those"
])
FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "for", "in", "on", "to", "mr", "mrs", "ms"}) | PRONOUNS

GOLD_CLASSES: dict[str, set[str]] = {
    "PER": {"Person"},
    "ORG": {"Organisation", "Organization"},
    "LOC": {"Location", "Nationality"},
    "WEAPON": {"Weapon", "MilitaryPlatform"},
}
GOLD_CLASSES["ACTOR"] = GOLD_CLASSES["PER"] | GOLD_CLASSES["ORG"] | GOLD_CLASSES["LOC"]
NAMED_ONLY = frozenset({"PER", "ORG", "LOC", "ACTOR"})


class _Extracts(Protocol):
    def extract(self, doc: SourceDoc, *, summary_sentences: int = 3) -> Briefing: ...


def doc_from_text(doc_id: str, text: str) -> SourceDoc:
    """The SourceDoc the plain-text reader makes of ``text`` (title line, headings), as
    ``briefing extract`` would read the file ``<doc_id>.txt``."""
    return parse_text(text, f"{doc_id}.txt")


# ---------------------------------------------------------------- metric pieces

def is_named(text: str) -> bool:
    words = re.findall(r"[\w'’-]+", text)
    return any(w[0].isupper() for w in words if w.lower() not in FUNCTION_WORDS)


def norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"^(the|a|an)\s+", "", text.strip())
    text = re.sub(r"'s$", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "p": p, "r": r, "f1": f}


def pred_spans(record: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """Mention spans of one record by class: persons PER, countries LOC, other actors ORG."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)

    def add(cls: str, items: Iterable[dict[str, Any]] | None) -> None:
        for item in items or []:
            for m in item.get("mentions") or []:
                spans[cls].append((int(m["start"]), int(m["end"])))

    for actor in record.get("actors") or []:
        t = (actor.get("type") or "").lower()
        add("PER" if t == "person" else "LOC" if t in {"country", "location", "place"} else "ORG", [actor])
    add("LOC", record.get("locations"))
    add("WEAPON", record.get("weapons"))
    spans["ACTOR"] = spans["PER"] + spans["ORG"] + spans["LOC"]
    return spans


def match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> tuple[int, int]:
    """(exact matches, relaxed matches): relaxed pairs overlapping spans one to one, most overlap first."""
    g_sorted, p_sorted = sorted(set(gold)), sorted(set(pred))
    exact = len(set(g_sorted) & set(p_sorted))
    pairs = []
    for gi, (gs, ge) in enumerate(g_sorted):
        for pi, (ps, pe) in enumerate(p_sorted):
            overlap = min(ge, pe) - max(gs, ps)
            if overlap > 0:
                pairs.append((-overlap, gi, pi))
    used_g: set[int] = set()
    used_p: set[int] = set()
    relaxed = 0
    for _, gi, pi in sorted(pairs):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            relaxed += 1
    return exact, relaxed


def loose_equal(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and re.search(rf"\b{re.escape(short)}\b", long_) is not None


def _names_of(item: dict[str, Any], text: str) -> set[str]:
    names = {norm(item.get("name") or "")} | {norm(a) for a in item.get("aliases") or []}
    for m in item.get("mentions") or []:
        names.add(norm(m.get("text") or text[int(m["start"]):int(m["end"])]))
    return {n for n in names if n}


def match_brief(gold_items: list[dict[str, Any]], pred_items: list[dict[str, Any]], optional: set[str],
                text: str) -> tuple[int, int, list[str], list[str]]:
    """(true positives, counted predictions, missed gold names, extra predicted names)."""
    gold_names = [{norm(g["name"])} | {norm(a) for a in g.get("aliases") or []} for g in gold_items]
    pred_names = [_names_of(p, text) for p in pred_items]
    used: set[int] = set()
    tp, missed = 0, []
    for gi, gnames in enumerate(gold_names):
        hit = next((pi for pi, pn in enumerate(pred_names) if pi not in used
                    and any(loose_equal(g, p) for g in gnames for p in pn)), None)
        if hit is None:
            missed.append(gold_items[gi]["name"])
        else:
            used.add(hit)
            tp += 1
    extra, n_pred = [], 0
    for pi, pn in enumerate(pred_names):
        if pi in used:
            n_pred += 1
        elif not any(loose_equal(o, p) for o in optional for p in pn):
            n_pred += 1
            extra.append(str(pred_items[pi].get("name")))
    return tp, n_pred, missed, extra


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def rouge_n(ref: list[str], hyp: list[str], n: int) -> float:
    def grams(t: list[str]) -> dict[tuple[str, ...], int]:
        out: dict[tuple[str, ...], int] = defaultdict(int)
        for i in range(len(t) - n + 1):
            out[tuple(t[i:i + n])] += 1
        return out

    r, h = grams(ref), grams(hyp)
    overlap = sum(min(c, h.get(g, 0)) for g, c in r.items())
    if not overlap:
        return 0.0
    p, rec = overlap / max(1, sum(h.values())), overlap / max(1, sum(r.values()))
    return 2 * p * rec / (p + rec)


def rouge_l(ref: list[str], hyp: list[str]) -> float:
    if not ref or not hyp:
        return 0.0
    prev = [0] * (len(hyp) + 1)
    for a in ref:
        cur = [0]
        for j, b in enumerate(hyp):
            cur.append(prev[j] + 1 if a == b else max(prev[j + 1], cur[j]))
        prev = cur
    lcs = prev[-1]
    if not lcs:
        return 0.0
    p, r = lcs / len(hyp), lcs / len(ref)
    return 2 * p * r / (p + r)


# ---------------------------------------------------------------- the gate

def load_gold(path: str | Path) -> list[dict[str, Any]]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score(docs: list[dict[str, Any]], records: list[dict[str, Any]]) -> dict[str, Any]:
    """Scores of ``records`` (``Briefing.to_record()`` values) against gold ``docs``."""
    by_id = {Path(str(r.get("source") or "")).stem: r for r in records}
    span_counts = {c: [0, 0, 0, 0] for c in GOLD_CLASSES}  # exact, relaxed, pred, gold
    brief_counts = {k: [0, 0, 0] for k in ("actors", "weapons", "concerns")}
    errors: dict[str, list[dict[str, Any]]] = {"actors": [], "weapons": [], "concerns": []}
    rouge: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
    for doc in docs:
        rec = by_id.get(doc["id"], {})
        text = doc["text"]
        if "entities" in doc:
            pspans = pred_spans(rec)
            for cls, types in GOLD_CLASSES.items():
                gold = [(e["begin"], e["end"]) for e in doc["entities"] if e["type"] in types
                        and (cls not in NAMED_ONLY or is_named(text[e["begin"]:e["end"]]))]
                exact, relaxed = match_spans(gold, pspans.get(cls, []))
                c = span_counts[cls]
                c[0] += exact
                c[1] += relaxed
                c[2] += len(set(pspans.get(cls, [])))
                c[3] += len(set(gold))
        if "brief" in doc:
            brief = doc["brief"]
            optional = {norm(o) for o in brief.get("optional") or []}
            for kind in ("actors", "weapons"):
                tp, n_pred, missed, extra = match_brief(brief.get(kind) or [], rec.get(kind) or [],
                                                        optional, text)
                c = brief_counts[kind]
                c[0] += tp
                c[1] += n_pred
                c[2] += len(brief.get(kind) or [])
                errors[kind].append({"doc": doc["id"], "missed": missed, "extra": extra})
            gold_c = set(brief.get("concerns") or [])
            pred_c = {c.get("id") for c in rec.get("concerns") or []}
            c = brief_counts["concerns"]
            c[0] += len(gold_c & pred_c)
            c[1] += len(pred_c)
            c[2] += len(gold_c)
            errors["concerns"].append({"doc": doc["id"], "missed": sorted(gold_c - pred_c),
                                       "extra": sorted(str(x) for x in pred_c - gold_c)})
        if doc.get("summary"):
            ref, hyp = tokens(doc["summary"]), tokens(" ".join(rec.get("summary") or []))
            rouge["rouge1"].append(rouge_n(ref, hyp, 1))
            rouge["rouge2"].append(rouge_n(ref, hyp, 2))
            rouge["rougeL"].append(rouge_l(ref, hyp))
    result: dict[str, Any] = {"documents": len(docs)}
    if any(c[3] for c in span_counts.values()):
        result["spans"] = {cls: {"exact": prf(c[0], c[2], c[3]), "relaxed": prf(c[1], c[2], c[3])}
                           for cls, c in span_counts.items() if c[3]}
    if any(c[2] for c in brief_counts.values()):
        result["brief"] = {k: prf(*c) for k, c in brief_counts.items()}
        result["brief_errors"] = errors
    if rouge["rouge1"]:
        result["summary"] = {k: sum(v) / len(v) for k, v in rouge.items()}
    return result


def evaluate(gold_path: str | Path, extractor: _Extracts, *, summary_sentences: int = 3,
             make_doc: Callable[[str, str], SourceDoc] = doc_from_text) -> dict[str, Any]:
    """Run ``extractor`` over every gold document and score it (see :func:`score`)."""
    docs = load_gold(gold_path)
    records = [extractor.extract(make_doc(d["id"], d["text"]), summary_sentences=summary_sentences).to_record()
               for d in docs]
    return score(docs, records)


def format_report(result: dict[str, Any]) -> str:
    """The result as the table the shared scorer prints."""
    lines = [f"documents: {result['documents']}"]
    if "spans" in result:
        lines.append("mentions        exact P/R/F1          relaxed P/R/F1     (pred/gold)")
        for cls, m in result["spans"].items():
            e, r = m["exact"], m["relaxed"]
            lines.append(f"  {cls:7} {e['p']:.3f} {e['r']:.3f} {e['f1']:.3f}    "
                         f"{r['p']:.3f} {r['r']:.3f} {r['f1']:.3f}   ({r['pred']}/{r['gold']})")
    if "brief" in result:
        lines.append("briefing lists  P/R/F1  (pred/gold)")
        for k, m in result["brief"].items():
            lines.append(f"  {k:9} {m['p']:.3f} {m['r']:.3f} {m['f1']:.3f}  ({m['pred']}/{m['gold']})")
    if "summary" in result:
        s = result["summary"]
        lines.append(f"summary ROUGE-1 {s['rouge1']:.3f}  ROUGE-2 {s['rouge2']:.3f}  ROUGE-L {s['rougeL']:.3f}")
    return "\n".join(lines)
