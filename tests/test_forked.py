"""generator.forked.Child: work in a forked process, fetched when needed, None when the process failed."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.forked import Child

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_a_result_comes_back_from_the_forked_process() -> None:
    child = Child("square", lambda x: (os.getpid(), x * x), 7)
    got = child.result()
    assert isinstance(got, tuple) and got[1] == 49 and got[0] != os.getpid()


def test_a_process_that_dies_gives_none() -> None:
    assert Child("dies", lambda: os._exit(3)).result() is None


def test_the_first_part_is_used_while_the_process_makes_the_next(tmp_path: Path) -> None:
    gate = tmp_path / "go"

    def parts() -> Iterator[object]:
        yield "first"
        while not gate.exists():  # the second part waits until the first has been read
            time.sleep(0.01)
        yield "second"

    child = Child("two parts", parts, parts=2)
    assert child.result(0) == "first"
    gate.touch()
    assert child.result(1) == "second"
    assert child.result(0) == "first"


def test_a_process_that_dies_after_the_first_part_gives_that_part_only(tmp_path: Path) -> None:
    read = tmp_path / "first read"

    def parts() -> Iterator[object]:
        yield "first"
        while not read.exists():  # dies once the first part is surely received
            time.sleep(0.01)
        os._exit(3)

    child = Child("dies midway", parts, parts=2)
    assert child.result(0) == "first"
    read.touch()
    assert child.result(1) is None
    assert child.result(0) == "first"


def test_the_next_part_is_made_while_the_first_waits_unread(tmp_path: Path) -> None:
    # A first part larger than a pipe holds, not read yet: the process goes on to the second anyway.
    started = tmp_path / "second started"

    def parts() -> Iterator[object]:
        yield b"x" * (4 << 20)
        started.touch()
        yield "second"

    child = Child("unread first part", parts, parts=2)
    for _ in range(3000):  # up to 30 s on a loaded machine; the process needs milliseconds
        if started.exists():
            break
        time.sleep(0.01)
    assert started.exists(), "the process stopped at the unread first part"
    assert child.result(0) == b"x" * (4 << 20)
    assert child.result(1) == "second"
