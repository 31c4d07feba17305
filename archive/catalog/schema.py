"""The catalog's tables, its schema version and the migrations to it.

``PRAGMA user_version`` is the schema version. Opening a catalog migrates it once, in one
transaction, from any earlier layout: version 0 is every catalog written before the version was
kept (tables created lazily by several modules, capture kinds ``page|xml|other`` from a crawl,
articles without version rows); version 3 brought the story tables (``stories_schema``) under the
same version.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Callable

from .rows import CaptureKind
from .stories_schema import migrate_story_tables

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3

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
    metadata_length INTEGER NOT NULL,
    modified TEXT,
    description TEXT,
    section TEXT,
    tags TEXT,
    image TEXT,
    amp_url TEXT,
    page_class TEXT,
    page_signals TEXT"""

TABLES = """
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
    job TEXT,
    page_class TEXT,  -- article, listing, wall or other (HTML pages)
    page_signals TEXT  -- JSON list: why the page was taken for that
);
CREATE INDEX IF NOT EXISTS captures_by_key ON captures (surt, timestamp);
CREATE INDEX IF NOT EXISTS captures_by_digest ON captures (payload_digest);
CREATE INDEX IF NOT EXISTS captures_by_url ON captures (url, timestamp);
CREATE INDEX IF NOT EXISTS captures_by_file ON captures (warc_file, warc_offset);
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
    note TEXT,
    job TEXT  -- the job of an imported file's captures (wirecopy's own files name theirs in warcinfo)
);
-- ETag / Last-Modified of each response, for conditional requests
CREATE TABLE IF NOT EXISTS validators (
    capture_id INTEGER PRIMARY KEY REFERENCES captures (id),
    etag TEXT,
    last_modified TEXT
);
-- each revisit capture: its profile and the response holding the payload
CREATE TABLE IF NOT EXISTS revisits (
    capture_id INTEGER PRIMARY KEY REFERENCES captures (id),
    profile TEXT NOT NULL,
    refers_to TEXT,
    refers_to_uri TEXT,
    refers_to_date TEXT,
    original_id INTEGER REFERENCES captures (id)
);
-- each archived text of a URL: version number, previous version, text hash, diff
CREATE TABLE IF NOT EXISTS versions (
    capture_id INTEGER PRIMARY KEY REFERENCES captures (id),
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    previous_id INTEGER REFERENCES captures (id),
    text_hash TEXT NOT NULL,
    diff TEXT,
    added_words INTEGER,
    removed_words INTEGER
);
CREATE INDEX IF NOT EXISTS versions_by_url ON versions (url, version);
""".format(article_columns=_ARTICLE_COLUMNS)

# columns added in version 2: the fuller page metadata and page classes
_PAGE_COLUMNS = ("modified", "description", "section", "tags", "image", "amp_url", "page_class", "page_signals")
_ADDED_IN_2 = {"articles": _PAGE_COLUMNS, "extractions": _PAGE_COLUMNS, "captures": ("page_class", "page_signals")}

# the capture tables, children first (the order rows are deleted in)
OWNED_TABLES = ("versions", "revisits", "validators", "extractions", "articles", "captures", "warc_files")


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _chain_versions(db: sqlite3.Connection) -> int:
    """Version rows for articles archived before versions were kept, oldest first, no diffs."""
    rows = db.execute(
        "SELECT a.capture_id, a.url, a.text_hash FROM articles a JOIN captures c ON c.id = a.capture_id"
        " WHERE a.capture_id NOT IN (SELECT capture_id FROM versions) ORDER BY a.url, c.timestamp, c.id"
    ).fetchall()
    for capture_id, url, text_hash in rows:
        latest = db.execute("SELECT capture_id, version FROM versions WHERE url = ?"
                            " ORDER BY version DESC LIMIT 1", (url,)).fetchone()
        db.execute("INSERT INTO versions (capture_id, url, version, previous_id, text_hash)"
                   " VALUES (?, ?, ?, ?, ?)",
                   (capture_id, url, latest[1] + 1 if latest else 1, latest[0] if latest else None, text_hash))
    return len(rows)


def _statements(script: str) -> list[str]:
    """The statements of a DDL script (no semicolons inside literals there), comments dropped:
    ``executescript`` would commit the caller's transaction."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def migrate(db: sqlite3.Connection, kind_of_record: Callable[[str, int, int], CaptureKind]) -> int:
    """Bring the schema to SCHEMA_VERSION inside the transaction the caller opened; returns the
    version found. ``kind_of_record(warc_file, offset, length)`` classifies a capture whose
    kind an old layout did not record precisely."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise RuntimeError(f"catalog schema version {found} is newer than this wirecopy's ({SCHEMA_VERSION})")
    if found == SCHEMA_VERSION:
        return found
    for statement in _statements(TABLES):
        db.execute(statement)
    if found < 1:
        for table, column in (("captures", "truncated"), ("captures", "job"), ("warc_files", "job")):
            if column not in _columns(db, table):
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
        for capture_id, warc_file, offset, length in db.execute(
                "SELECT id, warc_file, warc_offset, warc_length FROM captures WHERE kind = 'xml'").fetchall():
            db.execute("UPDATE captures SET kind = ? WHERE id = ?",
                       (str(kind_of_record(warc_file, offset, length)), capture_id))
        db.execute("UPDATE captures SET kind = 'article' WHERE kind = 'page'"
                   " AND id IN (SELECT capture_id FROM articles)")
        chained = _chain_versions(db)
        if chained:
            logger.info("Catalog migration: %d archived texts chained into versions", chained)
    if found < 2:
        for table, columns in _ADDED_IN_2.items():
            have = _columns(db, table)
            for column in columns:
                if column not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
    if found < 3:
        migrate_story_tables(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return found


def migrated(db: sqlite3.Connection, kind_of_record: Callable[[str, int, int], CaptureKind]) -> int:
    """Migrate in a transaction of its own (``db`` in autocommit mode); returns the version found."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found == SCHEMA_VERSION:
        return found
    db.execute("BEGIN IMMEDIATE")
    try:
        found = migrate(db, kind_of_record)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return found
