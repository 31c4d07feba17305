"""``wirecopy check``: every WARC record of the archive has its catalog rows; ``--repair`` writes
the missing ones from the WARC files."""

from __future__ import annotations

from .cli_index import archive_arguments, run_on_archive


def cmd_check(args) -> int:
    from archive.catalog.reindex import check

    figures, code = run_on_archive("check", args, lambda archive: check(archive, repair=args.repair))
    if figures is None:
        return code
    if not args.json:
        missing = figures["missing_captures"] + figures["missing_articles"]
        print(f"records without their rows: {figures['missing_captures']:,} captures,"
              f" {figures['missing_articles']:,} articles ({figures['repaired']:,} repaired)" if missing
              else "every record has its catalog rows")
    return code or (1 if figures["missing"] else 0)


def register(subparsers) -> None:
    cmd = subparsers.add_parser("check", help="prove every WARC record has its catalog rows (--repair them)")
    archive_arguments(cmd)
    cmd.add_argument("--repair", action="store_true", help="write the missing rows from the WARC files")
    cmd.set_defaults(func=cmd_check)
