"""Append WARC records to files: one gzip member per record, rotation, crash-safe naming.

``WarcWriter`` takes an open binary file and appends records to it; ``RotatingWarcWriter``
owns the files of a directory: it names them ``{prefix}-{YYYYmmddHHMMSSfff}-{serial:05d}-{host}.warc.gz``,
writes them as ``*.warc.gz.open`` until they are closed, starts each with a ``warcinfo``
record, and rotates at ``max_size``. A closed file is never opened for writing again.
"""

from __future__ import annotations

import logging
import os
import socket
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path
from typing import Callable, Sequence

from warcio.warcwriter import WARCWriter

from .records import WARC_VERSION, RecordFactory

logger = logging.getLogger(__name__)

OPEN_SUFFIX = ".open"


@dataclass(frozen=True)
class RecordLocation:
    filename: str
    offset: int
    length: int


def serialize(record) -> bytes:
    """The uncompressed bytes of one record (headers, block, trailing CRLFCRLF)."""
    buf = BytesIO()
    WARCWriter(buf, gzip=False, warc_version=WARC_VERSION).write_record(record)
    return buf.getvalue()


def gzip_member(data: bytes, level: int = 6) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return compressor.compress(data) + compressor.flush()


class WarcWriter:
    """Appends records to ``fileobj``; each record is its own gzip member, written in one call."""

    def __init__(self, fileobj, compress_level: int = 6):
        self.fileobj = fileobj
        self.compress_level = compress_level
        self.offset = fileobj.tell()

    def write(self, record) -> tuple[int, int]:
        return self.write_group([record])[0]

    def write_group(self, records: Sequence) -> list[tuple[int, int]]:
        """Records that belong together in one write: a crash leaves all of them or none but
        for a torn tail, not a conversion without its metadata."""
        members = [gzip_member(serialize(r), self.compress_level) for r in records]
        places = []
        for member in members:
            places.append((self.offset, len(member)))
            self.offset += len(member)
        self.fileobj.write(b"".join(members))
        self.fileobj.flush()
        return places


def warc_filename(prefix: str, moment: datetime, serial: int, host: str) -> str:
    stamp = moment.astimezone(timezone.utc).strftime("%Y%m%d%H%M%S%f")[:17]
    return f"{prefix}-{stamp}-{serial:05d}-{host}.warc.gz"


class RotatingWarcWriter:
    """Writes records into a directory of WARC files, rotating at ``max_size`` bytes."""

    def __init__(
        self,
        directory: str | os.PathLike,
        *,
        prefix: str = "wirecopy",
        max_size: int = 1_000_000_000,
        host: str | None = None,
        info: dict[str, str] | None = None,
        factory: RecordFactory | None = None,
        compress_level: int = 6,
        on_close: Callable[[Path], None] | None = None,
        fsync: bool = True,
    ):
        if max_size <= 0:
            raise ValueError(f"max_size must be positive, got {max_size}")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self.host = host or socket.gethostname().split(".")[0] or "localhost"
        self.info = dict(info or {})
        self.factory = factory or RecordFactory()
        self.compress_level = compress_level
        self.on_close = on_close
        self.fsync = fsync
        self.serial = 0
        self.bytes_written = 0
        self.files_written: list[str] = []
        self._file = None
        self._writer: WarcWriter | None = None
        self._name: str | None = None

    @property
    def current_name(self) -> str | None:
        return self._name

    def _open(self) -> None:
        while True:
            name = warc_filename(self.prefix, self.factory.now(), self.serial, self.host)
            self.serial += 1
            path = self.directory / name
            if not path.exists() and not path.with_name(name + OPEN_SUFFIX).exists():
                break
        self._file = open(self.directory / (name + OPEN_SUFFIX), "xb")
        self._writer = WarcWriter(self._file, self.compress_level)
        self._name = name
        info = {"software": "wirecopy", "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"}
        info.update(self.info)
        self.bytes_written += self._writer.write(self.factory.warcinfo(name, info))[1]
        logger.info("Opened WARC file %s", name)

    def write(self, record) -> RecordLocation:
        return self.write_group([record])[0]

    def write_group(self, records: Sequence) -> list[RecordLocation]:
        """Write records that belong together (request + response) into the same file."""
        if self._writer is not None and self._writer.offset >= self.max_size:
            self.close()
        if self._writer is None:
            self._open()
        assert self._writer is not None and self._name is not None
        locations = [RecordLocation(self._name, *place) for place in self._writer.write_group(records)]
        self.bytes_written += sum(loc.length for loc in locations)
        return locations

    def close(self) -> None:
        if self._file is None:
            return
        assert self._name is not None
        self._file.flush()
        if self.fsync:
            os.fsync(self._file.fileno())
        self._file.close()
        final = self.directory / self._name
        os.rename(self.directory / (self._name + OPEN_SUFFIX), final)
        self.files_written.append(self._name)
        logger.info("Closed WARC file %s", self._name)
        self._file = self._writer = self._name = None
        if self.on_close is not None:
            self.on_close(final)
