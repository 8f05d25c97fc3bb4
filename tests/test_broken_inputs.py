"""Damaged inputs and careless mistakes: each ends in its own one-line message naming the file.

The payloads live in ``fixtures/broken`` (written for these tests); faults that cannot be files
(a link to a folder, a closed standard input, a full disk) are made here, for real.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import limits
from generator.cli import cli
from generator.kb import BUNDLED, KBError, load_kb
from generator.readers import ReadError, read_docs, read_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BROKEN = FIXTURES / "broken"
HOSTILE = FIXTURES / "hostile"
TRACEBACK = "Traceback (most recent call last)"
ARTICLE = ("Ferry Service Resumes\n\nThe ferry between the two islands resumed on Monday after a week of storms, "
           "the operator said.\n")


def project(base: Path, kb: Path | None = None) -> Path:
    """A project folder with one plain article (and ``kb`` as its knowledge-base folder)."""
    root = base / "project"
    (root / "content").mkdir(parents=True)
    (root / "content" / "ferry.txt").write_text(ARTICLE, encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    # mkdocs.yml lists the manual in its nav; a strict build needs its pages.
    shutil.copytree(ROOT / "docs" / "manual", root / "docs" / "manual")
    if kb is not None:
        shutil.copytree(kb, root / "kb")
        (root / "briefing.yml").write_text("kb_dirs: [kb]\n", encoding="utf-8")
    return root


def briefing(*args: str, stdin: int | None = subprocess.DEVNULL, file_size: int | None = None,
             close_stdin: bool = False, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, in a child process (as a user runs it)."""

    def before() -> None:
        if file_size is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        if close_stdin:
            os.close(0)

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=ROOT, env=env, stdin=stdin,
                          capture_output=True, text=True, timeout=600,
                          preexec_fn=before if file_size is not None or close_stdin else None)


# ---- the feed over the size limit, trafilatura's anonymous line, the 5,000-digit number -----------

def test_a_feed_over_the_size_limit_keeps_the_entries_that_fit() -> None:
    path = BROKEN / "long-feed.xml"
    data = path.read_bytes()
    with limits.override(max_bytes=2000):
        docs, errors = read_docs(path, "long-feed.xml")
    whole = data[:2000].count(b"</item>")
    assert 0 < whole < data.count(b"</item>")
    assert [d.title for d in docs] == [f"Council notice {i}: {t}" for i, t in enumerate(
        ["bridge repairs", "school lunches", "bus timetable", "library hours", "park benches"][:whole], 1)]
    kept = data[:2000].rindex(b"</item>") + len(b"</item>")
    assert [str(e) for e in errors] == [
        f"{path}: is {len(data):,} bytes, over the 2,000-byte limit; read the {whole} entries in its first "
        f"{kept:,} bytes and skipped the rest. Split the feed to keep them all"]


def test_a_feed_with_no_whole_entry_in_the_limit_is_refused_whole() -> None:
    path = BROKEN / "long-feed.xml"
    with limits.override(max_bytes=300), pytest.raises(ReadError, match="over the 300-byte limit"):
        read_docs(path, "long-feed.xml")


def test_trafilatura_lines_name_the_file_or_are_left_to_the_error_that_does(
        caplog: pytest.LogCaptureFixture) -> None:
    path = BROKEN / "content" / "navigation-only.html"
    with caplog.at_level(logging.DEBUG), pytest.raises(ReadError) as info:
        read_file(path, "navigation-only.html")
    assert str(info.value) == (f"{path}: has no main article text that could be found (is it a listing or a "
                               "login page?)")
    trafilatura_lines = [r.getMessage() for r in caplog.records if r.name.startswith("trafilatura")]
    assert not any("discarding data" in m for m in trafilatura_lines)
    assert all(m.startswith(f"{path}: ") for m in trafilatura_lines)


def test_a_5000_digit_number_is_reported_without_python_advice() -> None:
    path = BROKEN / "content" / "huge-number.md"
    with pytest.raises(ReadError) as info:
        read_file(path, "huge-number.md")
    assert str(info.value) == (f"{path}:3: front matter holds a number of more than {sys.get_int_max_str_digits():,} "
                               "digits; quote it to keep it as text, or remove it")


# ---- knowledge-base mistakes ---------------------------------------------------------------------

KB_MISTAKES = {
    "empty-alias": "weapons.yaml: entry 1 (harbour-gun), field 'aliases': an empty name would match everywhere; "
                   "remove it",
    "stopword-alias": "weapons.yaml: entry 2 (river-launcher), field 'aliases': 'the' is a common word and would "
                      "match in every article; remove it",
    "unknown-cue-class": "concerns.yaml: entry 1 (coastal-build-up), cue 2, field 'all': 'weapon:misile' names "
                         "no weapon class; expected weapon:* or one of weapon:missile, weapon:air-defence, "
                         "weapon:aircraft, weapon:drone, weapon:armour, weapon:artillery, weapon:munition, "
                         "weapon:warship, weapon:submarine, weapon:small-arms, weapon:explosive, weapon:cbrn, "
                         "weapon:rocket, weapon:space, weapon:other",
    "top-level-typo": "actors.yaml, field 'entires': unknown top-level key (did you mean 'entries'?); expected "
                      "kind, source, licence, entries",
    "unknown-operator": "weapons.yaml: entry 2 (river-launcher), field 'operator': unknown id 'harbour-guards'; "
                        "it must be the id of an actor in the knowledge base",
}


@pytest.mark.parametrize("mistake", sorted(KB_MISTAKES))
def test_kb_mistake_is_an_error_naming_file_entry_and_field(mistake: str) -> None:
    folder = BROKEN / "kb-mistakes" / mistake
    with pytest.raises(KBError) as info:
        load_kb([BUNDLED, folder])
    assert str(info.value) == f"{folder}/{KB_MISTAKES[mistake]}"


@pytest.mark.parametrize("mistake", sorted(KB_MISTAKES))
def test_briefing_check_exits_non_zero_on_a_kb_mistake(mistake: str, tmp_path: Path) -> None:
    root = project(tmp_path, kb=BROKEN / "kb-mistakes" / mistake)
    result = CliRunner().invoke(cli, ["check", "--root", str(root)])
    assert result.exit_code == 1, result.output
    assert f"{root / 'kb'}/{KB_MISTAKES[mistake]}" in result.output


def test_aliases_that_are_names_in_capitals_are_kept(tmp_path: Path) -> None:
    (tmp_path / "actors.yaml").write_text(
        "kind: actors\nsource: written for the tests\nlicence: CC0\nentries:\n"
        "  - id: upper-state\n    name: Upper State\n    type: country\n    aliases: [US, IT]\n", encoding="utf-8")
    kb = load_kb([tmp_path])
    assert kb.actors["upper-state"].aliases == ("US", "IT")


# ---- links to folders in content/ ------------------------------------------------------------------

def test_links_to_folders_are_reported_by_name_and_fail_strict(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "archive").mkdir()
    (root / "archive" / "old.txt").write_text(ARTICLE.replace("Monday", "Tuesday"), encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "far.txt").write_text(ARTICLE.replace("Monday", "Friday"), encoding="utf-8")
    (root / "content" / "inside-link").symlink_to(root / "archive", target_is_directory=True)
    (root / "content" / "outside-link").symlink_to(outside, target_is_directory=True)
    messages = [
        f"{root / 'content' / name}: is a link to the folder {target.resolve()}; links to folders are not followed "
        "(they can loop or read articles twice). Move or copy the folder into content/ instead"
        for name, target in (("inside-link", root / "archive"), ("outside-link", outside))]

    result = CliRunner().invoke(cli, ["generate", "--strict", "--root", str(root)])
    assert result.exit_code == 1
    skipped = [line.removeprefix("skipped: ") for line in result.output.splitlines() if line.startswith("skipped: ")]
    assert skipped == messages
    assert "2 article(s) skipped (--strict)" in result.output

    result = CliRunner().invoke(cli, ["check", "--root", str(root)])
    assert result.exit_code == 1
    for message in messages:
        assert message in result.output


# ---- errors that used to end in a traceback ------------------------------------------------------

def _last_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert TRACEBACK not in proc.stderr, proc.stderr
    return proc.stderr.rstrip("\n").splitlines()[-1]


def test_a_link_where_a_page_goes_is_one_line_exit_3(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert briefing("generate", "--root", str(root)).returncode == 0
    page = root / "docs" / "index.md"
    page.unlink()
    page.symlink_to(tmp_path / "anywhere.md")
    proc = briefing("generate", "--root", str(root))
    assert proc.returncode == 3
    assert _last_line(proc) == (f"Error: {page}: is a symbolic link where a generated page goes; refusing to write "
                                "through it. Delete the link (the generator writes the page there itself) and run "
                                "again")
    assert not (tmp_path / "anywhere.md").exists()
    with_trace = briefing("--debug", "generate", "--root", str(root))
    assert with_trace.returncode == 3 and TRACEBACK in with_trace.stderr  # the trace only on request


def test_add_from_a_closed_standard_input_is_one_line(tmp_path: Path) -> None:
    root = project(tmp_path)
    proc = briefing("add", "-", "--root", str(root), close_stdin=True)
    assert proc.returncode == 1
    assert TRACEBACK not in proc.stderr
    assert proc.stderr.splitlines() == [
        "skipped -: standard input is closed; pipe an article in: briefing add - < article.txt",
        "0 article(s) added, 1 skipped", "Error: nothing was added"]


def test_a_full_disk_is_one_line_naming_the_file_exit_3(tmp_path: Path) -> None:
    # The file size limit (RLIMIT_FSIZE) makes every write past 4 KB fail with EFBIG, as a full disk fails
    # with ENOSPC: the same write() error reaches the same code paths, without root or a tiny file system.
    root = project(tmp_path)
    proc = briefing("generate", "--root", str(root), file_size=4096)
    assert proc.returncode == 3, proc.stderr
    line = _last_line(proc)
    found = re.fullmatch(r"Error: (\S+): cannot write \(File too large\); free disk space \(or raise the file size "
                         r"limit\) and run again", line)
    assert found is not None, line
    written = Path(found.group(1))
    assert written.is_relative_to(root / "docs") and written.suffix  # a page the user can find, not a temp file
    assert not (root / ".docs-staging").exists()  # what was staged is given back
    # With the space back, the same command finishes.
    assert briefing("generate", "--root", str(root)).returncode == 0


def test_a_full_disk_while_reading_costs_the_article_with_one_line(tmp_path: Path) -> None:
    # A short article needs the language model, which is unpacked to the user's cache (and, failing that,
    # through a temporary file) on first use: with an empty cache and the file size limit, both fail.
    root = project(tmp_path)
    article = root / "content" / "ferry.txt"
    (tmp_path / "cache").mkdir()
    (tmp_path / "tmp").mkdir()
    proc = briefing("extract", str(article), "--root", str(root), file_size=4096,
                    env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "TMPDIR": str(tmp_path / "tmp")})
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert _last_line(proc) == (f"skipped: {article}: could not be read: File too large; if the disk is full, free "
                                "space and run again")


# ---- no command prints a traceback over the hostile and broken fixtures ----------------------------

@pytest.mark.slow  # runs every command in its own process over every fixture
def test_no_command_prints_a_traceback_over_hostile_and_broken_fixtures(tmp_path: Path) -> None:
    root = project(tmp_path, kb=HOSTILE / "kb")
    for folder in (HOSTILE / "content", BROKEN / "content"):
        shutil.copytree(folder, root / "content", dirs_exist_ok=True)
    shutil.copy(BROKEN / "long-feed.xml", root / "content")
    (root / "content" / "folder-link").symlink_to(root / "docs", target_is_directory=True)
    sources = sorted(str(p) for p in root.joinpath("content").iterdir() if p.is_file())
    sources.append(str(HOSTILE / "billion-laughs.md"))
    runs = {
        "generate": briefing("generate", "--root", str(root)),
        "build": briefing("build", "--root", str(root)),
        "check": briefing("check", "--root", str(root)),
        "extract": briefing("extract", str(root / "content"), "--root", str(root)),
        "add": briefing("add", *sources, "--root", str(project(tmp_path / "other"))),
    }
    for mistake in sorted(KB_MISTAKES):
        shutil.rmtree(root / "kb")
        shutil.copytree(BROKEN / "kb-mistakes" / mistake, root / "kb")
        runs[f"check with {mistake}"] = briefing("check", "--root", str(root))
    for name, proc in runs.items():
        assert TRACEBACK not in proc.stderr and TRACEBACK not in proc.stdout, f"{name}:\n{proc.stderr[-3000:]}"
        assert proc.returncode in (0, 1), f"{name} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    assert runs["generate"].returncode == 0 and runs["build"].returncode == 0
    assert "folder-link: is a link to the folder" in runs["generate"].stderr
    assert all(runs[f"check with {m}"].returncode == 1 for m in KB_MISTAKES)


def test_briefing_add_of_a_feed_over_the_size_limit_adds_the_entries_that_fit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import intake

    path = BROKEN / "long-feed.xml"
    data = path.read_bytes()
    monkeypatch.setattr(intake, "MAX_BYTES", 2000)
    content = tmp_path / "content"
    report = intake.add_sources([str(path)], content, today=dt.date(2026, 6, 30))
    whole = data[:2000].count(b"</item>")
    kept = data[:2000].rindex(b"</item>") + len(b"</item>")
    assert len(report.added) == whole
    assert [(r.origin, r.reason) for r in report.refused] == [
        (str(path), f"is over the 2,000-byte limit; added from the entries in its first {kept:,} bytes and skipped "
                    "the rest. Split the feed to add them all")]
