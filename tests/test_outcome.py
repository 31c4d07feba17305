"""Honest summaries: what a run stored, counted from its WARC indexes and the catalog."""

from __future__ import annotations

from archive.catalog import Catalog
from archive.store import Archive, ArchiveConfig
from archive.warc.records import RecordFactory
from crawler.outcome import account, logged_errors
from tests.test_store import article
from tests.test_warc_writer import capture_pair


def archive_two_pages(root):
    archive = Archive(root, ArchiveConfig(host="h"), factory=RecordFactory())
    refs = [archive.write_capture(*capture_pair(archive.factory)) for _ in range(2)]
    archive.write_article(refs[0], article(refs[0].url))
    archive.close()
    return archive.writer.files_written, refs


def stats_of(files: list[str], **more) -> dict:
    return {"warc/files": len(files), "warc/file_names": files, "extract/ok": 2, **more}


def test_a_complete_run_is_counted_from_what_the_archive_holds(tmp_path):
    files, _ = archive_two_pages(tmp_path)
    figures = {"errors": 0}
    account(figures, stats_of(files), tmp_path)
    assert figures["responses"] == 2 and figures["catalogued"] == 2
    assert figures["articles"] == 1 and figures["extracted"] == 2  # two extractions, one text stored
    assert figures["uncatalogued"] == 0 and figures["lost"] == 0
    assert figures["warc_files"] == 1


def test_a_record_missing_from_the_catalog_is_reported_as_lost(tmp_path):
    files, refs = archive_two_pages(tmp_path)
    catalog = Catalog(tmp_path / "catalog.sqlite")
    catalog.db.execute("DELETE FROM captures WHERE id = ?", (refs[1].capture_id,))
    catalog.close()
    figures = {"errors": 0}
    account(figures, stats_of(files), tmp_path)
    assert figures["responses"] == 2 and figures["catalogued"] == 1
    assert figures["uncatalogued"] == 1 and figures["lost"] == 1


def test_a_file_left_without_its_index_is_lost_and_still_counted_as_written(tmp_path):
    files, _ = archive_two_pages(tmp_path)
    (tmp_path / "indexes" / f"{files[0]}.cdxj").unlink()
    figures = {"errors": 0}
    account(figures, stats_of(files, **{"warc/close_errors": 1}), tmp_path)
    assert figures["warc_files"] == 1
    assert figures["unindexed_files"] == files
    assert figures["lost"] == 2  # the file that could not be closed, and its missing index


def test_errors_count_every_error_logged():
    stats = {"log_count/ERROR": 7, "log_count/CRITICAL": 1, "log_count/WARNING": 40}
    assert logged_errors(stats) == 8
    figures = {"errors": 2}
    account(figures, stats, "/nonexistent")
    assert figures["errors"] == 8 and figures["logged_errors"] == 8
