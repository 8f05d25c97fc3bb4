"""The site engines that can build ``docs/`` into ``site/``: MkDocs 1.6, ProperDocs and Zensical.

MkDocs 1.6.1 is the last MkDocs 1.x release; ProperDocs continues 1.x, and Zensical is the
successor of Material for MkDocs that reads the same ``mkdocs.yml``. All three read one config, so
switching is one option (``briefing build --engine``), not a migration. MkDocs runs in-process (it is
a core dependency); the others run as subprocesses of the same Python, so an engine that crashes or
prints a traceback cannot take the generator down with it, and each gets its own arguments here.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from generator import search, sitebuild
from generator.config import Settings

log = logging.getLogger("briefing")

ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
CONFIG_FILE = "mkdocs.yml"
# Zensical takes no --site-dir option; a two-line config that inherits mkdocs.yml sets it instead.
ZENSICAL_OVERRIDE = ".briefing-zensical.yml"
# Material 9.7+ prints an end-of-life notice at every build; it says nothing about this site.
QUIET_ENV = {"NO_MKDOCS_2_WARNING": "1"}


class EngineError(RuntimeError):
    """An engine is missing, or its build failed; the message says which and what to do."""


@dataclass(frozen=True)
class EngineRun:
    engine: str
    command: tuple[str, ...]  # empty for the in-process MkDocs build
    seconds: float


def _executable(name: str) -> str:
    """The engine's console script beside this Python (the project's venv), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise EngineError(f"{name} is not installed; install it with: pip install -e '.[engines]'")
    return found


def available(engine: str) -> bool:
    if engine == "mkdocs":
        return True
    try:
        _executable(engine)
    except EngineError:
        return False
    return True


def command(engine: str, settings: Settings, strict: bool) -> list[str]:
    """The command line that builds the site with ``engine`` (not used for in-process MkDocs)."""
    config = str((settings.root / CONFIG_FILE).resolve())
    site = str(settings.site_path.resolve())
    if engine == "properdocs":
        # --no-strict too: mkdocs.yml says strict: true, and the command line decides, as for MkDocs.
        return [_executable("properdocs"), "build", "--clean", "-f", config, "-d", site,
                "--strict" if strict else "--no-strict"]
    if engine == "mkdocs":
        return [_executable("mkdocs"), "build", "--clean", "-f", config, "-d", site,
                "--strict" if strict else "--no-strict"]
    if engine == "zensical":
        return [_executable("zensical"), "build", "--clean", "-f", str(_zensical_config(settings, strict))]
    raise EngineError(f"unknown engine '{engine}' (known: {', '.join(ENGINES)})")


def _zensical_config(settings: Settings, strict: bool) -> Path:
    """A config inheriting mkdocs.yml with the settings' site folder and strictness.

    Zensical has neither --site-dir nor --no-strict, and mkdocs.yml says ``strict: true``.
    """
    root = settings.root.resolve()
    site = settings.site_path.resolve()
    if not site.is_relative_to(root):
        raise EngineError(f"Zensical builds only inside the project folder; site_dir {site} is outside {root}")
    rel = site.relative_to(root).as_posix()
    # Written beside mkdocs.yml because Zensical resolves docs_dir and site_dir from the config's folder.
    override = root / ZENSICAL_OVERRIDE
    override.write_text(f"# Written by briefing build --engine zensical; safe to delete.\n"
                        f"INHERIT: {CONFIG_FILE}\nsite_dir: {rel}\nstrict: {str(strict).lower()}\n",
                        encoding="utf-8")
    return override


def build(settings: Settings, engine: str = DEFAULT_ENGINE, strict: bool = False) -> EngineRun:
    """Build ``docs/`` into the site folder with ``engine``; raise EngineError when it fails."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine '{engine}' (known: {', '.join(ENGINES)})")
    started = time.perf_counter()
    if engine == "mkdocs":
        _mkdocs_in_process(settings, strict)
        return EngineRun(engine, (), time.perf_counter() - started)
    argv = command(engine, settings, strict)
    # Another engine rewrites site/ whole: an incremental MkDocs build must not start from its output.
    sitebuild.state_path(settings).unlink(missing_ok=True)
    log.info("building the site with %s", engine)
    log.debug("running %s", " ".join(argv))
    result = subprocess.run(argv, cwd=settings.root, env={**os.environ, **QUIET_ENV}, check=False)
    if engine == "zensical":
        (settings.root / ZENSICAL_OVERRIDE).unlink(missing_ok=True)
    if result.returncode != 0:
        raise EngineError(f"{engine} build failed (exit {result.returncode}); its messages are above")
    _index_search(settings)
    return EngineRun(engine, tuple(argv), time.perf_counter() - started)


def _index_search(settings: Settings) -> None:
    # Pagefind indexes the built HTML, whichever engine wrote it.
    if settings.search == "pagefind":
        r = search.build_index(settings.site_path, jobs=settings.workers)
        log.info("pagefind: %d pages indexed into %d files (%.1f MB) in %.1f s", r.pages, r.files, r.bytes / 1e6,
                 r.seconds)


def _mkdocs_in_process(settings: Settings, strict: bool) -> None:
    # Here rather than through the pipeline: building docs/ into site/ needs no article, KB or extractor.
    from mkdocs.exceptions import MkDocsException

    try:
        # Incremental when the build state in the cache folder allows it (generator/sitebuild.py);
        # strict=False is passed too: it overrides `strict: true` in mkdocs.yml, as --no-strict does.
        run = sitebuild.build(settings, strict=strict)
    except MkDocsException as exc:
        # Abort (strict mode) and ConfigurationError: MkDocs has already logged the warnings themselves.
        raise EngineError(f"mkdocs build failed: {exc}") from exc
    if run.full:
        log.info("site built in full (%s): %d pages", run.reason, run.pages_total)
    else:
        log.info("site built incrementally: %d of %d pages rendered, %d removed", run.pages_rendered,
                 run.pages_total, run.pages_removed)
