"""Article extraction in worker processes, results appended to the archive as they return.

The reactor never runs trafilatura: it hands the page bytes to a process pool and awaits
the result, so both cores extract while downloading goes on.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.extract import ExtractionError, ExtractOptions, extract

from .article_store import ArticleStore
from .items import ArticleItem, PageItem
from .session import archive_for

logger = logging.getLogger(__name__)


def _warm_up() -> None:
    # Import trafilatura and its date/language models before the first page arrives.
    extract(b"<html><body>" + b"<p>" + b"word " * 40 + b"</p>" * 3 + b"</body></html>", "http://localhost/")


def options_from_settings(settings) -> ExtractOptions:
    return ExtractOptions(
        include_comments=settings.getbool("EXTRACT_INCLUDE_COMMENTS"),
        include_tables=settings.getbool("EXTRACT_INCLUDE_TABLES", True),
        favor_precision=settings.getbool("EXTRACT_FAVOR_PRECISION"),
        favor_recall=settings.getbool("EXTRACT_FAVOR_RECALL"),
        min_words=settings.getint("EXTRACT_MIN_WORDS", 20),
    )


class ArticleExtractionPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.options = options_from_settings(crawler.settings)
        self.workers = crawler.settings.getint("EXTRACT_WORKERS") or os.cpu_count() or 1
        self.archive = archive_for(crawler) if crawler.settings.getbool("WARC_ENABLED", True) else None
        # a recrawl stores a text once; a replay is asked to extract again, so it stores what it gets
        self.keep_unchanged_once = crawler.settings.getbool("RECRAWL_ENABLED", True)
        self.pool: ProcessPoolExecutor | None = None
        self.store = ArticleStore(crawler, self.archive, self, self.keep_unchanged_once)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("EXTRACT_ENABLED", True):
            raise NotConfigured("EXTRACT_ENABLED is off")
        return cls(crawler)

    def _start_pool(self) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("forkserver"),
            initializer=_warm_up,
        )

    def open_spider(self) -> None:
        self._start_pool()

    def close_spider(self) -> None:
        self.store.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    async def _extract(self, item: ArticleItem):
        assert self.pool is not None
        try:
            future = self.pool.submit(extract, item.body, item.url, item.content_type, self.options)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            # A worker died (a pathological page can exhaust memory): count it, start afresh.
            logger.error("Extraction worker died on %s; restarting the pool", item.url)
            self.pool.shutdown(wait=False, cancel_futures=True)
            self._start_pool()
            raise ExtractionError("worker-died") from None

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

