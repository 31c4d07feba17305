"""The SQLite catalog: captures and articles, with where each record lives in the WARCs.

Derived data: everything here can be rebuilt from the WARC files.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

_ARTICLE_COLUMNS = """\
    url TEXT NOT NULL,
    canonical_url TEXT,
    title TEXT,
    authors TEXT,
    published TEXT,
    sitename TEXT,
    language TEXT,
    text_hash TEXT NOT NULL,
    text_length INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    conversion_file TEXT NOT NULL,
    conversion_offset INTEGER NOT NULL,
    conversion_length INTEGER NOT NULL,
    metadata_file TEXT NOT NULL,
    metadata_offset INTEGER NOT NULL,
    metadata_length INTEGER NOT NULL"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    surt TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    warc_date TEXT NOT NULL,
    record_id TEXT NOT NULL UNIQUE,
    status INTEGER,
    mime TEXT,
    kind TEXT NOT NULL,
    payload_digest TEXT,
    warc_file TEXT NOT NULL,
    warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL,
    truncated TEXT,
    job TEXT
);
CREATE INDEX IF NOT EXISTS captures_by_key ON captures (surt, timestamp);
CREATE INDEX IF NOT EXISTS captures_by_digest ON captures (payload_digest);
CREATE TABLE IF NOT EXISTS articles (
    capture_id INTEGER PRIMARY KEY REFERENCES captures (id),
{article_columns}
);
CREATE INDEX IF NOT EXISTS articles_by_url ON articles (url);
-- Every extraction ever archived (articles keeps the newest one per capture): a re-extraction
-- in replay writes new conversion/metadata records and the older ones stay listed here.
CREATE TABLE IF NOT EXISTS extractions (
    capture_id INTEGER NOT NULL REFERENCES captures (id),
{article_columns},
    PRIMARY KEY (conversion_file, conversion_offset)
);
CREATE INDEX IF NOT EXISTS extractions_by_capture ON extractions (capture_id);
CREATE TABLE IF NOT EXISTS warc_files (
    name TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    records INTEGER,
    size INTEGER,
    note TEXT
);
""".format(article_columns=_ARTICLE_COLUMNS)


@dataclass(frozen=True)
class CaptureRow:
    url: str
    surt: str
    timestamp: str
    warc_date: str
    record_id: str
    status: int | None
    mime: str | None
    kind: str
    payload_digest: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    truncated: str | None = None
    job: str | None = None


@dataclass(frozen=True)
class ArticleRow:
    capture_id: int
    url: str
    canonical_url: str | None
    title: str | None
    authors: list[str]
    published: str | None
    sitename: str | None
    language: str | None
    text_hash: str
    text_length: int
    extractor: str
    conversion_file: str
    conversion_offset: int
    conversion_length: int
    metadata_file: str
    metadata_offset: int
    metadata_length: int
    modified: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] | None = None
    image: str | None = None
    amp_url: str | None = None
    page_class: str | None = None
    page_signals: list[str] | None = None


# Page metadata and page classes, added to catalogs made before they were recorded.
_ADDED_COLUMNS = {
    "articles": ("modified", "description", "section", "tags", "image", "amp_url",
                 "page_class", "page_signals"),
    "extractions": ("modified", "description", "section", "tags", "image", "amp_url",
                    "page_class", "page_signals"),
    "captures": ("page_class", "page_signals"),
}
_JSON_COLUMNS = ("authors", "tags", "page_signals")


def _add_columns(db: sqlite3.Connection) -> None:
    for table, columns in _ADDED_COLUMNS.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")


class Catalog:
    """A SQLite file in WAL mode; callers batch writes with ``commit()``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        _add_columns(self.db)
        self.db.commit()

    def add_capture(self, row: CaptureRow) -> int:
        values = row.__dict__
        cur = self.db.execute(
            f"INSERT INTO captures ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})"
            " ON CONFLICT (record_id) DO UPDATE SET warc_file = excluded.warc_file RETURNING id",
            tuple(values.values()),
        )
        return cur.fetchone()[0]

    def add_article(self, row: ArticleRow) -> None:
        """The capture's current extraction; the one it replaces stays in ``extractions``."""
        values = dict(row.__dict__)
        for name in _JSON_COLUMNS:
            if values[name] is not None:
                values[name] = json.dumps(values[name], ensure_ascii=False)
        columns = ", ".join(values)
        self.db.execute(
            f"INSERT OR IGNORE INTO extractions ({columns})"
            f" SELECT {columns} FROM articles WHERE capture_id = ?", (row.capture_id,),
        )
        for table in ("articles", "extractions"):
            self.db.execute(
                f"INSERT OR REPLACE INTO {table} ({columns}) VALUES ({', '.join('?' * len(values))})",
                tuple(values.values()),
            )
        if row.page_class is not None:
            self.db.execute("UPDATE captures SET page_class = ?, page_signals = ? WHERE id = ?",
                            (row.page_class, values["page_signals"], row.capture_id))

    def set_page_class(self, capture_id: int, page_class: str, signals: list[str]) -> None:
        """What an HTML capture was taken for (article, listing, wall, other) and why."""
        self.db.execute("UPDATE captures SET page_class = ?, page_signals = ? WHERE id = ?",
                        (page_class, json.dumps(list(signals)), capture_id))

    def extractions(self, capture_id: int) -> list[sqlite3.Row]:
        """Every archived extraction of a capture, oldest first."""
        return self.db.execute(
            "SELECT * FROM extractions WHERE capture_id = ? ORDER BY rowid", (capture_id,)
        ).fetchall()

    def set_warc_file(self, name: str, state: str, records: int | None = None,
                      size: int | None = None, note: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO warc_files (name, state, records, size, note) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET state = excluded.state,"
            " records = coalesce(excluded.records, records), size = coalesce(excluded.size, size),"
            " note = coalesce(excluded.note, note)",
            (name, state, records, size, note),
        )

    def forget_torn(self, name: str, size: int) -> int:
        """Remove what points past the end of a WARC file cut back to ``size`` bytes after a
        crash: rows committed before their records reached the file. Returns the captures removed."""
        q = self.db.execute
        ids = [i for (i,) in q("SELECT id FROM captures WHERE warc_file = ? AND warc_offset + warc_length > ?",
                               (name, size))]
        for table in ("articles", "extractions"):
            q(f"DELETE FROM {table} WHERE (conversion_file = ? AND conversion_offset + conversion_length > ?)"
              f" OR (metadata_file = ? AND metadata_offset + metadata_length > ?)", (name, size, name, size))
        tables = {t for (t,) in q("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in ("articles", "extractions", "validators", "revisits", "versions"):
            if table in tables:
                q(f"DELETE FROM {table} WHERE capture_id IN (SELECT id FROM captures"
                  f" WHERE warc_file = ? AND warc_offset + warc_length > ?)", (name, size))
        q("DELETE FROM captures WHERE warc_file = ? AND warc_offset + warc_length > ?", (name, size))
        return len(ids)

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def captures(self, url: str | None = None) -> Iterator[sqlite3.Row]:
        if url is None:
            return iter(self.db.execute("SELECT * FROM captures ORDER BY id"))
        return iter(self.db.execute("SELECT * FROM captures WHERE url = ? ORDER BY timestamp", (url,)))

    def articles(self) -> Iterator[sqlite3.Row]:
        return iter(self.db.execute(
            "SELECT a.*, c.timestamp, c.warc_date, c.status FROM articles a"
            " JOIN captures c ON c.id = a.capture_id ORDER BY c.id"
        ))

    def counts(self) -> dict[str, Any]:
        q = self.db.execute
        return {
            "captures": q("SELECT count(*) FROM captures").fetchone()[0],
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "warc_files": q("SELECT count(*) FROM warc_files").fetchone()[0],
            "by_kind": dict(q("SELECT kind, count(*) FROM captures GROUP BY kind").fetchall()),
        }
