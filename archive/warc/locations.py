"""Where an imported record lives: a WARC file, a WARC inside a WACZ, or a whole-file gzip.

A *location* is the string the catalog and the CDXJ ``filename`` field hold for a WARC that
was imported rather than written by wirecopy. It always starts with the absolute path of the
original file, which is read in place and never copied or modified:

    /abs/crawl.warc.gz                               offsets into the file itself
    /abs/crawl.wacz#archive/data.warc.gz             offsets into that ZIP member
    /abs/whole.warc.gz#decompressed                  offsets into the gunzipped stream (a file
                                                     compressed as one gzip member, not per record)

WACZ members are normally STORED, so a member is a byte window of the ZIP file and a record
is reached by one seek. A DEFLATEd member is read through ``zipfile`` (seekable, but a seek
decompresses from the member's start), as is a whole-file gzip: correct, slower for late records.
A whole-file gzip cut short or corrupt ends where its readable data ends (``GunzipStream``).
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, Iterator

DECOMPRESSED = "decompressed"
WACZ_WARC_DIR = "archive/"
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


@dataclass(frozen=True)
class Location:
    path: str
    member: str | None = None

    @property
    def decompressed(self) -> bool:
        return self.member == DECOMPRESSED

    def __str__(self) -> str:
        return f"{self.path}#{self.member}" if self.member else self.path


def split_location(location: str | os.PathLike) -> Location:
    """Parse a location; a path containing ``#`` that exists as a file is a plain file."""
    text = os.fspath(location)
    if os.path.exists(text) or "#" not in text:
        return Location(text)
    path, member = text.rsplit("#", 1)
    return Location(path, member)


def location_of(path: str | os.PathLike, member: str | None = None) -> str:
    return str(Location(os.path.abspath(os.fspath(path)), member))


def wacz_warcs(path: str | os.PathLike) -> list[str]:
    """The WARC members of a WACZ (``archive/*.warc[.gz]``), in ZIP order."""
    with zipfile.ZipFile(path) as zf:
        return [i.filename for i in zf.infolist()
                if not i.is_dir() and i.filename.lower().endswith(WARC_SUFFIXES)
                and (i.filename.startswith(WACZ_WARC_DIR) or "/" not in i.filename)]


def stored_member_span(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """(start, size) of a STORED member's bytes in the ZIP file."""
    fp = zf.fp
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    name_length, extra_length = fields[-2], fields[-1]
    return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length, info.compress_size


class Window(io.RawIOBase):
    """A read-only, seekable view of ``size`` bytes of ``raw`` starting at ``start``."""

    def __init__(self, raw: BinaryIO, start: int, size: int):
        self.raw, self.start, self.size, self.pos = raw, start, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.size - self.pos)
        if n <= 0:
            return 0
        self.raw.seek(self.start + self.pos)
        data = self.raw.read(n)
        buffer[: len(data)] = data
        self.pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def tell(self) -> int:
        return self.pos


class GunzipStream(io.RawIOBase):
    """The decompressed stream of a whole-file gzip (every member, in order), seekable.

    Unlike ``gzip.GzipFile``, which raises and drops what it had decoded, a file cut short (an
    interrupted transfer) or with corrupt deflate data ends where its data stops being readable:
    one deflate stream has no resync points, so nothing after that point can be found again.
    """

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self._rewind()

    def _rewind(self) -> None:
        self.raw.seek(0)
        self.inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        self.pending = b""  # input not yet given to the inflater
        self.pos = 0
        self.ended = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.ended:
            data = self.inflater.unconsumed_tail or self.pending or self.raw.read(1 << 16)
            self.pending = b""
            try:
                out = self.inflater.decompress(data, len(buffer)) if data else b""
            except zlib.error:  # corrupt data; or trailing zero padding or junk after the last member
                out = b""
                data = b""
            if self.inflater.eof:  # a member ends; another may follow
                self.pending = self.inflater.unused_data
                self.inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
            elif not data:
                self.ended = True
            if out:
                buffer[: len(out)] = out
                self.pos += len(out)
                return len(out)
        return 0

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self.pos
        elif whence != io.SEEK_SET:
            raise io.UnsupportedOperation("a gzip stream cannot seek from its end")
        if offset < self.pos:
            self._rewind()
        skip = bytearray(1 << 16)
        while self.pos < offset and self.readinto(memoryview(skip)[: min(len(skip), offset - self.pos)]):
            pass
        return self.pos

    def tell(self) -> int:
        return self.pos


@contextmanager
def open_location(location: str | os.PathLike) -> Iterator[BinaryIO]:
    """A seekable binary stream whose offsets are the location's record offsets."""
    loc = split_location(location)
    if loc.member is None:
        with open(loc.path, "rb") as f:
            yield f
    elif loc.decompressed:
        with open(loc.path, "rb") as f:
            yield io.BufferedReader(GunzipStream(f), buffer_size=1 << 16)
    else:
        with open(loc.path, "rb") as raw, zipfile.ZipFile(raw) as zf:
            info = zf.getinfo(loc.member)
            if info.compress_type == zipfile.ZIP_STORED:
                start, size = stored_member_span(zf, info)
                yield io.BufferedReader(Window(raw, start, size), buffer_size=1 << 16)
            else:
                with zf.open(info) as member:
                    yield member


def location_size(location: str | os.PathLike) -> int | None:
    """Bytes addressable at the location (None for a decompressed stream: unknown up front)."""
    loc = split_location(location)
    if loc.member is None:
        return os.path.getsize(loc.path)
    if loc.decompressed:
        return None
    with zipfile.ZipFile(loc.path) as zf:
        return zf.getinfo(loc.member).file_size
