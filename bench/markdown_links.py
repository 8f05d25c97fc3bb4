"""Markdown conversion of a generated docs/ with Python-Markdown's own link parsing and with
generator/linkscan.py's, page by page and alternately (so the machine's drift falls on both alike),
checking that each page's HTML is the same.

    .venv/bin/python bench/markdown_links.py bench/out/n1000/docs --every 2
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.linkscan import FastBrackets  # noqa: E402

# The extensions of the project's mkdocs.yml.
EXTENSIONS = ["admonition", "pymdownx.details", "tables", "toc", "attr_list", "md_in_html", "pymdownx.superfences"]
CONFIGS = {"toc": {"permalink": True}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("docs", type=Path)
    ap.add_argument("--every", type=int, default=1, help="take every n-th page")
    args = ap.parse_args()
    pages = sorted(args.docs.rglob("*.md"))[:: args.every]
    stock = fast = 0.0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
        quick = markdown.Markdown(extensions=[FastBrackets(), *EXTENSIONS], extension_configs=CONFIGS)
        started = time.perf_counter()
        a = plain.convert(text)
        stock += time.perf_counter() - started
        started = time.perf_counter()
        b = quick.convert(text)
        fast += time.perf_counter() - started
        if a != b:
            raise SystemExit(f"{page}: the HTML differs")
    print(f"{len(pages)} pages, same HTML; Python-Markdown's link parsing {stock:.1f} s, "
          f"generator.linkscan {fast:.1f} s ({fast / stock:.2f} x)")


if __name__ == "__main__":
    main()
