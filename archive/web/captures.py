"""Captures looked up by catalog id: their WARC records, the payload behind a revisit, the
article text and metadata, and every capture of the same URL.

Files are only ever reached through the catalog: a capture id selects a row, the row names a
WARC file (relative to ``ARCHIVE/warc``, or absolute for imported files) and an offset.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from warcio.exceptions import ArchiveLoadFailed

from ..catalog import CatalogStore, Row
from ..decoding import MAX_DECODED, decode_content
from ..replay import ArchiveReplay, CaptureInfo, ReplayError, dechunk
from ..warc.reader import StoredRecord, read_record
from ..warc.records import metadata_fields

# what a wrong offset, a damaged file or a missing one raises while reading a record
READ_ERRORS = (OSError, ValueError, EOFError, zlib.error, ArchiveLoadFailed)


class NotArchived(LookupError):
    """The catalog has no such capture, or its payload cannot be found."""


@dataclass
class Replayed:
    """What the browser gets for an archived response: status, headers, decoded body."""

    capture: Row
    record: StoredRecord  # the capture's own record (a response or a revisit)
    payload_record: StoredRecord  # where the body came from (differs for revisits)
    status: int
    content_type: str
    body: bytes
    encoding_note: str | None = None


class CaptureLookup:
    def __init__(self, root: Path, catalog: CatalogStore, max_body: int = MAX_DECODED):
        """``catalog``: opened for reading, closed by the caller; ``max_body``: bytes of a payload
        read, and of a body decoded, at most."""
        self.root = Path(root)
        self.catalog = catalog
        self.max_body = max_body

    def warc_path(self, name: str) -> Path:
        return Path(self.root, "warc", name)

    # -- catalog rows ----------------------------------------------------------------------
    def capture(self, capture_id: int) -> Row:
        row = self.catalog.capture(capture_id)
        if row is None:
            raise NotArchived(f"no capture {capture_id}")
        return row

    def article(self, capture_id: int) -> Row | None:
        return self.catalog.article(capture_id)

    def versions(self, url: str) -> list[Row]:
        """Every capture of ``url``, oldest first, with its article's title and text hash."""
        return self.catalog.captures_with_articles(url)

    def latest_article_capture(self, url: str) -> int | None:
        return self.catalog.latest_article_capture(url)

    def closest(self, url: str, at: str) -> int | None:
        """The capture of ``url`` nearest in time to ``at`` (14 digits or a prefix), newest
        when ``at`` is empty; a missing trailing slash on a bare host still matches."""
        urls = [url]
        parts = url.split("/", 3)
        if len(parts) == 3:
            urls.append(url + "/")
        target = int((at or "99991231235959").ljust(14, "0"))
        return self.catalog.closest_capture(urls, target)

    def recent(self, limit: int) -> list[Row]:
        return self.catalog.recent_captures(limit)

    def counts(self) -> dict[str, int]:
        counts = self.catalog.counts()
        return {name: counts[name] for name in ("captures", "articles", "warc_files")}

    # -- records -----------------------------------------------------------------------------
    def _read(self, name: str, offset: int, length: int) -> StoredRecord:
        try:
            return read_record(self.warc_path(name), offset, length, max_payload=self.max_body)
        except READ_ERRORS as exc:
            raise NotArchived(f"cannot read a WARC record in {name} at {offset}: {exc}") from exc

    def record(self, row: Row) -> StoredRecord:
        """The capture's record, checked to be the one the catalog names (a stale or wrong
        offset must not show another record)."""
        record = self._read(row["warc_file"], row["warc_offset"], row["warc_length"])
        if not record.is_record(row["record_id"]):
            raise NotArchived(f"capture {row['id']}: {row['warc_file']} at {row['warc_offset']} holds"
                              f" {record.header('WARC-Record-ID')}, not {row['record_id']}")
        return record

    def _derived(self, article: Row, kind: str) -> StoredRecord:
        """The article's conversion or metadata record, checked to refer to its capture."""
        record = self._read(article[f"{kind}_file"], article[f"{kind}_offset"], article[f"{kind}_length"])
        expected = self.catalog.capture(article["capture_id"])
        if record.rec_type != kind or expected is None or record.header("WARC-Refers-To") != expected["record_id"]:
            raise NotArchived(f"the {kind} record of capture {article['capture_id']} is not at"
                              f" {article[f'{kind}_file']}:{article[f'{kind}_offset']}")
        return record

    def record_bytes(self, row: Row, limit: int, chunk_size: int = 1 << 20) -> tuple[bytes, Iterator[bytes]]:
        """The capture's record as stored (one gzip member, or plain), once checked to be it:
        (its first chunk, the chunks after it), read from the file as they are sent."""
        self.record(row)
        if row["warc_length"] > limit:
            raise NotArchived(f"capture {row['id']}: the record is {row['warc_length']} bytes,"
                              f" more than the {limit} served")
        try:
            f = open(self.warc_path(row["warc_file"]), "rb")
            f.seek(row["warc_offset"])
            first = f.read(min(chunk_size, row["warc_length"]))
        except OSError as exc:
            raise NotArchived(f"capture {row['id']}: {exc}") from exc

        def rest() -> Iterator[bytes]:
            with f:
                left = row["warc_length"] - len(first)
                while left > 0 and (data := f.read(min(chunk_size, left))):
                    left -= len(data)
                    yield data
        return first, rest()

    def article_text(self, article: Row) -> str:
        return self._derived(article, "conversion").payload.decode("utf-8", "replace")

    def article_metadata(self, article: Row) -> dict:
        record = self._derived(article, "metadata")
        try:
            return metadata_fields(record)
        except ValueError:
            return {}

    def original_of(self, row: Row, revisit: StoredRecord) -> Row:
        """The capture a revisit record stands for, resolved as replay resolves it."""
        replay = ArchiveReplay(self.root, self.catalog, max_body=self.max_body)
        try:
            original, _ = replay.resolve_revisit(CaptureInfo.from_row(row), revisit)
        except ReplayError as exc:
            raise NotArchived(f"capture {row['id']} is a revisit whose original is not archived: {exc}") from exc
        return self.capture(original.id)

    def replay(self, capture_id: int) -> Replayed:
        row = self.capture(capture_id)
        record = self.record(row)
        payload_record = record
        if record.rec_type == "revisit":
            payload_record = self.record(self.original_of(row, record))
        if payload_record.rec_type != "response":
            raise NotArchived(f"capture {capture_id} is a {payload_record.rec_type} record, not a response")
        headers = record.http_headers or payload_record.http_headers
        status = record.http_status or payload_record.http_status or 200
        if status == 304 and payload_record is not record:
            status = payload_record.http_status or 200
        payload = payload_record.payload
        if any("chunked" in (_header(r.http_headers, "transfer-encoding") or "").lower()
               for r in (record, payload_record)):
            # stored with its chunk framing by the tool that wrote it (wirecopy de-chunks)
            plain = dechunk(payload)
            payload = payload if plain is None else plain
        body, note = decode_body(payload, _header(payload_record.http_headers, "content-encoding"),
                                 self.max_body)
        if payload_record.payload_cut:
            note = f"archived payload cut at {self.max_body} bytes" + (f"; {note}" if note else "")
        content_type = _header(headers, "content-type") or row["mime"] or "application/octet-stream"
        return Replayed(row, record, payload_record, status, content_type, body, note)


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def decode_body(body: bytes, encoding: str | None, limit: int = MAX_DECODED) -> tuple[bytes, str | None]:
    """Undo Content-Encoding (gzip, deflate, br, in the order applied), never past ``limit``
    decoded bytes. A truncated, damaged or oversized stream gives what could be decoded and
    a note saying so."""
    decoded = decode_content(body, encoding, limit)
    return decoded.body, decoded.note


@dataclass(frozen=True)
class PageClassView:
    """A capture's page class as the UI shows it: the class, the wall's kind, the doubt, why."""

    page_class: str
    wall: str | None
    doubtful: bool
    signals: list[str]


def _json_list(value) -> list[str]:
    try:
        items = json.loads(value) if value else []
    except ValueError:
        return []
    return [str(item) for item in items] if isinstance(items, list) else []


def page_class_view(row: Row) -> PageClassView | None:
    """The page class the catalog holds for a capture (HTML pages only), None when unclassed."""
    if not row["page_class"]:
        return None
    signals = _json_list(row["page_signals"])
    wall = next((s.split(":", 1)[1] for s in signals if s.startswith("wall:")), None)
    return PageClassView(row["page_class"], wall, "doubt" in signals,
                         [s for s in signals if s != "doubt"])


def article_lists(article: Row | None) -> dict[str, list[str]]:
    """The article's list fields (authors, tags), from the catalog's JSON columns."""
    if article is None:
        return {"authors": [], "tags": []}
    return {name: _json_list(article[name]) for name in ("authors", "tags")}
