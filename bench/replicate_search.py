"""Time Pagefind's first answer on a site grown to N pages by copying a built site's briefing pages.

    .venv/bin/python bench/replicate_search.py bench/out/n1000/site-pagefind --pages 5000

Used when a real N-article ``mkdocs build`` does not fit the time at hand (at 5,000 articles it
takes about 110 s on an idle 2-core machine and many minutes on a loaded one). Each copy is the
same Material page under a new path with its title numbered, so the index holds N pages with the
vocabulary of the originals; query cost in Pagefind depends on the index chunks a query needs,
which this reproduces. RESULTS.md says which numbers came from this and which from real builds.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import QUERY, first_result, tree_bytes  # noqa: E402
from generator import search  # noqa: E402


def grow(src: Path, dest: Path, pages: int) -> int:
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("pagefind"))
    originals = sorted(p for p in (dest / "briefings").glob("*/index.html"))
    have = sum(1 for _ in dest.rglob("*.html"))
    copy = 0
    while have < pages:
        for page in originals:
            if have >= pages:
                break
            html = page.read_text(encoding="utf-8")
            mark = f" (copy {copy + 1})"
            html = re.sub(r"(<h1[^>]*>.*?)(</h1>)", r"\1" + mark + r"\2", html, count=1, flags=re.S)
            target = page.parent.parent / f"{page.parent.name}-copy{copy + 1}" / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            have += 1
        copy += 1
    return have


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, help="a site built with search: pagefind")
    ap.add_argument("--pages", type=int, default=5000)
    args = ap.parse_args()
    dest = args.site.parent / f"site-grown-{args.pages}"
    n = grow(args.site, dest, args.pages)
    r = search.build_index(dest)
    print(f"  {'pages in the grown site':<58} {n:>14}")
    print(f"  {'Pagefind indexing':<58} {r.seconds:>12.1f} s  {r.pages} pages, {r.bytes / 1e6:.1f} MB")
    print(f"  {'Pagefind bundle per page':<58} {tree_bytes(dest / 'pagefind') / n / 1024:>11.1f} KB")
    for attempt in (1, 2):
        t = first_result(dest, "pagefind")
        value = f"{t.seconds:.2f} s" if t.seconds is not None else "none in 60 s"
        print(f"  {'first search result after page load, pagefind #' + str(attempt):<58} {value:>14}  query '{QUERY}', "
              f"{t.fetched_bytes / 1024:.0f} KB fetched, {len(t.outside)} requests outside 127.0.0.1; "
              f"first: {t.first!r}", flush=True)


if __name__ == "__main__":
    main()
