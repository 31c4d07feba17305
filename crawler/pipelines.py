"""Article extraction in worker processes, results appended to the archive as they return.

The reactor never runs trafilatura: it hands the page bytes to a process pool and awaits
the result, so both cores extract while downloading goes on. As many pages are handed over as
there are workers, so ``EXTRACT_TIMEOUT`` measures one extraction, not its wait in a queue.
When a worker dies its pool is replaced and the pages it held are extracted again (up to
``EXTRACT_ATTEMPTS`` times each); a page still failing is counted and, its text missing from
the archive, extracted again by the next crawl that sees it even if it is unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.extract import ExtractionError, ExtractOptions, extract

from .article_store import ArticleStore
from .capture import CaptureConfig
from .config import with_defaults
from .items import ArticleItem, PageItem
from .recrawl import RecrawlConfig
from .session import archive_for
from .workers import WorkerPool

logger = logging.getLogger(__name__)


# failures of the machinery, not of the page: the page is extracted again by a later crawl
TRANSIENT_FAILURES = frozenset({"worker-died", "timeout"})


def _warm_up() -> None:
    # Import trafilatura and its date/language models before the first page arrives.
    extract(b"<html><body>" + b"<p>" + b"word " * 40 + b"</p>" * 3 + b"</body></html>", "http://localhost/")


@dataclass(frozen=True)
class ExtractionConfig:
    """Article extraction as the crawl, ``wirecopy import`` and ``wirecopy index rebuild`` run it."""

    enabled: bool  # EXTRACT_ENABLED
    workers: int  # EXTRACT_WORKERS; 0: one per core
    timeout: float | None  # EXTRACT_TIMEOUT; None: no limit
    attempts: int  # EXTRACT_ATTEMPTS
    options: ExtractOptions  # EXTRACT_INCLUDE_*, EXTRACT_FAVOR_*, EXTRACT_MIN_WORDS
    # ``SiteProfiles`` keywords from EXTRACT_PROFILE_*; None: EXTRACT_SITE_PROFILES is off
    site_profiles: Mapping[str, Any] | None

    @classmethod
    def from_settings(cls, settings) -> Self:
        s = with_defaults(settings)
        options = ExtractOptions(
            include_comments=s.getbool("EXTRACT_INCLUDE_COMMENTS"),
            include_tables=s.getbool("EXTRACT_INCLUDE_TABLES"),
            favor_precision=s.getbool("EXTRACT_FAVOR_PRECISION"),
            favor_recall=s.getbool("EXTRACT_FAVOR_RECALL"),
            min_words=s.getint("EXTRACT_MIN_WORDS"),
        )
        profiles = MappingProxyType({
            "window": s.getint("EXTRACT_PROFILE_WINDOW"), "min_pages": s.getint("EXTRACT_PROFILE_MIN_PAGES"),
            "min_share": s.getfloat("EXTRACT_PROFILE_MIN_SHARE")}) if s.getbool("EXTRACT_SITE_PROFILES") else None
        return cls(s.getbool("EXTRACT_ENABLED"), s.getint("EXTRACT_WORKERS"), s.getfloat("EXTRACT_TIMEOUT") or None,
                   max(1, s.getint("EXTRACT_ATTEMPTS")), options, profiles)


class ArticleExtractionPipeline:
    def __init__(self, crawler: Crawler, config: ExtractionConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.options = config.options
        self.workers = config.workers or os.cpu_count() or 1
        self.archive = archive_for(crawler) if CaptureConfig.from_settings(crawler.settings).enabled else None
        # a recrawl stores a text once; a replay is asked to extract again, so it stores what it gets
        self.keep_unchanged_once = RecrawlConfig.from_settings(crawler.settings).enabled
        self.timeout = config.timeout
        self.attempts = config.attempts
        self.pool = WorkerPool(self.workers, _warm_up, name="Extraction")
        self._slots: asyncio.Semaphore | None = None
        self.store = ArticleStore(crawler, self.archive, self, self.keep_unchanged_once, config.site_profiles)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = ExtractionConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured("EXTRACT_ENABLED is off")
        return cls(crawler, config)

    def open_spider(self) -> None:
        self.pool.start()

    def close_spider(self) -> None:
        self.store.close()
        self.pool.shutdown(wait=True)
        self.stats.set_value("extract/pool_restarts", self.pool.restarts)

    async def _extract(self, item: ArticleItem):
        self.stats.inc_value("extract/backlog")
        try:
            return await self._extract_once_or_again(item)
        finally:
            self.stats.inc_value("extract/backlog", -1)

    async def _extract_once_or_again(self, item: ArticleItem):
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        async with self._slots:
            for attempt in range(1, self.attempts + 1):
                generation, future = self.pool.submit(extract, item.body, item.url, item.content_type,
                                                      self.options)
                try:
                    return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
                except BrokenProcessPool:
                    # a worker died (killed, or a pathological page exhausted memory): every
                    # page in its pool comes here; the pool is replaced once, each page retried
                    self.pool.replace(generation, f"a worker died (on {item.url} or a page beside it)")
                    if attempt < self.attempts:
                        self.stats.inc_value("extract/retried")
                        logger.warning("Extracting %s again (attempt %d) after a worker died", item.url,
                                       attempt + 1)
                except TimeoutError:
                    self.pool.replace(generation, f"extracting {item.url} took over {self.timeout:g} s")
                    raise ExtractionError("timeout") from None
            raise ExtractionError("worker-died")

    async def process_item(self, item):
        if isinstance(item, PageItem):
            self.store.record_page_class(item)
            item.capture = None
            return item
        if not isinstance(item, ArticleItem):
            return item
        try:
            article = await self._extract(item)
        except ExtractionError as exc:
            self.stats.inc_value("extract/failed")
            self.stats.inc_value(f"extract/failed/{exc.reason}")
            if exc.reason in TRANSIENT_FAILURES:
                logger.error("No article text from %s: %s (the next crawl extracts it again)", item.url, exc)
            else:
                logger.info("No article text from %s: %s", item.url, exc)
            item.extraction_error = str(exc)
            self.store.record_page_class(item)
            return self._exportable(item)
        except Exception as exc:  # a bug in an extractor must not stop the crawl
            self.stats.inc_value("extract/failed")
            self.stats.inc_value("extract/failed/error")
            logger.exception("Extraction crashed on %s", item.url)
            item.extraction_error = f"error: {exc!r}"
            return self._exportable(item)
        self.stats.inc_value("extract/ok")
        self.store.accept(item, article)
        return self._exportable(item)

    @staticmethod
    def _exportable(item: ArticleItem) -> ArticleItem:
        item.body = None
        if item.capture is not None and not isinstance(item.capture, dict):
            ref = item.capture
            item.capture = {"record_id": ref.record_id, "warc_file": ref.location.filename,
                            "offset": ref.location.offset, "length": ref.location.length}
        return item

