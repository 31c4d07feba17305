"""A live progress display on the terminal, read from the crawl's stats.

While the panel is up, log records go through its console (rich's ``FileProxy``), so they scroll
above the panel instead of being written into it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from dataclasses import dataclass
from typing import Self

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from .config import with_defaults

RATE_WINDOW = 5.0  # seconds over which the instantaneous rate is measured


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


def duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _figure_table(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in rows:
        table.add_row(label, value)
    return table


def _totals(figures: dict) -> list[tuple[str, str]]:
    return [
        ("pages", f"{figures['pages']:,}"),
        ("articles", f"{figures['articles']:,}"),
        ("walls", f"{figures.get('walls', 0):,}"),
        ("written", f"{figures['bytes_written'] / 1e6:,.2f} MB"),
        ("errors", f"{figures['errors']:,}"),
        ("elapsed", duration(figures["elapsed"])),
    ]


def render(figures: dict, title: str = "wirecopy crawl") -> Table:
    return _figure_table(title, _totals(figures) + [("rate", f"{figures['pages_per_second']:.1f} pages/s")])


def render_live(figures: dict, live: dict, title: str) -> Table:
    """The panel: the summary's figures, the frontier, the current and average rates, and what
    is left to do once fetching has ended."""
    rows = _totals(figures) + [
        ("queued", f"{live['queued']:,} (+{live['in_flight']} in flight)"),
        ("rate now", f"{live['rate_now']:.1f} pages/s"),
        ("rate avg", f"{figures['pages_per_second']:.1f} pages/s"),
    ]
    if live["fetching_done"]:
        rows += [("fetching", "done"),
                 ("extraction backlog", f"{live['extract_backlog']:,}"),
                 ("story backlog", f"{live['story_backlog']:,}")]
    return _figure_table(title, rows)


def print_summary(console: Console, figures: dict, stats: dict, title: str) -> None:
    """The closing summary of a crawl-like run: the figures and what they leave out."""
    console.print(render(figures, title=title))
    print_notes(console, stats)


def print_notes(console: Console, stats: dict, figures: dict | None = None) -> None:
    """What the summary table does not show: pages left out and why, what was logged, and
    (with the run's ``figures``) what it archived that readers cannot find."""
    from .outcome import print_losses

    if stats.get("robotstxt/forbidden"):
        console.print(f"skipped by robots.txt: {stats['robotstxt/forbidden']}")
    if stats.get("warc/truncated"):
        console.print(f"truncated at DOWNLOAD_MAXSIZE: {stats['warc/truncated']}")
    if stats.get("retry/skipped_hosts"):
        console.print(f"hosts skipped after repeated failures: {', '.join(stats['retry/skipped_hosts'])}")
    logged = [f"{stats[f'log_count/{level}']} {level.lower()}{'s' if stats[f'log_count/{level}'] > 1 else ''}"
              for level in ("CRITICAL", "ERROR", "WARNING") if stats.get(f"log_count/{level}")]
    if logged:
        console.print(f"logged: {', '.join(logged)}")
    print_losses(console, figures)


@dataclass(frozen=True)
class ProgressConfig:
    enabled: bool | None  # PROGRESS_ENABLED; None: on when a person watches (stderr is a terminal)
    interval: float  # PROGRESS_INTERVAL
    closing_summary: bool  # PROGRESS_SUMMARY
    title: str  # "wirecopy replay" with REPLAY_ARCHIVE, else "wirecopy crawl"

    @classmethod
    def from_settings(cls, settings) -> Self:
        s = with_defaults(settings)
        enabled = None if s.get("PROGRESS_ENABLED") in (None, "") else s.getbool("PROGRESS_ENABLED")
        return cls(enabled, s.getfloat("PROGRESS_INTERVAL"), s.getbool("PROGRESS_SUMMARY"),
                   "wirecopy replay" if s.get("REPLAY_ARCHIVE") else "wirecopy crawl")

    @property
    def shown(self) -> bool:
        return sys.stderr.isatty() if self.enabled is None else self.enabled


class ProgressDisplay:
    """Redraws the crawl's figures twice a second (PROGRESS_ENABLED; PROGRESS_SUMMARY prints
    the closing summary, for ``scrapy crawl``)."""

    def __init__(self, crawler: Crawler, config: ProgressConfig):
        self.crawler = crawler
        self.interval = config.interval
        self.closing_summary = config.closing_summary
        self.console = Console(stderr=True)
        self.title = config.title
        self.live: Live | None = None
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()
        self.samples: deque[tuple[float, int]] = deque()
        self.rerouted: list[tuple[logging.StreamHandler, object]] = []
        crawler.signals.connect(self.spider_opened, signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = ProgressConfig.from_settings(crawler.settings)
        if not config.shown:
            raise NotConfigured
        return cls(crawler, config)

    def live_figures(self, now: float) -> dict:
        stats = self.crawler.stats.get_stats()
        pages = stats.get("wirecopy/pages", 0)
        self.samples.append((now, pages))
        while len(self.samples) > 2 and now - self.samples[0][0] > RATE_WINDOW:
            self.samples.popleft()
        then, pages_then = self.samples[0]
        engine = self.crawler.engine
        in_flight = len(engine.downloader.active) if engine is not None and engine.downloader else 0
        queued = max(0, stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0))
        return {
            "queued": queued,
            "in_flight": in_flight,
            "rate_now": (pages - pages_then) / (now - then) if now > then else 0.0,
            "fetching_done": bool(pages) and not queued and not in_flight,
            "extract_backlog": stats.get("extract/backlog", 0),
            "story_backlog": stats.get("stories/backlog", 0),
        }

    def _panel(self) -> Table:
        now = time.monotonic()
        figures = summary(self.crawler.stats.get_stats(), now - self.started)
        return render_live(figures, self.live_figures(now), self.title)

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        before = sys.stderr
        self.live = Live(self._panel(), console=self.console, auto_refresh=False, transient=True,
                         redirect_stdout=True, redirect_stderr=True)
        self.live.start()
        self._reroute_logging(before)
        self.loop = task.LoopingCall(self.refresh)
        self.loop.start(self.interval, now=False)

    def _reroute_logging(self, stderr_before) -> None:
        """Point the handlers that write to the terminal at the panel's console."""
        if sys.stderr is stderr_before:  # not a terminal: Live redirected nothing
            return
        for handler in logging.getLogger().handlers:
            if type(handler) is logging.StreamHandler and handler.stream in (stderr_before, sys.__stderr__):
                self.rerouted.append((handler, handler.setStream(sys.stderr)))

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._panel(), refresh=True)

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            for handler, stream in self.rerouted:
                handler.flush()
                handler.setStream(stream)
            self.rerouted.clear()
            self.live.stop()
            self.live = None
        if self.closing_summary:
            figures = summary(self.crawler.stats.get_stats(), time.monotonic() - self.started)
            print_summary(self.console, figures, self.crawler.stats.get_stats(), f"{self.title}: done")
