"""Where a built site's bytes go: by kind of file and page, and each page's shell apart from its article.

    .venv/bin/python bench/site_bytes.py bench/out/n1000/site --articles 1000

Prints one row per kind (files, MB, KB per article) and, for HTML pages, the bytes outside
``<article>`` (the page shell: head, header, tabs, navigation, table of contents, footer, scripts).
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

_ARTICLE = re.compile(rb"<article\b.*?</article>", re.S)
_ENTITY_DIRS = ("actors", "weapons", "concerns", "places")


@dataclass
class Kind:
    files: int = 0
    size: int = 0
    shell: int = 0


def kind_of(rel: str) -> str:
    """The row a file of the site counts in."""
    parts = rel.split("/")
    top = parts[0]
    if top == "pagefind":
        return "Pagefind bundle"
    if top == "assets":
        return "assets (theme, scripts, charts)"
    if top == "data":
        return "data/ per-briefing records" if len(parts) > 2 else "data/ lists (briefings, entities, stories, network)"
    if rel.endswith(".xml") and top != "sitemap.xml":
        return "feeds (RSS)"
    if rel.endswith(".html"):
        depth = len(parts)
        if top == "briefings" and depth == 3:
            return "briefing pages"
        if top in _ENTITY_DIRS and depth == 3:
            return "dossier pages"
        if top in (*_ENTITY_DIRS, "stories") and depth == 4:
            return "archive pages (dossiers, stories)"
        if top == "stories" and depth == 3:
            return "story pages"
        if top == "timeline":
            return "timeline pages"
        return "other pages (home, indexes, network, 404, manual)"
    if top.startswith("sitemap"):
        return "sitemap.xml and .gz"
    return "other files (redirects, images)"


def breakdown(site: Path) -> dict[str, Kind]:
    kinds: dict[str, Kind] = defaultdict(Kind)
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        kind = kinds[kind_of(rel)]
        kind.files += 1
        kind.size += len(data)
        if rel.endswith(".html"):
            article = _ARTICLE.search(data)
            kind.shell += len(data) - (len(article.group(0)) if article else 0)
    return dict(kinds)


def report(site: Path, articles: int) -> str:
    kinds = breakdown(site)
    total = sum(k.size for k in kinds.values())
    rows = ["| part of site/ | files | MB | KB an article | of which page shell, KB a page |",
            "|---|---:|---:|---:|---:|"]
    for name, k in sorted(kinds.items(), key=lambda kv: -kv[1].size):
        shell = f"{k.shell / k.files / 1024:.1f}" if k.shell else ""
        rows.append(f"| {name} | {k.files:,} | {k.size / 1e6:.1f} | {k.size / articles / 1024:.1f} | {shell} |")
    html = [k for k in kinds.values() if k.shell]
    pages = sum(k.files for k in html)
    shell_total = sum(k.shell for k in html)
    rows.append(f"| **whole site** | {sum(k.files for k in kinds.values()):,} | {total / 1e6:.1f} | "
                f"**{total / articles / 1024:.1f}** | {shell_total / max(pages, 1) / 1024:.1f} "
                f"(all {pages:,} pages: {shell_total / articles / 1024:.1f} KB an article) |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path)
    ap.add_argument("--articles", type=int, required=True)
    args = ap.parse_args()
    print(report(args.site, args.articles))


if __name__ == "__main__":
    main()
