"""The PostgreSQL catalog: one catalog shared by crawl workers on several machines.

The same protocol and behaviour as the SQLite catalog (``sqlite.py``). Writes are units run in
their own transaction (``SERIALIZABLE``, so concurrent writers behave as SQLite's one writer at
a time: a version number read in a unit is still the latest when it commits); inside ``batch()``
units share one. A transaction that fails on a transient error (serialization failure, deadlock,
a lock held past ``busy_timeout``, the connection or the server lost) is run again with
back-off, its batch's earlier units replayed first; a unit that still cannot be written is
queued, in order, and written before the catalog closes; what is left then is counted
(``write_errors``) and ``close()`` raises ``CatalogWriteError``. Connections come from a pool,
within ``connect_timeout``. A read or write that fails for good on a lost server marks it
down: until a read or write succeeds again, reads raise ``CatalogUnavailable`` at once
(``reads_skipped``) but for one tried every ``retry_max_delay``, and connections are waited for
``retry_delay`` only, so a crawl goes on at speed, its rows queued.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter, deque
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any, Callable, TypeVar

import psycopg
from psycopg_pool import PoolTimeout

from . import pg_maintenance
from .location import CatalogUnavailable
from .options import CatalogOptions
from .pg_pool import migrated_schema, open_pool, redacted, server_gone, with_outage_noted
from .pg_queries import PgQueries, Result, row_factory, translate
from .pg_rows import PgRowWriter
from .pg_schema import CATALOG_TABLES, found_version
from .rows import CaptureKind
from .units import CatalogBusy, QueuedUnits

logger = logging.getLogger(__name__)

T = TypeVar("T")
Unit = Callable[["PostgresCatalog"], Any]

_translate = lru_cache(maxsize=512)(translate)


class _Statements:
    """``execute`` as on a sqlite3 connection: in the open transaction if there is one, else on
    a pooled connection (retried if the connection is lost), the rows read whole."""

    def __init__(self, catalog: PostgresCatalog):
        self.catalog = catalog

    def execute(self, statement: str, params: tuple | list = ()) -> Result:
        statement = _translate(statement)
        catalog = self.catalog
        if catalog._conn is not None:
            cur = catalog._conn.execute(statement, params)
            catalog._pipeline.sync()  # the rows of a read are needed now
            return Result(cur.fetchall() if cur.description is not None else [], cur.rowcount)

        if catalog.down_since is not None and time.monotonic() - catalog.down_since < catalog.options.retry_max_delay:
            catalog.stats["reads_skipped"] += 1
            raise CatalogUnavailable(f"the catalog at {catalog.path} is down (a read or write failed"
                                     f" {time.monotonic() - catalog.down_since:.1f} s ago)")

        def attempt() -> Result:
            with catalog.pool.connection(timeout=catalog.connection_wait) as conn:
                return _run(conn, statement, params)
        return with_outage_noted(catalog, catalog.options, catalog.stats, attempt)


def _run(conn: psycopg.Connection, statement: str, params) -> Result:
    cur = conn.execute(statement, params)
    return Result(cur.fetchall() if cur.description is not None else [], cur.rowcount)


class PostgresCatalog(QueuedUnits, PgRowWriter, PgQueries):
    unwritten_because = "stayed unavailable"
    errors = (psycopg.Error, CatalogUnavailable)

    def __init__(self, url: str, options: CatalogOptions | None = None,
                 kind_of_record: Callable[[str, int, int], CaptureKind] | None = None, readonly: bool = False):
        """``readonly``: queries only, no migration (``FileNotFoundError`` when the schema holds
        no catalog). ``kind_of_record`` is for the SQLite layouts older than this back-end."""
        self.options = options or CatalogOptions()
        self.url = url
        self.schema = self.options.catalog_schema
        self.path = f"{redacted(url)} schema {self.schema}"  # where, for messages
        self.stats: Counter[str] = Counter()
        self._queue: deque[Unit] = deque()
        self._pending: list[Unit] = []  # units of the open batch, replayed if its transaction is lost
        self._batching = 0
        self._conn: psycopg.Connection | None = None
        self._pipeline_mode: AbstractContextManager[psycopg.Pipeline] | None = None
        self._pipeline: psycopg.Pipeline | None = None
        self._last_drain = 0.0
        self._units_to_check = pg_maintenance.CHECK_EVERY  # committed units until the next maintenance look
        self._maintenance: threading.Thread | None = None
        # when a read or a write last found the server gone (None: up). Until one succeeds,
        # reads fail at once but for one every retry_max_delay, tried once, and connections are
        # waited for retry_delay, not connect_timeout: a crawl does not stall on a server known
        # to be down (the pool reconnects in the background meanwhile).
        self.down_since: float | None = None
        self._session_lock_timeout_ms = max(1, int(self.options.busy_timeout * 1000))
        self._lock_timeout_ms = self._session_lock_timeout_ms
        self.pool = open_pool(url, self.options, f"catalog-{self.schema}", self.options.pool_size, row_factory)
        self.db = _Statements(self)
        try:
            if readonly:
                with self.pool.connection() as conn:
                    found = found_version(conn, self.schema)
                if found is None:
                    raise FileNotFoundError(f"no archive catalog in {self.path}")
                self.schema_found = found
            else:
                self.schema_found = migrated_schema(self.pool, self.options, self.stats)
        except BaseException:
            self.pool.close()
            raise

    @property
    def connection_wait(self) -> float:
        """Seconds to wait for a pooled connection: ``connect_timeout``, or ``retry_delay``
        while the server is known to be down."""
        return self.options.connect_timeout if self.down_since is None else self.options.retry_delay

    # -- transactions, retries and the queue ---------------------------------------------
    def _begin(self) -> None:
        """A transaction in pipeline mode: statements whose results a unit does not read are
        sent without waiting for the server (a unit's writes cost one round trip, not one each)."""
        conn = self.pool.getconn(timeout=self.connection_wait)
        try:
            self._pipeline_mode = conn.pipeline()
            self._pipeline = self._pipeline_mode.__enter__()
            conn.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            if self._lock_timeout_ms != self._session_lock_timeout_ms:
                conn.execute(f"SET LOCAL lock_timeout = {self._lock_timeout_ms}")
        except BaseException as exc:
            self._end_pipeline(exc)
            self.pool.putconn(conn)
            raise
        self._conn = conn

    def _end_pipeline(self, exc: BaseException | None = None) -> None:
        """Leave pipeline mode: sends what is queued and raises the first error in it, if any."""
        pipeline, self._pipeline_mode, self._pipeline = self._pipeline_mode, None, None
        if pipeline is None:
            return
        if exc is None:
            pipeline.__exit__(None, None, None)
            return
        try:
            pipeline.__exit__(type(exc), exc, exc.__traceback__)
        except psycopg.Error:
            pass

    def _abort(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            self._end_pipeline(RuntimeError("aborted"))
            if not conn.closed:
                conn.execute("ROLLBACK")
        except psycopg.Error:
            pass
        finally:
            self.pool.putconn(conn)

    def _attempt(self, unit: Unit | None, commit: bool) -> Any:
        if self._conn is None:
            self._begin()
            for earlier in self._pending:
                earlier(self)
        result = unit(self) if unit is not None else None
        if commit:
            self._conn.execute("COMMIT")
            self._end_pipeline()  # the commit's outcome (and any error queued before it) is known here
            conn, self._conn = self._conn, None
            self.pool.putconn(conn)
        return result

    def _transact(self, unit: Unit | None, commit: bool, retries: int) -> Any:
        """Run (and commit) in a transaction, again on transient errors. A conflict with another
        writer (serialization failure, deadlock) is retried for up to ``busy_timeout`` seconds
        before it counts as a retry, as SQLite waits that long for its write lock."""
        delay = self.options.retry_delay
        started = time.monotonic()
        attempt = 0
        while True:
            try:
                result = self._attempt(unit, commit)
            except psycopg.OperationalError as exc:  # serialization, deadlock, lock timeout, connection
                self._abort()
                conflict = (exc.sqlstate or "").startswith("40")  # serialization failure, deadlock
                if not (conflict and time.monotonic() - started < self.options.busy_timeout):
                    if attempt == retries:
                        if server_gone(exc):
                            self.down_since = time.monotonic()
                        raise CatalogBusy(str(exc)) from exc
                    attempt += 1
                self.stats["retries"] += 1
                logger.debug("Catalog transaction failed (%s); retrying in %.2f s", exc, delay)
                time.sleep(delay * random.uniform(0.5, 1.5))  # two writers that collided part
                delay = min(delay * 2, self.options.retry_max_delay)
                continue
            except BaseException:
                self._abort()
                self._pending.clear()
                raise
            self.down_since = None
            if commit:
                self._units_to_check -= len(self._pending) + (unit is not None)
                self._pending.clear()
                if self._units_to_check <= 0:
                    self._maintain()
            elif unit is not None:
                self._pending.append(unit)
            return result

    def _maintain(self) -> None:
        """``VACUUM (ANALYZE)`` of the catalog tables that doubled since the server last counted
        them (``pg_maintenance``), in a thread of its own: a large table's vacuum must not hold
        up the writes (a crawl's come from its event loop)."""
        self._units_to_check = pg_maintenance.CHECK_EVERY
        if self._maintenance is None or not self._maintenance.is_alive():
            self._maintenance = threading.Thread(target=self._vacuum_analyze, daemon=True,
                                                 name=f"catalog maintenance {self.schema}")
            self._maintenance.start()

    def join_maintenance(self) -> None:
        """Wait for a running ``VACUUM (ANALYZE)`` to end."""
        if self._maintenance is not None:
            self._maintenance.join()

    def _vacuum_analyze(self) -> None:
        """A failure is logged and counted; the rows are kept, only the statistics lag."""
        try:
            with self.pool.connection(timeout=self.connection_wait) as conn:
                done = pg_maintenance.vacuum_analyze_due(conn, self.schema, CATALOG_TABLES)
        except (psycopg.Error, PoolTimeout) as exc:
            self.stats["maintain_failed"] += 1
            logger.warning("VACUUM (ANALYZE) of the catalog tables in %s failed: %s", self.path, exc)
            return
        if done:
            self.stats["maintained"] += 1
            logger.info("Catalog tables vacuumed and analyzed in %s: %s", self.path, ", ".join(done))

    def _write_now(self, unit: Callable[[PostgresCatalog], T]) -> T:
        return self._transact(unit, not self._batching, self.options.retries)

    def _drain(self, retries: int) -> bool:
        """Write queued units, oldest first; True when the queue is empty. While writes keep
        coming (``retries`` 0) it is tried at most every ``retry_max_delay`` seconds and without
        waiting for locks."""
        if retries == 0:
            if time.monotonic() - self._last_drain < self.options.retry_max_delay:
                return False
            self._lock_timeout_ms = 1
        try:
            while self._queue:
                try:
                    self._transact(self._queue[0], not self._batching, retries)
                except CatalogBusy:
                    return False
                self._queue.popleft()
                self.stats["dequeued"] += 1
            return True
        finally:
            if retries == 0:
                self._lock_timeout_ms = self._session_lock_timeout_ms
                self._last_drain = time.monotonic()

    @property
    def queued(self) -> int:
        return len(self._queue) + (len(self._pending) if self._conn is None else 0)

    def commit(self) -> None:
        if self._conn is None and not self._pending:
            return
        try:
            self._transact(None, True, self.options.retries)
        except CatalogBusy as exc:
            logger.warning("Catalog unavailable (%s): a batch of rows queued until it can be written", exc)
            self._queue.extendleft(reversed(self._pending))
            self.stats["queued"] += len(self._pending)
            self._pending.clear()

    def rollback(self) -> None:
        self._abort()
        self._pending.clear()

    def flush(self) -> None:
        if self.down_since is not None and (self._queue or self._pending):
            self._reconnect()
        super().flush()

    def _reconnect(self) -> None:
        """A new pool, if the server answers within ``connect_timeout``: the pool's own
        reconnection backs off without bound (1, 2, 4, 8 s ...), so after an outage its next
        attempt may come long after the server is back, and after the run's last flush."""
        try:
            pool = open_pool(self.url, self.options, f"catalog-{self.schema}", self.options.pool_size, row_factory)
        except CatalogUnavailable as exc:
            logger.warning("%s", exc)
            return
        self._abort()
        self.join_maintenance()
        old, self.pool = self.pool, pool
        old.close()
        self.down_since = None
        self.stats["reconnected"] += 1

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self._abort()
            self.join_maintenance()
            self.pool.close()
