"""Every response the downloader gets becomes a WARC request + response pair.

``response_downloaded`` fires before the downloader middlewares see the response, so the
body is exactly what came off the wire (de-chunked, still Content-Encoded) and robots.txt,
redirects and error pages are archived too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http import HTTPStatus
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.http import Response

from archive.catalog import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED
from archive.warc.records import warc_date

from .config import with_defaults
from .requisites import REQUISITE_META
from .session import archive_for, close_archive

logger = logging.getLogger(__name__)

CAPTURE_META = "wirecopy_capture"
# set when the payload is the one already archived: the revisit profile it was stored as
UNCHANGED_META = "wirecopy_unchanged"
_CAP_META = "wirecopy_maxsize"
_RECEIVED_META = "_wirecopy_received"
TRUNCATED_META = "_wirecopy_truncated"
_SECRET_HEADERS = {b"proxy-authorization"}


def _text(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def header_pairs(headers) -> list[tuple[str, str]]:
    """Every value of every header; ``headers[name]`` would keep only the last Set-Cookie."""
    return [(_text(k), _text(v)) for k in headers for v in headers.getlist(k)]


def request_target(url: str) -> tuple[str, str]:
    """(origin-form target with path AND query, Host header value)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return target, parts.netloc.rsplit("@", 1)[-1]


@dataclass(frozen=True)
class CaptureConfig:
    enabled: bool  # WARC_ENABLED: every response is archived
    max_size: int  # DOWNLOAD_MAXSIZE: a larger body is archived truncated; 0: no limit
    revisits: bool  # WARC_REVISITS: an unchanged payload becomes a revisit record
    revisit_requests: bool  # WARC_REVISIT_REQUESTS: a revisit keeps its request record

    @classmethod
    def from_settings(cls, settings) -> Self:
        s = with_defaults(settings)
        return cls(s.getbool("WARC_ENABLED"), s.getint("DOWNLOAD_MAXSIZE"), s.getbool("WARC_REVISITS"),
                   s.getbool("WARC_REVISIT_REQUESTS"))


class WarcCapture:
    """Archives request/response pairs; enforces DOWNLOAD_MAXSIZE by truncating, not dropping."""

    def __init__(self, crawler: Crawler, config: CaptureConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.maxsize = config.max_size
        self.archive = archive_for(crawler)
        self.factory = self.archive.factory
        self.revisits = config.revisits
        self.revisit_requests = config.revisit_requests
        crawler.signals.connect(self.request_reached_downloader, signals.request_reached_downloader)
        crawler.signals.connect(self.bytes_received, signals.bytes_received)
        crawler.signals.connect(self.response_downloaded, signals.response_downloaded)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = CaptureConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured("WARC_ENABLED is off")
        return cls(crawler, config)

    def request_reached_downloader(self, request: Request, spider) -> None:
        # Scrapy would drop an oversized body; keep its first DOWNLOAD_MAXSIZE bytes instead
        # and mark the record WARC-Truncated: length. The download handler is told "no limit"
        # for this one download only: HttpCompressionMiddleware reads the same meta key as its
        # decompression limit, so it is put back before any middleware sees the response.
        # A retry or redirect copies the meta: the cap it keeps is the original one.
        cap = request.meta.get(_CAP_META, request.meta.get("download_maxsize", self.maxsize))
        request.meta[_CAP_META] = cap
        request.meta["download_maxsize"] = 0
        request.meta[_RECEIVED_META] = 0
        request.meta.pop(TRUNCATED_META, None)

    def bytes_received(self, data: bytes, request: Request, spider) -> None:
        cap = request.meta.get(_CAP_META)
        if not cap:
            return
        received = request.meta.get(_RECEIVED_META, 0) + len(data)
        request.meta[_RECEIVED_META] = received
        if received > cap:
            request.meta[TRUNCATED_META] = "length"
            logger.warning("Truncating %s at %d bytes (DOWNLOAD_MAXSIZE %d)", request.url, received, cap)
            raise StopDownload(fail=False)

    def response_downloaded(self, response: Response, request: Request, spider) -> None:
        request.meta["download_maxsize"] = request.meta.get(_CAP_META, self.maxsize)
        truncated = request.meta.get(TRUNCATED_META)
        if truncated is None and "download_stopped" in response.flags:
            truncated = "unspecified"
        date = warc_date(self.factory.now())
        target, host = request_target(request.url)
        request_headers = [("Host", host)] + [
            (k, v) for k, v in header_pairs(request.headers) if k.lower().encode() not in _SECRET_HEADERS
        ]
        ip = str(response.ip_address) if response.ip_address else None
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = ""
        resp_record = self.factory.response(
            response.url, date, response.protocol or "HTTP/1.1", response.status, reason,
            header_pairs(response.headers), response.body, ip_address=ip, truncated=truncated,
        )
        revisit = self._revisit(response, resp_record, reason, truncated, ip) if self.revisits else None
        main = revisit[2] if revisit else resp_record
        req_record = self.factory.request(
            response.url, date, request.method, target, request_headers, request.body or b"",
            concurrent_to=main.rec_headers.get_header("WARC-Record-ID"), ip_address=ip,
        )
        try:
            if revisit is not None:
                profile, previous, _ = revisit
                ref = self.archive.write_revisit(req_record if self.revisit_requests else None,
                                                 main, previous)
                request.meta[UNCHANGED_META] = profile
                self.stats.inc_value(f"warc/revisits/{profile.rsplit('/', 1)[-1]}")
            else:
                ref = self.archive.write_capture(req_record, resp_record)
        except (OSError, *self.archive.catalog.errors) as exc:
            # counted with the run's errors (RunFigures): the page is lost to the archive
            self.stats.inc_value("warc/write_errors")
            logger.error("Could not archive %s: %s", response.url, exc)
            return
        request.meta[CAPTURE_META] = ref
        self.stats.inc_value("warc/records", 1 if revisit and not self.revisit_requests else 2)
        self.stats.inc_value("warc/captures")
        self.stats.inc_value(f"warc/captures/{ref.kind}")
        self.stats.set_value("warc/bytes", self.archive.bytes_written)
        if request.meta.get(REQUISITE_META):
            self.stats.inc_value("requisites/captured")
        elif ref.kind != "robots":
            self.stats.inc_value("wirecopy/pages")
        if truncated:
            self.stats.inc_value("warc/truncated")

    def _revisit(self, response: Response, resp_record, reason: str, truncated: str | None,
                 ip: str | None):
        """(profile, previous capture, revisit record) when the payload is already archived:
        a 304 to a conditional request, or a 200 whose payload digest is the latest capture's."""
        if truncated or response.status not in (200, 304):
            return None
        try:
            previous = self.archive.catalog.previous_capture(response.url)
        except self.archive.catalog.errors as exc:
            # archived in full: a revisit needs the capture it refers to, which only the catalog knows
            self.stats.inc_value("archive/dedupe/lookup_failed")
            logger.warning("Catalog lookup for %s failed (%s): archived in full, not as a revisit",
                           response.url, exc)
            return None
        if previous is None or not previous.payload_digest:
            return None
        if response.status == 304:
            profile = PROFILE_NOT_MODIFIED
            headers = header_pairs(response.headers)
        elif resp_record.rec_headers.get_header("WARC-Payload-Digest") == previous.payload_digest:
            profile = PROFILE_IDENTICAL
            # the response's headers as archived (Content-Length: the payload's stored length)
            headers = list(resp_record.http_headers.headers)
        else:
            return None
        record = self.factory.revisit(
            response.url, resp_record.rec_headers.get_header("WARC-Date"), profile,
            refers_to=previous.original_record_id, refers_to_uri=previous.original_uri,
            refers_to_date=previous.original_date, payload_digest=previous.payload_digest,
            protocol=response.protocol or "HTTP/1.1", status=response.status,
            reason=reason,
            headers=headers, ip_address=ip,
        )
        return profile, previous, record

    def spider_closed(self, spider, reason: str) -> None:
        self.stats.set_value("warc/bytes", self.archive.bytes_written)
        close_archive(self.crawler)
