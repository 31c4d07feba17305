"""One transaction at a time on a pooled PostgreSQL connection, in pipeline mode, whose writes are
journaled: if the connection is lost or the transaction fails on a transient error, a new one is
begun, the writes so far are replayed in it and the statement is run again (``CATALOG_RETRIES``
times, with back-off, as the catalog's transactions). An error other than a transient one rolls
the transaction back whole. Once the retries found the server gone, a transaction fails at once
(``CatalogUnavailable``, counted as ``unavailable``) but for one tried every ``retry_max_delay``
seconds, waiting ``retry_delay`` for a connection: while the server is down, a backlog of articles
is failed in seconds, not each after minutes of waiting.

Writes are sent without waiting for the server (dozens of writes cost no round trip each); a
read, or the commit, waits for everything sent before it, so a write's error surfaces there at
the latest.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import AbstractContextManager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from .options import CatalogOptions
from .location import CatalogUnavailable
from .pg_pool import with_outage_noted


class JournaledTransaction:
    def __init__(self, pool: ConnectionPool, options: CatalogOptions, stats: Counter[str], where: str):
        """``where``: the database and schema, for messages."""
        self.pool = pool
        self.options = options
        self.stats = stats
        self.where = where
        self.down_since: float | None = None  # when the retries last found the server gone (None: up)
        self._conn: psycopg.Connection | None = None
        self._pipeline_mode: AbstractContextManager[psycopg.Pipeline] | None = None
        self._pipeline: psycopg.Pipeline | None = None
        self._journal: list[tuple[str, Any]] = []  # the open transaction's writes, replayed if it is lost

    def _ended(self) -> None:
        """Called when a transaction ends, however: what was read in it may be stale."""

    def _forget(self) -> None:
        """Called when a transaction is rolled back for good: what it wrote is not kept."""

    def _release(self, commit: bool) -> None:
        self._ended()
        conn, self._conn = self._conn, None
        pipeline, self._pipeline_mode, self._pipeline = self._pipeline_mode, None, None
        if conn is None:
            return
        try:
            if commit:
                conn.execute("COMMIT")
                pipeline.__exit__(None, None, None)  # the commit's outcome is known here
                return
            try:
                pipeline.__exit__(RuntimeError, RuntimeError("rolled back"), None)
            finally:
                if not conn.closed:
                    conn.execute("ROLLBACK")
        finally:
            self.pool.putconn(conn)

    def _lost(self) -> None:
        """Drop the transaction that failed; its writes stay in the journal for the next one."""
        try:
            self._release(commit=False)
        except psycopg.Error:
            pass

    def _connection(self) -> psycopg.Connection:
        if self._conn is None:
            conn = self.pool.getconn(timeout=self.options.connect_timeout if self.down_since is None
                                     else self.options.retry_delay)
            pipeline = conn.pipeline()
            try:
                self._pipeline = pipeline.__enter__()
                conn.execute("BEGIN")
                for statement, params in self._journal:
                    self._send(conn, statement, params)
            except BaseException as exc:
                try:
                    pipeline.__exit__(type(exc), exc, exc.__traceback__)
                except psycopg.Error:
                    pass
                self._pipeline = None
                self.pool.putconn(conn)
                raise
            self._conn, self._pipeline_mode = conn, pipeline
        return self._conn

    @staticmethod
    def _send(conn: psycopg.Connection, statement: str, params: Any) -> psycopg.Cursor:
        if isinstance(params, list):
            cur = conn.cursor()
            cur.executemany(statement, params)
            return cur
        return conn.execute(statement, params)

    def _run(self, statement: str, params: Any, write: bool) -> list[tuple]:
        def attempt() -> list[tuple]:
            conn = self._connection()
            cur = self._send(conn, statement, params)
            if write:
                self._journal.append((statement, params))
                return []
            self._pipeline.sync()  # the rows of a read are needed now
            return cur.fetchall()
        try:
            return self._retried(attempt)
        except (psycopg.Error, CatalogUnavailable):
            self._rolled_back()
            raise

    def _retried(self, attempt):
        """``with_retries``, or at once ``CatalogUnavailable`` while the server is known to be down
        (one attempt every ``retry_max_delay`` seconds, not retried, sees whether it is back)."""
        if self.down_since is not None and time.monotonic() - self.down_since < self.options.retry_max_delay:
            self.stats["unavailable"] += 1
            raise CatalogUnavailable(f"the story store at {self.where} is down (a read or write failed"
                                     f" {time.monotonic() - self.down_since:.1f} s ago)")
        return with_outage_noted(self, self.options, self.stats, attempt, self._lost)

    def _rolled_back(self) -> None:
        """The transaction is over: what it wrote is not kept (nor replayed)."""
        self._lost()
        self._journal.clear()
        self._forget()

    def _read(self, statement: str, params: Any = ()) -> list[tuple]:
        return self._run(statement, params, write=False)

    def _write(self, statement: str, params: Any = ()) -> None:
        self._run(statement, params, write=True)


    def commit(self) -> None:
        """Commit; a commit that fails on a transient error is tried again, the writes replayed."""
        def attempt() -> None:
            self._connection()
            self._release(commit=True)
        if self._conn is not None or self._journal:
            try:
                self._retried(attempt)
            except (psycopg.Error, CatalogUnavailable):
                self._rolled_back()
                raise
        self._journal.clear()
