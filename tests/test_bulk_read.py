"""The bulk reading path's shortcuts give what the plain code gave: digests compared as numbers,
HTTP heads split from their first LF, captures written many to a statement."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import random
import re

import pytest

from archive.catalog import open_catalog
from archive.catalog.rows import CaptureRow
from archive.importer.digests import _is_base32_of, verify
from archive.importer.records import repair_uri, split_http
from archive.importer.scan import RawRecord, scan
from archive.index.cdxj import cdxj_line, timestamp14
from archive.index.surtkey import surt_key

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


def test_an_empty_payload_verifies_against_the_digest_of_no_bytes_only():
    empty = base64.b32encode(hashlib.sha1().digest()).decode()
    assert verify(f"sha1:{empty}", b"") is True and verify(f"sha1:{empty.lower()}", b"") is True
    assert verify(f"sha1:{empty}", b"x") is False
    assert verify(f"sha1:{base64.b32encode(hashlib.sha1(b'x').digest()).decode()}", b"") is False


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


def test_validators_written_together_are_the_ones_written_one_by_one(tmp_path):
    from archive.catalog.recorder import add_validators  # after archive.importer: the two import each other

    catalogs = [open_catalog(tmp_path / name) for name in ("one", "many")]
    rows = [(1, '"a"', None), (2, None, None), (3, None, "Tue, 04 Mar 2025 10:20:30 GMT"), (1, '"b"', "x")]
    found = []
    for catalog, bulk in zip(catalogs, (False, True)):
        if bulk:
            catalog.write(lambda c: add_validators(c, rows))
        else:
            for row in rows:
                catalog.write(lambda c, row=row: c.add_validators(*row))
        found.append([tuple(r) for r in catalog.db.execute("SELECT * FROM validators ORDER BY capture_id")])
        catalog.close()
    assert found[0] == found[1] == [(1, '"b"', "x"), (3, None, "Tue, 04 Mar 2025 10:20:30 GMT")]


def _old_cdxj_line(url, warc_date, *, mime, status, digest, length, offset, filename, extra=None):
    fields = {"url": url, "mime": mime}
    if status is not None:
        fields["status"] = str(status)
    fields.update(digest=digest or "-", length=str(length), offset=str(offset), filename=filename)
    fields.update(extra or {})
    return f"{surt_key(url)} {_old_timestamp14(warc_date)} {json.dumps(fields)}"


def _old_timestamp14(warc_date: str) -> str:
    return re.sub(r"\D", "", warc_date[:32])[:14].ljust(14, "0")


@pytest.mark.parametrize("url,date,status,digest,extra", [
    ("http://example.com/a?b=1", "2025-03-04T10:20:30Z", 200, "sha1:ABC", None),
    ("https://exämple.com/\"quoted\"\\path\u2028", "2025-03-04T10:20:30.123456Z", None, None,
     {"orig_url": "http://x/\U0001f600"}),
    ("http://example.com/", "2025-03-04", 404, "sha1:X", {"orig_url": ""}),
])
def test_cdxj_lines_are_what_json_dumps_wrote(url, date, status, digest, extra):
    args = dict(mime="text/html", status=status, digest=digest, length=1234, offset=0,
                filename="/data/a \"b\".warc.gz", extra=extra)
    assert cdxj_line(url, date, **args) == _old_cdxj_line(url, date, **args)


def test_timestamps_are_the_first_fourteen_digits():
    rng = random.Random(7)
    dates = ["2025-03-04T10:20:30Z", "2025-03-04T10:20:30.5+01:00", "2025-03-04", "", "2025-03-04T10:20:3",
             "２０２５-03-04T10:20:30Z"]
    for _ in range(20000):
        chars = list("2025-03-04T10:20:30Z")
        for _ in range(2):
            chars[rng.randrange(len(chars))] = rng.choice("0123456789-:TZ a\u0663")
        dates.append("".join(chars)[:rng.randrange(15, 21)])
    assert [timestamp14(d) for d in dates] == [_old_timestamp14(d) for d in dates]


def _member(text: bytes) -> bytes:
    return gzip.compress(text)


def test_gzip_framing_of_headers_written_without_spaces_is_still_checked(tmp_path):
    """The framing check sizes a member's headers from their parsed form: headers spelt
    ``Name:value`` are found sound, and a Content-Length that lies is still reported."""
    block = b"hello world"
    head = (b"WARC/1.0\r\nWARC-Type:resource\r\nWARC-Record-ID:<urn:uuid:1>\r\nWARC-Date:2025-03-04T10:20:30Z\r\n"
            b"WARC-Target-URI:http://example.com/\r\nContent-Type:text/plain\r\n")
    sound = _member(head + b"Content-Length:%d\r\n\r\n" % len(block) + block + b"\r\n\r\n")
    short = _member(head + b"Content-Length:%d\r\n\r\n" % (len(block) - 3) + block + b"\r\n\r\n")
    path = tmp_path / "spaceless.warc.gz"
    path.write_bytes(sound + short + sound)
    _location, items = scan(str(path))
    items = list(items)
    records = [i for i in items if isinstance(i, RawRecord)]
    assert [r.offset for r in records] == [0, len(sound), len(sound) + len(short)]
    assert records[0].notes == [] and records[2].notes == []
    assert [reason for _, reason in records[1].notes] == [
        "resource record's Content-Length 8 does not match its gzip member, which holds 11 bytes of block"
        " (a wrong Content-Length or a record cut short)"]


@pytest.mark.parametrize("replace", [False, True])
def test_captures_written_together_past_the_largest_id_get_their_own_ids(tmp_path, replace):
    # past the largest id SQLite picks new ones at random: the ids are looked up, not counted
    catalog = open_catalog(tmp_path / "catalog")
    catalog.write(lambda c: c.add_capture(_row(0, "<urn:0>")))
    catalog.write(lambda c: c.db.execute("UPDATE captures SET id = ?", (2**63 - 1,)))
    rows = [_row(1, "<urn:1>"), _row(2, "<urn:0>"), _row(3, "<urn:3>"), _row(4, "<urn:3>")]
    ids = catalog.write(lambda c: c.add_captures(rows, replace))
    by_record = dict(catalog.db.execute("SELECT record_id, id FROM captures").fetchall())
    catalog.close()
    expected = [by_record[row.record_id] for row in rows]
    if not replace:
        expected[1] = expected[3] = None
    assert ids == expected and by_record["<urn:0>"] == 2**63 - 1 and len(by_record) == 3


def test_every_whitespace_in_a_target_uri_is_percent_encoded():
    spaces = [chr(c) for c in range(0x110000) if re.match(r"\s", chr(c))]
    assert len(spaces) > 20
    for space in spaces:
        assert repair_uri(f"http://a.test/x{space}y") == (
            f"http://a.test/x%{ord(space):02X}y", "spaces in WARC-Target-URI percent-encoded"), repr(space)
    assert repair_uri("http://a.test/x\u00e9y") == ("http://a.test/x\u00e9y", None)
