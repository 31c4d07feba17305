"""``wirecopy replay``: run a spider, the extraction and the story pipelines against the archive.

    wirecopy replay [--archive DIR] [--spider NAME] [--at TIMESTAMP] [URL ...]

The network is off (see ``crawler.replay``). Without URLs the spider starts from the seeds of the
crawls that made the archive, read from the ``wirecopy-seeds`` field of their ``warcinfo`` records;
an archive with none recorded (WARCs made by other tools) replays every archived page, depth 0.
"""

from __future__ import annotations

import sys
import uuid
from contextlib import nullcontext
from pathlib import Path

from .settings import ARCHIVE_DIR

MISS_EXCEPTION = "downloader/exception_type_count/crawler.replay.ReplayMiss"


def register(subparsers) -> None:
    from .cli import _setting
    from .cli_lock import add_wait_option

    p = subparsers.add_parser("replay", help="run a spider against the archive, with the network off")
    p.add_argument("urls", nargs="*", metavar="URL",
                   help="start URLs (default: the seeds of the archived crawls)")
    p.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    p.add_argument("--spider", default="news", help="spider to run (default: news)")
    p.add_argument("--at", metavar="TIMESTAMP",
                   help="replay the captures closest to this time (YYYYmmdd[HHMMSS] or ISO 8601;"
                        " default: the latest)")
    p.add_argument("--depth", type=int, default=2, help="link hops the news spider follows (default 2)")
    p.add_argument("-a", dest="spider_args", action="append", type=_setting, default=[],
                   metavar="NAME=VALUE", help="spider argument, as scrapy crawl -a")
    p.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                   help="override a Scrapy or wirecopy setting")
    p.add_argument("--quiet", action="store_true", help="no progress display; errors and the summary only")
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    add_wait_option(p)
    p.set_defaults(func=cmd_replay)


def replay_figures(stats: dict, elapsed: float) -> dict:
    from .progress import summary

    figures = summary(stats, elapsed)
    misses = stats.get("replay/miss", 0)
    # a miss is reported as a miss, not as a download error
    figures["errors"] = max(0, figures["errors"] - stats.get(MISS_EXCEPTION, 0))
    figures.update(hits=stats.get("replay/hit", 0), misses=misses,
                   revisits=stats.get("replay/revisit", 0), refused=stats.get("replay/refused", 0))
    return figures


def _print_summary(figures: dict, stats: dict, archive: str) -> None:
    from rich.console import Console

    from .progress import print_notes, render

    table = render(figures, title="wirecopy replay: done")
    table.add_row("archive hits", f"{figures['hits']:,}")
    table.add_row("misses (not fetched)", f"{figures['misses']:,}")
    table.add_row("revisits resolved", f"{figures['revisits']:,}")
    console = Console()
    console.print(table)
    console.print(f"archive: {archive} (network off); re-extracted texts in "
                  f"{figures['warc_files']} new WARC file(s), earlier files untouched")
    print_notes(console, stats, figures)


def cmd_replay(args) -> int:
    from archive.catalog import catalog_exists, catalog_path
    from archive.replay import archived_pages, archived_seeds, parse_at
    from spiders.news import parse_seeds

    from .cli import crawl_settings, quiet_overrides, report, run_crawl
    from .cli_lock import writing_archive
    from .outcome import EXIT_LOST
    from .replay import ReplayConfig

    def fail(message: str) -> int:
        print(f"wirecopy replay: {message}", file=sys.stderr)
        return 2

    root = Path(args.archive)
    if not catalog_exists(root):
        return fail(f"no archive in {args.archive}/ (no {catalog_path(root).name})")
    try:
        parse_at(args.at)
        seeds = parse_seeds(args.urls)
    except ValueError as exc:
        return fail(str(exc))
    seeds = seeds or archived_seeds(root)
    depth = args.depth
    if not seeds and args.spider == "news":
        # no recorded seeds (WARCs made by other tools): every archived page, links not followed
        seeds, depth = archived_pages(root), 0
        if not seeds:
            return fail(f"nothing to replay in {args.archive}/: the catalog holds no pages")
        print("wirecopy replay: no seeds recorded in the archive; replaying every archived page"
              f" ({len(seeds)})", file=sys.stderr)
    spider_kwargs = dict(args.spider_args)
    if args.spider == "news":
        spider_kwargs.setdefault("depth", depth)
    if seeds:
        spider_kwargs.setdefault("seeds", seeds)
    progress = not args.quiet and not args.json and sys.stderr.isatty()
    overrides = quiet_overrides(args) + [
        ("REPLAY_ARCHIVE", args.archive), ("REPLAY_AT", args.at or ""),
        ("WIRECOPY_JOB", f"replay-{uuid.uuid4().hex[:12]}"),
        ("WARC_DESCRIPTION", f"re-extraction replaying {root.resolve()}"
                             + (f" at {args.at}" if args.at else "")),
        # nothing is fetched: politeness delays would only slow replay down
        ("AUTOTHROTTLE_ENABLED", "False"), ("DOWNLOAD_DELAY", "0"),
    ] + list(args.set)
    settings = crawl_settings(args.archive, overrides, max_pages=None,
                              quiet=args.quiet or args.json, progress=progress)
    writes = ReplayConfig.from_settings(settings).writes
    try:
        with writing_archive(args.archive, "wirecopy replay", args.wait) if writes else nullcontext():
            stats, elapsed = run_crawl(settings, spider_kwargs, args.spider)
    except KeyError:
        return fail(f"no spider named {args.spider!r}")
    figures = replay_figures(stats, elapsed)
    figures["archive"] = str(root.resolve())
    report(figures, stats, args, _print_summary)
    if not figures["hits"]:
        return 1
    return EXIT_LOST if figures["lost"] else 0
