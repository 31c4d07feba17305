"""Incremental recrawls: skip archived articles by policy, ask the server what changed.

``RecrawlFilter`` (spider middleware) drops requests for articles the catalog already holds,
unless the recrawl policy says to fetch them again (``RECRAWL_POLICY``, see
``archive.recrawl``). Seeds, feeds, sitemaps and section pages are never dropped.

``ConditionalRequests`` (downloader middleware) sends ``If-None-Match`` /
``If-Modified-Since`` from the latest capture of a URL. A ``304 Not Modified`` is archived
as a ``server-not-modified`` revisit by the capture extension (which sees the raw 304
first); the spider then gets the archived response back, marked unchanged, so it still
follows the page's links but does not extract it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from archive.catalog import PreviousCapture
from archive.recrawl import RecrawlPolicy, parse_datetime
from archive.warc.reader import read_record

from .capture import UNCHANGED_META
from .config import with_defaults
from .resume import ResumeConfig
from .session import archive_for

logger = logging.getLogger(__name__)

PREVIOUS_META = "_wirecopy_previous"
FORCE_META = "wirecopy_recrawl"  # True: fetch whatever the policy says; False: never
LASTMOD_META = "wirecopy_lastmod"


@dataclass(frozen=True)
class RecrawlConfig:
    # RECRAWL_ENABLED, with WARC_ENABLED: what is fetched again is decided against the archive
    enabled: bool
    conditional: bool  # RECRAWL_CONDITIONAL: validators of the latest capture on each request
    # RECRAWL_POLICY, RECRAWL_MAX_AGE_DAYS, RECRAWL_HONOUR_LASTMOD; None when not enabled
    policy: RecrawlPolicy | None

    @classmethod
    def from_settings(cls, settings) -> Self:
        """ValueError if the policy settings are bad (read only when recrawls are on)."""
        s = with_defaults(settings)
        enabled = s.getbool("RECRAWL_ENABLED") and s.getbool("WARC_ENABLED")
        policy = None
        if enabled:
            try:
                days = s.getfloat("RECRAWL_MAX_AGE_DAYS")
            except ValueError:
                raise ValueError("RECRAWL_MAX_AGE_DAYS must be a number of days, got "
                                 f"{s.get('RECRAWL_MAX_AGE_DAYS')!r}") from None
            policy = RecrawlPolicy(str(s.get("RECRAWL_POLICY")).strip().lower(), days,
                                   s.getbool("RECRAWL_HONOUR_LASTMOD"))
        return cls(enabled, s.getbool("RECRAWL_CONDITIONAL"), policy)


class RecrawlFilter:
    """Drops requests for archived articles the recrawl policy does not want fetched again."""

    def __init__(self, crawler: Crawler, policy: RecrawlPolicy):
        self.crawler = crawler
        self.stats = crawler.stats
        self.policy = policy
        self.history = archive_for(crawler).catalog
        # A resumed run started when the interrupted one did: what that one archived is this
        # run's own, fetched again from the archive so that its links are followed.
        self.started = ResumeConfig.from_settings(crawler.settings).started or datetime.now(timezone.utc)
        # Per run: URLs let through (the duplicate filter's from then on) and archived
        # articles left out, each counted once however many pages link to it.
        self.kept: set[str] = set()
        self.skipped: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = RecrawlConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured("RECRAWL_ENABLED or WARC_ENABLED is off")
        return cls(crawler, config.policy)

    def _keep(self, request: Request) -> bool:
        forced = request.meta.get(FORCE_META)
        if forced is not None:
            return bool(forced)
        url = request.url
        if url in self.kept:
            return True
        keep, reason = self._decide(request)
        if keep:
            self.kept.add(url)
            earlier = self.skipped.pop(url, None)
            if earlier is not None:  # left out from one page, wanted by a later sitemap lastmod
                self.stats.inc_value("recrawl/skipped", -1)
                self.stats.inc_value(f"recrawl/skipped/{earlier}", -1)
            if reason:
                self.stats.inc_value(f"recrawl/refetched/{reason}")
        elif url not in self.skipped:
            self.skipped[url] = reason
            self.stats.inc_value("recrawl/skipped")
            self.stats.inc_value(f"recrawl/skipped/{reason}")
            logger.debug("Not fetching archived article %s again (%s)", url, reason)
        return keep

    def _decide(self, request: Request) -> tuple[bool, str]:
        try:
            state = self.history.article_state(request.url)
        except self.history.errors as exc:  # fetched: an article archived twice beats one lost
            self.stats.inc_value("recrawl/lookup_failed")
            logger.warning("Catalog lookup for %s failed (%s): fetched as if never archived", request.url, exc)
            return True, ""
        if state is None:
            return True, ""
        last = parse_datetime(state.last_captured)
        if last is not None and last >= self.started:
            return True, ""  # archived by this crawl: a duplicate, left to the duplicate filter
        decision = self.policy.decide(state, request.meta.get(LASTMOD_META))
        return decision.fetch, decision.reason

    def process_spider_output(self, response, result):
        for entry in result:
            if not isinstance(entry, Request) or self._keep(entry):
                yield entry

    async def process_spider_output_async(self, response, result):
        async for entry in result:
            if not isinstance(entry, Request) or self._keep(entry):
                yield entry


class ConditionalRequests:
    """Validators from the previous capture on each request; a 304 answered from the archive."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = archive_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = RecrawlConfig.from_settings(crawler.settings)
        if not (config.enabled and config.conditional):
            raise NotConfigured("RECRAWL_CONDITIONAL, RECRAWL_ENABLED or WARC_ENABLED is off")
        return cls(crawler)

    def process_request(self, request: Request):
        inherited: PreviousCapture | None = request.meta.get(PREVIOUS_META)
        if inherited is not None and inherited.url != request.url:
            # a redirect copied the validators of the URL it came from
            for name in (b"If-None-Match", b"If-Modified-Since"):
                request.headers.pop(name, None)
            del request.meta[PREVIOUS_META]
        if request.method != "GET" or urlsplit(request.url).path == "/robots.txt":
            return None
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return None  # the caller's own conditional request
        try:
            previous = self.archive.catalog.previous_capture(request.url)
        except self.archive.catalog.errors as exc:
            self.stats.inc_value("recrawl/conditional/lookup_failed")
            logger.warning("Catalog lookup for %s failed (%s): fetched without validators", request.url, exc)
            return None
        if previous is None or not (previous.etag or previous.last_modified):
            return None
        if previous.etag:
            request.headers[b"If-None-Match"] = previous.etag
        if previous.last_modified:
            request.headers[b"If-Modified-Since"] = previous.last_modified
        request.meta[PREVIOUS_META] = previous
        self.stats.inc_value("recrawl/conditional")
        return None

    def process_response(self, request: Request, response: Response):
        previous: PreviousCapture | None = request.meta.get(PREVIOUS_META)
        if response.status != 304 or previous is None or previous.url != response.url:
            return response
        self.stats.inc_value("recrawl/not_modified")
        try:
            stored = read_record(self.archive.warc_path(previous.original_file),
                                 previous.original_offset, previous.original_length)
        except (OSError, ValueError) as exc:
            self.stats.inc_value("recrawl/original_unreadable")
            logger.warning("304 for %s but its archived copy is unreadable: %s", request.url, exc)
            return response
        headers = Headers()
        for name, value in stored.http_headers:
            headers.appendlist(name, value)
        cls = responsetypes.from_args(headers=headers, url=response.url, body=stored.payload)
        request.meta.setdefault(UNCHANGED_META, "server-not-modified")
        return cls(url=response.url, status=stored.http_status or 200, headers=headers,
                   body=stored.payload, flags=response.flags + ["not-modified"], request=request,
                   ip_address=response.ip_address, protocol=response.protocol)
