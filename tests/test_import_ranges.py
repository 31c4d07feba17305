"""A large WARC read in byte ranges by worker processes gives the catalog, the CDXJ and the
report that reading it in one process gives: on good files, damaged ones, a WARC quoted inside
a payload (a record boundary found where there is none) and a worker killed."""

from __future__ import annotations

import gzip
import io
import os
import random
import signal
import sqlite3
import zipfile
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
            body = article_page(n)
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


WORDS = ("council harbour minister budget flood station village court union river market school bridge"
         " farmers election railway hospital strike province festival airport museum factory").split()


def article_page(n: int) -> bytes:
    rng = random.Random(n)
    paragraphs = "".join(
        "<p>" + " ".join(f"The {rng.choice(WORDS)} {rng.choice(WORDS)}s said {rng.randrange(2, 900)} people"
                         f" met near the {rng.choice(WORDS)} on {day}." for day in ("Monday", "Tuesday", "Friday"))
        + "</p>" for _ in range(8 + n % 5))
    return (f"<html><head><title>Story {n}</title><meta property='og:type' content='article'></head><body>"
            f"<article><h1>Story {n} of the day</h1>{paragraphs}</article></body></html>").encode()


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


def assert_same_reading(tmp_path: Path, path: Path, rereads: int = 0) -> dict:
    """Reading in ranges gives what one process gives; ``rereads`` ranges are read again here
    (a worker that failed on a range, one that could not send its results, would be one more)."""
    one = imported(tmp_path, "one", path, 1)
    ranges = imported(tmp_path, "ranges", path, 2)
    assert ranges[:3] == one[:3]
    assert not any(name.startswith("read/") for name in one[3])
    assert ranges[3].get("read/reread", 0) == rereads and not ranges[3].get("read/workers_lost")
    return ranges[3]


@pytest.mark.parametrize("gzipped", [True, False], ids=["warc.gz", "warc"])
def test_ranges_read_by_workers_give_what_one_process_gives(tmp_path, small_ranges, gzipped):
    path = tmp_path / ("news.warc.gz" if gzipped else "news.warc")
    news_warc(path, gzipped=gzipped)
    stats = assert_same_reading(tmp_path, path)
    assert stats["read/ranges"] >= 16


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


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED], ids=["stored", "deflated"])
def test_a_wacz_member_is_read_in_ranges_only_where_it_is_stored(tmp_path, small_ranges, compression):
    """A STORED member is a window on the ZIP file, read in ranges; a DEFLATED one re-inflates
    on every seek backwards and is read whole in this process."""
    warc = tmp_path / "data.warc.gz"
    news_warc(warc, pages=30)
    wacz = tmp_path / "news.wacz"
    with zipfile.ZipFile(wacz, "w", compression) as zf:
        zf.writestr("datapackage.json", "{}")
        zf.write(warc, "archive/data.warc.gz")
    one = imported(tmp_path, "one", wacz, 1)
    ranges = imported(tmp_path, "ranges", wacz, 2)
    assert ranges[:3] == one[:3] and one[0]["captures"] == 30 + 3
    assert all(row[8].endswith("news.wacz#archive/data.warc.gz") for row in one[1])
    assert (ranges[3].get("read/ranges", 0) > 1) == (compression == zipfile.ZIP_STORED)


def test_a_warc_quoted_in_a_payload_is_not_taken_for_records(tmp_path, small_ranges):
    """Uncompressed, the quoted records' lines are found as boundaries: the range before one
    does not end there, and reading goes on in this process from where it did end."""
    path = tmp_path / "quoting.warc"
    news_warc(path, pages=12, gzipped=False, quoted=6)
    assert_same_reading(tmp_path, path, rereads=1)


def test_a_killed_worker_hands_its_ranges_back_and_the_next_file_gets_new_workers(tmp_path, small_ranges):
    path = tmp_path / "news.warc.gz"
    news_warc(path)
    one = imported(tmp_path, "one", path, 1)
    importer = Importer(tmp_path / "ranges", ImportOptions(extract=False, stories=False, read_workers=2))
    with importer:
        importer.reader.start()
        workers = list(importer.reader.pool._processes.values())
        assert sorted(p.pid for p in workers) == sorted(importer.reader.worker_pids())
        for process in workers:
            try:
                os.kill(process.pid, signal.SIGKILL)
            except ProcessLookupError:  # the pool, broken by the first, has ended the other
                pass
            process.join()
        figures, captures, lines, stats = imported(tmp_path, "ranges", path, 2, importer)
        assert (figures, captures, lines) == one[:3]
        assert stats["read/workers_lost"] == 1 and stats["read/reread"] == 1
        again = tmp_path / "again.warc.gz"
        news_warc(again, pages=30)
        (report,) = importer.import_paths([again]).files
        assert report.stats["read/ranges"] >= 2 and not report.stats.get("read/workers_lost")
        assert report.errors == 2 and report.captures == 30 + 3  # two revisits without HTTP headers


@pytest.mark.slow
def test_pages_read_in_ranges_are_extracted_as_pages_read_in_one_process(tmp_path, small_ranges):
    """With extraction, the workers send each page's body and headers along: the same articles."""
    path = tmp_path / "news.warc.gz"
    news_warc(path, pages=24)
    found = []
    for read_workers in (1, 2):
        root = tmp_path / f"extracted-{read_workers}"
        options = ImportOptions(extract=True, stories=False, workers=1, read_workers=read_workers)
        with Importer(root, options) as importer:
            (report,) = importer.import_paths([path]).files
        with sqlite3.connect(root / "catalog.sqlite") as db:
            articles = db.execute("SELECT a.url, a.title, a.text_hash, a.text_length FROM articles a"
                                  " ORDER BY a.url").fetchall()
        found.append((report.articles, articles, report.stats.get("read/ranges", 0)))
    assert found[0][0] == found[1][0] and found[0][1] == found[1][1]
    assert found[0][0] > 0 and found[0][2] == 0 and found[1][2] > 1


def test_workers_that_cannot_start_leave_the_reading_to_this_process(tmp_path, small_ranges, monkeypatch):
    path = tmp_path / "news.warc.gz"
    news_warc(path, pages=20)
    one = imported(tmp_path, "one", path, 1)

    def no_processes(*_args, **_kwargs):
        raise OSError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(reading, "ProcessPoolExecutor", no_processes)
    with Importer(tmp_path / "ranges", ImportOptions(extract=False, stories=False, read_workers=2)) as importer:
        figures, captures, lines, stats = imported(tmp_path, "ranges", path, 2, importer)
        assert (figures, captures, lines) == one[:3] and stats["read/workers_lost"] == 1
        assert importer.reader.workers == 1 and importer.reader.pool is None


def test_a_small_file_is_read_in_this_process(tmp_path):
    with Importer(tmp_path / "default", ImportOptions(extract=False, stories=False)) as importer:
        assert importer.reader.workers == min(os.cpu_count(), reading.DEFAULT_WORKERS)
    path = tmp_path / "news.warc.gz"
    news_warc(path, pages=10)
    with Importer(tmp_path / "a", ImportOptions(extract=False, stories=False, read_workers=2)) as importer:
        (report,) = importer.import_paths([path]).files
        assert importer.reader.pool is None and report.captures == 10 + 1
        assert not any(name.startswith("read/") for name in report.stats)
