"""``wirecopy index rebuild``: the catalog and every CDXJ index again, from the WARC files alone."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .settings import ARCHIVE_DIR


def open_archive(args):
    """The archive of ``--archive`` with the ``WARC_*`` and ``CATALOG_*`` settings (``-s``)."""
    from archive.store import Archive, ArchiveConfig

    from .cli import crawl_settings

    settings = crawl_settings(args.archive, args.set, max_pages=None, quiet=True, progress=False)
    return Archive(args.archive, ArchiveConfig.from_settings(settings))


def print_report(command: str, figures: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps({k: v for k, v in figures.items() if k != "per_file"}, sort_keys=True))
        return
    print(f"wirecopy {command}: {figures['files']} files, {figures['records']:,} records,"
          f" {figures['captures']:,} captures, {figures['articles']:,} articles")
    for f in figures["per_file"]:
        for problem in f["problems"]:
            print(f"  {f['file']} @{problem}", file=sys.stderr)


def cmd_rebuild(args) -> int:
    from archive.catalog.reindex import rebuild

    if not Path(args.archive, "warc").is_dir():
        print(f"wirecopy index rebuild: no archive in {args.archive}/ (no warc/)", file=sys.stderr)
        return 2
    archive = open_archive(args)
    try:
        figures = rebuild(archive).as_dict()
    finally:
        archive.close()
    figures["catalog_error"] = archive.catalog_error
    print_report("index rebuild", figures, args.json)
    if archive.catalog_error:
        print(f"wirecopy index rebuild: {archive.catalog_error}", file=sys.stderr)
        return 1
    return 1 if figures["problems"] else 0


def register(subparsers) -> None:
    from .cli import _setting

    index = subparsers.add_parser("index", help="the catalog and CDXJ indexes")
    sub = index.add_subparsers(dest="index_command", required=True)
    cmd = sub.add_parser("rebuild", help="rebuild the catalog and every CDXJ from the WARC files alone")
    cmd.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    cmd.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                     help="override a setting (CATALOG_BUSY_TIMEOUT=..., ...)")
    cmd.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    cmd.set_defaults(func=cmd_rebuild)
