"""``briefing serve`` regenerates when content/ or the KB changes: an added article shows in the preview.

Runs the real command on 127.0.0.1 and reads its pages over HTTP.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
WAIT = 180.0  # a wait for an answer on a shared machine, not a limit on its speed
ARTICLES = {
    "talks.md": "---\ntitle: Talks in Geneva\ndate: 2022-01-03\n---\nRussia and Ukraine met in Geneva for talks.\n",
    "drill.md": ("---\ntitle: Border drill\ndate: 2022-01-04\n---\n"
                 "Russia held a drill near the border, and Ukraine said it was watching.\n"),
}
ADDED = ("---\ntitle: Harbour patrol\ndate: 2022-01-06\n---\n"
         "The Quillhaven Coast Guard began a harbour patrol, and the port authority welcomed it.\n")
KB = "kind: actors\nsource: test notes\nlicence: CC0\n"
KB_ENTRY = "  - id: quillhaven-guard\n    name: Quillhaven Coast Guard\n    type: organization\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return str(r.read().decode("utf-8"))
    except (OSError, urllib.error.HTTPError):
        return None


def _wait_for(url: str, text: str, proc: subprocess.Popen[bytes], log: Path) -> float:
    started = time.monotonic()
    while True:
        assert proc.poll() is None, log.read_text(encoding="utf-8")
        page = _get(url)
        if page is not None and text in page:
            return time.monotonic() - started
        assert time.monotonic() - started < WAIT, f"{url} never showed {text!r}:\n" + log.read_text(encoding="utf-8")
        time.sleep(0.25)


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[bytes], Path]]:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs" / "manual", tmp_path / "docs" / "manual")
    (tmp_path / "content").mkdir()
    for name, text in ARTICLES.items():
        (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "actors.yaml").write_text(KB + "entries: []\n", encoding="utf-8")
    (tmp_path / "briefing.yml").write_text("kb_dirs: [kb]\n", encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--root", str(tmp_path),
                                 "--dev-addr", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"})
        try:
            _wait_for(url + "briefings/talks/", "Talks in Geneva", proc, log)
            yield url, tmp_path, proc, log
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_an_added_article_and_a_kb_entry_show_in_the_preview(
        preview: tuple[str, Path, subprocess.Popen[bytes], Path]) -> None:
    url, root, proc, log = preview
    assert _get(url + "briefings/patrol/") is None
    (root / "content" / "patrol.md").write_text(ADDED, encoding="utf-8")
    _wait_for(url + "briefings/patrol/", "Harbour patrol", proc, log)
    _wait_for(url + "briefings/", "Harbour patrol", proc, log)  # the index lists it too

    # The KB learns the name: its dossier appears, under the KB's id.
    (root / "kb" / "actors.yaml").write_text(KB + "entries:\n" + KB_ENTRY, encoding="utf-8")
    _wait_for(url + "actors/quillhaven-guard/", "Quillhaven Coast Guard", proc, log)

    # The article goes: its address answers with the redirect to the briefings index.
    (root / "content" / "patrol.md").unlink()
    _wait_for(url + "briefings/patrol/", 'http-equiv="refresh"', proc, log)
    assert "briefings/patrol.md: briefings/index.md" in (root / "redirects.yml").read_text(encoding="utf-8")
