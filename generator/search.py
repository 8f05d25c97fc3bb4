"""Site search: Material's built-in lunr search, or Pagefind for large sites (setting ``search``).

Material's search ships one JSON index of every page and builds a lunr index from it in the
browser before it can answer, which grows with the site (bench/RESULTS.md has the figures).
Pagefind indexes the built HTML after ``mkdocs build`` into small chunks and fetches only those a
query needs, so its first answer takes about as long at any size. It costs an indexing step
after the build and one binary, shipped inside the ``pagefind-bin`` wheel (nothing downloads at run
time), and the site then needs an HTTP server for search (as Material's search does too).

With ``search: pagefind``: Material's search plugin is switched off for the build (its box and its
index go), the generator writes a small loader script and style sheet into docs/, and the loader
mounts Pagefind's own UI in Material's header. Everything is served from the site itself.

Pagefind has no incremental mode: one run re-indexes every page. The index is therefore made of
shards, each a Pagefind bundle of its own in ``site/pagefind/<shard>/``, which Pagefind's UI merges
at query time (``mergeIndex``; ``site/pagefind/shards.json`` names them). The pages that change with
every added article (the home page, the indexes and the timeline) form one shard, the dossiers
another; every other page (briefings, stories) falls in a shard by a hash of its path, as many
shards as keep each near ``PAGES_PER_SHARD`` pages.
A shard is indexed again only when the text it indexes changed: a page's fingerprint is its HTML
without the parts marked ``data-pagefind-ignore="all"`` (a dossier's counts and lists, which change
with every briefing naming it). A shard's bundle is a function of its pages alone, so an index
updated in part equals one made from scratch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import kinds
from generator.files import Stamp, stamp

log = logging.getLogger("briefing")

ENGINES = ("material", "pagefind")
ASSET_DIR = "assets/briefing-search"
"""Folder in docs/ that the generator owns for the Pagefind loader."""

ASSETS = Path(__file__).parent / "assets" / "search"
LOADER = f"{ASSET_DIR}/pagefind-loader.js"
STYLE = f"{ASSET_DIR}/pagefind.css"
BUNDLE = "pagefind"
ROOT_SELECTOR = "article.md-content__inner"
"""Index the article only: the navigation Material repeats on every page would match every query."""
EXCLUDE = ".headerlink"
"""The permalink mark after each heading ("¶") would end every result title."""
PAGES = ("index.html", "*/index.html", "*/*/index.html")
"""The pages to index: the home page and pages one or two folders down, but for the timeline's pages
of months (``timeline/2024-05/``, in ``MONTHS``). Those and a dossier's archive pages (``actors/iraq/2021/``,
three down) list briefings, which search finds on the briefings themselves; indexed, they would only
repeat those results, and an added briefing would index them again. The 404 page goes too."""
MONTHS = "timeline/"
MANIFEST = "shards.json"
"""In the bundle folder: the shards' folder names, the first the primary index whose scripts search runs."""
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")
"""Copied from a shard to the bundle folder, where the loader finds them before it has read the manifest."""
UNUSED_UI_FILES = ("pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-component-ui.js",
                   "pagefind-component-ui.css", "pagefind-highlight.js")
"""Other ways to show results, which Pagefind writes into every bundle and the loader never loads:
with its UI, which the loader takes from the bundle folder, most of a small shard's bytes."""
LISTS = "lists"
DOSSIERS = "dossiers"
_DOSSIER_FOLDERS = frozenset(k.folder for k in kinds.KINDS if not k.gathered)
PAGES_PER_SHARD = 400
"""Pages per hashed shard, about: an update re-indexes a few shards; a query fetches from every one."""
_IGNORED = re.compile(rb'<div data-pagefind-ignore="?all"?>')  # quoted or, minified, not
_DIV = re.compile(rb"<div\b|</div>")
_GLOB_SPECIAL = re.compile(r"[\\?*$:<>()\[\]{},]")


class SearchError(RuntimeError):
    pass


def asset_pages(engine: str) -> dict[str, str]:
    """The files the generator writes into docs/ for this search engine."""
    if engine != "pagefind":
        return {}
    return {LOADER: (ASSETS / "pagefind-loader.js").read_text(encoding="utf-8"),
            STYLE: (ASSETS / "pagefind.css").read_text(encoding="utf-8")}


def configure(cfg: Any, engine: str) -> None:
    """Adjust a loaded MkDocs config for the engine (Material's search is already on by default)."""
    if engine != "pagefind":
        return
    plugin = cfg["plugins"].get("material/search") or cfg["plugins"].get("search")
    if plugin is not None:
        # Material's header shows its search box only while the plugin is enabled, and a disabled
        # plugin writes no search_index.json: both are what Pagefind replaces.
        plugin.config.enabled = False
    cfg["extra_javascript"].append(LOADER)
    cfg["extra_css"].append(STYLE)


def pagefind_executable() -> Path:
    try:
        import pagefind_bin
    except ImportError as exc:
        raise SearchError("setting 'search: pagefind' needs the pagefind-bin package; "
                          "install it with: pip install 'pagefind-bin>=1.5,<2'") from exc
    return Path(pagefind_bin.get_executable())


@dataclass
class IndexState:
    """What the last indexing saw: each page's (stamp, fingerprint), each shard's fingerprint, and the
    shards with nothing to index (redirect pages only), which have no bundle."""

    pages: dict[str, tuple[Stamp | None, str]] = field(default_factory=dict)
    shards: dict[str, str] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"pages": {k: [list(st) if st else None, fp] for k, (st, fp) in self.pages.items()},
                "shards": self.shards, "empty": self.empty}

    @classmethod
    def from_json(cls, data: Any) -> IndexState | None:
        try:
            pages = {str(k): (_stamp_from(v[0]), str(v[1])) for k, v in data["pages"].items()}
            return cls(pages, {str(k): str(v) for k, v in data["shards"].items()}, [str(n) for n in data["empty"]])
        except (TypeError, KeyError, IndexError, ValueError, AttributeError):
            return None


def _stamp_from(value: Any) -> Stamp | None:
    if value is None:
        return None
    size, mtime, ctime, inode = (int(x) for x in value)
    return (size, mtime, ctime, inode)


@dataclass(frozen=True)
class IndexReport:
    pages: int  # indexed by this run
    files: int  # of the shards this run indexed, and the loader's beside them
    bytes: int
    seconds: float
    shards: int = 0
    shards_indexed: int = 0
    state: IndexState = field(default_factory=IndexState)


def indexed_pages(site: Path) -> list[str]:
    """The pages Pagefind indexes (``PAGES``), as paths relative to the site."""
    found = {p.relative_to(site).as_posix() for pattern in PAGES for p in site.glob(pattern) if p.is_file()}
    return sorted(rel for rel in found if not (rel.startswith(MONTHS) and rel.count("/") == 2))


def shard_bits(pages: int) -> int:
    """How many bits of a page's hash pick its shard: 2**bits shards of about PAGES_PER_SHARD pages.

    A function of the page count alone, so that a full build and an update agree; when the site
    doubles past a threshold, every hashed shard splits and is indexed again, once.
    """
    return max(0, math.ceil(math.log2(pages / PAGES_PER_SHARD))) if pages > PAGES_PER_SHARD else 0


def shard_of(rel: str, bits: int) -> str:
    """The shard of page ``rel``. Pagefind ranks a page against the pages of its own bundle: a dossier,
    among dossiers, stands out for its entity's name as it would not among the briefings naming it."""
    depth = rel.count("/")
    if depth <= 1:
        return LISTS
    if rel.split("/", 1)[0] in _DOSSIER_FOLDERS:
        return DOSSIERS
    number = int.from_bytes(hashlib.sha256(rel.encode()).digest()[:4], "big") & ((1 << bits) - 1)
    return f"h{bits}-{number:0{max(1, (bits + 3) // 4)}x}"


def page_fingerprint(html: bytes) -> str:
    """The hash of a page's HTML without its ``data-pagefind-ignore="all"`` divisions, which Pagefind skips.

    Only templates write a ``<div``: article text reaches the page escaped, so the tags balance.
    """
    kept = []
    at = 0
    for m in _IGNORED.finditer(html):
        if m.start() < at:
            continue  # inside a division already cut
        kept.append(html[at:m.start()])
        depth = 1
        pos = m.end()
        for tag in _DIV.finditer(html, m.end()):
            depth += 1 if tag.group() == b"<div" else -1
            pos = tag.end()
            if depth == 0:
                break
        at = pos
    kept.append(html[at:])
    return hashlib.sha256(b"".join(kept)).hexdigest()[:32]


def build_index(site: Path, previous: IndexState | None = None, jobs: int = 1) -> IndexReport:
    """Index the built site into ``site/pagefind/``, one Pagefind bundle per shard.

    With ``previous`` (what the last indexing of this site returned), only the shards whose pages'
    indexed text changed, or whose bundle is missing, are indexed again; without, every shard is.
    """
    started = time.perf_counter()
    bundle = site / BUNDLE
    old = previous or IndexState()
    rels = indexed_pages(site)
    bits = shard_bits(sum(shard_of(r, 0) not in (LISTS, DOSSIERS) for r in rels))
    state = IndexState()
    members: dict[str, list[str]] = {}
    now = time.time_ns()
    for rel in rels:
        # A page whose stamp is unchanged keeps its fingerprint, unread; one rewritten too recently to
        # trust its stamp gets none, and is read again next time.
        st = stamp(site / rel, now)
        seen = old.pages.get(rel)
        if st is not None and seen is not None and seen[0] == st:
            fp = seen[1]
        else:
            fp = page_fingerprint((site / rel).read_bytes())
        state.pages[rel] = (st, fp)
        members.setdefault(shard_of(rel, bits), []).append(rel)
    for name, pages in members.items():
        digest = hashlib.sha256()
        for rel in pages:
            digest.update(f"{rel}\0{state.pages[rel][1]}\n".encode())
        state.shards[name] = digest.hexdigest()
    stale = sorted(n for n in members if old.shards.get(n) != state.shards[n]
                   or not (n in old.empty or (bundle / n / "pagefind-entry.json").is_file()))
    if not all((bundle / name).is_file() for name in UI_FILES):
        stale = sorted(members)  # the UI comes from a shard being indexed
    bundle.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        indexed = sum(pool.map(lambda name: _index_shard(site, members[name], bundle / name), stale))
    state.empty = sorted(n for n in members if not (bundle / n / "pagefind-entry.json").is_file())
    order = sorted(set(members) - set(state.empty), key=lambda n: (n != LISTS, n != DOSSIERS, n))
    kept = {MANIFEST, *UI_FILES, *order}
    for entry in sorted(bundle.iterdir()):
        if entry.name not in kept:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    manifest = json.dumps({"bundles": order}) + "\n"
    if not (bundle / MANIFEST).is_file() or (bundle / MANIFEST).read_text(encoding="utf-8") != manifest:
        (bundle / MANIFEST).write_text(manifest, encoding="utf-8")
    # The shards this indexing wrote, and the loader's files beside them: counting every shard's
    # files took a quarter of a second on a large site.
    files = [p for p in bundle.iterdir() if p.is_file()]
    files += [p for name in stale for p in (bundle / name).rglob("*") if p.is_file()]
    return IndexReport(indexed, len(files), sum(p.stat().st_size for p in files), time.perf_counter() - started,
                       len(order), len(stale), state)


def _index_shard(site: Path, pages: list[str], dest: Path) -> int:
    """Run Pagefind over ``pages`` of the site into the bundle folder ``dest``; the pages it indexed."""
    out = dest.with_name(f".{dest.name}.new")
    shutil.rmtree(out, ignore_errors=True)
    # The shard's pages as one glob of alternatives, in a configuration file: a command line holds less.
    config = {"site": str(site.resolve()), "output_path": str(out.resolve()),
              "glob": "{" + ",".join(map(_glob_literal, pages)) + "}", "root_selector": ROOT_SELECTOR,
              "exclude_selectors": [EXCLUDE], "force_language": "en"}
    with tempfile.TemporaryDirectory(prefix="briefing-pagefind-") as work:
        (Path(work) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        proc = subprocess.run([str(pagefind_executable())], cwd=work, capture_output=True, text=True, check=False)
    found = re.search(r"Found (\d+) files? matching", proc.stdout)
    if found is None or int(found.group(1)) != len(pages):
        raise SearchError(f"pagefind found {found.group(1) if found else 'none'} of the shard's {len(pages)} pages: "
                          + (proc.stderr.strip() or proc.stdout.strip())[-2000:])
    if proc.returncode != 0 and "not able to build an index" not in proc.stderr + proc.stdout:
        raise SearchError(f"pagefind failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    shutil.rmtree(dest, ignore_errors=True)
    if proc.returncode != 0:
        # A shard of pages with no article to index (redirect pages alone): no bundle, nothing to merge.
        return 0
    _move_out_what_the_site_does_not_load(out, dest.parent)
    pages_indexed = 0
    for line in proc.stdout.splitlines():
        log.debug("pagefind: %s", line)
        if "Indexed" in line and "page" in line:
            digits = "".join(c for c in line.split("page")[0] if c.isdigit())
            pages_indexed = int(digits) if digits else pages_indexed
    os.replace(out, dest)
    return pages_indexed


def _move_out_what_the_site_does_not_load(shard: Path, bundle: Path) -> None:
    """Leave in a new shard only the search engine and its index: its UI moves to the bundle folder
    (the same from every shard, and a rename, so shards indexed at once never leave half a file);
    the other UI files and the wasm of languages the shard has no page in go."""
    for name in UI_FILES:
        os.replace(shard / name, bundle / name)
    for name in UNUSED_UI_FILES:
        (shard / name).unlink(missing_ok=True)
    languages = json.loads((shard / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"]
    wasm = {f"wasm.{v['wasm']}.pagefind" for v in languages.values()}
    for path in shard.glob("wasm.*.pagefind"):
        if path.name not in wasm:
            path.unlink()


def _glob_literal(path: str) -> str:
    """``path`` as a Pagefind glob that matches it alone."""
    return _GLOB_SPECIAL.sub(r"\\\g<0>", path)
