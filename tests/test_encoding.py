"""Text files in each encoding read without mojibake; binary and undecodable files are refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from generator.readers import ReadError, read_file
from generator.readers.encoding import decode_text
from generator.readers.language import detect

TEXT = Path(__file__).parent / "fixtures" / "intake" / "text"
ZURICH = ("Negotiators met again in Zürich on Tuesday. “We are close,” said one delegate – but the café talk "
          "was cautious.")


@pytest.mark.parametrize("name", [
    "utf8.txt", "utf8-bom.txt", "utf16le-bom.txt", "utf16be-bom.txt", "utf16le-nobom.txt", "utf16be-nobom.txt",
    "cp1252.txt",
])
def test_english_in_every_encoding_reads_the_same(name: str) -> None:
    doc = read_file(TEXT / name, name)
    assert doc.title == "Talks resume in Zürich"
    assert ZURICH in doc.text
    assert "\ufeff" not in doc.text and "Ã" not in doc.text and "\x00" not in doc.text
    assert doc.language == "en"


def test_cp1252_keeps_its_line_endings_so_offsets_match_the_file() -> None:
    doc = read_file(TEXT / "cp1252.txt", "cp1252.txt")
    assert "\r\n" in doc.text
    assert doc.text == (TEXT / "cp1252.txt").read_bytes().decode("cp1252")


def test_latin1_french() -> None:
    doc = read_file(TEXT / "latin1-french.txt", "latin1-french.txt")
    assert doc.title == "Négociations à Genève"
    assert "les échanges ont été « francs et ouverts »" in doc.text
    assert doc.language == "fr"


def test_cp1251_russian_goes_to_charset_detection() -> None:
    doc = read_file(TEXT / "cp1251-russian.txt", "cp1251-russian.txt")
    assert doc.title == "Переговоры в Женеве"
    assert doc.language == "ru"


def test_utf8_that_already_holds_mojibake_is_kept_as_written() -> None:
    doc = read_file(TEXT / "utf8-mojibake.txt", "utf8-mojibake.txt")
    assert "CafÃ© and ZÃ¼rich" in doc.text


def test_binary_is_refused_naming_the_file() -> None:
    with pytest.raises(ReadError, match="looks binary") as info:
        read_file(TEXT / "binary.txt", "binary.txt")
    assert str(TEXT / "binary.txt") in str(info.value)


@pytest.mark.parametrize("data", [
    bytes(range(1, 32)) * 8 + bytes(range(128, 256)),
    b"\x1b[31m\x02\x03 hello \x81\x8d\x8f\x90\x9d \xff\xfe\xfd" * 5,
])
def test_undecodable_is_refused_naming_the_file(data: bytes) -> None:
    with pytest.raises(ReadError, match="cannot be decoded") as info:
        decode_text(Path("odd.txt"), data)
    assert info.value.path == "odd.txt"


def test_nul_bytes_that_are_not_utf16_are_binary() -> None:
    with pytest.raises(ReadError, match="binary"):
        decode_text(Path("x.txt"), b"abc\x00\x00\x00\xff\x10 data " * 20)


def test_bad_utf16_with_bom_names_the_file() -> None:
    with pytest.raises(ReadError, match="UTF-16"):
        decode_text(Path("x.txt"), b"\xff\xfe" + "ok".encode("utf-16-le") + b"\x00\xd8")


@pytest.mark.parametrize("text, lang", [
    ("The minister said the talks would continue next week in Geneva, officials confirmed on Monday.", "en"),
    ("Der Minister sagte, die Gespräche würden nächste Woche in Genf fortgesetzt, bestätigten Beamte am Montag.",
     "de"),
    ("Le ministre a déclaré que les pourparlers se poursuivraient la semaine prochaine à Genève.", "fr"),
    ("Russia Ukraine NATO Putin Kyiv Moscow", "en"),  # too little text to tell: not flagged
    ("", "en"),
])
def test_language_detection(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_front_matter_language_overrides_detection() -> None:
    root = Path(__file__).parent / "fixtures" / "intake"
    assert read_file(root / "german.md", "german.md").language == "de"
    assert read_file(root / "german-language-override.md", "german-language-override.md").language == "en"


def test_front_matter_language_must_be_a_code(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text("---\nlanguage: Klingon please\n---\nThe ministry said on Monday that talks resumed.\n",
                 encoding="utf-8")
    doc = read_file(p, "a.md")  # the field is dropped, the language detected
    assert doc.language == "en"
    assert len(doc.notes) == 1 and doc.notes[0].startswith(f"{p}:2: front matter 'language' must be a language code")


def test_bomless_utf16_of_a_non_latin_script() -> None:
    doc = read_file(TEXT / "utf16le-nobom-russian.txt", "r.txt")
    assert doc.title == "Переговоры в Женеве"
    assert "12 мая" in doc.text and doc.language == "ru"


def test_uint16_binary_with_nuls_in_one_position_is_still_binary() -> None:
    data = b"".join(bytes([i % 31, 0]) for i in range(2000))  # little-endian numbers, mostly control bytes
    with pytest.raises(ReadError, match="binary"):
        decode_text(Path("n.txt"), data)


@given(st.binary(max_size=400))
@settings(max_examples=examples(300), deadline=None)
def test_any_bytes_decode_or_raise_read_error(data: bytes) -> None:
    try:
        text = decode_text(Path("any.txt"), data)
    except ReadError as exc:
        assert exc.path == "any.txt"
    else:
        assert isinstance(text, str) and "\x00" not in text


@given(st.text(max_size=300))
@settings(max_examples=examples(200), deadline=None)
def test_utf8_text_round_trips(text: str) -> None:
    if "\x00" in text or text.startswith("\ufeff"):
        return
    assert decode_text(Path("u.txt"), text.encode("utf-8")) == text


def test_typographic_punctuation_is_not_another_script() -> None:
    # English news full of curly quotes and dashes: taken by the cheap test, model not asked.
    from generator.readers.language import clearly_english

    line = ("\u201cThe talks have been useful,\u201d the minister said \u2014 and they would go on \u2013 "
            "but the \u2018next round\u2019 was not yet agreed with their allies, who were said to be "
            "waiting for what the other side would offer after the summit. ")
    assert clearly_english(line * 8)
    # Another script is still another script, whatever the punctuation around it.
    russian = "\u201c\u041f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u044b \u0438\u0434\u0443\u0442\u201d "
    mixed = line * 4 + russian * 16
    assert not clearly_english(mixed[:1200])


def test_language_model_kept_unpacked_answers_as_the_packed_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from generator.readers import language

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    texts = ["Der Minister sagte, die Gespräche würden nächste Woche in Genf fortgesetzt.",
             "Le ministre a déclaré que les pourparlers se poursuivraient à Genève.",
             "Министр заявил, что переговоры продолжатся", "The talks will go on", "12 34 !!"]
    packed = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    expected = [packed.classify(t) for t in texts]
    for _ in range(2):  # unpacked on first use, then read from the folder
        language._identifier.cache_clear()
        assert [language._identifier().classify(t) for t in texts] == expected
    (folder,) = (tmp_path / "briefing-site").iterdir()
    names = sorted(["classes.json", *(f"{n}.npy" for n in language._ARRAYS)])
    assert sorted(p.name for p in folder.iterdir()) == names
    # A damaged folder is not trusted: the packed model answers, and the folder is made again.
    (folder / "pc.npy").write_bytes(b"not an array")
    for _ in range(2):
        language._identifier.cache_clear()
        assert [language._identifier().classify(t) for t in texts] == expected
    assert (folder / "pc.npy").read_bytes() != b"not an array"
    language._identifier.cache_clear()


BROKEN = Path(__file__).parent / "fixtures" / "broken" / "content"


@pytest.mark.parametrize(("name", "offset", "expected"), [
    ("english-cut-last-character.txt", 333, "the island’s ferry company"),
    ("russian-cut-last-character.txt", 471, "открыли новый пешеходный мост"),
    ("english-stray-byte.txt", 107, "the town library will open"),
])
def test_utf8_damaged_in_one_place_is_read_as_utf8_with_a_warning(
        name: str, offset: int, expected: str, caplog: pytest.LogCaptureFixture) -> None:
    path = BROKEN / name
    assert path.read_bytes()[offset:offset + 1] != b""  # the offset is inside the file
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    doc = read_file(path, name)
    assert expected in doc.text.lower()
    assert "‚Äô" not in doc.text and "â€" not in doc.text
    assert doc.text.count("\ufffd") == 1
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        f"{path}: not valid UTF-8 at byte offset {offset}; read as UTF-8 with the damaged bytes replaced by "
        "U+FFFD. Re-save the file as UTF-8 to fix it"]


def test_damaged_offset_is_where_the_bad_byte_is() -> None:
    data = (BROKEN / "english-stray-byte.txt").read_bytes()
    assert data[107] == 0xFF
    data = (BROKEN / "english-cut-last-character.txt").read_bytes()
    assert data[333:] == "’".encode()[:2]


def test_a_stray_nul_in_a_long_text_costs_a_warning_not_the_article(caplog: pytest.LogCaptureFixture) -> None:
    path = BROKEN / "stray-nul.txt"
    assert path.read_bytes().count(0) == 1 and path.read_bytes()[723] == 0
    doc = read_file(path, "stray-nul.txt")
    assert doc.title == "Orchestra Announces Spring Season"
    assert "\x00" not in doc.text and doc.text.count("\ufffd") == 1
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        f"{path}: a NUL byte at byte offset 723 replaced by U+FFFD; the file is damaged there, check the text "
        "around it"]


def test_many_nul_bytes_are_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"Some words here and there. " * 40 + b"\x00\x01\x00\x02" * 20)
    with pytest.raises(ReadError, match="looks binary"):
        read_file(path, "blob.txt")


def test_a_cp1252_text_is_not_taken_for_damaged_utf8() -> None:
    text = decode_text(Path("x.txt"), "Die Gespräche in Zürich gehen weiter, sagte er.".encode("cp1252"))
    assert text == "Die Gespräche in Zürich gehen weiter, sagte er."
