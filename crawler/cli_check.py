"""``wirecopy check``: every WARC record of the archive has its catalog rows; ``--repair`` writes
the missing ones from the WARC files."""

from __future__ import annotations

import sys
from pathlib import Path

from .cli_index import open_archive, print_report
from .settings import ARCHIVE_DIR


def cmd_check(args) -> int:
    from archive.catalog.reindex import check

    if not Path(args.archive, "warc").is_dir():
        print(f"wirecopy check: no archive in {args.archive}/ (no warc/)", file=sys.stderr)
        return 2
    archive = open_archive(args)
    try:
        figures = check(archive, repair=args.repair).as_dict()
    finally:
        archive.close()
    figures["catalog_error"] = archive.catalog_error
    print_report("check", figures, args.json)
    if not args.json:
        verb = "repaired" if args.repair else "missing"
        print(f"captures without rows: {figures['missing_captures']:,}, articles without rows:"
              f" {figures['missing_articles']:,} ({figures['repaired']:,} repaired)"
              if figures["missing_captures"] or figures["missing_articles"] else f"nothing {verb}: every"
              " record has its catalog rows")
    if archive.catalog_error:
        print(f"wirecopy check: {archive.catalog_error}", file=sys.stderr)
        return 1
    return 1 if figures["missing"] else 0


def register(subparsers) -> None:
    from .cli import _setting

    cmd = subparsers.add_parser("check", help="prove every WARC record has its catalog rows (--repair them)")
    cmd.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    cmd.add_argument("--repair", action="store_true", help="write the missing rows from the WARC files")
    cmd.add_argument("-s", "--set", action="append", type=_setting, default=[], metavar="NAME=VALUE",
                     help="override a setting (CATALOG_BUSY_TIMEOUT=..., ...)")
    cmd.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    cmd.set_defaults(func=cmd_check)
