"""Settings, with defaults and validation.

Read from ``briefing.yml`` beside ``mkdocs.yml`` when it exists. Each field's docstring is its
documentation; a wrong value fails early with the name of the setting.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

CONFIG_FILE = "briefing.yml"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    root: Path = Path(".")
    """Project folder: the one holding mkdocs.yml."""

    content_dir: str = "content"
    """Folder of source articles, relative to the project folder."""

    docs_dir: str = "docs"
    """MkDocs docs folder; the generator owns only its own subfolders there."""

    site_dir: str = "site"
    """Where `briefing build` puts the built site."""

    offline_dir: str = "site-offline"
    """Where `briefing build --offline` puts a copy of the site to open from the file system
    (site-offline/index.html): links name index.html files, and Material's search works without a server."""

    kb_dirs: tuple[str, ...] = ()
    """Extra knowledge-base folders of *.yaml, loaded after the bundled KB (same ids replace)."""

    summary_sentences: int = 3
    """How many sentences the bottom line holds."""

    latest: int = 25
    """How many briefings the home page lists."""

    related: int = 5
    """How many related briefings a briefing page lists."""

    dossier_quotes: int = 20
    """How many of its newest briefings a dossier quotes (the sentence that names the entity, or a concern's
    evidence); the others it shows (see page_size) are listed one line each, as on its archive pages. Each
    quote repeats a sentence of a briefing's page, so a few show the entity in context."""

    page_size: int = 100
    """How many of its newest entries a list that grows with the corpus shows: a dossier's briefings, the
    timeline and the list of briefings. The rest continue on archive pages, a dossier's by year
    (actors/iraq/2021.md), the timeline's by month (timeline/2021-03.md, which the list of briefings links
    too), each linked from the list with its count; counts and charts still cover everything."""

    entity_page_min_briefings: int = 2
    """An entity found by its form alone (not in the knowledge base), named once in each briefing with
    nothing but its capitals to go on, gets a site-wide page only once this many briefings name it; it
    stays listed on its briefings meanwhile. `briefing check` lists the found entities that get a page."""

    jobs: int = 0
    """Processes a build may run at once (extraction workers and the processes beside them); 0 means
    one per CPU, 1 means the build starts none."""

    cache_dir: str = ".briefing-cache"
    """Folder for the extraction cache, relative to the project folder."""

    search: str = "pagefind"
    """Site search: `pagefind` (indexes site/ after each build, also under `briefing serve`; first answer in
    about a second at any size) or `material` (Material's built-in lunr search, one index of every page:
    about 6 s to a first answer at 1,000 briefings and 30 s at 5,000, and every build is a full build; it
    also searches the offline copy opened from files, which Pagefind cannot). See bench/RESULTS.md."""

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def docs_path(self) -> Path:
        return self.root / self.docs_dir

    @property
    def site_path(self) -> Path:
        return self.root / self.site_dir

    @property
    def offline_path(self) -> Path:
        return self.root / self.offline_dir

    @property
    def cache_path(self) -> Path:
        return self.root / self.cache_dir

    @property
    def kb_paths(self) -> list[Path]:
        return [self.root / d for d in self.kb_dirs]

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else (os.cpu_count() or 1)


def field_docs() -> list[tuple[str, str, str]]:
    """(name, default, documentation) of every setting, for the generated reference."""
    import ast
    import inspect

    src = inspect.getsource(Settings)
    tree = ast.parse(src)
    docs: dict[str, str] = {}
    body = tree.body[0].body  # type: ignore[attr-defined]
    for node, nxt in itertools.pairwise(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and isinstance(nxt, ast.Expr) \
                and isinstance(nxt.value, ast.Constant) and isinstance(nxt.value.value, str):
            docs[node.target.id] = " ".join(nxt.value.value.split())
    defaults = Settings()
    return [(f.name, repr(getattr(defaults, f.name)), docs.get(f.name, "")) for f in fields(Settings)
            if f.name != "root"]


def load_settings(root: Path, overrides: dict[str, Any] | None = None) -> Settings:
    settings = Settings(root=root)
    path = root / CONFIG_FILE
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: expected a mapping of settings")
        raw.update(data)
    raw.update({k: v for k, v in (overrides or {}).items() if v is not None})
    known = {f.name: f for f in fields(Settings) if f.name != "root"}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: unknown setting '{key}' (known: {', '.join(sorted(known))})")
        default = getattr(settings, key)
        if isinstance(default, bool) or not isinstance(default, (int, str, tuple)):
            values[key] = value
        elif isinstance(default, int):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{path}: setting '{key}' must be a whole number >= 0, not {value!r}")
            values[key] = value
        elif isinstance(default, tuple):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: setting '{key}' must be a list of folder names")
            values[key] = tuple(value)
        else:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: setting '{key}' must be text")
            values[key] = value
    if values.get("search", settings.search) not in ("material", "pagefind"):
        raise ConfigError(f"{path}: setting 'search' must be 'material' or 'pagefind', not {values['search']!r}")
    if values.get("summary_sentences", 3) < 1:
        raise ConfigError(f"{path}: setting 'summary_sentences' must be at least 1")
    return replace(settings, **values)
