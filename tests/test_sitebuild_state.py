"""The site build's record of docs/: hashes kept by stamp, and the pages that link to a file that came or went."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from generator import sitebuild


def _settle() -> None:
    time.sleep(0.06)  # past the window in which a file's stamp is not trusted (generator.files.RACY_NS)


def test_an_unchanged_file_keeps_its_recorded_hash_and_an_edited_one_is_hashed_again(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# A\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n", encoding="utf-8")
    _settle()
    hashes, stamps = sitebuild._docs_hashes(tmp_path)
    assert hashes["a.md"] == hashlib.sha256(b"# A\n").hexdigest() and set(stamps) == {"a.md", "b.md"}

    # A recorded hash stands for a file whose stamp is unchanged: the file is not read again.
    recorded = {"files": {**hashes, "a.md": "recorded"}, "stamps": stamps}
    again, _ = sitebuild._docs_hashes(tmp_path, recorded)
    assert again["a.md"] == "recorded"

    (tmp_path / "a.md").write_text("# Z\n", encoding="utf-8")  # same size, new content
    _settle()
    edited, _ = sitebuild._docs_hashes(tmp_path, recorded)
    assert edited["a.md"] == hashlib.sha256(b"# Z\n").hexdigest()
    assert edited["b.md"] == hashes["b.md"]


def test_pages_linking_to_a_file_that_came_or_went_are_found_by_their_links(tmp_path: Path) -> None:
    pages = {
        "linked.md": "See [the talks](../briefings/x.md).\n",
        "named.md": "The file x.md is named here, not linked.\n",
        "other.md": "See [other](y.md).\n",
        "image.md": "![chart](img/x.md)\n",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert sitebuild._linking(tmp_path, sorted(pages), {"x.md"}) == {"linked.md", "image.md"}
    assert sitebuild._linking(tmp_path, sorted(pages), {"z.md"}) == set()
    many = {f"n{i}.md" for i in range(60)} | {"y.md"}  # past the quick test: every page is parsed
    assert sitebuild._linking(tmp_path, sorted(pages), many) == {"other.md"}


def test_pages_not_built_again_are_read_only_for_a_plugin_that_may_gather_from_every_page(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    from generator import pageshell, search

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "docs").mkdir()

    def config(plugins: str, engine: str) -> object:
        yml = (root / "mkdocs.yml").read_text(encoding="utf-8").replace("plugins:\n  - search\n", plugins)
        (tmp_path / "mkdocs.yml").write_text(yml, encoding="utf-8")
        cfg = load_config(str(tmp_path / "mkdocs.yml"))
        search.configure(cfg, engine)
        pageshell.configure(cfg)
        cfg["plugins"][sitebuild._PLUGIN] = sitebuild._Selective()
        return cfg

    assert "plugins:\n  - search\n" in (root / "mkdocs.yml").read_text(encoding="utf-8")
    # The site's own plugins, and Material's search switched off for Pagefind: nothing gathers.
    assert not sitebuild._gathering(config("plugins:\n  - search\n", "pagefind"))
    # Material's search gathers every page's text; so may any plugin the site does not know (tags).
    assert sitebuild._gathering(config("plugins:\n  - search\n", "material"))
    assert sitebuild._gathering(config("plugins:\n  - search\n  - tags\n", "pagefind"))
