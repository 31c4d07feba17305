"""``wirecopy import``: third-party WARC, ARC and WACZ files indexed, cataloged and extracted in place."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import random
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator
from warcio.capture_http import capture_http
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.catalog import Catalog
from archive.demo import DemoWeb
from archive.importer import Importer, ImportOptions, index_name
from archive.index.cdxj import read_index
from archive.warc.reader import read_record
from conftest import crawl_env

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "warc-samples"
GOOD = sorted((SAMPLES / "good").iterdir())
MALFORMED = SAMPLES / "malformed"
WIRE = "STORIES_WIRE_NAMES=Aurora Press"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fingerprints() -> dict[str, str]:
    return {str(p): sha256(p) for p in sorted(SAMPLES.rglob("*")) if p.is_file()}


def warcio_records(path: Path) -> list[tuple[str, str | None]]:
    with open(path, "rb") as f:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
                for r in ArchiveIterator(f, arc2warc=True)]


def fastwarc_count(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in FastIterator(f, parse_http=False))


def import_files(root: Path, *paths: Path, extract: bool = False):
    with Importer(root, ImportOptions(extract=extract, stories=False, workers=1)) as importer:
        return importer.import_paths(paths)


def wirecopy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                          env=crawl_env(), timeout=300)


def assert_rows_read_back(root: Path) -> int:
    """Every catalog row resolves, through read_record, to the record it names."""
    catalog = Catalog(root / "catalog.sqlite")
    rows = list(catalog.captures())
    catalog.close()
    for row in rows:
        record = read_record(Path(root, "warc", row["warc_file"]), row["warc_offset"], row["warc_length"])
        assert record.rec_type in ("response", "revisit", "resource")
        # (ids are URIs; a byte flipped to non-ASCII decodes differently in FastWARC and warcio)
        if not row["record_id"].startswith("<urn:wirecopy:import:") and row["record_id"].isascii():
            assert record.header("WARC-Record-ID") == row["record_id"]
    return len(rows)


@pytest.fixture(scope="module", autouse=True)
def originals_stay_untouched():
    before = fingerprints()
    yield
    assert fingerprints() == before


@pytest.mark.parametrize("sample", GOOD, ids=lambda p: p.name)
def test_good_sample_imports_cleanly(tmp_path, sample):
    summary = import_files(tmp_path, sample)
    (report,) = summary.files
    records = warcio_records(sample)
    assert report.file == str(sample)
    assert report.problems == []
    assert report.records == len(records) == fastwarc_count(sample)
    captures = [(t, u) for t, u in records if t in ("response", "revisit", "resource") and u]
    assert report.captures == report.new_captures == len(captures)

    lines = list(read_index(tmp_path / "indexes" / index_name(str(sample))))
    assert len(lines) == len(captures)
    assert {data["filename"] for _, _, data in lines} <= {str(sample)}
    for _key, stamp, data in lines:
        record = read_record(Path(tmp_path, "warc", data["filename"]), int(data["offset"]), int(data["length"]))
        assert record.header("WARC-Target-URI") == data["url"]
        assert len(stamp) == 14
        with open(sample, "rb") as f:  # FastWARC finds the same record at the indexed offset
            f.seek(int(data["offset"]))
            first = next(iter(FastIterator(f, parse_http=False)))
            assert first.record_id == record.header("WARC-Record-ID")
    assert assert_rows_read_back(tmp_path) == len(captures)


def test_kinds_come_from_the_content(tmp_path):
    import_files(tmp_path, *GOOD)
    catalog = Catalog(tmp_path / "catalog.sqlite")
    kinds = {row["url"]: row["kind"] for row in catalog.captures()}
    catalog.close()
    assert kinds["http://example.com/"] in ("page", "revisit")
    assert "revisit" in kinds.values() and "page" in kinds.values()
    assert kinds["http://www.iana.org/"] == "page"  # stored chunked: de-chunked to sniff it


# file -> (records, captures, [(offset, reason fragment, severity)])
MALFORMED_CASES = {
    "cdxjidx__missing-http.warc.gz": (2, 1, [(0, "without HTTP headers", "error")]),
    "resiliparse__clipped.warc.gz": (1, 1, [(0, "truncated", "error")]),
    "warcio__example-bad-non-chunked.warc.gz": (6, 2, [(3370, "block digest mismatch", "error")]),
    "warcio__example-digest.warc": (4, 0, [(0, "payload digest mismatch", "error"),
                                            (922, "duplicate WARC-Record-ID", "warning")]),
    "warcio__example-space-in-target-uri.warc.gz": (2, 1, [(241, "spaces", "warning")]),
    "warcio__example-trunc.warc": (4, 1, [(1197, "block digest mismatch", "error"),
                                          (2564, "unreadable bytes", "error")]),
    "warcio__example-wget-bad-target-uri.warc.gz": (6, 3, [(824, "<...>", "warning")]),
    # the response is split across two gzip members: no offset reads it, so it is reported, not cataloged
    "warcio__example-wrong-chunks.warc.gz": (1, 0, [(0, "split across gzip members", "error")]),
    "warcio__example.arc.gz": (2, 1, []),
}


@pytest.mark.parametrize("name", sorted(MALFORMED_CASES))
def test_malformed_sample_is_reported_record_by_record(tmp_path, name):
    sample = MALFORMED / name
    records, captures, expected = MALFORMED_CASES[name]
    (report,) = import_files(tmp_path, sample).files
    assert report.records == records
    assert report.captures == report.new_captures == captures
    found = [(p.offset, p.reason, p.severity) for p in report.problems]
    for offset, fragment, severity in expected:
        assert any(o == offset and fragment in r and s == severity for o, r, s in found), found
    for problem in report.problems:
        assert problem.location == report.file and 0 <= problem.offset < max(report.bytes, sample.stat().st_size)
    # everything readable was imported and resolves back to its record
    assert assert_rows_read_back(tmp_path) == captures


@pytest.mark.parametrize("sample", ["warcio__example.warc.gz", "warcio__example-iana.org-chunked.warc",
                                    "pywacz__example-collection.warc"])
def test_damaged_copies_never_break_the_import(tmp_path, sample):
    """Cut short, bytes flipped, garbage inserted: problems with offsets, never an exception,
    and every cataloged capture can be read back."""
    data = (SAMPLES / "good" / sample).read_bytes()
    rng = random.Random(sample)
    for n in range(24):
        damaged = bytearray(data)
        if n % 3 == 0:
            damaged = damaged[: rng.randrange(1, len(damaged))]
        elif n % 3 == 1:
            for _ in range(3):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        else:
            at = rng.randrange(len(damaged))
            damaged[at:at] = bytes(rng.randrange(256) for _ in range(50))
        path = tmp_path / f"{n}-{sample}"
        path.write_bytes(bytes(damaged))
        root = tmp_path / f"archive-{n}"
        (report,) = import_files(root, path).files
        assert report.records or report.problems
        assert all(0 <= p.offset <= max(report.bytes, len(damaged)) for p in report.problems)
        assert assert_rows_read_back(root) == report.new_captures


def test_whole_file_gzip_is_addressed_through_its_decompressed_stream(tmp_path):
    sample = MALFORMED / "warcio__example-bad-non-chunked.warc.gz"
    (report,) = import_files(tmp_path, sample).files
    assert report.file == f"{sample}#decompressed"
    assert report.records == fastwarc_count(sample) == 6


def test_whole_file_gzip_with_a_large_first_record(tmp_path):
    plain = tmp_path / "plain.warc"
    with open(plain, "wb") as out:
        writer = WARCWriter(out, gzip=False, warc_version="WARC/1.1")
        for n, size in enumerate((3_000_000, 1000)):
            writer.write_record(writer.create_warc_record(
                f"https://big.example/{n}", "resource", payload=io.BytesIO(b"x" * size),
                warc_content_type="text/plain"))
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    (report,) = import_files(tmp_path / "archive", whole).files
    assert report.file == f"{whole}#decompressed"
    assert report.records == 2 and report.errors == 0
    assert assert_rows_read_back(tmp_path / "archive") == 2


def test_repaired_target_uris_are_catalogued_repaired(tmp_path):
    import_files(tmp_path, MALFORMED / "warcio__example-wget-bad-target-uri.warc.gz",
                 MALFORMED / "warcio__example-space-in-target-uri.warc.gz")
    catalog = Catalog(tmp_path / "catalog.sqlite")
    urls = {row["url"] for row in catalog.captures()}
    catalog.close()
    assert "file:///example%20with%20spaces.png" in urls
    assert all(not u.startswith("<") for u in urls)


def test_wacz_members_are_read_inside_the_zip(tmp_path):
    wacz = SAMPLES / "wacz" / "pywacz__valid_example_2.wacz"
    (report,) = import_files(tmp_path, wacz).files
    assert report.file == f"{wacz}#archive/example-collection.warc"
    assert report.problems == [] and report.records == 4 and report.captures == 1
    catalog = Catalog(tmp_path / "catalog.sqlite")
    (row,) = catalog.captures()
    catalog.close()
    inside = read_record(Path(tmp_path, "warc", row["warc_file"]), row["warc_offset"], row["warc_length"])
    plain = read_record(SAMPLES / "good" / "pywacz__example-collection.warc", row["warc_offset"])
    assert inside.payload == plain.payload and inside.headers == plain.headers
    assert not list((tmp_path / "warc").iterdir())  # nothing extracted or copied


def test_gzipped_wacz_member(tmp_path):
    wacz = SAMPLES / "wacz" / "pywacz__invalid_signed_example_1.wacz"
    (report,) = import_files(tmp_path, wacz).files
    assert report.file.startswith(f"{wacz}#archive/") and report.file.endswith(".warc.gz")
    assert report.errors == 0 and report.captures == 2
    assert assert_rows_read_back(tmp_path) == 2


def test_reimport_adds_nothing(tmp_path):
    files = GOOD + [MALFORMED / "warcio__example.arc.gz", SAMPLES / "wacz" / "pywacz__valid_example_2.wacz"]
    first = import_files(tmp_path, *files)
    catalog = Catalog(tmp_path / "catalog.sqlite")
    counts = catalog.counts()
    catalog.close()
    indexes = {p.name: p.read_bytes() for p in (tmp_path / "indexes").iterdir()}
    second = import_files(tmp_path, *files)
    assert second.total("records") == first.total("records")
    assert second.total("new_captures") == 0 < first.total("new_captures")
    catalog = Catalog(tmp_path / "catalog.sqlite")
    assert catalog.counts() == counts
    catalog.close()
    assert {p.name: p.read_bytes() for p in (tmp_path / "indexes").iterdir()} == indexes


def test_cli_reports_every_problem_and_imports_the_rest(tmp_path):
    files = [str(MALFORMED), str(SAMPLES / "good" / "warcio__example.warc.gz")]  # a directory, a file
    proc = wirecopy("import", *files, "--archive", str(tmp_path / "a"), "--no-extract", "--json")
    assert proc.returncode == 1, proc.stderr  # errors were found
    summary = json.loads(proc.stdout)
    assert summary["imported"] == len(MALFORMED_CASES) + 1
    assert summary["errors"] >= len([c for c in MALFORMED_CASES.values() if any(s == "error" for *_, s in c[2])])
    assert summary["records"] == sum(f["records"] for f in summary["files"]) > 0
    problems = [p for f in summary["files"] for p in f["problems"]]
    assert all({"file", "offset", "reason", "severity", "skipped"} <= set(p) for p in problems)
    clean = next(f for f in summary["files"] if f["file"].endswith("good/warcio__example.warc.gz"))
    assert clean["errors"] == 0 and clean["captures"] == 2
    assert wirecopy("import", str(tmp_path / "missing.warc"), "--archive", str(tmp_path / "a")).returncode == 2


def write_warc11(path: Path) -> None:
    """A WARC/1.1 file as warcio writes it: microsecond dates, a revisit, a resource, a sitemap,
    a redirect and an error page, each body once uncompressed and once gzip-encoded."""
    def http(status: str, headers: list[tuple[str, str]]) -> StatusAndHeaders:
        return StatusAndHeaders(status, headers, protocol="HTTP/1.1")

    html = b"<html><head><title>t</title></head><body><p>Hello</p></body></html>"
    sitemap = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://news.example/a</loc></url></urlset>")
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "warcio"}))
        page = writer.create_warc_record(
            "https://news.example/", "response", payload=io.BytesIO(gzip.compress(html)),
            http_headers=http("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]))
        writer.write_record(page)
        writer.write_record(writer.create_revisit_record(
            "https://news.example/", page.rec_headers.get_header("WARC-Payload-Digest"),
            "https://news.example/", page.rec_headers.get_header("WARC-Date"),
            http_headers=http("200 OK", [("Content-Type", "text/html")])))
        writer.write_record(writer.create_warc_record(
            "https://news.example/sitemap", "response", payload=io.BytesIO(sitemap),
            http_headers=http("200 OK", [("Content-Type", "text/plain")])))
        writer.write_record(writer.create_warc_record(
            "https://news.example/old", "response", payload=io.BytesIO(b""),
            http_headers=http("301 Moved Permanently", [("Location", "https://news.example/")])))
        writer.write_record(writer.create_warc_record(
            "https://news.example/gone", "response", payload=io.BytesIO(html),
            http_headers=http("404 Not Found", [("Content-Type", "text/html")])))
        writer.write_record(writer.create_warc_record(
            "https://news.example/logo.png", "resource", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"),
            warc_content_type="image/png"))
        writer.write_record(writer.create_warc_record(
            "https://news.example/", "metadata", payload=io.BytesIO(b"outlinks: 3\r\n"),
            warc_content_type="application/warc-fields"))


def test_warc11_records_get_kinds_from_their_content(tmp_path):
    sample = tmp_path / "warc11.warc.gz"
    write_warc11(sample)
    (report,) = import_files(tmp_path / "archive", sample).files
    assert report.problems == [] and report.records == 8 == fastwarc_count(sample)
    catalog = Catalog(tmp_path / "archive" / "catalog.sqlite")
    rows = {(r["url"], r["kind"]): dict(r) for r in catalog.captures()}
    catalog.close()
    assert set(rows) == {("https://news.example/", "page"), ("https://news.example/", "revisit"),
                         ("https://news.example/sitemap", "sitemap"), ("https://news.example/old", "redirect"),
                         ("https://news.example/gone", "error"), ("https://news.example/logo.png", "other")}
    lines = list(read_index(tmp_path / "archive" / "indexes" / index_name(str(sample))))
    assert {d["mime"] for _, _, d in lines} == {"text/html", "warc/revisit", "text/plain", "unk", "image/png"}
    assert all(len(stamp) == 14 and stamp.startswith("20") for _, stamp, _ in lines)
    assert assert_rows_read_back(tmp_path / "archive") == 6


# -- articles and stories from an imported crawl of the demo web ------------------------
@pytest.fixture(scope="module")
def demo_warc(tmp_path_factory):
    """The demo web's home pages and articles fetched through warcio's capture_http, the way
    a third-party tool records them: WARC/1.0, gzip per record, some bodies gzip-encoded."""
    path = tmp_path_factory.mktemp("demo-warc") / "demo-capture.warc.gz"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with DemoWeb() as web, open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="WARC/1.0")
        with capture_http(writer):
            for n, url in enumerate(web.seeds + [a.url for a in web.articles]):
                headers = {"Accept-Encoding": "gzip"} if n % 2 else {}
                with opener.open(urllib.request.Request(url, headers=headers)) as response:
                    response.read()
        truth = {a.url: a for a in web.articles}
        seeds = list(web.seeds)
    return path, truth, seeds


def test_imported_demo_articles_link_into_stories(tmp_path, demo_warc):
    path, truth, seeds = demo_warc
    archive = tmp_path / "archive"
    original = sha256(path)
    proc = wirecopy("import", str(path), "--archive", str(archive), "--json", "--workers", "1", "-s", WIRE)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert summary["articles"] == len(truth)
    assert summary["captures"] == len(truth) + len(seeds) and summary["errors"] == 0

    catalog = Catalog(archive / "catalog.sqlite")
    kinds = {row["url"]: row["kind"] for row in catalog.captures()}
    articles = {row["url"]: dict(row) for row in catalog.articles()}
    catalog.close()
    assert {u for u, k in kinds.items() if k == "article"} == set(truth)
    # home pages, RSS/Atom feeds and sitemaps, told apart by their bodies (/feed/ has no .xml)
    assert {s: kinds[s] for s in seeds} == {
        s: "feed" if "feed" in s else "sitemap" if "sitemap" in s else "page" for s in seeds}
    for url, row in articles.items():  # the texts went into wirecopy's own WARC
        assert not row["conversion_file"].startswith("/")
        text = read_record(archive / "warc" / row["conversion_file"], row["conversion_offset"]).payload
        assert truth[url].paragraphs[0].split()[0] in text.decode("utf-8")

    stories = json.loads(wirecopy("stories", "--archive", str(archive), "--format", "json").stdout)
    assert len(stories) == 2
    for story in stories:
        names = {truth[c["url"]].story for c in story["captures"]}
        assert len(names) == 1
        assert len(story["captures"]) == sum(1 for a in truth.values() if a.story in names)
        assert truth[story["origin"]].relation == "origin"

    again = wirecopy("import", str(path), "--archive", str(archive), "--json", "--workers", "1", "-s", WIRE)
    assert again.returncode == 0, again.stderr[-3000:]
    repeat = json.loads(again.stdout)
    assert repeat["new_captures"] == 0 and repeat["articles"] == 0
    assert json.loads(wirecopy("stories", "--archive", str(archive), "--format", "json").stdout) == stories
    assert sha256(path) == original


def test_extraction_after_an_index_only_import(tmp_path, demo_warc):
    path, truth, _seeds = demo_warc
    first = import_files(tmp_path, path)
    assert first.total("articles") == 0 and first.total("new_captures") > len(truth)
    second = import_files(tmp_path, path, extract=True)
    assert second.total("new_captures") == 0 and second.total("articles") == len(truth)
    third = import_files(tmp_path, path, extract=True)
    assert third.total("articles") == 0
    catalog = Catalog(tmp_path / "catalog.sqlite")
    assert catalog.counts()["articles"] == len(truth)
    assert {r["url"] for r in catalog.captures() if r["kind"] == "article"} == set(truth)
    catalog.close()
