"""Content-Encoding undone within a limit: a few hundred KB of gzip can inflate to gigabytes.

    decoded = decode_content(body, "gzip", limit=32 * 1024 * 1024)
    decoded.body, decoded.cut, decoded.problem

Codings are undone in the reverse of the order applied (``gzip, br`` is brotli first). No
step ever holds more than ``limit + 1`` decoded bytes: a body that would inflate further is
cut at ``limit`` (``cut``). A stream that ends early (a truncated capture) gives what could be
decoded; one that cannot be decoded at all (corrupt data, a coding not supported, or a tool that
stored the decoded body but kept the header) is left as it was, with ``problem`` saying why.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

try:
    import brotli
except ImportError:  # pragma: no cover - brotli comes with Scrapy's usual installs
    brotli = None

__all__ = ["MAX_DECODED", "Decoded", "decode_content", "inflate"]

MAX_DECODED = 32 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_ERRORS: tuple[type[Exception], ...] = (zlib.error,) + ((brotli.error,) if brotli else ())


@dataclass(frozen=True)
class Decoded:
    body: bytes
    cut: bool = False  # the decoded body went on past the limit and was cut there
    problem: str | None = None  # why a coding was left undone

    @property
    def note(self) -> str | None:
        """One line for a user: what was cut or left undone, or None."""
        return self.problem or (f"decoded body cut at {len(self.body)} bytes" if self.cut else None)


def inflate(data: bytes, wbits: int, limit: int) -> tuple[bytes, bool]:
    """(at most ``limit`` inflated bytes, whether there was more). Concatenated gzip members
    are one body, as in ``gzip.decompress``; a truncated stream gives what it holds."""
    out = bytearray()
    while True:
        decompressor = zlib.decompressobj(wbits)
        out += decompressor.decompress(data, limit + 1 - len(out))
        if len(out) > limit:
            return bytes(out[:limit]), True
        if not decompressor.eof:
            try:
                out += decompressor.flush(limit + 1 - len(out))
            except zlib.error:
                pass
            return (bytes(out[:limit]), True) if len(out) > limit else (bytes(out), False)
        data = decompressor.unused_data
        if not (wbits & 16 and data.startswith(_GZIP_MAGIC)):
            return bytes(out), False


def _unbrotli(data: bytes, limit: int) -> tuple[bytes, bool]:
    decompressor = brotli.Decompressor()
    out = bytearray(decompressor.process(data, output_buffer_limit=limit + 1))
    while len(out) <= limit and not decompressor.is_finished():
        more = decompressor.process(b"", output_buffer_limit=limit + 1 - len(out))
        if not more:
            break
        out += more
    return (bytes(out[:limit]), True) if len(out) > limit else (bytes(out), False)


def _decode_one(body: bytes, coding: str, limit: int) -> tuple[bytes, bool]:
    if coding in ("gzip", "x-gzip"):
        return inflate(body, zlib.MAX_WBITS | 16, limit)
    if coding == "deflate":
        try:
            return inflate(body, zlib.MAX_WBITS, limit)
        except zlib.error:  # raw deflate, as some servers send it
            return inflate(body, -zlib.MAX_WBITS, limit)
    if coding == "br" and brotli is not None:
        return _unbrotli(body, limit)
    raise LookupError(f"Content-Encoding {coding} left as archived")


def decode_content(body: bytes, content_encoding: str | None, limit: int = MAX_DECODED) -> Decoded:
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    cut = False
    for coding in reversed(codings):
        if coding == "identity":
            continue
        try:
            body, step_cut = _decode_one(body, coding, limit)
        except LookupError as exc:
            return Decoded(body, cut, str(exc))
        except _ERRORS as exc:
            return Decoded(body, cut, f"Content-Encoding {coding} could not be decoded: {exc}")
        cut = cut or step_cut
    if len(body) > limit:  # not encoded at all, but larger than asked for
        return Decoded(body[:limit], True)
    return Decoded(body, cut)
