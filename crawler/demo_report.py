"""What ``wirecopy demo`` prints after its crawl: the archive, outlet by outlet."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table

from archive.catalog import catalog_path, open_catalog

from .progress import render
from .story_views import open_for_reading, print_stories


def print_report(archive_dir: str, figures: dict, stats: dict) -> None:
    console = Console()
    console.print(render(figures, title="crawl"))
    catalog = open_catalog(archive_dir, readonly=True)
    try:
        latest: dict[str, dict] = {}
        for row in catalog.articles():
            latest[row["url"]] = dict(row)
        by_outlet: dict[str, list[dict]] = defaultdict(list)
        for row in latest.values():
            by_outlet[row["sitename"] or urlsplit(row["url"]).netloc].append(row)
        table = Table(title=f"Articles archived in {archive_dir}/", show_lines=False)
        table.add_column("outlet")
        table.add_column("published")
        table.add_column("title")
        table.add_column("chars", justify="right")
        for outlet in sorted(by_outlet):
            for row in sorted(by_outlet[outlet], key=lambda r: r["published"] or ""):
                table.add_row(outlet, (row["published"] or "")[:16], row["title"] or row["url"],
                              str(row["text_length"]))
        console.print(table)
        counts = catalog.counts()
    finally:
        catalog.close()
    warcs = sorted(p.name for p in (Path(archive_dir) / "warc").glob("*.warc.gz"))
    console.print(
        f"{counts['captures']} captures ({', '.join(f'{k} {v}' for k, v in sorted(counts['by_kind'].items()))}),"
        f" {counts['articles']} article texts, {len(warcs)} WARC files in {archive_dir}/warc/,"
        f" CDXJ in {archive_dir}/indexes/, catalog {catalog_path(archive_dir)}"
    )
    if stats.get("robotstxt/forbidden"):
        console.print(f"robots.txt kept the crawler out of {stats['robotstxt/forbidden']} URLs.")
    tracker = open_for_reading(archive_dir)
    if tracker is not None:
        stories = tracker.stories(min_size=2)
        print_stories(stories, console, title=f"Stories: {len(stories)} with copies across outlets")
        if stories:
            console.print(f"See one with: wirecopy story {stories[0].story_id} --archive {archive_dir}")
        tracker.close()
