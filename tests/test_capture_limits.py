"""The capture extension lifts Scrapy's download limit for one download only: the decoding limit
HttpCompressionMiddleware reads from the same meta key is back before any middleware runs."""

from __future__ import annotations

import gzip

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.capture import WarcCapture
from crawler.decompression import BoundedHttpCompressionMiddleware
from spiders.news import NewsSpider


@pytest.fixture
def crawler(tmp_path):
    return get_crawler(NewsSpider, {"ARCHIVE_DIR": str(tmp_path), "DOWNLOAD_MAXSIZE": 1000})


def test_the_decoding_limit_is_back_once_the_body_is_downloaded(crawler):
    capture = WarcCapture.from_crawler(crawler)
    request = Request("http://news.test/bomb")
    capture.request_reached_downloader(request, None)
    assert request.meta["download_maxsize"] == 0  # the download handler does not cancel
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    capture.response_downloaded(response, request, None)
    assert request.meta["download_maxsize"] == 1000
    capture.archive.close()


def test_a_retried_request_keeps_its_original_limit(crawler):
    capture = WarcCapture.from_crawler(crawler)
    request = Request("http://news.test/slow", meta={"download_maxsize": 500})
    capture.request_reached_downloader(request, None)
    retry = request.replace()  # what RetryMiddleware sends after a failed download: the meta copied
    capture.request_reached_downloader(retry, None)
    assert retry.meta["download_maxsize"] == 0
    capture.response_downloaded(HtmlResponse(retry.url, body=b"", request=retry), retry, None)
    assert retry.meta["download_maxsize"] == 500
    capture.archive.close()


def test_a_body_inflating_past_the_limit_is_dropped_and_counted(crawler):
    middleware = BoundedHttpCompressionMiddleware.from_crawler(crawler)
    request = Request("http://news.test/bomb", meta={"download_maxsize": 1000})
    body = gzip.compress(b" " * 100_000)
    response = HtmlResponse(request.url, body=body, headers={"Content-Encoding": "gzip"}, request=request)
    with pytest.raises(IgnoreRequest, match="exceeded DOWNLOAD_MAXSIZE"):
        middleware.process_response(request, response)
    assert crawler.stats.get_value("httpcompression/max_size_exceeded") == 1
    small = HtmlResponse(request.url, body=gzip.compress(b"<p>ok</p>"), headers={"Content-Encoding": "gzip"},
                         request=request)
    assert middleware.process_response(request, small).body == b"<p>ok</p>"
    assert crawler.stats.get_value("httpcompression/max_size_exceeded") == 1


def test_replay_reads_an_archived_payload_up_to_its_limit(tmp_path):
    from archive.replay import ArchiveReplay
    from archive.store import Archive

    root = tmp_path / "archive"
    archive = Archive(root)
    body = b"<html>" + b"x" * 5000
    f = archive.factory
    date = "2025-03-04T10:00:00.000000Z"
    response = f.response("http://example.com/big", date, "HTTP/1.1", 200, "OK",
                          [("Content-Type", "text/html"), ("Content-Length", str(len(body)))], body)
    request = f.request("http://example.com/big", date, "GET", "/big", [("Host", "example.com")],
                        concurrent_to=response.rec_headers.get_header("WARC-Record-ID"))
    archive.write_capture(request, response)
    archive.close()
    with ArchiveReplay(root, max_body=1000) as replay:
        cut = replay.get("http://example.com/big")
    assert cut.truncated and cut.body == body[:1000] and cut.header("Content-Length") == "1000"
    with ArchiveReplay(root) as replay:
        whole = replay.get("http://example.com/big")
    assert not whole.truncated and whole.body == body
