"""The catalog is derived data: rebuilt from the WARC files alone it equals the live one, and
``wirecopy check`` proves (and repairs) that every record has its rows."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archive.catalog import LOCATION_FILE, open_catalog
from conftest import crawl_env
from tests.test_import import demo_warc, write_warc11  # noqa: F401 - fixtures used below
from tests.test_recrawl import recrawl  # noqa: F401 - the fixture: a crawl and a recrawl of a site

pytestmark = pytest.mark.slow


def wirecopy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                          env=crawl_env(), timeout=300)


def snapshot(root: Path) -> dict[str, list[tuple]]:
    catalog = open_catalog(root)
    try:
        return catalog.snapshot()
    finally:
        catalog.close()


def indexes(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / "indexes").glob("*.cdxj"))}


def assert_rebuild_equals_live(live: Path, tmp_path: Path) -> dict:
    copy = tmp_path / "copy"
    shutil.copytree(live, copy)
    before, cdxj = snapshot(copy), indexes(copy)
    proc = wirecopy("index", "rebuild", "--archive", str(copy), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = snapshot(copy)
    for table in ("captures", "articles", "versions", "revisits"):
        assert after[table] == before[table], table
    assert indexes(copy) == cdxj
    return before


def test_rebuilt_catalog_of_a_crawl_with_recrawls_equals_the_live_one(recrawl, tmp_path):  # noqa: F811
    live = assert_rebuild_equals_live(recrawl.archive, tmp_path)
    assert live["revisits"] and live["versions"] and live["articles"]
    assert any(row[2] == 2 and row[5] for row in live["versions"])  # a changed article: version 2, with its diff
    proc = wirecopy("check", "--archive", str(recrawl.archive), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    figures = json.loads(proc.stdout)
    assert figures["missing"] == 0 and figures["captures"] == len(live["captures"])


def test_rebuilt_catalog_of_an_import_equals_the_live_one(tmp_path, demo_warc, catalog_backend):  # noqa: F811
    path, truth, _seeds = demo_warc
    revisits = tmp_path / "warc11.warc.gz"
    write_warc11(revisits)
    archive = tmp_path / "archive"
    where = ("-s", f"CATALOG_URL={catalog_backend.catalog_url}", "-s", f"CATALOG_SCHEMA={catalog_backend.catalog_schema}")
    proc = wirecopy("import", str(path), str(revisits), "--archive", str(archive), "--json", "--workers", "1",
                    "--no-stories", *(where if catalog_backend.catalog_url else ()))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (archive / LOCATION_FILE).is_file() == bool(catalog_backend.catalog_url)  # cataloged where asked
    live = assert_rebuild_equals_live(archive, tmp_path)
    assert len(live["articles"]) == len(truth)
    assert live["revisits"], "imported revisit records get their revisits row"


def test_check_finds_and_repairs_records_without_rows(recrawl, tmp_path):  # noqa: F811
    copy = tmp_path / "copy"
    shutil.copytree(recrawl.archive, copy)
    catalog = open_catalog(copy)
    catalog.write(lambda c: c.db.execute(
        "DELETE FROM captures WHERE id IN (SELECT id FROM captures WHERE kind = 'feed' OR kind = 'sitemap')"))
    catalog.write(lambda c: c.db.execute("DELETE FROM articles WHERE capture_id = (SELECT min(capture_id) FROM articles)"))
    catalog.close()
    found = wirecopy("check", "--archive", str(copy), "--json")
    assert found.returncode == 1
    figures = json.loads(found.stdout)
    assert figures["missing_captures"] >= 1 and figures["missing_articles"] == 1
    repaired = wirecopy("check", "--archive", str(copy), "--repair", "--json")
    assert repaired.returncode == 0, repaired.stderr[-2000:]
    assert wirecopy("check", "--archive", str(copy)).returncode == 0
    assert snapshot(copy)["captures"] == snapshot(recrawl.archive)["captures"]
