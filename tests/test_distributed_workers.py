"""Crawl workers on a real PostgreSQL queue and catalog: of three workers crawling ten hosts, one
killed with ``kill -9`` in the middle of a site loses nothing; another worker takes the unit
over, seals the dead worker's open WARC file and resumes from the archive."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
import sites
from conftest import CRAWL_TIMEOUT, FAST_SETTINGS, crawl_env
from local_web import (LocalWeb, check_archive, hold_a_unit_at_the_gate, open_file_holding, readable_responses,
                       start_worker, stop_all, until, units_left, workers_status, writer_gone)

pytestmark = pytest.mark.slow

DELAY = 0.4  # DOWNLOAD_DELAY of every crawl: the politeness the sites must see
# a request may arrive early (Scrapy spaces requests as it sends them, and a loaded machine
# delays some sends more than others), but in no stretch of time more than one and a bit: two crawls of
# one host at once put about half of their requests early
EARLY_REQUESTS = 1.5
POLITE_SETTINGS = ("AUTOTHROTTLE_ENABLED=False", f"DOWNLOAD_DELAY={DELAY}", "RANDOMIZE_DOWNLOAD_DELAY=False",
                   "EXTRACT_WORKERS=1")


def story_index(archive) -> tuple[int, list[tuple]]:
    """The story index: articles tracked, and each story's id, origin and members."""
    from archive.stories.service import open_tracker

    tracker = open_tracker(archive, with_encoder=False)
    try:
        stories = sorted((s.story_id, s.origin.url, tuple(sorted(m.doc.url for m in s.members)))
                         for s in tracker.stories(min_size=1))
        return tracker.store.doc_count(), stories
    finally:
        tracker.close()


def test_three_workers_one_killed_at_a_record_count_lose_nothing(tmp_path, queue_db):
    """Three workers crawl ten hosts; the one holding the gated site is killed with SIGKILL once
    its open WARC file holds the site's pages before the gate. Another takes its unit over, seals
    its file and resumes from the archive: every page is archived once, no host is crawled by
    two workers at once nor gets requests faster than its delay allows, every record has its
    catalog row and every row its record,
    and the one story index the workers fed equals a rebuild of the same WARC files."""
    from archive.lock import file_writer
    from crawler.distributed.queue import defer_units
    from crawler.distributed.units import CrawlUnit

    web = LocalWeb().start()
    archive = tmp_path / "shared"
    names = ["w1", "w2", "w3"]
    logs = [tmp_path / f"{name}.log" for name in names]
    since = "2000-01-01T00:00:00+00:00"
    units = [CrawlUnit(job="news", site=site.base_url, seeds=(site.url("/"),), since=since, depth=1)
             for site in web.sites]  # the gated site's first: a worker takes it at once
    workers: dict[str, subprocess.Popen] = {}
    try:
        defer_units(queue_db, units)
        for name, log in zip(names, logs):
            workers[name] = start_worker(name, archive, queue_db, log, POLITE_SETTINGS)
        held = until(lambda: open_file_holding(archive, web.before_gate()),
                     "the gated site's pages before its gate in an open WARC file", logs)
        victim = file_writer(archive, held.name)
        assert victim in workers, f"{held.name} is not a worker's file"
        os.kill(workers[victim].pid, signal.SIGKILL)
        workers[victim].wait(timeout=30)
        until(lambda: writer_gone(archive, victim), f"the end of {victim}'s crawl", logs)
        status = workers_status(archive, queue_db)
        assert [(w["alive"], w["open_files"]) for w in status["writers"] if w["name"] == victim] == \
            [(False, [held.name])]
        web.gated_site.gate.set()
        until(lambda: units_left(queue_db) == 0, "the end of every unit", logs)
        for name, proc in workers.items():
            if name != victim:
                proc.send_signal(signal.SIGTERM)
        for name, proc in workers.items():
            if name != victim:
                assert proc.wait(timeout=60) == 0, (tmp_path / f"{name}.log").read_text()[-3000:]
    finally:
        stop_all(workers.values(), web)

    counted = check_archive(archive, web.pages(), "news")
    sealed = archive / "warc" / held.name.removesuffix(".open")
    assert sealed.exists(), "the file the dead worker left open is sealed under its own name"
    assert set(web.before_gate()) <= set(readable_responses(sealed))
    requested = Counter(web.gated_site.requested())
    for url in web.before_gate():
        path = url.removeprefix(web.gated_site.base_url)
        assert requested[path] == 1, f"{path} was archived by {victim} and fetched again"
    # one story index from every worker's articles, equal to a rebuild of the same files
    tracked = story_index(archive)
    assert tracked[0] == counted["extractions"], "every archived article is tracked"
    hosts = max(len({url.split("/")[2] for url in members}) for _id, _origin, members in tracked[1])
    assert hosts == len(web.sites), "a story's copies come from every host, archived by several workers"
    rebuild = subprocess.run([sys.executable, "-m", "crawler.cli", "stories", "rebuild", "--archive", str(archive)],
                             capture_output=True, text=True, env=crawl_env(), timeout=CRAWL_TIMEOUT)
    assert rebuild.returncode == 0, rebuild.stderr[-3000:]
    assert story_index(archive) == tracked, "the workers' story index differs from a rebuild"
    gaps, early, sent = web.shortest_gaps(), web.early_requests(DELAY), web.shortest_send_gaps()
    print(f"\nkilled {victim}; {counted}; shortest gap between two requests to one host"
          f" {min(gaps.values()):.3f} s arriving, {min(sent.values()):.3f} s leaving one crawl, median host's"
          f" {sorted(gaps.values())[len(gaps) // 2]:.3f} s arriving (DOWNLOAD_DELAY {DELAY} s);"
          f" most requests early on one host {max(early.values()):.2f}; closest arrivals {web.closest_arrivals()}")
    # the sites tell the workers apart (User-Agent): one worker's requests to a host, then the next's
    assert web.interleaved() == {}, "two workers crawled one host at once"
    many = {host: round(count, 2) for host, count in early.items() if count > EARLY_REQUESTS}
    assert many == {}, f"hosts fetched faster than DOWNLOAD_DELAY = {DELAY} allows"


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


def test_sigterm_stops_a_workers_unit_gracefully_and_queues_it_again(tmp_path, queue_db):
    """SIGTERM to a worker mid-site reaches its unit's crawl: the crawl stops, its WARC file is
    sealed, the unit goes back to the queue at once, and the next worker finishes the site
    without fetching again what the first archived."""
    web = LocalWeb(hosts=1).start()
    site = web.gated_site
    archive = tmp_path / "shared"
    logs = [tmp_path / "w1.log", tmp_path / "w2.log"]
    workers: list[subprocess.Popen] = []
    try:
        workers.append(hold_a_unit_at_the_gate(queue_db, web, archive, logs[0]))
        workers[0].send_signal(signal.SIGTERM)
        assert workers[0].wait(timeout=CRAWL_TIMEOUT) == 0, logs[0].read_text()[-3000:]
        assert not list((archive / "warc").glob("*.open")), "the stopped crawl left its WARC file open"
        sealed = sorted((archive / "warc").glob("*-w1.warc.gz"))
        assert len(sealed) == 1 and set(web.before_gate()) <= set(readable_responses(sealed[0]))
        status = workers_status(archive, queue_db)
        assert (status["queue"]["waiting"], status["queue"]["failed"], status["queue"]["units"]) == (1, 0, [])
        [w1] = status["queue"]["stats"]
        assert (w1["name"], w1["stats"]["units/stopped"], w1["stats"]["units/finished"]) == ("w1", 1, 0)
        site.gate.set()
        workers.append(start_worker("w2", archive, queue_db, logs[1]))
        until(lambda: units_left(queue_db) == 0, "the end of the unit", logs)
        workers[1].send_signal(signal.SIGTERM)
        assert workers[1].wait(timeout=60) == 0, logs[1].read_text()[-3000:]
    finally:
        stop_all(workers, web)
    check_archive(archive, web.pages(), "news")
    requested = Counter(site.requested())
    for url in web.before_gate():
        assert requested[url.removeprefix(site.base_url)] == 1, f"{url} fetched again"
