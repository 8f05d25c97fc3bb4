"""How safe is the shortcut in generator/readers/language.py: ``clearly_english`` against the model.

    .venv/bin/python bench/english_check.py --english bench/out/n5000/content \
        --english ../shared/corpus/bbc-politics-dev.jsonl
    .venv/bin/python bench/english_check.py --english DIR --mix 40   # also 40 texts mixed with foreign text

``detect`` answers "en" without asking py3langid when ``clearly_english`` says yes; that is only
right if the model would have answered "en" (or not been confident) too. This script checks it:

1. every English text given (``*.md``/``*.txt``/``*.html`` files under a folder, front matter
   dropped, or the ``text`` field of JSON lines): the share the shortcut takes, and every text it
   takes that the model calls another language (there must be none);
2. with ``--mix N``: N of those texts, each mixed with text in every language found in the system's
   gettext catalogues (/usr/share/locale/*/LC_MESSAGES/*.mo, 100+ languages), the foreign share of
   the 1,200-character sample from 3% to 100%, as a block before or after the English or
   interleaved in 3 or 6 pieces. Reported: how many mixes the shortcut takes although the model
   names another language, by arrangement, and the least foreign share among them.
"""

from __future__ import annotations

import argparse
import gettext
import glob
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.readers.language import (  # noqa: E402
    MIN_CONFIDENCE,
    SAMPLE_CHARS,
    _enough_letters,
    _identifier,
    clearly_english,
)

FRONT = re.compile(r"\A---.*?^---\r?\n", re.S | re.M)
SHARES = (0.03, 0.06, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1.0)


def english_texts(sources: list[Path]) -> list[str]:
    out: list[str] = []
    for src in sources:
        if src.is_dir():
            for p in sorted(src.rglob("*")):
                if p.suffix in (".md", ".txt", ".html") and p.is_file():
                    out.append(FRONT.sub("", p.read_text(encoding="utf-8", errors="replace"), count=1))
        else:
            out.extend(json.loads(line)["text"] for line in src.read_text(encoding="utf-8").splitlines() if line)
    return out


def foreign_texts(min_chars: int = 3000) -> dict[str, str]:
    """Translated messages of every gettext catalogue on the system, joined, per language."""
    out: dict[str, str] = {}
    for folder in sorted(glob.glob("/usr/share/locale/*/LC_MESSAGES")):
        lang = folder.split("/")[4]
        if lang.startswith("en"):
            continue
        chunks: list[str] = []
        for mo in sorted(glob.glob(folder + "/*.mo")):
            try:
                with open(mo, "rb") as fh:
                    catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
            except Exception:
                continue
            chunks.extend(v for k, v in catalog.items() if isinstance(v, str) and len(v) > 40 and v != k)
        text = re.sub(r"\s+", " ", " ".join(chunks))
        if len(text) >= min_chars:
            out[lang] = text[:60000]
    return out


def model(sample: str) -> str:
    lang, conf = _identifier().classify(sample)
    return str(lang) if conf >= MIN_CONFIDENCE else "en"


def mixes(english: str, foreign: str, share: float) -> dict[str, str]:
    nf = int(SAMPLE_CHARS * share)
    ne = SAMPLE_CHARS - nf
    e, f = english[:ne], foreign[:nf]
    out = {"foreign first": f + " " + e, "foreign last": e + " " + f}
    for k in (3, 6):
        ep = [e[i:i + max(1, ne // k)] for i in range(0, len(e), max(1, ne // k))]
        fp = [f[i:i + max(1, nf // k)] for i in range(0, len(f), max(1, nf // k))]
        out[f"interleaved x{k}"] = " ".join(a + " " + b for a, b in zip(fp, ep, strict=False))
    return {k: v[:SAMPLE_CHARS] for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--english", type=Path, action="append", required=True, help="folder or JSON lines")
    ap.add_argument("--mix", type=int, default=0, help="mix this many English texts with foreign text")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    texts = english_texts(args.english)
    samples = [t[:SAMPLE_CHARS] for t in texts if _enough_letters(t[:SAMPLE_CHARS])]
    taken = [s for s in samples if clearly_english(s)]
    wrong = [s for s in taken if model(s) != "en"]
    print(f"English texts: {len(samples)}; the shortcut takes {len(taken)} ({len(taken) / max(1, len(samples)):.0%}); "
          f"of those the model calls another language: {len(wrong)}")
    for s in wrong[:5]:
        print(f"  {model(s)}: {s[:100]!r}")
    if not args.mix:
        return

    rng = random.Random(args.seed)
    long = [t for t in texts if len(t) >= SAMPLE_CHARS + 300]
    foreign = foreign_texts()
    counts: dict[str, int] = defaultdict(int)
    bad: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for english in rng.sample(long, min(args.mix, len(long))):
        for text in foreign.values():
            start = rng.randrange(0, max(1, len(text) - 2000))
            for share in SHARES:
                for how, sample in mixes(english, text[start:start + 2000], share).items():
                    if not clearly_english(sample):
                        continue
                    counts[how] += 1
                    verdict = model(sample)
                    if verdict != "en":
                        bad[how].append((share, verdict))
    print(f"mixes of {min(args.mix, len(long))} English texts with {len(foreign)} languages, foreign share "
          f"{SHARES[0]:.0%}-{SHARES[-1]:.0%} of the sample:")
    for how in ("foreign first", "foreign last", "interleaved x3", "interleaved x6"):
        b = bad.get(how, [])
        least = (f"; least foreign share among them {min(s for s, _ in b):.0%}; languages "
                 f"{', '.join(sorted({v for _, v in b}))}") if b else ""
        print(f"  {how:15} taken by the shortcut {counts[how]:6}, of which the model names another language "
              f"{len(b):4}{least}")


if __name__ == "__main__":
    main()
