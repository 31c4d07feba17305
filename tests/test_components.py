"""Scrapy components built from settings, without a crawl."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from crawler.addon import WirecopyAddon, user_agent
from crawler.capture import WarcCapture, header_pairs, request_target
from crawler.pipelines import ArticleExtractionPipeline
from spiders.news import NewsSpider, parse_seeds


def project_settings(**overrides) -> dict:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    return settings.copy_to_dict()


def test_addon_sets_an_identifiable_user_agent_unless_the_user_chose_one():
    settings = Settings({"CONTACT_URL": "https://newsroom.test/crawler"})
    WirecopyAddon().update_settings(settings)
    assert settings["USER_AGENT"] == user_agent("https://newsroom.test/crawler")
    assert "wirecopy/" in settings["USER_AGENT"] and "+https://newsroom.test/crawler" in settings["USER_AGENT"]
    assert settings.getdict("EXTENSIONS")["crawler.capture.WarcCapture"] == 100
    mine = Settings({"USER_AGENT": "my-bot/1.0"}, priority="cmdline")
    WirecopyAddon().update_settings(mine)
    assert mine["USER_AGENT"] == "my-bot/1.0"


def test_components_raise_not_configured_when_off(tmp_path):
    crawler = get_crawler(NewsSpider, {"WARC_ENABLED": False, "ARCHIVE_DIR": str(tmp_path)})
    with pytest.raises(NotConfigured):
        WarcCapture.from_crawler(crawler)
    crawler = get_crawler(NewsSpider, {"EXTRACT_ENABLED": False, "ARCHIVE_DIR": str(tmp_path)})
    with pytest.raises(NotConfigured):
        ArticleExtractionPipeline.from_crawler(crawler)


def test_oversized_body_is_truncated_not_dropped(tmp_path):
    crawler = get_crawler(NewsSpider, {"ARCHIVE_DIR": str(tmp_path), "DOWNLOAD_MAXSIZE": 10})
    capture = WarcCapture.from_crawler(crawler)
    request = Request("http://news.test/big")
    capture.request_reached_downloader(request, None)
    assert request.meta["download_maxsize"] == 0  # Scrapy itself must not cancel it
    capture.bytes_received(b"12345", request, None)
    with pytest.raises(StopDownload) as stop:
        capture.bytes_received(b"678901", request, None)
    assert stop.value.fail is False
    capture.archive.close()


def test_request_target_keeps_path_and_query():
    assert request_target("http://user:pw@news.test:8080/a/b?q=1&page=2#frag") == ("/a/b?q=1&page=2", "news.test:8080")
    assert request_target("https://news.test") == ("/", "news.test")


def test_header_pairs_keep_every_value():
    from scrapy.http import Headers
    headers = Headers({"Set-Cookie": ["a=1", "b=2"], "Content-Type": "text/html"})
    assert sorted(header_pairs(headers)) == [("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]


def test_seeds_parsing(tmp_path):
    seeds_file = tmp_path / "seeds.txt"
    seeds_file.write_text("# outlets\nhttps://a.test/\nhttps://b.test/rss  # feed\n\nhttps://a.test/\n")
    assert parse_seeds("https://c.test/,https://d.test/", str(seeds_file)) == [
        "https://c.test/", "https://d.test/", "https://a.test/", "https://b.test/rss"]
    with pytest.raises(ValueError):
        parse_seeds("ftp://x.test/ notaurl")


def test_spider_keeps_to_the_seeds_domains():
    spider = NewsSpider(seeds="https://www.a.test/ http://b.test:8080/feed", depth="1")
    assert spider.allowed_domains == ["a.test", "b.test"] and spider.depth == 1
    assert not hasattr(NewsSpider(seeds="https://a.test/", same_domain="false"), "allowed_domains")


def test_importing_the_crawler_installs_no_reactor():
    """Scrapy installs the asyncio reactor it is set up for; a module that imported
    ``twisted.internet.reactor`` would install the default one first."""
    import pkgutil
    import subprocess
    import sys

    import crawler
    from conftest import crawl_env

    modules = [f"crawler.{m.name}" for m in pkgutil.walk_packages(crawler.__path__) if m.name != "__main__"]
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "assert 'twisted.internet.reactor' not in sys.modules, 'a reactor was installed'\n"
            "from scrapy.crawler import CrawlerProcess\n"
            "CrawlerProcess({'TWISTED_REACTOR': 'twisted.internet.asyncioreactor.AsyncioSelectorReactor'})\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env=crawl_env())
    assert proc.returncode == 0, proc.stderr[-2000:]
