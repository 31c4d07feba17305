"""A live progress display on the terminal, read from the crawl's stats."""

from __future__ import annotations

import time
from typing import Self

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def error_count(stats: dict) -> int:
    """Failed fetches (not pages robots.txt kept us from), 4xx/5xx pages, extraction and write errors."""
    exceptions = sum(
        v for k, v in stats.items()
        if k.startswith("downloader/exception_type_count/") and not k.endswith(".IgnoreRequest")
    )
    if "warc/captures" in stats:
        # archived 4xx/5xx pages; a missing robots.txt is not an error
        http_errors = stats.get("warc/captures/error", 0)
    else:
        http_errors = sum(v for k, v in stats.items() if k.startswith("fetch/http_error/"))
    return exceptions + http_errors + stats.get("extract/failed", 0) + stats.get("warc/write_errors", 0)


def jsonable_stats(stats: dict) -> dict:
    """Scrapy's stats with their datetimes as ISO 8601 strings."""
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}


def summary(stats: dict, elapsed: float) -> dict:
    pages = stats.get("wirecopy/pages", 0)
    return {
        "pages": pages,
        "articles": stats.get("extract/ok", 0),
        "walls": stats.get("extract/walls", 0),
        "bytes_written": stats.get("warc/bytes", 0),
        "errors": error_count(stats),
        "robots_forbidden": stats.get("robotstxt/forbidden", 0),
        "truncated": stats.get("warc/truncated", 0),
        "revisits": stats.get("warc/captures/revisit", 0),
        "recrawl_skipped": stats.get("recrawl/skipped", 0),
        "changed_articles": stats.get("recrawl/changed_articles", 0),
        "elapsed": round(elapsed, 3),
        "pages_per_second": round(pages / elapsed, 2) if elapsed > 0 else 0.0,
    }


def render(figures: dict, title: str = "wirecopy crawl") -> Table:
    table = Table(title=title, show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("pages", f"{figures['pages']:,}")
    table.add_row("articles", f"{figures['articles']:,}")
    table.add_row("walls", f"{figures.get('walls', 0):,}")
    table.add_row("written", f"{figures['bytes_written'] / 1e6:,.2f} MB")
    table.add_row("errors", f"{figures['errors']:,}")
    table.add_row("rate", f"{figures['pages_per_second']:.1f} pages/s")
    return table


class ProgressDisplay:
    """Redraws pages, articles, bytes written, errors and rate twice a second (PROGRESS_ENABLED)."""

    def __init__(self, crawler: Crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.console = Console(stderr=True)
        self.live: Live | None = None
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()
        crawler.signals.connect(self.spider_opened, signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("PROGRESS_ENABLED"):
            raise NotConfigured
        return cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL", 0.5))

    def _table(self) -> Table:
        return render(summary(self.crawler.stats.get_stats(), time.monotonic() - self.started))

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.live = Live(self._table(), console=self.console, auto_refresh=False, transient=True)
        self.live.start()
        self.loop = task.LoopingCall(self.refresh)
        self.loop.start(self.interval, now=False)

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._table(), refresh=True)

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
            self.live = None
