"""The download handler of a leased unit's crawl: a request goes out only while the unit's hold
is proved (``LeaseWatch.holds``), asked at the moment it leaves its downloader slot.

A crawl frozen whole (SIGSTOP, a suspended machine) may have another worker's crawl of its site
running when it thaws. Its watch thread thaws with it and needs a check to find that out, while
the requests queued in its downloader slots before the freeze leave at once; asked here, each of
them is refused (``IgnoreRequest``, counted as ``lease/requests_refused``) and the crawl stops.
The pages they were for are the taker's to fetch. The handlers that do the downloading are the
crawl's own (``LEASE_GATE_HANDLERS``: scheme -> handler class, as in ``DOWNLOAD_HANDLERS``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object

GATED_SCHEMES = ("http", "https")


def gate_handlers(settings) -> None:
    """Put the gate in front of the crawl's HTTP(S) download handlers."""
    handlers = settings.getwithbase("DOWNLOAD_HANDLERS")
    inner = {scheme: handlers[scheme] for scheme in GATED_SCHEMES if handlers.get(scheme)}
    settings.set("LEASE_GATE_HANDLERS", inner, "cmdline")
    gated = settings.getdict("DOWNLOAD_HANDLERS")
    gated.update({scheme: f"{__name__}.LeaseGatedHandler" for scheme in inner})
    settings.set("DOWNLOAD_HANDLERS", gated, "cmdline")


@dataclass(frozen=True)
class GateConfig:
    handlers: dict[str, str]  # scheme -> the download handler class behind the gate

    @classmethod
    def from_settings(cls, settings) -> "GateConfig":
        return cls({scheme: str(path) for scheme, path in settings.getdict("LEASE_GATE_HANDLERS").items()})


class LeaseGatedHandler:
    lazy = False

    def __init__(self, crawler, inner: dict):
        self.crawler = crawler
        self.inner = inner

    @classmethod
    def from_crawler(cls, crawler) -> "LeaseGatedHandler":
        config = GateConfig.from_settings(crawler.settings)
        if not config.handlers:
            raise NotConfigured("LEASE_GATE_HANDLERS names no download handler")
        built = {path: build_from_crawler(load_object(path), crawler) for path in set(config.handlers.values())}
        return cls(crawler, {scheme: built[path] for scheme, path in config.handlers.items()})

    async def download_request(self, request):
        watch = getattr(self.crawler, "lease_watch", None)
        if watch is not None and not watch.holds():
            self.crawler.stats.inc_value("lease/requests_refused")
            watch.give_up(f"its hold on the unit was last proved {time.monotonic() - watch.proved:.1f} s ago"
                          f" (at most {watch.limit:.1f} s allowed)")
            raise IgnoreRequest(f"not sent: the unit's hold is not proved ({request.url})")
        return await self.inner[urlparse_cached(request).scheme].download_request(request)

    async def close(self) -> None:
        for handler in {id(h): h for h in self.inner.values()}.values():
            await handler.close()
