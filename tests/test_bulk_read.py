"""The bulk reading path's shortcuts give what the plain code gave: digests compared as numbers,
HTTP heads split from their first LF, captures written many to a statement."""

from __future__ import annotations

import base64
import hashlib
import random
import re

import pytest

from archive.catalog import open_catalog
from archive.catalog.rows import CaptureRow
from archive.importer.digests import _is_base32_of, verify
from archive.importer.records import split_http

BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_base32_comparison_is_b32encode_equality():
    rng = random.Random(3)
    for n in range(20000):
        digest = bytes(rng.choice([0, 7, 255]) for _ in range(20)) if n % 4 == 0 else rng.randbytes(20)
        good = base64.b32encode(digest).decode()
        k = rng.randrange(32)
        text = rng.choice([good, good.lower(), good[:k] + rng.choice(BASE32 + "0189_+- =a!é") + good[k + 1:],
                           good[:31], good + "A", f"{good[:16]}_{good[17:]}"])
        assert _is_base32_of(text, digest) == (text == good), (text, good)
    for size in (16, 32, 64):  # MD5, SHA-256, SHA-512: padded, compared as text
        digest = rng.randbytes(size)
        assert _is_base32_of(base64.b32encode(digest).decode(), digest)


@pytest.mark.parametrize("form", ["base32", "lower", "hex", "base64"])
def test_digests_in_every_form_still_verify(form):
    data = b"payload"
    raw = hashlib.sha1(data).digest()
    value = {"base32": base64.b32encode(raw).decode(), "lower": base64.b32encode(raw).decode().lower(),
             "hex": raw.hex(), "base64": base64.b64encode(raw).decode()}[form]
    assert verify(f"sha1:{value}", data) is True
    assert verify(f"sha1:{value}", data + b"!") is False


def test_http_head_split_is_the_blank_line_pattern():
    blank_line = re.compile(rb"\r?\r?\n\r?\r?\n")
    rng = random.Random(5)
    for _ in range(50000):
        block = b"HTTP/" + bytes(rng.choice(b"a\r\n") for _ in range(rng.randrange(14)))
        match = blank_line.search(block)
        expected = (block, b"") if match is None else (block[:match.start()], block[match.end():])
        assert split_http(block) == expected, block


def _row(n: int, record_id: str, file: str = "a.warc.gz") -> CaptureRow:
    return CaptureRow(url=f"http://example.com/{n}", surt=f"com,example)/{n}", timestamp="20250101000000",
                      warc_date="2025-01-01T00:00:00Z", record_id=record_id, status=200, mime="text/html",
                      kind="page", payload_digest=None, warc_file=file, warc_offset=n, warc_length=10)


@pytest.mark.parametrize("replace", [False, True])
def test_captures_written_together_get_the_ids_written_one_by_one_would(tmp_path, replace):
    catalogs = [open_catalog(tmp_path / name) for name in ("one", "many")]
    first = [_row(n, f"<urn:{n}>") for n in range(5)]
    # new records, one already cataloged, one twice in the batch, from another file
    second = [_row(5, "<urn:5>", "b"), _row(6, "<urn:2>", "b"), _row(7, "<urn:7>", "b"),
              _row(8, "<urn:7>", "b"), _row(9, "<urn:9>", "b")] + [_row(10 + n, f"<urn:x{n}>", "b")
                                                                   for n in range(1200)]
    found = []
    for catalog, bulk in zip(catalogs, (False, True)):
        ids = []
        for rows in (first, second):
            if bulk:
                ids += catalog.write(lambda c, rows=rows: c.add_captures(rows, replace))
            else:
                ids += [catalog.write(lambda c, row=row: c.add_capture(row, replace)) for row in rows]
        found.append((ids, [tuple(row) for row in catalog.db.execute("SELECT * FROM captures ORDER BY id")]))
        catalog.close()
    assert found[0] == found[1]
    ids = found[0][0]
    assert (ids[6] is None) != replace and (ids[8] is None) != replace and None not in ids[:6]
