"""A function run in a forked process while this one goes on, its result fetched when needed.

Used where a large build has work that nothing needs for a while (ranking related briefings,
extracting a few new articles while the card store loads) and a second CPU sits idle. The callers
fall back to running the function themselves when :meth:`Child.result` gives None, so the output
never depends on whether the fork happened or worked.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("briefing")


def can_fork() -> bool:
    """Whether work may go to a forked process: Linux, more than one CPU, and no other thread (a fork
    copies only the calling thread, so one forked beside a server or a progress bar is not safe)."""
    return (hasattr(os, "fork") and sys.platform == "linux" and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


class Child:
    """``fn(*args)`` in a forked process (the arguments are inherited, not pickled; the result is)."""

    def __init__(self, name: str, fn: Callable[..., object], *args: object) -> None:
        ctx = multiprocessing.get_context("fork")
        self.name = name
        self._conn, send = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_run, args=(send, fn, args), name=name, daemon=True)
        try:
            self._proc.start()  # OSError when no process can be made: the caller does the work
        except BaseException:
            self._conn.close()
            raise
        finally:
            send.close()

    def result(self) -> object | None:
        """Wait for the result; None if the process failed."""
        got: object = None
        try:
            got = self._conn.recv()
        except (EOFError, OSError) as exc:
            log.debug("%s: process failed (%s); the work is done here", self.name, exc)
        finally:
            self._conn.close()
            self._proc.join()
        return got if self._proc.exitcode == 0 else None


def _run(conn: Any, fn: Callable[..., object], args: tuple[object, ...]) -> None:
    try:
        conn.send(fn(*args))
    finally:
        conn.close()
