"""WARC writing and reading back: records, digests, rotation, crash recovery."""

from __future__ import annotations

import hashlib
import base64
import gzip
import itertools
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator

from archive.warc import RecordFactory, RotatingWarcWriter, WarcWriter, read_record, recover_open_file
from archive.warc.reader import StoredRecord, iter_records, sound_gzip_prefix
from archive.warc.records import described_url, metadata_fields
from archive.warc.writer import warc_filename


def fixed_factory() -> RecordFactory:
    ids = (f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>" for n in itertools.count())
    return RecordFactory(make_id=lambda: next(ids), now=lambda: datetime(2025, 3, 10, 9, 20, 1, 123456, timezone.utc))


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def capture_pair(factory: RecordFactory, body: bytes = b"<html><p>hello</p></html>"):
    date = "2025-03-10T09:20:01.123456Z"
    response = factory.response(
        "http://example.com/a?x=1", date, "HTTP/1.1", 200, "OK",
        [("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"),
         ("Transfer-Encoding", "chunked"), ("Content-Length", "999")],
        body, ip_address="127.0.0.1",
    )
    request = factory.request(
        "http://example.com/a?x=1", date, "GET", "/a?x=1", [("Host", "example.com"), ("User-Agent", "wirecopy")],
        concurrent_to=response.rec_headers.get_header("WARC-Record-ID"), ip_address="127.0.0.1",
    )
    return request, response


def test_records_carry_digests_and_framing_matches_stored_body():
    factory = fixed_factory()
    body = b"<html><p>hello</p></html>"
    request, response = capture_pair(factory, body)
    buf = BytesIO()
    writer = WarcWriter(buf)
    offsets = [writer.write(request), writer.write(response)]
    assert offsets[0][0] == 0 and offsets[1][0] == offsets[0][1]
    records = list(ArchiveIterator(BytesIO(buf.getvalue()), check_digests="raise"))
    req, resp = records
    assert req.rec_headers.get_header("WARC-Concurrent-To") == resp.rec_headers.get_header("WARC-Record-ID")
    assert req.rec_headers.get_header("WARC-Date") == resp.rec_headers.get_header("WARC-Date")
    assert req.http_headers.protocol == "GET" and req.http_headers.statusline == "/a?x=1 HTTP/1.1"
    assert resp.rec_headers.get_header("WARC-Payload-Digest") == sha1_b32(body)
    assert resp.http_headers.get_header("Transfer-Encoding") is None
    assert resp.http_headers.get_header("Content-Length") == str(len(body))
    cookies = [v for k, v in resp.http_headers.headers if k == "Set-Cookie"]
    assert cookies == ["a=1", "b=2"]
    assert resp.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"


def test_each_record_is_its_own_gzip_member_readable_by_offset():
    factory = fixed_factory()
    buf = BytesIO()
    writer = WarcWriter(buf)
    spans = [writer.write(r) for r in capture_pair(factory)]
    data = buf.getvalue()
    for offset, length in spans:
        member = data[offset:offset + length]
        assert gzip.decompress(member).startswith(b"WARC/1.1\r\n")
        assert gzip.decompress(member).endswith(b"\r\n\r\n")


def test_conversion_metadata_and_warcinfo_have_payload_digests():
    factory = fixed_factory()
    text = "Café – “quoted” text"
    records = [
        factory.warcinfo("x.warc.gz", {"software": "wirecopy", "robots": "obey"}),
        factory.conversion("http://example.com/a", "2025-03-10T09:20:01Z", "<urn:uuid:r>", text),
        factory.metadata("http://example.com/a", "2025-03-10T09:20:01Z", "<urn:uuid:r>", {"title": "Café"}),
    ]
    buf = BytesIO()
    writer = WarcWriter(buf)
    for record in records:
        writer.write(record)
    read = list(ArchiveIterator(BytesIO(buf.getvalue()), check_digests="raise"))
    assert [r.rec_type for r in read] == ["warcinfo", "conversion", "metadata"]
    conv = read[1]
    assert conv.rec_headers.get_header("Content-Type") == "text/plain; charset=utf-8"
    assert conv.rec_headers.get_header("WARC-Refers-To") == "<urn:uuid:r>"
    assert conv.rec_headers.get_header("WARC-Payload-Digest") == sha1_b32(text.encode())
    for record in read:
        assert record.rec_headers.get_header("WARC-Block-Digest")
        assert record.rec_headers.get_header("WARC-Payload-Digest")
    for record in FastIterator(BytesIO(buf.getvalue()), parse_http=False):
        assert record.verify_block_digest()


def test_rotating_writer_names_rotates_and_starts_each_file_with_warcinfo(tmp_path):
    closed = []
    writer = RotatingWarcWriter(tmp_path, prefix="t", max_size=4000, host="box",
                                factory=fixed_factory(), on_close=closed.append, info={"operator": "me"})
    body = bytes(range(256)) * 20  # incompressible enough to pass max_size quickly
    for _ in range(6):
        writer.write_group(list(capture_pair(writer.factory, body)))
        assert list(tmp_path.glob("*.open")), "the file being written is marked .open"
    writer.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 2 and not list(tmp_path.glob("*.open"))
    assert [p.name for p in closed] == [p.name for p in files]
    for path in files:
        assert path.name.startswith("t-20250310092001123-") and path.name.endswith("-box.warc.gz")
        records = list(iter_records(path))
        assert records[0].rec_type == "warcinfo"
        assert records[0].header("WARC-Filename") == path.name
        assert b"operator: me" in records[0].payload
        # request and response of one capture never straddle two files
        assert [r.rec_type for r in records[1:]] == ["request", "response"] * ((len(records) - 1) // 2)


def test_closed_names_are_never_reused(tmp_path):
    factory = fixed_factory()
    first = RotatingWarcWriter(tmp_path, prefix="t", host="h", factory=factory)
    first.write(factory.conversion("http://x/", "2025-03-10T09:20:01Z", "<urn:uuid:r>", "text"))
    first.close()
    second = RotatingWarcWriter(tmp_path, prefix="t", host="h", factory=factory)
    second.write(factory.conversion("http://x/", "2025-03-10T09:20:01Z", "<urn:uuid:r>", "text"))
    second.close()
    names = sorted(p.name for p in tmp_path.glob("*.warc.gz"))
    assert len(names) == 2 and names[0] != names[1]


def test_warc_filename_format():
    name = warc_filename("wc", datetime(2025, 3, 10, 9, 20, 1, 123456, timezone.utc), 7, "host")
    assert name == "wc-20250310092001123-00007-host.warc.gz"


def test_read_record_by_offset(tmp_path):
    factory = fixed_factory()
    writer = RotatingWarcWriter(tmp_path, host="h", factory=factory)
    locations = writer.write_group(list(capture_pair(factory)))
    writer.close()
    path = tmp_path / locations[1].filename
    record = read_record(path, locations[1].offset, locations[1].length)
    assert record.rec_type == "response" and record.http_status == 200
    assert record.payload == b"<html><p>hello</p></html>"


@pytest.mark.parametrize("cut", [1, 17, 200])
def test_recover_open_file_drops_only_the_torn_record(tmp_path, cut):
    factory = fixed_factory()
    writer = RotatingWarcWriter(tmp_path, host="h", factory=factory)
    for _ in range(3):
        writer.write_group(list(capture_pair(factory)))
    open_path = next(tmp_path.glob("*.open"))
    writer._file.flush()
    whole = open_path.read_bytes()
    last_start = writer.write(factory.conversion("http://x/", "2025-03-10T09:20:01Z", "<urn:uuid:r>", "t " * 500)).offset
    writer._file.flush()
    size = open_path.stat().st_size
    # a crash in the middle of writing the last record
    with open(open_path, "r+b") as f:
        f.truncate(size - cut)
    assert sound_gzip_prefix(open_path) == (last_start, 7)
    sealed, dropped = recover_open_file(open_path)
    assert dropped == last_start + (size - last_start - cut) - last_start
    assert sealed.read_bytes() == whole and not open_path.exists()
    records = list(ArchiveIterator(open(sealed, "rb"), check_digests="raise"))
    assert [r.rec_type for r in records] == ["warcinfo"] + ["request", "response"] * 3
    writer._file.close()


def test_recover_open_file_with_garbage_tail(tmp_path):
    factory = fixed_factory()
    writer = RotatingWarcWriter(tmp_path, host="h", factory=factory)
    writer.write_group(list(capture_pair(factory)))
    writer._file.flush()
    open_path = next(tmp_path.glob("*.open"))
    good = open_path.read_bytes()
    with open(open_path, "ab") as f:
        f.write(b"\x00garbage that is not gzip")
    writer._file.close()
    sealed, dropped = recover_open_file(open_path)
    assert dropped == len(b"\x00garbage that is not gzip")
    assert Path(sealed).read_bytes() == good


def test_derived_records_do_not_stand_for_the_page(tmp_path):
    """Replay tools index every record but warc-fields under its Target-URI: the text goes
    under ``urn:text:`` and the metadata as warc-fields, and both read back as written."""
    factory = fixed_factory()
    url = "http://example.com/a"
    conversion = factory.conversion(url, "2025-03-10T09:20:01Z", "<urn:uuid:r>", "Text")
    fields = {"title": "Two\nlines", "authors": ["A. Writer", "B. Reporter"], "canonical_url": None,
              "published": "2025-03-10T09:00:00+00:00"}
    metadata = factory.metadata(url, "2025-03-10T09:20:01Z", "<urn:uuid:r>", fields)
    path = tmp_path / "x.warc.gz"
    with open(path, "wb") as f:
        writer = WarcWriter(f)
        for record in (conversion, metadata):
            writer.write(record)
    conv, meta = list(iter_records(path))
    assert conv.header("WARC-Target-URI") == "urn:text:" + url and described_url(conv) == url
    assert meta.header("WARC-Target-URI") == url and described_url(meta) == url
    assert meta.header("Content-Type") == "application/warc-fields"
    assert meta.payload == (b"authors: A. Writer\r\nauthors: B. Reporter\r\n"
                            b"published: 2025-03-10T09:00:00+00:00\r\ntitle: Two lines\r\n")
    assert metadata_fields(meta) == {"authors": ["A. Writer", "B. Reporter"], "title": "Two lines",
                                     "published": "2025-03-10T09:00:00+00:00"}


def test_derived_records_of_older_archives_still_read():
    """Before, the text had the page's URL and the metadata was a JSON object."""
    old = StoredRecord("x.warc.gz", 0, 1, "metadata", {
        "WARC-Target-URI": "http://example.com/a", "Content-Type": "application/json"},
        None, [], None, b'{"title": "Deal", "authors": ["A. Writer"], "canonical_url": null}')
    assert described_url(old) == "http://example.com/a"
    assert metadata_fields(old) == {"title": "Deal", "authors": ["A. Writer"], "canonical_url": None}
    broken = StoredRecord("x.warc.gz", 0, 1, "metadata", {"Content-Type": "application/json"},
                          None, [], None, b"[1, 2]")
    with pytest.raises(ValueError):
        metadata_fields(broken)
