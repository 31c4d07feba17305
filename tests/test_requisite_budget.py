"""REQUISITES_MAX_PAGE_SIZE: a page's requisites stop at a byte budget of its own.

The site: a home page and an article sharing a 30 kB stylesheet (with a 10 kB font), the
article with two 45 kB images, and a heavy page with five 40 kB images. Budget 100 kB per
page, one request at a time so which requisite passes the budget is fixed: the heavy page
gets two images whole, the third cut, the last two never requested; the article gets all of
its images because the shared stylesheet counts for the home page that asked for it first."""

from __future__ import annotations

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

import sites
from archive.warc import iter_records
from conftest import run_crawl
from crawler.requisite_budget import RequisitePageBudget

PROSE = " ".join(["The harbour authority said the new ferry timetable would add two crossings a day."] * 12)
BUDGET = 100_000


def body(size: int, fill: bytes) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + fill * (size - 8)


def routes(base: str) -> dict[str, sites.Route]:
    css = b"@font-face { font-family: S; src: url(/f/serif.woff2) }\n"
    css += b"/*" + b"x" * (30_000 - len(css) - 4) + b"*/"
    home = ('<!DOCTYPE html><html><head><title>Home</title><link rel="stylesheet" href="/shared.css">'
            '</head><body><a href="/a.html">Ferries</a> <a href="/heavy.html">Gallery</a></body></html>')
    article = ('<!DOCTYPE html><html><head><title>Ferries</title><link rel="stylesheet" href="/shared.css">'
               '</head><body><article><h1>Ferries</h1><img src="/a/1.png"><img src="/a/2.png">'
               f'<p>{PROSE}</p></article></body></html>')
    heavy = ('<!DOCTYPE html><html><head><title>Gallery</title></head><body><h1>Gallery</h1>'
             + "".join(f'<img src="/h/{i}.png">' for i in range(5)) + f"<p>{PROSE}</p></body></html>")
    table = {
        "/robots.txt": sites.Route(b"User-agent: *\nAllow: /\n", "text/plain"),
        "/": sites.Route(home.encode()), "/a.html": sites.Route(article.encode()),
        "/heavy.html": sites.Route(heavy.encode()),
        "/shared.css": sites.Route(css, "text/css"),
        "/f/serif.woff2": sites.Route(b"wOF2" + b"\0" * 9_996, "font/woff2"),
        "/a/1.png": sites.Route(body(45_000, b"a"), "image/png"),
        "/a/2.png": sites.Route(body(45_000, b"b"), "image/png"),
    }
    table.update({f"/h/{i}.png": sites.Route(body(40_000, bytes([65 + i])), "image/png") for i in range(5)})
    return table


@pytest.mark.slow
def test_a_pages_requisites_stop_at_its_size_budget(tmp_path):
    site = sites.serve(routes)
    archive = tmp_path / "archive"
    try:
        result = run_crawl([site.url("/")], archive, depth=1, settings=(
            "STORIES_ENABLED=False", f"REQUISITES_MAX_PAGE_SIZE={BUDGET}", "CONCURRENT_REQUESTS=1",
            "LOG_LEVEL=INFO"))
        requested = site.requested()
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr[-4000:]

    records = {}
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        for record in iter_records(path, types=("response",)):
            records[record.header("WARC-Target-URI")] = record
    heavy = [site.url(f"/h/{i}.png") for i in range(5)]
    whole = [u for u in heavy if u in records and not records[u].header("WARC-Truncated")]
    cut = [u for u in heavy if u in records and records[u].header("WARC-Truncated") == "length"]
    assert len(whole) == 2 and len(cut) == 1, (whole, cut)
    never = [u for u in heavy if u not in records]
    assert len(never) == 2 and not [p for p in requested if site.url(p) in never]
    assert result.stats["requisites/over_page_size"] == 3
    assert "passed REQUISITES_MAX_PAGE_SIZE" in result.stderr and "Not fetching" in result.stderr
    # the shared stylesheet and its font count for the home page, so the article's images fit
    for path in ("/shared.css", "/f/serif.woff2", "/a/1.png", "/a/2.png"):
        record = records[site.url(path)]
        assert not record.header("WARC-Truncated"), path
    assert requested.count("/shared.css") == 1
    # the pages themselves are never held to it
    assert all(site.url(p) in records for p in ("/", "/a.html", "/heavy.html"))


def test_page_size_budget_settings():
    assert RequisitePageBudget.from_crawler(get_crawler(settings_dict={
        "REQUISITES_ENABLED": True, "REQUISITES_MAX_PAGE_SIZE": 1000})).cap == 1000
    with pytest.raises(NotConfigured):
        RequisitePageBudget.from_crawler(get_crawler(settings_dict={
            "REQUISITES_ENABLED": True, "REQUISITES_MAX_PAGE_SIZE": 0}))
    with pytest.raises(ValueError, match="REQUISITES_MAX_PAGE_SIZE must be 0"):
        RequisitePageBudget.from_crawler(get_crawler(settings_dict={
            "REQUISITES_ENABLED": True, "REQUISITES_MAX_PAGE_SIZE": -1}))
