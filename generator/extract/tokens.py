"""Word tokens and runs of capitalised words (name candidates), with their offsets."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

# A word: letters/digits joined by hyphens, inner dots (U.S) or inner apostrophes (Ja’afari),
# never a possessive 's.
WORD = re.compile(r"\w+(?:(?:[-.]|['’](?![sS]\b))\w+)*")

# A run of capitalised words, allowing lower-case connectors inside names ("Ministry of Defence",
# "Abu Musab al-Zarqawi") and numbers after a word ("Task Force 50", "Radio 4").
_CAP = r"(?:[A-Z][\w]*(?:(?:[-.]|['’](?![sS]\b))\w+)*\.?|[A-Z]\.)"
_CONNECT = r"(?:of|the|de|du|des|al|el|bin|ibn|van|von|der|la|le|for)"
CHUNK = re.compile(
    rf"(?<![\w'’-]){_CAP}(?:[ ](?:{_CONNECT}[ ])*(?:{_CAP}|\d+(?![\w.,]\d)))*"
)


@dataclass(frozen=True)
class Tok:
    start: int
    end: int
    text: str

    @property
    def bare(self) -> str:
        """Lower case without dots: "Gen." -> "gen", "U.S." -> "us"."""
        return self.text.lower().replace(".", "")


def words(text: str, start: int, end: int) -> list[Tok]:
    return [Tok(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, end)]


def chunk_tokens(text: str, start: int, end: int) -> list[Tok]:
    """The words of a chunk; a trailing dot belongs to the word only for abbreviations."""
    out = []
    for m in re.finditer(r"\S+", text[start:end]):
        s, e = start + m.start(), start + m.end()
        out.append(Tok(s, e, text[s:e]))
    return out


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def is_acronym(word: str) -> bool:
    w = word.replace(".", "").replace("-", "").replace("&", "")
    return 2 <= len(w) <= 8 and w.isalpha() and w.isupper()


class Words:
    """Every word of a text with its offsets, for cheap "word before / after" look-ups."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in WORD.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def before(self, pos: int, n: int = 1) -> list[tuple[int, int]]:
        """Up to ``n`` words right before ``pos``: one space between words, and a space or a
        comma and a space between the last of them and ``pos``."""
        i = bisect_right(self.ends, pos) - 1
        out: list[tuple[int, int]] = []
        edge, first = pos, True
        while i >= 0 and len(out) < n:
            s, e = self.starts[i], self.ends[i]
            between = self.text[e:edge]
            if not (between in (" ", ", ") if first else between == " "):
                break
            out.insert(0, (s, e))
            edge, first = s, False
            i -= 1
        return out

    def after(self, pos: int, gap: str = " ,") -> tuple[int, int] | None:
        """The first word starting at or after ``pos`` with only ``gap`` characters between."""
        i = bisect_left(self.starts, pos)
        if i >= len(self.starts):
            return None
        s, e = self.starts[i], self.ends[i]
        between = self.text[pos:s]
        if any(c not in gap for c in between):
            return None
        return s, e
