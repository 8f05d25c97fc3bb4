from __future__ import annotations

from pathlib import Path

import pytest

from generator.readers import ReadError, discover, read_file
from generator.readers.text import derive_title, parse_text

SEED_LIKE = (
    "Officials met in the capital on Monday. They discussed the border.\n\n"
    "Background of the Talks\n\n"
    "The talks began in 2019. They stalled in 2021.\n"
)


@pytest.mark.parametrize(
    "text, title, body_start",
    [
        ("Short Title Line\n\nBody sentence here.\n", "Short Title Line", 18),
        ("A long first line that ends with a full stop.\nMore.\n", "A long first line that ends with a full stop", 0),
        ("\n\nTitle After Blank Lines\nBody.\n", "Title After Blank Lines", 26),
    ],
)
def test_txt_title(text: str, title: str, body_start: int) -> None:
    doc = parse_text(text, "a.txt")
    assert doc.title == title
    assert doc.body_start == body_start


def test_txt_headings_are_standalone_short_lines() -> None:
    doc = parse_text(SEED_LIKE, "a.txt")
    assert [h.text for h in doc.headings] == ["Background of the Talks"]
    for h in doc.headings:
        assert SEED_LIKE[h.start:h.end] == h.text


def test_derive_title_cuts_at_word_boundary() -> None:
    lead = "Word " * 40 + "end."
    title = derive_title(lead, limit=30)
    assert title.endswith("…") and len(title) <= 31 and "  " not in title


def test_crlf_offsets_are_kept(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(b"Title\r\n\r\nFirst sentence.\r\n")
    doc = read_file(p, "a.txt")
    assert doc.text == "Title\r\n\r\nFirst sentence.\r\n"
    assert doc.title == "Title"


def test_markdown_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text(
        "---\ntitle: A title\ndate: 2023-07-27\nsource: Agency\nurl: https://example.org/a\n"
        "licence: OGL\ntags: [x, y]\nactors:\n  add: [north-korea]\n  suppress: [Putin]\n"
        "summary: Hand written.\n---\nBody text here.\n", encoding="utf-8")
    doc = read_file(p, "a.md")
    assert (doc.title, doc.date, doc.source, doc.url, doc.licence) == (
        "A title", "2023-07-27", "Agency", "https://example.org/a", "OGL")
    assert doc.tags == ("x", "y")
    assert doc.overrides.add_actors == ("north-korea",)
    assert doc.overrides.suppress_actors == ("Putin",)
    assert doc.overrides.summary == ("Hand written.",)
    assert doc.text == "Body text here.\n"


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "is empty"),
        (b"   \n\t\n", "is empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"---\ntitle: [unclosed\n---\nBody.\n", "not valid YAML"),
        (b"---\ntitle: x\nBody with no closing line\n", "no closing"),
        (b"---\na: &a [1]\nb: *a\n---\nBody.\n", "aliases"),
        (b"---\ntitle: x\n---\n   \n", "no article text"),
    ],
)
def test_bad_input_names_the_file(tmp_path: Path, content: bytes, problem: str) -> None:
    p = tmp_path / "bad.md"
    p.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_file(p, "bad.md")
    assert str(p) in str(info.value)
    assert problem in str(info.value)


@pytest.mark.parametrize(
    "front, line, field, problem",
    [
        ("date: 27 July", 2, "date", "must look like 2023-07-27"),
        ("title: {a: 1}", 2, "title", "must be text"),
        ("source: Agency\nurl: javascript:alert(1)", 3, "url", "must start with http"),
        ("tags: {a: 1}", 2, "tags", "must be a list of names"),
        ("language: klingon", 2, "language", "language code"),
        ("summary_only: maybe", 2, "summary_only", "true or false"),
        ("actors: [x]", 2, "actors", "'add' and/or 'suppress'"),
    ],
)
def test_bad_field_is_dropped_and_the_article_kept(tmp_path: Path, front: str, line: int, field: str,
                                                   problem: str) -> None:
    p = tmp_path / "bad.md"
    p.write_text(f"---\n{front}\n---\nThe ministry said on Monday that talks would resume.\n", encoding="utf-8")
    doc = read_file(p, "bad.md")
    assert doc.text.startswith("The ministry said")
    assert len(doc.notes) == 1
    assert doc.notes[0].startswith(f"{p}:{line}: front matter '{field}' ")
    assert problem in doc.notes[0]
    if field == "url":
        assert doc.url is None and doc.source == "Agency"


def test_yaml_error_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.md"
    p.write_text("---\ntitle: ok\nsource: ok\ndate: [\n---\nBody.\n", encoding="utf-8")
    with pytest.raises(ReadError) as info:
        read_file(p, "bad.md")
    assert info.value.line is not None and info.value.line >= 4


def test_encodings(tmp_path: Path) -> None:
    text = "Café talks in Zürich – “quoted”.\n"
    for name, data in {
        "bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "u16.txt": text.encode("utf-16"),
        "cp.txt": text.encode("cp1252"),
    }.items():
        (tmp_path / name).write_bytes(data)
        assert read_file(tmp_path / name, name).text == text


def test_discover_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for name in ("b.md", "a.txt", ".hidden.md", "notes.pdf", "sub/c.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [rel for _, rel in discover(tmp_path)] == ["a.txt", "b.md", "sub/c.md"]


def test_every_suffix_in_the_table_has_its_reader_and_no_reader_has_another() -> None:
    from generator import intake  # noqa: F401  (imports every reader, as a build does)
    from generator.files import SUFFIXES, format_of
    from generator.readers import reader_for, suffixes

    assert sorted(s for group in SUFFIXES.values() for s in group) == sorted(suffixes())
    readers = {name: {reader_for(Path("a" + s)) for s in group} for name, group in SUFFIXES.items()}
    assert all(len(r) == 1 and None not in r for r in readers.values())
    assert len({next(iter(r)) for r in readers.values()}) == len(SUFFIXES)  # one reader per format
    assert format_of(".HTM") == "html" and format_of(".pdf") is None
