"""A crawl told to stop, stops: requests held back by a host's back-off or queued behind its
raised download delay are not waited for; and a host that keeps asking for long waits cannot
stretch a run past its back-off budget."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

import sites
from conftest import CRAWL_TIMEOUT, crawl_command, crawl_env, run_crawl
from crawler.retry import HostBackoffRetryMiddleware

BUSY = sites.Route(b"<html><body>busy</body></html>", status=503, headers=[("Retry-After", "280")])
PAGES = 8
STOP_WITHIN = 20  # seconds; the Retry-After alone is 280
EXPECTED = PAGES + 3  # robots.txt, the home page, its section link and the pages


def busy_site_routes(base: str) -> dict[str, sites.Route]:
    """A site whose first page asks for a long wait; the others are articles."""
    routes = sites.bulk_site_routes(base, count=PAGES, delay=0)
    routes[sites.bulk_article(0).path] = BUSY
    return routes


@pytest.fixture
def busy_site():
    server = sites.serve(busy_site_routes)
    try:
        yield server
    finally:
        server.stop()


def captured_statuses(archive) -> list[int]:
    path = archive / "catalog.sqlite"
    if not path.exists():
        return []
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return [s for (s,) in db.execute("SELECT status FROM captures")]
        finally:
            db.close()
    except sqlite3.Error:
        return []


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_a_crawl_held_by_a_long_retry_after_stops_within_seconds(busy_site, tmp_path, stop_signal):
    archive = tmp_path / "archive"
    cmd = crawl_command([busy_site.url("/")], archive, depth=1, settings=("STORIES_ENABLED=False",))
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=crawl_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + CRAWL_TIMEOUT
        # every page but the busy one's retry fetched and archived: only that retry, held by
        # the host's back-off, keeps the crawl going
        while not (503 in captured_statuses(archive) and len(captured_statuses(archive)) == EXPECTED):
            assert proc.poll() is None, proc.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "the crawl never got to the back-off"
            time.sleep(0.05)  # observing the subprocess, not synchronising with it
        proc.send_signal(stop_signal)
        stdout, stderr = proc.communicate(timeout=STOP_WITHIN)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    summary = json.loads(stdout.splitlines()[-1])
    stats = summary["stats"]
    assert stats["finish_reason"] == "shutdown"
    assert stats["stop/backoff_released"] == 1
    assert not list(archive.rglob("*.open"))  # closed properly, not killed
    assert summary["lost"] == 0


@pytest.mark.slow
def test_a_host_asking_for_long_waits_is_not_waited_for_past_its_budget(busy_site, tmp_path):
    for n in range(1, 4):
        busy_site.routes[sites.bulk_article(n).path] = BUSY
    started = time.monotonic()
    result = run_crawl([busy_site.url("/")], tmp_path / "archive", depth=1,
                       settings=("STORIES_ENABLED=False", "RETRY_HOST_BACKOFF_BUDGET=1",
                                 "RETRY_AFTER_MAX=300"))
    elapsed = time.monotonic() - started
    assert elapsed < 60, elapsed  # each Retry-After alone is 280 s
    stats = result.stats
    assert stats["retry/backoff_budget_spent"] >= 4
    assert stats["extract/ok"] == PAGES - 4  # the host's good pages were still crawled
    assert result.summary["errors"] >= 4


def middleware(settings: dict) -> HostBackoffRetryMiddleware:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    mw = HostBackoffRetryMiddleware.from_crawler(crawler)
    mw._slot = lambda request: (None, None)  # no engine, so no download slots to space
    return mw


def test_back_off_stops_once_a_host_has_spent_its_budget():
    mw = middleware({"RETRY_HOST_BACKOFF_BUDGET": 100, "RETRY_HOST_MAX_FAILURES": 0})
    request = Request("http://a.example/x")
    assert mw._failed(request, 60.0)
    assert mw._failed(request, 30.0)
    assert not mw._failed(request, 20.0)  # 60 + 30 + 20 would pass the budget of 100
    assert not mw._failed(request, 1.0)
    assert mw._failed(Request("http://b.example/x"), 60.0)  # budgets are per host
    assert mw.stats.get_value("retry/backoff_budget_spent") == 2


def test_no_budget_means_back_off_without_limit():
    mw = middleware({"RETRY_HOST_BACKOFF_BUDGET": 0, "RETRY_HOST_MAX_FAILURES": 0})
    assert all(mw._failed(Request("http://a.example/x"), 299.0) for _ in range(5))


def test_a_host_out_of_budget_is_skipped_after_more_failures_even_between_good_answers():
    mw = middleware({"RETRY_HOST_BACKOFF_BUDGET": 10, "RETRY_HOST_MAX_FAILURES": 3})
    request = Request("http://a.example/x")
    good = HtmlResponse("http://a.example/y", status=200, body=b"<html></html>")
    assert mw._failed(request, 8.0)
    mw.response_downloaded(good, request)  # a good answer: failures in a row start again
    assert not mw._failed(request, 8.0)  # over budget: not retried (failure 1 of 3)
    mw.response_downloaded(good, request)
    assert not mw._failed(request, None)
    assert "a.example" not in mw.skipped
    mw.response_downloaded(good, request)
    assert not mw._failed(request, None)
    assert mw.skipped == ["a.example"]
