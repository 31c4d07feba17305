"""The SQLite catalog (the default): one file in WAL mode beside the WARC files.

Writes are *units*: a callable that writes the rows of one thing (a capture and its validators,
an article and its version) through the row methods below. ``write(unit)`` runs it in its own
transaction (``BEGIN IMMEDIATE``, so contention shows before anything is written); inside
``batch()`` units share one transaction. When another process holds the write lock past the busy
timeout the transaction is retried with back-off (``retries``); a unit that still cannot be
written is queued, in order, and written before the catalog closes. What cannot be written by
then is counted (``write_errors``) and ``close()`` raises ``CatalogWriteError``.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections import Counter, deque
from pathlib import Path
from typing import Callable, TypeVar

from .options import CatalogOptions
from .queries import CatalogQueries
from .rows import ArticleRow, CaptureKind, CaptureRow, RevisitLink
from .schema import OWNED_TABLES, migrated
from .sqlite_checkpoint import BackgroundCheckpoints
from .units import CatalogBusy, QueuedUnits

logger = logging.getLogger(__name__)

T = TypeVar("T")
_MAX_ROWID = 2**63 - 1


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


class SQLiteCatalog(QueuedUnits, CatalogQueries):
    errors = (sqlite3.Error,)

    def __init__(self, path: str | Path, options: CatalogOptions | None = None,
                 kind_of_record: Callable[[str, int, int], CaptureKind] | None = None,
                 readonly: bool = False, db: sqlite3.Connection | None = None):
        """``readonly``: queries only, no migration (readers never block the writer);
        ``db``: queries over a connection the caller owns (``close`` leaves it open)."""
        self.path = Path(path)
        self.options = options or CatalogOptions()
        self.stats: Counter[str] = Counter()
        self._queue: deque[Callable[[SQLiteCatalog], object]] = deque()
        self._batching = 0
        self._in_transaction = False
        self._last_drain = 0.0
        self._owns_db = db is None
        self._checkpoints: BackgroundCheckpoints | None = None
        if db is not None or readonly:
            if db is None:
                if not self.path.is_file():
                    raise FileNotFoundError(f"no archive catalog at {self.path}")
                db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=self.options.busy_timeout,
                                     check_same_thread=False)
                db.row_factory = sqlite3.Row
            self.db = db
            self.schema_found = db.execute("PRAGMA user_version").fetchone()[0]
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=self.options.busy_timeout, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self._retrying(lambda: self.db.execute("PRAGMA journal_mode=WAL"), self.options.retries)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA cache_size = -65536")
        self.schema_found = self._retrying(
            lambda: migrated(self.db, kind_of_record or (lambda *_: CaptureKind.OTHER)), self.options.retries)
        # the story store writes the same file: neither writer copies the WAL back in its commits
        self._checkpoints = BackgroundCheckpoints(self.db, str(self.path), self.stats)

    # -- transactions, retries and the queue ---------------------------------------------
    def _retrying(self, action: Callable[[], T], retries: int) -> T:
        delay = self.options.retry_delay
        for attempt in range(retries + 1):
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or attempt == retries:
                    if _is_busy(exc):
                        raise CatalogBusy(str(exc)) from exc
                    raise
                self.stats["retries"] += 1
                logger.debug("Catalog busy (%s); retrying in %.2f s", exc, delay)
                time.sleep(delay)
                delay = min(delay * 2, self.options.retry_max_delay)
        raise AssertionError("unreachable")

    def _begin(self, retries: int) -> None:
        self._retrying(lambda: self.db.execute("BEGIN IMMEDIATE"), retries)
        self._in_transaction = True

    def _commit(self) -> None:
        if self._in_transaction:
            self._retrying(lambda: self.db.execute("COMMIT"), self.options.retries)
            self._in_transaction = False
            if self._checkpoints is not None:
                self._checkpoints.committed()

    def _run(self, unit: Callable[[SQLiteCatalog], T], retries: int) -> T:
        if not self._in_transaction:
            self._begin(retries)
        try:
            result = unit(self)
        except BaseException:
            self.db.execute("ROLLBACK")
            self._in_transaction = False
            raise
        if not self._batching:
            self._commit()
        return result

    def _write_now(self, unit: Callable[[SQLiteCatalog], T]) -> T:
        return self._run(unit, self.options.retries)

    def _drain(self, retries: int) -> bool:
        """Write queued units, oldest first; True when the queue is empty. While writes keep
        coming (``retries`` 0) it is tried at most every ``retry_max_delay`` seconds and without
        waiting for the lock, so a lock held for long does not stall them."""
        if retries == 0:
            if time.monotonic() - self._last_drain < self.options.retry_max_delay:
                return False
            self.db.execute("PRAGMA busy_timeout = 0")
        try:
            while self._queue:
                try:
                    self._run(self._queue[0], retries)
                except CatalogBusy:
                    return False
                self._queue.popleft()
                self.stats["dequeued"] += 1
            return True
        finally:
            if retries == 0:
                self.db.execute(f"PRAGMA busy_timeout = {int(self.options.busy_timeout * 1000)}")
                self._last_drain = time.monotonic()

    @property
    def queued(self) -> int:
        return len(self._queue)

    def commit(self) -> None:
        self._commit()

    def rollback(self) -> None:
        if self._in_transaction:
            self.db.execute("ROLLBACK")
            self._in_transaction = False

    def close(self) -> None:
        try:
            self.flush()
        finally:
            try:
                if self._checkpoints is not None:
                    self._checkpoints.close()
            finally:
                if self._owns_db:
                    self.db.close()

    # -- rows (called inside a unit) -------------------------------------------------------
    def add_capture(self, row: CaptureRow, replace: bool = True) -> int | None:
        """The capture's id; with ``replace=False`` None when its record id is cataloged already."""
        values = row.__dict__
        conflict = "DO UPDATE SET warc_file = excluded.warc_file" if replace else "DO NOTHING"
        found = self.db.execute(
            f"INSERT INTO captures ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})"
            f" ON CONFLICT (record_id) {conflict} RETURNING id", tuple(values.values())).fetchone()
        return found[0] if found else None

    def add_captures(self, rows: list[CaptureRow], replace: bool = True) -> list[int | None]:
        """``add_capture`` of each row, in order, as one statement (an import or a rebuild writes
        thousands): the ids, None for a row whose record id was cataloged already (``replace`` False)."""
        if not rows:
            return []
        columns = tuple(rows[0].__dict__)
        conflict = "DO UPDATE SET warc_file = excluded.warc_file" if replace else "DO NOTHING"
        record_ids = [row.record_id for row in rows]
        last = self._last_capture_id()
        random_ids = last > _MAX_ROWID - len(rows)  # past the largest id SQLite picks new ones at random
        known = set(self._capture_ids(record_ids)) if random_ids and not replace else set()
        self.db.executemany(
            f"INSERT INTO captures ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            f" ON CONFLICT (record_id) {conflict}", [tuple(row.__dict__.values()) for row in rows])
        if not random_ids and self._last_capture_id() - last == len(rows):
            # every row was new (an update takes no id): each got the id one past the largest, in order
            return list(range(last + 1, last + 1 + len(rows)))
        ids = self._capture_ids(record_ids)
        if replace:
            return [ids[record_id] for record_id in record_ids]
        if not random_ids:
            known = {record_id for record_id, capture_id in ids.items() if capture_id <= last}
        written: list[int | None] = []
        for record_id in record_ids:
            written.append(None if record_id in known else ids[record_id])
            known.add(record_id)  # a second row with the same record id is not written
        return written

    def _last_capture_id(self) -> int:
        return self.db.execute("SELECT max(id) FROM captures").fetchone()[0] or 0

    def _capture_ids(self, record_ids: list[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for start in range(0, len(record_ids), 500):
            chunk = record_ids[start:start + 500]
            ids.update(self.db.execute(f"SELECT record_id, id FROM captures WHERE record_id IN"
                                       f" ({', '.join('?' * len(chunk))})", chunk).fetchall())
        return ids

    def add_validators(self, capture_id: int, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self.db.execute("INSERT OR REPLACE INTO validators VALUES (?, ?, ?)",
                            (capture_id, etag, last_modified))

    def add_many_validators(self, rows: list[tuple[int, str | None, str | None]]) -> None:
        """``add_validators`` of many (capture id, ETag, Last-Modified), as one statement."""
        self.db.executemany("INSERT OR REPLACE INTO validators VALUES (?, ?, ?)",
                            [row for row in rows if row[1] or row[2]])

    def add_revisit(self, capture_id: int, link: RevisitLink) -> None:
        """The original is the capture whose record id the revisit names, when cataloged
        (``resolve_revisits`` links the rest once their originals are)."""
        original = None
        if link.refers_to:
            original = self.db.execute("SELECT id FROM captures WHERE record_id = ?", (link.refers_to,)).fetchone()
        self.db.execute(
            "INSERT OR REPLACE INTO revisits VALUES (?, ?, ?, ?, ?, ?)",
            (capture_id, link.profile, link.refers_to, link.refers_to_uri, link.refers_to_date,
             original[0] if original else None))

    def resolve_revisits(self) -> None:
        self.db.execute("UPDATE revisits SET original_id = (SELECT id FROM captures c WHERE c.record_id = refers_to)"
                        " WHERE original_id IS NULL AND refers_to IS NOT NULL")

    def add_article(self, row: ArticleRow) -> None:
        """The capture's current extraction; the one it replaces stays in ``extractions``."""
        values = row.values()
        columns = ", ".join(values)
        self.db.execute(f"INSERT OR IGNORE INTO extractions ({columns})"
                        f" SELECT {columns} FROM articles WHERE capture_id = ?", (row.capture_id,))
        for table in ("articles", "extractions"):
            self.db.execute(f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({', '.join('?' * len(values))})",
                            tuple(values.values()))
        self.db.execute("UPDATE captures SET kind = 'article' WHERE id = ? AND kind = 'page'", (row.capture_id,))
        if row.page_class is not None:
            self.set_page_class(row.capture_id, row.page_class, row.page_signals or [])

    def set_page_class(self, capture_id: int, page_class: str, signals: list[str]) -> None:
        """What an HTML capture was taken for (article, listing, wall, other) and why."""
        self.db.execute("UPDATE captures SET page_class = ?, page_signals = ? WHERE id = ?",
                        (str(page_class), json.dumps(list(signals)), capture_id))

    def add_version(self, capture_id: int, url: str, version: int, previous_id: int | None, text_hash: str,
                    diff: str | None, added: int | None, removed: int | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (capture_id, url, version, previous_id, text_hash, diff, added, removed))

    def set_warc_file(self, name: str, state: str, records: int | None = None,
                      size: int | None = None, note: str | None = None, job: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO warc_files (name, state, records, size, note, job) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET state = excluded.state,"
            " records = coalesce(excluded.records, records), size = coalesce(excluded.size, size),"
            " note = coalesce(excluded.note, note), job = coalesce(excluded.job, job)",
            (name, state, records, size, note, job))

    def forget_torn(self, name: str, size: int) -> int:
        """Remove what points past the end of a WARC file cut back to ``size`` bytes after a
        crash: rows committed before their records reached the file. Returns the captures removed."""
        q = self.db.execute
        torn = "SELECT id FROM captures WHERE warc_file = ? AND warc_offset + warc_length > ?"
        removed = len(q(torn, (name, size)).fetchall())
        for table in ("articles", "extractions"):
            q(f"DELETE FROM {table} WHERE (conversion_file = ? AND conversion_offset + conversion_length > ?)"
              f" OR (metadata_file = ? AND metadata_offset + metadata_length > ?)", (name, size, name, size))
        for table in ("articles", "extractions", "validators", "revisits", "versions"):
            q(f"DELETE FROM {table} WHERE capture_id IN ({torn})", (name, size))
        q("DELETE FROM captures WHERE warc_file = ? AND warc_offset + warc_length > ?", (name, size))
        return removed

    def clear(self) -> None:
        """Empty the capture tables (a rebuild refills them from the WARC files; the story store has its own)."""
        for table in OWNED_TABLES:
            self.db.execute(f"DELETE FROM {table}")
