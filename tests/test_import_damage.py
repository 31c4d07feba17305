"""Damage ``wirecopy import`` accepts is reported: the file, the offset, what is wrong.

Each damaged file is built here from good records (warcio writes them), so every case is one
defect: gzip members that cut through records or hold two of them, truncations inside a
member, wrong, missing or negative Content-Length, LF line endings, a misspelled WARC-Type.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.importer import Importer, ImportOptions
from archive.warc.reader import read_record
from conftest import crawl_env

BODY = b"<html><body><p>" + b" ".join(b"word%d" % i for i in range(300)) + b"</p></body></html>"


def record(kind: str, number: int, url: str = "http://a.test/", body: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False, warc_version="WARC/1.1")
    if kind == "warcinfo":
        built = writer.create_warcinfo_record("x.warc.gz", {"software": "test"})
    elif kind == "request":
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "a.test")], is_http_request=True)
        built = writer.create_warc_record(url, "request", payload=io.BytesIO(body), http_headers=http)
    else:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(BODY)))],
                                protocol="HTTP/1.1")
        built = writer.create_warc_record(url, "response", payload=io.BytesIO(BODY), http_headers=http)
    built.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>")
    writer.write_record(built)
    return buffer.getvalue()


INFO, REQUEST = record("warcinfo", 1), record("request", 2)
RESPONSE, LAST = record("response", 3), record("response", 4, "http://a.test/last")
INFO_2 = record("warcinfo", 5)


def content_length(data: bytes, value: bytes | None) -> bytes:
    """The record with its Content-Length header replaced (or removed)."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"content-length:")]
    if value is not None:
        lines.append(b"Content-Length: " + value)
    return b"\r\n".join(lines) + sep + rest


def declared(data: bytes) -> int:
    return int(next(line for line in data.split(b"\r\n") if line.startswith(b"Content-Length:")).split(b":")[1])


def gz(*parts: bytes) -> bytes:
    return b"".join(gzip.compress(p) for p in parts)


def offsets(*members: bytes) -> list[int]:
    at, found = 0, []
    for member in members:
        found.append(at)
        at += len(member)
    return found


# name -> (file bytes, records imported, captures cataloged, [(offset, reason fragment, severity, skipped)])
def cases() -> dict[str, tuple[bytes, int, int, list[tuple[int, str, str, bool]]]]:
    members = [gzip.compress(p) for p in (INFO, REQUEST)]
    split = [gzip.compress(RESPONSE[:500]), gzip.compress(RESPONSE[500:])]
    found: dict = {}
    at = offsets(*members, *split)
    found["response split across two gzip members"] = (
        b"".join(members + split) + gz(LAST), 3, 1,
        [(at[2], f"response record split across gzip members: the member at offset {at[2]} ends at {at[3]}",
          "error", True)])
    shared = gzip.compress(INFO_2 + RESPONSE)
    found["response sharing a gzip member with the warcinfo before it"] = (
        b"".join(members) + shared + gz(LAST), 4, 1,
        [(offsets(*members, shared)[2], "a response record shares the gzip member at offset"
          f" {offsets(*members, shared)[2]} with the warcinfo record before it", "error", True)])
    for cut, reason, records, captures, skipped in (
            (20, "record cut inside its WARC headers", 3, 1, True),
            (150, "record cut inside its WARC headers", 3, 1, True),
            (500, "response record's Content-Length", 4, 2, False),
            (len(RESPONSE) - 10, "response record's Content-Length", 4, 2, False)):
        found[f"response cut at byte {cut} inside its gzip member"] = (
            gz(INFO, REQUEST, RESPONSE[:cut], LAST), records, captures,
            [(offsets(*members)[1] + len(members[1]), reason, "error", skipped)])
    for name, original, at_offset in (("warcinfo", INFO, 0), ("request", REQUEST, len(members[0]))):
        n = declared(original)
        for label, value, reason in (
                ("missing", None, "no Content-Length"),
                ("negative", b"-5", "Content-Length '-5' is not a byte count"),
                ("too long", str(n + 9).encode(), f"{name} record's Content-Length {n + 9} does not match"),
                ("too short", str(n - 7).encode(), None)):
            parts = [INFO, REQUEST, RESPONSE, LAST]
            parts[0 if name == "warcinfo" else 1] = content_length(original, value)
            if reason is None:
                if name == "warcinfo":
                    # the first member holds more than the first record: read as one gzip stream,
                    # where the 7 bytes left over are reported after the warcinfo record
                    expected = [(n - 7 + parts[0].index(b"\r\n\r\n") + 4 + 4,
                                 f"unreadable bytes after the record at offset 0 (its Content-Length {n - 7}"
                                 " may be wrong", "error", True)]
                else:
                    expected = [(at_offset, f"request record's Content-Length {n - 7} does not match", "error", False)]
            else:
                expected = [(at_offset, reason, "error", False)]
            found[f"{label} Content-Length on the {name}"] = (gz(*parts), 4, 2, expected)
    lf = [p.replace(b"\r\n", b"\n") for p in (INFO, REQUEST, RESPONSE, LAST)]
    found["LF line endings"] = (gz(*lf), 4, 2, [(0, "WARC header lines end with LF, not CRLF", "warning", False)])
    misspelled = RESPONSE.replace(b"WARC-Type: response", b"WARC-Type: respnse")
    found["misspelled WARC-Type"] = (
        gz(INFO, REQUEST, misspelled, LAST), 4, 1,
        [(offsets(*members)[1] + len(members[1]), "unknown WARC-Type 'respnse': not imported as a capture",
          "error", False)])
    # a request's payload is verified as a response's: an empty one against the digest of no bytes
    empty = base64.b32encode(hashlib.sha1().digest())
    other = base64.b32encode(hashlib.sha1(b"x").digest())
    for label, request in (("an empty request", REQUEST.replace(empty, other)),
                           ("a request with a body", record("request", 2, body=b"q=1").replace(
                               base64.b32encode(hashlib.sha1(b"q=1").digest()), empty))):
        assert request.count(b"WARC-Payload-Digest: sha1:") == 1 and request != REQUEST
        found[f"wrong payload digest on {label}"] = (
            gz(INFO, request, RESPONSE, LAST), 4, 2,
            [(offsets(*members)[1], "payload digest mismatch", "error", False)])
    return found


CASES = cases()


def import_one(tmp_path: Path, data: bytes):
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(data)
    root = tmp_path / "archive"
    with Importer(root, ImportOptions(extract=False, stories=False)) as importer:
        (report,) = importer.import_paths([path]).files
    return path, root, report


@pytest.mark.parametrize("name", sorted(CASES))
def test_damage_is_reported_with_file_and_offset(tmp_path, name):
    data, records, captures, expected = CASES[name]
    path, root, report = import_one(tmp_path, data)
    found = [(p.offset, p.reason, p.severity, p.skipped) for p in report.problems]
    for offset, fragment, severity, skipped in expected:
        assert any(o == offset and fragment in r and s == severity and k == skipped for o, r, s, k in found), found
    assert all(p.location.startswith(str(path)) for p in report.problems)
    assert report.records == records and report.captures == captures
    # every cataloged capture reads back as the record it names, with its payload
    with sqlite3.connect(root / "catalog.sqlite") as db:
        rows = db.execute("SELECT warc_file, warc_offset, warc_length, record_id FROM captures").fetchall()
    assert len(rows) == captures
    for warc_file, offset, length, record_id in rows:
        stored = read_record(warc_file, offset, length)
        assert stored.header("WARC-Record-ID") == record_id and stored.rec_type == "response"
        assert stored.payload.startswith(b"<html>")


def test_good_records_give_no_problem(tmp_path):
    _path, _root, report = import_one(tmp_path, gz(INFO, REQUEST, RESPONSE, LAST))
    assert report.problems == [] and report.captures == 2


@pytest.mark.slow
def test_cli_prints_the_damage_in_its_json_summary_and_exits_non_zero(tmp_path):
    files = []
    for n, name in enumerate(("response split across two gzip members", "misspelled WARC-Type")):
        files.append(tmp_path / f"{n}.warc.gz")
        files[-1].write_bytes(CASES[name][0])
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "import", *map(str, files), "--archive",
                           str(tmp_path / "archive"), "--json", "--no-extract"],
                          capture_output=True, text=True, env=crawl_env(), timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    summary = json.loads(proc.stdout.splitlines()[-1])
    assert summary["errors"] == 2 and summary["skipped"] == 1
    problems = [(Path(p["file"]).name, p["offset"], p["reason"].split(":")[0]) for f in summary["files"]
                for p in f["problems"] if p["severity"] == "error"]
    assert problems == [("0.warc.gz", CASES["response split across two gzip members"][3][0][0],
                         "response record split across gzip members"),
                        ("1.warc.gz", CASES["misspelled WARC-Type"][3][0][0], "unknown WARC-Type 'respnse'")]


def test_a_damaged_record_is_cataloged_only_if_it_reads_back(tmp_path):
    """The one rule an import and a rebuild share (``unreadable``): a record with no error is
    not read again; a damaged one is kept if warcio serves it back, else said why."""
    from archive.importer.records import ParsedRecord, unreadable

    path = tmp_path / "one.warc.gz"
    members = [gzip.compress(p, mtime=0) for p in (INFO, REQUEST, RESPONSE)]
    path.write_bytes(b"".join(members) + b"no record here\r\n" * 64)
    response_at, garbage_at = offsets(*members)[2], sum(map(len, members))

    def record(offset: int, notes: list) -> ParsedRecord:
        return ParsedRecord(offset, 0, "response", "<urn:x>", "http://a.test/", "", {}, notes=notes)
    assert unreadable(str(path), record(5, [("warning", "spaces in WARC-Target-URI")])) is None  # never read
    assert unreadable(str(path), record(response_at, [("error", "payload digest mismatch")])) is None
    reason = unreadable(str(path), record(garbage_at, [("error", "truncated")]))
    assert reason is not None and reason.startswith("damaged record cannot be read back (") \
        and reason.endswith("): not cataloged")
