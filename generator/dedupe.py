"""Duplicate articles: the same story saved twice must not become two briefings.

Two articles are duplicates when their text is the same after normalisation (Unicode NFKC, case
folded, whitespace collapsed, so a re-saved copy with other line endings or a BOM still matches) or
when they give the same source URL after normalisation (scheme, host case, default port, trailing
slash, fragment and ``utm_*`` tracking parameters do not count). The first in sorted path order is
kept; each later one is reported with the path of the first, so the message says which file to
delete.
"""

from __future__ import annotations

import hashlib
import unicodedata
import urllib.parse
from collections.abc import Iterable

from generator.models import SourceDoc


def text_key(text: str) -> str:
    # Format characters (BOM, zero-width space) are invisible, so they do not make a copy different.
    # Only the distinct non-ASCII characters are looked up (none is Cf below U+00AD): a few, not thousands.
    visible = unicodedata.normalize("NFKC", text)
    if not visible.isascii():
        cf = {ord(c): None for c in set(visible) if c > "\x7f" and unicodedata.category(c) == "Cf"}
        if cf:
            visible = visible.translate(cf)
    folded = " ".join(visible.casefold().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def url_key(url: str | None) -> str | None:
    """A URL reduced to what identifies the page, or None when there is none to compare."""
    if not url or not url.strip():
        return None
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:  # a malformed port or bracketed host: compare the text as given
        return url.strip()
    if not host:
        return url.strip()
    if host.startswith("www."):
        host = host[4:]
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urllib.parse.urlencode(sorted(
        (k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_")))
    path = parts.path.rstrip("/") or "/"
    # http and https of one page are one article.
    return urllib.parse.urlunsplit(("https", netloc, path, query, ""))


def drop_duplicates(docs: Iterable[SourceDoc]) -> tuple[list[SourceDoc], list[str]]:
    """Keep the first of each set of duplicates; return the kept docs and one message per dropped one."""
    docs = list(docs)
    dropped, messages = find_duplicates((d.path, d.url, text_key(d.text)) for d in docs)
    return [d for i, d in enumerate(docs) if i not in dropped], messages


def find_duplicates(items: Iterable[tuple[str, str | None, str]]) -> tuple[set[int], list[str]]:
    """Of ``(path, url, text_key)`` items in order: the positions of the later copies, and a message for each."""
    dropped: set[int] = set()
    messages: list[str] = []
    by_text: dict[str, str] = {}
    by_url: dict[str, str] = {}
    for i, (path, url, tkey) in enumerate(items):
        ukey = url_key(url)
        first, why = by_text.get(tkey), "the same text"
        if first is None and ukey is not None:
            first, why = by_url.get(ukey), f"the same URL ({url})"
        if first is not None:
            messages.append(f"{path}: duplicate of {first} ({why}); delete one of the two files")
            dropped.add(i)
            continue
        by_text[tkey] = path
        if ukey is not None:
            by_url[ukey] = path
    return dropped, messages
