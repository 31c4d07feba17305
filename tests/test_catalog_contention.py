"""Another process holds the catalog's write lock in the middle of a crawl, for longer than the
busy timeout: every WARC record still gets its rows, and the run says what happened."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator, WarcRecordType

from archive.catalog import catalog_path
from archive.warc.reader import sound_gzip_prefix
from conftest import crawl_command, crawl_env
from tests.test_crash import bulk_site  # noqa: F401 - the fixture: a site of 60 slow articles

pytestmark = pytest.mark.slow

IMPATIENT = ("STORIES_ENABLED=False", "CATALOG_BUSY_TIMEOUT=0.2", "CATALOG_RETRIES=2", "CATALOG_RETRY_DELAY=0.05",
             "CATALOG_RETRY_MAX_DELAY=0.2", "CATALOG_FLUSH_ROUNDS=1")
LOCKED_AT = 30  # WARC records written when the lock is taken


def records_written(archive: Path) -> int:
    return sum(sound_gzip_prefix(path)[1] for path in (archive / "warc").glob("*.warc.gz*"))


def wait_for_records(archive: Path, count: int, crawl: subprocess.Popen) -> None:
    """Poll the WARC files until ``count`` records are in them (the crawl must still be running)."""
    while records_written(archive) < count:
        assert crawl.poll() is None, f"the crawl ended before writing {count} records"
        time.sleep(0.02)


def start_crawl(server, archive: Path) -> subprocess.Popen:
    archive.mkdir()
    return subprocess.Popen(crawl_command([server.url("/")], archive, depth=1, settings=IMPATIENT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=crawl_env(),
                            cwd=archive.parent)


def hold_write_lock(archive: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(catalog_path(archive), isolation_level=None, timeout=60)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def warc_ids(archive: Path) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = {"captures": set(), "conversions": set()}
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        with open(path, "rb") as f:
            for record in ArchiveIterator(f, record_types=WarcRecordType.response | WarcRecordType.conversion):
                kind = "captures" if record.record_type == WarcRecordType.response else "conversions"
                ids[kind].add(record.headers["WARC-Record-ID"] if kind == "captures"
                              else record.headers["WARC-Refers-To"])
    return ids


def catalog_ids(archive: Path) -> dict[str, set[str]]:
    db = sqlite3.connect(catalog_path(archive))
    try:
        return {"captures": {r for (r,) in db.execute("SELECT record_id FROM captures")},
                "conversions": {r for (r,) in db.execute(
                    "SELECT c.record_id FROM articles a JOIN captures c ON c.id = a.capture_id")}}
    finally:
        db.close()


def summary(stdout: str) -> dict:
    return json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])


def test_a_lock_held_mid_crawl_loses_no_rows(bulk_site, tmp_path):
    archive = tmp_path / "archive"
    crawl = start_crawl(bulk_site, archive)
    wait_for_records(archive, LOCKED_AT, crawl)
    holder = hold_write_lock(archive)
    held_from = records_written(archive)
    wait_for_records(archive, held_from + 60, crawl)  # the crawl goes on writing WARC records
    holder.execute("ROLLBACK")
    holder.close()
    stdout, stderr = crawl.communicate(timeout=180)
    assert crawl.returncode == 0, stderr[-3000:]
    stats = summary(stdout)["stats"]
    assert stats["catalog/retries"] >= 1 and stats["catalog/queued"] >= 20
    assert stats.get("catalog/write_errors", 0) == 0
    written, cataloged = warc_ids(archive), catalog_ids(archive)
    assert len(written["captures"]) > 60 and len(written["conversions"]) > 30
    assert cataloged == written


def test_a_lock_held_to_the_end_is_reported_and_check_repairs_it(bulk_site, tmp_path):
    archive = tmp_path / "archive"
    crawl = start_crawl(bulk_site, archive)
    wait_for_records(archive, LOCKED_AT, crawl)
    holder = hold_write_lock(archive)
    stdout, stderr = crawl.communicate(timeout=180)
    holder.execute("ROLLBACK")
    holder.close()
    assert crawl.returncode == 3  # EXIT_LOST: archived but not catalogued
    figures = summary(stdout)
    assert figures["catalog_write_errors"] == figures["stats"]["catalog/write_errors"] >= 20
    assert "catalog writes could not be made" in stderr and "wirecopy check --repair" in stderr
    written = warc_ids(archive)
    assert catalog_ids(archive) != written

    def check(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "crawler.cli", "check", "--archive", str(archive), "--json",
                               *args], capture_output=True, text=True, env=crawl_env(), timeout=120)

    found = check()
    assert found.returncode == 1 and json.loads(found.stdout)["missing_captures"] > 0
    assert check("--repair").returncode == 0
    assert check().returncode == 0
    assert catalog_ids(archive) == written
