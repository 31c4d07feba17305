"""The replay library on its own (no Scrapy): lookup by SURT and time, revisits, chunked bodies.

Archives are written with the product's writer (``archive.store.Archive``) where wirecopy made
them, and with warcio directly where another tool would have (revisits, raw chunked bodies).
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sqlite3
from base64 import b32encode
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.catalog import CaptureRow
from archive.index.cdxj import surt_key, timestamp14
from archive.replay import ArchiveReplay, ReplayError, dechunk, parse_at
from archive.store import Archive
from archive.warc.reader import iter_records

PAGE = b"<html><body><p>" + b"The harbour ferry timetable changes on Monday. " * 20 + b"</p></body></html>"


def sha1_digest(data: bytes) -> str:
    return "sha1:" + b32encode(hashlib.sha1(data).digest()).decode()


def capture(archive: Archive, url: str, date: str, body: bytes = PAGE, status: int = 200,
            headers: list[tuple[str, str]] | None = None, kind: str = "page"):
    f = archive.factory
    reason = {200: "OK", 301: "Moved Permanently", 302: "Found"}.get(status, "")
    response = f.response(url, date, "HTTP/1.1", status, reason,
                          headers or [("Content-Type", "text/html; charset=utf-8")], body)
    request = f.request(url, date, "GET", "/", [("Host", "example.com")],
                        concurrent_to=response.rec_headers.get_header("WARC-Record-ID"))
    return archive.write_capture(request, response)


def write_third_party(root: Path, name: str, records) -> Path:
    """A WARC file written by another tool (warcio), kept outside the archive's warc/ folder
    and catalogued by absolute path, as an import does."""
    path = root.parent / name
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True, warc_version="WARC/1.1")
        for record in records(writer):
            writer.write_record(record)
    archive = Archive(root)
    for rec in iter_records(path, types=("response", "revisit", "resource")):
        url = rec.header("WARC-Target-URI")
        archive.catalog.add_capture(CaptureRow(
            url=url, surt=surt_key(url), timestamp=timestamp14(rec.header("WARC-Date")),
            warc_date=rec.header("WARC-Date"), record_id=rec.header("WARC-Record-ID"),
            status=rec.http_status, mime=None, kind=rec.rec_type,
            payload_digest=rec.header("WARC-Payload-Digest"), warc_file=str(path.resolve()),
            warc_offset=rec.offset, warc_length=rec.length,
        ))
    archive.close()
    return path


@pytest.fixture
def root(tmp_path) -> Path:
    return tmp_path / "archive"


def test_urls_match_by_surt_as_pywb_matches_them(root):
    archive = Archive(root)
    capture(archive, "http://example.com/news/story?b=2&a=1", "2025-03-04T10:00:00.000000Z")
    archive.close()
    with ArchiveReplay(root) as replay:
        for url in ("http://example.com/news/story?b=2&a=1", "https://example.com/news/story?a=1&b=2",
                    "https://www.example.com:443/news/story?a=1&b=2", "http://EXAMPLE.com:80/news/story?a=1&b=2"):
            answer = replay.get(url)
            assert answer is not None and answer.body == PAGE, url
        assert replay.get("http://example.com/news/story?a=1") is None
        assert replay.get("http://example.org/news/story?b=2&a=1") is None


def test_the_capture_closest_to_at_is_chosen(root):
    archive = Archive(root)
    for day in ("01", "10", "20"):
        capture(archive, "http://example.com/", f"2025-03-{day}T12:00:00.000000Z", body=f"day {day}".encode())
    archive.close()
    with ArchiveReplay(root) as replay:
        assert replay.get("http://example.com/").body == b"day 20"  # latest by default
        assert replay.get("http://example.com/", at="20250302").body == b"day 01"
        assert replay.get("http://example.com/", at="2025-03-12T00:00:00Z").body == b"day 10"
        assert replay.get("http://example.com/", at="20250317").body == b"day 20"
        assert replay.get("http://example.com/", at="1999").body == b"day 01"
        assert [c.timestamp for c in replay.captures("http://example.com/")] == [
            "20250301120000", "20250310120000", "20250320120000"]


def test_at_accepts_pywb_timestamps_and_iso_dates():
    assert parse_at("2025").isoformat() == "2025-01-01T00:00:00+00:00"
    assert parse_at("202503041020").isoformat() == "2025-03-04T10:20:00+00:00"
    assert parse_at("2025-03-04T10:20:30.5Z").isoformat() == "2025-03-04T10:20:30.500000+00:00"
    for bad in ("yesterday", "20251399", "12"):
        with pytest.raises(ValueError):
            parse_at(bad)


def test_redirects_replay_as_redirects_but_a_self_redirect_is_skipped(root):
    archive = Archive(root)
    capture(archive, "https://example.com/a", "2025-03-01T00:00:00.000000Z")
    capture(archive, "http://example.com/a", "2025-03-02T00:00:00.000000Z", body=b"", status=301,
            headers=[("Location", "https://example.com/a")], kind="redirect")
    capture(archive, "http://example.com/old", "2025-03-02T00:00:00.000000Z", body=b"", status=302,
            headers=[("Location", "/a")], kind="redirect")
    archive.close()
    with ArchiveReplay(root) as replay:
        hop = replay.get("http://example.com/a")  # the archived http -> https redirect
        assert (hop.status, hop.header("Location")) == (301, "https://example.com/a")
        page = replay.get("https://example.com/a")  # would redirect to itself: the 200 is replayed
        assert (page.status, page.body) == (200, PAGE)
        moved = replay.get("http://example.com/old")
        assert moved.is_redirect and moved.header("Location") == "/a"


def test_content_encoded_bodies_are_returned_encoded(root):
    archive = Archive(root)
    capture(archive, "http://example.com/gz", "2025-03-01T00:00:00.000000Z", body=gzip.compress(PAGE),
            headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip")])
    archive.close()
    with ArchiveReplay(root) as replay:
        answer = replay.get("http://example.com/gz")
        assert answer.header("Content-Encoding") == "gzip"
        assert gzip.decompress(answer.body) == PAGE
        assert answer.header("Content-Length") == str(len(answer.body))


def test_a_raw_chunked_body_from_another_tool_is_dechunked(root):
    chunked = b"10\r\n" + PAGE[:16] + b"\r\n" + f"{len(PAGE) - 16:x}".encode() + b"\r\n" + PAGE[16:] + b"\r\n0\r\n\r\n"

    def records(writer):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
                                protocol="HTTP/1.1")
        yield writer.create_warc_record("http://example.com/chunked", "response", payload=BytesIO(chunked),
                                        length=len(chunked), http_headers=http)

    write_third_party(root, "wget.warc.gz", records)
    with ArchiveReplay(root) as replay:
        answer = replay.get("http://example.com/chunked")
        assert answer.body == PAGE
        assert answer.header("Transfer-Encoding") is None
        assert answer.header("Content-Length") == str(len(PAGE))


def test_dechunk_leaves_what_is_not_chunked_alone():
    assert dechunk(b"4\r\nwire\r\n4;ext=1\r\ncopy\r\n0\r\n\r\n") == b"wirecopy"
    assert dechunk(b"<html>not chunked</html>") is None
    assert dechunk(b"8\r\nwire") == b"wire"  # a truncated record keeps what it has


@pytest.mark.parametrize("profile", ["identical-payload-digest", "server-not-modified"])
def test_revisits_resolve_to_the_original_payload(root, profile):
    archive = Archive(root)
    original = capture(archive, "http://example.com/story", "2025-03-01T08:00:00.000000Z",
                       headers=[("Content-Type", "text/html; charset=utf-8"), ("ETag", '"v1"')])
    archive.close()
    digest = sha1_digest(PAGE)

    def records(writer):
        if profile == "identical-payload-digest":
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("X-Served-By", "second-visit")], protocol="HTTP/1.1")
            headers = {"WARC-Refers-To": original.record_id, "WARC-Date": "2025-03-05T08:00:00Z"}
        else:
            http = StatusAndHeaders("304 Not Modified", [("ETag", '"v1"')], protocol="HTTP/1.1")
            # no WARC-Refers-To: found by target URI, date and payload digest
            headers = {"WARC-Date": "2025-03-05T08:00:00Z"}
        record = writer.create_revisit_record(
            "https://www.example.com/story", digest, "http://example.com/story", original.warc_date,
            http_headers=http, warc_headers_dict=headers)
        record.rec_headers.replace_header(
            "WARC-Profile", f"http://netpreserve.org/warc/1.1/revisit/{profile}")
        yield record

    write_third_party(root, "dedup.warc.gz", records)
    with ArchiveReplay(root) as replay:
        answer = replay.get("http://example.com/story")
        assert answer.capture.kind == "revisit"
        assert answer.revisit_of is not None and answer.revisit_of.record_id == original.record_id
        assert answer.body == PAGE and answer.status == 200
        if profile == "identical-payload-digest":
            assert answer.header("X-Served-By") == "second-visit"  # the revisit's own headers
        else:
            assert answer.header("ETag") == '"v1"' and answer.header("Content-Type").startswith("text/html")
        older = replay.get("http://example.com/story", at="20250302")
        assert older.revisit_of is None and older.capture.record_id == original.record_id


def test_a_revisit_with_nothing_to_resolve_to_is_an_error_not_a_crash(root):
    Archive(root).close()

    def records(writer):
        yield writer.create_revisit_record("http://example.com/gone", sha1_digest(b"lost"),
                                           "http://example.com/gone", "2024-01-01T00:00:00Z",
                                           http_headers=StatusAndHeaders("200 OK", [], protocol="HTTP/1.1"))

    write_third_party(root, "orphan.warc.gz", records)
    with ArchiveReplay(root) as replay:
        with pytest.raises(ReplayError, match="refers to no archived payload"):
            replay.get("http://example.com/gone")


def test_replay_needs_an_archive(tmp_path):
    with pytest.raises(FileNotFoundError):
        ArchiveReplay(tmp_path / "nothing-here")


def test_an_unreadable_capture_gives_way_to_the_next_closest(root):
    archive = Archive(root)
    capture(archive, "http://example.com/", "2025-03-01T00:00:00.000000Z", body=b"older")
    newer = capture(archive, "http://example.com/", "2025-03-02T00:00:00.000000Z", body=b"newer")
    archive.close()
    db = sqlite3.connect(root / "catalog.sqlite")
    db.execute("UPDATE captures SET warc_offset = warc_offset + 7 WHERE record_id = ?", (newer.record_id,))
    db.commit()
    db.close()
    with ArchiveReplay(root) as replay:
        assert replay.get("http://example.com/").body == b"older"
        (bad,) = [c for c in replay.captures("http://example.com/") if c.record_id == newer.record_id]
        with pytest.raises(ReplayError, match="cannot read"):
            replay.load(bad)


def test_a_row_pointing_at_another_record_is_refused_not_replayed(root):
    archive = Archive(root)
    other = capture(archive, "http://example.com/other", "2025-03-01T00:00:00.000000Z", body=b"other page")
    page = capture(archive, "http://example.com/page", "2025-03-02T00:00:00.000000Z", body=b"the page")
    archive.close()
    db = sqlite3.connect(root / "catalog.sqlite")
    (offset,) = db.execute("SELECT warc_offset FROM captures WHERE record_id = ?", (other.record_id,)).fetchone()
    db.execute("UPDATE captures SET warc_offset = ? WHERE record_id = ?", (offset, page.record_id))
    db.commit()
    db.close()
    with ArchiveReplay(root) as replay:
        with pytest.raises(ReplayError, match=f"not {re.escape(page.record_id)}"):
            replay.get("http://example.com/page")
