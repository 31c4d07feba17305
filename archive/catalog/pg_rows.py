"""The rows the PostgreSQL catalog writes, inside a unit: the SQLite catalog's row methods
(``sqlite.py``) with PostgreSQL's upserts for SQLite's ``INSERT OR REPLACE``/``OR IGNORE``."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from .rows import ArticleRow, CaptureRow, RevisitLink
from .schema import OWNED_TABLES


class PgRowWriter:
    _conn: psycopg.Connection | None

    def _x(self, statement: str, params: tuple | list = ()) -> psycopg.Cursor:
        if self._conn is None:
            raise RuntimeError("catalog rows are written inside a unit (catalog.write)")
        return self._conn.execute(statement, params)

    def add_capture(self, row: CaptureRow, replace: bool = True) -> int | None:
        """The capture's id; with ``replace=False`` None when its record id is cataloged already."""
        values = row.__dict__
        conflict = "DO UPDATE SET warc_file = excluded.warc_file" if replace else "DO NOTHING"
        found = self._x(f"INSERT INTO captures ({', '.join(values)}) VALUES ({', '.join(['%s'] * len(values))})"
                        f" ON CONFLICT (record_id) {conflict} RETURNING id", tuple(values.values())).fetchone()
        return found[0] if found else None

    def _upsert(self, table: str, key: tuple[str, ...], values: dict[str, Any]) -> None:
        update = ", ".join(f"{c} = excluded.{c}" for c in values if c not in key)
        self._x(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(['%s'] * len(values))})"
                f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {update}", tuple(values.values()))

    def add_validators(self, capture_id: int, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self._upsert("validators", ("capture_id",),
                         {"capture_id": capture_id, "etag": etag, "last_modified": last_modified})

    def add_revisit(self, capture_id: int, link: RevisitLink) -> None:
        """The original is the capture whose record id the revisit names, when cataloged
        (``resolve_revisits`` links the rest once their originals are)."""
        original = None
        if link.refers_to:
            original = self._x("SELECT id FROM captures WHERE record_id = %s", (link.refers_to,)).fetchone()
        self._upsert("revisits", ("capture_id",), {
            "capture_id": capture_id, "profile": link.profile, "refers_to": link.refers_to,
            "refers_to_uri": link.refers_to_uri, "refers_to_date": link.refers_to_date,
            "original_id": original[0] if original else None})

    def resolve_revisits(self) -> None:
        self._x("UPDATE revisits SET original_id = (SELECT id FROM captures c WHERE c.record_id = refers_to)"
                " WHERE original_id IS NULL AND refers_to IS NOT NULL")

    def add_article(self, row: ArticleRow) -> None:
        """The capture's current extraction; the one it replaces stays in ``extractions``."""
        values = row.values()
        columns = ", ".join(values)
        self._x(f"INSERT INTO extractions ({columns}) SELECT {columns} FROM articles WHERE capture_id = %s"
                " ON CONFLICT DO NOTHING", (row.capture_id,))
        # as SQLite's INSERT OR REPLACE: a replaced extraction becomes the newest
        self._x("DELETE FROM extractions WHERE conversion_file = %s AND conversion_offset = %s",
                (row.conversion_file, row.conversion_offset))
        self._x(f"INSERT INTO extractions ({columns}) VALUES ({', '.join(['%s'] * len(values))})",
                tuple(values.values()))
        self._upsert("articles", ("capture_id",), values)
        self._x("UPDATE captures SET kind = 'article' WHERE id = %s AND kind = 'page'", (row.capture_id,))
        if row.page_class is not None:
            self.set_page_class(row.capture_id, row.page_class, row.page_signals or [])

    def set_page_class(self, capture_id: int, page_class: str, signals: list[str]) -> None:
        """What an HTML capture was taken for (article, listing, wall, other) and why."""
        self._x("UPDATE captures SET page_class = %s, page_signals = %s WHERE id = %s",
                (str(page_class), json.dumps(list(signals)), capture_id))

    def add_version(self, capture_id: int, url: str, version: int, previous_id: int | None, text_hash: str,
                    diff: str | None, added: int | None, removed: int | None) -> None:
        self._upsert("versions", ("capture_id",), {
            "capture_id": capture_id, "url": url, "version": version, "previous_id": previous_id,
            "text_hash": text_hash, "diff": diff, "added_words": added, "removed_words": removed})

    def set_warc_file(self, name: str, state: str, records: int | None = None,
                      size: int | None = None, note: str | None = None, job: str | None = None) -> None:
        self._x("INSERT INTO warc_files (name, state, records, size, note, job) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (name) DO UPDATE SET state = excluded.state,"
                " records = coalesce(excluded.records, warc_files.records),"
                " size = coalesce(excluded.size, warc_files.size), note = coalesce(excluded.note, warc_files.note),"
                " job = coalesce(excluded.job, warc_files.job)", (name, state, records, size, note, job))

    def forget_torn(self, name: str, size: int) -> int:
        """Remove what points past the end of a WARC file cut back to ``size`` bytes after a
        crash: rows committed before their records reached the file. Returns the captures removed."""
        torn = "SELECT id FROM captures WHERE warc_file = %s AND warc_offset + warc_length > %s"
        removed = len(self._x(torn, (name, size)).fetchall())
        for table in ("articles", "extractions"):
            self._x(f"DELETE FROM {table} WHERE (conversion_file = %s AND conversion_offset + conversion_length > %s)"
                    f" OR (metadata_file = %s AND metadata_offset + metadata_length > %s)", (name, size, name, size))
        for table in ("articles", "extractions", "validators", "revisits", "versions"):
            self._x(f"DELETE FROM {table} WHERE capture_id IN ({torn})", (name, size))
        self._x("DELETE FROM captures WHERE warc_file = %s AND warc_offset + warc_length > %s", (name, size))
        return removed

    def clear(self) -> None:
        """Empty every table this catalog owns (a rebuild refills them from the WARC files)."""
        for table in OWNED_TABLES:
            self._x(f"DELETE FROM {table}")
