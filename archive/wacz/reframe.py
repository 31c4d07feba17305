"""A whole-file gzip WARC exported for replay: its records, byte for byte, one gzip member each.

A WARC gzipped as one member can only be read from its start, so the importer addresses its
records by offsets into the decompressed stream; no replay tool (pywb, ReplayWeb.page) can seek
there. The export writes a new WARC file into the WACZ instead: the same records in the same
order, each record's bytes unchanged (headers, block, trailing CRLFs, so every digest still
holds) and compressed as a gzip member of its own, the framing WARC recommends. Record
boundaries are those the importer found (``importer.scan``, which resumes past damage);
unreadable bytes between records are left out and counted. The original is only read.
"""

from __future__ import annotations

import json
import logging
import zlib
from array import array
from bisect import bisect_left
from pathlib import Path
from typing import IO, Iterator

from ..importer.scan import Problem, scan
from ..warc.locations import open_location
from .index import read_lines, sort_lines
from .sources import Reframed, WarcSource

logger = logging.getLogger(__name__)

COPY_CHUNK = 1 << 20


class OffsetMap:
    """Record starts in the decompressed stream -> (offset, length) of their gzip member."""

    def __init__(self) -> None:
        self.starts, self.offsets, self.lengths = array("q"), array("q"), array("q")

    def add(self, start: int, offset: int, length: int) -> None:
        self.starts.append(start)
        self.offsets.append(offset)
        self.lengths.append(length)

    def get(self, start: int) -> tuple[int, int] | None:
        i = bisect_left(self.starts, start)
        if i == len(self.starts) or self.starts[i] != start:
            return None
        return self.offsets[i], self.lengths[i]


def _copy_member(stream: IO[bytes], start: int, length: int, out: IO[bytes]) -> int:
    """Gzip ``length`` bytes of ``stream`` from ``start`` as one member; returns the bytes copied."""
    stream.seek(start)
    compressor = zlib.compressobj(6, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    copied = 0
    while copied < length:
        chunk = stream.read(min(COPY_CHUNK, length - copied))
        if not chunk:
            break
        out.write(compressor.compress(chunk))
        copied += len(chunk)
    out.write(compressor.flush())
    return copied


def write_per_record_gzip(location: str, out: IO[bytes], result: Reframed) -> OffsetMap:
    offsets = OffsetMap()
    _, items = scan(location)
    position = 0  # end of the last record copied, in the decompressed stream
    with open_location(location) as stream:
        for item in items:
            if isinstance(item, Problem):  # its bytes are counted as the gap they leave
                continue
            result.bytes_left_out += max(0, item.offset - position)
            member_start = out.tell()
            copied = _copy_member(stream, item.offset, item.length, out)
            offsets.add(item.offset, member_start, out.tell() - member_start)
            result.records += 1
            position = item.offset + copied
        stream.seek(position)
        while data := stream.read(COPY_CHUNK):
            result.bytes_left_out += len(data)
    return offsets


def _remapped(index: Path, offsets: OffsetMap, result: Reframed) -> Iterator[str]:
    for line in read_lines(index):
        key, stamp, data = line.split(" ", 2)
        fields = json.loads(data)
        found = offsets.get(int(fields["offset"]))
        if found is None:
            result.lines_dropped += 1
            logger.warning("%s: no record starts at offset %s of the decompressed stream; %s %s is"
                           " left out of the index", result.location, fields["offset"], key, stamp)
            continue
        as_given = type(fields["offset"])  # pywb writes them as strings, some tools as numbers
        fields["offset"], fields["length"] = as_given(found[0]), as_given(found[1])
        yield f"{key} {stamp} {json.dumps(fields)}"


def reframe(source: WarcSource, work: Path) -> tuple[WarcSource, Reframed]:
    """Write ``source`` (a whole-file gzip) per record into ``work``; the source to export instead."""
    result = Reframed(source.location, source.name)
    copy = work / source.name
    with open(copy, "wb") as out:
        offsets = write_per_record_gzip(source.location, out, result)
    index = None
    if source.index is not None:
        index = work / f"{source.name}.cdxj"
        with open(index, "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in sort_lines(_remapped(source.index, offsets, result), work))
    if result.bytes_left_out or result.lines_dropped:
        logger.warning("%s: %d unreadable bytes between records left out, %d index lines dropped",
                       source.location, result.bytes_left_out, result.lines_dropped)
    return WarcSource(copy, source.name, index, location=source.location), result
