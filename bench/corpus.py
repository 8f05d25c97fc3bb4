"""A deterministic corpus of N realistic articles for benchmarks, made from sample articles.

Each article starts from one sample (in turn), takes its sentences, adds sentences from the other
samples until it has about ``words`` words, shuffles them (the sample's lead stays first), swaps a
few place and actor names for others from the same list, and gets a date. The same ``n`` and
samples always give the same files, so runs compare like with like.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.readers import ReadError, discover, read_file

# Names the extractor knows; swapping them varies which entities each article links to.
SWAPS = ("Syria", "Iraq", "Turkey", "Iran", "Russia", "Lebanon", "Jordan", "Yemen", "Libya", "Egypt",
         "Ukraine", "North Korea", "Saudi Arabia", "Israel", "France", "Germany", "China", "Afghanistan",
         "Mosul", "Raqqah", "Aleppo", "Baghdad", "Damascus", "Kirkuk", "Fallujah", "Ramadi", "Palmyra")
SENTENCE_RE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“\"(])")
EPOCH = dt.date(2014, 1, 1)


@dataclass(frozen=True)
class Sample:
    title: str
    sentences: tuple[str, ...]


def load_samples(folders: list[Path]) -> list[Sample]:
    samples: list[Sample] = []
    for folder in folders:
        for path, rel in discover(folder):
            try:
                doc = read_file(path, rel)
            except ReadError:
                continue
            body = " ".join(doc.text[doc.body_start:].split())
            sents = tuple(s.strip() for s in SENTENCE_RE.split(body) if len(s.split()) >= 4)
            if sents:
                samples.append(Sample(doc.title, sents))
    if not samples:
        raise SystemExit(f"no sample articles under {', '.join(map(str, folders))}")
    return samples


def _swap(text: str, table: dict[str, str]) -> str:
    if not table:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: table[m.group(1)], text)


def article(i: int, samples: list[Sample], pool: list[str], words: int = 500) -> tuple[str, str]:
    """(file name, file text) of article number ``i``."""
    rng = random.Random(f"briefing-bench-{i}")
    base = samples[i % len(samples)]
    lead, rest = base.sentences[0], list(base.sentences[1:])
    count = len(lead.split()) + sum(len(s.split()) for s in rest)
    while count < words:
        s = pool[rng.randrange(len(pool))]
        rest.append(s)
        count += len(s.split())
    rng.shuffle(rest)
    names = rng.sample(SWAPS, 6)
    table = {names[0]: names[1], names[2]: names[3], names[4]: names[5]}
    sentences = [_swap(s, table) for s in (lead, *rest)]
    paras: list[str] = []
    while sentences:
        k = rng.randint(2, 5)
        paras.append(" ".join(sentences[:k]))
        sentences = sentences[k:]
    date = EPOCH + dt.timedelta(days=(i * 7919) % 4300)
    title = _swap(base.title, table) + f" ({date:%d %B %Y})"
    front = yaml.safe_dump({"title": title, "date": date.isoformat(), "source": "Benchmark corpus"},
                           allow_unicode=True, sort_keys=False, width=10_000)
    slug = re.sub(r"[^a-z0-9]+", "-", base.title.lower()).strip("-")[:40]
    return f"b{i:05d}-{slug}.md", f"---\n{front}---\n" + "\n\n".join(paras) + "\n"


def write_corpus(dest: Path, n: int, sources: list[Path], start: int = 0) -> list[Path]:
    """Write articles ``start .. start+n-1`` into ``dest``; returns their paths."""
    samples = load_samples(sources)
    pool = [s for sample in samples for s in sample.sentences]
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        name, text = article(i, samples, pool)
        path = dest / name
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out
