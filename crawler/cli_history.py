"""``wirecopy history URL``: every capture of a URL, its text versions and what changed.

    wirecopy history URL [--archive DIR] [--format table|json] [--diff [unified|word]]

Reads the catalog and the WARC files only (never writes records), so it is safe to run
while a crawl is writing into the same archive.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from archive.catalog import (PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, CatalogStore, Row, Version, catalog_exists,
                             open_catalog)
from archive.textdiff import unified_diff, word_diff
from archive.warc.reader import read_record

from .settings import ARCHIVE_DIR

REVISIT_NAMES = {PROFILE_NOT_MODIFIED: "revisit (not modified)",
                 PROFILE_IDENTICAL: "revisit (identical payload)"}


def _open_history(archive: str) -> CatalogStore | None:
    if not catalog_exists(archive):
        return None
    return open_catalog(archive)


def _text(archive: str, version: Version) -> str:
    path = Path(archive, "warc", version.conversion_file)
    if not path.exists():
        path = path.with_name(path.name + ".open")
    return read_record(path, version.conversion_offset, version.conversion_length).payload.decode("utf-8")


def _capture_entry(row: Row, versions: dict[int, Version]) -> dict:
    version = versions.get(row["id"])
    if row["kind"] == "revisit":
        change = "unchanged"
    elif version is None:
        # a new page around a text already archived, or not an article at all
        earlier = any(v.warc_date < row["warc_date"] for v in versions.values())
        change = "same text" if earlier and row["status"] == 200 else "-"
    elif version.version == 1:
        change = "first version"
    else:
        change = "changed"
    return {
        "date": row["warc_date"], "status": row["status"],
        "record": "revisit" if row["kind"] == "revisit" else "response",
        "profile": row["profile"], "digest": row["payload_digest"],
        "version": version.version if version else None,
        "text_hash": version.text_hash if version else None,
        "change": change,
        "added_words": version.added_words if version else None,
        "removed_words": version.removed_words if version else None,
    }


def history_of(archive: str, url: str, history: CatalogStore, with_diffs: bool) -> dict:
    versions = history.versions(url)
    by_capture = {v.capture_id: v for v in versions}
    texts = {v.capture_id: _text(archive, v) for v in versions} if with_diffs else {}
    out_versions = []
    for previous, version in zip([None] + versions[:-1], versions):
        entry = {"version": version.version, "date": version.warc_date, "title": version.title,
                 "text_hash": version.text_hash, "digest": version.payload_digest,
                 "previous_date": previous.warc_date if previous else None,
                 "added_words": version.added_words, "removed_words": version.removed_words}
        if with_diffs and previous is not None:
            old, new = texts[previous.capture_id], texts[version.capture_id]
            entry["diff"] = unified_diff(old, new, previous.warc_date, version.warc_date)
            entry["word_diff"] = word_diff(old, new)
        out_versions.append(entry)
    return {"url": url, "captures": [_capture_entry(r, by_capture) for r in history.timeline(url)],
            "versions": out_versions}


def print_history(data: dict, diff: str | None, console: Console) -> None:
    table = Table(title=f"History of {escape(data['url'])}")
    for column in ("captured", "status", "record", "payload digest", "version", "text"):
        table.add_column(column)
    for c in data["captures"]:
        record = REVISIT_NAMES.get(c["profile"], c["record"]) if c["record"] == "revisit" else c["record"]
        text = c["change"]
        if c["change"] == "changed" and c["added_words"] is not None:
            text += f" (+{c['added_words']} -{c['removed_words']} words)"
        table.add_row(c["date"], str(c["status"] or ""), record, (c["digest"] or "-")[:17],
                      str(c["version"] or ""), text)
    console.print(table)
    versions = data["versions"]
    console.print(f"{len(data['captures'])} captures, {len(versions)} text versions")
    if not diff:
        return
    for v in versions[1:]:
        console.print(f"\n[bold]version {v['version'] - 1} -> {v['version']}[/bold]"
                      f" ({v['previous_date']} -> {v['date']})")
        body = v["word_diff"] if diff == "word" else v["diff"]
        console.print(escape(body), highlight=False, soft_wrap=True)


def cmd_history(args) -> int:
    history = _open_history(args.archive)
    if history is None:
        print(f"wirecopy history: no archive catalog in {args.archive}/", file=sys.stderr)
        return 2
    try:
        if not history.timeline(args.url):
            print(f"wirecopy history: no captures of {args.url} in {args.archive}/", file=sys.stderr)
            return 1
        data = history_of(args.archive, args.url, history, with_diffs=bool(args.diff) or args.format == "json")
    finally:
        history.close()
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        # piped output keeps whole rows rather than the 80 columns rich assumes off a terminal
        print_history(data, args.diff, Console() if sys.stdout.isatty() else Console(width=140))
    return 0


def register(subparsers) -> None:
    parser = subparsers.add_parser("history", help="the captures and text versions of one URL")
    parser.add_argument("url", metavar="URL", help="the URL as archived")
    parser.add_argument("--archive", default=ARCHIVE_DIR, help=f"archive directory (default: ./{ARCHIVE_DIR})")
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--diff", nargs="?", const="unified", choices=["unified", "word"],
                        help="print what changed between consecutive versions (default: unified)")
    parser.set_defaults(func=cmd_history)
