"""The per-page size cap of page requisites (``REQUISITES_MAX_PAGE_SIZE``).

Requisite responses arrive asynchronously and in any order, so the bytes are counted as they
arrive (the ``bytes_received`` signal), per referring page: the page whose HTML first asked
for the requisite (a stylesheet's own references count for the stylesheet's page, and a
requisite shared by many pages, requested once per crawl, for the first). When a page's
requisites pass the cap, the download that passed it is cut there (archived with
``WARC-Truncated: length``), one already in progress is cut at its next chunk, and the
page's requisites still queued are dropped when they reach the downloader. Each cut or drop
is counted (``requisites/over_page_size``) and logged.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload

from .capture import TRUNCATED_META
from .requisites import REQUISITE_META, REQUISITE_PAGE_META, RequisitesConfig

logger = logging.getLogger(__name__)


class RequisitePageBudget:
    """Downloader middleware: a page's requisites stop at REQUISITES_MAX_PAGE_SIZE bytes."""

    def __init__(self, crawler: Crawler, cap: int):
        self.stats = crawler.stats
        self.cap = cap
        self._spent: dict[str, int] = {}  # referring page -> requisite body bytes received
        crawler.signals.connect(self.bytes_received, signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = RequisitesConfig.from_settings(crawler.settings)
        if not config.fetched:
            raise NotConfigured("no requisites are fetched")
        cap = config.max_page_size
        if cap < 0:
            raise ValueError(f"REQUISITES_MAX_PAGE_SIZE must be 0 (no cap) or more, not {cap}")
        if cap == 0:
            raise NotConfigured("REQUISITES_MAX_PAGE_SIZE is 0")
        return cls(crawler, cap)

    def process_request(self, request: Request, spider=None) -> None:
        page = self._page(request)
        if page is not None and self._spent.get(page, 0) >= self.cap:
            self.stats.inc_value("requisites/over_page_size")
            logger.info("Not fetching %s: the requisites of %s reached REQUISITES_MAX_PAGE_SIZE (%d bytes)",
                        request.url, page, self.cap)
            raise IgnoreRequest(f"requisites of {page} over REQUISITES_MAX_PAGE_SIZE")

    def bytes_received(self, data: bytes, request: Request, spider=None) -> None:
        page = self._page(request)
        if page is None:
            return
        before = self._spent.get(page, 0)
        self._spent[page] = before + len(data)
        if before + len(data) <= self.cap:
            return
        request.meta[TRUNCATED_META] = "length"
        self.stats.inc_value("requisites/over_page_size")
        logger.info("Cutting %s: the requisites of %s passed REQUISITES_MAX_PAGE_SIZE (%d bytes)",
                    request.url, page, self.cap)
        raise StopDownload(fail=False)

    @staticmethod
    def _page(request: Request) -> str | None:
        if not request.meta.get(REQUISITE_META):
            return None
        return request.meta.get(REQUISITE_PAGE_META)
