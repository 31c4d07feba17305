"""The end of a unit's job (finished, or queued again to retry) is recorded only while the worker
that fetched it still holds it: once another worker took the job over (the stalled-job path queues
it again), the old holder's end changes nothing, even when the takeover races it."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timezone

import psycopg
import pytest
from procrastinate.jobs import Status

from crawler.distributed.queue import ensure_schema, make_app
from crawler.distributed.units import QUEUE, TASK_NAME

TAKEN_OVER = "taken over by another worker"


def job_row(url: str, job_id: int) -> tuple | None:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT status::text, worker_id, attempts FROM procrastinate_jobs WHERE id = %s",
                            (job_id,)).fetchone()


async def fetched_by_new_worker(app):
    """A worker registered now, and the job it fetched (``doing`` for it)."""
    worker_id = await app.job_manager.register_worker()
    return await app.job_manager.fetch_job([QUEUE], worker_id=worker_id)


async def queued_and_fetched(app):
    await app.configure_task(TASK_NAME, queue=QUEUE).defer_async(unit={"site": "http://news.test/"})
    return await fetched_by_new_worker(app)


async def taken_over(app, job):
    """As ``queue.retry_stalled`` does for a worker without heartbeat: queued again by id."""
    await app.job_manager.retry_job_by_id_async(job.id, retry_at=datetime.now(timezone.utc))


def run(url: str, scenario):
    ensure_schema(url)

    async def with_app():
        app = make_app(url)
        async with app.open_async():
            return await scenario(app)

    return asyncio.run(with_app())


def test_the_end_of_a_held_job_is_recorded(queue_db):
    async def scenario(app):
        finished, retried = await queued_and_fetched(app), await queued_and_fetched(app)
        await app.job_manager.finish_job(finished, Status.SUCCEEDED, delete_job=False)
        await app.job_manager.retry_job(retried)
        return finished, retried

    finished, retried = run(queue_db, scenario)
    assert job_row(queue_db, finished.id) == ("succeeded", finished.worker_id, 1)
    assert job_row(queue_db, retried.id) == ("todo", retried.worker_id, 1)


def test_a_job_taken_over_is_neither_finished_nor_retried_by_its_old_worker(queue_db, caplog):
    async def scenario(app):
        old = await queued_and_fetched(app)
        await taken_over(app, old)
        await app.job_manager.finish_job(old, Status.FAILED, delete_job=False)
        requeued = job_row(queue_db, old.id)
        new = await fetched_by_new_worker(app)
        await app.job_manager.finish_job(old, Status.SUCCEEDED, delete_job=True)
        await app.job_manager.retry_job(old)
        return old, requeued, new

    with caplog.at_level(logging.WARNING, logger="crawler.distributed.lease"):
        old, requeued, new = run(queue_db, scenario)
    assert requeued == ("todo", old.worker_id, 1), "the old worker ended its job after it was queued again"
    assert new.id == old.id and new.worker_id != old.worker_id
    assert job_row(queue_db, old.id) == ("doing", new.worker_id, 1), "the old worker ended the new worker's job"
    assert [r.getMessage() for r in caplog.records].count(
        f"Job {old.id} was taken over by another worker: its end here is not recorded") == 3


async def blocked_by(locker: psycopg.Connection, timeout: float = 30) -> None:
    """Until a statement of another connection waits for a lock ``locker`` holds."""
    with psycopg.connect(locker.info.dsn, autocommit=True) as conn:
        deadline = time.monotonic() + timeout
        while not conn.execute("SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                               (locker.info.backend_pid,)).fetchone()[0]:
            assert time.monotonic() < deadline, "the end of the job never waited for the takeover's lock"
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("end", ["finish", "retry"])
def test_a_takeover_holding_the_job_row_while_its_worker_ends_it_wins(queue_db, end, caplog):
    """Another worker's takeover has locked the job row (as ``procrastinate_retry_job`` does) when the
    old holder ends the job: the end waits for the takeover, then finds the job no longer its own."""
    async def scenario(app):
        job = await queued_and_fetched(app)
        with psycopg.connect(queue_db) as takeover:
            takeover.execute("SELECT id FROM procrastinate_jobs WHERE id = %s FOR UPDATE", (job.id,))
            if end == "finish":
                ending = asyncio.create_task(app.job_manager.finish_job(job, Status.SUCCEEDED, delete_job=False))
            else:
                ending = asyncio.create_task(app.job_manager.retry_job(job))
            await blocked_by(takeover)
            takeover.execute("SELECT procrastinate_retry_job_v2(%s, now(), NULL, NULL, NULL)", (job.id,))
        await ending
        return job

    with caplog.at_level(logging.WARNING, logger="crawler.distributed.lease"):
        job = run(queue_db, scenario)
    assert job_row(queue_db, job.id) == ("todo", job.worker_id, 1), f"the old worker's {end} went through"
    assert any(TAKEN_OVER in r.getMessage() for r in caplog.records)
