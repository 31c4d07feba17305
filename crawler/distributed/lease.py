"""A unit's hold on its site: its procrastinate job, ``doing`` for its worker, whose heartbeat is fresh.

Other workers take a unit over when its worker's heartbeat is older than ``takeover_after``
(``stalled_after`` plus a margin). A worker alive but frozen (SIGSTOP, swapped out, cut from the
database) cannot tell its unit's crawl that it lost the unit, so the crawl's process checks for
itself (``LeaseWatch``, a thread) every ``stalled_after / 8`` seconds, and stops the crawl
gracefully (as SIGTERM does: the WARC file is sealed) once the last check that proved the hold
is older than ``stalled_after`` minus the margin, or a check finds the unit gone to another
worker. The two windows never overlap, so a site never has two crawls at once. A crawl frozen
as a whole (its watch too) sends nothing once it thaws: every request leaves only while the hold
is proved (``holds``, asked by ``crawler.distributed.gate`` as the request goes out), so the
requests its downloader queued before the freeze are refused, not sent beside the taker's.

A worker whose unit was taken over must not touch the job when the crawl ends: ``LeasedJobManager``
finishes or retries a job only while it is still ``doing`` for the worker that fetched it, checked
and changed in one statement on the locked job row.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from typing import Callable

logger = logging.getLogger(__name__)

MARGIN = 0.25  # of stalled_after, on each side of it


def hold_limit(stalled_after: float) -> float:
    """Seconds after the last proof of its hold that a unit's crawl stops."""
    return stalled_after * (1 - MARGIN)


def takeover_after(stalled_after: float) -> float:
    """Seconds of heartbeat silence after which other workers take a worker's units over."""
    return stalled_after * (1 + MARGIN)


HOLD_QUERY = """
SELECT job.status = 'doing' AND job.worker_id = %(worker_id)s
       AND worker.last_heartbeat > NOW() - make_interval(secs => %(limit)s)
  FROM procrastinate_jobs job LEFT JOIN procrastinate_workers worker ON worker.id = job.worker_id
 WHERE job.id = %(job_id)s
"""


class LeaseWatch(threading.Thread):
    """In a unit's process: checks its hold on the job and stops the crawl when it cannot prove it."""

    def __init__(self, url: str, job_id: int, worker_id: int, stalled_after: float, stop_crawl: Callable[[], None]):
        super().__init__(name="lease-watch", daemon=True)
        self.stop_crawl = stop_crawl  # called in this thread
        self.url, self.job_id, self.worker_id = url, job_id, worker_id
        self.limit = hold_limit(stalled_after)
        self.interval = stalled_after / 8
        self.lost: str | None = None  # why the crawl was stopped, when it was
        self.proved = time.monotonic()  # when the last check proved the hold
        self._done = threading.Event()
        self._lock = threading.Lock()

    def holds(self) -> bool:
        """Whether the hold is proved now (monotonic time runs on through a freeze)."""
        return self.lost is None and time.monotonic() - self.proved < self.limit

    def give_up(self, reason: str) -> None:
        """Stop the crawl, once, for ``reason``; from any thread."""
        with self._lock:
            if self.lost is not None:
                return
            self.lost = reason
        logger.warning("Crawl of job %s stopping: %s", self.job_id, reason)
        self.stop_crawl()

    def _proved_by_server(self, conn) -> bool:
        row = conn.execute(HOLD_QUERY, {"worker_id": self.worker_id, "limit": self.limit,
                                        "job_id": self.job_id}).fetchone()
        return bool(row and row[0])

    def run(self) -> None:
        import psycopg

        conn = None
        while not self._done.wait(self.interval) and self.lost is None:
            asked = time.monotonic()
            try:
                if conn is None or conn.closed:
                    conn = psycopg.connect(self.url, autocommit=True, connect_timeout=max(1, int(self.limit / 2)))
                if self._proved_by_server(conn):
                    self.proved = asked
                    continue
                self.give_up("its unit is no longer its worker's, or its worker's heartbeat is late")
            except psycopg.Error as exc:
                if conn is not None:
                    conn.close()
                conn = None
                if time.monotonic() - self.proved < self.limit:
                    continue
                self.give_up(f"its hold on the unit could not be checked for {self.limit:.1f} s ({exc})")
            break
        if conn is not None:
            conn.close()

    def stop(self) -> None:
        self._done.set()


# the call goes in the outer query: in the same query as FOR UPDATE it would run before the row is locked
HELD_JOB = """
SELECT id FROM procrastinate_jobs
 WHERE id = %(job_id)s AND status = 'doing' AND worker_id = %(worker_id)s
   FOR UPDATE"""


def held_only(query: str) -> str:
    """procrastinate's query ``SELECT procrastinate_<fn>(%(job_id)s, ...)`` run only on the job
    row locked while it is ``doing`` for ``%(worker_id)s``: one statement, so no other worker
    takes the job over between the check and the change; it returns a row when it ran."""
    call = query.strip().removesuffix(";")
    if not re.fullmatch(r"SELECT procrastinate_\w+\([^;]*\)", call, re.DOTALL):
        raise RuntimeError(f"procrastinate's query is no longer one function call: {query!r}")
    return f"{call} FROM ({HELD_JOB}) held"


def leased_job_manager(connector):
    """procrastinate's job manager, persisting the end of a job only while its worker holds it."""
    from procrastinate import sql, utils
    from procrastinate.manager import JobManager

    finish_held, retry_held = held_only(sql.queries["finish_job"]), held_only(sql.queries["retry_job"])

    class LeasedJobManager(JobManager):
        async def _while_held(self, job, query: str, **arguments) -> None:
            rows = await self.connector.execute_query_all_async(query, job_id=job.id, worker_id=job.worker_id,
                                                                **arguments)
            if not rows:
                logger.warning("Job %s was taken over by another worker: its end here is not recorded", job.id)

        async def finish_job(self, job, status, delete_job) -> None:
            await self._while_held(job, finish_held, status=status.value, delete_job=delete_job)

        async def retry_job(self, job, retry_at=None, priority=None, queue=None, lock=None) -> None:
            await self._while_held(job, retry_held, retry_at=retry_at or utils.utcnow(), new_priority=priority,
                                   new_queue_name=queue, new_lock=lock)

    return LeasedJobManager(connector)
