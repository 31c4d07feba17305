"""The replay middleware and the offline download handler on their own, in this process."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from test_replay_archive import PAGE, capture

from archive.store import Archive
from crawler.addon import WirecopyAddon
from crawler.capture import CAPTURE_META
from crawler.replay import (NETWORK_SCHEMES, OFFLINE_HANDLER, NetworkDisabled, OfflineDownloadHandler,
                            ReplayMiddleware, ReplayMiss, network_handlers)


def test_scrapy_settings_alone_switch_the_network_off(tmp_path):
    settings = Settings({"REPLAY_ARCHIVE": str(tmp_path)})
    assert network_handlers(settings)  # live: http and https fetch
    WirecopyAddon().update_settings(settings)
    assert network_handlers(settings) == {}
    assert settings["ARCHIVE_DIR"] == str(tmp_path)
    crawler = get_crawler(settings_dict={"REPLAY_ARCHIVE": str(tmp_path)})
    handler = OfflineDownloadHandler.from_crawler(crawler)
    with pytest.raises(NetworkDisabled):
        asyncio.run(handler.download_request(Request("http://example.com/")))


def test_replay_refuses_to_run_with_the_network_on(tmp_path):
    with pytest.raises(NotConfigured):
        ReplayMiddleware.from_crawler(get_crawler(settings_dict={}))
    (tmp_path / "catalog.sqlite").touch()
    with pytest.raises(ValueError, match="network off"):
        ReplayMiddleware.from_crawler(get_crawler(settings_dict={"REPLAY_ARCHIVE": str(tmp_path)}))


def test_the_middleware_answers_with_the_archived_response(tmp_path):
    root = tmp_path / "archive"
    archive = Archive(root)
    capture(archive, "https://example.com/a", "2024-01-01T00:00:00.000000Z", body=b"last year")
    ref = capture(archive, "https://example.com/a", "2025-03-01T00:00:00.000000Z",
                  headers=[("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
    archive.close()
    crawler = get_crawler(settings_dict={
        "REPLAY_ARCHIVE": str(root), "ARCHIVE_DIR": str(root),
        "DOWNLOAD_HANDLERS": {scheme: OFFLINE_HANDLER for scheme in NETWORK_SCHEMES}})
    middleware = ReplayMiddleware.from_crawler(crawler)

    request = Request("http://www.example.com/a")
    response = middleware.process_request(request)
    assert isinstance(response, HtmlResponse) and response.url == request.url
    assert (response.status, response.body, response.flags) == (200, PAGE, ["replay"])
    assert response.headers.getlist("Set-Cookie") == [b"a=1", b"b=2"]
    assert request.meta[CAPTURE_META].record_id == ref.record_id
    assert middleware.process_request(Request("http://example.com/a", method="HEAD")).body == b""
    assert middleware.process_request(Request("http://example.com/a", meta={"replay_at": "2024"})).body \
        == b"last year"
    for miss in (Request("http://example.com/a", method="POST"), Request("http://example.com/b")):
        with pytest.raises(ReplayMiss):
            middleware.process_request(miss)
    stats = crawler.stats.get_stats()
    assert (stats["replay/hit"], stats["replay/miss"], stats["replay/miss/method"]) == (3, 2, 1)
