"""Story tracking during the crawl, in a worker process of its own.

Articles are handed over in the order they were archived (this pipeline runs right after the
extraction pipeline wrote them), which is the order ``wirecopy stories rebuild`` reads them
back from the WARCs: a rebuild gives the same stories as the live crawl. A tracking worker that
dies is replaced and the articles it had not finished are handed to the new one, in order
(adding an article already tracked changes nothing).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from archive.catalog import CatalogOptions, CatalogUnavailable
from archive.extract import text_hash
from archive.stories.service import document, start_worker, track

from .capture import CaptureConfig
from .config import with_defaults
from .items import ArticleItem
from .pipelines import ExtractionConfig
from .session import SessionConfig
from .workers import WorkerPool

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


@dataclass(frozen=True)
class StoriesConfig:
    """Story tracking as the crawl, ``wirecopy import`` and ``wirecopy stories rebuild`` run it."""

    enabled: bool  # STORIES_ENABLED
    encoder: str | None  # STORIES_ENCODER; None: lexical matching only
    attempts: int  # STORIES_ATTEMPTS: hand-overs of an article whose tracking worker died
    tracker: Mapping[str, Any]  # TrackerConfig keywords (STORIES_<FIELD>, STORIES_WIRE_NAMES)

    @classmethod
    def from_settings(cls, settings) -> "StoriesConfig":
        s = with_defaults(settings)
        tracker: dict[str, Any] = {}
        for name, (field, kind) in OPTION_SETTINGS.items():
            value = s.get(name)
            if value not in (None, ""):  # None: the tracker's measured value (the encoder's threshold)
                tracker[field] = kind(value)
        wire = s.getlist("STORIES_WIRE_NAMES")
        if wire:
            from archive.stories.tracker import DEFAULT_WIRE_NAMES
            tracker["wire_names"] = tuple(DEFAULT_WIRE_NAMES) + tuple(wire)
        return cls(s.getbool("STORIES_ENABLED"), s.get("STORIES_ENCODER") or None, max(1, s.getint("STORIES_ATTEMPTS")),
                   MappingProxyType(tracker))


class StoryTrackingPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        s = crawler.settings
        config = StoriesConfig.from_settings(s)
        self.root = SessionConfig.from_settings(s).archive_dir
        self.encoder = config.encoder
        self.options = dict(config.tracker)
        self.pool = WorkerPool(1, start_worker, (self.root, self.encoder, self.options, CatalogOptions.from_settings(s)),
                               name="Story tracking")
        self.attempts = config.attempts
        self._numbers = itertools.count()
        # number -> [url, document, tries, future]: handed over, not yet done, in order
        self.pending: dict[int, list] = {}
        self._store_stats: dict[int, dict[str, int]] = {}  # worker generation -> its story store's counts
        self._closed: asyncio.Future | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        if not StoriesConfig.from_settings(s).enabled:
            raise NotConfigured("STORIES_ENABLED is off")
        if not (CaptureConfig.from_settings(s).enabled and ExtractionConfig.from_settings(s).enabled):
            raise NotConfigured("story tracking needs WARC_ENABLED and EXTRACT_ENABLED")
        return cls(crawler)

    def open_spider(self) -> None:
        self.pool.start()

    def process_item(self, item):
        if not isinstance(item, ArticleItem) or not item.text or item.capture is None:
            return item
        meta = {"title": item.title, "published": item.published, "authors": item.authors,
                "language": item.language, "sitename": item.sitename, "text_hash": text_hash(item.text)}
        number = next(self._numbers)
        self.pending[number] = [item.url, document(item.url, item.text, meta), 0, None]
        self.stats.set_value("stories/backlog", len(self.pending))
        self._submit(number)
        return item

    def _submit(self, number: int) -> None:
        entry = self.pending[number]
        entry[2] += 1
        generation, future = self.pool.submit(track, entry[1])
        entry[3] = future
        # the installed reactor, looked up when needed: importing it at module level would
        # install the default one before Scrapy installs the asyncio reactor it is set up for
        from twisted.internet import reactor

        future.add_done_callback(lambda f: reactor.callFromThread(self._done, f, number, generation))

    def _done(self, future: Future, number: int, generation: int) -> None:
        entry = self.pending.get(number)
        if entry is None or entry[3] is not future:
            return  # handed over again since
        url = entry[0]
        try:
            links, wall, store_stats = future.result()
        except (BrokenProcessPool, CancelledError):
            self._worker_died(number, generation)
            return
        except Exception as exc:  # a tracker bug, or its store's server gone, must not stop the crawl
            del self.pending[number]
            self.stats.set_value("stories/backlog", len(self.pending))
            self.stats.inc_value("stories/failed")
            if isinstance(exc, CatalogUnavailable):  # one line an article while it lasts, not a traceback
                logger.error("Story tracking failed on %s: %s", url, exc)
            else:
                logger.exception("Story tracking failed on %s", url)
            self._check_closed()
            return
        del self.pending[number]
        self.stats.set_value("stories/backlog", len(self.pending))
        if wall is not None:  # its page read as an article, its text is a wall: a capture, no story
            self.stats.inc_value("stories/walls")
            self.stats.inc_value(f"stories/walls/{wall}")
            logger.info("Not tracked as a story: the text of %s is a %s wall, not an article", url, wall)
        else:
            self.stats.inc_value("stories/tracked")
        if links:
            self.stats.inc_value("stories/linked")
        self._store_stats[generation] = store_stats  # each worker's totals so far (a new one counts anew)
        for name in {name for counts in self._store_stats.values() for name in counts}:
            self.stats.set_value(f"stories/store_{name}", sum(c.get(name, 0) for c in self._store_stats.values()))
        self._check_closed()

    def _worker_died(self, failed: int, generation: int) -> None:
        """Every article the dead worker had not finished: to the new worker, in order; one
        that has been handed over ``STORIES_ATTEMPTS`` times already is given up. When the
        pool was replaced already, by a submit that found it broken before this article's
        task reported, the others went to the old pool too and report in turn: this one alone
        goes again (the article ``failed``; left waiting, the crawl would never close)."""
        replaced = self.pool.replace(generation, "the tracking worker died")
        for number in sorted(self.pending) if replaced else [failed]:
            url, _, tries, _ = self.pending[number]
            if tries >= self.attempts:
                del self.pending[number]
                self.stats.inc_value("stories/failed")
                logger.error("Story tracking gave up on %s: the worker died under it %d times", url, tries)
            else:
                self.stats.inc_value("stories/retried")
                self._submit(number)
        self._check_closed()

    def _check_closed(self) -> None:
        if not self.pending and self._closed is not None and not self._closed.done():
            self._closed.set_result(None)

    async def close_spider(self) -> None:
        # what tracking still had to do when the crawl ended: how far it fell behind
        self.stats.set_value("stories/backlog_at_close", len(self.pending))
        started = time.monotonic()
        if self.pending:
            self._closed = asyncio.get_running_loop().create_future()
            await self._closed
        self.stats.set_value("stories/catch_up_seconds", round(time.monotonic() - started, 2))
        self.pool.shutdown(wait=True)
        self.stats.set_value("stories/pool_restarts", self.pool.restarts)
