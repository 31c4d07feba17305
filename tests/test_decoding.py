"""Bounded Content-Encoding decoding, and the forward-only search for the next WARC record."""

from __future__ import annotations

import gzip
import io
import random
import zlib

import brotli
import pytest

from archive.decoding import decode_content
from archive.importer.scan import _SEARCH_CHUNK as CHUNK
from archive.importer.scan import find_next_record

MB = 1024 * 1024


@pytest.mark.parametrize("coding, encode", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("br", brotli.compress),
])
def test_a_bomb_is_cut_at_the_limit(coding, encode):
    decoded = decode_content(encode(b"<p>" + b" " * (64 * MB)), coding, limit=MB)
    assert decoded.cut and len(decoded.body) == MB and decoded.body.startswith(b"<p>")
    assert decoded.note == f"decoded body cut at {MB} bytes" and decoded.problem is None


def test_bodies_within_the_limit_decode_whole():
    body = b"<html>" + bytes(range(256)) * 100
    assert decode_content(gzip.compress(body[:100]) + gzip.compress(body[100:]), "gzip").body == body
    assert decode_content(zlib.compress(body)[2:-4], "deflate").body == body  # raw deflate
    assert decode_content(gzip.compress(brotli.compress(body)), "br, gzip").body == body
    assert decode_content(body, "identity").body == body
    decoded = decode_content(gzip.compress(body), "gzip", limit=len(body))
    assert decoded.body == body and not decoded.cut


def test_truncated_streams_give_what_they_hold_and_bad_ones_are_left_as_archived():
    body = random.Random(7).randbytes(100_000)
    truncated = decode_content(gzip.compress(body)[:2000], "gzip")
    assert 0 < len(truncated.body) < len(body) and body.startswith(truncated.body) and truncated.problem is None
    stored_decoded = decode_content(body, "gzip")  # a tool that kept the header but stored it decoded
    assert stored_decoded.body == body and "could not be decoded" in stored_decoded.problem
    unknown = decode_content(b"abc", "compress")
    assert unknown.body == b"abc" and unknown.problem == "Content-Encoding compress left as archived"


class ForwardOnly(io.BytesIO):
    """A stream that fails on any backward seek, as a DEFLATEd ZIP member costs one."""

    def seek(self, offset, whence=io.SEEK_SET):
        if whence == io.SEEK_SET and offset < self.tell():
            raise AssertionError(f"backward seek to {offset} from {self.tell()}")
        return super().seek(offset, whence)


RECORD = b"WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 0\r\n\r\n\r\n\r\n"


@pytest.mark.parametrize("at", [5, 1000, CHUNK - 4, CHUNK - 1,
                                CHUNK, 3 * CHUNK + 7])
def test_the_next_plain_record_is_found_reading_forward_only(at):
    data = b"x" * (at - 1) + b"\n" + RECORD + b"y" * 100
    assert find_next_record(ForwardOnly(data), 1, gzipped=False) == at
    assert find_next_record(ForwardOnly(b"\0" * (2 * CHUNK)), 1, gzipped=False) is None
    # a WARC/1.1 that does not start a line is not a record
    assert find_next_record(ForwardOnly(b"xxWARC/1.1\r\n" + b"z" * 10), 1, gzipped=False) is None


@pytest.mark.parametrize("at", [100, CHUNK - 100, CHUNK - 1,
                                2 * CHUNK + 3])
def test_the_next_gzip_record_is_found_reading_forward_only(at):
    decoy = gzip.compress(b"not a record")  # a gzip member that is not a WARC record comes first
    data = b"\0" * (at - len(decoy) - 1) + decoy + b"\0" + gzip.compress(RECORD) + b"\0" * 50
    assert find_next_record(ForwardOnly(data), 1, gzipped=True) == at
