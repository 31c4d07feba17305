"""The catalog's read queries on PostgreSQL: the SQLite catalog's (``queries.py``), their
placeholders and the few SQLite idioms translated, and rows that read like ``sqlite3.Row``
(by name and by position) so callers cannot tell the back-ends apart."""

from __future__ import annotations

import re
from typing import Any, Iterator, Sequence

from .pg_schema import ARTICLE_COLUMNS
from .queries import CatalogQueries

_IS_PARAM = re.compile(r"\bIS \?")


def translate(statement: str) -> str:
    """SQLite's ``?`` placeholders (and ``IS ?``) in psycopg's notation."""
    statement = statement.replace("%", "%%")
    statement = _IS_PARAM.sub("IS NOT DISTINCT FROM %s", statement)
    return statement.replace("?", "%s")


class PgRow(tuple):
    """A row read by column name or position, like ``sqlite3.Row``."""

    _names: dict[str, int]

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def row_factory(cursor):
    """psycopg row factory making ``PgRow``s (one class per result shape)."""
    if cursor.description is None:
        return tuple
    cls = type("PgRow", (PgRow,), {"_names": {c.name: i for i, c in enumerate(cursor.description)}})
    return lambda values: cls(values)


class Result:
    """What a statement returned, read whole (the connection goes back to the pool at once)."""

    def __init__(self, rows: Sequence[Any], rowcount: int = -1):
        self.rows = list(rows)
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[Any]:
        return self.rows

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)


_EXTRACTION_COLUMNS = ", ".join(("capture_id", *ARTICLE_COLUMNS))


class PgQueries(CatalogQueries):
    """The queries whose SQL differs on PostgreSQL; the rest are the SQLite catalog's."""

    def captures_of_job(self, job: str | None, since: str) -> Iterator[PgRow]:
        return iter(self.db.execute(
            "SELECT c.*, EXISTS (SELECT 1 FROM articles a WHERE a.capture_id = c.id)::int AS has_article"
            " FROM captures c WHERE c.job IS ? AND c.timestamp >= ? ORDER BY c.id", (job, since)))

    def captures_with_payload(self, digest: str, surt: str, same_key: bool, limit: int = -1) -> list[PgRow]:
        return self.db.execute(
            f"SELECT * FROM captures WHERE payload_digest = ? AND surt {'=' if same_key else '!='} ?"
            " ORDER BY warc_date DESC LIMIT ?", (digest, surt, limit if limit >= 0 else None)).fetchall()

    def extractions(self, capture_id: int) -> list[PgRow]:
        return self.db.execute(f"SELECT {_EXTRACTION_COLUMNS} FROM extractions WHERE capture_id = ? ORDER BY seq",
                               (capture_id,)).fetchall()

    def warc_files(self) -> list[PgRow]:
        return self.db.execute("SELECT name, state, records, size, note, job FROM warc_files ORDER BY seq").fetchall()

    def articles_fingerprint(self) -> tuple:
        return tuple(self.db.execute(
            "SELECT count(*), coalesce(max(capture_id), 0), coalesce(sum(capture_id), 0)::bigint,"
            " coalesce(sum(conversion_offset), 0)::bigint, coalesce(sum(length(conversion_file)), 0)::bigint"
            " FROM articles").fetchone())
