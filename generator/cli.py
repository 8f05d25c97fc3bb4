"""The ``briefing`` command. Commands are thin: they load settings and call the pipeline."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sys
import traceback
from pathlib import Path

import click

from generator import engines, pipeline, stories
from generator.config import ConfigError, Settings, load_settings
from generator.dedupe import body_of, syndicated, text_key
from generator.kb import KBError
from generator.writer import WriteError

log = logging.getLogger("briefing")

# Exit statuses, documented in the manual's CLI page and in ``briefing --help``.
EXIT_FAILED = 1  # the command could not do its work for a reason the message gives (input, KB, --strict)
EXIT_USAGE = 2  # wrong options or arguments (click's own status)
EXIT_CANNOT_WRITE = 3  # an output file could not be written (a link in the way, a full disk, permissions)
EXIT_INTERNAL = 4  # a bug: the message asks for a report; --debug shows the trace
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT

_debug = False  # set by --debug: show the Python traceback of an error


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, format="%(levelname)s: %(message)s",
                        stream=sys.stderr)


def _settings(root: Path, **overrides: object) -> Settings:
    try:
        return load_settings(root, overrides)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
@click.option("--debug", is_flag=True, help="On an error, show the Python traceback too (for reporting a bug).")
@click.version_option(package_name="briefing-site")
def cli(verbose: bool, debug: bool) -> None:
    """Turn news articles in content/ into a searchable briefing site.

    \b
    Exit status:
      0  done
      1  failed for the reason given (bad input or KB, nothing added, --strict)
      2  wrong options or arguments
      3  an output file could not be written (the message names it)
      4  a bug in the generator (run again with --debug and report the trace)
    """
    global _debug
    _debug = debug
    _setup_logging(verbose or debug)


root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                           show_default=True, help="Project folder (holds mkdocs.yml and briefing.yml).")
strict_option = click.option("--strict", is_flag=True,
                             help="Exit non-zero when any article was skipped or MkDocs warns.")


jobs_option = click.option("-j", "--jobs", type=click.IntRange(min=0), default=None,
                           help="Processes the build may run at once (default: setting 'jobs', 0 = one per CPU; "
                                "1 = this one only).")


def _generate(root: Path, strict: bool, jobs: int | None = None) -> pipeline.BuildReport:
    settings = _settings(root, jobs=jobs)
    try:
        report = pipeline.generate(settings)
    except KBError as exc:
        raise click.ClickException(f"knowledge base: {exc}") from exc
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in report.skipped:
        click.echo(f"skipped: {line}", err=True)
    click.echo(report.summary(), err=True)
    if strict and report.skipped:
        raise click.ClickException(f"{len(report.skipped)} article(s) skipped (--strict)")
    return report


@cli.command()
@root_option
@strict_option
@jobs_option
def generate(root: Path, strict: bool, jobs: int | None) -> None:
    """Generate the Markdown pages in docs/ from content/ (no site build)."""
    _generate(root, strict, jobs)


@cli.command()
@root_option
@strict_option
@jobs_option
@click.option("--engine", type=click.Choice(engines.ENGINES), default=engines.DEFAULT_ENGINE, show_default=True,
              help="Site engine: MkDocs 1.6, or ProperDocs / Zensical (pip install -e '.[engines]').")
@click.option("--offline", is_flag=True,
              help="Also build, with MkDocs, a copy to open from the file system into setting 'offline_dir' "
                   "(site-offline/).")
def build(root: Path, strict: bool, jobs: int | None, engine: str, offline: bool) -> None:
    """Generate docs/, then build site/ with MkDocs (or another engine)."""
    _generate(root, strict, jobs)
    settings = _settings(root, jobs=jobs)
    try:
        run = engines.build(settings, engine=engine, strict=strict)
    except engines.EngineError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"site built with {run.engine} in {run.seconds:.1f} s", err=True)
    if offline:
        from mkdocs.exceptions import MkDocsException

        from generator import offline as offline_copy

        try:
            folder = offline_copy.build(settings, strict=strict)
        except MkDocsException as exc:
            raise click.ClickException(f"offline copy: mkdocs build failed: {exc}") from exc
        click.echo(f"offline copy built: open {folder / 'index.html'}", err=True)


@cli.command()
@root_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(root: Path, dev_addr: str) -> None:
    """Generate docs/, build site/ with its search, and serve it with live reload at the address's root."""
    url = serve_url(dev_addr)
    _generate(root, False)
    from mkdocs.exceptions import MkDocsException

    from generator import sitebuild

    # The preview is the built site/ (with its search index), served at the address's root: the pages
    # link relatively, so the published site_url's path (/briefing-book/) is not needed to browse it.
    host, _, port = dev_addr.rpartition(":")
    click.echo(f"serving the site at {url} (Ctrl+C stops)", err=True)
    try:
        sitebuild.serve(_settings(root), host.strip("[]"), int(port), regenerate=lambda: _regenerate(root))
    except MkDocsException as exc:
        raise click.ClickException(f"mkdocs build failed: {exc}") from exc


def _regenerate(root: Path) -> None:
    """``briefing generate`` for the preview: a bad KB or setting is reported and the preview keeps
    the last good pages."""
    try:
        _generate(root, False)
    except click.ClickException as exc:
        click.echo(f"error: {exc.format_message()}", err=True)


def serve_url(dev_addr: str) -> str:
    """The URL ``briefing serve`` answers at for ``--dev-addr`` (host:port, or [v6-host]:port)."""
    host, sep, port = dev_addr.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise click.BadParameter(f"expected HOST:PORT, not {dev_addr!r}", param_hint="--dev-addr")
    return f"http://{host}:{port}/"


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json"]), default="jsonl", show_default=True,
              help="One JSON record per line, or one JSON array.")
@click.option("--summary-sentences", type=click.IntRange(min=1), default=3, show_default=True,
              help="Sentences in each summary.")
@root_option
def extract(paths: tuple[Path, ...], fmt: str, summary_sentences: int, root: Path) -> None:
    """Print the briefing record of each article in PATHS (files or folders)."""
    settings = _settings(root, summary_sentences=summary_sentences)
    report = pipeline.BuildReport()
    try:
        kb = pipeline.load_knowledge(settings)
    except KBError as exc:
        raise click.ClickException(f"knowledge base: {exc}") from exc
    docs = pipeline.read_sources(list(paths), None, report)
    briefings = pipeline.extract_all(docs, kb, settings)
    copies = syndicated((d.path, text_key(body_of(d))) for d in docs)
    story_of = stories.cluster(stories.report_of(b) for b in briefings).story_of
    records = [{**b.to_record(), **({"syndicated_of": c} if (c := copies.get(b.doc.path)) else {}),
                "story": story_of[b.doc.path]}
               for b in briefings]
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        for r in records:
            click.echo(json.dumps(r, ensure_ascii=False))
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    for line in report.skipped:
        click.echo(f"skipped: {line}", err=True)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True,
              help="Seconds a URL may take, from connecting to the last byte.")
@root_option
def add(sources: tuple[str, ...], timeout: float, root: Path) -> None:
    """Add articles to content/: files (.txt, .md, .html, feeds), - for standard input, or page and feed URLs.

    Each article becomes a Markdown file named after its title, with title, date, source, url, author and
    date_added in front matter. Duplicates (same URL, feed entry or text) are skipped, naming the article
    already there. Exits non-zero only when nothing was added.
    """
    import datetime as dt

    from generator import intake

    settings = _settings(root)
    # With standard input closed (briefing add - <&-) there is no sys.stdin at all.
    stdin = sys.stdin.buffer if sys.stdin is not None else None
    report = intake.add_sources(list(sources), settings.content_path, today=dt.date.today(),
                                stdin=stdin, timeout=timeout)
    for a in report.added:
        click.echo(f"added {a.path}: {a.title}")
    for r in report.refused:
        click.echo(f"skipped {r.origin}: {r.reason}", err=True)
    click.echo(report.summary(), err=True)
    if not report.added:
        raise click.ClickException("nothing was added")


@cli.command()
@root_option
@click.option("--min-count", type=click.IntRange(min=1), default=2, show_default=True,
              help="List unknown names seen at least this often.")
@click.option("--limit", type=click.IntRange(min=0), default=30, show_default=True,
              help="List at most this many unknown names (and as many designators).")
def check(root: Path, min_count: int, limit: int) -> None:
    """Validate content/ and the knowledge base; list names the KB does not know.

    Exits non-zero when an article cannot be read or the knowledge base does not load.
    """
    from generator.check import format_report, run_check

    report = run_check(_settings(root), min_count=min_count, limit=limit)
    click.echo(format_report(report))
    if not report.ok:
        raise click.ClickException(f"{len(report.errors)} error(s)")


@cli.command()
@root_option
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit non-zero when the committed reference pages are out of date.")
def reference(root: Path, check_only: bool) -> None:
    """Regenerate the configuration and CLI reference pages of the manual from the code."""
    from generator import reference as ref

    folder = _settings(root).docs_path / ref.MANUAL_DIR
    if check_only:
        stale = ref.stale(folder, cli)
        for name in stale:
            click.echo(f"out of date: {folder / name} (run: briefing reference)", err=True)
        if stale:
            raise click.ClickException(f"{len(stale)} reference page(s) out of date")
        return
    for name in ref.write(folder, cli):
        click.echo(f"wrote {folder / name}", err=True)


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--summary-sentences", type=click.IntRange(min=1), default=3, show_default=True,
              help="Sentences in each summary (for ROUGE).")
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON, with each document's misses.")
@root_option
def eval_(gold: Path, summary_sentences: int, as_json: bool, root: Path) -> None:
    """Score extraction against a gold set (JSONL: id, text, and entities, brief or summary)."""
    from generator.evaluate import evaluate, format_report
    from generator.extract import Extractor

    settings = _settings(root)
    try:
        kb = pipeline.load_knowledge(settings)
    except KBError as exc:
        raise click.ClickException(f"knowledge base: {exc}") from exc
    try:
        result = evaluate(gold, Extractor(kb), summary_sentences=summary_sentences)
    except (ValueError, KeyError) as exc:
        raise click.ClickException(f"{gold}: not a gold set this command can read ({exc})") from exc
    click.echo(json.dumps(result, indent=1) if as_json else format_report(result))


def _one_line(exc: BaseException) -> tuple[str, int]:
    """The one-line message and exit status of an error that escaped a command."""
    if isinstance(exc, WriteError):
        return f"{exc}", EXIT_CANNOT_WRITE
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        what = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return f"{where}cannot write ({what}); free disk space (or raise the file size limit) and run again", \
                EXIT_CANNOT_WRITE
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"{where}cannot write ({what}); check the permissions of the project folder", EXIT_CANNOT_WRITE
        return f"{where}{what}; check the file and run again", EXIT_CANNOT_WRITE
    text = " ".join(str(exc).split())[:300]
    return (f"internal error ({type(exc).__name__}: {text}); run again with --debug and report the trace",
            EXIT_INTERNAL)


def _run() -> int:
    """Run the command line; every error ends in one line on stderr and an exit status."""
    try:
        cli(prog_name="briefing")
    except SystemExit as exc:  # click ends every run with one
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_FAILED)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        if _debug:
            traceback.print_exc()
        message, code = _one_line(exc)
        print(f"Error: {message}", file=sys.stderr)
        return code
    return 0


def main() -> None:
    code = _run()
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        # A reader that went away (| head): say nothing more to it, also not at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)


if __name__ == "__main__":
    main()
