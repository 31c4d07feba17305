"""``wirecopy workers status`` on a queue set up by hand: the story tracking runs waiting, running
(and on which worker) and failed, and the archive's sealed WARC files not tracked yet."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import psycopg
from conftest import crawl_env
from local_web import workers_status
from procrastinate.jobs import Status

from crawler.distributed.queue import ensure_schema, make_app
from crawler.distributed.stories import STORIES_QUEUE, defer_tracking


def tracking_runs(url: str) -> tuple[int, int]:
    """One tracking run failed, one running on a worker, one waiting (and no second one waiting):
    the running run's job id and its worker's id."""
    ensure_schema(url)

    async def scenario():
        app = make_app(url)
        async with app.open_async():
            worker_id = await app.job_manager.register_worker()
            assert await defer_tracking(app)
            failed = await app.job_manager.fetch_job([STORIES_QUEUE], worker_id=worker_id)
            await app.job_manager.finish_job(failed, Status.FAILED, delete_job=False)
            assert await defer_tracking(app)
            running = await app.job_manager.fetch_job([STORIES_QUEUE], worker_id=worker_id)
            assert await defer_tracking(app)
            assert not await defer_tracking(app), "a second tracking run was queued while one waits"
            return running.id, worker_id

    return asyncio.run(scenario())


def printed_status(url: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "workers", "status", "--catalog-url", url, *args],
                          capture_output=True, text=True, env=crawl_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_status_shows_the_story_tracking_runs_and_the_files_not_tracked_yet(tmp_path, queue_db):
    running, worker_id = tracking_runs(queue_db)
    archive = tmp_path / "shared"
    (archive / "warc").mkdir(parents=True)
    for name in ("a-w1.warc.gz", "b-w1.warc.gz", "c-w2.warc.gz", "d-w2.warc.gz.open"):
        (archive / "warc" / name).write_bytes(b"")
    with psycopg.connect(queue_db) as conn:
        conn.execute("INSERT INTO wirecopy_story_files (name, articles) VALUES ('a-w1.warc.gz', 3)")

    stories = workers_status(archive, queue_db)["stories"]
    [run] = stories.pop("running")
    assert stories.pop("last_failed") is not None
    assert stories == {"waiting": 1, "failed": 1, "tracked_files": 1, "untracked_files": 2}
    assert (run["id"], run["attempts"], run["worker_id"]) == (running, 0, worker_id)
    assert 0 <= run["heartbeat_age"] < 60

    printed = printed_status(queue_db, "--archive", str(archive)).splitlines()
    [summary] = [line for line in printed if line.startswith("story tracking:")]
    assert summary.startswith("story tracking: 1 run(s) waiting, 1 running, 1 failed (last at ")
    assert summary.endswith("; 1 WARC file(s) tracked, 2 sealed not yet")
    assert any(line.startswith(f"  run {running} (attempt 0): worker {worker_id}, heartbeat ") for line in printed)
    without_archive = printed_status(queue_db)
    assert "story tracking: 1 run(s) waiting, 1 running, 1 failed" in without_archive
    assert "sealed not yet" not in without_archive


def test_status_of_a_queue_never_used_shows_no_story_tracking(tmp_path, queue_db):
    (tmp_path / "warc").mkdir()
    (tmp_path / "warc" / "a-w1.warc.gz").write_bytes(b"")
    stories = workers_status(tmp_path, queue_db)["stories"]
    assert stories == {"waiting": 0, "running": [], "failed": 0, "last_failed": None, "tracked_files": 0,
                       "untracked_files": 1}
