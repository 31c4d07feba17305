"""Writes the catalog rows of WARC records through the mapper: the one path from records to rows
for the live crawl, import, crash recovery and rebuild."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..history import add_version
from ..importer.records import ParsedRecord
from .mapper import ArticleEntry, CaptureEntry, article_entry, capture_entry, page_class_entry
from .protocol import CatalogStore
from .rows import CaptureKind, CaptureRow

ReadText = Callable[[str, int, int], str]


def add_captures(catalog: CatalogStore, rows: list[CaptureRow], replace: bool) -> list[int | None]:
    bulk = getattr(catalog, "add_captures", None)
    if bulk is not None:
        return bulk(rows, replace)
    return [catalog.add_capture(row, replace) for row in rows]


def add_validators(catalog: CatalogStore, rows: list[tuple[int, str | None, str | None]]) -> None:
    """(capture id, ETag, Last-Modified) of many captures: in one statement where the catalog can."""
    bulk = getattr(catalog, "add_many_validators", None)
    if bulk is not None:
        bulk(rows)
        return
    for capture_id, etag, last_modified in rows:
        catalog.add_validators(capture_id, etag, last_modified)


class CatalogRecorder:
    def __init__(self, catalog: CatalogStore, read_text: ReadText, job: str | None = None):
        self.catalog = catalog
        self.read_text = read_text
        self.job = job

    def capture(self, record: ParsedRecord, location: str, *, kind: CaptureKind | None = None,
                job: str | None = None, replace_existing: bool = True) -> tuple[CaptureEntry, int | None]:
        """(the mapped entry, its capture id); the id is None when the rows were queued, or, with
        ``replace_existing=False``, when the record id was cataloged already."""
        entry = capture_entry(record, location, job or self.job, kind)
        return entry, self.write_capture(entry, replace_existing)

    def write_capture(self, entry: CaptureEntry, replace_existing: bool = True) -> int | None:
        def unit(catalog: CatalogStore) -> int | None:
            capture_id = catalog.add_capture(entry.row, replace_existing)
            if capture_id is None:
                return None
            catalog.add_validators(capture_id, entry.etag, entry.last_modified)
            if entry.revisit is not None:
                catalog.add_revisit(capture_id, entry.revisit)
            return capture_id
        return self.catalog.write(unit)

    def write_captures(self, entries: list[CaptureEntry],
                       replace_existing: bool = True) -> list[int | None] | None:
        """``write_capture`` of many entries as one unit: their ids in order (None for one
        cataloged already, with ``replace_existing=False``), or None when the unit was queued."""
        def unit(catalog: CatalogStore) -> list[int | None]:
            ids = add_captures(catalog, [entry.row for entry in entries], replace_existing)
            written = [(capture_id, entry) for capture_id, entry in zip(ids, entries) if capture_id is not None]
            add_validators(catalog, [(capture_id, entry.etag, entry.last_modified) for capture_id, entry in written])
            for capture_id, entry in written:
                if entry.revisit is not None:
                    catalog.add_revisit(capture_id, entry.revisit)
            return ids
        return self.catalog.write(unit) if entries else []

    def article(self, conversion: ParsedRecord, metadata: ParsedRecord, conversion_file: str,
                metadata_file: str) -> bool | None:
        """The article and version rows of a conversion + metadata pair: True when written,
        False when the catalog has no capture they refer to, None when queued."""
        return self.write_article(article_entry(conversion, metadata, conversion_file, metadata_file))

    def write_article(self, entry: ArticleEntry) -> bool | None:
        def unit(catalog: CatalogStore) -> bool:
            capture = catalog.capture_by_record_id(entry.refers_to)
            if capture is None:
                return False
            catalog.add_article(replace(entry.row, capture_id=capture["id"]))
            add_version(catalog, capture["id"], capture["url"], capture["warc_date"], entry.text,
                        entry.row.text_hash, self.read_text)
            return True
        return self.catalog.write(unit)

    def page_class(self, metadata: ParsedRecord) -> bool | None:
        """The page class of a metadata record that stands alone: True when written, False when
        the record gives none or the catalog has no capture it refers to, None when queued."""
        entry = page_class_entry(metadata)
        if entry is None:
            return False

        def unit(catalog: CatalogStore) -> bool:
            capture = catalog.capture_by_record_id(entry.refers_to)
            if capture is None:
                return False
            catalog.set_page_class(capture["id"], entry.page_class, entry.signals)
            return True
        return self.catalog.write(unit)
