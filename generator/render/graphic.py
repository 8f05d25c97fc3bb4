"""Text alternatives for the site's graphics: charts, relationship diagrams, the network, maps.

Every graphic says in words what it shows, for readers who cannot see it: a title and a one-sentence
description inside the graphic itself (``svg_text`` for an SVG), and the data behind it as a table
or list the reader can open under the graphic (``as_table``, ``as_list``). A new graphic (a map)
uses the same three functions. Untrusted names reach Markdown only through ``escape.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup

from generator.render.escape import attr, md


def svg_text(title: str, description: str) -> str:
    """The ``<title>`` and ``<desc>`` an SVG with ``role="img"`` is named and described by.

    Goes right after the opening ``<svg ...aria-labelledby="graphic-title graphic-desc">``.
    """
    return f'<title id="graphic-title">{attr(title)}</title>\n<desc id="graphic-desc">{attr(description)}</desc>'


SVG_LABELLED = 'role="img" aria-labelledby="graphic-title graphic-desc"'


def _cell(value: object) -> str:
    return str(value) if isinstance(value, Markup) else md(value)


def _block(summary: str, body: Iterable[str]) -> str:
    # A collapsed "details" block (pymdownx.details): the graphic stays the first thing seen.
    lines = [f'??? info "{summary}"', ""] + [f"    {line}" if line else "" for line in body]
    return "\n".join(lines) + "\n"


def as_table(summary: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The data of a graphic as a Markdown table in a collapsed block titled ``summary``.

    Cells are escaped unless they are already :class:`Markup` (links made by the renderer).
    """
    body = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    body += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return _block(summary, body)


def as_list(summary: str, items: Iterable[object]) -> str:
    """The content of a graphic as a bulleted list of sentences in a collapsed block."""
    return _block(summary, [f"- {_cell(item)}" for item in items])
