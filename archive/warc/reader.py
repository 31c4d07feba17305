"""Read WARC records back: one by offset, all of a file, and the sound prefix of a torn file."""

from __future__ import annotations

import logging
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator

from .locations import open_location
from .writer import OPEN_SUFFIX

SYNTHETIC_ID = "<urn:wirecopy:import:"  # the ID given to an imported record that has none

logger = logging.getLogger(__name__)


@dataclass
class StoredRecord:
    """A record read back with its location, headers and fully read content."""

    filename: str
    offset: int
    length: int
    rec_type: str
    headers: dict[str, str]
    http_status: int | None
    http_headers: list[tuple[str, str]]
    http_protocol: str | None
    payload: bytes  # as stored: still Content-Encoded when the server encoded it
    payload_cut: bool = False  # the payload went on past the ``max_payload`` it was read with

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name, default)

    def is_record(self, record_id: str) -> bool:
        """Whether this is the record a catalog row names ``record_id``: a wrong offset can land
        on another record, or on bytes that happen to parse as one. A record imported without
        an ID is catalogued under a synthetic one."""
        found = self.header("WARC-Record-ID")
        return found == record_id if found is not None else record_id.startswith(SYNTHETIC_ID)


def _stored(record, filename: str, offset: int, length: int, payload: bytes) -> StoredRecord:
    http = record.http_headers
    status = None
    if http is not None and record.rec_type in ("response", "revisit"):
        code = http.get_statuscode()
        status = int(code) if code and code.isdigit() else None
    return StoredRecord(
        filename=filename,
        offset=offset,
        length=length,
        rec_type=record.rec_type,
        headers=dict(record.rec_headers.headers),
        http_status=status,
        http_headers=list(http.headers) if http is not None else [],
        http_protocol=http.protocol if http is not None else None,
        payload=payload,
    )


def read_record(path: str | os.PathLike, offset: int, length: int | None = None,
                max_payload: int | None = None) -> StoredRecord:
    """Read the one record that starts at ``offset`` (a gzip member start or a record start).

    ``path`` may also be the location of an imported record (``file.wacz#archive/x.warc.gz``,
    see ``locations``); ARC records are read as warcio converts them to WARC. With
    ``max_payload`` at most that many payload bytes are kept (``payload_cut`` says if more).
    """
    with open_location(path) as f:
        f.seek(offset)
        it = ArchiveIterator(f, check_digests=True, arc2warc=True)
        for record in it:
            payload = record.raw_stream.read() if max_payload is None else record.raw_stream.read(max_payload)
            stored = _stored(record, Path(path).name, offset, length or 0, payload)
            stored.payload_cut = max_payload is not None and bool(record.raw_stream.read(1))
            if not stored.length:
                it.read_to_end(record)
                stored.length = it.get_record_length()
            return stored
    raise ValueError(f"no WARC record at {path}:{offset}")


def iter_records(path: str | os.PathLike, *, types: tuple[str, ...] | None = None,
                 max_payload: int | None = None) -> Iterator[StoredRecord]:
    """Every record of a file (or location) with its offset and length (gzip or plain), and
    at most ``max_payload`` bytes of each payload (0: headers only)."""
    name = Path(path).name
    if name.endswith(OPEN_SUFFIX):
        name = name[: -len(OPEN_SUFFIX)]
    with open_location(path) as f:
        it = ArchiveIterator(f, check_digests=True)
        for record in it:
            if types and record.rec_type not in types:
                continue
            # warcio's get_record_offset() reads to the record's end: take the payload first
            payload = record.raw_stream.read() if max_payload is None else record.raw_stream.read(max_payload)
            cut = max_payload is not None and bool(record.raw_stream.read(1))
            it.read_to_end(record)
            stored = _stored(record, name, it.get_record_offset(), it.get_record_length(), payload)
            stored.payload_cut = cut
            yield stored


def sound_gzip_prefix(path: str | os.PathLike, chunk_size: int = 1 << 20) -> tuple[int, int]:
    """(end offset of the last complete gzip member, members) of a possibly torn file."""
    good_end = members = 0
    position = 0
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    with open(path, "rb") as f:
        pending = b""
        while True:
            data = pending or f.read(chunk_size)
            pending = b""
            if not data:
                break
            try:
                decompressor.decompress(data)
            except zlib.error:
                break
            if decompressor.eof:
                unused = decompressor.unused_data
                member_end = position + len(data) - len(unused)
                members += 1
                good_end = member_end
                decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
                position = member_end
                pending = unused
                continue
            position += len(data)
    return good_end, members


def recover_open_file(path: str | os.PathLike) -> tuple[Path, int]:
    """Seal a ``.warc.gz.open`` file left by a crash: drop the torn tail, rename it closed.

    Returns the sealed path and the number of bytes dropped. The file was never closed,
    so trimming the record that was being written when the process died loses nothing
    that had been completely written.
    """
    path = Path(path)
    if not path.name.endswith(OPEN_SUFFIX):
        raise ValueError(f"not an open WARC file: {path}")
    size = path.stat().st_size
    good_end, members = sound_gzip_prefix(path)
    dropped = size - good_end
    if dropped:
        with open(path, "r+b") as f:
            f.truncate(good_end)
            f.flush()
            os.fsync(f.fileno())
    final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
    os.rename(path, final)
    logger.warning(
        "Recovered unclosed WARC file %s: %d complete records kept, %d torn bytes dropped",
        final.name, members, dropped,
    )
    return final, dropped
