"""An archive directory: WARCs, CDXJ written at close, catalog locations, recovery."""

from __future__ import annotations

from archive.extract import Article
from archive.index.cdxj import index_warc, read_index, surt_key, timestamp14
from archive.store import Archive, ArchiveConfig
from archive.warc import read_record
from archive.warc.records import metadata_fields
from tests.test_warc_writer import capture_pair, fixed_factory


def article(url: str) -> Article:
    return Article(url=url, text="Gantz met Loudiyi in Rabat.\nThey signed a memorandum.",
                   title="Deal", authors=["A. Writer"], published="2025-03-10T09:00:00Z",
                   language="en", extractor="trafilatura/test")


def test_capture_and_article_are_indexed_and_cataloged(tmp_path, catalog_backend):
    archive = Archive(tmp_path, ArchiveConfig(host="h", job="job-1", catalog=catalog_backend), factory=fixed_factory())
    request, response = capture_pair(archive.factory)
    ref = archive.write_capture(request, response)
    conv_loc, meta_loc = archive.write_article(ref, article(ref.url))
    archive.close()

    (warc,) = sorted((tmp_path / "warc").glob("*.warc.gz"))
    cdxj = tmp_path / "indexes" / f"{warc.name}.cdxj"
    lines = cdxj.read_text().splitlines()
    assert lines == index_warc(warc)  # what was written during the crawl == a re-index of the file
    ((key, stamp, fields),) = list(read_index(cdxj))
    assert key == surt_key("http://example.com/a?x=1") == "com,example)/a?x=1"
    assert stamp == "20250310092001" == timestamp14(ref.warc_date)
    assert fields["status"] == "200" and fields["mime"] == "text/html"
    assert fields["digest"] == response.rec_headers.get_header("WARC-Payload-Digest")
    record = read_record(warc, int(fields["offset"]), int(fields["length"]))
    assert record.rec_type == "response" and record.header("WARC-Record-ID") == ref.record_id

    conv = read_record(warc, conv_loc.offset, conv_loc.length)
    assert conv.rec_type == "conversion" and conv.payload.decode() == article(ref.url).text
    assert conv.header("WARC-Refers-To") == ref.record_id and conv.header("WARC-Date") == ref.warc_date
    meta = metadata_fields(read_record(warc, meta_loc.offset))
    assert meta["title"] == "Deal" and meta["authors"] == ["A. Writer"] and "text" not in meta

    from archive.catalog import open_catalog
    catalog = open_catalog(tmp_path, catalog_backend)
    (row,) = list(catalog.articles())
    assert (row["conversion_file"], row["conversion_offset"]) == (warc.name, conv_loc.offset)
    assert row["text_hash"] == article(ref.url).text_hash
    (cap,) = list(catalog.captures())
    assert cap["job"] == "job-1" and cap["kind"] == "article" and cap["warc_offset"] == int(fields["offset"])
    files = catalog.db.execute("SELECT name, state, records FROM warc_files").fetchall()
    assert [tuple(f) for f in files] == [(warc.name, "closed", 5)]
    catalog.close()


def test_reopening_after_a_crash_seals_and_indexes_the_open_file(tmp_path):
    crashed = Archive(tmp_path, ArchiveConfig(host="h"), factory=fixed_factory())
    for _ in range(2):
        crashed.write_capture(*capture_pair(crashed.factory))
    open_file = next((tmp_path / "warc").glob("*.open"))
    with open(open_file, "ab") as f:
        f.write(b"\x1f\x8b\x08\x00torn")  # the start of a record that never finished
    # no close(): the process died
    reopened = Archive(tmp_path, ArchiveConfig(host="h"), factory=fixed_factory())
    assert reopened.recovery.files == [open_file.name[: -len(".open")]]
    assert reopened.recovery.bytes_dropped == len(b"\x1f\x8b\x08\x00torn")
    sealed = tmp_path / "warc" / reopened.recovery.files[0]
    assert len((tmp_path / "indexes" / f"{sealed.name}.cdxj").read_text().splitlines()) == 2
    size_before = sealed.stat().st_size
    reopened.write_capture(*capture_pair(reopened.factory))
    reopened.close()
    assert sealed.stat().st_size == size_before, "a sealed file is never appended to"
    assert len(list((tmp_path / "warc").glob("*.warc.gz"))) == 2


def test_catalog_rows_of_records_lost_in_the_torn_tail_are_forgotten(tmp_path, catalog_backend):
    crashed = Archive(tmp_path, ArchiveConfig(host="h", catalog=catalog_backend), factory=fixed_factory())
    kept = crashed.write_capture(*capture_pair(crashed.factory))
    crashed.write_article(kept, article(kept.url))
    lost = crashed.write_capture(*capture_pair(crashed.factory, b"<html><p>second</p></html>"))
    crashed.write_article(lost, article(lost.url))
    crashed.catalog.commit()  # the catalog was committed ...
    open_file = next((tmp_path / "warc").glob("*.open"))
    lost_at = crashed.catalog.db.execute("SELECT warc_offset FROM captures WHERE record_id = ?",
                                         (lost.record_id,)).fetchone()[0]
    with open(open_file, "r+b") as f:
        f.truncate(lost_at + 10)  # ... but the second capture's records never all reached the file
    # no close(): the process died (and with it its connections to PostgreSQL)
    if hasattr(crashed.catalog, "pool"):
        crashed.catalog.pool.close()
    reopened = Archive(tmp_path, ArchiveConfig(host="h", catalog=catalog_backend), factory=fixed_factory())
    assert reopened.recovery.captures_forgotten == 1
    db = reopened.catalog.db
    assert [r for (r,) in db.execute("SELECT record_id FROM captures")] == [kept.record_id]
    size = (tmp_path / "warc" / reopened.recovery.files[0]).stat().st_size
    assert size == lost_at
    (row,) = db.execute("SELECT conversion_offset + conversion_length, capture_id FROM articles").fetchall()
    assert row[0] <= size
    assert db.execute("SELECT count(*) FROM extractions").fetchone()[0] == 1
    reopened.close()


def test_archive_config_comes_from_the_settings_every_command_reads():
    from scrapy.settings import Settings

    from archive.store import ArchiveConfig

    settings = Settings()
    settings.setmodule("crawler.settings")
    settings.set("WARC_MAX_SIZE", "12345", "cmdline")
    settings.set("CATALOG_BUSY_TIMEOUT", "0.5", "cmdline")
    config = ArchiveConfig.from_settings(settings, {"operator": "ops@example.com"}, "job-9")
    assert config.max_size == 12345 and config.compress_level == 6 and config.prefix == "wirecopy"
    assert config.catalog.busy_timeout == 0.5 and config.catalog.retries == 3
    assert config.info == {"operator": "ops@example.com"} and config.job == "job-9"
