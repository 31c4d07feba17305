"""One writer per archive, end to end: a second crawl or an import started while a crawl
writes the archive refuses (or waits, with ``--wait``) and the crawl's files stay intact."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import CRAWL_TIMEOUT, crawl_command, crawl_env
from gated_site import ARTICLES, finish, open_files
from gated_site import start_crawl as start_gated_crawl

pytestmark = pytest.mark.slow

EXIT_LOCKED = 75
NO_STORIES = ("STORIES_ENABLED=False",)


def start_crawl(site, archive: Path, log: Path) -> subprocess.Popen:
    return start_gated_crawl(site, archive, log, NO_STORIES)


def assert_archive_consistent(archive: Path, expected_pages: int) -> None:
    """No open file left; every response in the WARCs has exactly one catalog row and one
    CDXJ line, and nothing is catalogued twice."""
    assert not open_files(archive)
    responses = []
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f):
                if record.rec_type == "response":
                    responses.append((path.name, record.rec_headers.get_header("WARC-Record-ID")))
    db = sqlite3.connect(f"file:{archive / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT warc_file, record_id FROM captures WHERE kind != 'revisit'").fetchall()
    finally:
        db.close()
    assert sorted(rows) == sorted(responses)
    assert len({rid for _, rid in rows}) == len(rows)
    cdxj = [json.loads(line.split(" ", 2)[2]) for index in (archive / "indexes").glob("*.cdxj")
            for line in index.read_text("utf-8").splitlines()]
    assert len(cdxj) == len(responses)
    assert len(responses) >= expected_pages


def test_a_second_crawl_refuses_while_the_first_writes_and_the_first_ends_intact(gated_site, tmp_path):
    archive = tmp_path / "archive"
    log = tmp_path / "first.log"
    first = start_crawl(gated_site, archive, log)
    try:
        [live] = open_files(archive)
        size_before = live.stat().st_size
        second = subprocess.run(crawl_command([gated_site.url("/")], archive, depth=1, settings=NO_STORIES),
                                cwd=tmp_path, env=crawl_env(), capture_output=True, text=True,
                                timeout=CRAWL_TIMEOUT)
        assert second.returncode == EXIT_LOCKED, second.stderr[-3000:]
        assert f"pid {first.pid}" in second.stderr and "crawl" in second.stderr
        assert "since" in second.stderr
        # the first crawl's open file: still open, still growing only by its own writes
        assert open_files(archive) == [live]
        assert live.stat().st_size >= size_before
        # a reader is not blocked by the writer
        reader = subprocess.run([sys.executable, "-m", "crawler.cli", "history", gated_site.url("/"),
                                 "--archive", str(archive), "--format", "json"], cwd=tmp_path,
                                env=crawl_env(), capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
        assert reader.returncode == 0, reader.stderr[-3000:]
    finally:
        gated_site.gate.set()
    summary = finish(first, log)
    assert summary["stats"].get("warc/recovered_files", 0) == 0
    # robots.txt, the home page and every article
    assert_archive_consistent(archive, ARTICLES + 1)
    assert summary["stats"]["extract/ok"] == ARTICLES


def small_warc(path: Path, url: str) -> None:
    html = (b"<html><head><title>Imported</title></head><body><p>"
            + b"An imported page with enough words to be a page. " * 10 + b"</p></body></html>")
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(html)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html),
                                                      http_headers=headers))


def test_import_during_a_crawl_refuses_then_waits_for_it_without_touching_its_open_file(gated_site, tmp_path):
    archive = tmp_path / "archive"
    source = tmp_path / "other-tool.warc.gz"
    small_warc(source, "http://imported.example/page")
    import_cmd = [sys.executable, "-m", "crawler.cli", "import", str(source), "--archive", str(archive),
                  "--json", "--no-stories", "--workers", "1"]
    log = tmp_path / "crawl.log"
    crawl = start_crawl(gated_site, archive, log)
    waiting = None
    try:
        [live] = open_files(archive)
        refused = subprocess.run(import_cmd, cwd=tmp_path, env=crawl_env(), capture_output=True,
                                 text=True, timeout=CRAWL_TIMEOUT)
        assert refused.returncode == EXIT_LOCKED, refused.stderr[-3000:]
        assert f"pid {crawl.pid}" in refused.stderr
        assert open_files(archive) == [live]

        waiting = subprocess.Popen(import_cmd + ["--wait"], cwd=tmp_path, env=crawl_env(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in waiting.stderr:
            if "waiting for the archive" in line:
                assert f"pid {crawl.pid}" in line
                break
        else:
            pytest.fail(f"the import did not wait (exit {waiting.wait()})")
        assert open_files(archive) == [live]
    finally:
        gated_site.gate.set()
    finish(crawl, log)
    stdout, stderr = waiting.communicate(timeout=CRAWL_TIMEOUT)
    assert waiting.returncode == 0, stderr[-3000:]
    assert json.loads(stdout.splitlines()[-1])["captures"] == 1
    db = sqlite3.connect(f"file:{archive / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        imported = db.execute("SELECT COUNT(*) FROM captures WHERE url = 'http://imported.example/page'").fetchone()[0]
        recovered = db.execute("SELECT COUNT(*) FROM warc_files WHERE note LIKE '%recovered%'").fetchone()[0]
    finally:
        db.close()
    assert imported == 1
    assert recovered == 0  # nobody sealed the crawl's file but the crawl
    assert not open_files(archive)
