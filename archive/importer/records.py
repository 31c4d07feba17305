"""A scanned record made sense of: type, URL, HTTP status and headers, payload, problems.

Tolerant of what real tools wrote: WARC/1.0 and 1.1, ``<...>``-wrapped target URIs (wget 1.14),
spaces in URIs, header lines ending in CR CR LF, responses without HTTP headers, bodies
still chunked, digests in base32, hex or base64. Each repair is noted against the record.
"""

from __future__ import annotations

import hashlib
import operator
import re
from dataclasses import dataclass, field

from ..decoding import MAX_DECODED, Decoded, decode_content
from ..warc.reader import SYNTHETIC_ID, read_record
from .digests import verify
from .scan import RawRecord

CAPTURE_TYPES = ("response", "revisit", "resource")
WARC_TYPES = ("warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")
HTTP_TYPES = ("response", "revisit", "request")
_PAYLOAD_DIGEST_TYPES = ("response", "resource", "request")
# the blank line ending HTTP headers is ``\r?\r?\n\r?\r?\n``; searched from its first LF (a
# pattern starting with a literal is found many times faster), its CRs added back
_BLANK_LINE = re.compile(rb"\n\r?\r?\n")
_SPACE = re.compile(r"\s")
WARN_CRCRLF = ("warning", "WARC header lines end with CR CR LF")
_value = operator.itemgetter(1)
_STATUS_LINE = re.compile(r"^(HTTP/\d(?:\.\d)?)\s+(\d{3})(?:\s+(.*))?$")


@dataclass
class ParsedRecord:
    offset: int
    length: int
    rec_type: str
    record_id: str
    url: str | None
    warc_date: str
    headers: dict[str, str]
    status: int | None = None
    http_headers: list[tuple[str, str]] = field(default_factory=list)
    payload: bytes = b""
    complete: bool = True
    notes: list[tuple[str, str]] = field(default_factory=list)  # (severity, reason)

    def http_header(self, name: str) -> str | None:
        """The first header of that name."""
        return self.http_headers_by_name().get(name.lower())

    def http_headers_by_name(self) -> dict[str, str]:
        """Each HTTP header's first value by its lower-cased name (indexed on the first look-up
        of each list of headers)."""
        index = self.__dict__.get("_http_index")
        if index is None or index[0] is not self.http_headers or index[1] != len(self.http_headers):
            names = first_by_name(self.http_headers)
            index = self.__dict__["_http_index"] = (self.http_headers, len(self.http_headers), names)
        return index[2]

    @property
    def damaged(self) -> bool:
        """Whether reading it found an error (truncation, a digest mismatch, ...)."""
        return any(severity == "error" for severity, _ in self.notes)

    @property
    def content_type(self) -> str | None:
        if self.rec_type == "resource":
            return self.headers.get("content-type")
        return self.http_header("Content-Type")


def unreadable(location: str, record: ParsedRecord) -> str | None:
    """Why a damaged record cannot be served back by ``read_record`` (warcio), and so is not
    cataloged; None for one that can, or that is not damaged."""
    if not record.damaged:
        return None
    try:
        read_record(location, record.offset, record.length)
    except Exception as exc:  # warcio raises several types on damaged input
        return f"damaged record cannot be read back ({exc.__class__.__name__}): not cataloged"
    return None


def synthetic_record_id(location: str, offset: int) -> str:
    digest = hashlib.sha1(f"{location}\0{offset}".encode()).hexdigest()
    return f"{SYNTHETIC_ID}{digest}>"


def repair_uri(uri: str | None) -> tuple[str | None, str | None]:
    """(usable URI, note on what was repaired)."""
    if uri is None:
        return None, None
    fixed = uri.strip()
    note = None
    if fixed.startswith("<") and fixed.endswith(">"):
        fixed, note = fixed[1:-1].strip(), "WARC-Target-URI wrapped in <...> (WARC/0.17 style)"
    if not (fixed.isprintable() and " " not in fixed) and _SPACE.search(fixed):  # \s: never printable but " "
        fixed = _SPACE.sub(lambda m: "%{:02X}".format(ord(m.group())), fixed)
        note = "spaces in WARC-Target-URI percent-encoded"
    return fixed or None, note


def parse_http_head(head: bytes) -> tuple[str | None, int | None, list[tuple[str, str]]]:
    lines = head.decode("latin-1").replace("\r", "").split("\n")
    match = _STATUS_LINE.match(lines[0].strip()) if lines else None
    protocol, status = (match.group(1), int(match.group(2))) if match else (None, None)
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[0] in " \t" and headers:
            key, value = headers[-1]
            headers[-1] = (key, f"{value} {line.strip()}")
            continue
        key, sep, value = line.partition(":")
        if sep:
            headers.append((key.strip(), value.strip()))
    return protocol, status, headers


def split_http(block: bytes, request: bool = False) -> tuple[bytes, bytes] | None:
    """(HTTP head, payload); None when a response block does not start with a status line."""
    if not request and not block.startswith(b"HTTP/"):
        return None
    match = _BLANK_LINE.search(block)
    if match is None:
        return block, b""
    start = match.start()
    for _ in range(2):
        if start and block[start - 1] == 13:  # CR
            start -= 1
    return block[:start], block[match.end():]


def first_by_name(pairs) -> dict[str, str]:
    """Each header's first value by its lower-cased name."""
    return {key.lower(): value for key, value in reversed(pairs)}


def parse(raw: RawRecord, location: str, request_headers: bool = True) -> ParsedRecord:
    """``request_headers`` False: a request's HTTP headers are left unparsed (``http_headers``
    empty; its notes are the same), for callers that catalog no requests."""
    notes = list(raw.notes)
    pairs = raw.headers
    if "\r" in "".join(map(_value, pairs)) and any(value[-1:] == "\r" for _, value in pairs):
        notes.append(WARN_CRCRLF)
        pairs = [(key, value.rstrip("\r")) for key, value in pairs]
    headers = first_by_name(pairs)
    get = headers.get
    warc_type = get("warc-type")
    rec_type = warc_type.lower() if warc_type else "unknown"
    if rec_type not in WARC_TYPES:
        notes.append(("error", f"unknown WARC-Type {headers.get('warc-type', '')[:40]!r}: not imported as a capture"))
    length = get("content-length")
    if length is None:
        notes.append(("error", "no Content-Length"))
    elif not length.strip().isdigit():
        notes.append(("error", f"Content-Length {length[:40]!r} is not a byte count"))
    record_id = get("warc-record-id") or synthetic_record_id(location, raw.offset)
    url, repaired = repair_uri(get("warc-target-uri"))
    if repaired:
        notes.append(("warning", repaired))
    warc_date = get("warc-date", "")
    complete = raw.complete
    record = ParsedRecord(raw.offset, raw.length, rec_type, record_id, url, warc_date, headers,
                          complete=complete, notes=notes)
    if not warc_date and rec_type in CAPTURE_TYPES:
        notes.append(("warning", "no WARC-Date"))
    if not complete:
        notes.append(("error", f"truncated: block has {raw.block_size} of {raw.declared_length} bytes"))
    if raw.block_digest_ok is False:
        notes.append(("error", "block digest mismatch"))
    block = raw.block
    payload = block
    if rec_type in HTTP_TYPES and url and url[:6].lower().startswith(("http:", "https:")):
        parts = split_http(block, request=rec_type == "request")
        if parts is None:
            if rec_type != "request":
                notes.append(("error", f"{rec_type} record without HTTP headers"))
        else:
            head, payload = parts
            if rec_type != "request":
                _protocol, record.status, record.http_headers = parse_http_head(head)
            elif request_headers:
                record.http_headers = parse_http_head(head)[2]
            if b"\r\r\n" in head:
                notes.append(("warning", "HTTP header lines end with CR CR LF"))
    record.payload = payload
    if complete and rec_type in _PAYLOAD_DIGEST_TYPES and len(block) == raw.block_size:
        declared = get("warc-payload-digest")
        if verify(declared, payload) is False and verify(declared, dechunk(payload)) is False:
            notes.append(("error", "payload digest mismatch"))
    return record


def dechunk(data: bytes) -> bytes:
    """Undo ``Transfer-Encoding: chunked``; what cannot be parsed is returned unchanged."""
    out, position = [], 0
    while True:
        line_end = data.find(b"\n", position)
        if line_end < 0:
            return data
        size_text = data[position:line_end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return data
        if size == 0:
            return b"".join(out)
        start = line_end + 1
        out.append(data[start:start + size])
        position = start + size
        if data[position:position + 2] == b"\r\n":
            position += 2
        elif data[position:position + 1] == b"\n":
            position += 1
        if position >= len(data):
            return b"".join(out)


def decoded_body(record: ParsedRecord, limit: int = MAX_DECODED) -> Decoded:
    """The payload as a browser would see it: de-chunked and Content-Decoded when it can be,
    at most ``limit`` bytes of it (``cut`` when there was more: a decompression bomb).

    Some tools stored the decoded body but kept ``Content-Encoding``: then the stored bytes
    are the body.
    """
    body = record.payload
    if "chunked" in (record.http_header("Transfer-Encoding") or "").lower():
        body = dechunk(body)
    return decode_content(body, record.http_header("Content-Encoding"), limit)


def http_body(record: ParsedRecord, limit: int = MAX_DECODED) -> bytes:
    """``decoded_body``'s bytes: at most ``limit`` of them."""
    return decoded_body(record, limit).body
