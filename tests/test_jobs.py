"""`wirecopy jobs run|status|daemon` against loopback test sites: exit codes, the lock, the
job history, schedules, catch-up of missed runs, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections import Counter

from warcio.archiveiterator import ArchiveIterator

import sites
from conftest import crawl_env
from jobs_support import (DEADLINE, first_file_uris, history_rows, jobs_cmd, last_json, run_jobs,
                          start_daemon, stop_daemon, wait_for, warc_records, write_jobs)

# --------------------------------------------------------------------------------------
# runs: exit codes, lock, status
# --------------------------------------------------------------------------------------


def test_run_success_and_status(news_site, tmp_path):
    jobs_file = write_jobs(tmp_path, f"""
[jobs.herald]
seeds = ["{news_site.url('/')}"]
every = "10m"
depth = 2
archive = "herald"
""")
    proc = run_jobs(jobs_file, "run", "herald", "--json")
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = last_json(proc)
    assert result["status"] == "ok" and result["errors"] == 0 and result["pages"] > 10
    assert result["new_articles"] == result["stats"]["warc/articles"] > 0
    rows = history_rows(tmp_path / "herald", "herald")
    assert len(rows) == 1
    row = rows[0]
    assert (row["status"], row["exit_code"], row["pages"], row["new_articles"]) == (
        "ok", 0, result["pages"], result["new_articles"])
    assert row["ended"] >= row["started"] and row["duration"] > 0

    status = run_jobs(jobs_file, "status", "--json")
    assert status.returncode == 0, status.stderr
    (entry,) = json.loads(status.stdout)
    assert entry["job"] == "herald" and entry["schedule"] == "every 0:10:00"
    assert entry["next_run"] is None and entry["daemon_running"] is False  # nothing will run it
    assert [r["id"] for r in entry["runs"]] == [row["id"]]
    assert entry["runs"][0]["pages"] == result["pages"]
    table = run_jobs(jobs_file, "status")
    assert "herald" in table.stdout and "ok (0)" in table.stdout and str(result["pages"]) in table.stdout


def test_run_fails_when_nothing_can_be_fetched(tmp_path):
    refused = sites.unused_port_socket()
    try:
        port = refused.getsockname()[1]
        jobs_file = write_jobs(tmp_path, f"""
[jobs.down]
seeds = ["http://127.0.0.1:{port}/"]
archive = "down"
retries = 0
""")
        proc = run_jobs(jobs_file, "run", "down")
    finally:
        refused.close()
    assert proc.returncode == 2, proc.stdout + proc.stderr[-3000:]
    assert "failed (exit 2)" in proc.stdout
    assert history_rows(tmp_path / "down", "down")[0]["status"] == "failed"


def test_lock_prevents_overlapping_runs(tmp_path):
    with sites.serve(lambda base: sites.bulk_site_routes(base, count=30, delay=0.1)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.bulk]
seeds = ["{site.url('/')}"]
archive = "bulk"
concurrency = 2
""")
        first = subprocess.Popen(jobs_cmd(jobs_file, "run", "bulk"), cwd=tmp_path, env=crawl_env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: any(r["status"] == "running" for r in history_rows(tmp_path / "bulk", "bulk")),
                     "the first run to start", first)
            second = run_jobs(jobs_file, "run", "bulk")
            assert second.returncode == 75
            assert "already running (pid" in second.stderr
            out, err = first.communicate(timeout=DEADLINE)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        assert first.returncode == 0, err[-3000:]
        rows = history_rows(tmp_path / "bulk", "bulk")
        assert [r["status"] for r in rows] == ["ok"]  # the refused run left no row
        third = run_jobs(jobs_file, "run", "bulk")  # the lock went with its holder
        assert third.returncode == 0, third.stderr[-2000:]
    assert [r["status"] for r in history_rows(tmp_path / "bulk", "bulk")] == ["ok", "ok"]


# --------------------------------------------------------------------------------------
# the daemon
# --------------------------------------------------------------------------------------


def test_daemon_runs_on_schedule_and_sigterm_stops_the_running_crawl_cleanly(tmp_path):
    with sites.serve(lambda base: sites.bulk_site_routes(base, count=30, delay=0.1)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.bulk]
seeds = ["{site.url('/')}"]
archive = "bulk"
every = "2s"
concurrency = 1

[jobs.bulk.recrawl]
policy = "always"  # every page asked again, answered in full or as a revisit

[jobs.by-hand]
seeds = ["{site.url('/')}"]
archive = "by-hand"
""")
        archive = tmp_path / "bulk"
        log = tmp_path / "daemon.log"
        daemon = start_daemon(jobs_file, log)
        try:
            wait_for(lambda: [r for r in history_rows(archive, "bulk") if r["status"] == "ok"],
                     "a first scheduled run", daemon)
            wait_for(lambda: [r for r in history_rows(archive, "bulk") if r["status"] == "running"]
                     and list((archive / "warc").glob("*.open")), "a second run to be crawling", daemon)
        finally:
            output = stop_daemon(daemon, log)
        assert "wirecopy jobs daemon: stopped" in output
        rows = history_rows(archive, "bulk")
        assert [r["status"] for r in rows] == ["ok", "interrupted"], output[-3000:]
        assert rows[1]["finish_reason"] == "shutdown" and rows[1]["exit_code"] == 1
        assert not history_rows(tmp_path / "by-hand", "by-hand")  # no schedule, never run
        warc_records(archive)  # the interrupted crawl closed its WARC file: all sealed and valid

        assert (archive / "jobs" / "bulk.jobdir" / "wirecopy-clean-stop").exists()
        resumed = run_jobs(jobs_file, "run", "bulk", "--json")
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        result = last_json(resumed)
        assert result["resumed_run"] == rows[1]["id"]
        # continued from Scrapy's JOBDIR, saved at the clean stop: nothing replayed, nothing lost
        assert result["stats"]["scheduler/dequeued/disk"] > 0 and "resume/replayed" not in result["stats"]
        assert not (archive / "jobs" / "bulk.jobdir").exists()  # finished: the next run starts afresh
    records = warc_records(archive)
    first_file = sorted((archive / "warc").glob("*.warc.gz"))[0]
    first_run = first_file_uris(archive)
    with open(first_file, "rb") as f:
        first_count = sum(1 for r in ArchiveIterator(f) if r.rec_type == "response")
    later = Counter(uri for kind, uri, _ in records if kind in ("response", "revisit"))
    later.subtract(Counter(first_run))
    for uri in [u for u in first_run if u.endswith("/robots.txt")]:
        del later[uri]  # robots.txt is asked afresh by every crawl process: its rules may have changed
    # the interrupted run and its continuation together fetched every page of the first run, once
    # (unchanged pages are stored as revisits)
    assert first_count == len(first_run) and all(n == 1 for n in later.values()), later
    status = run_jobs(jobs_file, "status", "--json")
    entries = {e["job"]: e for e in json.loads(status.stdout)}
    assert [r["status"] for r in entries["bulk"]["runs"]] == ["ok", "interrupted", "ok"]
    assert entries["by-hand"]["schedule"] == "manual" and entries["by-hand"]["next_run"] is None
    assert entries["bulk"]["next_run"] is None  # the daemon has stopped: no run is coming
    assert sum(1 for kind, _, _ in records if kind == "response") > 30


EARLIER_DAEMON = """
import os, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from crawler.jobs.config import load_jobs
from crawler.jobs.scheduler import JobsDaemon, state_path_for
path = Path(sys.argv[1])
daemon = JobsDaemon(load_jobs(path), state_path_for(path))
daemon.scheduler.start(paused=True)
assert sorted(daemon.sync()) == ["catch-up", "strict"]
for name in ("catch-up", "strict"):
    daemon.scheduler.modify_job(name, next_run_time=datetime.now(timezone.utc) - timedelta(hours=2))
os._exit(0)
"""


def test_daemon_catches_up_runs_missed_while_down(tmp_path):
    from datetime import datetime, timezone

    with sites.serve(lambda base: sites.bulk_site_routes(base, count=3, delay=0)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.catch-up]
seeds = ["{site.url('/')}"]
archive = "catch-up"
every = "1d"

[jobs.strict]
seeds = ["{site.url('/')}"]
archive = "strict"
every = "1d"
misfire_grace = "10m"
""")
        # A daemon scheduled both jobs, then died; they fell due two hours ago, while it was down.
        earlier = subprocess.run([sys.executable, "-c", EARLIER_DAEMON, str(jobs_file)], env=crawl_env(),
                                 capture_output=True, text=True, timeout=DEADLINE)
        assert earlier.returncode == 0, earlier.stderr

        log = tmp_path / "daemon.log"
        daemon = start_daemon(jobs_file, log)
        try:
            wait_for(lambda: [r for r in history_rows(tmp_path / "catch-up", "catch-up") if r["status"] == "ok"],
                     "the missed run to be caught up", daemon)
            wait_for(lambda: history_rows(tmp_path / "strict", "strict"), "the missed run to be recorded", daemon)
            second = run_jobs(jobs_file, "daemon")  # one daemon per schedule store
            assert second.returncode == 75 and "already running" in second.stderr

            # SIGHUP reloads the file: a broken file keeps the schedules, a fixed one applies.
            from crawler.jobs.scheduler import state_path_for, stored_next_runs
            text = jobs_file.read_text()
            jobs_file.write_text(text + '\n[jobs.added]\nseeds = ["http://x/"]\narchive = "a"\nevery = "x"\n')
            daemon.send_signal(signal.SIGHUP)
            wait_for(lambda: "Not reloading" in log.read_text(), "the broken file to be reported", daemon)
            jobs_file.write_text(text.replace('[jobs.strict]', '[jobs.renamed]'))
            daemon.send_signal(signal.SIGHUP)
            wait_for(lambda: set(stored_next_runs(state_path_for(jobs_file))) == {"catch-up", "renamed"},
                     "the reloaded schedules", daemon)
            running = json.loads(run_jobs(jobs_file, "status", "--json").stdout)
            assert all(e["daemon_running"] and e["next_run"] for e in running), running
        finally:
            output = stop_daemon(daemon, log)
    strict = history_rows(tmp_path / "strict", "strict")
    assert [r["status"] for r in strict] == ["missed"], output[-3000:]
    assert "Job strict: no longer in" in output
    assert strict[0]["finish_reason"] == "later than misfire_grace"
    assert [r["status"] for r in history_rows(tmp_path / "catch-up", "catch-up")] == ["ok"]
    assert "wirecopy-jobs.toml:" in output and "jobs.added.every" in output
    next_runs = {e["job"]: e["next_run"] for e in json.loads(run_jobs(jobs_file, "status", "--json").stdout)}
    assert set(next_runs.values()) == {None}  # no daemon, no next run; the store keeps its times
    stored = stored_next_runs(state_path_for(jobs_file)).values()
    assert all(t > datetime.now(timezone.utc) for t in stored)
