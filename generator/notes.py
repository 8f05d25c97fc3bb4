"""What a build reports about its articles, as typed values: files or entries skipped, and warnings
about articles that are still built (or, for a draft, deliberately not published).

A :class:`Note` travels with the extracted briefings (through the extraction workers, the cache and
the build state), so a warm build repeats them without reading any article again.
They are told apart by their ``kind`` when the build reports (:func:`split`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator.models import SourceDoc

SKIPPED = "skipped"  # a file or an entry that is not built
WARNING = "warning"  # an article that is built (or a draft left out), with something to fix
FIELD = "field"  # a front-matter field no part of the tool uses: reported once per field name
KINDS = (SKIPPED, WARNING, FIELD)


@dataclass(frozen=True)
class Note:
    kind: str  # one of KINDS
    message: str  # the line the build prints ("path[:line]: problem")
    path: str = ""  # the article it is about, when there is one
    field: str = ""  # the front-matter field, for FIELD

    def to_json(self) -> list[str]:
        return [self.kind, self.message, self.path, self.field]

    @classmethod
    def from_json(cls, value: Any) -> Note:
        """The note :meth:`to_json` gave; ValueError for anything else (a cache of other code)."""
        kind, message, path, field = value
        if kind not in KINDS or not all(isinstance(v, str) for v in value):
            raise ValueError(f"not a note: {value!r}")
        return cls(kind, message, path, field)


def skipped(message: str, path: str = "") -> Note:
    return Note(SKIPPED, message, path)


def warning(message: str, path: str = "") -> Note:
    return Note(WARNING, message, path)


def of_doc(doc: SourceDoc) -> list[Note]:
    """The warnings of one article: fields dropped for bad values, fields not used, a draft."""
    out = [warning(note, doc.path) for note in doc.notes]
    out += [Note(FIELD, name, doc.path, name) for name, _ in doc.extra]
    if doc.draft:
        out.append(warning(f"{doc.path}: not published: its front matter marks it as a draft", doc.path))
    return out


def split(notes: Iterable[Note]) -> tuple[list[str], list[str]]:
    """(skipped, warnings) of the build's notes, as the lines it prints; unused front-matter fields
    become one warning per field name, however many articles carry it."""
    skipped_lines: list[str] = []
    warnings: list[str] = []
    fields: dict[str, list[str]] = {}
    for note in notes:
        if note.kind == WARNING:
            warnings.append(note.message)
        elif note.kind == FIELD:
            fields.setdefault(note.field, []).append(note.path)
        else:
            skipped_lines.append(note.message)
    for name in sorted(fields):
        paths = fields[name]
        warnings.append(f"front matter field '{name}' is not used (kept in the record): "
                        f"{len(paths)} article(s), e.g. {min(paths)}")
    return skipped_lines, warnings
