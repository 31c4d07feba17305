"""Import WARC, ARC and WACZ files made by other tools into an archive, in place.

The originals are only read: catalog rows and CDXJ lines point at them by location (absolute
path, ``#member`` inside a WACZ). Each capture gets a catalog row and an index line; article
pages are extracted in a process pool and their text goes into wirecopy's own WARC
(conversion + metadata records referring to the imported record), then into story tracking.
Importing a file again adds nothing: records already in the catalog are skipped.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import re
import time
from collections import Counter, deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from .. import store
from ..catalog import CatalogWriteError
from ..catalog import mapper  # a module, not its names: the mapper reads records with .records
from ..extract import ExtractOptions
from ..index.cdxj import write_index
from ..warc.locations import location_of, wacz_warcs
from ..warc.writer import RecordLocation
from .classify import analyse_page, wants_extraction, warm_up
from .pages import ImportedPages
from .reading import DEFAULT_WORKERS, Item, RangeReader
from .records import CAPTURE_TYPES, ParsedRecord, decoded_body, unreadable
from .scan import CONTAINER_ERRORS, Problem, describe, sniff_location

logger = logging.getLogger(__name__)

COMMIT_EVERY = 5000
WRITE_BATCH = 1000  # captures written by one statement


@dataclass(frozen=True)
class ImportOptions:
    extract: bool = True
    stories: bool = True
    workers: int = 0  # extraction processes; 0 = one per core
    # processes reading a large WARC's ranges at once; 0 = one per core (at most 4) without
    # extraction, 1 with it (the extraction pool has the cores then)
    read_workers: int = 0
    encoder: str | None = None
    tracker_config: dict | None = None
    extract_options: ExtractOptions = field(default_factory=ExtractOptions)
    job: str | None = None
    archive: store.ArchiveConfig | None = None  # for wirecopy's own WARC (the extracted texts)
    # ``SiteProfiles`` keywords (window, min_pages, min_share), as a crawl's; None: no profiles
    site_profiles: Mapping[str, Any] | None = field(default_factory=dict)


@dataclass
class FileReport:
    file: str
    records: int = 0
    captures: int = 0
    new_captures: int = 0
    articles: int = 0
    linked: int = 0
    bytes: int = 0
    problems: list[Problem] = field(default_factory=list)
    # named as a crawl's stats: pageclass/<class>, extract/walls/<kind>, extract/profile/...
    stats: Counter = field(default_factory=Counter)

    @property
    def walls(self) -> int:
        return self.stats["extract/walls"]

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning")

    def as_dict(self) -> dict:
        return {"file": self.file, "records": self.records, "captures": self.captures,
                "new_captures": self.new_captures, "articles": self.articles, "linked": self.linked,
                "bytes": self.bytes, "errors": self.errors, "warnings": self.warnings, "walls": self.walls,
                "stats": dict(sorted(self.stats.items())), "problems": [p.as_dict() for p in self.problems]}


@dataclass
class ImportSummary:
    files: list[FileReport] = field(default_factory=list)
    elapsed: float = 0.0
    catalog_error: str | None = None  # rows that could not be written (a catalog locked throughout)

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    def as_dict(self) -> dict:
        records = self.total("records")
        return {
            "imported": len(self.files), "records": records, "captures": self.total("captures"),
            "new_captures": self.total("new_captures"), "articles": self.total("articles"),
            "linked": self.total("linked"), "walls": self.total("walls"),
            "stats": dict(sorted(sum((f.stats for f in self.files), Counter()).items())),
            "errors": self.total("errors") + bool(self.catalog_error),
            "catalog_error": self.catalog_error,
            "warnings": self.total("warnings"),
            "skipped": sum(1 for f in self.files for p in f.problems if p.skipped),
            "bytes": self.total("bytes"), "elapsed": round(self.elapsed, 3),
            "records_per_second": round(records / self.elapsed, 1) if self.elapsed > 0 else 0.0,
            "files": [f.as_dict() for f in self.files],
        }


@dataclass
class _Pending:
    record: ParsedRecord
    entry: mapper.CaptureEntry
    location: str
    future: Future | None = None
    capture_id: int | None = None  # already cataloged by an import that did not extract


def index_name(location: str) -> str:
    """The CDXJ file of an imported location: stable, unique, readable."""
    digest = hashlib.sha1(location.encode("utf-8")).hexdigest()[:12]
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", location.rsplit("/", 1)[-1])[-80:]
    return f"imported-{digest}-{base}.cdxj"


IMPORTABLE = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wacz")


def expand(paths: Iterable[str | os.PathLike]) -> list[str]:
    """Locations to import: files as given, a WACZ as its WARC members, a directory as the
    WARC, ARC and WACZ files under it (a Heritrix job's ``warcs/``, a warcprox output dir)."""
    locations = []
    for path in paths:
        if os.path.isdir(path):
            found = sorted(p for p in Path(path).rglob("*")
                           if p.is_file() and p.name.lower().endswith(IMPORTABLE))
            locations += expand(found)
        elif str(path).lower().endswith(".wacz"):
            locations += [location_of(path, member) for member in wacz_warcs(path)]
        else:
            locations.append(location_of(path))
    return locations


class Importer:
    """Use as a context manager; ``import_paths`` may be called several times."""

    def __init__(self, root: str | Path, options: ImportOptions | None = None,
                 progress: Callable[[FileReport, int], None] | None = None):
        self.root = Path(root)
        self.options = options or ImportOptions()
        self.progress = progress
        self.archive = store.Archive(self.root, self.options.archive)
        self.catalog = self.archive.catalog
        self.pool: ProcessPoolExecutor | None = None
        self.pages = ImportedPages(self.archive, self.root, self.options.site_profiles, self.options.stories,
                                   self.options.encoder, self.options.tracker_config)
        self.window = 4
        self._known: dict[str, int | None] = {}
        # captures to write (their entries, not their records: thousands are held), where their problem goes
        self._unwritten: list[tuple[mapper.CaptureEntry, str, int]] = []
        read_workers = self.options.read_workers or (
            1 if self.options.extract else min(os.cpu_count() or 1, DEFAULT_WORKERS))
        self.reader = RangeReader(read_workers, keep_bodies=self.options.extract, job=self.options.job)
        if self.options.extract:
            workers = self.options.workers or os.cpu_count() or 1
            self.window = workers * 16
            self.pool = self._start_pool(workers)

    def _start_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers, initializer=warm_up,
                                   mp_context=multiprocessing.get_context("forkserver"))

    def __enter__(self) -> "Importer":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            # rows of the interrupted batch are dropped; importing the file again redoes them
            self.catalog.rollback()
        self.close()

    def close(self) -> None:
        self.reader.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        try:
            # an interrupted import keeps the texts of pages held for their site's profile too
            # (one whose capture was rolled back is extracted again by the next import)
            with self.catalog.batch():
                self.pages.release()
        except Exception:
            logger.exception("Could not store the articles held for their site's profile")
        self.pages.close()
        self.archive.close()

    def import_paths(self, paths: Iterable[str | os.PathLike]) -> ImportSummary:
        started = time.monotonic()
        summary = ImportSummary()
        for path in paths:
            try:
                locations = expand([path])
            except CONTAINER_ERRORS as exc:
                report = FileReport(location_of(path))
                report.problems.append(Problem(report.file, 0, f"cannot read ({describe(exc)})", skipped=True))
                summary.files.append(report)
                continue
            if not locations:
                report = FileReport(location_of(path))
                report.problems.append(Problem(report.file, 0, "no WARC files in this WACZ", skipped=True))
                summary.files.append(report)
            for location in locations:
                summary.files.append(self.import_location(location))
        with self.catalog.batch():
            self.pages.release()
        try:
            self.catalog.flush()
        except CatalogWriteError as exc:
            summary.catalog_error = str(exc)
            logger.error("%s", exc)
        summary.elapsed = time.monotonic() - started
        return summary

    def import_location(self, location: str) -> FileReport:
        report = FileReport(location)
        try:
            try:
                location, container = sniff_location(location)
                items = self.reader.read(location, container, report.stats)
            except CONTAINER_ERRORS as exc:
                items = iter([Problem(location, 0, f"cannot read ({describe(exc)})", skipped=True)])
            report.file = location
            with self.catalog.batch():
                self._import_records(location, items, report)
        except OSError as exc:
            report.problems.append(Problem(location, 0, f"cannot read: {exc}", skipped=True))
        for problem in report.problems:
            logger.info("%s %s at offset %d: %s", problem.severity, problem.location, problem.offset,
                        problem.reason)
        return report

    def _import_records(self, location: str, items: Iterable[Item], report: FileReport) -> None:
        lines: list[str] = []
        # records this location already gave the catalog: a re-import skips them, except the
        # pages of an index-only import, which are extracted now if extraction is on
        prior = self.catalog.warc_file_state(location)
        unextracted = self.pool is not None and prior == "indexed"
        self._known = {record_id: (capture_id if unextracted and kind == "page" else None)
                       for record_id, (capture_id, kind) in self.catalog.captures_in(location).items()}
        pending: deque[_Pending] = deque()
        self._unwritten = []
        seen_ids: dict[str, int] = {}
        for item in items:
            if isinstance(item, Problem):
                report.problems.append(item)
                continue
            record, entry = item
            report.records += 1
            report.bytes = record.offset + record.length
            for severity, reason in record.notes:
                report.problems.append(Problem(location, record.offset, reason, severity=severity))
            if record.record_id in seen_ids:
                report.problems.append(Problem(location, record.offset, "duplicate WARC-Record-ID "
                                               f"{record.record_id} (first at {seen_ids[record.record_id]})",
                                               severity="warning"))
            seen_ids.setdefault(record.record_id, record.offset)
            if record.rec_type in CAPTURE_TYPES and record.url and self._readable(location, record, report):
                line, held = self._capture(location, record, entry, report, nothing_pending=not pending)
                lines.append(line)
                if held is not None:
                    pending.append(held)
            while pending and (len(pending) > self.window or pending[0].future is None):
                self._finish(pending.popleft(), report)
            if self.progress is not None and report.records % 200 == 0:
                self.progress(report, report.bytes)
            if report.records % COMMIT_EVERY == 0:
                self._write_captures(report)
                self.catalog.commit()
        while pending:
            self._finish(pending.popleft(), report)
        self._write_captures(report)
        write_index(lines, self.archive.index_dir / index_name(location))
        note = f"imported; {len(report.problems)} problems" if report.problems else "imported"
        state = "imported" if self.pool is not None or prior == "imported" else "indexed"

        def close_file(catalog) -> None:
            catalog.resolve_revisits()  # revisits read before the records they refer to
            catalog.set_warc_file(location, state, records=report.records, size=report.bytes, note=note,
                                  job=self.options.job)
        self.catalog.write(close_file)
        self.catalog.commit()
        if self.progress is not None:
            self.progress(report, report.bytes)

    @staticmethod
    def _readable(location: str, record: ParsedRecord, report: FileReport) -> bool:
        reason = unreadable(location, record)
        if reason is not None:
            report.problems.append(Problem(location, record.offset, reason, skipped=True))
        return reason is None

    def _capture(self, location: str, record: ParsedRecord, entry: mapper.CaptureEntry | None,
                 report: FileReport, nothing_pending: bool) -> tuple[str, _Pending | None]:
        """(the index line, the capture to finish later, None if it was held or needs nothing)."""
        report.captures += 1
        entry = entry or mapper.capture_entry(record, location, self.options.job)
        capture_id = None
        if record.record_id in self._known:
            capture_id = self._known[record.record_id]
            if capture_id is None or not wants_extraction(record, "page"):
                return entry.index_line, None
        future = None
        if self.pool is not None and wants_extraction(record, entry.row.kind):
            decoded = decoded_body(record)
            if decoded.cut:
                report.problems.append(Problem(location, record.offset, f"Content-Encoding inflates past"
                                               f" {len(decoded.body)} bytes: only those were read",
                                               severity="warning"))
            future = self._submit(decoded.body, record)
        if future is None and capture_id is None and nothing_pending:
            self._hold(entry, location, report)
            return entry.index_line, None
        return entry.index_line, _Pending(record, entry, location, future, capture_id)

    def _submit(self, body: bytes, record: ParsedRecord) -> Future:
        assert self.pool is not None
        args = (body, record.url, record.content_type, self.options.extract_options, record.status)
        try:
            return self.pool.submit(analyse_page, *args)
        except BrokenProcessPool:
            self._restart_pool()
            return self.pool.submit(analyse_page, *args)

    def _restart_pool(self) -> None:
        logger.error("An extraction worker died; restarting the pool")
        assert self.pool is not None
        workers = self.pool._max_workers
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._start_pool(workers)

    def _write_captures(self, report: FileReport) -> None:
        """The captures held back, in one unit: an import writes thousands."""
        unwritten, self._unwritten = self._unwritten, []
        if not unwritten:
            return
        ids = self.archive.recorder.write_captures([entry for entry, _, _ in unwritten], replace_existing=False)
        if ids is None:  # queued: written once the catalog is free
            report.new_captures += len(unwritten)
            return
        known_elsewhere = []
        for (entry, location, at), capture_id in zip(unwritten, ids):
            if capture_id is None:
                known_elsewhere.append((at, self._known_elsewhere(entry, location)))
            else:
                report.new_captures += 1
        for at, problem in reversed(known_elsewhere):  # where a capture written alone put it
            report.problems.insert(at, problem)

    def _known_elsewhere(self, entry: mapper.CaptureEntry, location: str) -> Problem:
        row = entry.row
        known = self.catalog.capture_by_record_id(row.record_id)
        return Problem(location, row.warc_offset, f"record {row.record_id} already in the catalog from"
                       f" {known['warc_file']}:{known['warc_offset']}", severity="warning")

    def _hold(self, entry: mapper.CaptureEntry, location: str, report: FileReport) -> None:
        """A capture with nothing to wait for: written with the next batch."""
        self._unwritten.append((entry, location, len(report.problems)))
        if len(self._unwritten) >= WRITE_BATCH:
            self._write_captures(report)

    def _finish(self, entry: _Pending, report: FileReport) -> None:
        if entry.future is None and entry.capture_id is None:
            self._hold(entry.entry, entry.location, report)
            return
        self._write_captures(report)  # captures are written in the order they were read
        article = page = None
        if entry.future is not None:
            try:
                article, _reason, page = entry.future.result()
            except BrokenProcessPool:
                self._restart_pool()
                report.problems.append(Problem(entry.location, entry.record.offset,
                                               "extraction worker died on this page"))
            except Exception as exc:  # an extractor bug must not stop an import
                logger.exception("Extraction crashed on %s", entry.record.url)
                report.problems.append(Problem(entry.location, entry.record.offset,
                                               f"extraction failed: {exc!r}"))
        row = entry.entry.row
        capture_id = entry.capture_id
        if capture_id is None:
            queued = self.catalog.queued
            capture_id = self.archive.recorder.write_capture(entry.entry, replace_existing=False)
            if capture_id is None and self.catalog.queued == queued:
                report.problems.append(self._known_elsewhere(entry.entry, entry.location))
                return
            report.new_captures += 1
        if article is None and page is None:
            return
        ref = store.CaptureRef(row.url, row.record_id, row.warc_date,
                               RecordLocation(entry.location, row.warc_offset, row.warc_length), capture_id)
        self.pages.add(ref, page, article, report)
