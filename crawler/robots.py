"""robots.txt read as RFC 9309 says, on Scrapy's own RobotsTxtMiddleware.

Scrapy parses whatever body the robots.txt request ends with and allows everything when the
request fails. RFC 9309 (section 2.3.1) tells the cases apart:

- 2xx: the rules it holds (after up to five redirects, which Scrapy follows);
- 4xx, "unavailable": there are no rules, every URL may be crawled (the body of a 404 page is
  not read as rules);
- 5xx and network errors (a timeout, a refused connection), "unreachable": complete disallow.
  ``429 Too Many Requests`` is counted here too: a rate limit is not an answer about the rules.

An unreachable robots.txt is asked for again once ``ROBOTSTXT_UNREACHABLE_RECHECK`` seconds
have passed, at the next request for its host; until then every URL of the host is refused
(``robotstxt/forbidden/unreachable``), and it is counted as ``robotstxt/unreachable`` with the
cause (``robotstxt/unreachable/http_503``, ``robotstxt/unreachable/DownloadTimeoutError``).

Requests that arrive while their host's robots.txt is being fetched wait for it. Scrapy makes
them all await one Deferred through ``asFuture``, whose callback returns None: the first
request gets the rules, every later one gets None and is allowed whatever the rules say (seen
as a CDN's disallowed image fetched beside a refused script). Here each waits for the Deferred
to fire without taking part in its chain, then reads the rules the middleware has stored.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Self

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from .config import with_defaults

logger = logging.getLogger(__name__)


class UnreachableRobots:
    """The rules of a host whose robots.txt could not be read: nothing is allowed."""

    def __init__(self, netloc: str, reason: str, recheck_at: float):
        self.netloc = netloc
        self.reason = reason
        self.recheck_at = recheck_at

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


def _fired(pending: Deferred) -> Deferred:
    """A Deferred that fires (with None) when ``pending`` does, leaving ``pending``'s result as it is."""
    fired: Deferred = Deferred()

    def passthrough(result):
        fired.callback(None)
        return result

    pending.addBoth(passthrough)
    return fired


@dataclass(frozen=True)
class RobotsConfig:
    unreachable_recheck: float  # ROBOTSTXT_UNREACHABLE_RECHECK: seconds before asking again

    @classmethod
    def from_settings(cls, settings) -> Self:
        return cls(with_defaults(settings).getfloat("ROBOTSTXT_UNREACHABLE_RECHECK"))


class RFC9309RobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.recheck = RobotsConfig.from_settings(crawler.settings).unreachable_recheck

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def robot_parser(self, request: Request):
        netloc = urlparse_cached(request).netloc
        while True:
            known = self._parsers.get(netloc)
            if isinstance(known, UnreachableRobots) and time.monotonic() >= known.recheck_at:
                del self._parsers[netloc]  # ask for it again
                break
            if not isinstance(known, Deferred):
                break
            await maybe_deferred_to_future(_fired(known))
        if netloc in self._parsers:
            return self._parsers[netloc]
        return await super().robot_parser(request)

    def process_request_2(self, rp, request: Request) -> None:
        if isinstance(rp, UnreachableRobots) and not request.meta.get("dont_obey_robotstxt"):
            self._stats.inc_value("robotstxt/forbidden")
            self._stats.inc_value("robotstxt/forbidden/unreachable")
            logger.debug("Forbidden: the robots.txt of %s is unreachable (%s): %s", rp.netloc, rp.reason, request)
            raise IgnoreRequest(f"robots.txt of {rp.netloc} is unreachable ({rp.reason}): every URL of"
                                " the host is disallowed until it can be read (RFC 9309)")
        super().process_request_2(rp, request)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unreachable(netloc, f"HTTP {response.status}", f"http_{response.status}")
            return
        if 400 <= response.status < 500:
            response = response.replace(body=b"")  # unavailable: no rules at all
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):  # refused on our side (replay miss, offsite): no answer
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unreachable(netloc, type(exc).__name__, type(exc).__name__)

    def _unreachable(self, netloc: str, reason: str, stat: str) -> None:
        self._stats.inc_value("robotstxt/unreachable")
        self._stats.inc_value(f"robotstxt/unreachable/{stat}")
        logger.warning("robots.txt of %s is unreachable (%s): every URL of the host is disallowed until it "
                       "can be read (RFC 9309); asking again in %g s", netloc, reason, self.recheck)
        waiting = self._parsers[netloc]
        rules = UnreachableRobots(netloc, reason, time.monotonic() + self.recheck)
        self._parsers[netloc] = rules
        waiting.callback(rules)
