"""Broken and oversized inputs: each is refused with one line naming the file, the problem, the line
where there is one, and what to do. Real sizes (50 MB, 100,000 lines, a 5 MB line) at the default
limits, so the limits in force are the ones tested.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import limits
from generator.dedupe import drop_duplicates, url_key
from generator.models import SourceDoc
from generator.readers import ReadError, check_inside, discover, read_file

MB = 1_000_000


def _nested(depth: int) -> bytes:
    return b"---\ntags: " + b"[" * depth + b"x" + b"]" * depth + b"\n---\nBody.\n"


BILLION_LAUGHS = (Path(__file__).parent / "fixtures" / "hostile" / "billion-laughs.md").read_bytes()

# name, file name, bytes (or a function writing the file), expected words in the message, line or None
CASES: list[tuple[str, str, bytes | Callable[[Path], None], str, int | None]] = [
    ("empty file", "empty.md", b"", "is empty", None),
    ("whitespace only", "blank.txt", b"  \n\t \r\n\n", "is empty", None),
    ("binary (PNG)", "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary", None),
    ("binary without NUL", "noise.txt", bytes(range(1, 32)) * 40, "looks binary", None),
    ("UTF-16 mark, odd bytes", "u16.txt", b"\xff\xfeA\x00B", "UTF-16", None),
    ("50 MB text file", "huge.txt", lambda p: p.write_bytes(b"All quiet on the front. " * (50 * MB // 24)),
     "over the 5,000,000-byte limit", None),
    ("100,000-line file", "lines.txt", b"A short line of text.\n" * 100_000, "100,000 lines, over the 20,000-line",
     20_001),
    ("one 5 MB line", "oneline.txt", b"word " * (limits.DEFAULT.max_bytes // 5), "line of 5,000,000 characters", 1),
    ("deeply nested front matter", "deep.md", _nested(10_000), "nested more than 8 levels", 2),
    ("billion laughs", "laughs.md", BILLION_LAUGHS, "aliases (*name) are not allowed", 3),
    ("front matter over 64 KB", "bigfm.md", b"---\ntitle: " + b"x" * 70_000 + b"\n---\nBody.\n",
     "over the 64,000-character limit", 1),
    ("unclosed front matter", "open.md", b"---\ntitle: x\nBody with no closing line\n", "no closing '---'", 1),
    ("invalid YAML", "yaml.md", b"---\ntitle: ok\nsource: ok\ndate: [\n---\nBody.\n", "not valid YAML", 5),
    ("front matter a list", "list.md", b"---\n- a\n- b\n---\nBody.\n", "must be a mapping", 2),
    ("impossible date", "d.md", b"---\ndate: 2023-13-45\n---\nBody.\n", "cannot be read: month must be in 1..12", None),
    ("5,000-digit number", "n.md", b"---\nsource: " + b"9" * 5000 + b"\n---\nBody.\n", "quote it", 2),
    ("python tag", "py.md", b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned']\n---\nBody.\n",
     "not valid YAML", 2),
    ("front matter, no body", "nobody.md", b"---\ntitle: x\n---\n \n", "no article text", None),
]


# A bad value costs its field, not the article: the note names the file, the line and the field.
FIELD_CASES = [
    ("title a list", "t.md", b"---\ntitle: [a, b]\n---\nBody.\n", "'title' must be text, not list", 2),
    ("title a boolean", "tb.md", b"---\ntitle: yes\n---\nBody.\n", "'title' must be text, not bool", 2),
    ("date in words", "dw.md", b"---\ndate: 27 July\n---\nBody.\n", "'date' must look like 2023-07-27", 2),
    ("tags a mapping", "tags.md", b"---\ntags: {a: 1}\n---\nBody.\n", "'tags' must be a list of names", 2),
    ("overrides a list", "ov.md", b"---\nactors: [x]\n---\nBody.\n", "'actors' must be a mapping", 2),
    ("override of mappings", "ov2.md", b"---\nweapons: {add: [{a: 1}]}\n---\nBody.\n",
     "'weapons.add' must be a list", 2),
    ("summary_only text", "so.md", b"---\nsummary_only: 'yes'\n---\nBody.\n", "true or false", 2),
    ("javascript: url", "js.md", b"---\nurl: javascript:alert(1)\n---\nBody.\n", "must start with http", 2),
    ("data: url", "data.md", b"---\nurl: 'data:text/html,<script>alert(1)</script>'\n---\nBody.\n",
     "must start with http", 2),
]


@pytest.mark.parametrize("name, filename, content, words, line", FIELD_CASES, ids=[c[0] for c in FIELD_CASES])
def test_bad_field_is_dropped_with_one_clear_line(tmp_path: Path, name: str, filename: str, content: bytes,
                                                  words: str, line: int) -> None:
    path = tmp_path / filename
    path.write_bytes(content)
    doc = read_file(path, filename)
    assert doc.text == "Body.\n"
    assert len(doc.notes) == 1 and "\n" not in doc.notes[0]
    assert doc.notes[0].startswith(f"{path}:{line}: ")
    assert words in doc.notes[0]
    assert doc.url is None


def test_unknown_field_is_kept_in_the_record_not_obeyed(tmp_path: Path) -> None:
    path = tmp_path / "u.md"
    path.write_bytes(b"---\nonclick: x\n---\nBody.\n")
    doc = read_file(path, "u.md")
    assert doc.extra == (("onclick", '"x"'),) and doc.notes == ()


@pytest.mark.parametrize("name, filename, content, words, line", CASES, ids=[c[0] for c in CASES])
def test_broken_input_gets_one_clear_line(tmp_path: Path, name: str, filename: str,
                                          content: bytes | Callable[[Path], None], words: str,
                                          line: int | None) -> None:
    path = tmp_path / filename
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_file(path, filename)
    message = str(info.value)
    assert "\n" not in message
    assert words in message
    assert message.startswith(f"{path}:{line}: " if line else f"{path}: ")
    assert info.value.line == line


def test_limits_can_be_shrunk_and_are_restored(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Title\n\none two three\nfour\n", encoding="utf-8")
    with limits.override(max_lines=2), pytest.raises(ReadError, match="4 lines, over the 2-line limit"):
        read_file(path, "a.txt")
    assert read_file(path, "a.txt").title == "Title"
    with pytest.raises(TypeError), limits.override(max_nonsense=1):
        pass


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_named_like_an_article_is_refused_not_read(tmp_path: Path) -> None:
    # Opening a FIFO for reading would block the build forever.
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="not a regular file"):
        read_file(fifo, "pipe.txt")


def test_symlink_out_of_content_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret Title\n\nPrivate text.\n", encoding="utf-8")
    (content / "leak.txt").symlink_to(secret)
    (content / "ok.txt").write_text("Fine\n\nText.\n", encoding="utf-8")
    (content / "alias.txt").symlink_to(content / "ok.txt")  # inside: allowed
    found = dict((rel, p) for p, rel in discover(content))
    assert set(found) == {"alias.txt", "leak.txt", "ok.txt"}
    with pytest.raises(ReadError, match="outside"):
        check_inside(content, found["leak.txt"])
    check_inside(content, found["alias.txt"])


def test_symlink_loop_in_content_does_not_hang(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "sub" / "loop").symlink_to(content)
    (content / "a.txt").write_text("A\n\nText.\n", encoding="utf-8")
    rels = [rel for _, rel in discover(content)]
    assert "a.txt" in rels and len(rels) < 100


def _doc(path: str, text: str, url: str | None = None) -> SourceDoc:
    return SourceDoc(path=path, text=text, title=path, url=url)


def test_duplicates_are_dropped_naming_the_first() -> None:
    docs = [
        _doc("a.md", "Troops crossed the river.\n\nTalks stalled.", "https://www.example.org/news/1/"),
        _doc("b.txt", "\ufeffTROOPS crossed  the river.\r\n\r\nTalks stalled.  "),  # same text, re-saved
        _doc("c.md", "Another story entirely.", "http://example.org/news/1?utm_source=feed#top"),  # same URL
        _doc("d.md", "A third story.", "https://example.org/news/2"),
    ]
    kept, messages = drop_duplicates(docs)
    assert [d.path for d in kept] == ["a.md", "d.md"]
    assert messages[0].startswith("b.txt: duplicate of a.md (the same text)")
    assert messages[1].startswith("c.md: duplicate of a.md (the same URL")
    assert all("delete one of the two files" in m for m in messages)


@pytest.mark.parametrize("url", ["https://[::1", "http://host:99999/x", "https://", "   ", "mailto:x@y"])
def test_url_key_never_raises(url: str) -> None:
    url_key(url)


KB_LAUGHS = """kind: actors
source: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
licence: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
x1: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
x2: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
x3: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
x4: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
x5: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
x6: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
{field}: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
entries: {entries}
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX memory limit")
@pytest.mark.parametrize("field, entries", [
    ("source", "[]"), ("licence", "[]"), ("kind", "[]"), ("notes", "*h"),
    ("notes", "[{id: a, name: *h, type: group}]"), ("notes", "[{id: a, name: A, type: group, description: *h}]"),
    ("notes", "[{id: a, name: A, type: group, aliases: *h}]"), ("notes", "[{id: *h, name: A, type: group}]"),
])
def test_billion_laughs_in_a_project_kb_fails_fast(tmp_path: Path, field: str, entries: str) -> None:
    # A project KB (setting kb_dirs) is input too. The load runs in a child with 1 GB of address
    # space: an expansion of the 9^9 strings would die there instead of passing.
    import subprocess
    import sys

    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "evil.yaml").write_text(KB_LAUGHS.format(field=field, entries=entries), encoding="utf-8")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
            "from pathlib import Path; from generator.kb import load_kb, KBError, BUNDLED\n"
            "try:\n    load_kb([Path(sys.argv[1])])\nexcept KBError as e:\n    print('KBError', str(e)[:300])")
    proc = subprocess.run([sys.executable, "-c", code, str(kb)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("KBError") and "evil.yaml" in proc.stdout, proc.stdout


XML_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
 <!ENTITY xxe SYSTEM "file://{secret}">
]>
<rss version="2.0"><channel><title>Feed</title><link>https://example.org/</link>
<item><title>&lol9; &xxe;</title><link>https://example.org/1</link>
<description>Entity text &lol9; and &xxe; in the body of an item that is long enough to read.</description></item>
</channel></rss>
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a POSIX memory limit")
@pytest.mark.parametrize("suffix", [".xml", ".rss", ".html"])
def test_xml_entities_neither_expand_nor_read_local_files(tmp_path: Path, suffix: str) -> None:
    # Billion laughs and XXE: read in a child with 1 GB of address space, so an expansion fails there.
    import subprocess
    import sys

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE", encoding="utf-8")
    path = tmp_path / f"feed{suffix}"
    path.write_text(XML_LAUGHS.format(secret=secret), encoding="utf-8")
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30));"
            "from pathlib import Path; from generator.readers import read_docs, ReadError\n"
            "try:\n    docs, bad = read_docs(Path(sys.argv[1]), Path(sys.argv[1]).name)\n"
            "    print(len(docs), max([len(d.text) + len(d.title) for d in docs] or [0]));"
            " print(''.join(d.text + d.title for d in docs))\n"
            "except ReadError as e:\n    print('ReadError', e)")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "TOP-SECRET-LINE" not in proc.stdout
    assert "lollol" not in proc.stdout
