"""Stats per crawl worker, in the queue's PostgreSQL database: one row per worker name with what
its units came to (finished, failed for good, tried again, stopped with the worker), the pages
they archived or answered from the archive, WARC files of dead workers they sealed, and how
often the worker lost its database. ``wirecopy workers status`` lists them."""

from __future__ import annotations

import logging
import os
import socket
from collections import Counter
from datetime import datetime, timezone
from typing import Any

logger = logging.getLogger(__name__)

WORKER_STATS_TABLE = """
CREATE TABLE IF NOT EXISTS wirecopy_worker_stats (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL,
    stats JSONB NOT NULL
)"""

OUTCOMES = ("finished", "failed", "retried", "stopped")
# from a unit's summary: added up over the worker's units
FIGURES = ("pages", "replayed", "recovered_files", "lost")


class WorkerStats:
    def __init__(self, url: str, name: str):
        self.url = url
        self.name = name
        self.started = datetime.now(timezone.utc)
        self.counts: Counter = Counter({f"units/{outcome}": 0 for outcome in OUTCOMES})

    def add(self, outcome: str, summary: dict[str, Any]) -> None:
        """A unit ended so (one of OUTCOMES); its figures are added and the row written."""
        self.counts[f"units/{outcome}"] += 1
        for name in FIGURES:
            self.counts[name] += int(summary.get(name) or 0)
        self.write()

    def count(self, name: str) -> None:
        """One more of ``name`` (a database outage, a job-history row or story deferral lost),
        written with the next write of the row."""
        self.counts[name] += 1

    def write(self) -> None:
        """Write the worker's row; a database that does not answer leaves it for the next unit."""
        import psycopg
        from psycopg.types.json import Jsonb

        try:
            with psycopg.connect(self.url, connect_timeout=5) as conn:
                conn.execute(
                    "INSERT INTO wirecopy_worker_stats (name, host, pid, started, updated, stats)"
                    " VALUES (%s, %s, %s, %s, now(), %s) ON CONFLICT (name) DO UPDATE SET host = EXCLUDED.host,"
                    " pid = EXCLUDED.pid, started = EXCLUDED.started, updated = now(), stats = EXCLUDED.stats",
                    (self.name, socket.gethostname(), os.getpid(), self.started, Jsonb(dict(self.counts))))
        except psycopg.OperationalError as exc:
            logger.warning("Worker %s: its stats not written now (%s); with its next unit", self.name, exc)


def worker_stats(conn) -> list[dict[str, Any]]:
    """Every worker's row, by name (``conn`` returns dict rows)."""
    if conn.execute("SELECT to_regclass('wirecopy_worker_stats') AS t").fetchone()["t"] is None:
        return []
    return conn.execute("SELECT name, host, pid, started, updated, stats FROM wirecopy_worker_stats"
                        " ORDER BY name").fetchall()
