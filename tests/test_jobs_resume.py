"""Resume and faults: kill -9 mid-run then resume, records cataloged after a crash, JOBDIR
serialization, Retry-After, per-host back-off and hosts skipped."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from collections import Counter

import pytest

import sites
from conftest import crawl_env
from jobs_support import (first_file_uris, history_rows, jobs_cmd, kill_group, last_json, run_jobs,
                          scripted_server, wait_for, warc_records, write_jobs)

# --------------------------------------------------------------------------------------
# resume after kill -9
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kill_after_bytes", [15_000, 60_000])
def test_kill_9_mid_run_then_resume_archives_every_page_once(tmp_path, kill_after_bytes):
    count = 40
    with sites.serve(lambda base: sites.bulk_site_routes(base, count=count, delay=0.05)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.bulk]
seeds = ["{site.url('/')}"]
archive = "bulk"
concurrency = 2
""")
        archive = tmp_path / "bulk"
        with open(tmp_path / "killed.log", "wb") as log:
            proc = subprocess.Popen(jobs_cmd(jobs_file, "run", "bulk"), cwd=tmp_path, env=crawl_env(),
                                    stdout=log, stderr=log, start_new_session=True)
            try:
                def grown():
                    found = list((archive / "warc").glob("*.open")) if (archive / "warc").exists() else []
                    return found and found[0].stat().st_size >= kill_after_bytes
                wait_for(grown, "the WARC file to grow", proc)
            finally:
                kill_group(proc)
        assert proc.returncode == -signal.SIGKILL
        assert list((archive / "warc").glob("*.open"))
        fetched_before = Counter(site.requested())

        resumed = run_jobs(jobs_file, "run", "bulk", "--resume", "--json")
        assert resumed.returncode == 0, resumed.stderr[-4000:]
        result = last_json(resumed)
        fetched_after = Counter(site.requested()) - fetched_before
        every_path = set(site.requested())

    rows = history_rows(archive, "bulk")
    assert [r["status"] for r in rows] == ["killed", "ok"]
    assert rows[1]["resumed_run"] == rows[0]["id"] == result["resumed_run"]
    assert result["stats"]["resume/replayed"] > 0
    assert result["stats"].get("warc/recovered_files") == 1

    records = warc_records(archive)  # every file sealed and valid
    articles = {site.url(sites.bulk_article(n).path) for n in range(count)}
    expected = {site.url(path) for path in every_path}
    assert articles | {site.url("/robots.txt"), site.url("/")} <= expected
    responses = Counter(uri for kind, uri, _ in records if kind == "response")
    assert set(responses) == expected
    assert all(n == 1 for n in responses.values()), [u for u, n in responses.items() if n > 1]
    requests = Counter(uri for kind, uri, _ in records if kind == "request")
    assert requests == responses
    # each article's text once, referring to its one response
    conversions = Counter(uri.removeprefix("urn:text:") for kind, uri, _ in records if kind == "conversion")
    assert set(conversions) == articles and set(conversions.values()) == {1}
    # the metadata of each text; the other pages' metadata records give their page classes
    texts_of = {ref for kind, _, ref in records if kind == "conversion"}
    assert Counter(uri for kind, uri, ref in records if kind == "metadata" and ref in texts_of) == conversions
    assert {uri for kind, uri, ref in records if kind == "metadata" and ref not in texts_of} <= expected - articles
    # pages archived before the kill were not fetched again
    archived_first = first_file_uris(archive)
    assert len(archived_first) >= 3
    assert not [u for u in archived_first if fetched_after[u[len(site.base_url):]]]

    db = sqlite3.connect(archive / "catalog.sqlite")
    try:
        captured = Counter(u for (u,) in db.execute("SELECT url FROM captures"))
        article_rows = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        db.close()
    assert captured == responses and article_rows == len(articles)


def test_records_a_killed_run_wrote_but_never_cataloged_are_cataloged_on_resume(tmp_path):
    from archive.extract import Article
    from archive.store import Archive, ArchiveConfig
    from crawler.resume import _catalog_recovered, archived_captures
    from tests.test_warc_writer import capture_pair, fixed_factory

    crashed = Archive(tmp_path, ArchiveConfig(host="h", job="job-1"), factory=fixed_factory())
    first = crashed.write_capture(*capture_pair(crashed.factory))
    text = "The harbour reopened on Monday.\nFerries run again."
    crashed.write_article(first, Article(url=first.url, text=text, title="Reopened", extractor="test"))
    second = crashed.write_capture(*capture_pair(crashed.factory))
    # Killed after the records reached the WARC file, before the catalog committed them.
    crashed.catalog.db.execute("DELETE FROM articles")
    crashed.catalog.db.execute("DELETE FROM captures")
    crashed.catalog.commit()

    reopened = Archive(tmp_path, ArchiveConfig(host="h", job="job-1"), factory=fixed_factory())
    assert len(reopened.recovery.files) == 1
    assert _catalog_recovered(reopened, "job-1") == 2
    assert _catalog_recovered(reopened, "job-1") == 0  # idempotent
    (queue,) = archived_captures(reopened, "job-1", "0" * 14).values()
    assert [(c.ref.record_id, c.has_article) for c in queue] == [(first.record_id, True), (second.record_id, False)]
    assert queue[0].ref.location.offset == first.location.offset
    (article,) = list(reopened.catalog.articles())
    assert article["title"] == "Reopened" and article["text_length"] == len(text)
    assert article["text_hash"] == Article(url=first.url, text=text).text_hash
    reopened.close()


def test_spider_requests_survive_serialization_for_jobdir():
    """Requests round-trip through Request.to_dict (what JOBDIR's disk queue pickles)."""
    import pickle

    from scrapy.utils.request import request_from_dict
    from scrapy.utils.test import get_crawler

    from spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, seeds="https://example.com/ https://example.com/rss.xml")
    request = spider._follow("https://example.com/a.html", 1, wirecopy_via="sitemap", wirecopy_lastmod="2025-03-10")
    restored = request_from_dict(pickle.loads(pickle.dumps(request.to_dict(spider=spider))), spider=spider)
    assert restored.callback == spider.parse and restored.errback == spider.on_error
    assert restored.meta == request.meta and restored.url == request.url


# --------------------------------------------------------------------------------------
# transient errors: Retry-After, per-host back-off, hosts skipped
# --------------------------------------------------------------------------------------


def test_429_with_retry_after_is_retried_after_the_wait(tmp_path):
    limited = sites.bulk_article(2).path
    slow_down = sites.Route(b"<html><body>Too many requests</body></html>", status=429,
                            headers=[("Retry-After", "2")])
    site = scripted_server(lambda base: sites.bulk_site_routes(base, count=5, delay=0),
                           scripted={limited: [slow_down]})
    try:
        site.routes.scripted[limited].append(site.routes[limited])
        jobs_file = write_jobs(tmp_path, f"""
[jobs.limited]
seeds = ["{site.url('/')}"]
archive = "limited"
""")
        proc = run_jobs(jobs_file, "run", "limited", "--json")
    finally:
        site.stop()
    assert proc.returncode == 0, proc.stderr[-4000:]
    stats = last_json(proc)["stats"]
    assert stats["retry/retry_after"] == 1 and stats["retry/count"] == 1
    first, second = site.routes.times[limited]
    assert second - first >= 2.0
    statuses = [s for (s,) in sqlite3.connect(tmp_path / "limited" / "catalog.sqlite").execute(
        "SELECT status FROM captures WHERE url = ? ORDER BY id", (site.url(limited),))]
    assert statuses == [429, 200]  # both answers archived, the article extracted from the second
    assert stats["warc/articles"] == 5


def test_failing_host_is_backed_off_then_skipped_and_reported(tmp_path, news_site):
    failing = scripted_server(lambda base: {}, always=sites.Route(b"<html>down</html>", status=503))
    try:
        failing_base = failing.base_url.replace("127.0.0.1", "localhost")
        seeds = [news_site.url("/")] + [f"{failing_base}/section/{n}/" for n in range(6)]
        jobs_file = write_jobs(tmp_path, f"""
[jobs.mixed]
seeds = {json.dumps(seeds)}
archive = "mixed"
obey_robots = false
concurrency = 1

[jobs.mixed.settings]
RETRY_HOST_MAX_FAILURES = 3
RETRY_BACKOFF_BASE = 0.2
""")
        proc = run_jobs(jobs_file, "run", "mixed", "--json")
    finally:
        failing.stop()
    assert proc.returncode == 1, proc.stderr[-4000:]  # partial
    result = last_json(proc)
    host = failing_base.split("//", 1)[1]
    assert result["status"] == "partial" and result["skipped_hosts"] == [host]
    stats = result["stats"]
    assert stats["retry/host_skipped"] == 1
    # each seed of the failing host failed once for good: given up on, or skipped
    assert stats.get("fetch/failed/HostSkipped", 0) + stats.get("fetch/http_error/503", 0) == 6
    assert result["errors"] >= 6
    assert stats["retry/max_backoff"] >= 0.2
    asked = sum(len(t) for t in failing.routes.times.values())
    assert asked == 3  # the failures that got it skipped: nothing queued for it went out after
    assert stats["retry/skipped_requests"] >= 1
    times = sorted(t for ts in failing.routes.times.values() for t in ts)
    # after each failure the host was made to wait at least the first back-off (less a
    # little for the server's own clock)
    assert all(b - a >= 0.2 * 0.9 for a, b in zip(times, times[1:])), times
    assert result["pages"] > 10 and stats["extract/ok"] > 0  # the healthy host was crawled
    assert "hosts skipped" not in proc.stdout  # --json: figures only
    text = run_jobs(jobs_file, "status")
    assert "partial (1)" in text.stdout
    assert history_rows(tmp_path / "mixed", "mixed")[0]["skipped_hosts"] == json.dumps([host])


def test_retry_after_values():
    from datetime import datetime, timezone

    from crawler.retry import retry_after_seconds

    now = datetime(2025, 3, 10, 9, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"120", now) == 120.0
    assert retry_after_seconds("Mon, 10 Mar 2025 09:01:30 GMT", now) == 90.0
    assert retry_after_seconds("Mon, 10 Mar 2025 08:00:00 GMT", now) == 0.0  # already past
    assert retry_after_seconds(b"soon", now) is None and retry_after_seconds(None, now) is None
