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
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.extract import ExtractionError, ExtractOptions, extract

from .article_store import ArticleStore
from .config import with_defaults
from .items import ArticleItem, PageItem
from .session import archive_for
from .workers import WorkerPool

logger = logging.getLogger(__name__)


# failures of the machinery, not of the page: the page is extracted again by a later crawl
TRANSIENT_FAILURES = frozenset({"worker-died", "timeout"})


def _warm_up() -> None:
    # Import trafilatura and its date/language models before the first page arrives.
    extract(b"<html><body>" + b"<p>" + b"word " * 40 + b"</p>" * 3 + b"</body></html>", "http://localhost/")


def options_from_settings(settings) -> ExtractOptions:
    s = with_defaults(settings)
    return ExtractOptions(
        include_comments=s.getbool("EXTRACT_INCLUDE_COMMENTS"),
        include_tables=s.getbool("EXTRACT_INCLUDE_TABLES"),
        favor_precision=s.getbool("EXTRACT_FAVOR_PRECISION"),
        favor_recall=s.getbool("EXTRACT_FAVOR_RECALL"),
        min_words=s.getint("EXTRACT_MIN_WORDS"),
    )


class ArticleExtractionPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        s = with_defaults(crawler.settings)
        self.options = options_from_settings(s)
        self.workers = s.getint("EXTRACT_WORKERS") or os.cpu_count() or 1
        self.archive = archive_for(crawler) if s.getbool("WARC_ENABLED") else None
        # a recrawl stores a text once; a replay is asked to extract again, so it stores what it gets
        self.keep_unchanged_once = s.getbool("RECRAWL_ENABLED")
        self.timeout = s.getfloat("EXTRACT_TIMEOUT") or None
        self.attempts = max(1, s.getint("EXTRACT_ATTEMPTS"))
        self.pool = WorkerPool(self.workers, _warm_up, name="Extraction")
        self._slots: asyncio.Semaphore | None = None
        self.store = ArticleStore(crawler, self.archive, self, self.keep_unchanged_once)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not with_defaults(crawler.settings).getbool("EXTRACT_ENABLED"):
            raise NotConfigured("EXTRACT_ENABLED is off")
        return cls(crawler)

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

