"""The job history: one row per run of a job, in ``ARCHIVE/jobs.sqlite``.

A row is written as ``running`` when a run starts and completed when it ends. A row still
``running`` while nobody holds the job's lock belongs to a run that was killed: the next run
marks it ``killed`` and resumes its frontier.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

HISTORY_FILE = "jobs.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    status TEXT NOT NULL,
    exit_code INTEGER,
    pages INTEGER NOT NULL DEFAULT 0,
    new_articles INTEGER NOT NULL DEFAULT 0,
    revisits INTEGER NOT NULL DEFAULT 0,
    changed_articles INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    duration REAL,
    bytes_written INTEGER NOT NULL DEFAULT 0,
    finish_reason TEXT,
    resumed_run INTEGER,
    frontier_since TEXT NOT NULL,
    skipped_hosts TEXT NOT NULL DEFAULT '[]',
    pid INTEGER,
    stats TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_job ON runs (job, id);
"""
# a distributed run (crawl workers): its site units, how many have ended, how many failed
UNIT_COLUMNS = (("units", "INTEGER"), ("units_done", "INTEGER NOT NULL DEFAULT 0"),
                ("units_failed", "INTEGER NOT NULL DEFAULT 0"))

# Run states: the first is the only unfinished one.
RUNNING, OK, PARTIAL, FAILED, INTERRUPTED, KILLED, MISSED = (
    "running", "ok", "partial", "failed", "interrupted", "killed", "missed")
RESUMABLE = (INTERRUPTED, KILLED)


def utcnow() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RunFigures:
    pages: int = 0
    new_articles: int = 0
    revisits: int = 0
    changed_articles: int = 0
    errors: int = 0
    bytes_written: int = 0
    skipped_hosts: tuple[str, ...] = ()

    @classmethod
    def from_stats(cls, stats: dict[str, Any]) -> "RunFigures":
        """The figures of a run, read from its crawl stats.

        Errors are fetches that failed for good: network failures and skipped hosts after
        retries (not requests robots.txt forbids), final 5xx/429 answers, and records that could not be written. A 404 is the
        site's content, not a failure of the job.
        """
        failed = sum(v for k, v in stats.items()
                     if k.startswith("fetch/failed/") and k != "fetch/failed/IgnoreRequest")
        server = server_failures(stats)
        changed = stats.get("recrawl/changed_articles", 0)
        return cls(
            pages=stats.get("wirecopy/pages", 0),
            new_articles=max(stats.get("warc/articles", 0) - changed, 0),
            revisits=stats.get("warc/captures/revisit", 0),
            changed_articles=changed,
            errors=failed + server + stats.get("warc/write_errors", 0),
            bytes_written=stats.get("warc/bytes", 0),
            skipped_hosts=tuple(stats.get("retry/skipped_hosts", ())),
        )


def server_failures(stats: dict[str, Any]) -> int:
    """Final 5xx and 429 answers, after the retries: fetches the server refused. (A 404 is an
    answer: the site's content.)"""
    return sum(v for k, v in stats.items() if k.startswith("fetch/http_error/")
               and (k.rsplit("/", 1)[-1].startswith("5") or k.endswith("/429")))


class JobHistory:
    def __init__(self, archive: str | Path):
        self.path = Path(archive) / HISTORY_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        present = {row[1] for row in self.db.execute("PRAGMA table_info(runs)")}
        for name, kind in UNIT_COLUMNS:
            if name not in present:
                self.db.execute(f"ALTER TABLE runs ADD COLUMN {name} {kind}")
        self.db.commit()

    @classmethod
    def open_existing(cls, archive: str | Path) -> "JobHistory | None":
        return cls(archive) if (Path(archive) / HISTORY_FILE).exists() else None

    def close(self) -> None:
        self.db.close()

    def mark_killed(self, job: str) -> list[int]:
        """Runs left ``running`` by a process that died; call while holding the job's lock."""
        ids = [r[0] for r in self.db.execute(
            "SELECT id FROM runs WHERE job = ? AND status = ?", (job, RUNNING))]
        self.db.execute("UPDATE runs SET status = ?, finish_reason = 'killed' WHERE job = ? AND status = ?",
                        (KILLED, job, RUNNING))
        self.db.commit()
        return ids

    def last_run(self, job: str, *, include_missed: bool = False) -> sqlite3.Row | None:
        clause = "" if include_missed else " AND status != 'missed'"
        return self.db.execute(f"SELECT * FROM runs WHERE job = ?{clause} ORDER BY id DESC LIMIT 1",
                               (job,)).fetchone()

    def start(self, job: str, *, resumed_run: int | None, frontier_since: str, pid: int) -> int:
        cur = self.db.execute(
            "INSERT INTO runs (job, started, status, resumed_run, frontier_since, pid)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (job, utcnow(), RUNNING, resumed_run, frontier_since, pid))
        self.db.commit()
        return cur.lastrowid

    def start_distributed(self, job: str, *, units: int, frontier_since: str) -> int:
        """The row of a run split into ``units`` site units for the crawl workers; it ends when
        the last unit does (``add_unit``)."""
        cur = self.db.execute(
            "INSERT INTO runs (job, started, status, frontier_since, units) VALUES (?, ?, ?, ?, ?)",
            (job, utcnow(), RUNNING, frontier_since, units))
        self.db.commit()
        return cur.lastrowid

    def add_unit(self, run_id: int, *, figures: RunFigures, failed: bool) -> str | None:
        """Add the figures of one ended unit to a distributed run; the unit that ends the run
        sets its status (ok, partial or failed), exit code and duration. Returns that status
        when this unit ended the run."""
        with self.db:  # one transaction: two workers ending units at once both count
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "UPDATE runs SET pages = pages + ?, new_articles = new_articles + ?, revisits = revisits + ?,"
                " changed_articles = changed_articles + ?, errors = errors + ?, bytes_written = bytes_written + ?,"
                " units_done = units_done + 1, units_failed = units_failed + ? WHERE id = ? AND status = ?",
                (figures.pages, figures.new_articles, figures.revisits, figures.changed_articles, figures.errors,
                 figures.bytes_written, int(failed), run_id, RUNNING))
            row = self.db.execute("SELECT started, units, units_done, units_failed, errors FROM runs WHERE id = ?",
                                  (run_id,)).fetchone()
            if row is None or row["units_done"] < (row["units"] or 0):
                return None
            if row["units_failed"] == row["units"]:
                status, code = FAILED, 2
            elif row["units_failed"] or row["errors"]:
                status, code = PARTIAL, 1
            else:
                status, code = OK, 0
            duration = (datetime.now(timezone.utc) - datetime.fromisoformat(row["started"])).total_seconds()
            reason = "units_failed" if row["units_failed"] else "finished"
            self.db.execute("UPDATE runs SET ended = ?, status = ?, exit_code = ?, duration = ?, finish_reason = ?"
                            " WHERE id = ?", (utcnow(), status, code, round(duration, 3), reason, run_id))
            return status

    def started_at(self, run_id: int) -> str:
        return self.db.execute("SELECT started FROM runs WHERE id = ?", (run_id,)).fetchone()[0]

    def finish(self, run_id: int, *, status: str, exit_code: int, figures: RunFigures,
               duration: float, finish_reason: str | None, stats: dict[str, Any]) -> None:
        self.db.execute(
            "UPDATE runs SET ended = ?, status = ?, exit_code = ?, pages = ?, new_articles = ?,"
            " revisits = ?, changed_articles = ?, errors = ?, duration = ?, bytes_written = ?,"
            " finish_reason = ?, skipped_hosts = ?, stats = ? WHERE id = ?",
            (utcnow(), status, exit_code, figures.pages, figures.new_articles, figures.revisits,
             figures.changed_articles, figures.errors, round(duration, 3), figures.bytes_written,
             finish_reason, json.dumps(list(figures.skipped_hosts)),
             json.dumps(stats, default=str, sort_keys=True), run_id))
        self.db.commit()

    def record_missed(self, job: str, scheduled: str, note: str) -> None:
        """A scheduled run the daemon skipped (later than the job's misfire grace time)."""
        now = utcnow()
        self.db.execute(
            "INSERT INTO runs (job, started, ended, status, finish_reason, frontier_since)"
            " VALUES (?, ?, ?, ?, ?, ?)", (job, scheduled, now, MISSED, note, now))
        self.db.commit()

    def runs(self, job: str, limit: int = 5) -> Iterator[sqlite3.Row]:
        return iter(self.db.execute(
            "SELECT * FROM runs WHERE job = ? ORDER BY id DESC LIMIT ?", (job, limit)).fetchall())
