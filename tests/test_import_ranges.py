"""A large WARC read in byte ranges by worker processes gives the catalog, the CDXJ and the
report that reading it in one process gives: on good files, damaged ones, a WARC quoted inside
a payload (a record boundary found where there is none) and a worker killed."""

from __future__ import annotations

import gzip
import io
import os
import signal
import sqlite3
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.importer import Importer, ImportOptions, index_name, reading
from test_import_damage import CASES

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "warc-samples"


@pytest.fixture
def small_ranges(monkeypatch):
    """Every file is split, into ranges of a few hundred bytes: most boundaries get a range."""
    monkeypatch.setattr(reading, "SPLIT_FROM", 0)
    monkeypatch.setattr(reading, "MIN_RANGE", 1)
    monkeypatch.setattr(reading, "RANGES_PER_WORKER", 16)


def news_warc(path: Path, pages: int = 60, gzipped: bool = True, quoted: int | None = None) -> None:
    """Request/response pairs of varied pages (some gzip-encoded, some chunked) and revisits;
    ``quoted``: that page serves a WARC file of its own (its records' lines are in the payload)."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for n in range(pages):
            url = f"http://outlet{n % 7}.test/story/{n}"
            body = (b"<html><head><title>Story %d</title></head><body>" % n
                    + b"<p>Paragraph %d of the story, told at some length.</p>" * (20 + n % 13) + b"</body></html>")
            headers = [("Content-Type", "text/html; charset=utf-8")]
            if quoted == n:
                inner = io.BytesIO()
                news_warc_records(WARCWriter(inner, gzip=False), 30)
                body, headers = inner.getvalue(), [("Content-Type", "application/warc")]
            elif n % 5 == 1:
                body = gzip.compress(body)
                headers.append(("Content-Encoding", "gzip"))
            headers.append(("Content-Length", str(len(body))))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=StatusAndHeaders(
                f"GET /story/{n} HTTP/1.1", [("Host", f"outlet{n % 7}.test")], is_http_request=True))
            writer.write_request_response_pair(request, response)
            if n % 9 == 4:
                # every other one without HTTP headers: damaged, cataloged once it reads back
                revisit = writer.create_revisit_record(
                    url, response.rec_headers.get_header("WARC-Payload-Digest"), url,
                    response.rec_headers.get_header("WARC-Date"), http_headers=http if n % 2 else None)
                writer.write_record(revisit)


def news_warc_records(writer: WARCWriter, count: int) -> None:
    for n in range(count):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"http://inner.test/{n}", "response",
                                                      payload=io.BytesIO(b"inner %d\n" % n * 40), http_headers=http))


def imported(tmp_path: Path, name: str, path: Path, read_workers: int, importer: Importer | None = None):
    """(report as a dict, catalog captures, the location's CDXJ lines) of importing ``path``."""
    root = tmp_path / name
    own = importer is None
    importer = importer or Importer(root, ImportOptions(extract=False, stories=False, read_workers=read_workers))
    try:
        (report,) = importer.import_paths([path]).files
    finally:
        if own:
            importer.close()
    root = importer.root
    with sqlite3.connect(root / "catalog.sqlite") as db:
        captures = db.execute("SELECT url, surt, timestamp, record_id, status, mime, kind, payload_digest,"
                              " warc_file, warc_offset, warc_length, truncated FROM captures ORDER BY id").fetchall()
    cdxj = importer.archive.index_dir / index_name(report.file)
    lines = cdxj.read_text().splitlines() if cdxj.exists() else []
    figures = report.as_dict()
    stats = figures.pop("stats")
    return figures, captures, lines, stats


def assert_same_reading(tmp_path: Path, path: Path) -> dict:
    one = imported(tmp_path, "one", path, 1)
    ranges = imported(tmp_path, "ranges", path, 2)
    assert ranges[:3] == one[:3]
    assert not any(name.startswith("read/") for name in one[3])
    return ranges[3]


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_ranges_read_by_workers_give_what_one_process_gives(tmp_path, small_ranges, gzipped):
    path = tmp_path / ("news.warc.gz" if gzipped else "news.warc")
    news_warc(path, gzipped=gzipped)
    stats = assert_same_reading(tmp_path, path)
    assert stats["read/ranges"] >= 16 and not stats.get("read/reread")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_damaged_files_read_in_ranges_give_the_same_problems_and_rows(tmp_path, small_ranges, name):
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(CASES[name][0])
    assert_same_reading(tmp_path, path)


@pytest.mark.slow
@pytest.mark.parametrize("sample", sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*.warc*")))
def test_third_party_samples_read_in_ranges_give_the_same_rows(tmp_path, small_ranges, sample):
    assert_same_reading(tmp_path, SAMPLES / sample)


def test_a_warc_quoted_in_a_payload_is_not_taken_for_records(tmp_path, small_ranges):
    """Uncompressed, the quoted records' lines are found as boundaries: the range before one
    does not end there, and reading goes on in this process from where it did end."""
    path = tmp_path / "quoting.warc"
    news_warc(path, pages=12, gzipped=False, quoted=6)
    stats = assert_same_reading(tmp_path, path)
    assert stats["read/reread"] == 1


def test_a_killed_worker_hands_its_ranges_back_and_the_next_file_gets_new_workers(tmp_path, small_ranges):
    path = tmp_path / "news.warc.gz"
    news_warc(path)
    one = imported(tmp_path, "one", path, 1)
    importer = Importer(tmp_path / "ranges", ImportOptions(extract=False, stories=False, read_workers=2))
    with importer:
        importer.reader.start()
        workers = list(importer.reader.pool._processes.values())
        for process in workers:
            os.kill(process.pid, signal.SIGKILL)
            process.join()
        figures, captures, lines, stats = imported(tmp_path, "ranges", path, 2, importer)
        assert (figures, captures, lines) == one[:3]
        assert stats["read/workers_lost"] == 1 and stats["read/reread"] == 1
        again = tmp_path / "again.warc.gz"
        news_warc(again, pages=30)
        (report,) = importer.import_paths([again]).files
        assert report.stats["read/ranges"] >= 2 and not report.stats.get("read/workers_lost")
        assert report.errors == 2 and report.captures == 30 + 3  # two revisits without HTTP headers


def test_a_small_file_is_read_in_this_process(tmp_path):
    path = tmp_path / "news.warc.gz"
    news_warc(path, pages=10)
    with Importer(tmp_path / "a", ImportOptions(extract=False, stories=False, read_workers=2)) as importer:
        (report,) = importer.import_paths([path]).files
        assert importer.reader.pool is None and report.captures == 10 + 1
        assert not any(name.startswith("read/") for name in report.stats)
