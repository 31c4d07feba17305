"""What the PostgreSQL catalog and story store share: a connection pool whose connections work in
the archive's schema, and patience with transient errors (back-off, doubled up to a limit)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from typing import Callable, TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool, PoolTimeout

from .location import CatalogUnavailable
from .options import CatalogOptions
from .pg_schema import migrate

T = TypeVar("T")


def redacted(url: str) -> str:
    """The URL without its password (for messages and the archive's catalog pointer)."""
    parts = urlsplit(url)
    query = "&".join(p for p in parts.query.split("&") if p and not p.startswith("password="))
    netloc = parts.netloc
    if parts.password is not None:
        host, user = netloc.rpartition("@")[2], parts.username or ""
        netloc = f"{user}@{host}" if user else host
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def open_pool(url: str, options: CatalogOptions, name: str, max_size: int,
              row_factory: Callable | None = None) -> ConnectionPool:
    """An open pool of autocommit connections whose search_path is ``options.catalog_schema``
    and whose statements wait ``busy_timeout`` for a lock; ``CatalogUnavailable`` when no
    connection comes within ``connect_timeout``."""
    lock_timeout_ms = max(1, int(options.busy_timeout * 1000))

    def configure(conn: psycopg.Connection) -> None:
        conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(options.catalog_schema)))
        conn.execute(f"SET lock_timeout = {lock_timeout_ms}")

    # no server-side prepared statements: psycopg's cache of them goes out of step with the
    # server when a pipeline is aborted
    # named after the pool, so pg_stat_activity tells which of wirecopy's pools a connection is in
    kwargs: dict = {"autocommit": True, "prepare_threshold": None, "application_name": name[:63]}
    if row_factory is not None:
        kwargs["row_factory"] = row_factory
    # the pool's reconnection after an outage backs off 1, 2, 4, 8 s ... until reconnect_timeout
    # (300 s by default), then gives up and the next request for a connection tries at once: so
    # a server back up is found within ``connect_timeout``, not minutes later
    pool = ConnectionPool(url, min_size=1, max_size=max(1, max_size), open=False, kwargs=kwargs,
                          configure=configure, check=ConnectionPool.check_connection, name=name,
                          reconnect_timeout=options.connect_timeout)
    try:
        pool.open(wait=True, timeout=options.connect_timeout)
    except PoolTimeout as exc:
        pool.close()
        raise CatalogUnavailable(f"no connection to the catalog at {redacted(url)} schema {options.catalog_schema}"
                                 f" within {options.connect_timeout:g} s (CATALOG_CONNECT_TIMEOUT)") from exc
    return pool


def server_gone(exc: psycopg.OperationalError) -> bool:
    """No connection, or the server ending it (shutdown, connection errors); not a lock timeout."""
    return exc.sqlstate is None or exc.sqlstate[:2] in ("08", "57")


def with_retries(options: CatalogOptions, stats: Counter, attempt: Callable[[], T],
                 after_failure: Callable[[], None] | None = None) -> T:
    """``attempt()``, again after a lost connection or another transient error
    (``psycopg.OperationalError``), up to ``options.retries`` times with back-off; each
    failure is counted (``stats["retries"]``) and ``after_failure`` called before waiting."""
    delay = options.retry_delay
    for tried in range(options.retries + 1):
        try:
            return attempt()
        except psycopg.OperationalError:
            if after_failure is not None:
                after_failure()
            if tried == options.retries:
                raise
            stats["retries"] += 1
            time.sleep(delay)
            delay = min(delay * 2, options.retry_max_delay)
    raise AssertionError("unreachable")


def with_outage_noted(owner, options: CatalogOptions, stats: Counter, attempt: Callable[[], T],
                      after_failure: Callable[[], None] | None = None) -> T:
    """``with_retries``, noting on ``owner.down_since`` when the retries found the server gone
    (None again once an attempt succeeds); while it is noted, one attempt, not retried, sees
    whether the server is back."""
    if owner.down_since is not None:
        options = replace(options, retries=0)
    try:
        result = with_retries(options, stats, attempt, after_failure)
    except psycopg.OperationalError as exc:
        if server_gone(exc):
            owner.down_since = time.monotonic()
        raise
    owner.down_since = None
    return result


def migrated_schema(pool: ConnectionPool, options: CatalogOptions, stats: Counter) -> int:
    """Create or migrate the archive's schema (retried like any transaction); the version found."""
    def attempt() -> int:
        with pool.connection() as conn:
            return migrate(conn, options.catalog_schema)
    return with_retries(options, stats, attempt)
