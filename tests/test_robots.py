"""robots.txt per RFC 9309: 5xx and network errors disallow the host, 4xx allows everything.

Crawls run as subprocesses against local servers whose robots.txt fails in each way.
"""

from __future__ import annotations

import pytest

import sites
from conftest import run_crawl

ARTICLE = "/news/a.html"
NO_RETRY = ("RETRY_TIMES=0", "STORIES_ENABLED=False")


def robots_routes(robots: sites.Route):
    def build(base: str) -> dict[str, sites.Route]:
        home = (f'<!DOCTYPE html><html><head><title>Home</title></head><body>'
                f'<a href="{base}{ARTICLE}">read</a></body></html>').encode()
        return {"/robots.txt": robots, "/": sites.Route(home),
                ARTICLE: sites.Route(b"<!DOCTYPE html><html><body><p>Text.</p></body></html>")}
    return build


def crawl_with_robots(tmp_path, robots: sites.Route, *settings: str):
    server = sites.serve(robots_routes(robots))
    try:
        result = run_crawl([server.url("/")], tmp_path / "archive", depth=1, settings=NO_RETRY + settings)
    finally:
        server.stop()
    return result, server.requested()


@pytest.mark.slow
@pytest.mark.parametrize("status", [500, 503])
def test_robots_txt_answering_5xx_disallows_the_whole_host(tmp_path, status):
    result, requested = crawl_with_robots(tmp_path, sites.Route(b"Service unavailable", "text/plain", status=status))
    assert requested == ["/robots.txt"]  # nothing else of the host was fetched
    stats = result.stats
    assert stats["robotstxt/unreachable"] == 1 == stats[f"robotstxt/unreachable/http_{status}"]
    assert stats["robotstxt/forbidden/unreachable"] == 1 == stats["robotstxt/forbidden"]
    assert f"is unreachable (HTTP {status}): every URL of the host is disallowed" in result.stderr
    assert result.returncode != 0  # no page could be fetched
    assert stats["warc/captures/robots"] == 1  # the failed robots.txt is archived all the same


@pytest.mark.slow
def test_robots_txt_timing_out_disallows_the_whole_host(tmp_path):
    # the server answers robots.txt after the crawler's DOWNLOAD_TIMEOUT has passed
    result, requested = crawl_with_robots(tmp_path, sites.Route(b"User-agent: *\n", "text/plain", delay=3),
                                          "DOWNLOAD_TIMEOUT=1")
    assert requested == ["/robots.txt"]
    stats = result.stats
    unreachable = {k: v for k, v in stats.items() if k.startswith("robotstxt/unreachable/")}
    assert stats["robotstxt/unreachable"] == 1 and list(unreachable.values()) == [1]
    assert "Timeout" in next(iter(unreachable))
    assert stats["robotstxt/forbidden/unreachable"] == 1
    assert result.returncode != 0


@pytest.mark.slow
def test_robots_txt_answering_4xx_allows_everything_whatever_its_body_says(tmp_path):
    # a 404 page whose body would read as "Disallow: /" if it were taken as rules
    result, requested = crawl_with_robots(
        tmp_path, sites.Route(b"User-agent: *\nDisallow: /\n", "text/plain", status=404))
    assert set(requested) == {"/robots.txt", "/", ARTICLE}
    stats = result.stats
    assert "robotstxt/unreachable" not in stats and "robotstxt/forbidden" not in stats
    assert stats["robotstxt/response_status_count/404"] == 1
    assert result.returncode == 0


@pytest.mark.slow
def test_robots_txt_rules_still_apply_when_it_is_read(tmp_path):
    result, requested = crawl_with_robots(
        tmp_path, sites.Route(b"User-agent: *\nDisallow: /news/\n", "text/plain"))
    assert set(requested) == {"/robots.txt", "/"}
    assert result.stats["robotstxt/forbidden"] == 1 and "robotstxt/unreachable" not in result.stats


def test_every_request_waiting_for_a_robots_txt_gets_its_rules():
    """Requests for a host whose robots.txt is still being fetched all wait for the rules; none
    may go ahead as if the host had none (Scrapy's own middleware let all but the first through)."""
    import asyncio

    from scrapy import Spider
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Request, TextResponse
    from scrapy.utils.test import get_crawler

    from crawler.robots import RFC9309RobotsTxtMiddleware

    async def scenario():
        crawler = get_crawler(Spider, {"ROBOTSTXT_OBEY": True})
        crawler.spider = crawler._create_spider("s")
        robots_body = asyncio.get_running_loop().create_future()
        fetched = []

        class Engine:  # the engine's one call the middleware makes: download robots.txt
            async def download_async(self, request):
                fetched.append(request.url)
                body = await robots_body
                return TextResponse(request.url, body=body, request=request)

        crawler.engine = Engine()
        middleware = RFC9309RobotsTxtMiddleware.from_crawler(crawler)
        urls = ["https://cdn.example/js/app.js", "https://cdn.example/private/a.png",
                "https://cdn.example/private/b.png", "https://cdn.example/img/ok.png"]
        waiting = [asyncio.ensure_future(middleware.process_request(Request(u))) for u in urls]
        await asyncio.sleep(0)  # let every request reach the middleware before robots.txt answers
        assert fetched == ["https://cdn.example/robots.txt"] and not any(w.done() for w in waiting)
        robots_body.set_result(b"User-agent: *\nDisallow: /private/\nDisallow: /js/\n")
        outcomes = await asyncio.gather(*waiting, return_exceptions=True)
        return [isinstance(o, IgnoreRequest) for o in outcomes], fetched

    refused, fetched = asyncio.run(scenario())
    assert refused == [True, True, True, False]
    assert fetched == ["https://cdn.example/robots.txt"]  # asked for once


def _middleware_with_robots(answers: list[tuple[int, bytes]], recheck: float):
    """The robots.txt middleware of a crawler whose engine answers robots.txt requests with
    ``answers`` in turn (status, body); the URLs it was asked for are in the returned list."""
    from scrapy import Spider
    from scrapy.http import TextResponse
    from scrapy.utils.test import get_crawler

    from crawler.robots import RFC9309RobotsTxtMiddleware

    crawler = get_crawler(Spider, {"ROBOTSTXT_OBEY": True, "ROBOTSTXT_UNREACHABLE_RECHECK": recheck})
    crawler.spider = crawler._create_spider("s")
    fetched: list[str] = []

    class Engine:
        async def download_async(self, request):
            status, body = answers[len(fetched)]
            fetched.append(request.url)
            return TextResponse(request.url, status=status, body=body, request=request)

    crawler.engine = Engine()
    return RFC9309RobotsTxtMiddleware.from_crawler(crawler), crawler.stats, fetched


@pytest.mark.parametrize("recheck, asked_again", [(0.0, True), (300.0, False)])
def test_an_unreachable_robots_txt_is_asked_for_again_once_its_recheck_time_has_passed(recheck, asked_again):
    import asyncio

    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Request

    middleware, stats, fetched = _middleware_with_robots(
        [(503, b"busy"), (200, b"User-agent: *\nDisallow: /private/\n")], recheck)

    async def refused(url: str) -> bool:
        try:
            await middleware.process_request(Request(url))
        except IgnoreRequest:
            return True
        return False

    async def scenario():
        return [await refused("https://news.example/a.html"), await refused("https://news.example/b.html"),
                await refused("https://news.example/private/c.html")]

    outcome = asyncio.run(scenario())
    if asked_again:  # read the second time: its rules apply from then on
        assert outcome == [True, False, True]
        assert fetched == ["https://news.example/robots.txt"] * 2
        assert stats.get_value("robotstxt/forbidden/unreachable") == 1
    else:  # still within its recheck time: the whole host stays refused, robots.txt not asked again
        assert outcome == [True, True, True]
        assert fetched == ["https://news.example/robots.txt"]
        assert stats.get_value("robotstxt/forbidden/unreachable") == 3
    assert stats.get_value("robotstxt/unreachable/http_503") == 1
