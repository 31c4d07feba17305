"""The catalog package: schema version and migration from the earlier layout, one record ->
rows mapping, writes retried and queued while another connection holds the write lock."""

from __future__ import annotations

import sqlite3

import pytest

from archive.catalog import CaptureKind, Catalog, CatalogOptions, CatalogWriteError, catalog_path, open_catalog
from archive.catalog.schema import SCHEMA_VERSION
from archive.extract import Article
from archive.store import Archive, ArchiveConfig
from tests.test_warc_writer import capture_pair, fixed_factory

FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><link>http://example.com/a</link></item></channel></rss>")
TEXT = "The harbour reopened on Monday.\nFerries run again."


def _write_archive(root) -> Archive:
    archive = Archive(root, ArchiveConfig(host="h", job="job-1"), factory=fixed_factory())
    page = archive.write_capture(*capture_pair(archive.factory))
    archive.write_article(page, Article(url=page.url, text=TEXT, title="Reopened", extractor="test"))
    request, response = capture_pair(archive.factory, FEED)
    response.http_headers.replace_header("Content-Type", "application/rss+xml")
    feed = archive.write_capture(request, response)
    assert (page.kind, feed.kind) == ("page", "feed")
    archive.close()
    return archive


def _as_earlier_layout(root, history_tables: bool) -> None:
    """What catalogs looked like before the schema version: a crawl's kinds (`xml`, `page` for
    articles), no version rows, the history tables created lazily (or not yet)."""
    db = sqlite3.connect(catalog_path(root))
    db.execute("UPDATE captures SET kind = 'xml' WHERE kind = 'feed'")
    db.execute("UPDATE captures SET kind = 'page' WHERE kind = 'article'")
    db.execute("DELETE FROM versions")
    if not history_tables:
        for table in ("versions", "revisits", "validators"):
            db.execute(f"DROP TABLE {table}")
    db.execute("ALTER TABLE warc_files DROP COLUMN job")
    db.execute("PRAGMA user_version = 0")
    db.commit()
    db.close()


@pytest.mark.parametrize("history_tables", [True, False])
def test_an_earlier_catalog_is_migrated_once_on_open(tmp_path, history_tables):
    _write_archive(tmp_path)
    _as_earlier_layout(tmp_path, history_tables)
    archive = Archive(tmp_path, ArchiveConfig(host="h"))
    catalog = archive.catalog
    assert catalog.schema_found == 0
    assert catalog.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    kinds = [row["kind"] for row in catalog.captures()]
    assert kinds == ["article", "feed"]  # the feed read back from its WARC record
    (version,) = catalog.versions("http://example.com/a?x=1")
    assert version.version == 1 and version.text_hash
    archive.close()
    again = open_catalog(tmp_path)
    assert again.schema_found == SCHEMA_VERSION  # nothing left to migrate
    again.close()


def test_a_newer_catalog_is_refused(tmp_path):
    Catalog(catalog_path(tmp_path)).close()
    db = sqlite3.connect(catalog_path(tmp_path))
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(RuntimeError, match="newer"):
        Catalog(catalog_path(tmp_path))


def test_capture_kinds_are_one_vocabulary(tmp_path):
    archive = _write_archive(tmp_path)
    catalog = open_catalog(tmp_path)
    assert {row["kind"] for row in catalog.captures()} <= {str(k) for k in CaptureKind}
    assert {row["kind"] for row in catalog.captures()} == {"article", "feed"}
    catalog.close()
    assert archive.catalog_error is None


def test_catalog_class_is_chosen_by_its_dotted_path(tmp_path):
    catalog = open_catalog(tmp_path, CatalogOptions(catalog_class="archive.catalog.sqlite.SQLiteCatalog"))
    assert isinstance(catalog, Catalog)
    catalog.close()
    with pytest.raises((ImportError, AttributeError)):
        open_catalog(tmp_path, CatalogOptions(catalog_class="archive.catalog.sqlite.NoSuchCatalog"))


IMPATIENT = CatalogOptions(busy_timeout=0.05, retries=2, retry_delay=0.01, retry_max_delay=0.02, flush_rounds=1)


def _hold_write_lock(root) -> sqlite3.Connection:
    other = sqlite3.connect(catalog_path(root), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_rows_written_while_the_catalog_is_locked_are_queued_then_written(tmp_path):
    archive = Archive(tmp_path, ArchiveConfig(host="h", catalog=IMPATIENT), factory=fixed_factory())
    first = archive.write_capture(*capture_pair(archive.factory))
    other = _hold_write_lock(tmp_path)
    locked = archive.write_capture(*capture_pair(archive.factory, b"<html><p>second</p></html>"))
    archive.write_article(locked, Article(url=locked.url, text=TEXT, extractor="test"))
    assert first.capture_id is not None and locked.capture_id is None
    assert archive.catalog.stats["retries"] >= 2 and archive.catalog.queued >= 2
    other.execute("ROLLBACK")
    other.close()
    archive.close()
    assert archive.catalog_error is None and archive.catalog.stats["write_errors"] == 0
    catalog = open_catalog(tmp_path)
    assert [row["record_id"] for row in catalog.captures()] == [first.record_id, locked.record_id]
    (article,) = list(catalog.articles())
    assert article["capture_id"] == catalog.capture_by_record_id(locked.record_id)["id"]
    catalog.close()


def test_rows_that_cannot_be_written_by_the_end_are_counted_and_reported(tmp_path):
    archive = Archive(tmp_path, ArchiveConfig(host="h", catalog=IMPATIENT), factory=fixed_factory())
    other = _hold_write_lock(tmp_path)
    ref = archive.write_capture(*capture_pair(archive.factory))
    archive.close()
    other.execute("ROLLBACK")
    other.close()
    assert ref.capture_id is None
    assert archive.catalog.stats["write_errors"] >= 1
    assert "could not be made" in archive.catalog_error and "wirecopy check --repair" in archive.catalog_error
    catalog = open_catalog(tmp_path)
    assert list(catalog.captures()) == []
    catalog.close()


def test_flush_raises_for_what_is_left(tmp_path):
    catalog = Catalog(catalog_path(tmp_path), IMPATIENT)
    other = _hold_write_lock(tmp_path)
    assert catalog.write(lambda c: c.set_warc_file("x.warc.gz", "open")) is None
    with pytest.raises(CatalogWriteError):
        catalog.flush()
    other.execute("ROLLBACK")
    other.close()
    catalog.close()


def test_a_job_run_with_rows_the_catalog_could_not_take_is_partial():
    from crawler.jobs.history import OK, PARTIAL, RunFigures
    from crawler.jobs.runner import classify

    stats = {"finish_reason": "finished", "wirecopy/pages": 10}
    assert classify(stats, RunFigures(pages=10)) == OK
    assert classify({**stats, "catalog/write_errors": 3}, RunFigures(pages=10)) == PARTIAL


def test_one_mapper_gives_a_record_its_kind_from_status_and_content():
    import gzip

    from archive.catalog.mapper import capture_kind, from_warcio
    from archive.warc.records import RecordFactory

    factory = RecordFactory()

    def kind(url, status=200, ctype="text/html", body=b"<html><p>x</p></html>", encoding=None):
        headers = [("Content-Type", ctype)] + ([("Content-Encoding", encoding)] if encoding else [])
        record = factory.response(url, "2025-03-10T09:20:01Z", "HTTP/1.1", status, "", headers, body)
        return capture_kind(from_warcio(record, 0, 0, body))

    assert kind("http://n.test/robots.txt", ctype="text/plain", body=b"User-agent: *") == "robots"
    assert kind("http://n.test/old", 301) == "redirect"
    assert kind("http://n.test/gone", 404) == "error"
    assert kind("http://n.test/a") == "page"
    assert kind("http://n.test/rss", ctype="text/xml", body=FEED) == "feed"
    assert kind("http://n.test/rss", ctype="application/rss+xml", body=gzip.compress(FEED), encoding="gzip") == "feed"
    sitemap = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    assert kind("http://n.test/sitemap.xml.gz", ctype="application/gzip", body=gzip.compress(sitemap)) == "sitemap"
    assert kind("http://n.test/logo.png", ctype="image/png", body=b"\x89PNG") == "other"


def test_an_import_whose_rows_cannot_be_written_says_so(tmp_path):
    from archive.importer import Importer, ImportOptions
    from tests.test_import import write_warc11

    sample = tmp_path / "warc11.warc.gz"
    write_warc11(sample)
    root = tmp_path / "archive"
    Catalog(catalog_path(root)).close()
    other = _hold_write_lock(root)
    options = ImportOptions(extract=False, stories=False, archive=ArchiveConfig(catalog=IMPATIENT))
    with Importer(root, options) as importer:
        summary = importer.import_paths([sample]).as_dict()
    other.execute("ROLLBACK")
    other.close()
    assert summary["records"] == 8 and summary["errors"] >= 1
    assert "could not be made" in summary["catalog_error"]
