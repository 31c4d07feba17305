"""``wirecopy worker``: take crawl units from the queue and crawl them into the shared archive.

Each worker is a named writer of the archive (``archive.lock``): its WARC files end in
``-NAME.warc.gz`` and it shares the PostgreSQL catalog (``CATALOG_URL``), which also holds the
queue. It runs ``concurrency`` units at a time (default one), each in a child process
(``crawler.distributed.unit``) that dies with the worker; with more than one, each child is
the named writer ``NAME_SLOT``.

Faults: procrastinate records a heartbeat per worker. A worker killed with ``kill -9`` stops
sending it; every worker checks for units held by workers silent for ``stalled_after`` seconds
(and a margin) and queues them again (``queue.retry_stalled``). A worker alive but frozen loses
its units the same way; their crawls stop themselves first (``lease``). The worker that takes such a unit
seals the dead worker's ``.open`` file when it opens the archive (it claims the dead writer's
lock first), catalogs what that file holds, and resumes the crawl from the archive. A worker
whose database goes away waits for it and starts taking units again. SIGTERM or SIGINT is
passed to the running units' crawls, which stop and are queued again at once; then the worker
exits. After each unit the worker queues the story tracking of new WARC files
(``distributed.stories``), and runs it when its turn comes.
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import logging
import os
import re
import signal
import socket
import sqlite3
import sys
from dataclasses import dataclass, field

from .history import record_unit
from .lease import takeover_after
from .queue import UNIT_ATTEMPTS, UnitFailed, UnitStopped, ensure_schema, make_app, retry_stalled
from .stats import WorkerStats
from .stories import STORIES_QUEUE, defer_tracking, track_new_files
from .units import QUEUE, CrawlUnit

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def default_name() -> str:
    host = re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname().split(".")[0])[:40] or "host"
    return f"{host}_{os.getpid()}"


def _die_with_parent() -> None:
    """In the unit's process, before it runs: SIGKILL when the worker dies, however it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


@dataclass
class WorkerConfig:
    archive: str
    catalog_url: str
    name: str = field(default_factory=default_name)
    settings: list[tuple[str, str]] = field(default_factory=list)  # -s NAME=VALUE for every unit
    heartbeat: float = 10.0  # seconds between heartbeats
    stalled_after: float = 30.0  # a worker silent that long is dead; its units are taken over
    concurrency: int = 1  # units crawled at once, each in its own process
    poll: float = 2.0  # seconds between looks at the queue when notifications are missed
    once: bool = False  # stop when the queue is empty (tests, batch runs)


async def run_unit(config: WorkerConfig, unit: CrawlUnit, writer: str, running: set, job=None) -> dict:
    request = {"unit": unit.as_task_args(), "archive": config.archive, "writer": writer,
               "settings": [list(pair) for pair in config.settings]}
    if job is not None:  # the crawl stops itself when its worker can no longer prove it holds the job
        request["lease"] = {"catalog_url": config.catalog_url, "job_id": job.id, "worker_id": job.worker_id,
                            "stalled_after": config.stalled_after}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "crawler.distributed.unit", stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE, preexec_fn=_die_with_parent)
    running.add(proc)
    try:
        out, _ = await asyncio.shield(proc.communicate(json.dumps(request).encode()))
    finally:
        running.discard(proc)
    lines = out.decode("utf-8", "replace").strip().splitlines()
    try:
        summary = json.loads(lines[-1]) if lines else {}
    except ValueError:
        summary = {}
    logger.log(logging.INFO if proc.returncode == 0 else logging.WARNING,
               "Worker %s: unit %s of job %s ended with exit %s: %s", config.name, unit.site, unit.job,
               proc.returncode, summary or "no summary")
    summary["exit_code"] = proc.returncode
    return summary


async def _watch_stalled(app, config: WorkerConfig) -> None:
    while True:
        try:
            await retry_stalled(app, takeover_after(config.stalled_after))
        except Exception:  # a database hiccup: look again next time
            logger.exception("Worker %s: could not look for units of dead workers", config.name)
        await asyncio.sleep(config.stalled_after / 3)


async def _database_back(config: WorkerConfig, stopping: asyncio.Event) -> None:
    """Wait until the database answers again (or the worker is told to stop)."""
    import psycopg

    while not stopping.is_set():
        try:
            conn = await psycopg.AsyncConnection.connect(config.catalog_url, connect_timeout=5)
        except psycopg.OperationalError:
            try:
                await asyncio.wait_for(stopping.wait(), timeout=config.poll)
            except asyncio.TimeoutError:
                pass
            continue
        await conn.close()
        return


async def run_worker(config: WorkerConfig) -> None:
    slots: asyncio.Queue[int] = asyncio.Queue()
    for slot in range(config.concurrency):
        slots.put_nowait(slot)
    running: set = set()  # the unit processes now crawling
    stopping = asyncio.Event()
    stats = WorkerStats(config.catalog_url, config.name)
    await asyncio.to_thread(stats.write)

    async def crawl(context, unit: CrawlUnit) -> dict:
        slot = await slots.get()
        try:
            writer = config.name if config.concurrency == 1 else f"{config.name}_{slot}"
            summary = await run_unit(config, unit, writer, running, context.job)
        finally:
            slots.put_nowait(slot)
        last_attempt = context.job.attempts + 1 >= UNIT_ATTEMPTS
        if summary["exit_code"] != 0 and (stopping.is_set() or summary.get("lease_lost")):
            outcome = "stopped"
        else:
            outcome = "finished" if summary["exit_code"] == 0 else ("failed" if last_attempt else "retried")
        await asyncio.to_thread(stats.add, outcome, summary)
        if outcome in ("finished", "failed"):
            try:
                await asyncio.to_thread(record_unit, config.archive, unit, summary, outcome == "finished")
            except sqlite3.Error as exc:  # the crawl is archived; only its history row misses it
                stats.count("history/write_failed")
                await asyncio.to_thread(stats.write)
                logger.error("Worker %s: unit %s not added to job %s's run %s in the job history: %s",
                             config.name, unit.site, unit.job, unit.run, exc)
        if outcome == "stopped":
            raise UnitStopped(f"the crawl of {unit.site} stopped with its worker"
                              + (f" ({summary['lease_lost']})" if summary.get("lease_lost") else ""))
        if outcome != "finished":
            raise UnitFailed(f"the crawl of {unit.site} exited with {summary['exit_code']}")
        if stories_on:
            try:
                await defer_tracking(app)
            except Exception as exc:  # noqa: BLE001 - the next unit's deferral tracks these files too
                stats.count("stories/defer_failed")
                await asyncio.to_thread(stats.write)
                logger.error("Worker %s: story tracking not queued after %s: %s", config.name, unit.site, exc)
        return summary

    async def track(context) -> dict:
        return await asyncio.to_thread(track_new_files, config.archive, config.catalog_url, settings)

    def stop(signum: int) -> None:
        if stopping.is_set():
            return
        logger.warning("Worker %s: %s received, stopping %d running unit(s) and then the worker", config.name,
                       signal.Signals(signum).name, len(running))
        stopping.set()
        for proc in list(running):  # the crawl stops gracefully: its WARC file is sealed
            proc.send_signal(signal.SIGTERM)
        if worker_task is not None:
            worker_task.cancel()

    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop, signum)
    worker_task: asyncio.Task | None = None
    from crawler.cli import crawl_settings
    from crawler.tracking import StoriesConfig

    settings = crawl_settings(config.archive, list(config.settings), max_pages=None, quiet=True, progress=False)
    stories_on = StoriesConfig.from_settings(settings).enabled
    app = make_app(config.catalog_url, crawl, track)
    while not stopping.is_set():
        try:
            async with app.open_async():
                watcher = asyncio.create_task(_watch_stalled(app, config))
                try:
                    worker_task = asyncio.create_task(app.run_worker_async(
                        queues=[QUEUE, STORIES_QUEUE], concurrency=config.concurrency, name=config.name,
                        wait=not config.once, install_signal_handlers=False,
                        update_heartbeat_interval=config.heartbeat,
                        stalled_worker_timeout=takeover_after(config.stalled_after),
                        fetch_job_polling_interval=config.poll, delete_jobs="successful"))
                    await worker_task
                finally:
                    watcher.cancel()
            if config.once:
                return
            # procrastinate stops a worker whose heartbeat could not be written: its database went away
            logger.warning("Worker %s: the queue stopped (its database went away?); waiting for it", config.name)
        except asyncio.CancelledError:
            if stopping.is_set():
                return
            raise
        except Exception as exc:  # the database went away under the worker
            logger.warning("Worker %s: lost the queue's database (%s); waiting for it", config.name, exc)
        stats.count("database_outages")
        await _database_back(config, stopping)


def main(config: WorkerConfig) -> int:
    from archive.lock import WRITER_NAME

    if not WRITER_NAME.fullmatch(config.name):
        print(f"wirecopy worker: a worker name is 1-64 letters, digits or _, not {config.name!r}",
              file=sys.stderr)
        return 2
    ensure_schema(config.catalog_url)
    logger.warning("Worker %s: taking crawl units for %s", config.name, config.archive)
    asyncio.run(run_worker(config))
    return 0
