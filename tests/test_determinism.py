"""Two builds from scratch of the sample content leave the same bytes, in docs/ and in site/."""

from __future__ import annotations

import gzip
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.config import load_settings
from generator.pipeline import generate, mkdocs_build

ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def project(base: Path) -> Path:
    base.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    shutil.copytree(ROOT / "content", base / "content")
    # The manual comes along: mkdocs.yml lists its pages in the nav, and the builds are strict.
    shutil.copytree(ROOT / "docs" / "manual", base / "docs" / "manual")
    return base


@pytest.mark.slow  # two builds from scratch
def test_two_generates_from_scratch_give_identical_docs(tmp_path: Path) -> None:
    a, b = project(tmp_path / "a"), project(tmp_path / "b")
    generate(load_settings(a))
    generate(load_settings(b))
    docs_a, docs_b = tree(a / "docs"), tree(b / "docs")
    assert len(docs_a) > 40
    assert docs_a == docs_b


@pytest.mark.slow
def test_two_builds_from_scratch_give_identical_sites(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    sites = []
    for name in ("a", "b"):
        base = project(tmp_path / name)
        settings = replace(load_settings(base), search="pagefind")
        generate(settings)
        mkdocs_build(settings, strict=True)
        sites.append(tree(base / "site"))
    a, b = sites
    assert a.keys() == b.keys()
    assert any(p.startswith("pagefind/") for p in a), "Pagefind's bundle is compared too"
    # sitemap.xml.gz is stamped by gzip with the build time (MkDocs sets no mtime); its content must agree.
    assert gzip.decompress(a.pop("sitemap.xml.gz")) == gzip.decompress(b.pop("sitemap.xml.gz"))
    differ = sorted(p for p in a if a[p] != b[p])
    assert differ == [], differ
