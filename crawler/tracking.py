"""Story tracking during the crawl, in a worker process of its own.

Articles are handed over in the order they were archived (this pipeline runs right after the
extraction pipeline wrote them), which is the order ``wirecopy stories rebuild`` reads them
back from the WARCs: a rebuild gives the same stories as the live crawl.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import reactor

from archive.extract import text_hash
from archive.stories.service import document, start_worker, track

from .items import ArticleItem

logger = logging.getLogger(__name__)

# STORIES_<NAME> settings -> TrackerConfig fields
OPTION_SETTINGS = {
    "STORIES_MIN_COVERAGE": ("min_coverage", float),
    "STORIES_MIN_SENTENCES": ("min_sentences", int),
    "STORIES_LEXICAL_THRESHOLD": ("lexical_threshold", float),
    "STORIES_SEMANTIC_THRESHOLD": ("semantic_threshold", float),
    "STORIES_SEMANTIC_PROBE": ("semantic_probe", int),
    "STORIES_BACKGROUND_DAYS": ("background_days", float),
    "STORIES_CANDIDATE_DAYS": ("candidate_days", float),
}


def tracker_options(settings) -> dict:
    options = {}
    for name, (field, kind) in OPTION_SETTINGS.items():
        if settings.get(name) not in (None, ""):
            options[field] = kind(settings.get(name))
    wire = settings.getlist("STORIES_WIRE_NAMES")
    if wire:
        from archive.stories.tracker import DEFAULT_WIRE_NAMES
        options["wire_names"] = tuple(DEFAULT_WIRE_NAMES) + tuple(wire)
    return options


class StoryTrackingPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        s = crawler.settings
        self.root = s.get("ARCHIVE_DIR", "archive")
        self.encoder = s.get("STORIES_ENCODER") or None
        self.options = tracker_options(s)
        self.pool: ProcessPoolExecutor | None = None
        self.pending: set[Future] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        if not s.getbool("STORIES_ENABLED", True):
            raise NotConfigured("STORIES_ENABLED is off")
        if not (s.getbool("WARC_ENABLED", True) and s.getbool("EXTRACT_ENABLED", True)):
            raise NotConfigured("story tracking needs WARC_ENABLED and EXTRACT_ENABLED")
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("forkserver"),
            initializer=start_worker, initargs=(self.root, self.encoder, self.options),
        )

    def process_item(self, item):
        if not isinstance(item, ArticleItem) or not item.text or item.capture is None:
            return item
        assert self.pool is not None
        meta = {"title": item.title, "published": item.published, "authors": item.authors,
                "language": item.language, "sitename": item.sitename, "text_hash": text_hash(item.text)}
        future = self.pool.submit(track, document(item.url, item.text, meta))
        self.pending.add(future)
        self.stats.inc_value("stories/backlog")
        future.add_done_callback(lambda f: reactor.callFromThread(self._done, f, item.url))
        return item

    def _done(self, future: Future, url: str) -> None:
        self.pending.discard(future)
        self.stats.inc_value("stories/backlog", -1)
        try:
            links = future.result()
        except Exception:  # a tracker bug must not stop the crawl
            self.stats.inc_value("stories/failed")
            logger.exception("Story tracking failed on %s", url)
            return
        self.stats.inc_value("stories/tracked")
        if links:
            self.stats.inc_value("stories/linked")

    async def close_spider(self) -> None:
        # what tracking still had to do when the crawl ended: how far it fell behind
        self.stats.set_value("stories/backlog_at_close", len(self.pending))
        started = time.monotonic()
        if self.pending:
            await asyncio.gather(*(asyncio.wrap_future(f) for f in list(self.pending)), return_exceptions=True)
        self.stats.set_value("stories/catch_up_seconds", round(time.monotonic() - started, 2))
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None
