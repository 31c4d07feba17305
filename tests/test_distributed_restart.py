"""Crawl workers across a restart of their PostgreSQL server (a private one, started for the
test from the installed server binaries, so the machine's server is never touched): the
server is stopped at a record count mid-crawl, the workers' connections find it gone, and it comes back;
the workers wait for it and go on, and no record is left without its catalog row nor any row
without its record."""

from __future__ import annotations

import signal
import subprocess

import pytest

from local_web import LocalWeb, check_archive, open_file_holding, start_worker, stop_all, until, units_left

pytestmark = pytest.mark.slow

SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0.2", "RANDOMIZE_DOWNLOAD_DELAY=False",
            "EXTRACT_WORKERS=1", "CATALOG_CONNECT_TIMEOUT=2")
# what psycopg's pools (the queue's, the catalog's) log when they find the server gone
LOST = "error connecting in"


def test_workers_wait_out_a_postgresql_restart_and_lose_nothing(tmp_path, private_postgres):
    from crawler.distributed.queue import defer_units
    from crawler.distributed.units import CrawlUnit

    web = LocalWeb(hosts=3).start()
    url = private_postgres.url
    archive = tmp_path / "shared"
    names = ["w1", "w2"]
    logs = [tmp_path / f"{name}.log" for name in names]
    since = "2000-01-01T00:00:00+00:00"
    workers: list[subprocess.Popen] = []
    try:
        defer_units(url, [CrawlUnit(job="news", site=s.base_url, seeds=(s.url("/"),), since=since, depth=1)
                          for s in web.sites])
        # a long stall: the workers lose their heartbeats with the server, not their units
        workers = [start_worker(name, archive, url, log, SETTINGS, stalled_after=60) for name, log in zip(names, logs)]
        until(lambda: open_file_holding(archive, web.before_gate()), "the gated site's pages before its gate", logs)
        private_postgres.stop()
        until(lambda: all(LOST in log.read_text() for log in logs), "both workers losing their queue", logs)
        private_postgres.start()
        web.gated_site.gate.set()
        until(lambda: units_left(url) == 0, "the end of every unit", logs)
        for proc in workers:
            assert proc.poll() is None, "a worker exited when its database went away"
            proc.send_signal(signal.SIGTERM)
        for proc, log in zip(workers, logs):
            assert proc.wait(timeout=60) == 0, log.read_text()[-3000:]
    finally:
        stop_all(workers, web)

    counted = check_archive(archive, web.pages(), "news")
    assert counted["rows"] == counted["records"]
    requested = web.gated_site.requested()
    assert [path for path in requested if requested.count(path) > 1] == [], "a page fetched twice"
