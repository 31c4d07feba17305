"""Replay: answer a URL from the archive as the live web answered it when it was captured.

    with ArchiveReplay("archive") as replay:
        answer = replay.get("https://www.example.com/news/?b=2&a=1", at="20250304")
        if answer is not None:
            answer.status, answer.headers, answer.body

URLs match by SURT key, as pywb matches them: http and https, ``www.``, default ports and the
order of query arguments make no difference. Of the captures of a key, the one closest in time
to ``at`` (default: the latest) is replayed; a redirect to the requested URL itself (an archived
``http -> https`` hop) is skipped for the next closest capture. ``revisit`` records resolve to the
payload they refer to (``WARC-Refers-To``, else the payload digest at ``WARC-Refers-To-Target-URI``).
The body comes back as it was sent, Content-Encoded when the server encoded it (the client
decodes it, as on the live web), but de-chunked: ``Transfer-Encoding`` is dropped and
``Content-Length`` is the length of the body returned. With ``max_body`` a payload is read
up to that many bytes at most and the answer says it was cut (``truncated``), as a live fetch
is cut at ``DOWNLOAD_MAXSIZE``.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from warcio.exceptions import ArchiveLoadFailed

from .catalog import CatalogStore, open_catalog
from .index.cdxj import surt_key
from .warc.reader import StoredRecord, read_record

__all__ = ["ArchiveReplay", "CaptureInfo", "ReplayedResponse", "ReplayError", "archived_pages",
           "archived_seeds", "parse_at"]

MAX_REVISIT_HOPS = 5
_PAD_14 = "10000101000000"  # pywb pads partial timestamps towards the start of the period
_EPOCH = datetime(1, 1, 1, tzinfo=timezone.utc)


class ReplayError(Exception):
    """An archived record could not be replayed (unreadable, or a revisit that resolves nowhere)."""


@dataclass(frozen=True)
class CaptureInfo:
    """One row of the catalog's captures table: where a response (or revisit) record lives."""

    id: int
    url: str
    warc_date: str
    record_id: str
    status: int | None
    kind: str
    payload_digest: str | None
    warc_file: str
    warc_offset: int
    warc_length: int

    @property
    def timestamp(self) -> str:
        return "".join(ch for ch in self.warc_date if ch.isdigit())[:14]

    @classmethod
    def from_row(cls, row) -> CaptureInfo:
        return cls(row["id"], row["url"], row["warc_date"], row["record_id"], row["status"], row["kind"],
                   row["payload_digest"], row["warc_file"], row["warc_offset"], row["warc_length"])


@dataclass(frozen=True)
class ReplayedResponse:
    """An archived HTTP answer, ready to hand to a client."""

    capture: CaptureInfo  # the record that answered (a response, resource or revisit record)
    status: int
    reason: str
    protocol: str
    headers: list[tuple[str, str]]  # every value of every header, in archived order
    body: bytes  # de-chunked, still Content-Encoded
    ip_address: str | None = None
    revisit_of: CaptureInfo | None = None  # the capture whose payload a revisit resolved to
    truncated: bool = False  # the archived payload went on past ``max_body``

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def is_redirect(self) -> bool:
        return 300 <= self.status < 400 and self.header("Location") is not None


def parse_at(value: str | datetime | None) -> datetime | None:
    """``20250304``, ``20250304102030`` (pywb style, padded) or ISO 8601 -> aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    text = str(value).strip()
    if re.fullmatch(r"\d{4,14}", text):
        try:
            return datetime.strptime(text + _PAD_14[len(text):], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        except ValueError:
            raise ValueError(f"not a timestamp: {value!r}") from None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a timestamp (YYYYmmddHHMMSS or ISO 8601): {value!r}") from None
    return parse_at(moment)


def _moment(warc_date: str) -> datetime:
    try:
        return parse_at(warc_date) or _EPOCH
    except ValueError:
        try:
            return parse_at("".join(ch for ch in warc_date if ch.isdigit())[:14]) or _EPOCH
        except ValueError:
            return _EPOCH


def dechunk(data: bytes) -> bytes | None:
    """The body of a ``Transfer-Encoding: chunked`` payload, or None when it is not chunked."""
    out = bytearray()
    pos = 0
    while True:
        eol = data.find(b"\r\n", pos)
        if eol < 0:
            return None
        size_field = data[pos:eol].split(b";", 1)[0].strip()
        try:
            size = int(size_field, 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        start = eol + 2
        chunk = data[start:start + size]
        out += chunk
        if len(chunk) < size:  # cut short (a truncated record): keep what there is
            return bytes(out)
        pos = start + size
        if data[pos:pos + 2] == b"\r\n":
            pos += 2
        elif pos < len(data):
            return None


def _same_url(a: str, b: str) -> bool:
    sa, sb = urlsplit(a), urlsplit(b)
    return sa.scheme.lower() == sb.scheme.lower() and surt_key(a) == surt_key(b)


class ArchiveReplay:
    """Looks captures up in an archive's catalog and reads them back from its WARC files."""

    def __init__(self, root: str | Path, catalog: CatalogStore | None = None,
                 max_body: int | None = None):
        """``catalog``: the catalog to use, left open by ``close``; by default a read-only one
        of its own. ``max_body``: payload bytes read per record at most (None: all)."""
        self.root = Path(root)
        self.max_body = max_body
        self._own_catalog = catalog is None
        self.catalog = catalog if catalog is not None else open_catalog(self.root, readonly=True)

    def __enter__(self) -> ArchiveReplay:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._own_catalog:
            self.catalog.close()

    # -- lookup ---------------------------------------------------------------------------
    def captures(self, url: str) -> list[CaptureInfo]:
        """Every capture of the URL's SURT key, oldest first."""
        return [CaptureInfo.from_row(r) for r in self.catalog.captures_by_key(surt_key(url))]

    def candidates(self, url: str, at: str | datetime | None = None) -> list[CaptureInfo]:
        """The captures of ``url``, closest to ``at`` first (latest first when ``at`` is None)."""
        found = self.captures(url)
        moment = parse_at(at)
        if moment is None:
            return found[::-1]
        # equally close: the later capture first
        return sorted(found[::-1], key=lambda c: abs((_moment(c.warc_date) - moment).total_seconds()))

    def record(self, capture: CaptureInfo) -> StoredRecord:
        path = self.root / "warc" / capture.warc_file  # an absolute warc_file stays absolute
        try:
            record = read_record(path, capture.warc_offset, capture.warc_length, max_payload=self.max_body)
        except (OSError, ValueError, EOFError, ArchiveLoadFailed, zlib.error) as exc:
            raise ReplayError(f"cannot read {capture.warc_file}:{capture.warc_offset}: {exc}") from exc
        if not record.is_record(capture.record_id):
            raise ReplayError(f"cannot read {capture.warc_file}:{capture.warc_offset}: "
                              f"it holds {record.header('WARC-Record-ID') or 'no record'}, not {capture.record_id}")
        return record

    # -- replay ---------------------------------------------------------------------------
    def get(self, url: str, at: str | datetime | None = None) -> ReplayedResponse | None:
        """The archived answer to ``url`` closest to ``at``, or None when nothing matches.

        A capture that cannot be read (or a revisit that resolves nowhere) gives way to the next
        closest one, as in pywb; ``ReplayError`` is raised when none of them can be replayed.
        """
        failure: ReplayError | None = None
        for capture in self.candidates(url, at):
            try:
                answer = self.load(capture)
            except ReplayError as exc:
                failure = failure or exc
                continue
            location = answer.header("Location") if answer.is_redirect else None
            if location and _same_url(urljoin(capture.url, location.strip()), url):
                continue  # a redirect to the very URL asked for would loop
            return answer
        if failure is not None:
            raise failure
        return None

    def load(self, capture: CaptureInfo) -> ReplayedResponse:
        """Read one capture back, resolving a revisit to the payload it refers to."""
        record = self.record(capture)
        if record.rec_type == "revisit":
            original, original_record = self.resolve_revisit(capture, record)
            not_modified = (record.header("WARC-Profile") or "").endswith("/server-not-modified")
            envelope = original_record if not_modified or not record.http_headers else record
            return self._answer(capture, envelope, original_record, revisit_of=original)
        return self._answer(capture, record, record)

    def _answer(self, capture: CaptureInfo, envelope: StoredRecord, payload_record: StoredRecord,
                revisit_of: CaptureInfo | None = None) -> ReplayedResponse:
        if envelope.rec_type == "resource" or (envelope.http_status is None and not envelope.http_headers):
            content_type = envelope.header("Content-Type") or "application/octet-stream"
            headers = [("Content-Type", content_type)]
            status, reason, protocol = 200, "OK", "HTTP/1.1"
        else:
            if envelope.http_status is None:
                raise ReplayError(f"no HTTP status in {capture.warc_file}:{capture.warc_offset}")
            headers = list(envelope.http_headers)
            status = envelope.http_status
            protocol = envelope.http_protocol or "HTTP/1.1"
            reason = ""
        body = payload_record.payload
        chunked = any(k.lower() == "transfer-encoding" and "chunked" in v.lower()
                      for k, v in list(headers) + list(payload_record.http_headers))
        if chunked:
            plain = dechunk(body)
            body = body if plain is None else plain
            headers = [(k, v) for k, v in headers
                       if k.lower() not in ("transfer-encoding", "content-length")]
            headers.append(("Content-Length", str(len(body))))
        elif payload_record.payload_cut:
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        return ReplayedResponse(
            capture=capture, status=status, reason=reason, protocol=protocol, headers=headers,
            body=body, ip_address=envelope.header("WARC-IP-Address"), revisit_of=revisit_of,
            truncated=payload_record.payload_cut,
        )

    def resolve_revisit(self, capture: CaptureInfo, record: StoredRecord,
                        hops: int = 0) -> tuple[CaptureInfo, StoredRecord]:
        """The capture and record holding the payload of a revisit: the record it names, else
        the same URL's capture with its payload digest (the one at WARC-Refers-To-Date first),
        else, as deduplicating proxies do across URLs, any capture with that digest."""
        if hops >= MAX_REVISIT_HOPS:
            raise ReplayError(f"revisit chain too long at {capture.url}")
        for original in self._revisit_targets(capture, record):
            if original.id == capture.id:
                continue
            try:
                target = self.record(original)
            except ReplayError:
                continue
            if target.rec_type == "revisit":
                return self.resolve_revisit(original, target, hops + 1)
            if target.rec_type in ("response", "resource"):
                return original, target
        raise ReplayError(
            f"revisit of {capture.url} ({capture.warc_file}:{capture.warc_offset})"
            " refers to no archived payload"
        )

    def _revisit_targets(self, capture: CaptureInfo, record: StoredRecord):
        refers_to = record.header("WARC-Refers-To")
        if refers_to:
            row = self.catalog.capture_by_record_id(refers_to)
            if row is not None:
                yield CaptureInfo.from_row(row)
        digest = record.header("WARC-Payload-Digest") or capture.payload_digest
        if not digest:
            return
        target_url = record.header("WARC-Refers-To-Target-URI") or capture.url
        target_date = record.header("WARC-Refers-To-Date")
        same_key = [CaptureInfo.from_row(r) for r in self.catalog.captures_with_payload(
            digest, surt_key(target_url), same_key=True)]
        # the capture the revisit names by date first, then the latest one before the revisit
        same_key.sort(key=lambda c: (c.warc_date != target_date, c.warc_date > capture.warc_date))
        yield from same_key
        # identical payloads deduplicated across URLs (warcprox does this)
        for row in self.catalog.captures_with_payload(digest, surt_key(target_url), same_key=False, limit=20):
            yield CaptureInfo.from_row(row)


def archived_seeds(root: str | Path) -> list[str]:
    """The seed URLs of the crawls that wrote an archive's WARC files (their ``warcinfo``)."""
    seeds: list[str] = []
    for path in sorted((Path(root) / "warc").glob("*.warc.gz")):
        try:
            info = read_record(path, 0)
        except (OSError, ValueError, EOFError, ArchiveLoadFailed, zlib.error):
            continue
        if info.rec_type != "warcinfo":
            continue
        for line in info.payload.decode("utf-8", "replace").splitlines():
            name, _, value = line.partition(":")
            if name.strip().lower() == "wirecopy-seeds":
                seeds.extend(value.split())
    return list(dict.fromkeys(seeds))


def archived_pages(root: str | Path) -> list[str]:
    """Every URL an archive holds an HTML or XML answer for (robots.txt and errors left out),
    in capture order: what to start from when no seeds were recorded (imported WARCs)."""
    catalog = open_catalog(root, readonly=True)
    try:
        return catalog.page_urls()
    finally:
        catalog.close()
