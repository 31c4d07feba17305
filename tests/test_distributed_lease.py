"""A worker alive but frozen (SIGSTOP) loses its unit to another worker: its unit's crawl, which
the frozen worker cannot tell, stops itself once the worker's heartbeat is late, before the
unit can be taken over, so no site is ever crawled by two workers at once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import CRAWL_TIMEOUT
from local_web import (LocalWeb, check_archive, hold_a_unit_at_the_gate, readable_responses, start_worker, stop_all,
                       until, units_left, workers_status, writer_gone)

pytestmark = pytest.mark.slow


def unit_counts(archive, url, name: str) -> dict[str, int]:
    stats = {w["name"]: w["stats"] for w in workers_status(archive, url)["queue"]["stats"]}
    return {key: value for key, value in stats.get(name, {}).items() if key.startswith("units/")}


@pytest.fixture
def two_workers(tmp_path):
    """The gated site alone, the shared archive, w1's and w2's logs, and the list of worker
    processes the test starts (all stopped at the end, whatever happened)."""
    web = LocalWeb(hosts=1).start()
    workers: list[subprocess.Popen] = []
    try:
        yield web, tmp_path / "shared", [tmp_path / "w1.log", tmp_path / "w2.log"], workers
    finally:
        stop_all(workers, web)


def sigterm_all(workers: list[subprocess.Popen], logs: list[Path]) -> None:
    for proc in workers:
        proc.send_signal(signal.SIGTERM)
    for proc, log in zip(workers, logs):
        assert proc.wait(timeout=CRAWL_TIMEOUT) == 0, log.read_text()[-3000:]


def test_a_frozen_workers_crawl_stops_itself_before_its_unit_is_taken_over(two_workers, queue_db):
    """w1 is frozen with SIGSTOP while its crawl waits at the gate: the crawl, not frozen, finds
    its worker's heartbeat late, stops gracefully (its WARC file sealed) with nobody telling it.
    w2, started after that, takes the unit over and finishes the site from the archive; w1,
    thawed, counts its unit as stopped and leaves the job to w2."""
    web, archive, logs, workers = two_workers
    site = web.gated_site
    workers.append(hold_a_unit_at_the_gate(queue_db, web, archive, logs[0]))
    workers[0].send_signal(signal.SIGSTOP)
    until(lambda: writer_gone(archive, "w1"), "the frozen worker's crawl stopping by itself", logs)
    assert not list((archive / "warc").glob("*.open")), "the crawl that stopped itself left its WARC file open"
    [sealed] = sorted((archive / "warc").glob("*-w1.warc.gz"))
    assert set(web.before_gate()) <= set(readable_responses(sealed))
    site.gate.set()
    workers.append(start_worker("w2", archive, queue_db, logs[1]))
    until(lambda: units_left(queue_db) == 0, "w2 taking the unit over and finishing it", logs)
    workers[0].send_signal(signal.SIGCONT)
    until(lambda: unit_counts(archive, queue_db, "w1").get("units/stopped") == 1,
          "the thawed worker counting its unit as stopped", logs)
    sigterm_all(workers, logs)
    w1, w2 = unit_counts(archive, queue_db, "w1"), unit_counts(archive, queue_db, "w2")

    assert (w1["units/stopped"], w1["units/finished"], w1["units/retried"]) == (1, 0, 0)
    assert (w2["units/finished"], w2["units/stopped"]) == (1, 0)
    assert "taken over by another worker" in logs[0].read_text(), "the thawed worker recorded the end of w2's job"
    assert web.interleaved() == {}, "two workers crawled one host at once"
    check_archive(archive, web.pages(), "news")
    requested = Counter(site.requested())
    for url in web.before_gate():
        assert requested[url.removeprefix(site.base_url)] == 1, f"{url} archived by w1 and fetched again"


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process under it, parents first."""
    tree, todo = [], [pid]
    while todo:
        parent = todo.pop(0)
        tree.append(parent)
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except OSError:  # the thread or the process has ended
                pass
    return tree


def test_a_crawl_frozen_whole_sends_nothing_once_it_thaws(two_workers, queue_db):
    """w1 and its crawl are frozen together (its lease watch too) while the crawl waits at the
    gate with the site's next requests queued in its downloader. w2 takes the unit over and
    finishes the site. Thawed, w1's crawl sends none of the requests it had queued: each is
    refused as it would leave, because the hold it last proved is too old, and the crawl stops."""
    web, archive, logs, workers = two_workers
    site = web.gated_site
    # one request at a time: the site's next request waits in the downloader slot
    workers.append(hold_a_unit_at_the_gate(queue_db, web, archive, logs[0],
                                           ("CONCURRENT_REQUESTS_PER_DOMAIN=1", "DOWNLOAD_DELAY=0.5")))
    frozen = process_tree(workers[0].pid)
    assert len(frozen) >= 2, "w1's crawl runs in a process of its own"
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    site.gate.set()
    workers.append(start_worker("w2", archive, queue_db, logs[1]))
    until(lambda: units_left(queue_db) == 0, "w2 taking the unit over and finishing it", logs)
    thawed = time.monotonic()
    for pid in reversed(frozen):
        os.kill(pid, signal.SIGCONT)
    until(lambda: unit_counts(archive, queue_db, "w1").get("units/stopped") == 1,
          "the thawed worker counting its unit as stopped", logs)
    sigterm_all(workers, logs)

    sent_after_thaw = [path for arrived, path, agent, *_ in site.arrivals if "(w1)" in agent and arrived > thawed]
    assert sent_after_thaw == [], "the thawed crawl sent requests beside the taker's crawl"
    assert "stopped with its worker" in logs[0].read_text(), "the thawed crawl did not stop for its lost hold"
    assert unit_counts(archive, queue_db, "w2")["units/finished"] == 1
