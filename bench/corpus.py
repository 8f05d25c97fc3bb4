"""A deterministic corpus of N realistic articles for benchmarks: events, each told by several outlets.

Articles come in events of 2 to 6 reports (sizes drawn from a seeded generator). An event starts from
one sample article (in turn), takes its sentences and sentences borrowed from the other samples until
it has about ``words`` words, and swaps a few place and actor names for others from the same list,
once for the whole event. Each report of it is published by another outlet of the knowledge base's
table (``source`` and ``url`` front matter), dated within a few days of the event, and tells it in
its own order, dropping a few of the event's sentences and borrowing a few of its own. Some events
are wire stories: the first report is an agency's, carrying its credit, and some of the other
outlets carry that text unchanged (wire copies). The same ``n``, samples and seed always give the
same files, so runs compare like with like; article ``i`` is the same whatever ``n`` is.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
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


SEED = "briefing-bench"
EVENT_SIZES = (2, 3, 3, 4, 4, 5, 6)  # reports of one event, drawn in turn from a seeded generator
EVENT_DAYS = 4  # reports of one event are dated within this many days of its first
WIRE_EVENTS = 0.3  # the share of events first reported by a wire agency
WIRE_COPIES = 0.5  # of the other reports of a wire event, the share that carry the agency's text unchanged
DROPPED = 3  # of the event's borrowed sentences, how many each report leaves out
OWN = 3  # sentences each report borrows on its own
OUTLETS_YAML = Path(__file__).resolve().parent.parent / "generator" / "kb" / "data" / "outlets.yaml"


@dataclass(frozen=True)
class Outlet:
    name: str
    kind: str
    domain: str


@functools.cache
def outlets() -> tuple[Outlet, ...]:
    """The outlets of the knowledge base's table that have a web domain, in the table's order."""
    data = yaml.safe_load(OUTLETS_YAML.read_text(encoding="utf-8"))
    return tuple(Outlet(e["name"], e["kind"], e["domains"][0]) for e in data["entries"] if e.get("domains"))


_sizes: dict[str, tuple[random.Random, list[int]]] = {}  # seed -> its generator, the events' first articles


def event_of(i: int, seed: str = SEED) -> tuple[int, int, int]:
    """(event number, this article's place in it, the event's number of reports) of article ``i``."""
    # One generator draws the sizes in turn, extended as far as asked: the same events for any n.
    rng, starts = _sizes.setdefault(seed, (random.Random(f"{seed}-sizes"), [0]))
    while starts[-1] <= i:
        starts.append(starts[-1] + EVENT_SIZES[rng.randrange(len(EVENT_SIZES))])
    e = bisect.bisect_right(starts, i) - 1
    return e, i - starts[e], starts[e + 1] - starts[e]


@dataclass(frozen=True)
class Event:
    title: str
    date: dt.date
    lead: str
    sentences: tuple[str, ...]
    outlets: tuple[Outlet, ...]  # one per report, the first the agency's on a wire event
    wire: bool
    copies: frozenset[int]  # places of the reports that carry the first report's text unchanged


def _event(e: int, size: int, samples: list[Sample], pool: list[str], words: int, seed: str) -> Event:
    rng = random.Random(f"{seed}-event-{e}")
    base = samples[e % len(samples)]
    lead, rest = base.sentences[0], list(base.sentences[1:])
    count = len(lead.split()) + sum(len(s.split()) for s in rest)
    while count < words:
        s = pool[rng.randrange(len(pool))]
        rest.append(s)
        count += len(s.split())
    names = rng.sample(SWAPS, 6)
    table = {names[0]: names[1], names[2]: names[3], names[4]: names[5]}
    date = EPOCH + dt.timedelta(days=(e * 7919) % 4300)
    wire = rng.random() < WIRE_EVENTS
    agencies = [o for o in outlets() if o.kind == "wire agency"]
    others = [o for o in outlets() if o.kind != "wire agency"]
    if wire:
        chosen = (agencies[rng.randrange(len(agencies))], *rng.sample(others, size - 1))
    else:
        chosen = tuple(rng.sample(outlets(), size))
    copies = frozenset(k for k in range(1, size) if wire and rng.random() < WIRE_COPIES)
    return Event(_swap(base.title, table), date, _swap(lead, table), tuple(_swap(s, table) for s in rest),
                 chosen, wire, copies)


def _report_text(ev: Event, rng: random.Random, pool: list[str]) -> list[str]:
    rest = list(ev.sentences)
    for _ in range(min(DROPPED, len(rest) - 1)):
        rest.pop(rng.randrange(len(rest)))
    rest += [pool[rng.randrange(len(pool))] for _ in range(OWN)]
    rng.shuffle(rest)
    lead = ev.lead
    if ev.wire:
        # The agency's dateline credit, as its copies keep it.
        lead = f"({ev.outlets[0].name}) - {lead}"
    return [lead, *rest]


def article(i: int, samples: list[Sample], pool: list[str], words: int = 500, seed: str = SEED) -> tuple[str, str]:
    """(file name, file text) of article number ``i``."""
    e, place, size = event_of(i, seed)
    ev = _event(e, size, samples, pool, words, seed)
    # A wire copy is the agency's report word for word: the same generator, so the same text.
    shown = 0 if place in ev.copies else place
    rng = random.Random(f"{seed}-{e}-{shown}")
    sentences = _report_text(ev, rng, pool)
    paras: list[str] = []
    while sentences:
        k = rng.randint(2, 5)
        paras.append(" ".join(sentences[:k]))
        sentences = sentences[k:]
    date = ev.date + dt.timedelta(days=random.Random(f"{seed}-date-{i}").randrange(EVENT_DAYS) if place else 0)
    outlet = ev.outlets[place]
    slug = re.sub(r"[^a-z0-9]+", "-", ev.title.lower()).strip("-")[:40]
    title = ev.title + f" ({date:%d %B %Y})"
    url = f"https://{outlet.domain}/{date:%Y/%m/%d}/{slug}-{i}"
    front = yaml.safe_dump({"title": title, "date": date.isoformat(), "source": outlet.name, "url": url},
                           allow_unicode=True, sort_keys=False, width=10_000)
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
