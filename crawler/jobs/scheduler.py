"""``wirecopy jobs daemon``: every scheduled job run on time, by APScheduler.

Each run is a subprocess ``wirecopy jobs run NAME``: it takes the job's lock, records its
history and exits with the job's exit code, and every crawl gets a fresh Twisted reactor.

Schedules persist in a SQLite job store (``--state``, by default beside the jobs file), so
runs that fall due while the daemon is down are known when it starts again. The policy for
them: a job's missed runs are coalesced into one run, started at once, however late
(``misfire_grace`` in the job sets a limit: a run later than that is skipped, logged and
recorded in the job history as ``missed``). A run that falls due while the previous run of
the same job is still going is skipped and logged. A job whose schedule is unchanged keeps
its stored next run time across restarts; a changed schedule starts afresh.

With ``--distributed`` a due run is ``wirecopy jobs run NAME --distributed``: it queues the
run's site units for ``wirecopy worker`` processes and ends at once; it is refused (exit 75,
logged as skipped) while units of the job's previous run are still queued or being crawled.

SIGHUP reloads the jobs file (a file with mistakes is reported and the schedules in force are
kept); runs always read the file afresh. SIGTERM (or SIGINT) stops the daemon cleanly: no new run starts, the signal is forwarded to
running crawls (Scrapy finishes the requests in flight, closes its WARC file and records the
run as ``interrupted``, to be resumed by its next run), and the daemon waits for them.
"""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path

from .config import JobsFile, JobsFileError, load_jobs
from .history import JobHistory
from .lock import JobLock, JobLocked, is_held
from .runner import EXIT_LOCKED

logger = logging.getLogger(__name__)

STORE_TABLE = "apscheduler_jobs"


def state_path_for(jobs_file: Path) -> Path:
    return jobs_file.resolve().with_name(f"{jobs_file.stem}.schedule.sqlite")


def daemon_lock_path(state: Path) -> Path:
    return state.with_name(state.name + ".lock")


def daemon_running(state: Path) -> bool:
    """Whether a daemon runs the schedules of this store now (it holds the store's lock)."""
    return is_held(daemon_lock_path(state))


class _Children:
    """Running crawl subprocesses, so a shutdown can signal and await them."""

    def __init__(self):
        self.lock = threading.Lock()
        self.procs: set[subprocess.Popen] = set()
        self.stopping = False

    def start(self, cmd: list[str]) -> subprocess.Popen | None:
        with self.lock:
            if self.stopping:
                return None
            proc = subprocess.Popen(cmd)
            self.procs.add(proc)
            return proc

    def done(self, proc: subprocess.Popen) -> None:
        with self.lock:
            self.procs.discard(proc)

    def signal_all(self, signum: int) -> None:
        with self.lock:
            self.stopping = True
            for proc in self.procs:
                if proc.poll() is None:
                    proc.send_signal(signum)


CHILDREN = _Children()


def run_scheduled(jobs_file: str, name: str, distributed: bool = False) -> int | None:
    """The function the job store names for every job: one ``jobs run`` subprocess."""
    # --wait: jobs sharing an archive take turns writing it
    mode = "--distributed" if distributed else "--wait"
    cmd = [sys.executable, "-m", "crawler.cli", "jobs", "--file", jobs_file, "run", name, mode]
    proc = CHILDREN.start(cmd)
    if proc is None:
        logger.info("Not starting %s: the daemon is stopping", name)
        return None
    logger.info("Job %s started (pid %d)", name, proc.pid)
    try:
        code = proc.wait()
    finally:
        CHILDREN.done(proc)
    if code == EXIT_LOCKED:
        logger.warning("Job %s: skipped, a run started elsewhere is still going", name)
    else:
        logger.info("Job %s ended with exit code %d", name, code)
    return code


def stored_next_runs(state: Path) -> dict[str, datetime | None]:
    """Next run time of every job in a daemon's store, read without the scheduler."""
    if not state.exists():
        return {}
    db = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
    try:
        rows = db.execute(f"SELECT id, next_run_time FROM {STORE_TABLE}").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        db.close()
    return {i: datetime.fromtimestamp(t, timezone.utc) if t is not None else None for i, t in rows}


class JobsDaemon:
    def __init__(self, jobs: JobsFile, state: Path, max_parallel: int = 2, distributed: bool = False):
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        self.jobs = jobs
        self.jobs_file = str(jobs.path.resolve())
        self.state = state
        self.distributed = distributed
        self.stop_requested = threading.Event()
        self.reload_requested = threading.Event()
        self.signals = 0
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{state}", tablename=STORE_TABLE)},
            executors={"default": ThreadPoolExecutor(max_workers=max_parallel)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    def sync(self) -> list[str]:
        """Make the store hold exactly the file's scheduled jobs, keeping unchanged schedules."""
        stored = {job.id: job for job in self.scheduler.get_jobs()}
        active = []
        for name, job in self.jobs.jobs.items():
            trigger = job.trigger()
            if not job.enabled or trigger is None:
                if name in stored:
                    self.scheduler.remove_job(name)
                logger.info("Job %s: %s, not scheduled", name, "disabled" if not job.enabled else "no schedule")
                continue
            args = (self.jobs_file, name, True) if self.distributed else (self.jobs_file, name)
            old = stored.pop(name, None)
            if old is not None and str(old.trigger) == str(trigger) and tuple(old.args) == args:
                self.scheduler.modify_job(name, misfire_grace_time=job.misfire_grace, coalesce=True,
                                          max_instances=1)
            else:
                # an interval job runs first at once, then every interval; a cron job at its time
                first = {"next_run_time": datetime.now(timezone.utc)} if job.every and not job.schedule else {}
                self.scheduler.add_job(run_scheduled, trigger, args=args, id=name, name=name,
                                       replace_existing=True, misfire_grace_time=job.misfire_grace,
                                       coalesce=True, max_instances=1, **first)
            active.append(name)
        for name in stored:
            self.scheduler.remove_job(name)
            logger.info("Job %s: no longer in %s, unscheduled", name, self.jobs_file)
        return active

    def _missed(self, event) -> None:
        job = self.jobs.jobs.get(event.job_id)
        if job is None:
            return
        when = event.scheduled_run_time.astimezone(timezone.utc).isoformat(timespec="seconds")
        history = JobHistory(job.archive)
        try:
            history.record_missed(job.name, when, "later than misfire_grace")
        finally:
            history.close()
        logger.warning("Job %s: run due at %s skipped, later than misfire_grace (%s s)",
                       job.name, when, job.misfire_grace)

    def _overlapped(self, event) -> None:
        logger.warning("Job %s: run due at %s skipped, the previous run is still going",
                       event.job_id, event.scheduled_run_times[0])

    def _on_signal(self, signum, frame) -> None:
        self.signals += 1
        logger.warning("Signal %d: stopping; forwarding it to running crawls", signum)
        # A second signal is forwarded too: Scrapy then stops at once, without finishing requests.
        CHILDREN.signal_all(signal.SIGTERM if self.signals == 1 else signum)
        self.stop_requested.set()

    def _on_hangup(self, signum, frame) -> None:
        self.reload_requested.set()

    def reload(self) -> None:
        self.reload_requested.clear()
        try:
            self.jobs = load_jobs(self.jobs.path)
        except JobsFileError as exc:
            logger.error("Not reloading: %s", exc)
            return
        active = self.sync()
        logger.warning("Reloaded %s: %d job(s) scheduled", self.jobs_file, len(active))

    def run(self) -> int:
        from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED

        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGHUP, self._on_hangup)
        self.scheduler.add_listener(self._missed, EVENT_JOB_MISSED)
        self.scheduler.add_listener(self._overlapped, EVENT_JOB_MAX_INSTANCES)
        self.scheduler.start(paused=True)
        active = self.sync()
        if not active:
            logger.warning("No scheduled jobs in %s", self.jobs_file)
        for job in self.scheduler.get_jobs():
            logger.info("Job %s: %s, next run %s", job.id, job.trigger, job.next_run_time)
        self.scheduler.resume()
        print(f"wirecopy jobs daemon: {len(active)} job(s) scheduled from {self.jobs_file}"
              f" (pid {os.getpid()}, state {self.state})", flush=True)
        while not self.stop_requested.wait(0.5):
            if self.reload_requested.is_set():
                self.reload()
        self.scheduler.pause()
        self.scheduler.shutdown(wait=True)  # waits for the running crawls, already signalled
        print("wirecopy jobs daemon: stopped", flush=True)
        return 0


def run_daemon(jobs_path: Path, state: Path | None, max_parallel: int, distributed: bool = False) -> int:
    jobs = load_jobs(jobs_path)
    state = state or state_path_for(jobs_path)
    try:
        # One daemon per schedule store: a second would run every job twice.
        with JobLock(daemon_lock_path(state)):
            return JobsDaemon(jobs, state, max_parallel, distributed).run()
    except JobLocked as exc:
        print(f"wirecopy jobs daemon: {exc}", file=sys.stderr)
        return EXIT_LOCKED
