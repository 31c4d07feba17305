"""Hand-written Scrapy spider used as the baseline of ``benchmarks/crawl.py``.

Run with ``scrapy runspider _baseline_spider.py -a sitemap=URL [-a extract=1]
[-a stats_file=PATH]``. It reads the sitemap, fetches every page listed there
and follows the same-site links of each HTML page (depth is bounded by the
``DEPTH_LIMIT`` setting). With ``extract=1`` it calls
``trafilatura.extract(response.text, url=..., with_metadata=True)`` inline in
its callback, which is what users write by hand; otherwise it only yields the
URL and status. At ``engine_stopped`` the crawl stats are dumped as JSON to
``stats_file`` so the benchmark can read ``elapsed_time_seconds``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import HtmlResponse, Response
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap


class BaselineSpider(scrapy.Spider):
    name = "baseline"

    def __init__(self, sitemap: str, extract: str = "0", stats_file: str = "",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemap_url = sitemap
        self.extract = extract not in ("", "0", "false", "False")
        self.stats_file = stats_file
        host = urlsplit(sitemap).hostname or ""
        self.allowed_domains = [host]
        # Off-site links are dropped by OffsiteMiddleware (allowed_domains);
        # LinkExtractor(allow_domains=...) would compare against host:port.
        self.links = LinkExtractor()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BaselineSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.dump_stats, signal=signals.engine_stopped)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.sitemap_url, callback=self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        for entry in Sitemap(response.body):
            yield scrapy.Request(entry["loc"], callback=self.parse_page)

    def parse_page(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, HtmlResponse):
            return
        if self.extract:
            import trafilatura

            text = trafilatura.extract(response.text, url=response.url, with_metadata=True)
            yield {"url": response.url, "status": response.status, "text": text}
        else:
            yield {"url": response.url, "status": response.status}
        for link in self.links.extract_links(response):
            yield scrapy.Request(link.url, callback=self.parse_page)

    def dump_stats(self) -> None:
        if self.stats_file:
            stats = self.crawler.stats.get_stats()
            with open(self.stats_file, "w", encoding="utf-8") as handle:
                json.dump(stats, handle, default=str)
