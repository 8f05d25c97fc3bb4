"""Which language an article is written in, as an ISO 639-1 code.

Extraction reads English only, so an article in another language is flagged on its record and its
page rather than mined for English names it does not hold. py3langid's bundled model classifies
without a network or a download. Only a confident verdict on enough text overrides the default
"en": a short or mixed text (a headline, a list of names) stays "en" instead of being flagged at
random.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

DEFAULT = "en"
MIN_LETTERS = 40  # below this the model's verdict is close to a guess
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 1200  # ~2 ms per article; a thousand characters settle the language, more only costs time
_CODE = re.compile(r"^[a-z]{2}$")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str:
    """The language of ``text`` (two lowercase letters), or ``DEFAULT`` when it cannot be told."""
    sample = text[:SAMPLE_CHARS]
    if sum(1 for c in sample if c.isalpha()) < MIN_LETTERS:
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
