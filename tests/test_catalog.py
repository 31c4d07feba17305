"""The catalog package: schema version and migration from the earlier layout, one record ->
rows mapping, writes retried and queued while another connection holds the write lock."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from typing import Callable

import pytest

from archive.catalog import CaptureKind, Catalog, CatalogOptions, CatalogWriteError, catalog_path, open_catalog
from archive.catalog.schema import SCHEMA_VERSION
from archive.extract import Article
from archive.store import Archive, ArchiveConfig
from tests.test_warc_writer import capture_pair, fixed_factory

FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><link>http://example.com/a</link></item></channel></rss>")
TEXT = "The harbour reopened on Monday.\nFerries run again."


def _write_archive(root, options: CatalogOptions | None = None) -> Archive:
    archive = Archive(root, ArchiveConfig(host="h", job="job-1", catalog=options or CatalogOptions()),
                      factory=fixed_factory())
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


def test_capture_kinds_are_one_vocabulary(tmp_path, catalog_backend):
    archive = _write_archive(tmp_path, catalog_backend)
    catalog = open_catalog(tmp_path, catalog_backend)
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


IMPATIENT = dict(busy_timeout=0.05, retries=2, retry_delay=0.01, retry_max_delay=0.02, flush_rounds=1)


def impatient(options: CatalogOptions) -> CatalogOptions:
    return replace(options, **IMPATIENT)


def _hold_write_lock(root, options: CatalogOptions | None = None) -> Callable[[], None]:
    """Another connection holding the catalog's write lock (SQLite) or locks on every table
    against writes (PostgreSQL) until the returned function releases them."""
    if options is None or not options.catalog_url:
        other = sqlite3.connect(catalog_path(root), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        from archive.catalog.schema import OWNED_TABLES

        other = psycopg.connect(options.catalog_url)
        other.execute(f'SET search_path TO "{options.catalog_schema}"')
        other.execute(f"LOCK TABLE {', '.join(OWNED_TABLES)} IN EXCLUSIVE MODE")

    def release() -> None:
        other.rollback()
        other.close()
    return release


def test_rows_written_while_the_catalog_is_locked_are_queued_then_written(tmp_path, catalog_backend):
    options = impatient(catalog_backend)
    archive = Archive(tmp_path, ArchiveConfig(host="h", catalog=options), factory=fixed_factory())
    first = archive.write_capture(*capture_pair(archive.factory))
    release = _hold_write_lock(tmp_path, options)
    locked = archive.write_capture(*capture_pair(archive.factory, b"<html><p>second</p></html>"))
    archive.write_article(locked, Article(url=locked.url, text=TEXT, extractor="test"))
    assert first.capture_id is not None and locked.capture_id is None
    assert archive.catalog.stats["retries"] >= 2 and archive.catalog.queued >= 2
    release()
    archive.close()
    assert archive.catalog_error is None and archive.catalog.stats["write_errors"] == 0
    catalog = open_catalog(tmp_path, options)
    assert [row["record_id"] for row in catalog.captures()] == [first.record_id, locked.record_id]
    (article,) = list(catalog.articles())
    assert article["capture_id"] == catalog.capture_by_record_id(locked.record_id)["id"]
    catalog.close()


def test_rows_that_cannot_be_written_by_the_end_are_counted_and_reported(tmp_path, catalog_backend):
    options = impatient(catalog_backend)
    archive = Archive(tmp_path, ArchiveConfig(host="h", catalog=options), factory=fixed_factory())
    release = _hold_write_lock(tmp_path, options)
    ref = archive.write_capture(*capture_pair(archive.factory))
    archive.close()
    release()
    assert ref.capture_id is None
    assert archive.catalog.stats["write_errors"] >= 1
    assert "could not be made" in archive.catalog_error and "wirecopy check --repair" in archive.catalog_error
    catalog = open_catalog(tmp_path, options)
    assert list(catalog.captures()) == []
    catalog.close()


def test_flush_raises_for_what_is_left(tmp_path, catalog_backend):
    catalog = open_catalog(tmp_path, impatient(catalog_backend))
    release = _hold_write_lock(tmp_path, catalog_backend)
    assert catalog.write(lambda c: c.set_warc_file("x.warc.gz", "open")) is None
    with pytest.raises(CatalogWriteError):
        catalog.flush()
    release()
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


def test_an_import_whose_rows_cannot_be_written_says_so(tmp_path, catalog_backend):
    from archive.importer import Importer, ImportOptions
    from tests.test_import import write_warc11

    sample = tmp_path / "warc11.warc.gz"
    write_warc11(sample)
    root = tmp_path / "archive"
    open_catalog(root, catalog_backend).close()
    release = _hold_write_lock(root, catalog_backend)
    options = ImportOptions(extract=False, stories=False, archive=ArchiveConfig(catalog=impatient(catalog_backend)))
    with Importer(root, options) as importer:
        summary = importer.import_paths([sample]).as_dict()
    release()
    assert summary["records"] == 8 and summary["errors"] >= 1
    assert "could not be made" in summary["catalog_error"]
