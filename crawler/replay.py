"""Replay mode: every request is answered from an archive, and the network is switched off.

    scrapy crawl news -a seeds=https://example.com/ -s REPLAY_ARCHIVE=archive [-s REPLAY_AT=20250304]

``ReplayMiddleware`` answers each request (robots.txt included) with the archived capture of its
URL closest to ``REPLAY_AT`` (latest by default; ``request.meta["replay_at"]`` overrides it),
with the original status, headers and Content-Encoded body, so Scrapy's HttpCompressionMiddleware,
RedirectMiddleware and the spider see what they saw live. A URL the archive does not hold is a
miss: counted (``replay/miss``) and failed with ``ReplayMiss``, never fetched. A missing
robots.txt is a miss too, which Scrapy's RobotsTxtMiddleware treats as allow-all, as it treats a
live 404.

The add-on replaces the download handlers of every network scheme with ``OfflineDownloadHandler``,
which refuses: no connection can be opened in replay mode, whatever a component does.

The capture extension writes nothing in replay (no response is downloaded); a response's
archived capture is put in ``request.meta`` as a live capture would be, so re-extraction appends
new conversion/metadata records that refer to it, in a new WARC file of ``ARCHIVE_DIR``.
Spiders can read the replayed capture's URL, record id and date in ``response.meta["wirecopy_replay"]``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from archive.replay import ArchiveReplay, ReplayedResponse, ReplayError, parse_at
from archive.store import CaptureRef
from archive.warc.writer import RecordLocation

from .capture import CAPTURE_META
from .config import with_defaults

logger = logging.getLogger(__name__)

NETWORK_SCHEMES = ("http", "https", "ftp", "s3")
OFFLINE_HANDLER = "crawler.replay.OfflineDownloadHandler"
REPLAY_META = "wirecopy_replay"  # per request: the replayed capture's record id and date


class ReplayMiss(IgnoreRequest):
    """The archive holds no capture of the requested URL."""


class NetworkDisabled(IgnoreRequest):
    """A request reached a download handler in replay mode: it is refused, not sent."""


def replay_settings(settings) -> None:
    """Switch a crawl's settings to replay (called by the add-on when REPLAY_ARCHIVE is set)."""
    root = settings.get("REPLAY_ARCHIVE")
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    handlers.update({scheme: OFFLINE_HANDLER for scheme in NETWORK_SCHEMES})
    settings.set("DOWNLOAD_HANDLERS", handlers, "cmdline")
    # A replay runs the crawl again as archived: no archived article left out, no validators.
    settings.set("RECRAWL_ENABLED", False, "cmdline")
    # New records go into the archive replayed from, unless the command line says otherwise.
    settings.set("ARCHIVE_DIR", root, "spider")


def network_handlers(settings) -> dict[str, str]:
    """The download handlers that could open a connection (none in replay mode)."""
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    return {s: str(handlers.get(s)) for s in NETWORK_SCHEMES
            if handlers.get(s) and handlers.get(s) not in (OFFLINE_HANDLER, OfflineDownloadHandler)}


def _latin1(value: str) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8")


@dataclass(frozen=True)
class ReplayConfig:
    archive: str  # REPLAY_ARCHIVE; empty: no replay
    at: str | None  # REPLAY_AT; None: the latest captures
    max_body: int | None  # DOWNLOAD_MAXSIZE: an archived payload is read as a live one is downloaded
    writes: bool  # WARC_ENABLED: re-extracted texts are archived (in ``archive_dir``)
    archive_dir: str  # ARCHIVE_DIR

    @classmethod
    def from_settings(cls, settings) -> "ReplayConfig":
        s = with_defaults(settings)
        return cls(str(s.get("REPLAY_ARCHIVE") or ""), s.get("REPLAY_AT") or None, s.getint("DOWNLOAD_MAXSIZE") or None,
                   s.getbool("WARC_ENABLED"), str(s.get("ARCHIVE_DIR") or ""))


class ReplayMiddleware:
    """Answers every request from ``REPLAY_ARCHIVE`` (stats ``replay/hit``, ``replay/miss`` and more)."""

    def __init__(self, crawler: Crawler, config: ReplayConfig):
        self.crawler = crawler
        self.stats = crawler.stats
        self.root = Path(config.archive)
        self.at = parse_at(config.at) if config.at else None
        self.replay = ArchiveReplay(self.root, max_body=config.max_body)
        crawler.signals.connect(self.spider_closed, signals.spider_closed)
        logger.info("Replaying from %s (%s); the network is off", self.root,
                    f"captures closest to {self.at.isoformat()}" if self.at else "latest captures")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = ReplayConfig.from_settings(crawler.settings)
        root = config.archive
        if not root:
            raise NotConfigured("REPLAY_ARCHIVE is not set")
        live = network_handlers(crawler.settings)
        if live:
            raise ValueError(
                f"replay needs the network off, but DOWNLOAD_HANDLERS would fetch {sorted(live)}: "
                f"enable crawler.addon.WirecopyAddon or set them to {OFFLINE_HANDLER}")
        same_dir = Path(config.archive_dir).resolve() == Path(root).resolve()
        if config.writes and not same_dir:
            raise ValueError(
                "REPLAY_ARCHIVE and ARCHIVE_DIR must be the same directory: re-extracted texts refer "
                "to the captures they replay (or set WARC_ENABLED=False)")
        try:
            parse_at(config.at)
        except ValueError as exc:
            raise ValueError(f"REPLAY_AT: {exc}") from None
        return cls(crawler, config)

    def process_request(self, request: Request) -> Response:
        robots = urlsplit(request.url).path == "/robots.txt"
        if request.method not in ("GET", "HEAD"):
            # archived GET answers say nothing about what a POST would have returned
            self.stats.inc_value("replay/miss")
            self.stats.inc_value("replay/miss/method")
            raise ReplayMiss(f"only GET and HEAD replay, not {request.method}: {request.url}")
        try:
            at = parse_at(request.meta["replay_at"]) if request.meta.get("replay_at") else self.at
        except ValueError as exc:
            self.stats.inc_value("replay/miss")
            self.stats.inc_value("replay/miss/bad_at")
            raise ReplayMiss(f"bad replay_at in the meta of {request.url}: {exc}") from None
        try:
            answer = self.replay.get(request.url, at)
        except ReplayError as exc:
            self.stats.inc_value("replay/miss")
            self.stats.inc_value("replay/miss/unreadable")
            logger.error("Cannot replay %s: %s", request.url, exc)
            raise ReplayMiss(f"unreadable in the archive: {request.url}") from exc
        if answer is None:
            self.stats.inc_value("replay/miss")
            if robots:
                self.stats.inc_value("replay/miss/robots")
            logger.info("Not in the archive: %s", request.url)
            raise ReplayMiss(f"not in the archive: {request.url}")
        self.stats.inc_value("replay/hit")
        if answer.revisit_of is not None:
            self.stats.inc_value("replay/revisit")
        if answer.is_redirect:
            self.stats.inc_value("replay/redirect")
        if answer.truncated:
            self.stats.inc_value("replay/truncated")
            logger.warning("Replaying %s cut at DOWNLOAD_MAXSIZE (%d bytes)", request.url, len(answer.body))
        if not robots:
            self.stats.inc_value("wirecopy/pages")
        return self._response(request, answer)

    def _response(self, request: Request, answer: ReplayedResponse) -> Response:
        capture = answer.capture
        headers = Headers()
        for name, value in answer.headers:
            headers.appendlist(_latin1(name), _latin1(value))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=answer.body)
        request.meta[CAPTURE_META] = CaptureRef(
            capture.url, capture.record_id, capture.warc_date,
            RecordLocation(capture.warc_file, capture.warc_offset, capture.warc_length), capture.id)
        request.meta[REPLAY_META] = {"record_id": capture.record_id, "warc_date": capture.warc_date,
                                     "url": capture.url}
        body = b"" if request.method == "HEAD" else answer.body
        flags = ["replay", "download_stopped"] if answer.truncated else ["replay"]
        return cls(url=request.url, status=answer.status, headers=headers, body=body,
                   request=request, flags=flags, protocol=answer.protocol,
                   ip_address=_ip(answer.ip_address))

    def spider_closed(self, spider, reason: str) -> None:
        self.replay.close()


def _ip(value: str | None):
    if not value:
        return None
    try:
        return ip_address(value)
    except ValueError:
        return None


class OfflineDownloadHandler:
    """The download handler of every network scheme in replay mode: it refuses every request."""

    lazy = False

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def download_request(self, request: Request) -> Response:
        self.stats.inc_value("replay/refused")
        logger.error("Refused to fetch %s: the network is off in replay mode", request.url)
        raise NetworkDisabled(f"network is off in replay mode: {request.url}")

    async def close(self) -> None:
        return None
