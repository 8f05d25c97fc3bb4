"""Incremental MkDocs site build: render only the pages whose Markdown changed since the last build.

A full ``mkdocs build`` renders every page; after ``briefing generate`` changes a handful of files,
almost all of that work repeats the previous build. This module keeps a build state in the cache
folder (the hash and stamp of every file in docs/ that the last build used, and a fingerprint of everything
else a page's HTML depends on) and runs MkDocs' own build with only these pages re-rendered:

- pages whose Markdown is new or changed;
- every page listed in the nav (few; their titles and prev/next links read other pages), so the
  navigation every page shows stays that of a full build;
- pages whose Markdown links to a page or file that appeared or went: MkDocs rewrites a link to
  ``x.md`` (or an image ``x.png``) only while the file exists.

Pages outside the nav show the same nav tree whatever other pages exist, so they need nothing else.
Pages that went are deleted from site/, the theme's templates (sitemap, 404) are rebuilt as in every
build, and Pagefind indexes again the shards of the search index whose pages' indexed text changed
(generator/search.py). Anything that can change every page (mkdocs.yml, the
theme overrides, the site URL, the installed versions of MkDocs, Material, Markdown, the search
setting) changes the fingerprint and triggers a full build; so does Material's own search, whose
single index needs every page.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import linkscan, redirects, search
from generator.config import CONFIG_FILE as SETTINGS_FILE
from generator.config import Settings
from generator.files import atomic_write, stamp

log = logging.getLogger("briefing")

STATE_FILE = "site-build.json"
STATE_VERSION = 4
CONFIG_FILE = "mkdocs.yml"
# Their versions decide the HTML of every page.
PACKAGES = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "pagefind_bin", "Jinja2")
# The target of a Markdown link or image, without its #anchor or title.
_LINK = re.compile(r"\]\(\s*<?([^)\s>#]+)")


@dataclass
class SiteBuild:
    full: bool
    reason: str
    pages_rendered: int
    pages_total: int
    pages_removed: int
    seconds: float
    rendered: list[str] = field(default_factory=list)


def state_path(settings: Settings) -> Path:
    return settings.cache_path / STATE_FILE


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def _hash_tree(folder: Path) -> str:
    digest = hashlib.sha256()
    if folder.is_dir():
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                digest.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def fingerprint(settings: Settings, cfg: Any, strict: bool) -> str:
    """What every page's HTML depends on besides the Markdown in docs/."""
    from generator import pageshell  # imports MkDocs, as build() does

    parts = {
        "state": STATE_VERSION,
        "mkdocs.yml": hashlib.sha256((settings.root / CONFIG_FILE).read_bytes()).hexdigest(),
        "site_url": cfg["site_url"] or "",
        "site_dir": str(settings.site_path.resolve()),
        "search": settings.search,
        "strict": strict,
        "packages": {name: _package_version(name) for name in PACKAGES},
        "custom_dir": _hash_tree(Path(cfg["theme"].custom_dir)) if cfg["theme"].custom_dir else "",
        "shell": _hash_tree(pageshell.THEME_DIR),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _docs_hashes(docs: Path, before: dict[str, Any] | None = None) -> tuple[dict[str, str], dict[str, list[int]]]:
    """The hash of every file in docs/, and its stamp. A file whose stamp is the one the last build
    (``before``, its state) recorded keeps that build's hash, unread: at 5,000 articles docs/ holds
    200 MB, and an added article changes a few hundred of its 15,000 files."""
    known: dict[str, str] = (before or {}).get("files", {})
    known_stamps: dict[str, list[int]] = (before or {}).get("stamps", {})
    hashes: dict[str, str] = {}
    stamps: dict[str, list[int]] = {}
    now = time.time_ns()
    for p in sorted(docs.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(docs).as_posix()
        st = stamp(p, now)  # None for a link, or a file written too recently to trust its stamp
        if st is not None and rel in known and known_stamps.get(rel) == list(st):
            hashes[rel] = known[rel]
        else:
            hashes[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        if st is not None:
            stamps[rel] = list(st)
    return hashes, stamps


def _linking(docs: Path, pages: list[str], names: set[str]) -> set[str]:
    """The pages among ``pages`` whose Markdown links to a file named in ``names`` (by file name)."""
    needles = [n.encode("utf-8") for n in names]
    out: set[str] = set()
    for rel in pages:
        data = (docs / rel).read_bytes()
        # A page that does not hold any of the names at all is not parsed (few names come or go at a time).
        if len(needles) <= 50 and not any(n in data for n in needles):
            continue
        text = data.decode("utf-8", errors="replace")
        if {m.group(1).rsplit("/", 1)[-1] for m in _LINK.finditer(text)} & names:
            out.add(rel)
    return out


def _load_state(path: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else None


def _write_state(path: Path, state: dict[str, Any]) -> None:
    # A build killed halfway leaves the old state or the new, never half of one.
    atomic_write(path, json.dumps(state, sort_keys=True, indent=0).encode("utf-8"))


def _dest_of(src: str, cfg: Any) -> str:
    """Where MkDocs writes the page or file ``src`` (a path in docs/), relative to site/."""
    from mkdocs.structure.files import File

    return File(src, cfg["docs_dir"], cfg["site_dir"], cfg["use_directory_urls"]).dest_uri


def retired_in_nav(cfg: Any) -> list[str]:
    """The pages the nav of mkdocs.yml names that the generator no longer makes (redirects.RETIRED)."""
    def named(item: Any) -> list[str]:
        if isinstance(item, str):
            return [item]
        values = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        return [page for value in values for page in named(value)]

    return sorted(set(named(cfg["nav"] or [])) & set(redirects.RETIRED))


def _remove_output(site: Path, rel: str) -> None:
    target = site / rel
    target.unlink(missing_ok=True)
    # The folder a page had to itself (name/index.html) goes with it once empty.
    parent = target.parent
    while parent != site and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def build(settings: Settings, strict: bool = False, full: bool = False, skip_unchanged: bool = False) -> SiteBuild:
    """Build docs/ into the site folder with MkDocs, incrementally when the build state allows it.

    ``skip_unchanged``: when docs/ is exactly what the last build used, run nothing (the preview, whose
    own writes into docs/ wake it again once more).
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator import pageshell  # imports MkDocs, as the two lines above

    started = time.perf_counter()
    site = settings.site_path.resolve()
    cfg = load_config(str(settings.root / CONFIG_FILE), strict=strict, site_dir=str(site))
    search.configure(cfg, settings.search)
    # The same HTML as without it, from a link parser that does not walk every text once per link.
    cfg["markdown_extensions"].append(linkscan.FastBrackets())
    pageshell.configure(cfg)
    docs = Path(cfg["docs_dir"])
    for page in retired_in_nav(cfg):
        # MkDocs only says that the page is missing (and stops, in strict mode): say why and what to do.
        log.warning("%s: the nav names %s, a page the generator no longer makes (its address redirects to %s); "
                    "remove that entry from the nav", settings.root / CONFIG_FILE, page, redirects.RETIRED[page])
    print_ = fingerprint(settings, cfg, strict)
    state_file = state_path(settings)
    previous = None if full else _load_state(state_file)
    hashes, stamps = _docs_hashes(docs, previous)
    reason = ""
    if full:
        reason = "a full build was asked for"
    elif previous is None:
        reason = "no build state from an earlier build"
    elif previous.get("fingerprint") != print_:
        reason = "mkdocs.yml, the theme, the search setting or a package version changed"
    elif settings.search != "pagefind":
        reason = "Material's search index covers every page"
    elif not (site / "index.html").is_file():
        reason = "the site folder is missing"
    if (skip_unchanged and not reason and previous is not None and previous["files"] == hashes
            and (settings.search != "pagefind" or (site / search.BUNDLE).is_dir())):
        total = sum(k.endswith(".md") for k in hashes)
        return SiteBuild(False, "docs/ unchanged", 0, total, 0, time.perf_counter() - started)
    # The state goes before the build: a build that fails halfway must not leave a state that vouches for it.
    state_file.unlink(missing_ok=True)

    if reason:
        log.info("full site build: %s", reason)
        mkdocs_build(cfg)
        pages = [k for k in hashes if k.endswith(".md")]
        result = SiteBuild(True, reason, len(pages), len(pages), 0, 0.0, sorted(pages))
    else:
        assert previous is not None
        result = _incremental(cfg, site, docs, hashes, previous["files"])
    unchanged = not result.full and previous is not None and previous["files"] == hashes
    index_state = None if result.full or previous is None else search.IndexState.from_json(previous.get("search"))
    # Nothing in docs/ changed: the pages rendered again came out as before, and so would the index.
    kept = unchanged and index_state is not None and (site / search.BUNDLE).is_dir()
    if settings.search == "pagefind" and not kept:
        index_state = _index_search(settings, index_state)
    _write_state(state_file, {"version": STATE_VERSION, "fingerprint": print_, "files": hashes, "stamps": stamps,
                              "search": index_state.to_json() if index_state is not None else None})
    result.seconds = time.perf_counter() - started
    return result


def _incremental(cfg: Any, site: Path, docs: Path, hashes: dict[str, str], before: dict[str, str]) -> SiteBuild:
    from mkdocs.commands.build import build as mkdocs_build

    changed = {k for k, h in hashes.items() if before.get(k) != h}
    gone = sorted(set(before) - set(hashes))
    # Matched by file name: a page naming one that came or went is rendered again, whatever folder it meant.
    added_or_gone = {k.rsplit("/", 1)[-1] for k in (*gone, *(k for k in changed if k not in before))}
    relinked = (_linking(docs, [k for k in hashes if k.endswith(".md") and k not in changed], added_or_gone)
                if added_or_gone else set())
    for rel in gone:
        _remove_output(site, _dest_of(rel, cfg))
    plugin = _Selective(changed | relinked)
    cfg["plugins"]["briefing/incremental"] = plugin
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_quiet_dirty_warning)
    try:
        mkdocs_build(cfg, dirty=True)
    finally:
        build_log.removeFilter(_quiet_dirty_warning)
    rendered = sorted(plugin.rendered)
    log.info("incremental site build: %d of %d pages rendered, %d removed", len(rendered), plugin.total, len(gone))
    return SiteBuild(False, "", len(rendered), plugin.total, len(gone), 0.0, rendered)


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns that a dirty build may leave navigation stale; the selection above is what makes it
    # safe here, and in strict mode the warning would abort the build.
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _selective_plugin_base() -> type:
    from mkdocs.plugins import BasePlugin

    return BasePlugin


class _Selective(_selective_plugin_base()):  # type: ignore[misc]
    """Tells MkDocs' dirty build which files to rebuild, by content rather than by modification time.

    A page that is not re-rendered is still read, and passes through the plugins' page_markdown
    event in its turn, so a plugin that gathers from every page (as Material's tags plugin, which the
    site no longer uses, did) sees them all, in page order. Only its Markdown conversion and its template
    are skipped.
    """

    def __init__(self, changed: set[str]) -> None:
        super().__init__()
        self.changed = changed
        self.rendered: set[str] = set()
        self.skipped: set[str] = set()
        self.total = 0
        self.populated = False

    def on_files(self, files: Any, *, config: Any) -> Any:
        for f in files:
            if f.is_documentation_page():
                self.total += 1
                if f.src_uri in self.changed or f.inclusion.is_in_nav():
                    self.rendered.add(f.src_uri)
                    f.is_modified = _constant(True)
                else:
                    self.skipped.add(f.src_uri)
                    # Read while MkDocs gathers the pages, skipped when it writes them.
                    f.is_modified = lambda: not self.populated
            elif f.generated_by is None and f.abs_src_path and Path(f.abs_src_path).is_relative_to(config["docs_dir"]):
                f.is_modified = _constant(f.src_uri in self.changed or not os.path.exists(f.abs_dest_path))
            else:
                # Theme files: the fingerprint holds the theme's version, so only a missing copy needs writing.
                f.is_modified = _constant(not os.path.exists(f.abs_dest_path))
        return files

    def on_pre_page(self, page: Any, *, config: Any, files: Any) -> Any:
        if page.file.src_uri in self.skipped:
            page.render = _no_render(page)
        return page

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        # MkDocs has gathered every page; from here on it writes, and only the selected pages.
        self.populated = True
        return env


def _constant(value: bool) -> Any:
    return lambda: value


def _no_render(page: Any) -> Any:
    def render(config: Any, files: Any) -> None:
        # No anchors recorded (present_anchor_ids stays None): MkDocs then skips checking links into it.
        page.content = ""

    return render


def _index_search(settings: Settings, previous: search.IndexState | None) -> search.IndexState:
    # Without the last indexing's state (a full build, or none recorded), every shard is indexed.
    r = search.build_index(settings.site_path, previous, jobs=settings.workers)
    log.info("pagefind: %d pages indexed into %d files (%.1f MB) in %.1f s; %d of %d shards indexed", r.pages,
             r.files, r.bytes / 1e6, r.seconds, r.shards_indexed, r.shards)
    return r.state


def serve(settings: Settings, host: str, port: int, regenerate: Callable[[], object] | None = None) -> None:
    """Build site/ as ``briefing build`` does (incrementally, with its search index), serve it at the
    address's root, and rebuild and reload the browser on a change: in content/, the KB folders or
    the settings, ``regenerate`` (``briefing generate``) runs first and writes docs/; then the pages
    whose Markdown changed are rendered again, as after an edit in docs/ or mkdocs.yml.

    Serving the built site rather than MkDocs' own preview is what gives the preview Pagefind search:
    Pagefind indexes built HTML, which ``mkdocs serve`` keeps in a temporary folder of its own.
    """
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    site = settings.site_path.resolve()

    def rebuild() -> None:
        if regenerate is not None:
            # Generate is incremental: when no input changed, it stops after the scan.
            regenerate()
        try:
            run = build(settings, skip_unchanged=True)
        except (MkDocsException, search.SearchError) as exc:
            # The preview stays up with the last good site; the message says what to fix.
            log.error("site build failed: %s", exc)
            return
        if run.reason != "docs/ unchanged":
            log.info("site rebuilt: %d of %d pages rendered in %.1f s", run.pages_rendered, run.pages_total,
                     run.seconds)

    build(settings)
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site), mount_path="/")

    def error_page(code: int) -> bytes | None:
        page = site / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    watched = [settings.docs_path, settings.root / CONFIG_FILE]
    if regenerate is not None:
        watched += [settings.content_path, settings.root / SETTINGS_FILE, *settings.kb_paths]
    for path in watched:
        # A folder made after the preview started is not watched; the folders a project has are.
        if path.exists():
            server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        log.info("shutting down the preview")
    finally:
        server.shutdown()
