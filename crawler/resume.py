"""Resuming an interrupted crawl from its own archive.

A crawl killed at any moment (``kill -9`` included) leaves its WARC records and catalog rows,
not a consistent frontier: Scrapy's JOBDIR writes its request queue state and flushes its
seen-requests file only on a clean close (``wirecopy jobs`` uses a JOBDIR after clean stops
only). So the frontier is rebuilt from what was archived, which is always consistent: the
resumed crawl starts from the seeds again, and every request whose response the interrupted
run archived is answered from that record (``ResumeFromArchive``) instead of the network. The
spider parses it as before and so yields the same links, while nothing is captured twice: a
replayed response never reaches the capture extension, and the article text of a page whose
conversion record is already archived is not extracted again (``ResumedArticleFilter``).

    RESUME_ENABLED = True
    RESUME_SINCE = "20250310091500"   # captures of WIRECOPY_JOB from this time on (14 digits)

Responses a killed run wrote to a file it left open are in the WARC (the archive seals the file
on start) but may miss their catalog row: they are cataloged here before the crawl starts.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from w3lib.url import canonicalize_url

from archive.catalog.reindex import Reindexer
from archive.store import Archive, CaptureRef
from archive.warc.reader import StoredRecord, read_record
from archive.warc.writer import RecordLocation

from .capture import CAPTURE_META
from .config import with_defaults
from .items import ArticleItem
from .session import archive_for

logger = logging.getLogger(__name__)

RESUMED_META = "wirecopy_resumed"
RESUMED_FLAG = "resumed"


@dataclass(frozen=True)
class ResumeConfig:
    enabled: bool  # RESUME_ENABLED
    job: str | None  # RESUME_JOB, else WIRECOPY_JOB: the job whose captures answer requests
    since: str  # the digits of RESUME_SINCE (at most 14): its captures from this time on

    @classmethod
    def from_settings(cls, settings) -> Self:
        s = with_defaults(settings)
        since = "".join(ch for ch in str(s.get("RESUME_SINCE") or "") if ch.isdigit())[:14]
        return cls(s.getbool("RESUME_ENABLED"), s.get("RESUME_JOB") or s.get("WIRECOPY_JOB") or None, since)

    @property
    def started(self) -> datetime | None:
        """When the interrupted run started, if resuming one with a full 14-digit RESUME_SINCE."""
        if not self.enabled or len(self.since) != 14:
            return None
        return datetime.strptime(self.since, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)


@dataclass
class ArchivedCapture:
    ref: CaptureRef
    has_article: bool


def _key(url: str) -> str:
    return canonicalize_url(url, keep_fragments=False)


def response_from_record(record: StoredRecord, request: Request | None, url: str) -> Response:
    headers = Headers()
    for name, value in record.http_headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=url, body=record.payload)
    return cls(url=url, status=record.http_status or 200, headers=headers, body=record.payload,
               flags=[RESUMED_FLAG], request=request, protocol=record.http_protocol)


def _catalog_recovered(archive: Archive, job: str | None) -> int:
    """Catalog the records of files sealed after a crash that the catalog does not know."""
    reindexer = Reindexer(archive, write=True, only_missing=True)
    added = 0
    with archive.catalog.batch():
        for name in archive.recovery.files:
            added += reindexer.index_file(str(archive.warc_dir / name), name, job).missing_captures
    return added


def archived_captures(archive: Archive, job: str | None, since: str) -> dict[str, deque[ArchivedCapture]]:
    """The interrupted run's captures by URL, oldest first (a retried URL has several)."""
    by_url: dict[str, deque[ArchivedCapture]] = {}
    for row in archive.catalog.captures_of_job(job, since):
        ref = CaptureRef(row["url"], row["record_id"], row["warc_date"],
                         RecordLocation(row["warc_file"], row["warc_offset"], row["warc_length"]), row["id"])
        by_url.setdefault(_key(row["url"]), deque()).append(ArchivedCapture(ref, bool(row["has_article"])))
    return by_url


class ResumeFromArchive:
    """Downloader middleware: answers requests the interrupted run already archived."""

    def __init__(self, crawler: Crawler, config: ResumeConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = archive_for(crawler)
        job, since = config.job, config.since
        recovered = _catalog_recovered(self.archive, job)
        self.pending = archived_captures(self.archive, job, since.ljust(14, "0"))
        total = sum(len(q) for q in self.pending.values())
        self.stats.set_value("resume/archived", total)
        if recovered:
            self.stats.set_value("resume/cataloged_after_crash", recovered)
        logger.info("Resuming job %s: %d captures since %s answered from the archive (%d cataloged"
                    " from files sealed after a crash)", job, total, since, recovered)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = ResumeConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured  # silently: off unless a job resumes
        return cls(crawler, config)

    def process_request(self, request: Request) -> Response | None:
        queue = self.pending.get(_key(request.url))
        if not queue:
            return None
        capture = queue.popleft()
        location = capture.ref.location
        try:
            record = read_record(self.archive.warc_dir / location.filename, location.offset, location.length)
        except (OSError, ValueError) as exc:
            self.stats.inc_value("resume/unreadable")
            logger.warning("Fetching %s again: its archived record is unreadable (%s)", request.url, exc)
            return None
        request.meta[CAPTURE_META] = capture.ref
        request.meta[RESUMED_META] = {"has_article": capture.has_article}
        self.stats.inc_value("resume/replayed")
        return response_from_record(record, request, request.url)


class ResumedArticleFilter:
    """Spider middleware: no second extraction of an article whose text is already archived."""

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not ResumeConfig.from_settings(crawler.settings).enabled:
            raise NotConfigured  # silently: off unless a job resumes
        return cls(crawler)

    def _keep(self, response: Response, item) -> bool:
        if isinstance(item, ArticleItem) and response.meta.get(RESUMED_META, {}).get("has_article"):
            self.stats.inc_value("resume/articles_already_archived")
            return False
        return True

    def process_spider_output(self, response, result):
        for item in result:
            if self._keep(response, item):
                yield item

    async def process_spider_output_async(self, response, result):
        async for item in result:
            if self._keep(response, item):
                yield item
