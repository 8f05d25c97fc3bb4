"""Decoding article bytes without mojibake.

The order is a chain of evidence, strongest first (as trafilatura chains its extractors):

1. a byte-order mark (UTF-8, UTF-16 LE/BE) settles it;
2. BOM-less UTF-16 shows itself by NUL bytes in every other position of mostly-ASCII text;
3. any other NUL byte means binary data, refused;
4. strict UTF-8: it almost never decodes text that is not UTF-8. A UTF-8 file that already holds
   mojibake ("CafÃ©") is kept exactly as written: guessing a repair would change the evidence;
5. Windows-1252 (a superset of Latin-1's printable range), when the result looks like Western
   text: few non-ASCII letters, no C1 control characters;
6. charset-normalizer for everything else (Cyrillic cp1251, Greek, ...). It is not asked first
   because on short Western texts it prefers cp775 or cp1250 and turns "Zürich" into "Z³rich".
"""

from __future__ import annotations

import codecs
from pathlib import Path

# How many leading bytes the UTF-16 and binary sniffing looks at.
SNIFF_BYTES = 8192
# Above this share of non-ASCII letters among all letters, a cp1252 reading is probably another
# script's single-byte encoding decoded with the wrong table ("Ìèíèñòð" for Russian).
MAX_WESTERN_NON_ASCII = 0.3


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of BOM-less UTF-16 text, judged by where its NUL bytes fall, or None."""
    head = data[:SNIFF_BYTES]
    if len(head) < 16:
        return None
    even = head[0::2]
    odd = head[1::2]
    # UTF-16 puts a NUL high byte on every ASCII character (all of Latin text, the spaces and
    # digits of Cyrillic or Greek) and never a NUL low byte in text; binary data scatters NULs
    # over both positions. A false positive still decodes to control characters, refused later.
    if odd.count(0) >= 0.1 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.1 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _bad_controls(text: str) -> int:
    return sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or 0x7F <= ord(c) < 0xA0)


def _looks_western(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    non_ascii = sum(1 for c in letters if ord(c) > 0x7F)
    return non_ascii / len(letters) <= MAX_WESTERN_NON_ASCII


def _single_byte(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps them to C1 controls, caught below.
        text = data.decode("latin-1")
    if _bad_controls(text) or not _looks_western(text):
        return None
    return text


def _detected(data: bytes) -> tuple[str, str] | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    if _bad_controls(text):
        return None
    return best.encoding, text


def decode_text(path: Path, data: bytes) -> str:
    """Return the text of ``data``; offsets count characters of this exact string.

    Line endings are kept as they are (offsets must match the file); only a byte-order mark is
    dropped. Raises :class:`~generator.readers.ReadError` naming the file when the bytes are binary
    or cannot be decoded as text in any encoding.
    """
    from generator.readers import ReadError

    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(path, f"starts with a UTF-16 mark but is not UTF-16 ({exc.reason})") from exc
    elif b"\x00" in data[:SNIFF_BYTES]:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise ReadError(path, "looks binary (it holds NUL bytes); articles must be text")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = ""  # not UTF-16 after all: with its NUL bytes it is binary
        if not text or _bad_controls(text):
            raise ReadError(path, "looks binary (it holds NUL bytes); articles must be text")
        return text
    if b"\x00" in data:
        raise ReadError(path, "looks binary (it holds NUL bytes); articles must be text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    western = _single_byte(data)
    if western is not None:
        return western
    found = _detected(data)
    if found is None:
        raise ReadError(path, "cannot be decoded: it is not UTF-8, UTF-16 or a Western single-byte text, and no "
                              "other encoding fits; save it as UTF-8")
    return found[1]
