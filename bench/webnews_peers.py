"""Peers on web news: sumy's LexRank and TextRank (3 sentences) against the editor's lede.

    /tmp/sumy-venv/bin/python bench/webnews_peers.py GOLD.jsonl --scorer ../shared/eval/score.py \\
        --ours "env PYTHONPATH=$PWD .venv/bin/python -m generator.cli extract {dir} --format jsonl \\
                --summary-sentences 3"

Reads the gold records (``text`` and ``lede``, see the web-news labelling guide), summarises each
text with both peers, and scores every summary with the shared scorer's ROUGE (imported from the
path given), the same way the scorer scores ``briefing extract``. With ``--ours`` the tool runs over
the same texts in the same run (through the scorer's own runner) and is scored alongside, with the
scorer's share of summary sentences that lie in captions and credits.

sumy's own tokenizer needs nltk's punkt data, which cannot be downloaded here: the peers get a
small regular-expression tokenizer instead (``RegexTokenizer``: sentences end at . ! ? before a
capital, or at a line break; words are runs of letters and digits). sumy is not a dependency of
the project: install it into a separate environment (``python -m venv /tmp/sumy-venv`` and
``/tmp/sumy-venv/bin/pip install sumy numpy``; LexRank needs numpy).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n+")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
ABBREVIATIONS = frozenset(["mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "st", "jan", "feb", "mar",
                           "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs",
                           "u.s", "u.k", "u.n"])


class RegexTokenizer:
    """What sumy's ``PlaintextParser`` asks of a tokenizer: ``to_sentences`` and ``to_words``."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        out: list[str] = []
        pending = ""
        for piece in SENTENCE_END.split(paragraph):
            piece = piece.strip()
            if not piece:
                continue
            pending = f"{pending} {piece}".strip() if pending else piece
            last = pending.rstrip(".!?\"'”’)").rsplit(" ", 1)[-1].lower()
            if pending.endswith(".") and last in ABBREVIATIONS:
                continue  # "Gen. Soleimani": the stop belongs to the abbreviation
            out.append(pending)
            pending = ""
        if pending:
            out.append(pending)
        return tuple(out)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(WORD.findall(sentence))


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", path)
    if spec is None or spec.loader is None:
        sys.exit(f"webnews_peers: cannot import the scorer from {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def peer_summaries(text: str, n: int) -> dict[str, list[str]]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    parser = PlaintextParser.from_string(text, RegexTokenizer())
    out: dict[str, list[str]] = {}
    for name, cls in (("LexRank", LexRankSummarizer), ("TextRank", TextRankSummarizer)):
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        out[name] = [str(s) for s in summarizer(parser.document, n)]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("gold", type=Path, help="gold JSONL with text and lede (web-news labelling guide)")
    ap.add_argument("--scorer", type=Path, required=True, help="path of the shared score.py")
    ap.add_argument("--ours", help="the tool's extract command, with {dir} for the folder of texts")
    ap.add_argument("--sentences", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    score = load_scorer(args.scorer)
    docs = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = [d for d in docs if d.get("lede")]
    systems: dict[str, dict[str, list[str]]] = {"LexRank": {}, "TextRank": {}}
    for d in docs:
        for name, sents in peer_summaries(d["text"], args.sentences).items():
            systems[name][d["id"]] = sents
    if args.ours:
        records, _seconds = score.run_command(args.ours, docs)
        by_id = {score.record_id(r): r for r in records}
        systems["briefing"] = {d["id"]: [s if isinstance(s, str) else s.get("text", "")
                                         for s in (by_id.get(d["id"], {}).get("summary") or [])] for d in docs}
    results: dict[str, dict[str, Any]] = {}
    for name, summaries in systems.items():
        r1 = r2 = rl = 0.0
        noisy = total = 0
        for d in docs:
            ref = score.tokens(" ".join(d["lede"]))
            hyp = score.tokens(" ".join(summaries.get(d["id"], [])))
            r1 += score.rouge_n(ref, hyp, 1)
            r2 += score.rouge_n(ref, hyp, 2)
            rl += score.rouge_l(ref, hyp)
            spans = score.noise_spans(d)
            for sent in summaries.get(d["id"], []):
                total += 1
                noisy += bool(score.noisy_sentence(sent, d["text"], spans))
        n = max(1, len(docs))
        results[name] = {"rouge1": r1 / n, "rouge2": r2 / n, "rougeL": rl / n,
                         "noisy_sentences": noisy, "summary_sentences": total}
    if args.json:
        print(json.dumps({"documents": len(docs), "results": results}, indent=2))
        return 0
    print(f"documents with a lede: {len(docs)}  ({args.sentences} sentences each)")
    print(f"{'system':<10} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}  captions/credits")
    for name, r in results.items():
        print(f"{name:<10} {r['rouge1']:8.3f} {r['rouge2']:8.3f} {r['rougeL']:8.3f}  "
              f"{r['noisy_sentences']}/{r['summary_sentences']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
