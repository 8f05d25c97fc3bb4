"""`briefing add URL --timeout N` bounds the whole download, not each read.

The server here is a real socket on 127.0.0.1 that trickles its answer one byte every 2 s: each read
succeeds long before a per-read timeout, so only a deadline for the whole download can stop it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.intake import IntakeError, fetch

# Each test waits out a server that trickles bytes until a timeout: seconds, not the edit loop's.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
PAGE = (Path(__file__).resolve().parent / "fixtures" / "broken" / "trickled-page.html").read_bytes()
BYTE_EVERY = 2.0


@contextmanager
def trickling_server(headers_at_once: bool, requested: list[float] | None = None) -> Iterator[str]:
    """Serve one page, one byte every 2 s (after the headers, or from the status line on); the monotonic
    time at which each request arrived goes to ``requested``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: " + str(len(PAGE)).encode() + b"\r\n\r\n")

    def answer(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)  # the request
            if requested is not None:
                requested.append(time.monotonic())
            rest = head + PAGE
            if headers_at_once:
                conn.sendall(head)
                rest = PAGE
            for i in range(len(rest)):
                if stop.wait(BYTE_EVERY if i else 0):
                    return
                try:
                    conn.sendall(rest[i:i + 1])
                except OSError:
                    return  # the client gave up, as it should

    # A closed listener does not wake a thread blocked in accept(): it looks up every 0.1 s instead,
    # so the server stops as soon as the test is done rather than at the join's timeout.
    listener.settimeout(0.1)

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/trickle"
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)


def test_briefing_add_gives_up_on_a_trickling_server_within_its_timeout(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    requested: list[float] = []
    with trickling_server(headers_at_once=True, requested=requested) as url:
        proc = subprocess.run([sys.executable, "-m", "generator.cli", "add", url, "--timeout", "5",
                               "--root", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        # From the request on: the seconds Python takes to start and import on a loaded machine come first.
        took = time.monotonic() - requested[0]
    assert took < 5 + 2, f"took {took:.1f} s"
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    expected = (f"skipped {url}: {url}: no complete answer within 5 s (--timeout); try again, or save the page "
                "and add the file")
    assert proc.stderr.splitlines() == [expected, "0 article(s) added, 1 skipped", "Error: nothing was added"]
    assert list((tmp_path / "content").iterdir()) == []


@pytest.mark.parametrize("headers_at_once", [False, True], ids=["status-line-trickled", "body-trickled"])
def test_fetch_deadline_covers_headers_and_body(headers_at_once: bool) -> None:
    with trickling_server(headers_at_once) as url:
        started = time.monotonic()
        with pytest.raises(IntakeError, match=r"no complete answer within 3 s \(--timeout\)"):
            fetch(url, timeout=3)
        took = time.monotonic() - started
    assert took < 3 + 1, f"took {took:.1f} s"
