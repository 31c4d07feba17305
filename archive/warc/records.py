"""Build WARC/1.1 records (warcio ``ArcWarcRecord``) for one capture.

A capture is a request and a response sharing one ``WARC-Date`` and linked by
``WARC-Concurrent-To``; an article adds a ``conversion`` record (the cleaned text)
and a ``metadata`` record, both referring to the response.

Replay tools index every record that is not ``application/warc-fields`` under its
``WARC-Target-URI`` (pywb's indexer takes conversions too), so the derived records must not
stand for the page: the text's Target-URI is ``urn:text:<page URL>`` (as Browsertrix names its
text records) and the metadata is ``application/warc-fields`` (as Heritrix writes it), which
cdxj-indexer, pywb and ReplayWeb.page all leave out. Archives written before carry the text
under the page's own URL and JSON metadata; the readers below take both forms.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from typing import Callable, Iterable

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.utils import Digester

WARC_VERSION = "WARC/1.1"

TEXT_URI_PREFIX = "urn:text:"
METADATA_CONTENT_TYPE = "application/warc-fields"
# metadata fields that hold several values, one ``name: value`` line each
_LIST_FIELDS = frozenset({"authors", "tags", "page_signals", "boilerplate_blocks"})
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f]+")

# Hop-by-hop framing that no longer describes the stored (de-chunked) body.
_FRAMING_HEADERS = {"transfer-encoding", "content-length"}


def new_record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def warc_date(moment: datetime) -> str:
    """ISO 8601 UTC with microseconds, as WARC/1.1 allows."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return datetime_to_iso_date(moment, use_micros=True)


@dataclass
class RecordFactory:
    """Makes records; the id and clock factories can be fixed for deterministic output."""

    make_id: Callable[[], str] = new_record_id
    now: Callable[[], datetime] = utc_now
    _builder: RecordBuilder = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._builder = RecordBuilder(warc_version=WARC_VERSION)

    def _record(
        self,
        rec_type: str,
        uri: str | None,
        headers: dict[str, str],
        block: bytes,
        content_type: str,
        http_headers: StatusAndHeaders | None = None,
    ):
        headers.setdefault("WARC-Record-ID", self.make_id())
        headers.setdefault("WARC-Date", warc_date(self.now()))
        record = self._builder.create_warc_record(
            uri,
            rec_type,
            payload=BytesIO(block),
            length=len(block),
            warc_content_type=content_type,
            warc_headers_dict=headers,
            http_headers=http_headers,
        )
        if not record.rec_headers.get_header("WARC-Payload-Digest"):
            # warcio leaves warcinfo without one; with no HTTP envelope the payload is the block.
            digester = Digester("sha1")
            digester.update(block)
            record.rec_headers.add_header("WARC-Payload-Digest", str(digester))
        return record

    def warcinfo(self, filename: str, fields: dict[str, str]):
        body = "".join(f"{k}: {v}\r\n" for k, v in fields.items() if v).encode("utf-8")
        headers = {"WARC-Filename": filename}
        return self._record("warcinfo", None, headers, body, "application/warc-fields")

    def request(
        self,
        uri: str,
        date: str,
        method: str,
        target: str,
        headers: Iterable[tuple[str, str]],
        body: bytes = b"",
        concurrent_to: str | None = None,
        ip_address: str | None = None,
    ):
        http = StatusAndHeaders(
            f"{method} {target} HTTP/1.1", list(headers), is_http_request=True
        )
        warc_headers = {"WARC-Date": date}
        if concurrent_to:
            warc_headers["WARC-Concurrent-To"] = concurrent_to
        if ip_address:
            warc_headers["WARC-IP-Address"] = ip_address
        return self._record(
            "request", uri, warc_headers, body, "application/http; msgtype=request", http
        )

    def response(
        self,
        uri: str,
        date: str,
        protocol: str,
        status: int,
        reason: str,
        headers: Iterable[tuple[str, str]],
        body: bytes,
        ip_address: str | None = None,
        truncated: str | None = None,
        record_id: str | None = None,
    ):
        """``body`` is the payload as received after de-chunking (still Content-Encoded)."""
        kept = [(k, v) for k, v in headers if k.lower() not in _FRAMING_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".rstrip(), kept, protocol=protocol)
        warc_headers = {"WARC-Date": date}
        if record_id:
            warc_headers["WARC-Record-ID"] = record_id
        if ip_address:
            warc_headers["WARC-IP-Address"] = ip_address
        if truncated:
            warc_headers["WARC-Truncated"] = truncated
        return self._record(
            "response", uri, warc_headers, body, "application/http; msgtype=response", http
        )

    def conversion(self, uri: str, date: str, refers_to: str, text: str):
        """The text of the page ``uri``, under ``urn:text:`` so no replay tool serves it as the page."""
        headers = {"WARC-Date": date, "WARC-Refers-To": refers_to}
        return self._record(
            "conversion", text_uri(uri), headers, text.encode("utf-8"), "text/plain; charset=utf-8"
        )

    def metadata(self, uri: str, date: str, refers_to: str, fields: dict):
        headers = {"WARC-Date": date, "WARC-Refers-To": refers_to}
        return self._record("metadata", uri, headers, warc_fields(fields), METADATA_CONTENT_TYPE)

    def revisit(
        self,
        uri: str,
        date: str,
        profile: str,
        *,
        refers_to: str,
        refers_to_uri: str,
        refers_to_date: str,
        payload_digest: str,
        protocol: str,
        status: int,
        reason: str,
        headers: Iterable[tuple[str, str]],
        ip_address: str | None = None,
    ):
        """A ``revisit`` whose block is the HTTP headers only; the payload lives in the
        response ``refers_to`` (whose payload digest ``payload_digest`` is)."""
        kept = [(k, v) for k, v in headers if k.lower() != "transfer-encoding"]
        http = StatusAndHeaders(f"{status} {reason}".rstrip(), kept, protocol=protocol)
        warc_headers = {
            "WARC-Date": date,
            "WARC-Profile": profile,
            "WARC-Refers-To": refers_to,
            "WARC-Refers-To-Target-URI": refers_to_uri,
            "WARC-Refers-To-Date": refers_to_date,
            "WARC-Payload-Digest": payload_digest,
        }
        if ip_address:
            warc_headers["WARC-IP-Address"] = ip_address
        return self._record(
            "revisit", uri, warc_headers, b"", "application/http; msgtype=response", http
        )


def text_uri(url: str) -> str:
    return TEXT_URI_PREFIX + url


def described_url(record) -> str:
    """The page a conversion or metadata record describes, in either form (see the module doc)."""
    return page_url(record.header("WARC-Target-URI") or "")


def page_url(target_uri: str) -> str:
    """The page URL of a derived record's Target-URI, in either form."""
    return target_uri[len(TEXT_URI_PREFIX):] if target_uri.startswith(TEXT_URI_PREFIX) else target_uri


def warc_fields(fields: dict) -> bytes:
    """``name: value`` lines (``application/warc-fields``); a list gives one line per value,
    None leaves the field out, and line breaks inside a value become spaces."""
    lines = []
    for name in sorted(fields):
        value = fields[name]
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None:
                lines.append(f"{name}: {_LINE_BREAKS.sub(' ', str(item)).strip()}\r\n")
    return "".join(lines).encode("utf-8")


def metadata_fields(record) -> dict:
    """The fields of a metadata record: ``application/warc-fields``, or the JSON object that
    archives written before hold. Raises ValueError when the block is neither."""
    return parse_metadata(record.header("Content-Type"), record.payload)


def parse_metadata(content_type: str | None, block: bytes) -> dict:
    """``metadata_fields`` of a block given with its Content-Type."""
    content_type = (content_type or "").split(";", 1)[0].strip().lower()
    if content_type == "application/json":
        fields = json.loads(block)
        if not isinstance(fields, dict):
            raise ValueError("the metadata JSON is not an object")
        return fields
    fields: dict = {}
    for line in block.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"not a warc-fields line: {line[:80]!r}")
        name, value = name.strip(), value.strip()
        if name in _LIST_FIELDS:
            fields.setdefault(name, []).append(value)
        else:
            fields[name] = value
    return fields
