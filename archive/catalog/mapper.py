"""WARC record -> catalog rows: the one mapping for the live crawl, import, crash recovery and
``wirecopy index rebuild`` (in the spirit of warcio's indexer).

Records come in as ``ParsedRecord`` however they were read: written a moment ago
(``from_warcio``), scanned by the importer, or read back (``from_stored``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..discover import sniff, ungzip
from ..importer.records import ParsedRecord, first_by_name, http_body
from ..warc.records import page_url, parse_metadata
from ..index.cdxj import cdxj_line, mime_of, surt_key, timestamp14
from ..warc.reader import StoredRecord
from .rows import ArticleRow, CaptureKind, CaptureRow, RevisitLink

CAPTURE_TYPES = ("response", "revisit", "resource")
_SNIFFED = {"feed": CaptureKind.FEED, "sitemap": CaptureKind.SITEMAP, "sitemapindex": CaptureKind.SITEMAP,
            "html": CaptureKind.PAGE}
_SNIFFED_MIMES = frozenset((
    "", "text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/plain",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml",
    "application/x-gzip", "application/gzip", "application/octet-stream"))


@dataclass(frozen=True)
class CaptureEntry:
    """What one capture record gives the catalog and the CDXJ."""

    row: CaptureRow
    etag: str | None
    last_modified: str | None
    revisit: RevisitLink | None
    index_line: str


@dataclass(frozen=True)
class ArticleEntry:
    """A conversion + metadata pair: the article row of the capture they refer to."""

    refers_to: str
    row: ArticleRow  # capture_id 0: resolved from ``refers_to`` when written
    text: str


def from_warcio(record, offset: int, length: int, payload: bytes) -> ParsedRecord:
    """A record wirecopy just built (``archive.warc.records``) and wrote at ``offset``."""
    headers = first_by_name(record.rec_headers.headers)
    http = record.http_headers
    status = None
    if http is not None and record.rec_type in ("response", "revisit"):
        code = http.get_statuscode()
        status = int(code) if code and code.isdigit() else None
    return ParsedRecord(offset, length, record.rec_type, headers.get("warc-record-id", ""),
                        headers.get("warc-target-uri"), headers.get("warc-date", ""), headers, status,
                        list(http.headers) if http is not None else [], payload)


def from_stored(record: StoredRecord) -> ParsedRecord:
    headers = first_by_name(record.headers.items())
    return ParsedRecord(record.offset, record.length, record.rec_type, headers.get("warc-record-id", ""),
                        headers.get("warc-target-uri"), headers.get("warc-date", ""), headers,
                        record.http_status, record.http_headers, record.payload)


def needs_body(record: ParsedRecord, content_type: str | None = None) -> bool:
    """Whether the body can change the kind: pages, feeds and sitemaps (whatever they are
    served as), not images, scripts, styles or media. ``content_type``: the record's, when the
    caller has it already."""
    mime = (content_type or record.content_type or "").split(";", 1)[0].strip().lower()
    return record.rec_type != "revisit" and (mime in _SNIFFED_MIMES or mime.endswith("+xml"))


_SNIFF_BYTES = 4096  # what sniff() looks at of the decoded body (inflating costs by the byte out)


_INFLATE_WBITS = {"gzip": (31,), "x-gzip": (31,), "deflate": (zlib.MAX_WBITS, -zlib.MAX_WBITS)}


def _body_head(record: ParsedRecord) -> bytes:
    """The decoded body, or for a gzip or deflate body only its start: all that sniffing needs,
    without inflating the rest. Anything unusual is decoded as ``http_body`` decodes it."""
    names = record.http_headers_by_name()
    encoding = names.get("content-encoding")
    transfer = names.get("transfer-encoding")
    if not encoding and not transfer:
        return record.payload  # the usual case: nothing to undo
    encodings = [e.strip().lower() for e in (encoding or "").split(",") if e.strip()]
    if "chunked" in (transfer or "").lower() or len(encodings) > 1:
        return http_body(record)
    if not encodings or encodings[0] == "identity":
        return record.payload
    for wbits in _INFLATE_WBITS.get(encodings[0], ()):
        try:
            return zlib.decompressobj(wbits).decompress(record.payload, _SNIFF_BYTES)
        except zlib.error:
            continue
    return http_body(record)


def capture_kind(record: ParsedRecord, content_type: str | None = None) -> CaptureKind:
    """From the status and the content, never from the URL alone (robots.txt aside).
    ``content_type``: the record's, when the caller has it already."""
    if record.rec_type == "revisit":
        return CaptureKind.REVISIT
    if "/robots.txt" in (record.url or "") and urlsplit(record.url).path == "/robots.txt":
        return CaptureKind.ROBOTS
    status = record.status
    if status is not None and 300 <= status < 400:
        return CaptureKind.REDIRECT
    if status is not None and status >= 400:
        return CaptureKind.ERROR
    content_type = content_type or record.content_type
    if not needs_body(record, content_type):
        return CaptureKind.OTHER
    kind = sniff(_body_head(record), content_type)
    if kind == "gzip":
        body = http_body(record)  # a gzip file served as such (sitemap.xml.gz): all of it
        try:
            kind = sniff(ungzip(body), None)
        except (OSError, ValueError, EOFError):
            return CaptureKind.OTHER
    return _SNIFFED.get(kind, CaptureKind.OTHER)


def capture_entry(record: ParsedRecord, location: str, job: str | None = None,
                  kind: CaptureKind | None = None) -> CaptureEntry:
    """The rows of a ``response``, ``revisit`` or ``resource`` record stored at ``location``."""
    headers = record.headers
    names = record.http_headers_by_name()
    content_type = headers.get("content-type") if record.rec_type == "resource" else names.get("content-type")
    kind = kind or capture_kind(record, content_type)
    revisit = None
    extra = None
    if kind == CaptureKind.REVISIT:
        mime = "warc/revisit"
        revisit = RevisitLink(headers.get("warc-profile") or "", headers.get("warc-refers-to"),
                              headers.get("warc-refers-to-target-uri"), headers.get("warc-refers-to-date"))
        if revisit.refers_to_uri:
            extra = {"orig_url": revisit.refers_to_uri}
    else:
        mime = mime_of(content_type)
    url = record.url or ""
    warc_date, status, offset, length = record.warc_date, record.status, record.offset, record.length
    digest = headers.get("warc-payload-digest")
    truncated = headers.get("warc-truncated") or (None if record.complete else "length")
    key = surt_key(url)
    stamp = timestamp14(warc_date)
    row = CaptureRow(url=url, surt=key, timestamp=stamp, warc_date=warc_date, record_id=record.record_id,
                     status=status, mime=mime, kind=str(kind), payload_digest=digest, warc_file=location,
                     warc_offset=offset, warc_length=length, truncated=truncated, job=job)
    line = cdxj_line(url, warc_date, mime=mime, status=status, digest=digest, length=length, offset=offset,
                     filename=location, extra=extra, key=key, timestamp=stamp)
    return CaptureEntry(row, names.get("etag"), names.get("last-modified"), revisit, line)


@dataclass(frozen=True)
class PageClassEntry:
    """A metadata record standing alone (no conversion before it): the class of a page that got
    no text (a listing, a wall, an article whose extraction failed)."""

    refers_to: str
    page_class: str
    signals: list[str]


def page_class_entry(metadata: ParsedRecord) -> PageClassEntry | None:
    """The page class a metadata record gives its capture, None when it gives none."""
    try:
        fields = parse_metadata(metadata.headers.get("content-type"), metadata.payload)
    except ValueError:
        return None
    page_class = fields.get("page_class")
    refers_to = metadata.headers.get("warc-refers-to")
    if not isinstance(page_class, str) or not page_class or not refers_to:
        return None
    signals = fields.get("page_signals") or []
    return PageClassEntry(refers_to, page_class, [signals] if isinstance(signals, str) else list(signals))


def article_entry(conversion: ParsedRecord, metadata: ParsedRecord, conversion_file: str,
                  metadata_file: str) -> ArticleEntry:
    """The article row of a conversion record (the text) and its metadata record (warc-fields,
    or JSON in archives written before)."""
    text = conversion.payload.decode("utf-8", "replace")
    try:
        fields = parse_metadata(metadata.headers.get("content-type"), metadata.payload)
    except ValueError:
        fields = {}
    row = ArticleRow(
        capture_id=0, url=page_url(conversion.url or ""), canonical_url=fields.get("canonical_url"),
        title=fields.get("title"), authors=fields.get("authors") or [], published=fields.get("published"),
        sitename=fields.get("sitename"), language=fields.get("language"),
        text_hash=fields.get("text_hash") or "", text_length=len(text), extractor=fields.get("extractor") or "",
        conversion_file=conversion_file, conversion_offset=conversion.offset,
        conversion_length=conversion.length, metadata_file=metadata_file,
        metadata_offset=metadata.offset, metadata_length=metadata.length,
        modified=fields.get("modified"), description=fields.get("description"), section=fields.get("section"),
        tags=fields.get("tags") or None, image=fields.get("image"), amp_url=fields.get("amp_url"),
        page_class=fields.get("page_class"), page_signals=fields.get("page_signals") or None,
    )
    return ArticleEntry(conversion.headers.get("warc-refers-to") or "", row, text)
