from __future__ import annotations

import re

import pytest

from generator.links import article_slugs, entity_path, rel_link, slugify


@pytest.mark.parametrize(
    "text",
    ["../../etc/passwd", "/abs/path", "CON", "nul", "", "   ", "ℌ𝔢𝔩𝔩𝔬", "a" * 500, "index", "Ünïcödé title"],
)
def test_slugs_are_safe(text: str) -> None:
    s = slugify(text)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", s), s
    assert len(s) <= 80
    assert s not in {"con", "nul", "index"}


def test_article_slugs_are_stable_and_distinct() -> None:
    first = article_slugs(["a.md", "b.txt"])
    more = article_slugs(["a.md", "b.txt", "c.md", "sub/a.md", "A.txt"])
    assert more["a.md"] == first["a.md"] == "a" and more["b.txt"] == first["b.txt"]
    assert len(set(more.values())) == len(more)


def test_rel_link() -> None:
    assert rel_link("briefings/x.md", entity_path("actor", "north-korea")) == "../actors/north-korea.md"
    assert rel_link("index.md", "briefings/x.md") == "briefings/x.md"
