"""Capture history in the catalog: validators, revisits and article versions.

Three tables next to the catalog's ``captures`` and ``articles``, in the same SQLite file:

    validators   ETag / Last-Modified of each response, for conditional requests
    revisits     each ``revisit`` capture: its profile and the response holding the payload
    versions     each archived text of a URL: version number, previous version, text hash, diff

Like the rest of the catalog this is derived data: the revisit records name what they refer
to (``WARC-Refers-To``), and versions follow from the conversion records in WARC order.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .catalog import Catalog

SCHEMA = """
CREATE INDEX IF NOT EXISTS captures_by_url ON captures (url, timestamp);
CREATE TABLE IF NOT EXISTS validators (
    capture_id INTEGER PRIMARY KEY REFERENCES captures (id),
    etag TEXT,
    last_modified TEXT
);
CREATE TABLE IF NOT EXISTS revisits (
    capture_id INTEGER PRIMARY KEY REFERENCES captures (id),
    profile TEXT NOT NULL,
    refers_to TEXT,
    refers_to_uri TEXT,
    refers_to_date TEXT,
    original_id INTEGER REFERENCES captures (id)
);
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
"""

PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


@dataclass(frozen=True)
class PreviousCapture:
    """The latest capture of a URL and the response record that holds its payload.

    For a revisit, ``original_*`` name the response it refers to; for a response, itself.
    """

    capture_id: int
    url: str
    warc_date: str
    status: int | None
    kind: str
    payload_digest: str | None
    etag: str | None
    last_modified: str | None
    original_id: int
    original_record_id: str
    original_uri: str
    original_date: str
    original_file: str
    original_offset: int
    original_length: int


@dataclass(frozen=True)
class ArticleState:
    """What the recrawl policy needs to know about an archived article."""

    url: str
    published: str | None
    first_captured: str
    last_captured: str
    text_hash: str
    capture_id: int


@dataclass(frozen=True)
class Version:
    capture_id: int
    url: str
    version: int
    previous_id: int | None
    text_hash: str
    diff: str | None
    added_words: int | None
    removed_words: int | None
    warc_date: str
    payload_digest: str | None
    title: str | None
    conversion_file: str
    conversion_offset: int
    conversion_length: int


class CaptureHistory:
    """Reads and writes the history tables through the catalog's connection."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.db: sqlite3.Connection = catalog.db
        self.db.executescript(SCHEMA)
        self.db.commit()

    # -- writing ---------------------------------------------------------------------------
    def add_validators(self, capture_id: int, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self.db.execute("INSERT OR REPLACE INTO validators VALUES (?, ?, ?)",
                            (capture_id, etag, last_modified))

    def add_revisit(self, capture_id: int, profile: str, previous: PreviousCapture) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO revisits VALUES (?, ?, ?, ?, ?, ?)",
            (capture_id, profile, previous.original_record_id, previous.original_uri,
             previous.original_date, previous.original_id),
        )

    def link_revisit(self, capture_id: int, profile: str | None, refers_to: str | None,
                     refers_to_uri: str | None, refers_to_date: str | None) -> None:
        """Catalog a revisit record read back from a WARC (an import, a rebuild): the original
        is the capture whose record id it names, when the catalog holds it."""
        original = None
        if refers_to:
            original = self.db.execute("SELECT id FROM captures WHERE record_id = ?", (refers_to,)).fetchone()
        self.db.execute(
            "INSERT OR REPLACE INTO revisits VALUES (?, ?, ?, ?, ?, ?)",
            (capture_id, profile or "", refers_to, refers_to_uri, refers_to_date,
             original[0] if original else None),
        )

    def add_version(self, capture_id: int, url: str, text_hash: str, previous: Version | None,
                    diff: str | None, added: int | None, removed: int | None) -> int:
        number = previous.version + 1 if previous else 1
        self.db.execute(
            "INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (capture_id, url, number, previous.capture_id if previous else None, text_hash,
             diff, added, removed),
        )
        return number

    def has_version(self, capture_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM versions WHERE capture_id = ?", (capture_id,)).fetchone() is not None

    def ensure_versions(self, url: str, before: int | None = None) -> None:
        """Chain the articles of ``url`` archived without version rows (catalogs written
        before versions were kept), oldest first, without diffs."""
        rows = self.db.execute(
            "SELECT a.capture_id, a.text_hash FROM articles a JOIN captures c ON c.id = a.capture_id"
            " WHERE a.url = ? AND a.capture_id NOT IN (SELECT capture_id FROM versions)"
            " AND (? IS NULL OR a.capture_id < ?) ORDER BY c.timestamp, c.id",
            (url, before, before),
        ).fetchall()
        for row in rows:
            latest = self.db.execute(
                "SELECT capture_id, version FROM versions WHERE url = ? ORDER BY version DESC LIMIT 1",
                (url,),
            ).fetchone()
            self.db.execute(
                "INSERT INTO versions (capture_id, url, version, previous_id, text_hash)"
                " VALUES (?, ?, ?, ?, ?)",
                (row["capture_id"], url, latest["version"] + 1 if latest else 1,
                 latest["capture_id"] if latest else None, row["text_hash"]),
            )

    # -- reading ---------------------------------------------------------------------------
    def previous_capture(self, url: str) -> PreviousCapture | None:
        """The latest successful capture (200 response, or revisit) of ``url``."""
        row = self.db.execute(
            "SELECT c.*, v.etag, v.last_modified, r.original_id FROM captures c"
            " LEFT JOIN validators v ON v.capture_id = c.id"
            " LEFT JOIN revisits r ON r.capture_id = c.id"
            " WHERE c.url = ? AND (c.kind = 'revisit' OR (c.status = 200 AND c.truncated IS NULL))"
            " ORDER BY c.timestamp DESC, c.id DESC LIMIT 1",
            (url,),
        ).fetchone()
        if row is None:
            return None
        original = row
        if row["kind"] == "revisit":
            if row["original_id"] is None:
                return None
            original = self.db.execute(
                "SELECT c.*, v.etag, v.last_modified FROM captures c"
                " LEFT JOIN validators v ON v.capture_id = c.id WHERE c.id = ?",
                (row["original_id"],),
            ).fetchone()
            if original is None:
                return None
        # A 304 confirms the original's validators; a full revisit carries fresh ones.
        etag = row["etag"] or original["etag"]
        last_modified = row["last_modified"] or original["last_modified"]
        return PreviousCapture(
            capture_id=row["id"], url=url, warc_date=row["warc_date"], status=row["status"],
            kind=row["kind"], payload_digest=original["payload_digest"], etag=etag,
            last_modified=last_modified, original_id=original["id"],
            original_record_id=original["record_id"], original_uri=original["url"],
            original_date=original["warc_date"], original_file=original["warc_file"],
            original_offset=original["warc_offset"], original_length=original["warc_length"],
        )

    def article_state(self, url: str) -> ArticleState | None:
        row = self.db.execute(
            "SELECT a.capture_id, a.published, a.text_hash,"
            " (SELECT min(warc_date) FROM captures WHERE url = a.url) AS first_captured,"
            " (SELECT max(warc_date) FROM captures WHERE url = a.url) AS last_captured"
            " FROM articles a JOIN captures c ON c.id = a.capture_id"
            " WHERE a.url = ? ORDER BY c.timestamp DESC, c.id DESC LIMIT 1",
            (url,),
        ).fetchone()
        if row is None:
            return None
        return ArticleState(url, row["published"], row["first_captured"], row["last_captured"],
                            row["text_hash"], row["capture_id"])

    def versions(self, url: str) -> list[Version]:
        rows = self.db.execute(
            "SELECT v.*, c.warc_date, c.payload_digest, a.title, a.conversion_file,"
            " a.conversion_offset, a.conversion_length FROM versions v"
            " JOIN captures c ON c.id = v.capture_id JOIN articles a ON a.capture_id = v.capture_id"
            " WHERE v.url = ? ORDER BY v.version", (url,),
        ).fetchall()
        return [Version(**{k: r[k] for k in r.keys()}) for r in rows]

    def latest_version(self, url: str) -> Version | None:
        versions = self.versions(url)
        return versions[-1] if versions else None

    def original_of(self, capture_id: int) -> sqlite3.Row | None:
        """The capture holding the payload of ``capture_id``: itself unless it is a revisit;
        for a revisit the response it names, else (as pywb resolves revisits) the latest
        earlier response of its original URL with the same payload digest."""
        row = self.db.execute(
            "SELECT c.*, r.original_id, r.refers_to, r.refers_to_uri FROM captures c"
            " LEFT JOIN revisits r ON r.capture_id = c.id WHERE c.id = ?", (capture_id,),
        ).fetchone()
        if row is None or row["kind"] != "revisit":
            return row
        if row["original_id"] is not None:
            return self.db.execute("SELECT * FROM captures WHERE id = ?", (row["original_id"],)).fetchone()
        if row["refers_to"]:
            named = self.db.execute("SELECT * FROM captures WHERE record_id = ?", (row["refers_to"],)).fetchone()
            if named is not None:
                return named
        return self.db.execute(
            "SELECT * FROM captures WHERE url = ? AND payload_digest = ? AND kind != 'revisit'"
            " AND timestamp <= ? ORDER BY timestamp DESC, id DESC LIMIT 1",
            (row["refers_to_uri"] or row["url"], row["payload_digest"], row["timestamp"]),
        ).fetchone()

    def revisit_of(self, capture_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM revisits WHERE capture_id = ?", (capture_id,)).fetchone()

    def timeline(self, url: str) -> list[sqlite3.Row]:
        """Every capture of ``url`` (responses and revisits), oldest first, with what it is."""
        return self.db.execute(
            "SELECT c.id, c.warc_date, c.status, c.kind, c.payload_digest, r.profile,"
            " r.original_id, v.version, v.text_hash, v.added_words, v.removed_words"
            " FROM captures c LEFT JOIN revisits r ON r.capture_id = c.id"
            " LEFT JOIN versions v ON v.capture_id = c.id"
            " WHERE c.url = ? ORDER BY c.timestamp, c.id", (url,),
        ).fetchall()
