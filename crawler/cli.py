"""The ``wirecopy`` command: crawl, demo."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import time
from pathlib import Path

from . import __version__
from .cli_lock import add_wait_option, writing_archive
from .outcome import EXIT_LOST
from .settings import ARCHIVE_DIR

logger = logging.getLogger(__name__)

DEMO_BASE_PORT = 8701


def _setting(pair: str) -> tuple[str, str]:
    name, sep, value = pair.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {pair!r}")
    return name.strip(), value


def crawl_settings(archive: str, overrides: list[tuple[str, str]], *, max_pages: int | None,
                   quiet: bool, progress: bool):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("ARCHIVE_DIR", archive, "cmdline")
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages, "cmdline")
    settings.set("PROGRESS_ENABLED", progress, "cmdline")
    settings.set("PROGRESS_SUMMARY", False, "cmdline")
    if quiet or progress:
        settings.set("LOG_LEVEL", "WARNING", "cmdline")
    for name, value in overrides:
        settings.set(name, value, "cmdline")
    return settings


def quiet_overrides(args) -> list[tuple[str, str]]:
    """``--quiet``: errors only on the terminal; the summary counts the warnings left out."""
    return [("LOG_LEVEL", "ERROR")] if args.quiet else []


def run_crawl(settings, spider_kwargs: dict, spider: str = "news", on_crawler=None) -> tuple[dict, float]:
    """Run ``spider`` in this process, first passing its crawler to ``on_crawler`` when given;
    returns (stats, elapsed seconds)."""
    from scrapy.crawler import CrawlerProcess

    from .logs import ERRORS_LOGGED_STAT, counting_errors

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    if on_crawler is not None:
        on_crawler(crawler)
    started = time.monotonic()
    with counting_errors() as errors:
        process.crawl(crawler, **spider_kwargs)
        process.start()
    stats = crawler.stats.get_stats()
    stats[ERRORS_LOGGED_STAT] = errors.count
    return stats, time.monotonic() - started


def report(figures: dict, stats: dict, args, print_summary) -> None:
    """How a crawl-like command ends: a JSON object with ``--json``, else ``print_summary``
    (``--quiet`` too: it leaves out the progress display and log lines, not the summary)."""
    from .outcome import account
    from .progress import jsonable_stats

    account(figures, stats, args.archive)
    if args.json:
        figures["stats"] = jsonable_stats(stats)
        print(json.dumps(figures, sort_keys=True))
    else:
        print_summary(figures, stats, args.archive)


def _print_summary(figures: dict, stats: dict, archive: str) -> None:
    from rich.console import Console

    from archive.catalog import CATALOG_FILE

    from .progress import print_notes, render

    console = Console()
    console.print(render(figures, title="wirecopy crawl: done"))
    console.print(f"archive: {archive} (warc/, indexes/, {CATALOG_FILE})")
    print_notes(console, stats, figures)


def reach_catalog(archive: str, settings) -> None:
    """Open (and migrate) a PostgreSQL catalog before the crawl starts: an unreachable server
    ends the command with one line (``CatalogUnavailable``), not a crawl that cannot store."""
    from archive.catalog import CatalogOptions, open_catalog
    from archive.catalog.location import located

    options = located(archive, CatalogOptions.from_settings(settings))
    if options.catalog_url:
        open_catalog(archive, options).close()


def cmd_crawl(args) -> int:
    from spiders.news import parse_seeds

    from .progress import summary

    try:
        seeds = parse_seeds(args.urls, args.seeds_file)
    except (OSError, ValueError) as exc:
        print(f"wirecopy crawl: {exc}", file=sys.stderr)
        return 2
    if not seeds:
        print("wirecopy crawl: give seed URLs or --seeds-file", file=sys.stderr)
        return 2
    progress = not args.quiet and not args.json and sys.stderr.isatty()
    settings = crawl_settings(args.archive, quiet_overrides(args) + args.set, max_pages=args.max_pages,
                              quiet=args.quiet or args.json, progress=progress)
    with writing_archive(args.archive, "wirecopy crawl", args.wait):
        reach_catalog(args.archive, settings)
        stats, elapsed = run_crawl(settings, {
            "seeds": seeds, "depth": args.depth, "same_domain": args.same_domain,
        })
    figures = summary(stats, elapsed)
    figures["archive"] = str(Path(args.archive).resolve())
    figures["catalog_write_errors"] = stats.get("catalog/write_errors", 0)
    report(figures, stats, args, _print_summary)
    if figures["catalog_write_errors"]:
        print(f"wirecopy crawl: {stats.get('catalog/error')}", file=sys.stderr)
    if not figures["pages"]:
        return 1
    return EXIT_LOST if figures["lost"] or figures["catalog_write_errors"] else 0


def cmd_demo(args) -> int:
    from archive.demo import DemoWeb

    from .demo_report import print_report
    from .outcome import account
    from .progress import summary

    with DemoWeb(DEMO_BASE_PORT) as web:
        progress = not args.quiet and sys.stderr.isatty()
        overrides = quiet_overrides(args) + [
            # The demo web is our own loopback server: no need to wait between requests.
            ("AUTOTHROTTLE_ENABLED", "False"), ("DOWNLOAD_DELAY", "0"),
            ("CONCURRENT_REQUESTS_PER_DOMAIN", "8"), ("WIRECOPY_JOB", "demo"),
            # the sample outlets' news agency
            ("STORIES_WIRE_NAMES", "Aurora Press"),
        ] + list(args.set)
        settings = crawl_settings(args.archive, overrides, max_pages=None,
                                  quiet=args.quiet, progress=progress)
        if not args.quiet:
            print(f"Serving {len(web.outlets)} sample outlets on 127.0.0.1 "
                  f"({', '.join(o.name for o in web.outlets)}); crawling into {args.archive}/")
        with writing_archive(args.archive, "wirecopy demo", 0.0):
            stats, elapsed = run_crawl(settings, {"seeds": web.seeds, "depth": 2})
    figures = summary(stats, elapsed)
    account(figures, stats, args.archive)
    print_report(args.archive, figures, stats, full=not args.quiet)
    if not figures["pages"]:
        return 1
    return EXIT_LOST if figures["lost"] else 0


def cmd_stories(args) -> int:
    from . import story_views as views

    if args.action == "rebuild":
        return _rebuild_stories(args)
    tracker = views.open_for_reading(args.archive)
    if tracker is None:
        print(f"wirecopy stories: no archive catalog in {args.archive}/", file=sys.stderr)
        return 2
    stories = tracker.stories(min_size=1 if args.all else args.min_size)
    if args.format == "json":
        print(views.dump_json(views.stories_as_json(stories)))
    else:
        views.print_stories(stories, title=f"Stories in {args.archive}/ ({len(stories)})")
    tracker.close()
    return 0


def _rebuild_stories(args) -> int:
    from archive.catalog import CatalogOptions
    from archive.stories.service import rebuild

    from .tracking import StoriesConfig
    settings = crawl_settings(args.archive, args.set, max_pages=None, quiet=True, progress=False)
    stories_config = StoriesConfig.from_settings(settings)
    started = time.monotonic()
    with writing_archive(args.archive, "wirecopy stories rebuild", args.wait):
        tracker = rebuild(args.archive, stories_config.encoder, dict(stories_config.tracker),
                          options=CatalogOptions.from_settings(settings))
        docs = tracker.store.doc_count()
        stories = [s for s in tracker.stories() if s.size > 1]
        walls = tracker.walls
        tracker.close()
    set_aside = (f", {sum(walls.values())} set aside as walls ("
                 + ", ".join(f"{n} {kind}" for kind, n in sorted(walls.items())) + ")") if walls else ""
    print(f"Rebuilt story tracking from the WARC files: {docs} articles{set_aside}, {len(stories)} stories"
          f" with copies, in {time.monotonic() - started:.1f} s")
    return 0


def cmd_story(args) -> int:
    from . import story_views as views

    tracker = views.open_for_reading(args.archive)
    if tracker is None:
        print(f"wirecopy story: no archive catalog in {args.archive}/", file=sys.stderr)
        return 2
    story = views.find_story(tracker, args.key)
    if story is None:
        print(f"wirecopy story: no story with id or URL {args.key}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(views.dump_json(views.story_as_json(tracker, story)))
    else:
        views.print_story(tracker, story)
    tracker.close()
    return 0


# Commands that live in modules of their own; each has ``register(subparsers)``.
COMMAND_MODULES: tuple[str, ...] = (
    "crawler.cli_replay",
    "crawler.cli_import",
    "crawler.cli_history",
    "crawler.cli_export",
    "crawler.cli_jobs",
    "crawler.cli_serve",
    "crawler.cli_index",
    "crawler.cli_check",
    "crawler.cli_worker",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wirecopy", description="Archival news crawler.")
    parser.add_argument("--version", action="version", version=f"wirecopy {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    crawl = sub.add_parser("crawl", help="crawl seeds into a WARC archive with article texts")
    crawl.add_argument("urls", nargs="*", metavar="URL", help="article, section, feed or sitemap URLs")
    crawl.add_argument("--seeds-file", help="a file of seed URLs, one per line (# comments)")
    crawl.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    crawl.add_argument("--depth", type=int, default=2, help="link hops to follow from the seeds (default 2)")
    crawl.add_argument("--max-pages", type=int, help="stop after this many responses")
    crawl.add_argument("--same-domain", dest="same_domain", action="store_true", default=True,
                       help="follow links within the seeds' domains only (default)")
    crawl.add_argument("--any-domain", dest="same_domain", action="store_false",
                       help="follow links to any domain")
    crawl.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                       help="override a Scrapy or wirecopy setting")
    crawl.add_argument("--quiet", action="store_true", help="no progress display; errors and the summary only")
    crawl.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    add_wait_option(crawl)
    crawl.set_defaults(func=cmd_crawl)

    stories = sub.add_parser("stories", help="list stories: archived articles with their copies")
    stories.add_argument("action", nargs="?", choices=["list", "rebuild"], default="list",
                         help="list (default), or rebuild story tracking from the WARC files")
    stories.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    stories.add_argument("--format", choices=["table", "json"], default="table")
    stories.add_argument("--min-size", type=int, default=2, help="smallest story listed (default 2 captures)")
    stories.add_argument("--all", action="store_true", help="include single-capture stories")
    stories.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                         help="story tracking settings for rebuild (STORIES_*)")
    add_wait_option(stories)
    stories.set_defaults(func=cmd_stories)

    story = sub.add_parser("story", help="one story: the origin and what each copy changed")
    story.add_argument("key", metavar="ID|URL", help="a story id or the URL of any of its captures")
    story.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    story.add_argument("--format", choices=["table", "json"], default="table")
    story.set_defaults(func=cmd_story)

    demo = sub.add_parser("demo", help="crawl the bundled sample news web and show what was archived")
    demo.add_argument("--archive", default="wirecopy-demo", help="archive directory (default ./wirecopy-demo)")
    demo.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE")
    demo.add_argument("--quiet", action="store_true",
                      help="no progress display or tables; errors and the crawl summary only")
    demo.set_defaults(func=cmd_demo)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _keep_library_importable() -> None:
    """``python -m crawler.cli`` puts the working directory first on sys.path; an archive
    directory named ``archive`` there (``--archive archive``) would then be imported (by this
    process or by the extraction workers) as a namespace package in place of the library.
    Drop that entry unless the working directory holds the library itself."""
    cwd = os.getcwd()
    if not Path(cwd, "archive", "__init__.py").exists():
        sys.path[:] = [p for p in sys.path if p not in ("", cwd)]


def main(argv: list[str] | None = None) -> int:
    _keep_library_importable()
    args = build_parser().parse_args(argv)
    from archive.catalog import CatalogMismatch, CatalogUnavailable

    try:
        return args.func(args)
    except (CatalogUnavailable, CatalogMismatch) as exc:
        print(f"wirecopy {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
