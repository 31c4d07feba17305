"""What reading a WARC location yields: raw records and the problems found between them."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Sequence

__all__ = ["Problem", "RawRecord", "gunzip_head", "header"]


@dataclass
class RawRecord:
    offset: int
    version: str
    headers: Sequence[tuple[str, str]]
    block: bytes
    block_size: int
    declared_length: int
    block_digest_ok: bool | None = None
    length: int = 0
    # bytes of the header block (version line to blank line) as FastWARC writes it back: where a
    # member's size does not add up with it, the framing check inflates the member's headers
    header_size: int | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # (severity, reason)

    @property
    def complete(self) -> bool:
        return self.block_size >= self.declared_length


@dataclass(frozen=True)
class Problem:
    """Something wrong at ``offset`` of ``location``.

    ``skipped``: bytes there could not be imported. An error is damage (unreadable bytes,
    truncation, a digest mismatch, a response without HTTP headers); a warning is a quirk
    that was repaired or a record already known (the record itself was imported).
    """

    location: str
    offset: int
    reason: str
    skipped: bool = False
    severity: str = "error"

    def as_dict(self) -> dict:
        return {"file": self.location, "offset": self.offset, "reason": self.reason,
                "severity": self.severity, "skipped": self.skipped}


def gunzip_head(data: bytes, limit: int = 4096) -> bytes:
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data, limit)
    except zlib.error:
        return b""


def header(headers: list[tuple[str, str]], name: str) -> str | None:
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None
