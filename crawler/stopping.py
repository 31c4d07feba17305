"""A crawl asked to stop (SIGINT, SIGTERM, a CLOSESPIDER limit) stops within seconds.

Scrapy closes a spider gracefully: it waits for every request the downloader holds. On a host
that is being backed off, those wait for minutes: requests held in the back-off of
``crawler.retry`` (a ``Retry-After`` of up to ``RETRY_AFTER_MAX``), requests queued in a
download slot whose delay the back-off raised, and responses trickling in a byte at a time.
Once the engine starts closing, this extension ends those waits: held and queued requests fail
with ``CrawlStopping`` (put back into the scheduler first, so a run with a JOBDIR resumes
them), and downloads still receiving a body ``STOP_GRACE`` seconds later are cut off. A download
still waiting for its first byte ends at ``DOWNLOAD_TIMEOUT``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from twisted.internet import task
from twisted.python.failure import Failure

from .config import with_defaults

logger = logging.getLogger(__name__)

CHECK_INTERVAL = 0.25  # seconds between looks at the engine


class CrawlStopping(IgnoreRequest):
    """The crawl is stopping: the request was not sent."""


@dataclass(frozen=True)
class StopConfig:
    promptly: bool  # STOP_PROMPTLY
    grace: float  # STOP_GRACE

    @classmethod
    def from_settings(cls, settings) -> "StopConfig":
        s = with_defaults(settings)
        return cls(s.getbool("STOP_PROMPTLY"), s.getfloat("STOP_GRACE"))


class PromptStop:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.grace = StopConfig.from_settings(crawler.settings).grace
        self.stopping = False
        self.stopped_at = 0.0
        self._watch: task.LoopingCall | None = None
        crawler.signals.connect(self.engine_started, signals.engine_started)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)
        crawler.signals.connect(self.bytes_received, signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not StopConfig.from_settings(crawler.settings).promptly:
            raise NotConfigured("STOP_PROMPTLY is off")
        return cls(crawler)

    def engine_started(self) -> None:
        self._watch = task.LoopingCall(self._check)
        self._watch.start(CHECK_INTERVAL, now=False)

    def spider_closed(self, spider, reason: str) -> None:
        if self._watch is not None and self._watch.running:
            self._watch.stop()

    def _closing(self) -> bool:
        # Scrapy has no signal for "closing has begun": its engine slot holds a deferred then
        slot = getattr(self.crawler.engine, "_slot", None)
        return slot is not None and getattr(slot, "closing", None) is not None

    def _check(self) -> None:
        if self.stopping or not self._closing():
            return
        self.stopping = True
        self.stopped_at = time.monotonic()
        held = self._release_backoff_waits()
        queued = self._drop_slot_queues()
        if held or queued:
            logger.warning("Stopping: %d request(s) waiting for a host's back-off and %d queued in"
                           " download slots are not sent", held, queued)

    def _release_backoff_waits(self) -> int:
        released = 0
        for mw in getattr(getattr(self.crawler.engine.downloader, "middleware", None), "middlewares", ()):
            release = getattr(mw, "release_waits", None)
            if release is not None:
                released += release(CrawlStopping("the crawl is stopping"))
        self.stats.inc_value("stop/backoff_released", released)
        return released

    def _drop_slot_queues(self) -> int:
        downloader = self.crawler.engine.downloader
        dropped = []
        for slot in list(downloader.slots.values()):
            while slot.queue:
                dropped.append(slot.queue.popleft())
        if not dropped:
            return 0
        self.stats.inc_value("stop/queued_dropped", len(dropped))
        scheduler = getattr(getattr(self.crawler.engine, "_slot", None), "scheduler", None)
        for request, deferred in dropped:
            self._keep_for_resume(scheduler, request)
            deferred.errback(Failure(CrawlStopping(f"the crawl is stopping: {request.url} not sent")))
        return len(dropped)

    @staticmethod
    def _keep_for_resume(scheduler, request: Request) -> None:
        # a JOBDIR scheduler saves its queue when it closes, after this: the next run resumes it
        if scheduler is not None:
            try:
                scheduler.enqueue_request(request.replace(dont_filter=True))
            except Exception:  # a scheduler that refuses must not keep the crawl from stopping
                logger.debug("Could not keep %s for a resumed run", request.url, exc_info=True)

    def bytes_received(self, data: bytes, request: Request, spider) -> None:
        if self.stopping and time.monotonic() - self.stopped_at > self.grace:
            self.stats.inc_value("stop/downloads_cut")
            raise StopDownload(fail=True)
