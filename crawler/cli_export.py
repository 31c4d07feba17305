"""``wirecopy export --wacz FILE``: the archive as one WACZ file for ReplayWeb.page, pywb, py-wacz."""

from __future__ import annotations

import argparse
import json
import sys
import time

from .settings import ARCHIVE_DIR


def cmd_export(args) -> int:
    from archive.wacz import WaczError, export_wacz

    started = time.monotonic()
    try:
        report = export_wacz(args.archive, args.wacz, title=args.title, description=args.description,
                             with_text=not args.no_text)
    except (WaczError, OSError) as exc:
        print(f"wirecopy export: {exc}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    if args.json:
        print(json.dumps({
            "wacz": str(report.path), "bytes": report.bytes, "warc_files": report.warc_files,
            "captures": report.captures, "pages": report.pages, "skipped_open": report.skipped_open,
            "missing": report.missing, "indexed_here": report.indexed_here,
            "reframed": [r.as_dict() for r in report.reframed],
            "texts_missing": report.texts_missing, "elapsed": round(elapsed, 3),
        }, sort_keys=True))
        return 0
    print(f"Wrote {report.path} ({report.bytes:,} bytes): {len(report.warc_files)} WARC files, "
          f"{report.captures} captures indexed, {report.pages} articles in pages/pages.jsonl, "
          f"in {elapsed:.1f} s")
    for name in report.skipped_open:
        print(f"skipped (still being written): {name}")
    for name in report.missing:
        print(f"missing (referred to by the catalog): {name}")
    for r in report.reframed:
        print(f"re-framed (gzipped as one whole file; records unchanged, one gzip member each):"
              f" {r.location} -> archive/{r.name}, {r.records} records"
              + (f", {r.bytes_left_out} unreadable bytes left out" if r.bytes_left_out else "")
              + (f", {r.lines_dropped} index lines dropped" if r.lines_dropped else ""))
    if report.texts_missing:
        print(f"articles listed without text (unreadable conversion record): {report.texts_missing}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser(
        "export", help="package the archive as a WACZ file (ReplayWeb.page, pywb, wacz validate)")
    export.add_argument("--wacz", required=True, metavar="FILE", help="the WACZ file to write")
    export.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    export.add_argument("--title", help="the collection's title (default: the archive's name)")
    export.add_argument("--description", help="the collection's description (Markdown)")
    export.add_argument("--no-text", action="store_true",
                        help="list articles in pages.jsonl without their text (no full-text search)")
    export.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    export.set_defaults(func=cmd_export)
