"""What a crawl stored, checked against the archive itself, and the exit code it earns.

The summary of a run says what is in the archive after it, not what the crawl meant to do:
the response and revisit records of the run's WARC files (counted from their CDXJ indexes,
written as each record is), how many of them the catalog holds, and how many article texts.
A record archived but not catalogued, a write that failed, or a file that could not be closed
is data a reader of the catalog would not find: the run then exits non-zero.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from archive.catalog import catalog_exists, catalog_errors, open_catalog

from .logs import ERRORS_LOGGED_STAT

logger = logging.getLogger(__name__)

EXIT_LOST = 3  # something archived could not be catalogued, or could not be archived at all


def logged_errors(stats: dict) -> int:
    """ERROR and CRITICAL log lines of the run: counted for the whole run by the command
    line (``log/errors``), else as far as Scrapy's ``log_count/*`` stats saw them."""
    scrapy_count = stats.get("log_count/ERROR", 0) + stats.get("log_count/CRITICAL", 0)
    return max(stats.get(ERRORS_LOGGED_STAT, 0), scrapy_count)


def _indexed(index_dir: Path, names: list[str]) -> tuple[int, int, list[str]]:
    """(responses, revisits, files without an index) of the WARC files ``names``."""
    responses = revisits = 0
    unindexed = []
    for name in names:
        path = index_dir / f"{name}.cdxj"
        if not path.exists():
            unindexed.append(name)
            continue
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                fields = json.loads(line.split(" ", 2)[2])
                if fields.get("mime") == "warc/revisit":
                    revisits += 1
                else:
                    responses += 1
    return responses, revisits, unindexed


def stored(root: str | Path, names: list[str]) -> dict:
    """What the WARC files ``names`` of archive ``root`` hold and what the catalog has of it."""
    root = Path(root)
    responses, revisits, unindexed = _indexed(root / "indexes", names)
    rows = {"captures": 0, "articles": 0}
    if catalog_exists(root):
        catalog = open_catalog(root, readonly=True)
        try:
            rows = catalog.rows_in_files(names)
        except catalog_errors() as exc:
            logger.error("Could not count the catalog rows of this run: %s", exc)
        finally:
            catalog.close()
    return {
        "responses": responses,
        "revisits": revisits,
        "catalogued": rows["captures"],
        "articles": rows["articles"],
        "uncatalogued": max(0, responses + revisits - rows["captures"]),
        "unindexed_files": unindexed,
    }


def account(figures: dict, stats: dict, root: str | Path) -> None:
    """Put into ``figures`` what the run stored, its logged errors, and ``lost``: records
    archived but not catalogued, failed writes and files left unclosed or unindexed."""
    names = list(stats.get("warc/file_names") or [])
    figures["warc_files"] = stats.get("warc/files", len(names))
    figures["extracted"] = stats.get("extract/ok", 0)
    if not names and not stats.get("warc/write_errors") and not stats.get("warc/close_errors"):
        figures.update(responses=0, catalogued=0, articles=0, uncatalogued=0)
    else:
        found = stored(root, names)
        figures.update({k: v for k, v in found.items() if k not in ("revisits", "unindexed_files")})
        figures["revisits"] = found["revisits"]
        figures["unindexed_files"] = found["unindexed_files"]
    figures["logged_errors"] = logged_errors(stats)
    figures["errors"] = max(figures.get("errors", 0), figures["logged_errors"])
    figures["lost"] = (figures["uncatalogued"] + stats.get("warc/write_errors", 0)
                       + stats.get("warc/close_errors", 0) + len(figures.get("unindexed_files", [])))


def print_losses(console, figures: dict | None) -> None:
    """The summary's warning lines: what the archive does not hold that the run archived."""
    if not figures:
        return
    if figures.get("uncatalogued"):
        console.print(f"[red]archived but not catalogued: {figures['uncatalogued']} record(s)[/]")
    if figures.get("unindexed_files"):
        console.print(f"[red]WARC files left without an index: {', '.join(figures['unindexed_files'])}[/]")
    if figures.get("lost"):
        console.print(f"[red]{figures['lost']} problem(s) lost or hid archived data; see the log[/]")
