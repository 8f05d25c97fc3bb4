"""One full site build of a bench project, in a process of its own (so its peak memory is its own).

    .venv/bin/python bench/site_build.py PROJECT --site-dir site-full --cache-dir .full-cache [--stock-links]

``--stock-links``: without generator.linkscan's link parsing, to compare with it in one run.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import linkscan, sitebuild  # noqa: E402
from generator.config import load_settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("project", type=Path)
    ap.add_argument("--site-dir", default="site")
    ap.add_argument("--cache-dir", default=".briefing-cache")
    ap.add_argument("--stock-links", action="store_true")
    args = ap.parse_args()
    if args.stock_links:
        linkscan.FastBrackets.extendMarkdown = lambda self, md: None  # type: ignore[method-assign]
    settings = replace(load_settings(args.project), site_dir=args.site_dir, cache_dir=args.cache_dir)
    run = sitebuild.build(settings, full=True)
    print(f"{run.pages_rendered} pages in {run.seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
