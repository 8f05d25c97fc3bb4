"""Word tokens and runs of capitalised words (name candidates), with their offsets."""

from __future__ import annotations

import codecs
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

# A word: letters/digits joined by hyphens, inner dots (U.S) or inner apostrophes (Ja’afari),
# never a possessive 's.
WORD = re.compile(r"\w+(?:(?:[-.]|['’](?![sS]\b))\w+)*")

_PLAIN_WORD = re.compile(r"\w+(?:[-.’']\w+)*")
# The same words as one capturing group, so ``split`` returns gaps and words alternately and
# their offsets come from summing lengths in C, without a match object per word.
_PLAIN_SPLIT = re.compile(r"(\w+(?:[-.’']\w+)*)")

# A run of capitalised words, allowing lower-case connectors inside names ("Ministry of Defence",
# "Abu Musab al-Zarqawi") and numbers after a word ("Task Force 50", "Radio 4").
_CAP = r"(?:[A-Z][\w]*(?:(?:[-.]|['’](?![sS]\b))\w+)*\.?|[A-Z]\.)"
_CONNECT = r"(?:of|the|de|du|des|al|el|bin|ibn|van|von|der|la|le|for)"
# The look-ahead for a capital lets the engine skip most positions before trying the look-behind.
CHUNK = re.compile(
    rf"(?=[A-Z])(?<![\w'’-]){_CAP}(?:[ ](?:{_CONNECT}[ ])*(?:{_CAP}|\d+(?![\w.,]\d)))*"
)


class Tok:
    """One word of a chunk. ``bare`` is its lower case without dots: "Gen." -> "gen", "U.S." -> "us".

    A plain slotted class, not a dataclass: chunks make thousands of these per article and
    ``bare`` is read several times each, so it is computed once here.
    """

    __slots__ = ("bare", "end", "start", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.bare = text.lower().replace(".", "")

    def __repr__(self) -> str:
        return f"Tok({self.start}, {self.end}, {self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tok) and (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))


def words(text: str, start: int, end: int) -> list[Tok]:
    return [Tok(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, end)]


def chunk_tokens(text: str, start: int, end: int) -> list[Tok]:
    """The words of a chunk (a :data:`CHUNK` match); a trailing dot belongs to the word only for
    abbreviations. A chunk's words are joined by single spaces, so splitting on them gives the
    words ``\\S+`` would find, with their offsets, without a match object per word."""
    out: list[Tok] = []
    pos = start
    for w in text[start:end].split(" "):
        out.append(Tok(pos, pos + len(w), w))
        pos += len(w) + 1
    return out


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def is_acronym(word: str) -> bool:
    w = word.replace(".", "").replace("-", "").replace("&", "")
    return 2 <= len(w) <= 8 and w.isalpha() and w.isupper()


def _class_of_unencodable(exc: UnicodeError) -> tuple[str, int]:
    """Encoding error handler for :func:`word_bounds`: one Latin-1 character per character beyond
    Latin-1, of the same class for ``_PLAIN_WORD`` (a word character, the joiner ’, or neither)."""
    assert isinstance(exc, UnicodeEncodeError)
    chunk = exc.object[exc.start:exc.end]
    # A decimal digit becomes "0" (a word byte like "a"), so digits stay findable (Words.latin).
    return "".join("0" if c.isdecimal() else "a" if c.isalnum() or c == "_" else "'" if c == "’" else " "
                   for c in chunk), exc.end


codecs.register_error("briefing-word-class", _class_of_unencodable)

# Latin-1 byte -> its class: b"a" a word character (``\w``: alphanumeric or "_"), b"j" a joiner
# of ``_PLAIN_WORD`` ("-", ".", "'"), b" " anything else.
_CLASS = bytes(ord("a") if chr(b).isalnum() or chr(b) == "_" else ord("j") if chr(b) in "-.'" else ord(" ")
               for b in range(256))
_GAPS = bytes.maketrans(b"a ", b" a")


def word_bounds(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of every ``_PLAIN_WORD`` match of ``text``, in order.

    The same words as ``_PLAIN_SPLIT.split(text)`` (kept as the definition; a property test holds
    them equal), found without the regex engine, whose cost per word (about 0.5 us) made this the
    largest single pass of an article. Each character becomes one byte naming its class; a joiner
    between two word characters is part of the word (the pattern's ``[-.’']\\w+`` repeats); words
    are then the runs of word bytes, and their lengths and the gaps' come from two C-level splits.
    """
    return _bounds(latin_view(text))


def latin_view(text: str) -> bytes:
    """``text`` as one Latin-1 byte a character, for scans by byte class. Characters beyond Latin-1
    become one of their class: "0" a decimal digit (so ASCII digits here are exactly ``\\d`` there),
    "a" another word character, "'" the joiner ’, " " anything else. ASCII letters are themselves."""
    # Common punctuation beyond Latin-1 first, by class (’ joins words, the others do not), so the
    # error handler above is called only for the rest (names in other scripts, rare signs).
    t = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("–", " ").replace("—", " ")
    return t.encode("latin-1", "briefing-word-class")


def _bounds(latin: bytes) -> tuple[list[int], list[int]]:
    cls = latin.translate(_CLASS)
    while b"aja" in cls:  # a joiner turned word byte never borders another joiner: no false joins
        cls = cls.replace(b"aja", b"aaa")
    cls = cls.replace(b"j", b" ")
    words = list(map(len, cls.split()))
    if not words:
        return [], []
    gaps = list(map(len, cls.translate(_GAPS).split()))
    if cls[0] == ord("a"):
        gaps.insert(0, 0)
    if cls[-1] == ord("a"):
        gaps.append(0)
    lengths = [0] * (len(gaps) + len(words))  # gap, word, gap, ..., word, gap: as the regex split gives
    lengths[0::2] = gaps
    lengths[1::2] = words
    bounds = list(accumulate(lengths, initial=0))
    return bounds[1:-1:2], bounds[2::2]


def occurrences(text: str, sub: str) -> list[int]:
    """Every offset where ``sub`` occurs in ``text`` (overlapping ones too), in order: ``str.find``
    in a loop, which the extraction's scans use to try a pattern only where it can start."""
    out: list[int] = []
    i = text.find(sub)
    while i >= 0:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


class Words:
    """Every word of a text with its offsets, for cheap "word before / after" look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Kept for the finders that scan by byte class (digits and capitals, in weapons.py).
        self.latin = latin_view(text)
        self.starts, self.ends = _bounds(self.latin)

    def before(self, pos: int, n: int = 1) -> list[tuple[int, int]]:
        """Up to ``n`` words right before ``pos``: one space between words, and a space or a
        comma and a space between the last of them and ``pos`` (:meth:`word_before`)."""
        last = self.word_before(pos)
        if last is None:
            return []
        out = [last]
        i = bisect_right(self.ends, last[0]) - 1
        edge = last[0]
        while i >= 0 and len(out) < n:
            s, e = self.starts[i], self.ends[i]
            if self.text[e:edge] != " ":
                break
            out.insert(0, (s, e))
            edge = s
            i -= 1
        return out

    def word_before(self, pos: int) -> tuple[int, int] | None:
        """The word right before ``pos``, with a space or a comma and a space between; ``before(pos)``'s
        one word, without building a list (asked for around every name of an article)."""
        i = bisect_right(self.ends, pos) - 1
        if i < 0:
            return None
        e = self.ends[i]
        return (self.starts[i], e) if self.text[e:pos] in (" ", ", ") else None

    def after(self, pos: int, gap: str = " ,") -> tuple[int, int] | None:
        """The first word starting at or after ``pos`` with only ``gap`` characters between."""
        i = bisect_left(self.starts, pos)
        if i >= len(self.starts):
            return None
        s, e = self.starts[i], self.ends[i]
        if self.text[pos:s].strip(gap):  # something besides gap characters between
            return None
        return s, e
