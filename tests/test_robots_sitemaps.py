"""Sitemaps announced by the ``Sitemap:`` lines of a seed host's robots.txt are fetched,
followed (news sitemaps first) within the crawl's scope, and archived."""

from __future__ import annotations

import sqlite3
import urllib.request
from pathlib import Path

import pytest

import sites
from archive.demo import DemoWeb
from archive.discover import robots_sitemaps
from archive.warc import iter_records
from conftest import run_crawl

NO_STORIES = ("STORIES_ENABLED=False",)


def test_robots_sitemaps_are_read_news_first_once_each():
    body = (b"User-agent: *\nDisallow: /private/\n\n"
            b"Sitemap: https://a.example/sitemap_index.xml\n"
            b"sitemap:https://a.example/news/sitemap.xml # comment\n"
            b"SITEMAP: https://a.example/sitemap_index.xml\n")
    assert robots_sitemaps(body) == ["https://a.example/news/sitemap.xml", "https://a.example/sitemap_index.xml"]
    assert robots_sitemaps(b"User-agent: *\nDisallow:\n") == []


def responses(archive: Path) -> list[tuple[str, str]]:
    """(WARC-Date, URL) of every response record, oldest first."""
    found = []
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        for record in iter_records(path, types=("response",)):
            found.append((record.header("WARC-Date"), record.header("WARC-Target-URI")))
    return sorted(found)


def archived_articles(archive: Path) -> set[str]:
    db = sqlite3.connect(archive / "catalog.sqlite")
    try:
        return {url for (url,) in db.execute("SELECT url FROM articles")}
    finally:
        db.close()


@pytest.mark.slow
def test_demo_crawl_finds_each_outlets_sitemap_from_its_home_page_alone(tmp_path):
    archive = tmp_path / "demo-archive"
    with DemoWeb() as web:
        homes = [outlet.base_url + "/" for outlet in web.outlets]
        # one request at a time (the outlets share one host, 127.0.0.1, so also one download
        # slot, whose queue is first in, first out): the archive's order is the scheduler's
        result = run_crawl(homes, archive, depth=1,
                           settings=NO_STORIES + ("CONCURRENT_REQUESTS_PER_DOMAIN=1", "CONCURRENT_REQUESTS=1"))
        assert result.returncode == 0, result.stderr[-4000:]
        fetched = responses(archive)
        urls = [url for _, url in fetched]
        announced_total = 0
        for outlet in web.outlets:
            announced = robots_sitemaps(urllib_get(outlet.base_url + "/robots.txt"))
            assert announced, f"{outlet.slug} announces no sitemap"
            announced_total += len(announced)
            for sitemap in announced:
                assert sitemap in urls, (outlet.slug, sitemap, "archived")
        ledger = next(o for o in web.outlets if o.slug == "ledger")
        assert urls.index(ledger.base_url + "/news-sitemap.xml") < urls.index(ledger.base_url + "/sitemap_index.xml")
        assert archived_articles(archive) == {a.url for a in web.articles}
    assert result.stats["discover/robots_sitemaps"] == announced_total


def urllib_get(url: str) -> bytes:
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=10) as response:
        return response.read()


def _scoped_site(base: str) -> dict[str, sites.Route]:
    other = base.replace("127.0.0.1", "localhost")  # the same server under a name outside the crawl
    article = sites.BY_PATH[sites.ARTICLES[0].path]
    return {
        "/robots.txt": sites.Route(
            f"User-agent: *\nDisallow: /private/\nSitemap: {other}/elsewhere.xml\nSitemap: {base}/s.xml\n".encode(),
            "text/plain"),
        "/": sites.Route(b"<html><head><title>Home</title></head><body><p>Home</p></body></html>"),
        "/s.xml": sites.Route(
            (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<url><loc>{base}{article.path}</loc></url></urlset>").encode(), "application/xml"),
        "/elsewhere.xml": sites.Route(b"<urlset/>", "application/xml"),
        article.path: sites.news_site_routes(base)[article.path],
    }


@pytest.mark.slow
def test_only_sitemaps_within_the_crawls_domains_are_followed(tmp_path):
    server = sites.serve(_scoped_site)
    try:
        result = run_crawl([server.url("/")], tmp_path / "a", depth=1, settings=NO_STORIES)
        requested = server.requested()
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-4000:]
    assert "/s.xml" in requested and sites.ARTICLES[0].path in requested
    assert "/elsewhere.xml" not in requested
    assert requested.count("/robots.txt") == 1
    assert result.stats["discover/robots_sitemaps"] == 1
    assert result.stats["discover/robots_sitemaps/out_of_scope"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("depth, obey, expected", [(0, True, ["/robots.txt", "/"]), (1, False, ["/"])])
def test_without_depth_or_robots_the_seeds_alone_are_fetched(tmp_path, depth, obey, expected):
    server = sites.serve(_scoped_site)
    try:
        result = run_crawl([server.url("/")], tmp_path / "a", depth=depth,
                           settings=NO_STORIES + (f"ROBOTSTXT_OBEY={obey}",))
        requested = server.requested()
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-4000:]
    assert requested == expected
    assert "discover/robots_sitemaps" not in result.stats
