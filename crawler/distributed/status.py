"""``wirecopy workers status``: the queue (units waiting, being crawled and by which worker,
with the age of its last heartbeat), the story tracking (runs waiting, running and by which
worker, failed; sealed WARC files not tracked yet) and the archive's named writers (alive or
not, and the WARC file each has open)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .stats import worker_stats
from .stories import STORIES_QUEUE, STORIES_TASK, untracked_files
from .units import QUEUE, TASK_NAME


def queue_status(url: str) -> dict[str, Any]:
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, row_factory=dict_row) as conn:
        stats = worker_stats(conn)
        if conn.execute("SELECT to_regclass('procrastinate_jobs') AS t").fetchone()["t"] is None:
            return {"workers": [], "units": [], "waiting": 0, "failed": 0, "stats": stats}
        # procrastinate's own tables, read only: it has no listing of workers and heartbeats
        workers = conn.execute(
            "SELECT id, EXTRACT(EPOCH FROM NOW() - last_heartbeat)::float AS heartbeat_age"
            " FROM procrastinate_workers ORDER BY id").fetchall()
        units = conn.execute(
            "SELECT j.id, j.status::text AS status, j.attempts, j.worker_id, j.args->'unit'->>'site' AS site,"
            " j.args->'unit'->>'job' AS job,"
            " EXTRACT(EPOCH FROM NOW() - w.last_heartbeat)::float AS heartbeat_age"
            " FROM procrastinate_jobs j LEFT JOIN procrastinate_workers w ON w.id = j.worker_id"
            " WHERE j.queue_name = %s AND j.task_name = %s AND j.status IN ('todo', 'doing', 'failed')"
            " ORDER BY j.status, j.id", (QUEUE, TASK_NAME)).fetchall()
    return {"workers": workers, "units": [u for u in units if u["status"] == "doing"],
            "waiting": sum(u["status"] == "todo" for u in units),
            "failed": sum(u["status"] == "failed" for u in units), "stats": stats}


def stories_status(url: str, archive: str | Path | None) -> dict[str, Any]:
    """Tracking runs waiting, running (with their worker's heartbeat age) and failed (with the
    last failure's time); WARC files tracked, and sealed ones not tracked yet when ``archive`` is given."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, row_factory=dict_row) as conn:
        tables = conn.execute("SELECT to_regclass('procrastinate_jobs') AS jobs,"
                              " to_regclass('wirecopy_story_files') AS files").fetchone()
        runs = [] if tables["jobs"] is None else conn.execute(
            "SELECT j.id, j.status::text AS status, j.attempts, j.worker_id,"
            " EXTRACT(EPOCH FROM NOW() - w.last_heartbeat)::float AS heartbeat_age,"
            " (SELECT max(e.at) FROM procrastinate_events e WHERE e.job_id = j.id AND e.type = 'failed') AS failed_at"
            " FROM procrastinate_jobs j LEFT JOIN procrastinate_workers w ON w.id = j.worker_id"
            " WHERE j.queue_name = %s AND j.task_name = %s AND j.status IN ('todo', 'doing', 'failed')"
            " ORDER BY j.id", (STORIES_QUEUE, STORIES_TASK)).fetchall()
        tracked = [] if tables["files"] is None else [
            row["name"] for row in conn.execute("SELECT name FROM wirecopy_story_files")]
    failed = [run for run in runs if run["status"] == "failed"]
    return {"waiting": sum(run["status"] == "todo" for run in runs),
            "running": [{key: run[key] for key in ("id", "attempts", "worker_id", "heartbeat_age")}
                        for run in runs if run["status"] == "doing"],
            "failed": len(failed), "last_failed": max((run["failed_at"] for run in failed if run["failed_at"]),
                                                      default=None),
            "tracked_files": len(tracked),
            "untracked_files": None if archive is None else len(untracked_files(archive, tracked))}


def writers_status(archive: str | Path) -> list[dict[str, Any]]:
    from archive.lock import WRITERS_DIR, file_writer
    from crawler.jobs.lock import is_held

    root = Path(archive)
    open_files: dict[str, list[str]] = {}
    for path in sorted((root / "warc").glob("*.warc.gz.open")):
        open_files.setdefault(file_writer(root, path.name), []).append(path.name)
    found = []
    for lock in sorted((root / WRITERS_DIR).glob("*.lock")):
        name = lock.name.removesuffix(".lock")
        modified = datetime.fromtimestamp(lock.stat().st_mtime, timezone.utc).isoformat(timespec="seconds")
        found.append({"name": name, "alive": is_held(lock), "open_files": open_files.get(name, []),
                      "since": modified})
    return found


def print_status(queue: dict[str, Any], stories: dict[str, Any], writers: list[dict[str, Any]] | None) -> None:
    print(f"queue: {queue['waiting']} unit(s) waiting, {len(queue['units'])} being crawled,"
          f" {queue['failed']} failed; {len(queue['workers'])} worker(s) registered")
    for worker in queue["workers"]:
        print(f"  worker {worker['id']}: last heartbeat {worker['heartbeat_age']:.1f} s ago")
    for unit in queue["units"]:
        age = "no worker" if unit["heartbeat_age"] is None else f"heartbeat {unit['heartbeat_age']:.1f} s ago"
        print(f"  {unit['site']} (job {unit['job']}, attempt {unit['attempts']}): worker {unit['worker_id']}, {age}")
    for row in queue["stats"]:
        figures = ", ".join(f"{name} {value}" for name, value in sorted(row["stats"].items()))
        print(f"  stats of {row['name']} ({row['host']}, pid {row['pid']}, since {row['started']:%Y-%m-%d %H:%M}):"
              f" {figures}")
    untracked = "" if stories["untracked_files"] is None else f", {stories['untracked_files']} sealed not yet"
    last_failed = f" (last at {stories['last_failed']:%Y-%m-%d %H:%M:%S})" if stories["last_failed"] else ""
    print(f"story tracking: {stories['waiting']} run(s) waiting, {len(stories['running'])} running,"
          f" {stories['failed']} failed{last_failed}; {stories['tracked_files']} WARC file(s) tracked{untracked}")
    for run in stories["running"]:
        age = "no worker" if run["heartbeat_age"] is None else f"heartbeat {run['heartbeat_age']:.1f} s ago"
        print(f"  run {run['id']} (attempt {run['attempts']}): worker {run['worker_id']}, {age}")
    if writers is not None:
        print(f"archive writers: {sum(w['alive'] for w in writers)} alive of {len(writers)}")
        for writer in writers:
            files = ", ".join(writer["open_files"]) or "no open file"
            print(f"  {writer['name']}: {'alive' if writer['alive'] else 'gone'}; {files}")
