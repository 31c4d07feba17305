"""``wirecopy import FILE...``: bring WARC, ARC and WACZ files made by other tools into an archive."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .settings import ARCHIVE_DIR

MAX_PROBLEMS_SHOWN = 20


def register(subparsers) -> None:
    from .cli import _setting
    from .cli_lock import add_wait_option

    cmd = subparsers.add_parser(
        "import", help="index, catalog and extract WARC/ARC/WACZ files made by other tools (read in place)")
    cmd.add_argument("files", nargs="+", metavar="FILE",
                     help="WARC, ARC or WACZ files (gzip or not), or directories of them")
    cmd.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    cmd.add_argument("--no-extract", action="store_true",
                     help="index and catalog only: no article extraction (and so no stories)")
    cmd.add_argument("--no-stories", action="store_true", help="extract articles but do not track stories")
    cmd.add_argument("--workers", type=int, default=0, help="extraction processes (default: one per core)")
    cmd.add_argument("--read-workers", type=int, default=0,
                     help="processes reading ranges of a large WARC at once (default: one per core, at most"
                          " 4, with --no-extract; else 1)")
    cmd.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                     help="extraction and story settings (EXTRACT_*, STORIES_*)")
    cmd.add_argument("--quiet", action="store_true", help="no progress display or summary")
    cmd.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    add_wait_option(cmd)
    cmd.set_defaults(func=cmd_import)


def _options(args):
    """The crawl's configs from the same settings, so that ``-s NAME=VALUE`` means what it
    means to a crawl."""
    from archive.importer import ImportOptions
    from archive.store import ArchiveConfig

    from .cli import crawl_settings
    from .pipelines import ExtractionConfig
    from .session import SessionConfig
    from .tracking import StoriesConfig

    settings = crawl_settings(args.archive, args.set, max_pages=None, quiet=True, progress=False)
    session = SessionConfig.from_settings(settings)
    extraction = ExtractionConfig.from_settings(settings)
    stories = StoriesConfig.from_settings(settings)
    job = session.job or "import"
    return ImportOptions(
        extract=not args.no_extract,
        stories=not (args.no_stories or args.no_extract) and stories.enabled,
        workers=args.workers or extraction.workers,
        read_workers=args.read_workers,
        encoder=stories.encoder,
        tracker_config=dict(stories.tracker),
        extract_options=extraction.options,
        job=job,
        site_profiles=extraction.site_profiles,
        archive=ArchiveConfig.from_settings(settings, session.import_warcinfo(), job),
    )


def _run(args, options, progress):
    from archive.importer import Importer

    with Importer(args.archive, options, progress=progress) as importer:
        return importer.import_paths(args.files)


def cmd_import(args) -> int:
    from .cli_lock import writing_archive

    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(f"wirecopy import: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    options = _options(args)
    show_progress = not args.quiet and not args.json and sys.stderr.isatty()
    with writing_archive(args.archive, "wirecopy import", args.wait):
        if show_progress:
            summary = _run_with_progress(args, options)
        else:
            summary = _run(args, options, None)
    figures = summary.as_dict()
    figures["archive"] = str(Path(args.archive).resolve())
    if args.json:
        print(json.dumps(figures, sort_keys=True))
    elif not args.quiet:
        _print_summary(figures)
    return 1 if figures["errors"] or figures["records"] == 0 else 0


def _run_with_progress(args, options):
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    total = sum(p.stat().st_size for f in args.files
                for p in ([Path(f)] if Path(f).is_file() else Path(f).rglob("*")) if p.is_file())
    with Progress(TextColumn("[bold]importing[/] {task.fields[name]}"), BarColumn(), DownloadColumn(),
                  TextColumn("{task.fields[records]:,} records, {task.fields[articles]:,} articles,"
                             " {task.fields[errors]:,} errors"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("import", total=total, name="", records=0, articles=0, errors=0)
        done: dict[str, int] = {}

        def progress(report, position: int) -> None:
            done[report.file] = min(position, total)
            bar.update(task, completed=min(sum(done.values()), total),
                       name=Path(report.file.split("#")[0]).name, records=report.records,
                       articles=report.articles, errors=report.errors)

        return _run(args, options, progress)


def _walls(stats: dict) -> str:
    """``2 walls (1 consent, 1 paywall)``: the pages that stood between the reader and the site."""
    kinds = {name.rsplit("/", 1)[1]: n for name, n in stats.items() if name.startswith("extract/walls/")}
    walls = stats.get("extract/walls", 0)
    shown = f"{walls:,} wall{'' if walls == 1 else 's'}"
    return shown + (" (" + ", ".join(f"{n:,} {kind}" for kind, n in sorted(kinds.items())) + ")" if kinds else "")


def _print_summary(figures: dict) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    table = Table(title="wirecopy import: done", show_header=True)
    for name, justify in (("file", "left"), ("records", "right"), ("captures", "right"),
                          ("new", "right"), ("articles", "right"), ("walls", "right"), ("errors", "right")):
        table.add_column(name, justify=justify)
    for f in figures["files"]:
        path, sep, member = f["file"].partition("#")
        table.add_row(Path(path).name + sep + member, f"{f['records']:,}", f"{f['captures']:,}", f"{f['new_captures']:,}",
                      f"{f['articles']:,}", f"{f['walls']:,}", f"{f['errors']:,}")
    console.print(table)
    console.print(f"{figures['imported']} files, {figures['records']:,} records, {figures['captures']:,}"
                  f" captures ({figures['new_captures']:,} new), {figures['articles']:,} articles,"
                  f" {_walls(figures['stats'])},"
                  f" {figures['errors']:,} errors, {figures['warnings']:,} warnings in"
                  f" {figures['elapsed']:.1f} s ({figures['records_per_second']:,.0f} records/s)")
    problems = sorted((p for f in figures["files"] for p in f["problems"]),
                      key=lambda p: p["severity"] != "error")
    for p in problems[:MAX_PROBLEMS_SHOWN]:
        style = "red" if p["severity"] == "error" else "yellow"
        skipped = " (skipped)" if p["skipped"] else ""
        path, sep, member = p["file"].partition("#")
        console.print(f"[{style}]{p['severity']}[/] {Path(path).name}{sep}{member} @{p['offset']}:"
                      f" {escape(p['reason'])}{skipped}", highlight=False)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        console.print(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more (all of them with --json)")
    console.print(f"archive: {figures['archive']} (the files were read in place, not copied)")
