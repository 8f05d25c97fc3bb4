"""Warnings about articles that are still built (or, for a draft, deliberately not published).

They travel with the skipped-file messages (through the extraction workers, the card store and the
build state) marked by a prefix no path can hold (NUL), and are told apart only when the build
reports: so a warm build repeats them without reading any article again.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.models import SourceDoc

WARNING = "\0warning\0"
FIELD = "\0field\0"


def of_doc(doc: SourceDoc) -> list[str]:
    """The marked warnings of one article: fields dropped for bad values, fields not used, a draft."""
    out = [WARNING + note for note in doc.notes]
    out += [f"{FIELD}{name}\0{doc.path}" for name, _ in doc.extra]
    if doc.draft:
        out.append(f"{WARNING}{doc.path}: not published: its front matter marks it as a draft")
    return out


def split(lines: Iterable[str]) -> tuple[list[str], list[str]]:
    """(skipped, warnings) of the build's messages; unused front-matter fields become one warning per
    field name, however many articles carry it."""
    skipped: list[str] = []
    warnings: list[str] = []
    fields: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith(WARNING):
            warnings.append(line[len(WARNING):])
        elif line.startswith(FIELD):
            name, _, path = line[len(FIELD):].partition("\0")
            fields.setdefault(name, []).append(path)
        else:
            skipped.append(line)
    for name in sorted(fields):
        paths = fields[name]
        warnings.append(f"front matter field '{name}' is not used (kept in the record): "
                        f"{len(paths)} article(s), e.g. {min(paths)}")
    return skipped, warnings
