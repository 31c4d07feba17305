"""What the catalog is asked: every read query on the tables it owns."""

from __future__ import annotations

import sqlite3
from typing import Any, Iterator

from .rows import ArticleState, PreviousCapture, Version


class CatalogQueries:
    db: sqlite3.Connection

    # -- captures and articles -----------------------------------------------------------
    def captures(self, url: str | None = None) -> Iterator[sqlite3.Row]:
        if url is None:
            return iter(self.db.execute("SELECT * FROM captures ORDER BY id"))
        return iter(self.db.execute("SELECT * FROM captures WHERE url = ? ORDER BY timestamp", (url,)))

    def capture(self, capture_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM captures WHERE id = ?", (capture_id,)).fetchone()

    def capture_by_record_id(self, record_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM captures WHERE record_id = ?", (record_id,)).fetchone()

    def captures_in(self, location: str) -> dict[str, tuple[int, str]]:
        """Record id -> (capture id, kind) of every capture cataloged from one file or location."""
        return {row[0]: (row[1], row[2]) for row in self.db.execute(
            "SELECT record_id, id, kind FROM captures WHERE warc_file = ?", (location,))}

    def captures_of_job(self, job: str | None, since: str) -> Iterator[sqlite3.Row]:
        """A job's captures from ``since`` (14 digits) on, oldest first, with ``has_article``."""
        return iter(self.db.execute(
            "SELECT c.*, EXISTS (SELECT 1 FROM articles a WHERE a.capture_id = c.id) AS has_article"
            " FROM captures c WHERE c.job IS ? AND c.timestamp >= ? ORDER BY c.id", (job, since)))

    def captures_by_key(self, surt: str) -> list[sqlite3.Row]:
        """Every capture of a SURT key, oldest first."""
        return self.db.execute("SELECT * FROM captures WHERE surt = ? ORDER BY warc_date, id", (surt,)).fetchall()

    def captures_with_payload(self, digest: str, surt: str, same_key: bool, limit: int = -1) -> list[sqlite3.Row]:
        """Captures whose payload digest is ``digest``, latest first: of the key ``surt``, or
        (``same_key`` False) of other keys (payloads deduplicated across URLs)."""
        return self.db.execute(
            f"SELECT * FROM captures WHERE payload_digest = ? AND surt {'=' if same_key else '!='} ?"
            " ORDER BY warc_date DESC LIMIT ?", (digest, surt, limit)).fetchall()

    def page_urls(self) -> list[str]:
        """Every URL with an HTML or XML answer (robots.txt and errors left out), in capture order."""
        rows = self.db.execute(
            "SELECT url FROM captures WHERE kind != 'robots' AND (status IS NULL OR status < 400)"
            " AND (mime IS NULL OR mime LIKE '%html%' OR mime LIKE '%xml%' OR mime = 'warc/revisit')"
            " ORDER BY id")
        return list(dict.fromkeys(url for (url,) in rows))

    def article_pages(self) -> Iterator[sqlite3.Row]:
        """Each article with its capture's date, file and record id, in capture order."""
        return iter(self.db.execute(
            "SELECT a.url, a.title, a.published, a.language, a.sitename, a.canonical_url, a.authors,"
            " a.conversion_file, a.conversion_offset, a.conversion_length,"
            " c.warc_date, c.warc_file, c.record_id"
            " FROM articles a JOIN captures c ON c.id = a.capture_id ORDER BY c.id"))

    def capture_locations(self) -> list[str]:
        """Every file or location captures are cataloged in."""
        return [name for (name,) in self.db.execute("SELECT DISTINCT warc_file FROM captures ORDER BY 1")]

    def has_article(self, capture_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE capture_id = ?", (capture_id,)).fetchone() is not None

    def articles(self) -> Iterator[sqlite3.Row]:
        return iter(self.db.execute(
            "SELECT a.*, c.timestamp, c.warc_date, c.status FROM articles a"
            " JOIN captures c ON c.id = a.capture_id ORDER BY c.id"))

    def extractions(self, capture_id: int) -> list[sqlite3.Row]:
        """Every archived extraction of a capture, oldest first."""
        return self.db.execute("SELECT * FROM extractions WHERE capture_id = ? ORDER BY rowid",
                               (capture_id,)).fetchall()

    def extraction_locations(self) -> set[tuple[str, int]]:
        """(file, offset) of every conversion record cataloged for a capture that has its article."""
        return {(r[0], r[1]) for r in self.db.execute(
            "SELECT e.conversion_file, e.conversion_offset FROM extractions e"
            " WHERE e.capture_id IN (SELECT capture_id FROM articles)")}

    def warc_file_state(self, name: str) -> str | None:
        row = self.db.execute("SELECT state FROM warc_files WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def warc_files(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM warc_files ORDER BY rowid").fetchall()

    def counts(self) -> dict[str, Any]:
        q = self.db.execute
        return {
            "captures": q("SELECT count(*) FROM captures").fetchone()[0],
            "articles": q("SELECT count(*) FROM articles").fetchone()[0],
            "warc_files": q("SELECT count(*) FROM warc_files").fetchone()[0],
            "by_kind": dict(q("SELECT kind, count(*) FROM captures GROUP BY kind").fetchall()),
        }

    def rows_in_files(self, names: list[str]) -> dict[str, int]:
        """Catalog rows pointing into the WARC files ``names``: captures (responses and
        revisits) and articles whose text is in them."""
        if not names:
            return {"captures": 0, "articles": 0}
        marks = ", ".join("?" * len(names))
        q = self.db.execute
        return {
            "captures": q(f"SELECT count(*) FROM captures WHERE warc_file IN ({marks})", names).fetchone()[0],
            "articles": q(f"SELECT count(*) FROM articles WHERE conversion_file IN ({marks})", names).fetchone()[0],
        }

    # -- browsing (the web UI) --------------------------------------------------------------
    def article(self, capture_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM articles WHERE capture_id = ?", (capture_id,)).fetchone()

    def captures_with_articles(self, url: str) -> list[sqlite3.Row]:
        """Every capture of ``url``, oldest first, with its article's title and text hash."""
        return self.db.execute(
            "SELECT c.*, a.title, a.text_hash, a.text_length FROM captures c"
            " LEFT JOIN articles a ON a.capture_id = c.id WHERE c.url = ? ORDER BY c.timestamp, c.id",
            (url,)).fetchall()

    def latest_article_capture(self, url: str) -> int | None:
        row = self.db.execute(
            "SELECT a.capture_id FROM articles a JOIN captures c ON c.id = a.capture_id"
            " WHERE a.url = ? ORDER BY c.timestamp DESC, c.id DESC LIMIT 1", (url,)).fetchone()
        return row[0] if row else None

    def closest_capture(self, urls: list[str], timestamp: int) -> int | None:
        """The capture of any of ``urls`` nearest to a 14-digit time, the newer on a tie."""
        row = self.db.execute(
            f"SELECT id FROM captures WHERE url IN ({', '.join('?' * len(urls))})"
            " ORDER BY abs(CAST(timestamp AS BIGINT) - ?), timestamp DESC, id DESC LIMIT 1",
            (*urls, timestamp)).fetchone()
        return row[0] if row else None

    def recent_captures(self, limit: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT c.*, a.title FROM captures c LEFT JOIN articles a ON a.capture_id = c.id"
            " ORDER BY c.id DESC LIMIT ?", (limit,)).fetchall()

    def captures_by_url_part(self, text: str, limit: int) -> list[sqlite3.Row]:
        """Captures of any kind whose URL contains ``text``, newest first."""
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return self.db.execute(
            "SELECT c.*, a.title FROM captures c LEFT JOIN articles a ON a.capture_id = c.id"
            " WHERE c.url LIKE ? ESCAPE '\\' ORDER BY c.timestamp DESC, c.id DESC LIMIT ?",
            (pattern, limit)).fetchall()

    def article_locations(self) -> dict[int, tuple[str, int]]:
        """Capture id -> (file, offset) of its current conversion record."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute(
            "SELECT capture_id, conversion_file, conversion_offset FROM articles")}

    def articles_fingerprint(self) -> tuple:
        """Changes whenever an article is added, re-extracted or removed (one aggregate scan)."""
        return tuple(self.db.execute(
            "SELECT count(*), coalesce(max(capture_id), 0), coalesce(sum(capture_id), 0),"
            " coalesce(sum(conversion_offset), 0), coalesce(sum(length(conversion_file)), 0)"
            " FROM articles").fetchone())

    # -- history: validators, revisits, versions -------------------------------------------
    def previous_capture(self, url: str) -> PreviousCapture | None:
        """The latest successful capture (200 response, or revisit) of ``url``."""
        row = self.db.execute(
            "SELECT c.*, v.etag, v.last_modified, r.original_id FROM captures c"
            " LEFT JOIN validators v ON v.capture_id = c.id"
            " LEFT JOIN revisits r ON r.capture_id = c.id"
            " WHERE c.url = ? AND (c.kind = 'revisit' OR (c.status = 200 AND c.truncated IS NULL))"
            " ORDER BY c.timestamp DESC, c.id DESC LIMIT 1", (url,)).fetchone()
        if row is None:
            return None
        original = row
        if row["kind"] == "revisit":
            if row["original_id"] is None:
                return None
            original = self.db.execute(
                "SELECT c.*, v.etag, v.last_modified FROM captures c"
                " LEFT JOIN validators v ON v.capture_id = c.id WHERE c.id = ?", (row["original_id"],)).fetchone()
            if original is None:
                return None
        # A 304 confirms the original's validators; a full revisit carries fresh ones.
        return PreviousCapture(
            capture_id=row["id"], url=url, warc_date=row["warc_date"], status=row["status"],
            kind=row["kind"], payload_digest=original["payload_digest"],
            etag=row["etag"] or original["etag"], last_modified=row["last_modified"] or original["last_modified"],
            original_id=original["id"], original_record_id=original["record_id"], original_uri=original["url"],
            original_date=original["warc_date"], original_file=original["warc_file"],
            original_offset=original["warc_offset"], original_length=original["warc_length"])

    def article_state(self, url: str) -> ArticleState | None:
        row = self.db.execute(
            "SELECT a.capture_id, a.published, a.text_hash,"
            " (SELECT min(warc_date) FROM captures WHERE url = a.url) AS first_captured,"
            " (SELECT max(warc_date) FROM captures WHERE url = a.url) AS last_captured"
            " FROM articles a JOIN captures c ON c.id = a.capture_id"
            " WHERE a.url = ? ORDER BY c.timestamp DESC, c.id DESC LIMIT 1", (url,)).fetchone()
        if row is None:
            return None
        return ArticleState(url, row["published"], row["first_captured"], row["last_captured"],
                            row["text_hash"], row["capture_id"])

    def has_version(self, capture_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM versions WHERE capture_id = ?", (capture_id,)).fetchone() is not None

    def versions(self, url: str) -> list[Version]:
        rows = self.db.execute(
            "SELECT v.*, c.warc_date, c.payload_digest, a.title, a.conversion_file,"
            " a.conversion_offset, a.conversion_length FROM versions v"
            " JOIN captures c ON c.id = v.capture_id JOIN articles a ON a.capture_id = v.capture_id"
            " WHERE v.url = ? ORDER BY v.version", (url,)).fetchall()
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
            " LEFT JOIN revisits r ON r.capture_id = c.id WHERE c.id = ?", (capture_id,)).fetchone()
        if row is None or row["kind"] != "revisit":
            return row
        if row["original_id"] is not None:
            return self.capture(row["original_id"])
        if row["refers_to"]:
            named = self.capture_by_record_id(row["refers_to"])
            if named is not None:
                return named
        return self.db.execute(
            "SELECT * FROM captures WHERE url = ? AND payload_digest = ? AND kind != 'revisit'"
            " AND timestamp <= ? ORDER BY timestamp DESC, id DESC LIMIT 1",
            (row["refers_to_uri"] or row["url"], row["payload_digest"], row["timestamp"])).fetchone()

    def revisit_of(self, capture_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM revisits WHERE capture_id = ?", (capture_id,)).fetchone()

    def timeline(self, url: str) -> list[sqlite3.Row]:
        """Every capture of ``url`` (responses and revisits), oldest first, with what it is."""
        return self.db.execute(
            "SELECT c.id, c.warc_date, c.status, c.kind, c.payload_digest, r.profile,"
            " r.original_id, v.version, v.text_hash, v.added_words, v.removed_words"
            " FROM captures c LEFT JOIN revisits r ON r.capture_id = c.id"
            " LEFT JOIN versions v ON v.capture_id = c.id"
            " WHERE c.url = ? ORDER BY c.timestamp, c.id", (url,)).fetchall()

    # -- comparing and checking ------------------------------------------------------------
    def snapshot(self) -> dict[str, list[tuple]]:
        """The content of captures, articles, versions and revisits, by record id rather than
        row id: two catalogs of the same WARC files have equal snapshots."""
        q = self.db.execute
        rid = "(SELECT record_id FROM captures WHERE id = {})"
        return {
            "captures": sorted(tuple(r) for r in q(
                "SELECT url, surt, timestamp, warc_date, record_id, status, mime, kind, payload_digest,"
                " warc_file, warc_offset, warc_length, truncated, job, page_class, page_signals FROM captures")),
            "articles": sorted(tuple(r) for r in q(
                f"SELECT {rid.format('a.capture_id')}, url, canonical_url, title, authors, published, sitename,"
                " language, text_hash, text_length, extractor, conversion_file, conversion_offset,"
                " conversion_length, metadata_file, metadata_offset, metadata_length, modified, description,"
                " section, tags, image, amp_url, page_class, page_signals FROM articles a")),
            "versions": sorted(tuple(r) for r in q(
                f"SELECT {rid.format('v.capture_id')}, url, version, {rid.format('v.previous_id')}, text_hash,"
                " diff, added_words, removed_words FROM versions v")),
            "revisits": sorted(tuple(r) for r in q(
                f"SELECT {rid.format('r.capture_id')}, profile, refers_to, refers_to_uri, refers_to_date,"
                f" {rid.format('r.original_id')} FROM revisits r")),
        }
