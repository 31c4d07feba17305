"""``wirecopy export --wacz`` of an archive holding imported files: WARC members of WACZ files
(ours and py-wacz's) and WARCs gzipped as one whole-file member, imported by ``wirecopy import``
and packaged with every capture indexed, readable and digest-checked inside the new WACZ."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import sqlite3
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator

import sites
from archive.importer import Importer, ImportOptions
from archive.wacz import export_wacz
from conftest import run_crawl
from tests.test_export import SETTINGS, read_pages, sha256_file, wacz_validate, wirecopy
from tests.test_pywb import Pywb, decoded, pywb_python
from tests.test_replaywebpage import replay, rwp_dir, viewer_site  # noqa: F401 - serves this module's export

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "warc-samples"
THIRD_PARTY_WACZ = SAMPLES / "wacz" / "pywacz__invalid_signed_example_1.wacz"  # a .warc.gz member
GARBAGE = b"\x00garbage, not a record\r\n" * 10


def gzip_members(data: bytes) -> list[bytes]:
    """The decompressed content of each gzip member of ``data``."""
    members = []
    while data:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        members.append(inflater.decompress(data) + inflater.flush())
        assert inflater.eof, "a complete gzip member"
        data = inflater.unused_data
    return members


def records_checked(data: bytes) -> list[str]:
    """Record ids of a WARC, read by warcio (digests raise) and by FastWARC (digests verified)."""
    ids = [r.rec_headers.get_header("WARC-Record-ID")
           for r in ArchiveIterator(io.BytesIO(data), check_digests="raise")]
    fast = []
    for record in FastIterator(io.BytesIO(data), parse_http=False):
        if "WARC-Block-Digest" in record.headers:
            assert record.verify_block_digest(), record.record_id
        fast.append(record.record_id)
    assert fast == ids
    return ids


def record_at(data: bytes, offset: int, length: int):
    """The one record ``data[offset:offset+length]`` holds, read by warcio with digests checked."""
    records = []
    for record in ArchiveIterator(io.BytesIO(data[offset:offset + length]), check_digests="raise"):
        records.append((record.rec_headers.get_header("WARC-Record-ID"),
                        record.rec_headers.get_header("WARC-Target-URI"), record.raw_stream.read()))
    assert len(records) == 1, f"one record at {offset}+{length}"
    return records[0]


def record_ids(path: Path, rec_type: str, header: str) -> set[str]:
    with open(path, "rb") as f:
        return {r.rec_headers.get_header(header) for r in ArchiveIterator(f) if r.rec_type == rec_type}


def article_responses(path: Path, texts: set[str]) -> int:
    """Responses of a WARC file that have a text (``texts``: what conversion records refer to,
    in any file of the crawl: extraction runs apart, so a text may land in a later file)."""
    return len(record_ids(path, "response", "WARC-Record-ID") & texts)


def catalog_rows(root: Path, sql: str) -> list[dict]:
    db = sqlite3.connect(root / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute(sql)]
    db.close()
    return rows


@pytest.fixture(scope="module")
def originals(news_site, tmp_path_factory) -> dict[str, Path]:
    """Files from elsewhere: a WACZ of a crawl made by our exporter, one of the crawl's WARC
    files gzipped as a whole, py-wacz's sample WACZ, and a whole-file gzip with damage."""
    crawled = tmp_path_factory.mktemp("crawled") / "herald-archive"
    # texts written as each page is extracted (no site profile holding a new site's first
    # articles back), so a file holds articles whose response and text are both in it
    result = run_crawl([news_site.url(p) for p in sites.SEEDS], crawled,
                       settings=SETTINGS + ("EXTRACT_SITE_PROFILES=False",))
    assert result.returncode == 0, result.stderr[-4000:]
    base = tmp_path_factory.mktemp("originals")
    export_wacz(crawled, base / "herald.wacz", title="Harbour Herald")
    # the file with the most article responses goes in whole, so articles come from both kinds
    # of location (their texts may be in later files: they are linked all the same)
    warcs = list((crawled / "warc").glob("*.warc.gz"))
    texts = set().union(*(record_ids(w, "conversion", "WARC-Refers-To") for w in warcs))
    warcs.sort(key=lambda w: article_responses(w, texts))
    whole = base / "herald-whole.warc.gz"
    whole.write_bytes(gzip.compress(gzip.decompress(warcs[-1].read_bytes())))
    plain_a = gzip.decompress((SAMPLES / "good" / "pywacz__example-collection.warc").read_bytes())
    plain_b = (SAMPLES / "good" / "warcio__example-iana.org-chunked.warc").read_bytes()
    damaged = base / "damaged-whole.warc.gz"
    damaged.write_bytes(gzip.compress(plain_a + GARBAGE + plain_b))
    return {"herald.wacz": base / "herald.wacz", "whole": whole, "damaged": damaged,
            "third-party.wacz": THIRD_PARTY_WACZ}


@pytest.fixture(scope="module")
def imported(originals, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """An archive of imports only. The whole-file gzip goes first: the WACZ holds the same
    records, and the importer catalogs a record under the first location that has it."""
    root = tmp_path_factory.mktemp("imports") / "archive"
    fingerprints = {name: sha256_file(path) for name, path in originals.items()}
    order = ("whole", "herald.wacz", "third-party.wacz", "damaged")
    with Importer(root, ImportOptions(extract=True, stories=False, workers=1)) as importer:
        summary = importer.import_paths([originals[name] for name in order])
    locations = [report.file for report in summary.files]
    assert f"{originals['whole']}#decompressed" in locations
    assert f"{originals['damaged']}#decompressed" in locations
    assert sum(f"{originals['herald.wacz']}#archive/" in loc for loc in locations) > 2
    return root, fingerprints


@pytest.fixture(scope="module")
def exported(imported, tmp_path_factory) -> tuple[Path, dict]:
    root, _ = imported
    dest = tmp_path_factory.mktemp("export") / "imports.wacz"
    proc = wirecopy("export", "--wacz", str(dest), "--archive", str(root), "--json")
    assert proc.returncode == 0, proc.stderr
    return dest, json.loads(proc.stdout)


def test_py_wacz_validates_the_export_of_imports(exported):
    dest, _ = exported
    proc = wacz_validate(dest)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Validation succeeded, the passed WACZ is valid" in proc.stdout


def test_every_located_file_is_exported_and_none_missing(imported, exported, originals):
    root, _ = imported
    dest, summary = exported
    assert summary["missing"] == [] and summary["skipped_open"] == [] and summary["indexed_here"] == []
    cataloged = {r["warc_file"] for r in catalog_rows(root, "SELECT DISTINCT warc_file FROM captures")}
    reframed = {r["location"]: r["name"] for r in summary["reframed"]}
    assert set(reframed) == {f"{originals['whole']}#decompressed", f"{originals['damaged']}#decompressed"}
    assert reframed[f"{originals['whole']}#decompressed"] == "herald-whole.per-record.warc.gz"
    members = {loc for loc in cataloged if ".wacz#" in loc}
    assert cataloged == set(reframed) | members
    own = sorted(p.name for p in (root / "warc").glob("*.warc.gz"))  # the extracted texts
    assert own and set(own) <= set(summary["warc_files"])
    assert len(summary["warc_files"]) == len(cataloged) + len(own) == len(set(summary["warc_files"]))
    with zipfile.ZipFile(dest) as zf:
        for info in zf.infolist():
            if info.filename.startswith("archive/"):
                assert info.compress_type == zipfile.ZIP_STORED, info.filename


def test_wacz_members_are_copied_byte_for_byte(imported, exported):
    root, _ = imported
    dest, summary = exported
    members = sorted({r["warc_file"] for r in catalog_rows(root, "SELECT warc_file FROM captures")
                      if ".wacz#" in r["warc_file"]})
    names = [n for n in summary["warc_files"] if not n.endswith(".per-record.warc.gz")]
    with zipfile.ZipFile(dest) as out:
        for location in members:
            path, member = location.split("#")
            with zipfile.ZipFile(path) as original:
                data = original.read(member)
            (name,) = [n for n in names if n.endswith(Path(member).name)]
            assert out.read(f"archive/{name}") == data
            records_checked(data)


def test_whole_file_gzip_is_re_framed_one_record_per_member(originals, exported):
    dest, summary = exported
    with zipfile.ZipFile(dest) as zf:
        data = zf.read("archive/herald-whole.per-record.warc.gz")
        damaged = zf.read("archive/damaged-whole.per-record.warc.gz")
    original = gzip.decompress(originals["whole"].read_bytes())
    members = gzip_members(data)
    assert b"".join(members) == original, "the records, byte for byte, in order"
    ids = records_checked(data)
    assert len(ids) == len(members) > 3
    for member in members:  # exactly one record in each gzip member
        assert len(list(ArchiveIterator(io.BytesIO(member)))) == 1
    (whole,) = [r for r in summary["reframed"] if r["name"] == "herald-whole.per-record.warc.gz"]
    assert whole == {"location": f"{originals['whole']}#decompressed", "name": whole["name"],
                     "records": len(members), "bytes_left_out": 0, "lines_dropped": 0}

    # damage: the unreadable bytes between two records are left out, and counted
    (report,) = [r for r in summary["reframed"] if r["name"] == "damaged-whole.per-record.warc.gz"]
    assert report["bytes_left_out"] == len(GARBAGE) and report["lines_dropped"] == 0
    assert b"".join(gzip_members(damaged)) == gzip.decompress(
        originals["damaged"].read_bytes()).replace(GARBAGE, b"")
    assert len(records_checked(damaged)) == report["records"] == 7


def test_every_imported_capture_is_indexed_at_its_record(imported, exported):
    root, _ = imported
    dest, summary = exported
    with zipfile.ZipFile(dest) as zf:
        warcs = {n[len("archive/"):]: zf.read(n) for n in zf.namelist() if n.startswith("archive/")}
        lines = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
    assert lines == sorted(lines) and len(lines) == summary["captures"]
    indexed: dict[str, tuple[str, dict]] = {}
    for line in lines:
        _key, stamp, fields = line.split(" ", 2)
        fields = json.loads(fields)
        record_id, url, _ = record_at(warcs[fields["filename"]], int(fields["offset"]), int(fields["length"]))
        assert url == fields["url"]
        indexed[record_id] = (stamp, fields)
    rows = catalog_rows(root, "SELECT * FROM captures WHERE warc_file LIKE '/%'")
    assert len(rows) == len(indexed) == len(lines) > 10
    for row in rows:
        stamp, fields = indexed[row["record_id"]]
        assert (stamp, fields["url"]) == (row["timestamp"], row["url"])
        if ".wacz#" in row["warc_file"]:  # the member's own offsets
            assert (int(fields["offset"]), int(fields["length"])) == (row["warc_offset"], row["warc_length"])
        else:  # re-framed: the gzip member holds exactly the record's bytes from the original
            member = warcs[fields["filename"]][int(fields["offset"]):int(fields["offset"]) + int(fields["length"])]
            (content,) = gzip_members(member)
            assert len(content) == row["warc_length"]


def test_pages_list_the_articles_of_every_location(imported, exported, news_site):
    root, _ = imported
    dest, summary = exported
    with zipfile.ZipFile(dest) as zf:
        _header, pages = read_pages(zf)
    articles = catalog_rows(root, "SELECT a.url, c.warc_file FROM articles a JOIN captures c"
                                  " ON c.id = a.capture_id")
    # the herald's articles, and maybe a third-party sample page taken for one (when in doubt,
    # a page is extracted)
    herald = {a["url"] for a in articles if a["url"].startswith(news_site.url("/"))}
    assert herald == {news_site.url(a.path) for a in sites.ARTICLES}
    assert any(a["warc_file"].endswith("#decompressed") for a in articles)
    assert any(".wacz#" in a["warc_file"] for a in articles)
    assert sorted(p["url"] for p in pages) == sorted(a["url"] for a in articles)
    assert summary["pages"] == len(pages) and all(p.get("text") for p in pages)


def test_pywb_replays_the_articles_of_every_location(imported, exported, news_site, tmp_path):
    """pywb opens the export (``wb-manager add --unpack-wacz``, which uses the WACZ's index)
    and serves each article from the member or the re-framed file it was imported from."""
    python = pywb_python()
    root, _ = imported
    dest, _ = exported
    (tmp_path / "config.yaml").write_text("collections: {}\n", encoding="utf-8")
    wb_manager = python.with_name("wb-manager")
    for args in (["init", "imports"], ["add", "--unpack-wacz", "imports", str(dest)]):
        proc = subprocess.run([str(wb_manager), *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr
    rows = [row for row in catalog_rows(root, "SELECT c.url, c.timestamp, c.warc_file FROM articles a"
                                              " JOIN captures c ON c.id = a.capture_id")
            if row["url"].startswith(news_site.url("/"))]  # the herald's: their payloads are known
    assert {row["warc_file"].endswith("#decompressed") for row in rows} == {True, False}
    server = Pywb(python, tmp_path)
    try:
        for row in rows:
            route = news_site.routes[row["url"][len(news_site.base_url):]]
            status, headers, body = server.get(f"/imports/{row['timestamp']}id_/{row['url']}")
            assert status == 200, (row, body[:300])
            assert headers.get("Memento-Datetime"), "pywb answered from the archive"
            served = (gzip.decompress(route.payload) if ("Content-Encoding", "gzip") in route.headers
                      else route.payload)
            assert decoded(headers, body) == served, row
    finally:
        server.stop()


def test_replaywebpage_replays_imported_articles(viewer_site, imported, news_site):  # noqa: F811
    """ReplayWeb.page, reading the export with byte ranges, replays an article from a WACZ
    member and one from a re-framed whole-file gzip."""
    root, _ = imported
    rows = catalog_rows(root, "SELECT c.url, c.warc_date, c.warc_file FROM articles a"
                              " JOIN captures c ON c.id = a.capture_id ORDER BY c.id")
    reframed = next(r for r in rows if r["warc_file"].endswith("#decompressed"))
    member = next(r for r in rows if ".wacz#" in r["warc_file"])
    for n, row in enumerate((reframed, member)):
        spec = sites.BY_PATH[row["url"][len(news_site.base_url):]]
        result = replay(viewer_site, f"imported-{n}.html", f'url="{row["url"]}" embed="replayonly"', spec.key)
        assert result["found"], f"the article never rendered; frames: {result['frames']}; log: {result['log']}"
        stamp = "".join(c for c in row["warc_date"] if c.isdigit())[:14]
        assert f"/{stamp}mp_/{row['url']}" in result["found"], "replayed from the archive at its capture time"
        assert spec.title in result["text"]


def test_summary_names_what_was_re_framed(imported, tmp_path):
    root, _ = imported
    proc = wirecopy("export", "--wacz", str(tmp_path / "again.wacz"), "--archive", str(root))
    assert proc.returncode == 0, proc.stderr
    assert "re-framed (gzipped as one whole file; records unchanged, one gzip member each):" in proc.stdout
    assert "-> archive/herald-whole.per-record.warc.gz" in proc.stdout
    assert f"{len(GARBAGE)} unreadable bytes left out" in proc.stdout


def test_a_deflated_wacz_member_is_stored_in_the_export(tmp_path):
    source = SAMPLES / "wacz" / "pywacz__valid_example_2.wacz"
    deflated = tmp_path / "deflated.wacz"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
        warc = src.read("archive/example-collection.warc")
    with Importer(tmp_path / "archive", ImportOptions(extract=False, stories=False, workers=1)) as importer:
        (report,) = importer.import_paths([deflated]).files
    assert report.file == f"{deflated}#archive/example-collection.warc" and report.captures == 1
    result = export_wacz(tmp_path / "archive", tmp_path / "out.wacz")
    assert result.warc_files == ["example-collection.warc"] and result.captures == 1
    with zipfile.ZipFile(result.path) as zf:
        info = zf.getinfo("archive/example-collection.warc")
        assert info.compress_type == zipfile.ZIP_STORED and zf.read(info) == warc
        (line,) = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
    fields = json.loads(line.split(" ", 2)[2])
    record_at(warc, int(fields["offset"]), int(fields["length"]))
    assert wacz_validate(result.path).returncode == 0


def test_a_vanished_wacz_is_reported_missing(tmp_path):
    copy = tmp_path / "gone.wacz"
    copy.write_bytes(THIRD_PARTY_WACZ.read_bytes())
    with Importer(tmp_path / "archive", ImportOptions(extract=False, stories=False, workers=1)) as importer:
        (report,) = importer.import_paths([copy]).files
    sample = SAMPLES / "good" / "warcio__example.warc.gz"
    with Importer(tmp_path / "archive", ImportOptions(extract=False, stories=False, workers=1)) as importer:
        importer.import_paths([sample])
    copy.unlink()
    proc = wirecopy("export", "--wacz", str(tmp_path / "out.wacz"), "--archive", str(tmp_path / "archive"))
    assert proc.returncode == 0, proc.stderr
    assert f"missing (referred to by the catalog): {report.file}" in proc.stdout
    assert "1 WARC files" in proc.stdout


def test_the_originals_are_unchanged(imported, exported, originals):
    _, fingerprints = imported
    assert {name: sha256_file(path) for name, path in originals.items()} == fingerprints
    assert hashlib.sha256(THIRD_PARTY_WACZ.read_bytes()).hexdigest() == fingerprints["third-party.wacz"]


def test_a_whole_file_gzip_cut_short_is_exported_up_to_the_cut(tmp_path):
    """An interrupted transfer: the records before the cut are exported whole, the one it cuts
    is kept as far as it goes (the catalog marks it truncated), nothing raises."""
    plain = (gzip.decompress((SAMPLES / "good" / "pywacz__example-collection.warc").read_bytes())
             + (SAMPLES / "good" / "warcio__example-iana.org-chunked.warc").read_bytes())
    full = gzip.compress(plain)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(full[:-300])
    readable = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(cut.read_bytes())
    assert 0 < len(readable) < len(plain)
    with Importer(tmp_path / "archive", ImportOptions(extract=False, stories=False, workers=1)) as importer:
        (report,) = importer.import_paths([cut]).files
    assert report.file == f"{cut}#decompressed" and report.captures == 2
    result = export_wacz(tmp_path / "archive", tmp_path / "out.wacz")
    (reframed,) = result.reframed
    assert (reframed.records, reframed.bytes_left_out, reframed.lines_dropped) == (report.records, 0, 0)
    with zipfile.ZipFile(result.path) as zf:
        data = zf.read(f"archive/{reframed.name}")
        lines = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
    members = gzip_members(data)
    assert b"".join(members) == readable and len(members) == report.records
    whole_records = b"".join(gzip.compress(m) for m in members[:-1])
    assert len(records_checked(whole_records)) == report.records - 1
    assert len(lines) == result.captures == 2
    truncated = catalog_rows(tmp_path / "archive", "SELECT url, truncated FROM captures WHERE truncated IS NOT NULL")
    assert [row["truncated"] for row in truncated] == ["length"]
    for line in lines:
        fields = json.loads(line.split(" ", 2)[2])
        start, length = int(fields["offset"]), int(fields["length"])
        (content,) = gzip_members(data[start:start + length])
        assert content in members
        if fields["url"] != truncated[0]["url"]:
            record_at(data, start, length)
    assert wacz_validate(result.path).returncode == 0
    assert cut.read_bytes() == full[:-300]


def test_imports_whose_index_is_lost_are_indexed_during_the_export(tmp_path):
    whole = tmp_path / "iana-whole.warc.gz"
    whole.write_bytes(gzip.compress((SAMPLES / "good" / "warcio__example-iana.org-chunked.warc").read_bytes()))
    with Importer(tmp_path / "archive", ImportOptions(extract=False, stories=False, workers=1)) as importer:
        reports = importer.import_paths([whole, THIRD_PARTY_WACZ]).files
    for index in (tmp_path / "archive" / "indexes").glob("imported-*.cdxj"):
        index.unlink()
    result = export_wacz(tmp_path / "archive", tmp_path / "out.wacz")
    assert sorted(result.indexed_here) == sorted(result.warc_files) and len(result.warc_files) == 2
    assert result.captures == sum(r.captures for r in reports) == 3
    with zipfile.ZipFile(result.path) as zf:
        warcs = {n[len("archive/"):]: zf.read(n) for n in zf.namelist() if n.startswith("archive/")}
        lines = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
    ids = {r["record_id"] for r in catalog_rows(tmp_path / "archive", "SELECT record_id FROM captures")}
    found = set()
    for line in lines:
        fields = json.loads(line.split(" ", 2)[2])
        record_id, url, _ = record_at(warcs[fields["filename"]], int(fields["offset"]), int(fields["length"]))
        assert url == fields["url"]
        found.add(record_id)
    assert found == ids
    assert wacz_validate(result.path).returncode == 0


def test_a_gzip_of_several_members_each_of_several_records_is_re_framed(tmp_path):
    """``cat a.warc.gz b.warc.gz`` of two whole-file gzips: still not seekable per record."""
    plain_a = gzip.decompress((SAMPLES / "good" / "pywacz__example-collection.warc").read_bytes())
    plain_b = (SAMPLES / "good" / "warcio__example-iana.org-chunked.warc").read_bytes()
    joined = tmp_path / "joined.warc.gz"
    joined.write_bytes(gzip.compress(plain_a) + gzip.compress(plain_b))
    with Importer(tmp_path / "archive", ImportOptions(extract=False, stories=False, workers=1)) as importer:
        (report,) = importer.import_paths([joined]).files
    assert report.file == f"{joined}#decompressed" and report.problems == []
    result = export_wacz(tmp_path / "archive", tmp_path / "out.wacz")
    (reframed,) = result.reframed
    with zipfile.ZipFile(result.path) as zf:
        members = gzip_members(zf.read(f"archive/{reframed.name}"))
    assert b"".join(members) == plain_a + plain_b
    assert len(members) == reframed.records == report.records == 7 and reframed.bytes_left_out == 0
    assert wacz_validate(result.path).returncode == 0
