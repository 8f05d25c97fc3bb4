"""Claims: who says what. Pure: the text, its sentences and its actors in, claims out.

A claim is a sentence with an attribution cue ("said", "told", "according to", "denied"...) and
the speaker the cue attributes it to. The speaker is the noun phrase next to the cue: before it
("South Korea's Joint Chiefs of Staff said"), after it when inverted (", said Mr Lee"; "according
to state media"), or a pronoun ("he said") resolved to the nearest person named before. A speaker
whose phrase ends with an actor's mention is that actor ("Russian President Vladimir Putin" is
Vladimir Putin); an unnamed one ("US officials", "a senior South Korean official") is kept as
written. The claim is direct when the sentence quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.models import Actor, Claim, Span, Speaker


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verb cues, every form a news sentence uses, mapped to the form shown.
_CUES: dict[str, str] = {}
for _base, _forms in {
    "said": "said says say", "told": "told tells tell", "claimed": "claimed claims",
    "alleged": "alleged alleges", "denied": "denied denies deny", "warned": "warned warns",
    "confirmed": "confirmed confirms", "announced": "announced announces", "reported": "reported reports",
    "added": "added adds", "stated": "stated states", "insisted": "insisted insists",
    "declared": "declared declares", "accused": "accused accuses", "wrote": "wrote writes",
    "tweeted": "tweeted tweets", "acknowledged": "acknowledged acknowledges", "admitted": "admitted admits",
    "blamed": "blamed blames", "condemned": "condemned condemns", "quoted": "quoted quotes",
    "cited": "cited cites", "called": "called calls",
}.items():
    for _f in _forms.split():
        _CUES[_f] = _base
_CUE_RE = re.compile(r"\b(" + "|".join(sorted(_CUES, key=len, reverse=True)) + r")\b|\b[Aa]ccording to\b")

# Lowercase words a speaker phrase may hold: heads ("officials", "ministry") and modifiers.
_HEADS = _words("""
officials official ministry ministries source sources spokesman spokeswoman spokesperson media
television tv agency agencies government military army navy police authorities authority analysts
analyst experts expert diplomats diplomat statement reports witnesses residents activists observers
monitor minister president leader commander chief chiefs staff office department council embassy
command forces administration daily newspaper broadcaster radio arm secretary ambassador envoy
general coalition party aides aide adviser advisers lawmakers lawmaker legislators spokespeople
prosecutors investigators rebels militants insurgents group groups organisation organization
service services broadcast outlet outlets channel website premier
""")
_MODIFIERS = _words("""
state state-run state-controlled state-owned senior top local foreign defense defence news two three
four five several some many other western independent intelligence security official unnamed
anonymous national regional federal provincial presidential military government interior prime
deputy former chief spokesman media
""")
_LINKS = frozenset(["of", "the", "for", "and", "'s", "’s"])
# Capitalised words that open a sentence or clause without naming anyone.
_NOT_NAMES = _words("""
The A An But And Meanwhile However On In At Earlier Later Also This That These Those It Its He She
They We I You Yesterday Today Monday Tuesday Wednesday Thursday Friday Saturday Sunday When While
After Before As If Then There Here Now Still Yet So Some Many Most Other Another Both Each Every
Separately Instead Finally First Last Next Since Though Although Because Despite During Under Over
According Photo Image Video Read Watch Advertisement Its Their His Her Our
""")
# Titles written with a full stop inside a name ("Maj. Gen. Abbas Ibrahim", "Mr. Trump").
_TITLES = _words("Mr Mrs Ms Dr Maj Gen Lt Col Sgt Capt Adm Brig Cmdr Sen Rep Gov Prof St Pres")
# Heads that name a person: "the president said" is the person named nearest before.
_PERSON_HEADS = _words("""
president minister leader commander chief secretary ambassador envoy general premier spokesman
spokeswoman spokesperson aide adviser
""")
_PRONOUNS = frozenset(["he", "she"])  # "it said" is left out: its antecedent is too often wrong
# Between a speaker and its cue: "has", "also", "later", "on Tuesday"...
_BETWEEN = re.compile(r"(?:\s+(?:has|have|had|also|later|earlier|previously|further|again|then|"
                      r"reportedly|officially|publicly|separately|repeatedly|quickly|would|will|"
                      r"once|first|recently|already|initially|flatly|strongly|in\s+a\s+statement|"
                      r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
                      r"on\s+[A-Z][a-z]+\.?\s+\d{1,2}|\([A-Z][A-Za-z]{1,9}\)))*\s+$")
# A word, with inner dots ("U.S", "D") but not the full stop after it, or a lone possessive.
_TOKEN = re.compile(r"[A-Za-z](?:[A-Za-z\-]|\.(?=[A-Za-z]))*(?:['’]s)?|['’]s")
_INITIAL = re.compile(r"(?:[A-Z]\.)*[A-Z]")  # "U.S", "D": its dot may stand between words
_PARTICLE = re.compile(r"(?:al|el|ad|ash|bin|ibn|de|van|von|da|di|le|la)(?:-[A-Z].*)?")
_QUOTE = re.compile(r"[\"“”]|(?:^|\s)['‘][A-Z]")
_INVERTED_AFTER = re.compile(r"[,\"”'’]\s*$")
_DETERMINER = re.compile(r"^(?:the|a|an)\s+", re.I)


@dataclass(frozen=True)
class _Phrase:
    start: int
    end: int


def _speakerish(word: str) -> bool:
    bare = re.sub(r"['’]s$", "", word)
    if not bare:
        return True  # a lone possessive
    if bare[0].isupper():
        return bare not in _NOT_NAMES or bare in ("The", "A", "An")
    if _PARTICLE.fullmatch(bare):  # "al-Masirah", "bin Salman"
        return True
    low = bare.lower()
    return low in _HEADS or low in _MODIFIERS or low in _LINKS or low in ("a", "an")


def _is_name(words: str) -> bool:
    """Whether every word is capitalised ("Hamad Hassan", "Maj. Gen. Abbas Ibrahim")."""
    tokens = words.split()
    return 0 < len(tokens) <= 6 and all(t[:1].isupper() and t.rstrip(".") not in _NOT_NAMES for t in tokens)


def _joined(gap: str, left: str) -> bool:
    """Whether two words with ``gap`` between them can stand in one name ("U.S. officials")."""
    gap = gap.strip(" ")
    return gap == "" or (gap == "." and (_INITIAL.fullmatch(left) is not None or left in _TITLES))


def _trim(text: str, tokens: list[re.Match[str]]) -> _Phrase | None:
    """The speaker phrase among ``tokens`` (a run of speaker-like words): without leading links
    and sentence openers, ending on a name or a head noun."""
    while tokens and (tokens[0].group().lower() in _LINKS - {"the"} or (tokens[0].group() in _NOT_NAMES
                      and tokens[0].group() not in ("The", "A", "An"))):
        tokens = tokens[1:]
    while tokens and tokens[-1].group().lower() in _LINKS | {"a", "an"}:
        tokens = tokens[:-1]
    if not tokens:
        return None
    last = re.sub(r"['’]s$", "", tokens[-1].group())
    if not last or not (last[0].isupper() or last.lower() in _HEADS):
        return None
    words = [t.group() for t in tokens if t.group().lower() not in ("the", "a", "an")]
    if not words:
        return None
    return _Phrase(tokens[0].start(), tokens[-1].end())


def _before(text: str, lo: int, at: int) -> _Phrase | None:
    """The speaker phrase ending just before ``at`` (after optional "has", "also"...)."""
    window = text[max(lo, at - 160):at]
    gap = _BETWEEN.search(window)
    if gap is None:
        return None
    end = at - len(window) + gap.start()
    head = text[max(lo, at - 160):end]
    base = end - len(head)
    # "X, the foreign minister, said" / "the health minister, Hamad Hassan, said": of the two,
    # the speaker is the one written as a name.
    appositive = re.search(r",\s+([^,]{2,80}),$", head)
    if appositive:
        inner = appositive.group(1)
        if not _is_name(inner):
            head = head[:appositive.start()]
        else:
            base += appositive.start(1)
            head = inner
    if head.rstrip() != head:
        return None
    tokens = list(_TOKEN.finditer(head))
    run: list[re.Match[str]] = []
    pos = len(head)
    for t in reversed(tokens):
        if not _joined(head[t.end():pos], t.group()) or not _speakerish(t.group()):
            break
        run.insert(0, t)
        pos = t.start()
    phrase = _trim(head, run)
    if phrase is None:
        return None
    return _Phrase(base + phrase.start, base + phrase.end)


def _after(text: str, at: int, hi: int) -> _Phrase | None:
    """The speaker phrase starting just after ``at`` ("according to X", ", said X")."""
    window = text[at:min(hi, at + 160)]
    lead = len(window) - len(window.lstrip())
    tokens = list(_TOKEN.finditer(window))
    run: list[re.Match[str]] = []
    pos = lead
    for i, t in enumerate(tokens):
        if (i and not _joined(window[pos:t.start()], tokens[i - 1].group())) or not _speakerish(t.group()):
            break
        run.append(t)
        pos = t.end()
    phrase = _trim(window, run)
    if phrase is None:
        return None
    return _Phrase(at + phrase.start, at + phrase.end)


def _pronoun(text: str, lo: int, at: int, after: bool) -> tuple[int, int, str] | None:
    if after:
        m = re.match(r"\s+(he|she)\b", text[at:])
        return (at + m.start(1), at + m.end(1), m.group(1).lower()) if m else None
    m = re.search(r"\b(he|she|He|She)" + _BETWEEN.pattern, text[max(lo, at - 60):at])
    if not m:
        return None
    base = max(lo, at - 60)
    return (base + m.start(1), base + m.end(1), m.group(1).lower())


def find_claims(text: str, sentences: Sequence[Span], actors: Sequence[Actor]) -> tuple[Claim, ...]:
    """Every attributed statement of ``text``, in text order, one a cue."""
    mentions = sorted(((m.span.start, m.span.end, a) for a in actors for m in a.mentions),
                      key=lambda x: (x[0], -x[1]))
    out: list[Claim] = []
    for sentence in sentences:
        lo, hi = sentence.start, sentence.end
        direct = bool(_QUOTE.search(sentence.text))
        for m in _CUE_RE.finditer(text, lo, hi):
            word = m.group(1)
            cue = _CUES[word] if word else "according to"
            if word and m.start() > lo and text[m.start() - 1] == "-":
                continue  # "self-reported", "much-said"
            phrase: _Phrase | None
            if word is None:
                phrase = _after(text, m.end(), hi)
            else:
                phrase = _before(text, lo, m.start())
                if phrase is None and cue in ("said", "told", "added", "warned", "stated", "wrote",
                                              "confirmed", "announced", "reported", "insisted") \
                        and _INVERTED_AFTER.search(text[lo:m.start()]):
                    phrase = _after(text, m.end(), hi)
            speakers: list[Speaker] = []
            if phrase is not None:
                for part in _conjuncts(text, phrase):
                    speaker = _resolve(text, part, mentions)
                    if speaker is not None:
                        speakers.append(speaker)
            else:
                pron = _pronoun(text, lo, m.start() if word else m.end(), after=word is None
                                or bool(_INVERTED_AFTER.search(text[lo:m.start()])))
                speaker = _antecedent(text, pron, mentions) if pron is not None else None
                if speaker is not None:
                    speakers.append(speaker)
            out.extend(Claim(sp, cue, sentence, direct) for sp in speakers)
    return tuple(out)


def _conjuncts(text: str, phrase: _Phrase) -> list[_Phrase]:
    """"Iranian state television and three Iraqi officials" is two speakers."""
    parts: list[_Phrase] = []
    start = phrase.start
    for m in re.finditer(r"\s+and\s+", text[phrase.start:phrase.end]):
        parts.append(_Phrase(start, phrase.start + m.start()))
        start = phrase.start + m.end()
    parts.append(_Phrase(start, phrase.end))
    out = []
    for p in parts:
        words = text[p.start:p.end].split()
        last = re.sub(r"['’]s$", "", words[-1]) if words else ""
        if not last or not (last[:1].isupper() or last.lower() in _HEADS):
            return [phrase]  # "Defence and Security Committee": one name
        out.append(p)
    return out


def _resolve(text: str, phrase: _Phrase, mentions: list[tuple[int, int, Actor]]) -> Speaker | None:
    written = text[phrase.start:phrase.end]
    plain = re.sub(r"['’]s$", "", written)
    end = phrase.start + len(plain)
    # The actor whose mention ends the phrase is the speaker; an actor named earlier in it only
    # qualifies the head ("South Korea's Joint Chiefs of Staff", "US officials").
    for start, stop, actor in mentions:
        if phrase.start <= start and stop == end:
            return Speaker(actor.id, actor.name, written, phrase.start, phrase.end)
    name = _DETERMINER.sub("", plain).strip()
    if not name:
        return None
    last = name.split()[-1]
    if len(name.split()) == 1 and last.lower() in _PERSON_HEADS:
        # "the president said": the person named nearest before.
        near = _nearest(mentions, phrase.start, ("person",))
        if near is not None:
            return Speaker(near.id, near.name, written, phrase.start, phrase.end)
    if last[:1].isupper():
        # "Mrs May", "Mr. Trump": a person actor known by that surname.
        for _start, _stop, actor in mentions:
            if actor.type == "person" and len(actor.name.split()) > 1 and actor.name.split()[-1] == last:
                return Speaker(actor.id, actor.name, written, phrase.start, phrase.end)
    return Speaker(None, name, written, phrase.start, phrase.end)


def _nearest(mentions: list[tuple[int, int, Actor]], before: int, types: tuple[str, ...],
             reach: int = 600) -> Actor | None:
    best = None
    for start, _stop, actor in mentions:
        if start >= before:
            break
        if actor.type in types and before - start <= reach:
            best = actor
    return best


def _antecedent(text: str, pron: tuple[int, int, str], mentions: list[tuple[int, int, Actor]]) -> Speaker | None:
    start, end, word = pron
    actor = _nearest(mentions, start, ("person",)) if word in _PRONOUNS else None
    if actor is None:
        return None
    return Speaker(actor.id, actor.name, text[start:end], start, end)
