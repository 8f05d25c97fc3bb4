from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis_profiles import register

if TYPE_CHECKING:
    from generator.pipeline import BuildReport

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
register()  # before any test module is imported: their example counts scale with the profile


@pytest.fixture(autouse=True, scope="session")
def _user_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests' own user cache folder (the unpacked language model goes there), not the user's."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's site configuration with an empty content folder.

    The hand-written manual comes along: mkdocs.yml lists its pages in the nav, and a strict build
    fails on a nav entry whose page is missing.
    """
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "content").mkdir()
    shutil.copytree(ROOT / "docs" / "manual", tmp_path / "docs" / "manual")
    return tmp_path


@pytest.fixture(scope="session")
def fixture_book_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture book (tests/fixtures/site) built with ``mkdocs build --strict``: built once per test
    process for the modules that only read it."""
    from sitefixture import mkdocs_build, write_project

    return mkdocs_build(write_project(tmp_path_factory.mktemp("fixture-book")))


@pytest.fixture(scope="session")
def sample_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The repository's sample content and hand-written docs through the real pipeline (generate, then a
    strict build); (project folder, generate's report). Built once per test process, only read."""
    from sitefixture import copy_handwritten_docs

    from generator.config import load_settings
    from generator.pipeline import generate
    from generator.pipeline import mkdocs_build as pipeline_build

    root = tmp_path_factory.mktemp("sample-book")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "content", root / "content")
    copy_handwritten_docs(root / "docs")
    settings = load_settings(root)
    report = generate(settings)
    pipeline_build(settings, strict=True)
    return root, report


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium for one test module. Module scope, not session: Playwright's sync
    API runs one instance per thread, and some tests start their own."""
    from browserkit import ARGS, CHROMIUM, need_chromium

    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()
