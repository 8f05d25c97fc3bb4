"""Which language an article is written in, as an ISO 639-1 code.

Extraction reads English only, so an article in another language is flagged on its record and its
page rather than mined for English names it does not hold. py3langid's bundled model classifies
without a network or a download. Only a confident verdict on enough text overrides the default
"en": a short or mixed text (a headline, a list of names) stays "en" instead of being flagged at
random.

Most articles are plainly English, and the model costs time per article and more to load (numpy
and the model file) in each process. So a cheap test runs first
(:func:`clearly_english`): when English function words run through every part of the sample, the
text is English and the model is neither asked nor loaded. Anything else (other languages, mixed or
short texts, lists of names) goes to the model as before. ``bench/english_check.py`` measures the
test against the model on English articles and on English mixed with text in 124 other languages:
it never took a text the model calls another language when the foreign text was one block before
or after the English; foreign text interleaved every couple of lines, 30% of the sample or more,
did pass as English (8 of some 23,000 interleaved mixes it took).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from array import array
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger("briefing")

DEFAULT = "en"
MIN_LETTERS = 40  # below this the model's verdict is close to a guess
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 1200  # a thousand characters settle the language; more only costs time
_CODE = re.compile(r"^[a-z]{2}$")

# English function words that are rare in other languages' text ("of", "in", "a", "on", "is", "to"
# are common words elsewhere too, so they are left out).
ENGLISH = frozenset((
    "the", "and", "that", "with", "was", "were", "by", "from", "has", "have", "had", "been", "will", "would",
    "which", "who", "this", "these", "those", "their", "they", "his", "its", "are", "not", "but", "said",
    "after", "about", "into", "than", "there", "when", "what", "also", "more", "other", "between", "could",
    "should", "such", "our", "only", "some", "being", "both", "while", "because", "during", "against",
))
MIN_WORDS = 30  # fewer words than this: the test abstains and the model decides
MIN_SHARE = 0.15  # of the sample's words, these function words; English news has 0.2 on average
PARTS = 6  # the sample's words in this many consecutive parts, ...
MIN_PART_SHARE = 0.05  # ... each with at least this share of them (a foreign block has none)
MAX_EXTRA_BYTES = 0.03  # UTF-8 bytes beyond one per character, per character: other scripts
_WORD = re.compile(r"[^\W\d_]+")
_TYPO = re.compile("[\u00a0\u2000-\u206f]")  # no-break space and the General Punctuation block
_TYPO_EXTRA = {chr(c): len(chr(c).encode("utf-8")) - 1 for c in (0xA0, *range(0x2000, 0x2070))}


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    try:
        ptc, pc, classes, nextmove, row, output = _unpacked(MODEL_DIR / MODEL_FILE, model_folder())
        return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.debug("language model: reading the packed file (%s)", exc)
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def model_folder() -> Path:
    """Where py3langid's model is kept unpacked: the user's cache folder, shared by every project."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "briefing-site"


_ARRAYS = ("ptc", "pc", "nextmove", "row", "output")


def _unpacked(packed: Path, folder: Path) -> tuple[Any, Any, list[str], array, array, list[int]]:
    """The model as ``from_model_file`` reads it, from plain ``.npy`` files made on first use.

    py3langid ships its model LZMA-compressed, and unpacking it was most of the start of every process
    that met a text the cheap test could not settle (each extraction worker of a cold build). Kept
    unpacked (68 MB), its largest table is mapped rather than read.
    The folder is named by a hash of the packed file, written whole under another name and then
    renamed, and read without pickle; anything unreadable falls back to the packed file.
    """
    import numpy as np
    from py3langid.modelio import load_model

    data = packed.read_bytes()
    here = folder / f"langid-{hashlib.sha256(data).hexdigest()[:16]}"
    if not (here / "classes.json").is_file():
        ptc, pc, classes, nextmove, row, output = load_model(packed)
        tmp = folder / f".tmp-langid-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for name, value in zip(_ARRAYS, (ptc, pc, _numpy(nextmove), _numpy(row), np.asarray(output, np.int64)),
                               strict=True):
            np.save(tmp / f"{name}.npy", value, allow_pickle=False)
        (tmp / "classes.json").write_text(json.dumps(classes), encoding="utf-8")  # written last: the folder is whole
        try:
            os.replace(tmp, here)
        except OSError:  # another process got there first
            shutil.rmtree(tmp, ignore_errors=True)
        return ptc, pc, classes, nextmove, row, output
    try:
        got = {n: np.load(here / f"{n}.npy", mmap_mode="r" if n == "ptc" else None, allow_pickle=False)
               for n in _ARRAYS}
        classes = json.loads((here / "classes.json").read_text(encoding="utf-8"))
        if not (isinstance(classes, list) and all(isinstance(c, str) for c in classes)
                and got["ptc"].ndim == 2 and got["ptc"].shape[1] == len(classes) == len(got["pc"])):
            raise ValueError(f"{here}: not the model's shape")
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(here, ignore_errors=True)  # unpacked again next time
        raise
    return (got["ptc"], got["pc"], classes, _stdlib(got["nextmove"]), _stdlib(got["row"]),
            got["output"].tolist())


def _numpy(a: array) -> Any:
    import numpy as np

    return np.frombuffer(a, dtype={"H": np.uint16, "I": np.uint32, "L": np.uint64}[a.typecode])


def _stdlib(a: Any) -> array:
    out = array({2: "H", 4: "I", 8: "L"}[a.dtype.itemsize])
    out.frombytes(a.tobytes())
    return out


def clearly_english(sample: str) -> bool:
    """True when English function words run through the whole sample and little is in another script.

    Only says yes where the model would say English too (or would not be confident); False means
    "ask the model", not "not English".
    """
    # Typographic punctuation (curly quotes, dashes, no-break spaces) is not another script: English
    # news is full of it, and each mark is two or three UTF-8 bytes.
    extra = len(sample.encode("utf-8")) - len(sample) - sum(map(_TYPO_EXTRA.__getitem__, _TYPO.findall(sample)))
    if extra > MAX_EXTRA_BYTES * len(sample):
        return False
    words = _WORD.findall(sample.lower())
    n = len(words)
    if n < MIN_WORDS:
        return False
    hits = list(map(ENGLISH.__contains__, words))
    if sum(hits) < MIN_SHARE * n:
        return False
    for i in range(PARTS):
        part = hits[i * n // PARTS:(i + 1) * n // PARTS]
        if sum(part) < MIN_PART_SHARE * len(part):
            return False
    return True


def _enough_letters(sample: str) -> bool:
    letters = 0
    for c in sample:
        if c.isalpha():
            letters += 1
            if letters >= MIN_LETTERS:
                return True
    return False


def detect(text: str) -> str:
    """The language of ``text`` (two lowercase letters), or ``DEFAULT`` when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if not _enough_letters(sample) or clearly_english(sample):
        return DEFAULT
    lang, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE or not _CODE.match(str(lang)):
        return DEFAULT
    return str(lang)


def normalise(code: str | None) -> str | None:
    """A front-matter or HTML language tag ("de-CH", "FR") as a 639-1 code, or None if it is not one."""
    if not code:
        return None
    primary = code.strip().replace("_", "-").split("-")[0].lower()
    return primary if _CODE.match(primary) else None
