"""Retries with back-off per host, Retry-After honoured, and hosts that keep failing skipped.

Scrapy's RetryMiddleware retries a failed request at once. This one, put in its place by the
add-on, also makes the host wait: after a transient failure (timeout, connection error, 5xx,
429) no request goes to that host (``host:port``) before ``Retry-After`` says, or else before an
exponential back-off (``RETRY_BACKOFF_BASE`` doubling up to ``RETRY_BACKOFF_MAX``) has passed:
requests not yet in the downloader wait here, and the host's download slot spaces those already
queued in it by the back-off, until the host answers again.
After ``RETRY_HOST_MAX_FAILURES`` transient failures in a row, the host is skipped for the rest
of the run: its requests fail with ``HostSkipped``, those already queued in its download slot
included, and it is reported in the stats
(``retry/host_skipped``, ``retry/skipped_hosts``).
A host that fails now and then between good answers is never skipped, but every failure makes
it wait: once the back-offs it was given add up to ``RETRY_HOST_BACKOFF_BUDGET`` seconds, its
failed requests are no longer retried or waited for (``retry/backoff_budget_spent``) and
``RETRY_HOST_MAX_FAILURES`` more failures, in a row or not, skip it: a site answering
``503 Retry-After: 299`` or stalling on half its pages cannot stretch a run to hours.
A crawl that stops releases the requests held here (``release_waits``, ``crawler.stopping``).

    RETRY_BACKOFF_BASE = 1.0          # seconds after a host's first failure
    RETRY_BACKOFF_MAX = 60.0          # longest back-off
    RETRY_AFTER_MAX = 300.0           # a longer Retry-After is not waited for: the request fails
    RETRY_HOST_MAX_FAILURES = 10      # 0: never skip a host
    RETRY_HOST_BACKOFF_BUDGET = 300.0 # back-off seconds a host may cost a run (0: no limit)
"""

from __future__ import annotations

import logging
import time
from asyncio import CancelledError as AsyncioCancelled
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet.defer import CancelledError as DeferredCancelled
from twisted.python.failure import Failure

from .config import with_defaults
from .resume import RESUMED_FLAG

logger = logging.getLogger(__name__)

_GIVE_UP_META = "_wirecopy_no_retry"
CancelledError = (DeferredCancelled, AsyncioCancelled)


class HostSkipped(IgnoreRequest):
    """The request's host failed too often in this run."""


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), None if unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - (now or datetime.now(timezone.utc))).total_seconds(), 0.0)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.rsplit("@", 1)[-1].lower()


@dataclass(frozen=True)
class BackoffConfig:
    """The ``RETRY_*`` back-off settings above."""

    base: float
    max_backoff: float
    max_retry_after: float
    max_host_failures: int
    backoff_budget: float

    @classmethod
    def from_settings(cls, settings) -> "BackoffConfig":
        s = with_defaults(settings)
        return cls(s.getfloat("RETRY_BACKOFF_BASE"), s.getfloat("RETRY_BACKOFF_MAX"), s.getfloat("RETRY_AFTER_MAX"),
                   s.getint("RETRY_HOST_MAX_FAILURES"), s.getfloat("RETRY_HOST_BACKOFF_BUDGET"))


class HostBackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        config = BackoffConfig.from_settings(settings)
        self.base, self.max_backoff, self.max_retry_after = config.base, config.max_backoff, config.max_retry_after
        self.max_host_failures, self.backoff_budget = config.max_host_failures, config.backoff_budget
        self.backoff_spent: dict[str, float] = {}
        self.failures_over_budget: dict[str, int] = {}
        self._waits: set = set()
        self._released: Exception | None = None
        self.failures: dict[str, int] = {}
        self.not_before: dict[str, float] = {}
        self.skipped: list[str] = []
        self.slot_delays: dict[str, tuple[float, float]] = {}  # download slot -> (delay, jitter) before the back-off

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        o = cls(crawler.settings)
        o.crawler = crawler
        # Fired before the download slot sends its next request: the back-off applies to it.
        crawler.signals.connect(o.response_downloaded, signals.response_downloaded)
        return o

    @property
    def stats(self):
        return self.crawler.stats

    async def process_request(self, request: Request) -> None:
        host = host_of(request.url)
        wait = self.not_before.get(host, 0.0) - time.monotonic()
        if self._released is not None:
            raise self._released
        if wait > 0 and host not in self.skipped:
            from twisted.internet import reactor
            from twisted.internet.task import deferLater

            self.stats.inc_value("retry/backoff_waits")
            waiter = deferLater(reactor, wait, lambda: None)
            self._waits.add(waiter)
            try:
                await maybe_deferred_to_future(waiter)
            except CancelledError:
                if self._released is None:
                    raise
                raise self._released from None
            finally:
                self._waits.discard(waiter)
        if host in self.skipped:
            self.stats.inc_value("retry/skipped_requests")
            raise HostSkipped(f"{host} skipped for this run after {self.max_host_failures} failures in a row")

    def release_waits(self, reason: Exception) -> int:
        """Fail the requests waiting for a back-off, and any that would, with ``reason``
        (the crawl is stopping); returns how many were waiting."""
        self._released = reason
        waiting = list(self._waits)
        for waiter in waiting:
            waiter.cancel()
        return len(waiting)

    def response_downloaded(self, response: Response, request: Request, spider=None) -> None:
        if request.meta.get("dont_retry", False):
            return
        if response.status not in self.retry_http_codes:
            self.failures.pop(host_of(request.url), None)
            self._slot_recovered(request)
            return
        retry_after = retry_after_seconds(response.headers.get(b"Retry-After"))
        if retry_after is not None and retry_after > self.max_retry_after:
            self.stats.inc_value("retry/retry_after_too_long")
            logger.warning("Not retrying %s: Retry-After %.0f s exceeds RETRY_AFTER_MAX", request.url, retry_after)
            request.meta[_GIVE_UP_META] = True
            retry_after = None
        if not self._failed(request, retry_after):
            request.meta[_GIVE_UP_META] = True

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        if RESUMED_FLAG not in response.flags and request.meta.pop(_GIVE_UP_META, False):
            return response
        # (An answer replayed from an interrupted run is retried as that run did, without waiting.)
        return self._retry(request, response_status_message(response.status)) or response

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if (not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False)
                or isinstance(exception, IgnoreRequest)):
            return None
        if not self._failed(request, None):
            return None
        return self._retry(request, exception)

    def _failed(self, request: Request, retry_after: float | None) -> bool:
        """Count a transient failure of the request's host; False once the host is skipped."""
        host = host_of(request.url)
        count = self.failures.get(host, 0) + 1
        self.failures[host] = count
        if host in self.backoff_spent and self.backoff_spent[host] >= self.backoff_budget > 0:
            # out of back-off: from now on its failures count towards skipping it, in a row or not
            count = self.failures_over_budget.get(host, 0) + 1
            self.failures_over_budget[host] = count
        if self.max_host_failures and count >= self.max_host_failures:
            if host not in self.skipped:
                self.skipped.append(host)
                self.stats.inc_value("retry/host_skipped")
                self.stats.set_value("retry/skipped_hosts", list(self.skipped))
                logger.warning("Skipping %s for the rest of the run: %d transient failures in a row",
                               host, count)
                self._drop_queued(request, host)
            return False
        delay = retry_after if retry_after is not None else min(self.base * 2 ** (count - 1), self.max_backoff)
        spent = self.backoff_spent.get(host, 0.0)
        if self.backoff_budget and spent + delay > self.backoff_budget:
            self.stats.inc_value("retry/backoff_budget_spent")
            if spent < self.backoff_budget:
                self.backoff_spent[host] = self.backoff_budget
                self.failures_over_budget[host] = 1
                logger.warning("%s has had %.0f s of back-off in this run (RETRY_HOST_BACKOFF_BUDGET):"
                               " its failed requests are no longer retried, and %d more failures"
                               " skip it", host, spent, self.max_host_failures - 1)
            self._slot_recovered(request)  # and its download slot no longer spaced by a back-off
            return False
        self.backoff_spent[host] = spent + delay
        self.not_before[host] = max(self.not_before.get(host, 0.0), time.monotonic() + delay)
        self._slot_backoff(request, delay)
        if retry_after is not None:
            self.stats.inc_value("retry/retry_after")
        self.stats.max_value("retry/max_backoff", round(delay, 3))
        return True

    def _slot(self, request: Request):
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return None, None
        key = downloader.get_slot_key(request)
        return key, downloader.slots.get(key)

    def _drop_queued(self, request: Request, host: str) -> None:
        """Fail the host's requests already waiting in its download slot: they passed this
        middleware before the host was skipped, and must not go out now."""
        _, slot = self._slot(request)
        queue = getattr(slot, "queue", None)
        if not queue:
            return
        kept, dropped = [], []
        while queue:
            entry = queue.popleft()
            (dropped if host_of(entry[0].url) == host else kept).append(entry)
        queue.extend(kept)
        if not dropped:
            return
        self.stats.inc_value("retry/skipped_requests", len(dropped))
        error = HostSkipped(f"{host} skipped for this run after {self.max_host_failures} failures in a row")
        from twisted.internet import reactor

        # failed on the next turn of the loop, not inside the download that made us skip the host
        reactor.callLater(0, lambda: [deferred.errback(Failure(error)) for _, deferred in dropped])

    def _slot_backoff(self, request: Request, delay: float) -> None:
        """Space the slot's next requests ``delay`` apart, counted from this failure: a
        back-off is a floor, so the slot's random jitter (RANDOMIZE_DOWNLOAD_DELAY, which may
        halve a delay) is off until the host recovers."""
        key, slot = self._slot(request)
        if slot is None:
            return
        self.slot_delays.setdefault(key, (slot.delay, _jitter(slot)))
        slot.delay = max(slot.delay, delay)
        _set_jitter(slot, 0.0)
        slot.lastseen = max(slot.lastseen, _slot_clock())

    def _slot_recovered(self, request: Request) -> None:
        if not self.slot_delays:
            return
        key, slot = self._slot(request)
        if key in self.slot_delays:
            delay, jitter = self.slot_delays.pop(key)
            if slot is not None:
                slot.delay = delay
                _set_jitter(slot, jitter)


def _slot_clock() -> float:
    """Now, on the clock download slots keep ``lastseen`` by (monotonic since Scrapy 2.14)."""
    from scrapy.core import downloader

    return getattr(downloader, "monotonic", time.time)()


def _jitter(slot) -> float:
    """The slot's random variation of its delay (Scrapy >= 2.14 ``jitter``, before it
    ``randomize_delay``, a ±50% switch)."""
    if hasattr(slot, "jitter"):
        return slot.jitter
    return 0.5 if getattr(slot, "randomize_delay", False) else 0.0


def _set_jitter(slot, jitter: float) -> None:
    if hasattr(slot, "jitter"):
        slot.jitter = jitter
    elif hasattr(slot, "randomize_delay"):
        slot.randomize_delay = bool(jitter)
