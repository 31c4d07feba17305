"""Gzip framing of a WARC gzipped per record: one record per member, or it cannot be read by
its offset. Checked from each member's ISIZE trailer (a 4-byte read) and the head of the member
(a small inflate); a member is inflated whole only when the sizes disagree."""

from __future__ import annotations

import zipfile
import zlib
from typing import BinaryIO, Iterator

from ..warc.locations import split_location
from .items import Problem, RawRecord, gunzip_head, header

__all__ = ["check_gzip_framing", "cheap_seeks"]

_FRAMING_HEAD = 8192  # compressed bytes of a member read to find where its WARC headers end
_USUAL_HEAD = 2048  # inflated bytes that hold the WARC headers of most records
_HEAD_STEP = 512  # inflated a step at a time: inflating costs by the byte out


def cheap_seeks(location: str) -> bool:
    """A plain file or a STORED ZIP member (a DEFLATEd one re-inflates on every backward seek)."""
    loc = split_location(location)
    if loc.member is None:
        return True
    if loc.decompressed:
        return False
    with zipfile.ZipFile(loc.path) as zf:
        return zf.getinfo(loc.member).compress_type == zipfile.ZIP_STORED


def _rec_type(raw: RawRecord) -> str:
    words = (header(raw.headers, "WARC-Type") or "").split()
    return words[0][:40] if words else "untyped"


def check_gzip_framing(items: Iterator[RawRecord | Problem], location: str,
                       check: BinaryIO | None) -> Iterator[RawRecord | Problem]:
    """Records of a file gzipped per record, each checked to be one whole gzip member.

    Two records in one member have the same offset: the second cannot be addressed (a reader
    at that offset finds the first) and is not imported. With ``check`` (a second handle on the
    location), each member's ISIZE trailer is compared with the record's size: a record split
    across members, cut inside its member, or with a wrong Content-Length is reported.
    """
    held: RawRecord | None = None
    shared = False
    trailers = _Trailers(check) if check is not None else None
    for item in items:
        if isinstance(item, Problem):
            yield item
            continue
        if held is not None and item.offset == held.offset:
            held.length = max(held.length, item.length)
            shared = True
            yield Problem(location, item.offset, f"a {_rec_type(item)} record shares the gzip member at offset"
                          f" {item.offset} with the {_rec_type(held)} record before it: no offset addresses it"
                          " on its own; not imported", skipped=True)
            continue
        if held is not None:
            yield _framed(held, location, None if shared else trailers)
        held, shared = item, False
    if held is not None:
        yield _framed(held, location, None if shared else trailers)


def _framed(raw: RawRecord, location: str, trailers: _Trailers | None) -> RawRecord | Problem:
    if trailers is None or trailers.adds_up(raw):  # the usual case, a sound member: from the sizes alone
        return raw
    problem = _framing_problem(trailers, raw)
    if problem is None:
        return raw
    if problem[1]:
        raw.notes.append((problem[2] if len(problem) > 2 else "error", problem[0]))
        return raw
    return Problem(location, raw.offset, f"{problem[0]}; not imported", skipped=True)


class _Trailers:
    """The ISIZE trailers of the members of a file read forward, from reads of a megabyte (a
    read of four bytes per record costs more than checking them)."""

    CHUNK = 1 << 20

    def __init__(self, check: BinaryIO):
        self.check = check
        self.start, self.data = 0, b""

    def size(self, end: int) -> int:
        """The ISIZE of the member ending at ``end``."""
        at = end - 4 - self.start
        if at < 0 or at + 4 > len(self.data):
            self.check.seek(end - 4)
            self.start, self.data, at = end - 4, self.check.read(self.CHUNK), 0
        return int.from_bytes(self.data[at:at + 4], "little")

    def adds_up(self, raw: RawRecord) -> bool:
        """Whether the member holds the record and nothing else, from the sizes alone (True for
        a record of no length: nothing to check)."""
        if raw.length <= 0:
            return True
        if raw.header_size is None:
            return False
        return self.size(raw.offset + raw.length) == (raw.header_size + raw.declared_length + 4) & 0xFFFFFFFF


def _framing_problem(trailers: _Trailers, raw: RawRecord) -> tuple | None:
    """(what is wrong, whether the record can still be read at its offset[, severity]), or None."""
    end = raw.offset + raw.length
    isize = trailers.size(end)
    check = trailers.check
    check.seek(raw.offset)
    compressed = check.read(min(raw.length, _FRAMING_HEAD))
    # the usual case, a sound member, from the headers alone (the block is not inflated)
    header_end = _inflated_headers(compressed).find(b"\r\n\r\n")
    if header_end >= 0 and isize == (header_end + 4 + raw.declared_length + 4) & 0xFFFFFFFF:
        return None
    head = gunzip_head(compressed, _FRAMING_HEAD * 8)
    header_end = head.find(b"\r\n\r\n")
    if header_end < 0 and (len(head) >= _FRAMING_HEAD * 8 or b"\r\n" not in head):
        return None  # headers too long to look at cheaply, or not CRLF-terminated (reported elsewhere)
    expected = (header_end + 4 + raw.declared_length + 4) & 0xFFFFFFFF
    if header_end >= 0 and isize == expected:
        return None
    member_end, whole = _member_extent(check, raw.offset, end)
    if not whole:
        return f"{_rec_type(raw)} record's gzip member is cut short: the data ends at offset {member_end}", True
    if member_end < end:
        return (f"{_rec_type(raw)} record split across gzip members: the member at offset {raw.offset} ends at"
                f" {member_end}, before the record does", False)
    if header_end < 0:
        return f"record cut inside its WARC headers: its gzip member holds {len(head)} bytes", False
    if isize in ((expected - 4) & 0xFFFFFFFF, (expected - 2) & 0xFFFFFFFF):
        return f"{_rec_type(raw)} record does not end with CRLF CRLF after its block", True, "warning"
    block = (isize - header_end - 8) & 0xFFFFFFFF
    declared = (header(raw.headers, "Content-Length") or "(none)").strip()[:40]
    return (f"{_rec_type(raw)} record's Content-Length {declared} does not match its gzip member,"
            f" which holds {block} bytes of block (a wrong Content-Length or a record cut short)", True)


def _inflated_headers(member: bytes) -> bytes:
    """The start of a gzip member, inflated until it holds a blank line or ``_USUAL_HEAD`` bytes
    (b"" if it cannot be inflated)."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        head = inflater.decompress(member, _HEAD_STEP)
        while b"\r\n\r\n" not in head and len(head) < _USUAL_HEAD and inflater.unconsumed_tail:
            head += inflater.decompress(inflater.unconsumed_tail, _HEAD_STEP)
    except zlib.error:
        return b""
    return head


def _member_extent(stream: BinaryIO, offset: int, end: int) -> tuple[int, bool]:
    """(where the gzip member at ``offset`` ends, or where its data stops; whether it is whole)."""
    stream.seek(offset)
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    consumed = offset
    while not inflater.eof:
        chunk = stream.read(min(1 << 16, max(0, end - consumed)))
        if not chunk:
            return consumed, False
        try:
            inflater.decompress(chunk, 1 << 16)
            while inflater.unconsumed_tail and not inflater.eof:
                inflater.decompress(inflater.unconsumed_tail, 1 << 16)
        except zlib.error:
            return consumed, False
        consumed += len(chunk)
    return consumed - len(inflater.unused_data), True
