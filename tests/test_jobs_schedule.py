"""When the daemon starts jobs: an interval job at once, a cron job at its time; and what
``jobs status`` says of the next run with and without a daemon."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from crawler.jobs.config import parse_jobs
from crawler.jobs.lock import JobLock, is_held
from crawler.jobs.scheduler import JobsDaemon, daemon_lock_path, state_path_for
from jobs_support import run_jobs

JOBS = """
[jobs.every]
seeds = ["http://127.0.0.1:9/"]
archive = "a"
every = "30s"

[jobs.hourly]
seeds = ["http://127.0.0.1:9/"]
archive = "b"
schedule = "0 * * * *"
"""


def test_an_interval_job_runs_first_at_once_and_a_cron_job_at_its_time(tmp_path):
    path = tmp_path / "wirecopy-jobs.toml"
    path.write_text(JOBS)
    daemon = JobsDaemon(parse_jobs(JOBS, path), state_path_for(path))
    daemon.scheduler.start(paused=True)
    try:
        before = datetime.now(timezone.utc)
        assert daemon.sync() == ["every", "hourly"]
        runs = {job.id: job.next_run_time for job in daemon.scheduler.get_jobs()}
        assert runs["every"] <= datetime.now(timezone.utc), "not 30 s later"
        assert runs["every"] >= before - timedelta(seconds=1)
        assert runs["hourly"].minute == 0 and runs["hourly"] > before
        # a restart with the schedule unchanged keeps the stored time instead of running at once
        daemon.scheduler.modify_job("every", next_run_time=before + timedelta(minutes=5))
        daemon.sync()
        assert daemon.scheduler.get_job("every").next_run_time == before + timedelta(minutes=5)
    finally:
        daemon.scheduler.shutdown(wait=False)


def test_status_shows_a_next_run_only_while_a_daemon_holds_the_schedules(tmp_path):
    path = tmp_path / "wirecopy-jobs.toml"
    path.write_text(JOBS)
    state = state_path_for(path)
    daemon = JobsDaemon(parse_jobs(JOBS, path), state)
    daemon.scheduler.start(paused=True)
    daemon.sync()
    daemon.scheduler.shutdown(wait=False)

    def status() -> dict:
        result = run_jobs(path, "status", "--json")
        assert result.returncode == 0, result.stderr
        return {e["job"]: e for e in json.loads(result.stdout)}

    stopped = status()
    assert not is_held(daemon_lock_path(state))
    assert all(e["next_run"] is None and e["daemon_running"] is False for e in stopped.values())
    assert "no daemon running" in run_jobs(path, "status").stdout
    with JobLock(daemon_lock_path(state)):  # what a running daemon holds
        running = status()
    assert all(e["daemon_running"] and e["next_run"] for e in running.values())
    assert datetime.fromisoformat(running["hourly"]["next_run"]).minute == 0
