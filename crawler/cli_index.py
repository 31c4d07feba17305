"""``wirecopy index rebuild``: the catalog and every CDXJ index again, from the WARC files alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

from .settings import ARCHIVE_DIR


def run_on_archive(command: str, args, work: Callable) -> tuple[dict | None, int]:
    """(figures, exit code) of ``work(archive)`` on the archive of ``--archive``, opened with the
    ``WARC_*`` and ``CATALOG_*`` settings (``-s``); the figures are printed (``--json``)."""
    from archive.store import Archive, ArchiveConfig

    from .cli import crawl_settings
    from .cli_lock import writing_archive

    if not Path(args.archive, "warc").is_dir():
        print(f"wirecopy {command}: no archive in {args.archive}/ (no warc/)", file=sys.stderr)
        return None, 2
    settings = crawl_settings(args.archive, args.set, max_pages=None, quiet=True, progress=False)
    # rows and indexes are rewritten and .open files sealed: no crawl may be writing meanwhile
    with writing_archive(args.archive, f"wirecopy {command}", args.wait):
        archive = Archive(args.archive, ArchiveConfig.from_settings(settings))
        try:
            figures = work(archive).as_dict()
        finally:
            archive.close()
    figures["catalog_error"] = archive.catalog_error
    if args.json:
        print(json.dumps({k: v for k, v in figures.items() if k != "per_file"}, sort_keys=True))
    else:
        print(f"wirecopy {command}: {figures['files']} files, {figures['records']:,} records,"
              f" {figures['captures']:,} captures, {figures['articles']:,} articles"
              + (f", {figures['profiles']:,} site profiles" if figures.get("profiles") else ""))
        for f in figures["per_file"]:
            for problem in f["problems"]:
                print(f"  {f['file']} @{problem}", file=sys.stderr)
    if archive.catalog_error:
        print(f"wirecopy {command}: {archive.catalog_error}", file=sys.stderr)
        return figures, 1
    return figures, 0


def archive_arguments(parser) -> None:
    from .cli import _setting
    from .cli_lock import add_wait_option

    parser.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    parser.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                        help="override a setting (CATALOG_BUSY_TIMEOUT=..., ...)")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    add_wait_option(parser)


def cmd_rebuild(args) -> int:
    from archive.catalog.reindex import rebuild

    from .cli import crawl_settings
    from .pipelines import ExtractionConfig

    settings = crawl_settings(args.archive, args.set, max_pages=None, quiet=True, progress=False)
    profiles = ExtractionConfig.from_settings(settings).site_profiles
    figures, code = run_on_archive("index rebuild", args, lambda archive: rebuild(archive, profiles))
    return code or (1 if figures["problems"] else 0)


def register(subparsers) -> None:
    index = subparsers.add_parser("index", help="the catalog and CDXJ indexes")
    sub = index.add_subparsers(dest="index_command", required=True)
    cmd = sub.add_parser("rebuild", help="rebuild the catalog and every CDXJ from the WARC files alone")
    archive_arguments(cmd)
    cmd.set_defaults(func=cmd_rebuild)
