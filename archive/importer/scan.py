"""Read every record of a WARC (or ARC) location, surviving damage: records and problems out.

FastWARC does the bulk reading. When it cannot go on (a broken header, a Content-Length that
runs into the next record, garbage between records) the problem is reported with its offset
and reading resumes at the next record boundary found in the bytes that follow, so everything
readable is still read. ARC files and WARC files with LF line endings, which FastWARC does not
read, go through warcio. A file gzipped as a whole rather than per record is read through its
decompressed stream (the ``#decompressed`` location), where offsets are positions in the
uncompressed data; one gzipped per record has its framing checked (``framing``). Streams are read
forward: a DEFLATEd WACZ member or a whole-file gzip re-inflates from its start on a backward seek.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from contextlib import ExitStack
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator as WarcioIterator

from ..warc.locations import DECOMPRESSED, location_size, open_location, split_location
from .digests import Hasher, verify
from .framing import check_gzip_framing, cheap_seeks
from .items import Problem, RawRecord, gunzip_head, header

MAX_BLOCK = 32 * 1024 * 1024  # bytes of a block kept in memory; the rest is only hashed
_SEARCH_CHUNK = 1 << 20
_GZIP_PROBE = 4096  # bytes of a candidate gzip member inflated to see whether a record starts there
_LINE_OVERLAP = 64  # bytes kept between two reads, so a WARC/1.x line cut in two is still found
_WARC_LINE_REST = re.compile(rb"[01]\r?\r?\n")
_GZIP_MAGIC = b"\x1f\x8b\x08"
# what a damaged ZIP (a bit-flipped WACZ) or gzip container raises from ``zipfile`` and ``zlib``
# (NotImplementedError: "zip file version 23.5", an unknown compression method; RuntimeError:
# an "encrypted" member; UnicodeDecodeError: a member name)
CONTAINER_ERRORS = (OSError, EOFError, ValueError, zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error,
                    NotImplementedError, RuntimeError, struct.error)


def sniff_container(stream: BinaryIO) -> str:
    """``warc``, ``warc.gz`` (a gzip member per record), ``whole.gz``, ``warc-lf`` (LF line
    endings), ``arc`` or ``unknown``."""
    stream.seek(0)
    head = stream.read(1 << 16)
    stream.seek(0)
    gzipped = head.startswith(_GZIP_MAGIC)
    text = gunzip_head(head) if gzipped else head
    if text.startswith(b"filedesc://"):
        return "arc"
    if not text.startswith(b"WARC/"):
        return "unknown"
    if not text.split(b"\n", 1)[0].endswith(b"\r"):
        return "warc-lf"  # header lines end with LF only, which FastWARC cannot read
    if gzipped and not _member_per_record(stream):
        return "whole.gz"
    return "warc.gz" if gzipped else "warc"


def _member_per_record(stream: BinaryIO) -> bool:
    """Whether the first gzip member ends where the first record ends (not a whole-file gzip)."""
    stream.seek(0)
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    head = b""
    size = 0
    record_end = None
    try:
        while not inflater.eof:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            data = inflater.decompress(chunk)
            size += len(data)
            if len(head) < (1 << 16):
                head += data[: (1 << 16) - len(head)]
            if record_end is None:
                record_end = _first_record_end(head)
            if record_end is not None and size > record_end + 8:
                return False  # the member goes on past the first record
    except zlib.error:
        return True
    finally:
        stream.seek(0)
    return True


def _first_record_end(head: bytes) -> int | None:
    head_end = head.find(b"\r\n\r\n")
    if head_end < 0:
        return None
    match = re.search(rb"\r?\nContent-Length:\s*(\d+)", head[: head_end + 2], re.I)
    return head_end + 4 + int(match.group(1)) if match else None


def _warc_line(buffer: bytes, start: int) -> int | None:
    """Where a ``WARC/1.x`` line starting a line begins (``bytes.find``: a regex alternation
    is 50 times slower on a long run of zeros)."""
    at = buffer.find(b"WARC/1.", start)
    while at >= 0:
        if (at == 0 or buffer[at - 1:at] == b"\n") and _WARC_LINE_REST.match(buffer, at + 7):
            return at
        at = buffer.find(b"WARC/1.", at + 1)
    return None


def find_next_record(stream: BinaryIO, start: int, gzipped: bool) -> int | None:
    """Offset of the first record boundary at or after ``start``, or None.

    Reads forward only, keeping the bytes a boundary may straddle: a DEFLATEd WACZ member or
    a whole-file gzip is decompressed again from its start on every backward seek.
    """
    stream.seek(start)
    buffer, base = b"", start  # the stream offset of buffer[0]
    scan_from = 1 if start > 0 and not gzipped else 0
    while True:
        data = stream.read(_SEARCH_CHUNK)
        buffer += data
        if gzipped:
            # a candidate is checked once _GZIP_PROBE bytes of it are at hand (or the stream ended)
            checkable = len(buffer) if not data else max(0, len(buffer) - _GZIP_PROBE)
            at = buffer.find(_GZIP_MAGIC, scan_from)
            while 0 <= at < checkable:
                if gunzip_head(buffer[at:at + _GZIP_PROBE], 16).startswith(b"WARC/1."):
                    return base + at
                at = buffer.find(_GZIP_MAGIC, at + 1)
            drop, scan_from = checkable, 0
        else:
            found = _warc_line(buffer, scan_from)
            if found is not None:
                return base + found
            drop = max(0, len(buffer) - _LINE_OVERLAP)
            scan_from = 1 if drop or scan_from else 0
        if not data:
            return None
        buffer, base = buffer[drop:], base + drop


class _ByteCount:
    """A sink that only counts what FastWARC writes to it."""

    write = staticmethod(len)


_BYTE_COUNT = _ByteCount()


def _read_block(record, offset: int) -> RawRecord:
    header_map = record.headers  # a new wrapper on every access
    headers = header_map.astuples()
    version = header_map.status_line or ""
    # the header block's size as FastWARC writes it back
    header_size = header_map.write(_BYTE_COUNT)
    declared = record.content_length
    if declared <= MAX_BLOCK:
        # FastWARC checks the usual digest (SHA-1, base32) as it buffers the block; anything else
        # (no digest, another algorithm or encoding, a mismatch) is decided by ``verify``
        try:
            ok = record.verify_block_digest(consume=False) or None
        except OSError:  # the block cannot be read to its end: it is read below as far as it goes
            ok = None
        # FastWARC's reader stops at the declared length; a sized read allocates its size up front
        data = record.reader.read()
        if ok is None:
            ok = verify(header(headers, "WARC-Block-Digest"), data) if len(data) >= declared else None
        return RawRecord(offset, version, headers, data, len(data), declared, ok, header_size=header_size)
    hasher = Hasher.for_header(header(headers, "WARC-Block-Digest"))
    data = record.reader.read(MAX_BLOCK + 1)
    size = len(data)
    if hasher is not None:
        hasher.update(data)
    if size > MAX_BLOCK:
        data = data[:MAX_BLOCK]
        while chunk := record.reader.read(1 << 20):
            size += len(chunk)
            if hasher is not None:
                hasher.update(chunk)
    ok = hasher.matches() if hasher is not None and size >= declared else None
    return RawRecord(offset, version, headers, data, size, declared, ok, header_size=header_size)


def reread_with_warcio(location: str, raw: RawRecord) -> RawRecord:
    """warcio's reading of a record FastWARC read short (it accepts more header quirks)."""
    try:
        with open_location(location) as stream:
            stream.seek(raw.offset)
            for record in WarcioIterator(stream, no_record_parse=True, arc2warc=True):
                block = record.raw_stream.read(MAX_BLOCK)
                break
            else:
                return raw
    except Exception:  # warcio raises several types on damaged input; keep FastWARC's reading
        return raw
    if len(block) <= len(raw.block):
        return raw
    headers = list(record.rec_headers.headers)
    declared = int(record.rec_headers.get_header("Content-Length") or 0)
    hasher = Hasher.for_header(header(headers, "WARC-Block-Digest"))
    ok = None
    if hasher is not None and len(block) >= declared:
        hasher.update(block)
        ok = hasher.matches()
    return RawRecord(raw.offset, record.rec_headers.protocol, headers, block, len(block),
                     declared, ok, notes=raw.notes)


def _claimed_end(stream: BinaryIO, record: RawRecord) -> int:
    """Where an uncompressed record ends by its own Content-Length."""
    stream.seek(record.offset)
    head = stream.read(64 * 1024)
    match = re.search(rb"\r?\n\r?\r?\n", head)
    header_length = match.end() if match else 0
    return record.offset + header_length + record.declared_length + 4


def _stream_end(stream: BinaryIO, end: int | None) -> int:
    if end is not None:
        return end
    while stream.read(1 << 20):  # a decompressed stream cannot seek from its end
        pass
    return stream.tell()


def _member_end(stream: BinaryIO, offset: int, end: int) -> int:
    """Where the gzip member starting at ``offset`` ends (``end`` if it never does)."""
    stream.seek(offset)
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    consumed = offset
    while not inflater.eof:
        chunk = stream.read(1 << 16)
        if not chunk:
            return end
        try:
            inflater.decompress(chunk)
        except zlib.error:
            return consumed
        consumed += len(chunk)
    return consumed - len(inflater.unused_data)


def _close_damaged(stream: BinaryIO, location: str, pending: RawRecord, resume: int | None,
                   gzipped: bool, end: int | None, error: Exception) -> Iterator[RawRecord | Problem]:
    """Bound the last record read before FastWARC failed; report the bytes it could not read."""
    file_end = _stream_end(stream, end)
    if gzipped:
        damage_at = _member_end(stream, pending.offset, file_end)
    else:
        damage_at = min(_claimed_end(stream, pending), file_end)
    if resume is not None and resume < damage_at:
        pending.length = resume - pending.offset
        pending.notes.append(("error", f"record runs into the next record at offset {resume}"
                              f" (Content-Length {pending.declared_length})"))
    else:
        pending.length = damage_at - pending.offset
        if damage_at < (resume if resume is not None else file_end):
            yield Problem(location, damage_at, f"unreadable bytes after the record at offset {pending.offset}"
                          f" (its Content-Length {pending.declared_length} may be wrong; {error})", skipped=True)
    yield pending


@dataclass
class ByteRange:
    """The records that start in ``[start, stop)`` of a location (``stop`` None: to its end).
    Reading sets ``next_start``: where the first record at or past ``stop`` starts (None when
    the data ended first), which is where the reading of the next range must have begun."""

    start: int = 0
    stop: int | None = None
    next_start: int | None = None


def scan_fastwarc(stream: BinaryIO, location: str, gzipped: bool,
                  end: int | None, span: ByteRange | None = None) -> Iterator[RawRecord | Problem]:
    """Records from FastWARC; past damage, resume at the next record boundary."""
    position = span.start if span is not None else 0
    stop = span.stop if span is not None else None
    while True:
        stream.seek(position)
        pending: RawRecord | None = None
        error: Exception | None = None
        try:
            for record in FastIterator(stream, parse_http=False):
                start = record.stream_pos
                if pending is not None:
                    pending.length = start - pending.offset
                    yield pending
                if stop is not None and start >= stop:
                    span.next_start = start
                    return
                pending = _read_block(record, start)
                if not pending.complete:
                    pending = reread_with_warcio(location, pending)
        except Exception as exc:  # FastWARC raises OSError on a bad header, others on odd bytes
            error = exc
        if error is None:
            if pending is not None:
                pending.length = _stream_end(stream, end) - pending.offset
                yield pending
            return
        anchor = pending.offset if pending is not None else position
        resume = find_next_record(stream, anchor + 1, gzipped)
        if pending is None:
            yield Problem(location, position, f"no readable WARC record here ({error})", skipped=True)
        else:
            yield from _close_damaged(stream, location, pending, resume, gzipped, end, error)
        if resume is None:
            return
        if stop is not None and resume >= stop:
            span.next_start = resume
            return
        position = resume


def scan_warcio(stream: BinaryIO, location: str, arc: bool = True) -> Iterator[RawRecord | Problem]:
    """ARC, and WARC with LF line endings (what warcio reads and FastWARC does not): slower,
    ARC converted to WARC."""
    stream.seek(0)
    iterator = WarcioIterator(stream, arc2warc=True, no_record_parse=True)
    offset = 0
    try:
        for record in iterator:
            block = record.raw_stream.read(MAX_BLOCK)
            size = len(block)
            while chunk := record.raw_stream.read(1 << 20):  # the rest is only counted
                size += len(chunk)
            iterator.read_to_end(record)
            offset = iterator.get_record_offset()
            headers = list(record.rec_headers.headers)
            if arc:  # ARC records have no id: warcio invents a random one on every read
                headers = [(k, v) for k, v in headers if k.lower() != "warc-record-id"]
            # warcio has read the block to its end: its length is what the record holds
            raw = RawRecord(offset, record.rec_headers.protocol, headers, block, size, size)
            raw.length = iterator.get_record_length()
            yield raw
    except Exception as exc:  # warcio raises several types on damaged input
        yield Problem(location, offset, f"unreadable record ({exc.__class__.__name__}: "
                      f"{str(exc).strip().splitlines()[0] if str(exc).strip() else ''})", skipped=True)


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{exc.__class__.__name__}: {text[0]}" if text else exc.__class__.__name__


def sniff_location(location: str) -> tuple[str, str]:
    """(the location records are addressed by, its container: see ``sniff_container``). Raises
    one of ``CONTAINER_ERRORS`` when the location cannot be read."""
    with open_location(location) as stream:
        container = sniff_container(stream)
    if container == "whole.gz" and split_location(location).member is None:
        return f"{location}#{DECOMPRESSED}", "warc"
    return location, container


def scan(location: str) -> tuple[str, Iterator[RawRecord | Problem]]:
    """(the location records are addressed by, their iterator). A damaged container (a WACZ
    whose ZIP structure is broken, a gzip stream that cannot be inflated) is a problem at the
    offset reached, after every record read before it."""
    try:
        location, container = sniff_location(location)
    except CONTAINER_ERRORS as exc:
        return location, iter([Problem(location, 0, f"cannot read ({describe(exc)})", skipped=True)])
    return location, scan_range(location, container)


def splittable(location: str, container: str) -> bool:
    """Whether ranges of the location can be read apart (``scan_range`` with a ``ByteRange``):
    a WARC, gzipped per record or not, where a seek costs no re-inflation."""
    return container in ("warc", "warc.gz") and cheap_seeks(location)


def scan_range(location: str, container: str, span: ByteRange | None = None) -> Iterator[RawRecord | Problem]:
    """The records of a location whose container is known; of one range of it with ``span``
    (only where ``splittable``)."""
    reached = span.start if span is not None else 0
    try:
        with ExitStack() as stack:
            stream = stack.enter_context(open_location(location))
            if container == "arc":
                items = scan_warcio(stream, location)
            elif container == "warc-lf":
                yield Problem(location, 0, "WARC header lines end with LF, not CRLF: read with warcio",
                              severity="warning")
                items = scan_warcio(stream, location, arc=False)
            elif container == "unknown":
                items = iter([Problem(location, 0, "not a WARC or ARC file", skipped=True)])
            else:
                items = scan_fastwarc(stream, location, container == "warc.gz", location_size(location), span)
            if container == "warc.gz":
                # a second handle reads gzip trailers; only where seeking costs no re-inflation
                check = stack.enter_context(open_location(location)) if cheap_seeks(location) else None
                items = check_gzip_framing(items, location, check)
            for item in items:
                end = item.offset + item.length if isinstance(item, RawRecord) else item.offset
                if end > reached:
                    reached = end
                yield item
    except CONTAINER_ERRORS as exc:
        yield Problem(location, reached, f"damaged container, reading stopped ({describe(exc)})", skipped=True)
