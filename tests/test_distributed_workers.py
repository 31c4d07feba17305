"""Crawl workers on a real PostgreSQL queue and catalog: a worker killed with ``kill -9`` in the
middle of a site loses nothing; another worker takes the unit over, seals the dead worker's
open WARC file and resumes from the archive."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator

import sites
from conftest import CRAWL_TIMEOUT, FAST_SETTINGS, crawl_env
from gated_site import ARTICLES, article_paths

pytestmark = pytest.mark.slow

STALLED_AFTER = 2.0


def start_worker(name: str, archive: Path, url: str, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "crawler.cli", "worker", "--archive", str(archive), "--name", name,
           "--heartbeat", "0.5", "--stalled-after", str(STALLED_AFTER), "-s", f"CATALOG_URL={url}"]
    for setting in FAST_SETTINGS:
        cmd += ["-s", setting]
    return subprocess.Popen(cmd, cwd=archive.parent, env=crawl_env(), stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT)


def until(condition, what: str, logs: list[Path], timeout: float = CRAWL_TIMEOUT) -> None:
    """Wait for ``condition`` (a state the test cannot be told of), failing with the logs."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} never happened:\n" + "\n".join(p.read_text()[-3000:] for p in logs))
        time.sleep(0.05)


def units_left(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
                            ).fetchone()[0]


def workers_status(archive: Path, url: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "workers", "status", "--catalog-url", url,
                           "--archive", str(archive), "--json"], capture_output=True, text=True,
                          env=crawl_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def writer_gone(archive: Path, name: str) -> bool:
    from archive.lock import claimed_writer

    with claimed_writer(archive, name) as claimed:
        return claimed


def responses(archive: Path) -> Counter:
    found: Counter = Counter()
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    found[record.rec_headers.get_header("WARC-Target-URI")] += 1
    return found


def test_a_worker_killed_mid_site_is_taken_over_and_nothing_is_lost(tmp_path, gated_site, queue_db):
    from archive.catalog import open_catalog
    from crawler.distributed.queue import defer_units
    from crawler.distributed.units import CrawlUnit

    other = sites.SiteServer()
    other.routes.update(sites.bulk_site_routes(other.base_url, count=4, delay=0))
    other.start()
    archive = tmp_path / "shared"
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    since = "2000-01-01T00:00:00+00:00"
    gated = CrawlUnit(job="news", site=gated_site.base_url, seeds=(gated_site.url("/"),), since=since, depth=1)
    plain = CrawlUnit(job="news", site=other.base_url, seeds=(other.url("/"),), since=since, depth=1)
    workers: list[subprocess.Popen] = []
    try:
        defer_units(queue_db, [gated])
        workers.append(start_worker("w1", archive, queue_db, logs[0]))
        if not gated_site.reached.wait(timeout=CRAWL_TIMEOUT):
            pytest.fail("worker w1 never reached the gate:\n" + logs[0].read_text()[-3000:])
        until(lambda: any((archive / "warc").glob("*-w1.warc.gz.open")), "w1's open WARC file", logs)
        defer_units(queue_db, [plain])
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=30)
        # its crawl dies with it (PR_SET_PDEATHSIG): then nobody holds w1's writer lock
        until(lambda: writer_gone(archive, "w1"), "the end of w1's crawl", logs)
        assert len(list((archive / "warc").glob("*-w1.warc.gz.open"))) == 1
        status = workers_status(archive, queue_db)
        assert [(u["site"], u["job"]) for u in status["queue"]["units"]] == [(gated_site.base_url, "news")]
        assert status["queue"]["waiting"] == 1
        assert [(w["name"], w["alive"], len(w["open_files"])) for w in status["writers"]] == [("w1", False, 1)]
        gated_site.gate.set()
        workers.append(start_worker("w2", archive, queue_db, logs[1]))
        until(lambda: units_left(queue_db) == 0, "the end of both units", logs)
        workers[1].send_signal(signal.SIGTERM)
        assert workers[1].wait(timeout=60) == 0, logs[1].read_text()[-3000:]
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        other.stop()

    warcs = archive / "warc"
    assert not list(warcs.glob("*.open")), "a WARC file is left open"
    w1_files = sorted(p.name for p in warcs.glob("*-w1.warc.gz"))
    assert len(w1_files) == 1, "w2 seals the file w1 left open"
    assert list(warcs.glob("*-w2.warc.gz"))
    found = responses(archive)
    for path in warcs.glob("*.warc.gz"):  # every file, the sealed one too, reads with FastWARC
        with open(path, "rb") as fh:
            fast = [r for r in FastArchiveIterator(fh, parse_http=False) if r.verify_block_digest()]
        with open(path, "rb") as fh:
            assert len(fast) == sum(1 for _ in ArchiveIterator(fh)), f"{path.name}: a record fails its digest"
    pages = ([gated_site.url("/")] + [gated_site.url(p) for p in article_paths()]
             + [other.url("/")] + [other.url(sites.bulk_article(n).path) for n in range(4)])
    assert {url: found[url] for url in pages} == {url: 1 for url in pages}, "every page archived once"
    # what w1 archived was answered from the archive, not fetched again
    with open(warcs / w1_files[0], "rb") as fh:
        by_w1 = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                 if r.rec_type == "response"]
    assert gated_site.url("/") in by_w1
    requested = Counter(gated_site.requested())
    for url in by_w1:
        path = url.removeprefix(gated_site.base_url)
        assert requested[path] == 1, f"{path} was archived by w1 and fetched again"
    assert len(article_paths()) == ARTICLES
    catalog = open_catalog(archive, readonly=True)
    try:
        rows = list(catalog.captures_of_job("news", "0" * 14))
    finally:
        catalog.close()
    cataloged = Counter(row["url"] for row in rows)
    assert {url: cataloged[url] for url in pages} == {url: 1 for url in pages}, "every page cataloged once"
    assert sum(found.values()) == len(rows), "every archived response has its catalog row"


def test_a_unit_keeps_to_its_site_even_on_the_same_host(tmp_path):
    """Two sites on 127.0.0.1 (two ports): the spider's domain scope allows both, a unit only
    its own, so the other site stays with the worker that holds its lock."""
    ours, theirs = sites.SiteServer(), sites.SiteServer()
    ours.routes.update(sites.bulk_site_routes(ours.base_url, count=2, delay=0))
    theirs.routes.update(sites.bulk_site_routes(theirs.base_url, count=2, delay=0))
    home = ours.routes["/"]
    ours.routes["/"] = sites.Route(home.body.replace(b"</ul>", f'<li><a href="{theirs.url("/")}">theirs</a></li></ul>'
                                                     .encode()), home.content_type)
    ours.start()
    theirs.start()
    unit = {"job": "news", "site": ours.base_url, "seeds": [ours.url("/")], "since": "2000-01-01T00:00:00",
            "depth": 1, "max_pages": None, "settings": []}
    request = {"unit": unit, "archive": str(tmp_path / "archive"), "writer": "w1",
               "settings": [s.split("=", 1) for s in FAST_SETTINGS]}
    try:
        proc = subprocess.run([sys.executable, "-m", "crawler.distributed.unit"], input=json.dumps(request),
                              capture_output=True, text=True, cwd=tmp_path, env=crawl_env(), timeout=CRAWL_TIMEOUT)
    finally:
        ours.stop()
        theirs.stop()
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert all(name.endswith("-w1.warc.gz") for name in summary["warc_files"])
    assert [p for p in theirs.requested() if p != "/robots.txt"] == []
    assert {"/"} | {sites.bulk_article(n).path for n in range(2)} <= set(ours.requested())
