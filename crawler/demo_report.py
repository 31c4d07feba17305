"""What ``wirecopy demo`` prints after its crawl: the archive, outlet by outlet."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.markup import escape

from archive.catalog import catalog_path, open_catalog
from archive.timefmt import show_time

from .progress import print_notes, render
from .story_views import open_for_reading, print_stories
from .tables import Column, fitted_table

ARTICLE_COLUMNS = [
    Column("outlet", 2, 12, {"ratio": 1}),
    Column("published", 3, 23, {"no_wrap": True}),
    Column("title", 1, 20, {"ratio": 3}),
    Column("chars", 4, 5, {"justify": "right"}),
]


def print_report(archive_dir: str, figures: dict, stats: dict, full: bool = True) -> None:
    """The crawl's summary; with ``full``, the articles per outlet and the stories too."""
    console = Console()
    console.print(render(figures, title="wirecopy demo: done"))
    catalog = open_catalog(archive_dir, readonly=True)
    try:
        latest: dict[str, dict] = {}
        for row in catalog.articles():
            latest[row["url"]] = dict(row)
        counts = catalog.counts()
    finally:
        catalog.close()
    if full:
        by_outlet: dict[str, list[dict]] = defaultdict(list)
        for row in latest.values():
            by_outlet[row["sitename"] or urlsplit(row["url"]).netloc].append(row)
        rows = [
            {"outlet": escape(outlet), "published": show_time(row["published"]),
             "title": escape(row["title"] or row["url"]), "chars": str(row["text_length"])}
            for outlet in sorted(by_outlet)
            for row in sorted(by_outlet[outlet], key=lambda r: r["published"] or "")
        ]
        console.print(fitted_table(ARTICLE_COLUMNS, rows, console.width,
                                   title=f"Articles archived in {archive_dir}/"))
    warcs = sorted(p.name for p in (Path(archive_dir) / "warc").glob("*.warc.gz"))
    console.print(
        f"{counts['captures']} captures ({', '.join(f'{k} {v}' for k, v in sorted(counts['by_kind'].items()))}),"
        f" {counts['articles']} article texts, {len(warcs)} WARC files in {archive_dir}/warc/,"
        f" CDXJ in {archive_dir}/indexes/, catalog {catalog_path(archive_dir)}"
    )
    print_notes(console, stats, figures)
    tracker = open_for_reading(archive_dir)
    if tracker is None:
        return
    try:
        stories = tracker.stories(min_size=2)
        if full:
            print_stories(stories, console, title=f"Stories: {len(stories)} with copies across outlets")
        else:
            console.print(f"stories with copies across outlets: {len(stories)}")
        if stories:
            console.print(f"See one with: wirecopy story {stories[0].story_id} --archive {archive_dir}")
    finally:
        tracker.close()
