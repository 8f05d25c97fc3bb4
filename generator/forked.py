"""A function run in a forked process while this one goes on, its result fetched when needed.

Used where a large build has work that nothing needs for a while (ranking related briefings and
rendering the overview) and a second CPU sits idle. The callers
fall back to running the function themselves when :meth:`Child.result` gives None, so the output
never depends on whether the fork happened or worked.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger("briefing")


def can_fork() -> bool:
    """Whether work may go to a forked process: Linux, more than one CPU, and no other thread (a fork
    copies only the calling thread, so one forked beside a server or a progress bar is not safe)."""
    return (hasattr(os, "fork") and sys.platform == "linux" and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


class Child:
    """``fn(*args)`` in a forked process (the arguments are inherited, not pickled; the result is).

    With ``parts`` above one, ``fn`` yields that many values and each is sent as soon as it is made:
    ``result(i)`` waits for the i-th only, so the first can be used while the process makes the rest.
    """

    def __init__(self, name: str, fn: Callable[..., object], *args: object, parts: int = 1) -> None:
        ctx = multiprocessing.get_context("fork")
        self.name = name
        self._parts = parts
        self._got: list[object] = []
        self._open = True
        self._conn, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_run, args=(send, fn, args, parts), name=name, daemon=True)
        try:
            self._proc.start()  # OSError when no process can be made: the caller does the work
        except BaseException:
            self._conn.close()
            raise
        finally:
            send.close()

    def result(self, part: int = 0) -> object | None:
        """Wait for part ``part`` of the result; None if the process failed before sending it whole."""
        while self._open and len(self._got) <= part:
            try:
                self._got.append(self._conn.recv())
            except (EOFError, OSError) as exc:
                log.debug("%s: process failed (%s); the work is done here", self.name, exc)
                self._close()
            else:
                if len(self._got) == self._parts:
                    self._close()
        if part >= len(self._got):
            return None
        if self._parts == 1 and self._proc.exitcode != 0:
            return None  # as before parts: a process that failed after sending is not trusted
        return self._got[part]

    def _close(self) -> None:
        self._open = False
        self._conn.close()
        self._proc.join()


def _run(conn: Any, fn: Callable[..., object], args: tuple[object, ...], parts: int) -> None:
    try:
        _send_parts(conn, (fn(*args),) if parts == 1 else fn(*args))  # type: ignore[arg-type]
    finally:
        conn.close()


def _send_parts(conn: Any, values: Iterable[object]) -> None:
    """Send each value as it is made, by a thread, so that making the next one never waits for the
    build process to read the last: a pipe holds 64 KB, and a part not yet read (related briefings,
    read when the briefing pages are rendered) would otherwise stop this process for a second."""
    from multiprocessing.reduction import ForkingPickler

    ready: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def send() -> None:
        try:
            while (data := ready.get()) is not None:
                conn.send_bytes(data)  # what Connection.send writes: recv() reads it back
        except OSError:
            return  # the build process is gone or closed the pipe: nobody reads what is left

    sender = threading.Thread(target=send, name="send parts", daemon=True)
    sender.start()
    try:
        for value in values:
            ready.put(bytes(ForkingPickler.dumps(value)))
    finally:
        ready.put(None)
        sender.join()
