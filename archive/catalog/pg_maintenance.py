"""The planner's statistics of the PostgreSQL catalog tables, kept current by their writers.

On a server with autovacuum off (some are) a table keeps the statistics of its last ``ANALYZE``,
those of an empty table if it never had one, and its visibility map stays empty, so index-only
scans read the heap. Writers therefore check, every ``CHECK_EVERY`` units they commit, what the
server counted of each table (``pg_stat_user_tables``: rows changed since its last analyze,
against the rows it then counted: every writer's rows, not one process's) and run
``VACUUM (ANALYZE)`` on the tables that have doubled since, from ``MAINTAIN_FROM`` rows on. An
advisory lock lets one writer at a time do it; the others go on writing.
"""

from __future__ import annotations

from typing import Iterable

import psycopg
from psycopg import sql
from psycopg.rows import tuple_row

MAINTAIN_FROM = 1000
CHECK_EVERY = 1000  # committed units between two looks at the server's counts


def tables_due(conn: psycopg.Connection, schema: str, tables: Iterable[str], from_rows: int | None = None) -> list[str]:
    """The tables of ``schema`` whose rows changed since their last analyze number at least the
    rows it counted (they doubled, or were never analyzed), and at least ``from_rows``
    (``MAINTAIN_FROM``)."""
    from_rows = MAINTAIN_FROM if from_rows is None else from_rows
    with conn.cursor(row_factory=tuple_row) as cur:
        rows = cur.execute("SELECT s.relname, s.n_mod_since_analyze, greatest(c.reltuples, 0)"
                           " FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid"
                           " WHERE s.schemaname = %s AND s.relname = ANY(%s)", (schema, list(tables))).fetchall()
    return sorted(name for name, changed, counted in rows if changed >= max(from_rows, counted))


def vacuum_analyze_due(conn: psycopg.Connection, schema: str, tables: Iterable[str],
                       from_rows: int | None = None) -> list[str] | None:
    """``VACUUM (ANALYZE)`` of the tables due (``conn`` in autocommit mode); the tables done, or
    None when another session holds the schema's maintenance lock (it is doing it)."""
    key = sql.Literal(f"wirecopy-maintenance:{schema}")
    with conn.cursor(row_factory=tuple_row) as cur:
        if not cur.execute(sql.SQL("SELECT pg_try_advisory_lock(hashtext({}))").format(key)).fetchone()[0]:
            return None
        try:
            due = tables_due(conn, schema, tables, from_rows)
            if due:
                cur.execute(sql.SQL("VACUUM (ANALYZE) {}").format(
                    sql.SQL(", ").join(sql.Identifier(schema, name) for name in due)))
            return due
        finally:
            cur.execute(sql.SQL("SELECT pg_advisory_unlock(hashtext({}))").format(key))
