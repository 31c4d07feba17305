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
import inspect
import logging
import os
from concurrent.futures.process import BrokenProcessPool
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.extract import ExtractionError, ExtractOptions, extract
from archive.siteprofile import SiteProfiles

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
    return ExtractOptions(
        include_comments=settings.getbool("EXTRACT_INCLUDE_COMMENTS"),
        include_tables=settings.getbool("EXTRACT_INCLUDE_TABLES", True),
        favor_precision=settings.getbool("EXTRACT_FAVOR_PRECISION"),
        favor_recall=settings.getbool("EXTRACT_FAVOR_RECALL"),
        min_words=settings.getint("EXTRACT_MIN_WORDS", 20),
    )


def profiles_from_settings(settings, archive) -> SiteProfiles | None:
    if not settings.getbool("EXTRACT_SITE_PROFILES", True):
        return None
    return SiteProfiles(archive.root / "profiles" if archive is not None else None,
                        window=settings.getint("EXTRACT_PROFILE_WINDOW", 50),
                        min_pages=settings.getint("EXTRACT_PROFILE_MIN_PAGES", 4),
                        min_share=settings.getfloat("EXTRACT_PROFILE_MIN_SHARE", 0.2))


class ArticleExtractionPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.options = options_from_settings(crawler.settings)
        self.workers = crawler.settings.getint("EXTRACT_WORKERS") or os.cpu_count() or 1
        self.archive = archive_for(crawler) if crawler.settings.getbool("WARC_ENABLED", True) else None
        # a recrawl stores a text once; a replay is asked to extract again, so it stores what it gets
        self.keep_unchanged_once = crawler.settings.getbool("RECRAWL_ENABLED", True)
        self.timeout = crawler.settings.getfloat("EXTRACT_TIMEOUT", 120.0) or None
        self.attempts = max(1, crawler.settings.getint("EXTRACT_ATTEMPTS", 3))
        self.pool = WorkerPool(self.workers, _warm_up, name="Extraction")
        self._slots: asyncio.Semaphore | None = None
        self.profiles = profiles_from_settings(crawler.settings, self.archive)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("EXTRACT_ENABLED", True):
            raise NotConfigured("EXTRACT_ENABLED is off")
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool.start()

    def close_spider(self) -> None:
        if self.profiles is not None:
            self._release(self.profiles.flush())
            try:
                self.profiles.save()
            except OSError as exc:
                logger.error("Could not save the site profiles: %s", exc)
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

    def _store(self, capture, article, removed: int) -> None:
        """Conversion and metadata records of one article (``removed``: boilerplate blocks its
        site's profile took out)."""
        if self.archive is None or capture is None:
            return
        try:
            self.archive.write_article(capture, article)
        except OSError as exc:
            self.stats.inc_value("warc/write_errors")
            logger.error("Could not archive the text of %s: %s", article.url, exc)
            return
        self.stats.inc_value("warc/records", 2)
        self.stats.inc_value("warc/articles")
        self.stats.set_value("warc/bytes", self.archive.bytes_written)
        if removed:
            self.stats.inc_value("extract/profile/cleaned")
            self.stats.inc_value("extract/profile/blocks_removed", removed)

    def _record_page_class(self, item: ArticleItem | PageItem) -> None:
        """Catalog the class of a page that gets no text (an article's goes with its text)."""
        if self.archive is None or item.capture is None or isinstance(item.capture, dict):
            return
        capture_id, page_class, signals = item.capture.capture_id, item.page_class, item.page_signals
        self.archive.catalog.write(lambda catalog: catalog.set_page_class(capture_id, page_class, signals))

    async def process_item(self, item):
        if isinstance(item, PageItem):
            self._record_page_class(item)
            item.capture = None
            return item
        if not isinstance(item, ArticleItem):
            return item
        capture = item.capture
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
            self._record_page_class(item)
            return self._exportable(item)
        except Exception as exc:  # a bug in an extractor must not stop the crawl
            self.stats.inc_value("extract/failed")
            self.stats.inc_value("extract/failed/error")
            logger.exception("Extraction crashed on %s", item.url)
            item.extraction_error = f"error: {exc!r}"
            return self._exportable(item)
        self.stats.inc_value("extract/ok")
        article.page_class, article.page_signals = item.page_class, item.page_signals
        # a new site's first articles are held until its profile can tell its boilerplate
        token = (capture, item)
        ready = self.profiles.apply(article, token) if self.profiles is not None else [(token, article, 0)]
        held = not ready or ready[-1][0] is not token
        removed = 0
        if held:
            self.stats.inc_value("extract/profile/held")
        else:
            _token, article, removed = ready.pop()
        self.stats.inc_value("extract/words", len(article.text.split()))
        if self.archive is not None and capture is not None and self.keep_unchanged_once:
            latest = self.archive.latest_version(capture.url)
            if latest is not None and latest.text_hash == article.text_hash:
                # a new page around the same text: no second copy of the text, no new story entry
                self.stats.inc_value("recrawl/text_unchanged")
                if self.profiles is not None:
                    self.profiles.forget(token)
                held = False
                item.capture = capture = None
            elif latest is not None:
                self.stats.inc_value("recrawl/changed_articles")
        self._release(ready)
        if held:
            # stored and tracked once its site's profile is ready (or the crawl ends)
            item.held = True
            return self._exportable(item)
        self._store(capture, article, removed)
        self._fill(item, article)
        return self._exportable(item)

    @staticmethod
    def _fill(item: ArticleItem, article) -> None:
        item.title = article.title
        item.text = article.text
        item.published = article.published
        item.authors = article.authors
        item.language = article.language
        item.sitename = article.sitename

    def _release(self, ready) -> None:
        """Store articles that were held for their site's profile, and hand them to the item
        pipelines after this one (story tracking) with the text that was stored."""
        later = self._later_pipelines()
        for (capture, item), article, removed in ready:
            self._store(capture, article, removed)
            self._fill(item, article)
            item.held = False
            for pipeline in later:
                pipeline.process_item(item)

    def _later_pipelines(self) -> list:
        manager = getattr(getattr(self.crawler.engine, "scraper", None), "itemproc", None)
        pipelines = list(getattr(manager, "middlewares", ()))
        if self not in pipelines:
            return []
        return [p for p in pipelines[pipelines.index(self) + 1:]
                if hasattr(p, "process_item") and not inspect.iscoroutinefunction(p.process_item)]

    @staticmethod
    def _exportable(item: ArticleItem) -> ArticleItem:
        item.body = None
        if item.capture is not None and not isinstance(item.capture, dict):
            ref = item.capture
            item.capture = {"record_id": ref.record_id, "warc_file": ref.location.filename,
                            "offset": ref.location.offset, "length": ref.location.length}
        return item

