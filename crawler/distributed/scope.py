"""A worker's crawl unit keeps to its site: requests to any other site are dropped.

The spider's ``same_domain`` scope follows a seed's domain to its subdomains and, on one host,
to every port; a unit must not, or two workers could crawl one host at once. Page requisites
(images, stylesheets on a CDN) and robots.txt files are let through: they are what a page
needs, not pages of another site.

    WORKER_UNIT_SITE = "https://example.com"   # set by the worker for each unit; empty: off
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.config import with_defaults
from crawler.requisites import REQUISITE_META

from .units import site_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UnitScopeConfig:
    site: str  # WORKER_UNIT_SITE; empty: not a worker's unit, no scope

    @classmethod
    def from_settings(cls, settings) -> Self:
        return cls(str(with_defaults(settings).get("WORKER_UNIT_SITE") or ""))


class UnitScope:
    def __init__(self, crawler: Crawler, site: str):
        self.stats = crawler.stats
        self.site = site_of(site)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        site = UnitScopeConfig.from_settings(crawler.settings).site
        if not site:
            raise NotConfigured  # silently: only a worker's unit sets it
        return cls(crawler, site)

    def process_request(self, request: Request) -> None:
        if site_of(request.url) == self.site or REQUISITE_META in request.meta:
            return None
        if request.url.split("?", 1)[0].endswith("/robots.txt"):
            return None
        self.stats.inc_value("worker/offsite_dropped")
        logger.debug("Not following %s: another site than this unit's %s", request.url, self.site)
        raise IgnoreRequest(f"{request.url} is not on this unit's site {self.site}")
