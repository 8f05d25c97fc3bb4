"""Decoding article bytes without mojibake."""

from __future__ import annotations

import codecs
from pathlib import Path


def decode_text(path: Path, data: bytes) -> str:
    """Return the text of ``data``; offsets count characters of this exact string.

    Line endings are kept as they are (offsets must match the file); only a byte-order mark is
    dropped. UTF-8 is tried first; UTF-16 is taken on its BOM; binary data is refused.
    """
    from generator.readers import ReadError

    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(path, f"starts with a UTF-16 mark but is not UTF-16 ({exc.reason})") from exc
    if b"\x00" in data[:8192]:
        raise ReadError(path, "looks binary (it holds NUL bytes); articles must be text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f") or 0x7F <= ord(c) < 0xA0) > 0:
        raise ReadError(path, "is neither UTF-8 nor a Western single-byte text; save it as UTF-8")
    return text
