"""Extractive summary: the N best body sentences, in document order.

Unsupervised scoring of each sentence from four signals: position (news leads carry the story),
centrality (similarity of its content words to the article's), density of named entities and
weapons, and length (very short lines are captions or fragments; long sentences carry more).

Only prose can be chosen: a line without a closing stop (a headline or subhead repeated in the
body) or one opening with a capitalised kicker ("THE UKRAINE WAR: ...") is a display line, not a
sentence an editor would put in a bottom line. A short article whose two best sentences already
make a full bottom line gets two, from its opening, as an editor's lede would be.
"""

from __future__ import annotations

import math
import re
from collections import _count_elements  # type: ignore[attr-defined]
from itertools import filterfalse, repeat
from operator import mul

from generator.models import Span

_WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset([
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself",
    "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on",
    "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she",
    "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "themselves",
    "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
    "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "yourself", "said", "says", "say", "mr",
    "mrs", "ms", "told", "also", "would", "could", "one", "new", "year", "years", "people", "time"
])

# Stop words and one-character words: neither counts as content.
_SKIP = STOP | frozenset("abcdefghijklmnopqrstuvwxyz0123456789")

_SKIP_BYTES = frozenset(w.encode("ascii") for w in _SKIP)
_ALNUM_ONLY = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))

W_POSITION = 1.0
W_CENTRAL = 2.2
W_ENTITY = 0.15
W_LENGTH = 1.5
# The first two sentences of prose are the news lede an editor starts from: a bonus.
W_LEAD = 0.3
LEAD_SENTENCES = 2
POSITION_DECAY = 1.2
# An article of fewer prose sentences than this whose two best sentences make BOTTOM_LINE_WORDS
# already has its bottom line: a third sentence would be a fifth of the article or more.
SHORT_ARTICLE = 12
BOTTOM_LINE_WORDS = 50
LEDE_WINDOW = 3
STANDFIRST_LINES = 3

# Prose ends with a stop, possibly inside closing quotes or brackets.
_CLOSED = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
# A kicker: a label in capitals and a colon before the headline proper.
_KICKER = re.compile(r"^\W*[A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+)*:")


def is_display_line(sentence: str) -> bool:
    """A headline, subhead or kicker line rather than a sentence of prose."""
    return not _CLOSED.search(sentence) or _KICKER.match(sentence) is not None


def choose(text: str, sentences: list[Span], candidates: list[int], entity_counts: list[int],
           n: int) -> list[int]:
    """Indexes of the chosen sentences, in document order."""
    if n <= 0 or not candidates:
        return []
    # Display lines keep their place in the count of positions (they are where the page put them)
    # but are never chosen, unless the article has nothing else to offer.
    display = {i for i in candidates if is_display_line(sentences[i].text)}
    # Plain dicts, not Counters: building a Counter per sentence cost more than the scoring.
    # Words are the runs of [a-z0-9] of the lower-cased sentence (``_WORD``), read as bytes: in
    # UTF-8 every other character is bytes >= 0x80 or ASCII punctuation, all mapped to spaces by one
    # C-level translate, so ``split`` returns exactly the runs ``_WORD.findall`` would.
    # Counted by ``_count_elements`` (the C loop behind ``Counter.update``) into plain dicts, in the
    # order words first occur, as a Python loop would.
    bags: dict[int, dict[bytes, int]] = {}
    doc: dict[bytes, int] = {}
    skip = _SKIP_BYTES.__contains__
    for i in candidates:
        bag: dict[bytes, int] = {}
        _count_elements(bag, filterfalse(skip, sentences[i].text.lower().encode("utf-8")
                                         .translate(_ALNUM_ONLY).split()))
        bags[i] = bag
        _count_elements(doc, bag)
    # A standfirst at the top that the body then says again in full is a repeated subhead.
    for i in candidates[:STANDFIRST_LINES]:
        words = bags[i].keys()
        if len(words) >= 4 and any(j > i and words <= bags[j].keys() for j in candidates):
            display.add(i)
    if len(candidates) - len(display) < min(n, len(candidates)):
        display = set()
    # Words that recur across sentences carry the topic; weight each by how many sentences use it.
    weights = {w: math.log(1 + c) for w, c in doc.items() if c > 1}
    norm_doc = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    scores: list[tuple[float, int]] = []
    weight_of = weights.get
    for rank, i in enumerate(candidates):
        bag = bags[i]
        # A word without a weight adds 0.0 (exactly nothing) to the sum, in the same order.
        dot = sum(map(mul, map(weight_of, bag, repeat(0.0)), bag.values()))
        norm_s = math.sqrt(sum(map(mul, bag.values(), bag.values()))) or 1.0
        central = dot / (norm_s * norm_doc)
        n_words = len(sentences[i].text.split())
        length = min(n_words, 35) / 35.0 if n_words >= 6 else -1.0
        position = 1.0 / (1.0 + rank) ** POSITION_DECAY + (W_LEAD if rank < LEAD_SENTENCES else 0.0)
        entity = min(entity_counts[i], 4) / 4.0
        score = W_POSITION * position + W_CENTRAL * central + W_ENTITY * entity + W_LENGTH * length
        if i not in display:
            scores.append((score, i))
    best = sorted(scores, key=lambda x: (-x[0], x[1]))[:n]
    if (len(best) > 2 and len(candidates) < SHORT_ARTICLE
            and sum(len(sentences[i].text.split()) for _, i in best[:2]) >= BOTTOM_LINE_WORDS):
        # Two sentences are the article's lede: the best two of its opening sentences of prose.
        opening = [i for i in candidates if i not in display][:LEDE_WINDOW]
        best = [x for x in sorted(scores, key=lambda x: (-x[0], x[1])) if x[1] in opening][:2]
    return sorted(i for _, i in best)
