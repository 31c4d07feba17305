"""One run of a job: lock, history row, the crawl (resuming an interrupted one), exit code.

Every run keeps Scrapy's persistent scheduler and dupefilter in ``ARCHIVE/jobs/NAME.jobdir``
(JOBDIR). After a clean stop (SIGTERM: Scrapy finishes the requests in flight and saves its
queue) the next run continues from that JOBDIR. Its state is only consistent after a clean
close, though, so after any other end (``kill -9``, a crash) it is discarded and the frontier is
rebuilt from the archive instead (``crawler.resume``). A run that finishes discards it too: its
seen-requests file would keep the next scheduled run from fetching anything.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from typing import Any

from archive.lock import ArchiveLock

from . import alerts
from .config import Job
from .history import FAILED, INTERRUPTED, OK, PARTIAL, RESUMABLE, JobHistory, RunFigures, server_failures, utcnow
from .lock import JobLock

logger = logging.getLogger(__name__)

# Exit codes of ``wirecopy jobs run`` (75 is EX_TEMPFAIL of sysexits.h: try again later).
EXIT_OK, EXIT_PARTIAL, EXIT_FAILED, EXIT_LOCKED = 0, 1, 2, 75
EXIT_CODES = {OK: EXIT_OK, PARTIAL: EXIT_PARTIAL, INTERRUPTED: EXIT_PARTIAL, FAILED: EXIT_FAILED}
FINISHED_REASONS = ("finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout")


@dataclass
class RunOutcome:
    job: str
    run_id: int
    status: str
    figures: RunFigures
    duration: float
    finish_reason: str | None
    resumed_run: int | None
    stats: dict[str, Any] = field(default_factory=dict)
    alerted: int = 0  # new watched copies announced
    alert_problems: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def as_dict(self) -> dict[str, Any]:
        f = self.figures
        return {
            "job": self.job, "run": self.run_id, "status": self.status, "exit_code": self.exit_code,
            "pages": f.pages, "new_articles": f.new_articles, "revisits": f.revisits,
            "changed_articles": f.changed_articles, "errors": f.errors, "bytes_written": f.bytes_written,
            "skipped_hosts": list(f.skipped_hosts), "duration": round(self.duration, 3),
            "finish_reason": self.finish_reason, "resumed_run": self.resumed_run,
            "alerted": self.alerted, "alert_problems": list(self.alert_problems),
            "lost": self.stats.get(LOST_STAT, 0),
        }


LOST_STAT = "wirecopy/lost"  # what ``crawler.outcome.account`` finds archived but lost to readers
CLEAN_STOP = "wirecopy-clean-stop"  # in a JOBDIR: written after Scrapy closed it cleanly


def lock_path(job: Job):
    return job.archive / "jobs" / f"{job.name}.lock"


def jobdir_path(job: Job):
    return job.archive / "jobs" / f"{job.name}.jobdir"


def classify(stats: dict[str, Any], figures: RunFigures) -> str:
    """ok: everything fetched; partial: some fetches failed for good, or stopped before the end
    (INTERRUPTED, resumed by the next run); failed: no page could be fetched at all."""
    reason = stats.get("finish_reason")
    fetched = stats.get("wirecopy/pages", 0) - server_failures(stats) + stats.get("resume/replayed", 0)
    if reason not in FINISHED_REASONS:
        return INTERRUPTED if fetched > 0 else FAILED
    if fetched <= 0:
        return FAILED
    if (figures.errors or figures.skipped_hosts or stats.get("catalog/write_errors")
            or stats.get(LOST_STAT)):
        # rows the catalog could not take (`wirecopy check --repair` writes them), or records
        # archived but lost to a reader: a file not closed or not indexed
        return PARTIAL
    return OK


def run_job(job: Job, *, resume: bool | None = None, quiet: bool = True,
            wait: float | None = 0.0, on_wait=None) -> RunOutcome:
    """Run ``job`` once in this process (it owns the Twisted reactor afterwards).

    ``resume``: None resumes an interrupted previous run if there is one, True asks for it
    (the same, said explicitly), False starts a fresh frontier. Raises ``JobLocked`` when the
    job is already running, ``ArchiveLocked`` when another process writes its archive (after
    waiting ``wait`` seconds for it, None: as long as it takes).
    """
    from crawler.cli import crawl_settings, run_crawl
    from crawler.outcome import account
    from crawler.progress import jsonable_stats

    job.archive.mkdir(parents=True, exist_ok=True)
    with JobLock(lock_path(job)), ArchiveLock(job.archive).acquire(wait, on_wait):
        history = JobHistory(job.archive)
        try:
            killed = history.mark_killed(job.name)
            if killed:
                logger.warning("Job %s: run(s) %s ended without finishing (killed)", job.name, killed)
            last = history.last_run(job.name)
            resumed_run = since = None
            if last is not None and last["status"] in RESUMABLE and resume is not False:
                resumed_run, since = last["id"], last["frontier_since"]
                logger.warning("Job %s: resuming run %d (%s)", job.name, resumed_run, last["status"])
            elif resume:
                logger.warning("Job %s: no interrupted run to resume; starting afresh", job.name)
            run_id = history.start(job.name, resumed_run=resumed_run, frontier_since=since or utcnow(),
                                   pid=os.getpid())
            jobdir = jobdir_path(job)
            clean_stop = jobdir / CLEAN_STOP
            from_jobdir = resumed_run is not None and clean_stop.exists()
            if not from_jobdir and jobdir.exists():
                shutil.rmtree(jobdir)
            clean_stop.unlink(missing_ok=True)
            overrides = job.setting_overrides() + [("JOBDIR", str(jobdir))]
            if resumed_run is not None and not from_jobdir:
                overrides += [("RESUME_ENABLED", True), ("RESUME_SINCE", since)]
            if resumed_run is not None:
                logger.warning("Job %s: frontier from %s", job.name,
                               "the JOBDIR of the cleanly stopped run" if from_jobdir else "the archive")
            settings = crawl_settings(str(job.archive), overrides, max_pages=job.max_pages,
                                      quiet=quiet, progress=False)
            spider_kwargs = {"seeds": list(job.seeds), "depth": job.depth, "same_domain": job.same_domain}
            if job.seeds_file:
                spider_kwargs["seeds_file"] = str(job.seeds_file)
            watched = alerts.snapshot(job.archive, job.alert) if job.alert else set()
            started = time.monotonic()
            try:
                stats, elapsed = run_crawl(settings, spider_kwargs)
            except Exception as exc:
                logger.exception("Job %s: the crawl could not run", job.name)
                stats, elapsed = {"finish_reason": f"error: {exc}"}, time.monotonic() - started
            stats = jsonable_stats(stats)
            stored: dict[str, Any] = {"errors": 0}
            account(stored, stats, job.archive)
            stats[LOST_STAT] = stored["lost"]
            figures = RunFigures.from_stats(stats)
            status = classify(stats, figures)
            if status == INTERRUPTED and stats.get("finish_reason") == "shutdown":
                clean_stop.touch()
            else:
                shutil.rmtree(jobdir, ignore_errors=True)
            outcome = RunOutcome(job.name, run_id, status, figures, elapsed, stats.get("finish_reason"),
                                 resumed_run, stats)
            history.finish(run_id, status=status, exit_code=outcome.exit_code, figures=figures,
                           duration=elapsed, finish_reason=outcome.finish_reason, stats=stats)
            if job.alert:
                outcome.alerted, outcome.alert_problems = alerts.announce(
                    job.name, run_id, job.archive, job.alert, watched)
            return outcome
        finally:
            history.close()
