"""Decoding article bytes without mojibake.

The order is a chain of evidence, strongest first (as trafilatura chains its extractors):

1. a byte-order mark (UTF-8, UTF-16 LE/BE) settles it;
2. BOM-less UTF-16 shows itself by NUL bytes in every other position of mostly-ASCII text;
3. any other NUL byte means binary data, refused; but a few stray NULs in a long text (one per
   thousand bytes at most) are replaced by U+FFFD with a warning: one damaged byte costs that byte,
   not the article;
4. strict UTF-8: it almost never decodes text that is not UTF-8. A UTF-8 file that already holds
   mojibake ("CafÃ©") is kept exactly as written: guessing a repair would change the evidence;
5. damaged UTF-8: a file that is UTF-8 but for a few bytes (a cut last character, a stray byte) is
   read as UTF-8 with each damaged sequence replaced by U+FFFD, and a warning names the file and
   the byte offset. It needs at least as many intact multi-byte characters as damaged places, which
   a Western single-byte text ("Zürich" in cp1252) never has;
6. Windows-1252 (a superset of Latin-1's printable range), when the result looks like Western
   text: few non-ASCII letters, no C1 control characters;
7. charset-normalizer for everything else (Cyrillic cp1251, Greek, ...). It is not asked first
   because on short Western texts it prefers cp775 or cp1250 and turns "Zürich" into "Z³rich".
"""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

log = logging.getLogger("briefing")

# How many leading bytes the UTF-16 and binary sniffing looks at.
SNIFF_BYTES = 8192
# Above this share of non-ASCII letters among all letters, a cp1252 reading is probably another
# script's single-byte encoding decoded with the wrong table ("Ìèíèñòð" for Russian).
MAX_WESTERN_NON_ASCII = 0.3
# A UTF-8 file damaged in more places than this is not read as UTF-8: it is probably another encoding.
MAX_DAMAGED_PLACES = 8
# Stray NUL bytes tolerated in a text: at most this many, and at most one per this many bytes.
MAX_STRAY_NULS = 8
BYTES_PER_STRAY_NUL = 1000
REPLACEMENT = "\ufffd"


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


def _stray_nuls(data: bytes) -> bool:
    """Whether the NUL bytes of ``data`` are few enough to be damage in a text, not binary data."""
    count = data.count(0)
    return count <= MAX_STRAY_NULS and count * BYTES_PER_STRAY_NUL <= len(data)


def _damaged_utf8(data: bytes) -> tuple[str, list[int]] | None:
    """``data`` read as UTF-8 with each damaged sequence replaced, and the byte offset of each; None when
    there are too many damaged places, or too few intact multi-byte characters, for it to be UTF-8."""
    parts: list[str] = []
    damaged: list[int] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            if len(damaged) == MAX_DAMAGED_PLACES:
                return None
            parts.append(data[pos:pos + exc.start].decode("utf-8"))
            parts.append(REPLACEMENT)
            damaged.append(pos + exc.start)
            pos += exc.end
    text = "".join(parts)
    intact = sum(1 for c in text if ord(c) > 0x7F) - len(damaged)
    if intact < len(damaged):
        return None
    return text, damaged


def _single_byte(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps them to C1 controls, caught below.
        text = data.decode("latin-1")
    text = text.replace("\x00", REPLACEMENT)  # stray NULs (only few reach here), as in UTF-8
    if _bad_controls(text) or not _looks_western(text):
        return None
    return text


def _detected(data: bytes) -> tuple[str, str] | None:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return None
    text = str(best).replace("\x00", REPLACEMENT)
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

    binary = "looks binary (it holds NUL bytes); articles must be text"
    mark = 0
    if data.startswith(codecs.BOM_UTF8):
        mark = len(codecs.BOM_UTF8)
        data = data[mark:]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReadError(path, f"starts with a UTF-16 mark but is not UTF-16 ({exc.reason})") from exc
    elif b"\x00" in data[:SNIFF_BYTES] and (codec := _utf16_without_bom(data)) is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            text = ""  # not UTF-16 after all: with its NUL bytes it is binary
        if not text or _bad_controls(text):
            raise ReadError(path, binary)
        return text
    if b"\x00" in data:
        if not _stray_nuls(data):
            raise ReadError(path, binary)
        nuls = data.count(0)
        log.warning("%s: %s at byte offset %d%s replaced by U+FFFD; the file is damaged there, "
                    "check the text around it", path, "a NUL byte" if nuls == 1 else f"{nuls} NUL bytes",
                    mark + data.index(0), "" if nuls == 1 else " (the first)")
    try:
        return data.decode("utf-8").replace("\x00", REPLACEMENT)
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data)
    if damaged is not None:
        text, offsets = damaged
        more = f" and {len(offsets) - 1} more place(s)" if len(offsets) > 1 else ""
        log.warning("%s: not valid UTF-8 at byte offset %d%s; read as UTF-8 with the damaged bytes replaced "
                    "by U+FFFD. Re-save the file as UTF-8 to fix it", path, mark + offsets[0], more)
        return text.replace("\x00", REPLACEMENT)
    western = _single_byte(data)
    if western is not None:
        return western
    found = _detected(data)
    if found is None:
        raise ReadError(path, "cannot be decoded: it is not UTF-8, UTF-16 or a Western single-byte text, and no "
                              "other encoding fits; save it as UTF-8")
    return found[1]
