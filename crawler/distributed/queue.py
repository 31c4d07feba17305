"""The procrastinate app of the crawl workers: its schema in the catalog's PostgreSQL database,
the crawl task, deferring a job run's units, and taking over the units of dead workers."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable

from .lease import leased_job_manager
from .stats import WORKER_STATS_TABLE
from .stories import STORIES_QUEUE, STORIES_TASK, STORY_FILES_TABLE
from .units import QUEUE, TASK_NAME, CrawlUnit

logger = logging.getLogger(__name__)

# pg_advisory_lock key: one process installs procrastinate's schema, the others wait for it
_SCHEMA_LOCK = 0x77697265  # "wire"
UNIT_ATTEMPTS = 3  # a unit whose crawl fails is run again, at most this many times in all


class UnitFailed(RuntimeError):
    """The crawl of a unit stopped early or failed; it is tried again up to UNIT_ATTEMPTS in all."""


class UnitStopped(RuntimeError):
    """The worker was told to stop (SIGTERM) and its unit's crawl stopped with it: queued again
    at once, whatever attempt it was."""


def _retry_strategy():
    from procrastinate import RetryStrategy
    from procrastinate.retry import RetryDecision

    class UnitRetry(RetryStrategy):
        def get_retry_decision(self, *, exception, job):
            if isinstance(exception, UnitStopped):
                return RetryDecision(retry_in={"seconds": 0})
            return super().get_retry_decision(exception=exception, job=job)

    return UnitRetry(max_attempts=UNIT_ATTEMPTS - 1, wait=5)


def ensure_schema(url: str) -> bool:
    """Install procrastinate's tables in the database at ``url`` unless they are there;
    True when this call installed them."""
    import psycopg
    from procrastinate.schema import SchemaManager

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            conn.execute(WORKER_STATS_TABLE)
            conn.execute(STORY_FILES_TABLE)
            if conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()[0] is not None:
                return False
            conn.execute(SchemaManager.get_schema())
            return True
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))


def make_app(url: str, crawl: Callable[..., Awaitable[Any]] | None = None,
             track: Callable[..., Awaitable[Any]] | None = None):
    """The app on the database at ``url``; ``crawl(context, unit)`` runs a unit in a worker,
    ``track(context)`` the story tracking of new WARC files (a process that only defers units
    registers the tasks without them)."""
    from procrastinate import App, PsycopgConnector, RetryStrategy

    app = App(connector=PsycopgConnector(conninfo=url))
    app.job_manager = leased_job_manager(app.connector)

    async def crawl_site(context, unit: dict[str, Any]) -> Any:
        if crawl is None:
            raise RuntimeError("this process defers crawl units; it does not run them")
        return await crawl(context, CrawlUnit.from_task_args(unit))

    app.task(name=TASK_NAME, queue=QUEUE, pass_context=True,
             retry=_retry_strategy())(crawl_site)

    async def track_stories(context) -> Any:
        if track is None:
            raise RuntimeError("this process defers crawl units; it does not track stories")
        return await track(context)

    app.task(name=STORIES_TASK, queue=STORIES_QUEUE, pass_context=True,
             retry=RetryStrategy(max_attempts=UNIT_ATTEMPTS - 1, wait=5))(track_stories)
    return app


def defer_units(url: str, units: list[CrawlUnit]) -> tuple[list[int], list[str]]:
    """Queue ``units``; returns the new job ids and the sites whose unit was still queued."""
    from procrastinate.exceptions import AlreadyEnqueued

    ensure_schema(url)
    app = make_app(url)
    queued, waiting = [], []
    with app.open():
        for unit in units:
            deferrer = app.configure_task(TASK_NAME, queue=QUEUE, lock=unit.lock,
                                          queueing_lock=unit.queueing_lock)
            try:
                queued.append(deferrer.defer(unit=unit.as_task_args()))
            except AlreadyEnqueued:
                waiting.append(unit.site)
    return queued, waiting


def pending_units(url: str, job: str) -> list[str]:
    """The sites of ``job`` whose units wait in the queue or are being crawled: while there
    are any, the job's previous run is still going."""
    ensure_schema(url)
    app = make_app(url)
    with app.open():
        found = [queued for status in ("todo", "doing")
                 for queued in app.job_manager.list_jobs(queue=QUEUE, task=TASK_NAME, status=status)]
    return sorted(q.task_kwargs["unit"]["site"] for q in found if q.task_kwargs.get("unit", {}).get("job") == job)


async def retry_stalled(app, seconds_since_heartbeat: float) -> int:
    """Put back in the queue the units whose worker sent no heartbeat for that long (it died or
    froze: its crawl stopped itself before, ``lease``); another worker takes them, and they keep
    their site lock. Returns how many."""
    retried = 0
    stalled = [job for queue in (QUEUE, STORIES_QUEUE)
               for job in await app.job_manager.get_stalled_jobs(queue=queue, seconds_since_heartbeat=seconds_since_heartbeat)]
    for job in stalled:
        try:
            # by id: the job manager retries through ``retry_job`` only the jobs this worker holds
            await app.job_manager.retry_job_by_id_async(job.id, retry_at=datetime.now(timezone.utc))
        except Exception as exc:  # another worker retried it first: its status is no longer doing
            logger.info("Unit %s of a stalled worker: not retried here (%s)", job.id, exc)
            continue
        retried += 1
        logger.warning("Unit %s (%s) of a worker that stopped sending heartbeats: queued again",
                       job.id, job.task_kwargs.get("unit", {}).get("site"))
    return retried
