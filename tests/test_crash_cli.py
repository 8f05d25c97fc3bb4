"""`briefing generate` killed with SIGKILL at random moments, on a project of a couple of dozen articles.

The project changes between the old and the new run (articles removed, edited and added), so a
killed run has pages to write, rewrite and delete. After each kill every file in docs/ must be a
whole old or a whole new version (and, unless a committed journal is waiting, the tree as a whole is
one or the other); the next run must leave exactly what a from-scratch run on the new content makes.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import journal, redirects

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 24

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals"),
]
pytest.importorskip("generator.extract", reason="the extraction engine (generator/extract) has not landed")


def cli(root: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.Popen([sys.executable, "-m", "generator.cli", "generate", "--root", str(root)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def run(root: Path) -> None:
    proc = cli(root)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode(errors="replace")[-3000:]


def snapshot(docs: Path) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def new_content(old: Path, new: Path) -> None:
    """The old articles, four removed, six edited (so entity pages change too), two added."""
    shutil.copytree(old, new)
    files = sorted(p for p in new.iterdir() if p.is_file())
    for p in files[:4]:
        p.unlink()
    for p in files[4:10]:
        with p.open("a", encoding="utf-8") as fh:
            fh.write("\n\nLater on Monday, NATO said Iran had supplied drones to Russia.\n")
    (new / "added-one.txt").write_text("Talks Resume in Geneva\n\nDiplomats from Ukraine and Russia met in "
                                       "Geneva on Tuesday.\n", encoding="utf-8")
    (new / "added-two.txt").write_text("Missile Test Reported\n\nNorth Korea launched a Hwasong-18 missile on "
                                       "Friday, officials in Seoul said.\n", encoding="utf-8")


def project(base: Path, name: str, content: Path) -> Path:
    root = base / name
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    # mkdocs.yml lists the manual in its nav; a strict build needs its pages.
    shutil.copytree(ROOT / "docs" / "manual", root / "docs" / "manual", dirs_exist_ok=True)
    shutil.copytree(content, root / "content")
    return root


@dataclass
class Trees:
    base: Path  # a project generated from the old content
    content_b: Path
    old: dict[str, bytes]
    new: dict[str, bytes]  # docs/ of a from-scratch run on the new content


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> Trees:
    tmp_path = tmp_path_factory.mktemp("crash-cli")
    content_a = tmp_path / "content-a"
    content_a.mkdir()
    for p in sorted((ROOT / "content").iterdir())[:ARTICLES]:
        shutil.copy(p, content_a / p.name)
    content_b = tmp_path / "content-b"
    new_content(content_a, content_b)
    base = project(tmp_path, "base-a", content_a)
    run(base)
    # The pages the new content no longer makes are listed in redirects.yml by the run that removes
    # them; a fresh clone of the project after that run has the file, so the scratch run gets it too.
    straight = tmp_path / "straight-b"
    shutil.copytree(base, straight)
    shutil.rmtree(straight / "content")
    shutil.copytree(content_b, straight / "content")
    run(straight)
    scratch = project(tmp_path, "scratch-b", content_b)
    shutil.copy(straight / redirects.FILE, scratch / redirects.FILE)
    run(scratch)
    assert snapshot(straight / "docs") == snapshot(scratch / "docs")
    t = Trees(base, content_b, snapshot(base / "docs"), snapshot(scratch / "docs"))
    assert t.old != t.new and set(t.old) != set(t.new)
    return t


def killed_copy(t: Trees, root: Path) -> Path:
    shutil.copytree(t.base, root)
    shutil.rmtree(root / "content")
    shutil.copytree(t.content_b, root / "content")
    return root


def check(t: Trees, docs: Path, what: str) -> str:
    now = snapshot(docs)
    for rel, data in now.items():
        assert data in (t.old.get(rel), t.new.get(rel)), f"{what}: {rel} is neither old nor new"
    if journal.journal_path(docs).exists():
        assert all(rel in now for rel in set(t.old) & set(t.new)), f"{what}: a page was lost"
        return "committed"
    assert now in (t.old, t.new), f"{what}: no journal, yet docs/ mixes old and new"
    return "old" if now == t.old else "new"


def finish(t: Trees, root: Path, what: str) -> None:
    run(root)
    docs = root / "docs"
    assert snapshot(docs) == t.new, f"{what}: the run after the kill differs from a from-scratch run"
    assert not journal.staging_path(docs).exists() and not journal.journal_path(docs).exists()


INJECT = """
import os, signal, sys
from generator import journal
from generator.cli import main
docs = os.path.join(sys.argv[1], "docs")
staging, committed = str(journal.staging_path(__import__("pathlib").Path(docs))), str(
    journal.journal_path(__import__("pathlib").Path(docs)))
kill_at, seen, real = int(sys.argv[2]), [0], os.replace
def replace(src, dst, *a, **k):
    # Count only the journal's own renames: the commit point, then each staged page moved into place.
    if str(dst) == committed or str(src).startswith(staging):
        seen[0] += 1
        if seen[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst, *a, **k)
os.replace = replace
sys.argv = ["briefing", "generate", "--root", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("kill_at", [1, 2, 40])
def test_generate_killed_at_and_after_its_commit_point(trees: Trees, tmp_path: Path, kill_at: int) -> None:
    root = killed_copy(trees, tmp_path / "p")
    proc = subprocess.run([sys.executable, "-c", INJECT, str(root), str(kill_at)], cwd=ROOT, capture_output=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode(errors="replace")[-2000:]
    outcome = check(trees, root / "docs", f"kill at replace {kill_at}")
    assert outcome == ("old" if kill_at == 1 else "committed")
    finish(trees, root, f"kill at replace {kill_at}")


def test_generate_killed_at_random_moments(trees: Trees, tmp_path: Path) -> None:
    timing = killed_copy(trees, tmp_path / "timing")
    started = time.monotonic()
    run(timing)
    window = time.monotonic() - started
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    outcomes = []
    for i in range(6):
        root = killed_copy(trees, tmp_path / f"kill{i}")
        proc = cli(root)
        # Half the kills anywhere in the run, half around its end, where the writing happens (the
        # load of the machine varies, so "the end" is a range).
        time.sleep(rng.uniform(0, window) if i % 2 == 0 else rng.uniform(window * 0.67, window * 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Then the extraction workers it left behind, which would hold its stderr open forever.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        outcomes.append(check(trees, root / "docs", f"seed {seed}, kill {i}"))
        finish(trees, root, f"seed {seed}, kill {i}")
    print(f"seed={seed} window={window:.1f}s outcomes={outcomes}", file=sys.stderr)
