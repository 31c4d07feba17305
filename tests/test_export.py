"""``wirecopy export --wacz``: a real crawl packaged as WACZ, checked by py-wacz's validator
and by reading the ZIP back. pywb and ReplayWeb.page opening it: test_pywb.py,
test_replaywebpage.py."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import logging
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

import sites
from archive.store import Archive, ArchiveConfig
from archive.wacz import WACZ_VERSION, WaczError, export_wacz
from conftest import crawl_env, run_crawl
from tests.test_store import article
from tests.test_warc_writer import capture_pair

SETTINGS = ("STORIES_ENABLED=False", "WARC_MAX_SIZE=30000", "WARC_PREFIX=herald",
            "WIRECOPY_JOB=wacz-export")


def wirecopy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True,
                          text=True, env=crawl_env(), timeout=300)


def wacz_validate(path: Path) -> subprocess.CompletedProcess:
    """py-wacz's validator: ``wacz validate -f FILE`` (what the ``wacz`` script runs; ``python
    -m wacz`` would exit 0 even when validation fails)."""
    script = "import sys; from wacz.main import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", script, "validate", "-f", str(path)],
                          capture_output=True, text=True, env=crawl_env(), timeout=300)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def archive_index_lines(archive: Path) -> list[str]:
    lines: list[str] = []
    for cdxj in (archive / "indexes").glob("*.cdxj"):
        lines.extend(cdxj.read_text(encoding="utf-8").splitlines())
    return sorted(lines)


def catalog_articles(archive: Path) -> list[dict]:
    db = sqlite3.connect(archive / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    rows = [dict(r) for r in db.execute(
        "SELECT a.url, a.title, c.warc_date, c.warc_file, a.conversion_file, a.conversion_offset"
        " FROM articles a JOIN captures c ON c.id = a.capture_id ORDER BY c.id")]
    db.close()
    return rows


def read_pages(zf: zipfile.ZipFile) -> tuple[dict, list[dict]]:
    header, *pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()]
    return header, pages


@pytest.fixture(scope="module")
def herald(news_site, tmp_path_factory) -> Path:
    archive = tmp_path_factory.mktemp("wacz") / "herald-archive"
    result = run_crawl([news_site.url(p) for p in sites.SEEDS], archive, settings=SETTINGS)
    assert result.returncode == 0, result.stderr[-4000:]
    assert len(list((archive / "warc").glob("*.warc.gz"))) > 2, "the crawl should rotate files"
    return archive


@pytest.fixture(scope="module")
def exported(herald, tmp_path_factory) -> tuple[Path, dict]:
    """``wirecopy export --wacz`` run as a user runs it."""
    dest = tmp_path_factory.mktemp("export") / "herald.wacz"
    proc = wirecopy("export", "--wacz", str(dest), "--archive", str(herald), "--title", "Harbour Herald",
                    "--json")
    assert proc.returncode == 0, proc.stderr
    return dest, json.loads(proc.stdout)


# --------------------------------------------------------------------------------------
# The WACZ
# --------------------------------------------------------------------------------------


def test_py_wacz_validates_the_export(exported):
    dest, summary = exported
    proc = wacz_validate(dest)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Validation succeeded, the passed WACZ is valid" in proc.stdout
    assert f"Version detected as {WACZ_VERSION}" in proc.stdout


def test_the_validator_is_not_a_rubber_stamp(exported, tmp_path):
    """The same package with one letter of pages.jsonl changed must fail validation."""
    dest, _ = exported
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(dest) as src, zipfile.ZipFile(tampered, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace(b'"title": "', b'"title": "X', 1)
            out.writestr(info, data)
    proc = wacz_validate(tampered)
    assert proc.returncode == 1 and "Validation failed" in proc.stdout


def test_the_warc_files_inside_are_the_archive_s_byte_for_byte(herald, exported):
    dest, summary = exported
    closed = sorted((herald / "warc").glob("*.warc.gz"))
    assert summary["warc_files"] == [p.name for p in closed]
    assert summary["skipped_open"] == [] and summary["missing"] == [] and summary["indexed_here"] == []
    with zipfile.ZipFile(dest) as zf:
        assert sorted(zf.namelist()) == sorted(
            [f"archive/{p.name}" for p in closed]
            + ["indexes/index.cdx.gz", "indexes/index.idx", "pages/pages.jsonl",
               "datapackage.json", "datapackage-digest.json"])
        for path in closed:
            info = zf.getinfo(f"archive/{path.name}")
            assert info.compress_type == zipfile.ZIP_STORED, "WARCs are stored, not re-compressed"
            assert zf.read(info) == path.read_bytes()
        assert zf.getinfo("indexes/index.cdx.gz").compress_type == zipfile.ZIP_STORED


def test_datapackage_lists_every_file_with_its_hash_and_size(exported):
    dest, _ = exported
    with zipfile.ZipFile(dest) as zf:
        package_bytes = zf.read("datapackage.json")
        package = json.loads(package_bytes)
        digest = json.loads(zf.read("datapackage-digest.json"))
        members = {n: zf.read(n) for n in zf.namelist() if not n.startswith("datapackage")}
    assert package["profile"] == "data-package" and package["wacz_version"] == "1.1.1"
    assert package["title"] == "Harbour Herald" and package["software"].startswith("wirecopy")
    assert package["created"].endswith("Z") and len(package["created"]) == 20
    assert sorted(r["path"] for r in package["resources"]) == sorted(members)
    for resource in package["resources"]:
        data = members[resource["path"]]
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert digest == {"path": "datapackage.json",
                      "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}


def test_the_index_is_the_archive_s_cdxj_merged_in_zipnum_blocks(herald, exported):
    dest, summary = exported
    with zipfile.ZipFile(dest) as zf:
        cdx = zf.read("indexes/index.cdx.gz")
        idx = zf.read("indexes/index.idx").decode().splitlines()
        warcs = {n[len("archive/"):]: zf.read(n) for n in zf.namelist() if n.startswith("archive/")}
    lines = gzip.decompress(cdx).decode().splitlines()
    assert lines == archive_index_lines(herald) and summary["captures"] == len(lines)
    assert idx[0] == '!meta 0 {"format": "cdxj-gzip-1.0", "filename": "index.cdx.gz"}'
    for entry in idx[1:]:
        prefix, block = entry.split(" {", 1)
        block = json.loads("{" + block)
        member = cdx[block["offset"]:block["offset"] + block["length"]]
        assert block["digest"] == "sha256:" + hashlib.sha256(member).hexdigest()
        assert gzip.decompress(member).decode().startswith(prefix + " {")
    for line in lines:  # every line finds its record inside the WACZ
        key, stamp, fields = line.split(" ", 2)
        fields = json.loads(fields)
        data = warcs[fields["filename"]]
        start = int(fields["offset"])
        record = next(iter(ArchiveIterator(io.BytesIO(data[start:start + int(fields["length"])]))))
        assert record.rec_headers.get_header("WARC-Target-URI") == fields["url"]
        assert record.rec_headers.get_header("WARC-Date").replace("-", "").replace(":", "").replace(
            "T", "").startswith(stamp)


def test_pages_list_exactly_the_archived_articles(herald, news_site, exported):
    dest, summary = exported
    with zipfile.ZipFile(dest) as zf:
        header, pages = read_pages(zf)
    assert header == {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}
    articles = catalog_articles(herald)
    assert len(pages) == len(articles) == len(sites.ARTICLES) == summary["pages"]
    assert sorted(p["url"] for p in pages) == sorted(news_site.url(a.path) for a in sites.ARTICLES)
    assert [(p["url"], p["ts"], p["title"]) for p in pages] == [
        (a["url"], a["warc_date"], a["title"]) for a in articles]
    assert len({p["id"] for p in pages}) == len(pages)
    by_url = {news_site.url(a.path): a for a in sites.ARTICLES}
    for page in pages:
        spec = by_url[page["url"]]
        assert page["title"] == spec.title
        assert spec.key in page["text"], "the page carries the extracted article text"


def test_export_without_text_and_without_a_catalog(herald, exported, tmp_path):
    """The catalog is derived data: pages then come from the WARC conversion/metadata records."""
    dest, _ = exported
    copy = tmp_path / "copy"
    shutil.copytree(herald, copy)
    for path in copy.glob("catalog.sqlite*"):
        path.unlink()
    report = export_wacz(copy, tmp_path / "from-warcs.wacz", title="Harbour Herald")
    no_text = export_wacz(herald, tmp_path / "no-text.wacz", with_text=False)
    with zipfile.ZipFile(dest) as a, zipfile.ZipFile(report.path) as b, zipfile.ZipFile(no_text.path) as c:
        assert read_pages(b) == read_pages(a)
        assert b.read("indexes/index.cdx.gz") == a.read("indexes/index.cdx.gz")
        header, pages = read_pages(c)
        assert "hasText" not in header and all("text" not in p for p in pages)
        assert [p["url"] for p in pages] == [p["url"] for p in read_pages(a)[1]]
    assert wacz_validate(report.path).returncode == 0


def test_a_file_still_being_written_is_skipped_and_left_alone(herald, tmp_path, caplog):
    copy = tmp_path / "live"
    shutil.copytree(herald, copy)
    crawling = Archive(copy, ArchiveConfig(host="live", prefix="live"))
    ref = crawling.write_capture(*capture_pair(crawling.factory))
    crawling.write_article(ref, article(ref.url))
    (open_file,) = (copy / "warc").glob("*.warc.gz.open")
    before = (open_file.read_bytes(), open_file.stat().st_mtime_ns)
    try:
        with caplog.at_level(logging.WARNING, logger="archive.wacz"):
            report = export_wacz(copy, tmp_path / "during.wacz")
        assert report.skipped_open == [open_file.name]
        assert f"Skipping {open_file.name}" in caplog.text
        assert (open_file.read_bytes(), open_file.stat().st_mtime_ns) == before
        with zipfile.ZipFile(report.path) as zf:
            assert not any(n.startswith("archive/live-") for n in zf.namelist())
            assert ref.url not in [p["url"] for p in read_pages(zf)[1]]
            assert b"example.com" not in gzip.decompress(zf.read("indexes/index.cdx.gz"))
    finally:
        crawling.close()
    after = export_wacz(copy, tmp_path / "after.wacz")  # closed now: in the next export
    assert after.skipped_open == [] and after.pages == report.pages + 1
    assert after.captures == report.captures + 1
    assert wacz_validate(after.path).returncode == 0


def test_imported_warc_files_outside_the_archive_are_packaged_and_indexed(herald, tmp_path):
    """The catalog records imported captures by absolute path; such a file has no CDXJ in the
    archive, and here it even shares its name with one of the archive's own files."""
    copy = tmp_path / "with-import"
    shutil.copytree(herald, copy)
    elsewhere = Archive(tmp_path / "elsewhere", ArchiveConfig(host="other"))
    ref = elsewhere.write_capture(*capture_pair(elsewhere.factory))
    elsewhere.write_article(ref, article(ref.url))
    elsewhere.close()
    (made,) = (tmp_path / "elsewhere" / "warc").glob("*.warc.gz")
    clash = sorted((copy / "warc").glob("*.warc.gz"))[0].name
    imported = tmp_path / "imports" / clash
    imported.parent.mkdir()
    made.rename(imported)
    src = sqlite3.connect(tmp_path / "elsewhere" / "catalog.sqlite")
    dst = sqlite3.connect(copy / "catalog.sqlite")
    (capture,) = src.execute("SELECT * FROM captures").fetchall()
    (art,) = src.execute("SELECT * FROM articles").fetchall()
    names = [d[0] for d in src.execute("SELECT * FROM captures").description][1:]
    values = dict(zip(names, capture[1:]), warc_file=str(imported))
    capture_id = dst.execute(f"INSERT INTO captures ({', '.join(values)}) VALUES"
                             f" ({', '.join('?' * len(values))})", tuple(values.values())).lastrowid
    art_names = [d[0] for d in src.execute("SELECT * FROM articles").description]
    art_values = dict(zip(art_names, art), capture_id=capture_id, conversion_file=str(imported),
                      metadata_file=str(imported))
    dst.execute(f"INSERT INTO articles ({', '.join(art_values)}) VALUES ({', '.join('?' * len(art_values))})",
                tuple(art_values.values()))
    dst.commit()
    dst.close()
    src.close()

    report = export_wacz(copy, tmp_path / "with-import.wacz")
    (renamed,) = report.indexed_here
    assert renamed.endswith("-" + clash) and renamed in report.warc_files and clash in report.warc_files
    with zipfile.ZipFile(report.path) as zf:
        assert zf.read(f"archive/{renamed}") == imported.read_bytes()
        assert zf.read(f"archive/{clash}") == (copy / "warc" / clash).read_bytes()
        lines = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
        pages = read_pages(zf)[1]
    (line,) = [json.loads(line.split(" ", 2)[2]) for line in lines if "example.com" in line]
    assert line["filename"] == renamed and int(line["offset"]) == values["warc_offset"]
    assert len(lines) == len(archive_index_lines(herald)) + 1
    (page,) = [p for p in pages if p["url"] == ref.url]
    assert page["text"] == article(ref.url).text and page["title"] == "Deal"
    assert wacz_validate(report.path).returncode == 0


def test_an_unreadable_article_text_is_reported_not_fatal(herald, tmp_path, caplog):
    copy = tmp_path / "damaged-catalog"
    shutil.copytree(herald, copy)
    db = sqlite3.connect(copy / "catalog.sqlite")
    (url,) = db.execute("SELECT url FROM articles ORDER BY capture_id LIMIT 1").fetchone()
    db.execute("UPDATE articles SET conversion_offset = conversion_offset + 7 WHERE url = ?", (url,))
    db.commit()
    db.close()
    with caplog.at_level(logging.WARNING, logger="archive.wacz"):
        report = export_wacz(copy, tmp_path / "damaged.wacz")
    # read 7 bytes in, the record is either unreadable or, resynchronised, another record
    assert report.texts_missing == 1
    assert re.search(rf"Article {re.escape(url)}: (unreadable|no) conversion record at .*; listed without text",
                     caplog.text)
    with zipfile.ZipFile(report.path) as zf:
        pages = {p["url"]: p for p in read_pages(zf)[1]}
    assert len(pages) == len(sites.ARTICLES) and "text" not in pages[url]
    assert sum("text" in p for p in pages.values()) == len(pages) - 1
    assert wacz_validate(report.path).returncode == 0


def test_indexing_during_export_sorts_in_runs_on_disk(herald, tmp_path):
    from archive.index.cdxj import index_warc
    from archive.wacz.index import index_sorted

    biggest = max((herald / "warc").glob("*.warc.gz"), key=lambda p: len(index_warc(p)))
    assert len(index_warc(biggest)) > 6
    assert list(index_sorted(biggest, tmp_path, run_lines=3)) == sorted(index_warc(biggest))
    assert list(tmp_path.iterdir()) == [], "the sorted runs are removed"


def test_small_blocks_make_a_multi_block_index(herald, tmp_path):
    report = export_wacz(herald, tmp_path / "blocks.wacz", block_lines=4)
    with zipfile.ZipFile(report.path) as zf:
        idx = zf.read("indexes/index.idx").decode().splitlines()
        lines = gzip.decompress(zf.read("indexes/index.cdx.gz")).decode().splitlines()
    assert len(idx) - 1 == -(-len(lines) // 4) > 3
    assert lines == archive_index_lines(herald)
    assert wacz_validate(report.path).returncode == 0


def test_bad_archives_get_a_clear_message(tmp_path):
    proc = wirecopy("export", "--wacz", str(tmp_path / "x.wacz"), "--archive", str(tmp_path / "nothing"))
    assert proc.returncode == 1 and "is not an archive directory" in proc.stderr
    proc = wirecopy("export", "--wacz", str(tmp_path / "x.zip"), "--archive", str(tmp_path / "nothing"))
    assert proc.returncode == 1 and "must end in .wacz" in proc.stderr
    (tmp_path / "empty" / "warc").mkdir(parents=True)
    with pytest.raises(WaczError, match="no closed WARC file"):
        export_wacz(tmp_path / "empty", tmp_path / "x.wacz")
    assert not list(tmp_path.glob("*.wacz*")), "no partial output is left behind"
