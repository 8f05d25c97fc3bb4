"""--jobs bounds every process a build starts: with --jobs 1 it starts none."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from generator import incremental, outputs
from generator.config import load_settings
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "content").iterdir() if p.suffix in (".md", ".txt"))[:6]


def test_jobs_1_starts_no_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "content").mkdir()
    for p in SAMPLES[:-1]:
        shutil.copy(p, tmp_path / "content" / p.name)
    # Every place that could start a process is reached on this small site: the pool and the helper.
    monkeypatch.setattr(incremental, "SERIAL_MAX", 0)
    monkeypatch.setattr(outputs, "PARALLEL_MIN", 0)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was started")

    monkeypatch.setattr(os, "fork", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(multiprocessing.context.ForkContext.Process, "start", refuse)  # type: ignore[attr-defined]
    settings = replace(load_settings(tmp_path), jobs=1)
    first = generate(settings)
    assert first.read == len(SAMPLES) - 1 and not first.skipped
    shutil.copy(SAMPLES[-1], tmp_path / "content" / SAMPLES[-1].name)  # one added: extracted here
    (tmp_path / "content" / SAMPLES[0].name).unlink()  # one removed
    again = generate(settings)
    assert again.read == len(SAMPLES) - 1 and again.extracted == 1 and again.removed


@pytest.mark.slow  # builds a site
def test_jobs_1_builds_the_site_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import sitebuild

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "content").mkdir()
    for p in SAMPLES:
        shutil.copy(p, tmp_path / "content" / p.name)
    shutil.copytree(ROOT / "docs" / "manual", tmp_path / "docs" / "manual")
    settings = replace(load_settings(tmp_path), jobs=1)
    generate(settings)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process was forked")

    # Pagefind, the search indexer, runs as a program of its own: the build itself forks nothing.
    monkeypatch.setattr(os, "fork", refuse)
    monkeypatch.setattr(multiprocessing.context.ForkContext.Process, "start", refuse)  # type: ignore[attr-defined]
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    assert sitebuild.build(settings).full
    assert (settings.site_path / "index.html").is_file()
