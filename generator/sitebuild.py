"""Incremental MkDocs site build: render only the pages whose Markdown changed since the last build.

A full ``mkdocs build`` renders every page; after ``briefing generate`` changes a handful of files,
almost all of that work repeats the previous build. This module keeps a build state in the cache
folder (the hash and stamp of every file in docs/ that the last build used, and a fingerprint of everything
else a page's HTML depends on) and runs MkDocs' own build with only these pages re-rendered:

- pages whose Markdown is new or changed;
- every page listed in the nav (few; their titles and prev/next links read other pages), so the
  navigation every page shows stays that of a full build;
- pages of the user's own whose Markdown links to a page or file that appeared or went: MkDocs
  rewrites a link to ``x.md`` (or an image ``x.png``) only while the file exists. The generator's
  pages need no such search: it writes them again whenever their links change.

Pages outside the nav show the same nav tree whatever other pages exist, so they need nothing else.
Pages that went are deleted from site/, the theme's templates (sitemap, 404) are rebuilt as in every
build, and Pagefind indexes again the shards of the search index whose pages' indexed text changed
(generator/search.py). Anything that can change every page (mkdocs.yml, the theme overrides, the
generator's own code and templates, the site URL, the installed versions of MkDocs, Material,
Markdown and the minifier, the search setting) changes the fingerprint and triggers a full build; so
does Material's own search, whose single index needs every page.

MkDocs renders one page after another, and converting Markdown is most of a build. So the pages to
render, all of them in a full build, are cut into shares of about equal Markdown, one per process the
build may run (``jobs``): each forked process runs the same MkDocs build writing its share alone, the
first also the theme's files and templates. A page's HTML does not depend on which process made it.
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
from generator.cache import code_version, json_bytes, json_value, tree_hash
from generator.config import CONFIG_FILE as SETTINGS_FILE
from generator.config import Settings
from generator.files import atomic_write, stamp
from generator.writer import Writer

log = logging.getLogger("briefing")

STATE_FILE = "site-build.json"
STATE_VERSION = 4
CONFIG_FILE = "mkdocs.yml"
# Their versions decide the HTML of every page.
PACKAGES = ("mkdocs", "mkdocs-material", "Markdown", "pymdown-extensions", "pagefind_bin", "Jinja2", "minify-html")
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


def fingerprint(settings: Settings, cfg: Any, strict: bool) -> str:
    """What every page's HTML depends on besides the Markdown in docs/."""
    parts = {
        "state": STATE_VERSION,
        "mkdocs.yml": hashlib.sha256((settings.root / CONFIG_FILE).read_bytes()).hexdigest(),
        "site_url": cfg["site_url"] or "",
        "site_dir": str(settings.site_path.resolve()),
        "search": settings.search,
        "strict": strict,
        "packages": {name: _package_version(name) for name in PACKAGES},
        "custom_dir": tree_hash(Path(cfg["theme"].custom_dir)) if cfg["theme"].custom_dir else "",
        # The whole package, derived as for the extraction cache: the page shell, its theme, the link
        # parser and anything else of ours that shapes a page.
        "code": code_version(),
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
    # os.walk and strings, not Path.rglob: tens of thousands of files, each a few Path objects.
    root = os.fspath(docs)
    for folder, _, names in os.walk(root):
        prefix = "" if folder == root else os.path.relpath(folder, root).replace(os.sep, "/") + "/"
        for name in names:
            path = os.path.join(folder, name)
            rel = prefix + name
            st = stamp(path, now)  # None for a link, or a file written too recently to trust its stamp
            if st is not None and rel in known and known_stamps.get(rel) == list(st):
                hashes[rel] = known[rel]
                stamps[rel] = list(st)
                continue
            if st is None and not os.path.isfile(path):
                continue  # a link to a folder, or to nothing
            with open(path, "rb") as fh:
                hashes[rel] = hashlib.sha256(fh.read()).hexdigest()
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
        state = json_value(path.read_bytes())
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and state.get("version") == STATE_VERSION else None


def _write_state(path: Path, state: dict[str, Any]) -> None:
    # A build killed halfway leaves the old state or the new, never half of one.
    atomic_write(path, json_bytes(state, sort_keys=True))


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
    from mkdocs import utils
    from mkdocs.config import load_config

    from generator import pageshell  # imports MkDocs, as the lines above

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
        reason = "mkdocs.yml, the theme, the generator, the search setting or a package version changed"
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

    # Material's own search gathers its one index from every page it renders: one process renders all.
    shares = settings.workers if settings.search == "pagefind" else 1
    if reason:
        log.info("full site build: %s", reason)
        utils.clean_directory(str(site))  # what MkDocs' own full build does first
        _render(cfg, None, shares)
        pages = [k for k in hashes if k.endswith(".md")]
        result = SiteBuild(True, reason, len(pages), len(pages), 0, 0.0, sorted(pages))
    else:
        assert previous is not None
        result = _incremental(cfg, site, docs, hashes, previous["files"], shares)
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


def _incremental(cfg: Any, site: Path, docs: Path, hashes: dict[str, str], before: dict[str, str],
                 shares: int) -> SiteBuild:
    changed = {k for k, h in hashes.items() if before.get(k) != h}
    gone = sorted(set(before) - set(hashes))
    # Matched by file name: a page naming one that came or went is rendered again, whatever folder it meant.
    # Only the user's own pages need the search: the generator's (its writer's manifest lists them)
    # change whenever their links do (their keys, generator/incremental.py), and reading them all
    # took seconds on a large site. Without a manifest every page is searched.
    added_or_gone = {k.rsplit("/", 1)[-1] for k in (*gone, *(k for k in changed if k not in before))}
    generated = Writer(docs, ()).previous()
    relinked = (_linking(docs, [k for k in hashes if k.endswith(".md") and k not in changed
                                and k not in generated], added_or_gone)
                if added_or_gone else set())
    for rel in gone:
        _remove_output(site, _dest_of(rel, cfg))
    rendered, total = _render(cfg, changed | relinked, shares)
    log.info("incremental site build: %d of %d pages rendered, %d removed", len(rendered), total, len(gone))
    return SiteBuild(False, "", len(rendered), total, len(gone), 0.0, rendered)


def _render(cfg: Any, pages: set[str] | None, shares: int) -> tuple[list[str], int]:
    """MkDocs' build of ``pages`` (None: every page) and the pages in the nav, into a site folder that
    holds the rest; with ``shares`` above one, split among that many processes. Gives the pages
    rendered and how many the site has."""
    from generator.forked import Child, can_fork

    if shares < 2 or not can_fork():
        return _render_share(cfg, pages, 0, 1)
    # MkDocs renders one page at a time: the other CPUs each render a share of the pages meanwhile.
    children = [Child("site pages", _render_share, cfg, pages, i, shares) for i in range(1, shares)]
    rendered, total = _render_share(cfg, pages, 0, shares)
    for i, child in enumerate(children, start=1):
        got = child.result()
        # A share whose process failed is rendered here: the same pages, the same HTML.
        more, _ = got if isinstance(got, tuple) else _render_share(cfg, pages, i, shares)
        rendered += more
    return sorted(rendered), total


def _render_share(cfg: Any, pages: set[str] | None, share: int, shares: int) -> tuple[list[str], int]:
    from mkdocs.commands.build import build as mkdocs_build

    plugin = cfg["plugins"].get(_PLUGIN)
    if not isinstance(plugin, _Selective):
        # Once a config: MkDocs keeps every plugin registered under a name calling its events.
        plugin = cfg["plugins"][_PLUGIN] = _Selective()
    plugin.select(pages, share, shares)
    if share:
        # The theme's own templates (sitemap.xml, 404.html) are the first share's to write.
        cfg["theme"].static_templates.clear()
        cfg["extra_templates"] = []
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_quiet_dirty_warning)
    # On the handlers: a logger's filter does not see what its child loggers (mkdocs.structure.nav) log.
    handlers = {*logging.getLogger().handlers, *logging.getLogger("mkdocs").handlers}
    for handler in handlers:
        handler.addFilter(plugin.said_by_first)
    try:
        mkdocs_build(cfg, dirty=True)
    finally:
        build_log.removeFilter(_quiet_dirty_warning)
        for handler in handlers:
            handler.removeFilter(plugin.said_by_first)
    return sorted(plugin.rendered), plugin.total


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns that a dirty build may leave navigation stale; the selection above is what makes it
    # safe here, and in strict mode the warning would abort the build.
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _selective_plugin_base() -> type:
    from mkdocs.plugins import BasePlugin

    return BasePlugin


class _Selective(_selective_plugin_base()):  # type: ignore[misc]
    """Tells MkDocs' dirty build which files to rebuild, by content rather than by modification time.

    The pages to build are ``pages`` (None: all) and those in the nav; of them, this process writes
    share ``share`` of ``shares``, cut by the size of their Markdown so that the shares take about as
    long. Where a plugin may gather from every page (:func:`_gathering`), a page that is not written
    is still read, and passes through the plugins' page_markdown event in its turn, so that plugin
    sees them all, in page order; only its Markdown conversion and its template are skipped. Else it
    is not read at all, as in MkDocs' own dirty build. The pages in the nav are converted by every
    share: the nav reads their titles.
    """

    def __init__(self) -> None:
        super().__init__()
        self.select(None)

    def select(self, pages: set[str] | None, share: int = 0, shares: int = 1) -> None:
        """What the next build renders (see the class)."""
        self.pages = pages
        self.share, self.shares = share, shares
        self.rendered: set[str] = set()
        self.skipped: set[str] = set()
        self.total = 0
        self.populated = False
        self.navigated = False

    def on_files(self, files: Any, *, config: Any) -> Any:
        wanted = []
        # A page not built again is read while MkDocs gathers the pages, and skipped when it writes
        # them, only for a plugin that may gather from every page: else it is not even read.
        unread = not _gathering(config)
        docs_dir = os.path.join(config["docs_dir"], "")  # a string test for each of thousands of files
        for f in files:
            if f.is_documentation_page():
                self.total += 1
                if self.pages is None or f.src_uri in self.pages or f.inclusion.is_in_nav():
                    wanted.append(f)
                else:
                    self._skip(f, unread)
            elif self.share:
                f.is_modified = _constant(False)  # the first share copies the other files
            elif f.generated_by is None and f.abs_src_path and f.abs_src_path.startswith(docs_dir):
                f.is_modified = _constant(self.pages is None or f.src_uri in self.pages
                                          or not os.path.exists(f.abs_dest_path))
            else:
                # Theme files: the fingerprint holds the theme's version, so only a missing copy needs writing.
                f.is_modified = _constant(not os.path.exists(f.abs_dest_path))
        mine = _shares(wanted, self.shares)[self.share]
        for f in wanted:
            if f.src_uri in mine:
                self.rendered.add(f.src_uri)
                f.is_modified = _constant(True)
            elif f.inclusion.is_in_nav():
                f.is_modified = lambda: not self.populated  # converted for its title, written by its share
            else:
                self._skip(f, unread)
        return files

    def _skip(self, f: Any, unread: bool) -> None:
        """A page this build leaves as it is: read (not converted) while MkDocs gathers the pages, unless
        ``unread``; never written."""
        self.skipped.add(f.src_uri)
        f.is_modified = _constant(False) if unread else lambda: not self.populated

    def on_nav(self, nav: Any, *, config: Any, files: Any) -> Any:
        self.navigated = True
        return nav

    def on_pre_page(self, page: Any, *, config: Any, files: Any) -> Any:
        if page.file.src_uri in self.skipped:
            page.render = _no_render(page)
        return page

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        # MkDocs has gathered every page; from here on it writes, and only the selected pages.
        self.populated = True
        return env

    def said_by_first(self, record: logging.LogRecord) -> bool:
        """What MkDocs says of the site as a whole (its nav) every share would say again: the first says it."""
        return self.share == 0 or self.navigated


_PLUGIN = "briefing/incremental"


def _gathering(config: Any) -> bool:
    """Whether a plugin other than the site's own may gather from every page (Material's tags or blog,
    say): one the site does not know, or Material's search while it is on."""
    from generator import pageshell

    for name, plugin in config["plugins"].items():
        if name in (_PLUGIN, pageshell.PLUGIN_NAME):
            continue
        if name in ("search", "material/search") and not plugin.config.enabled:
            continue
        return True
    return False


def _shares(files: list[Any], shares: int) -> list[set[str]]:
    """The pages of ``files`` (MkDocs files) in ``shares`` sets of about equal Markdown, the largest
    placed first: the same cut in every process."""
    out: list[set[str]] = [set() for _ in range(shares)]
    if shares == 1:
        out[0].update(f.src_uri for f in files)
        return out
    load = [0] * shares
    sized = sorted(((os.path.getsize(f.abs_src_path) + _PAGE_COST, f.src_uri, f) for f in files),
                   key=lambda t: (-t[0], t[1]))
    for size, uri, _ in sized:
        i = load.index(min(load))
        out[i].add(uri)
        load[i] += size
    return out


_PAGE_COST = 1000
"""What a page costs besides its Markdown, in bytes of Markdown: its template and its writing."""


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
    log.info("pagefind: %d of %d shards indexed, %d pages into %d files (%.1f MB), in %.1f s", r.shards_indexed,
             r.shards, r.pages, r.files, r.bytes / 1e6, r.seconds)
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
