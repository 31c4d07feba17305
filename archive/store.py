"""An archive directory: WARC files, their CDXJ indexes and the catalog, written together.

    DIR/warc/*.warc.gz      the source of truth (append-only; closed files never change)
    DIR/indexes/*.cdxj      one sorted CDXJ per closed WARC file
    DIR/catalog.sqlite      captures and articles with their WARC locations
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .catalog import CatalogOptions, CatalogWriteError, PreviousCapture, Version, open_catalog
from .catalog.mapper import capture_kind, from_stored, from_warcio
from .catalog.recorder import CatalogRecorder
from .catalog.rows import CaptureKind
from .extract import Article
from .index.cdxj import index_warc, write_index
from .lock import ArchiveLock, claimed_writer, file_writer
from .warc.reader import read_record, recover_open_file
from .warc.records import RecordFactory
from .warc.writer import OPEN_SUFFIX, RecordLocation, RotatingWarcWriter

logger = logging.getLogger(__name__)


def warc_file(root: str | Path, name: str) -> Path:
    """A catalogued WARC file of the archive at ``root``, closed or still being written."""
    path = Path(root, "warc", name)
    if not path.exists() and path.with_name(name + OPEN_SUFFIX).exists():
        return path.with_name(name + OPEN_SUFFIX)
    return path


def record_kinds(root: str | Path) -> Callable[[str, int, int], CaptureKind]:
    """Classifies a record cataloged in the archive at ``root`` by reading it back, for catalogs
    from before kinds were precise (their migration): OTHER, with a warning, when unreadable."""
    def kind_of_record(location: str, offset: int, length: int) -> CaptureKind:
        path = location if "/" in location else warc_file(root, location)
        try:
            return capture_kind(from_stored(read_record(path, offset, length)))
        except (OSError, ValueError) as exc:
            logger.warning("%s:%d unreadable, its kind stays unknown: %s", location, offset, exc)
            return CaptureKind.OTHER
    return kind_of_record


@dataclass(frozen=True)
class ArchiveConfig:
    prefix: str = "wirecopy"
    max_size: int = 1_000_000_000
    compress_level: int = 6
    host: str | None = None
    writer: str | None = None  # a named writer among several sharing the archive (archive.lock)
    info: dict[str, str] = field(default_factory=dict)
    job: str | None = None
    catalog: CatalogOptions = field(default_factory=CatalogOptions)

    @classmethod
    def from_settings(cls, settings, info: dict[str, str] | None = None, job: str | None = None) -> "ArchiveConfig":
        """From ``WARC_*`` and ``CATALOG_*`` settings (a Scrapy ``Settings`` or anything with
        ``get``); what they leave unset keeps the defaults above."""
        def value(name: str, default, kind):
            found = settings.get(name)
            return default if found is None or found == "" else kind(found)
        return cls(prefix=value("WARC_PREFIX", cls.prefix, str), max_size=value("WARC_MAX_SIZE", cls.max_size, int),
                   compress_level=value("WARC_COMPRESS_LEVEL", cls.compress_level, int), info=dict(info or {}),
                   writer=value("ARCHIVE_WRITER", None, str),
                   job=job, catalog=CatalogOptions.from_settings(settings))


@dataclass(frozen=True)
class CaptureRef:
    """Where a fetched response was stored; what later records refer to. ``capture_id`` is None
    while the catalog row waits in the write queue (a locked catalog)."""

    url: str
    record_id: str
    warc_date: str
    location: RecordLocation
    capture_id: int | None
    kind: str | None = None


@dataclass
class RecoveryReport:
    files: list[str] = field(default_factory=list)
    bytes_dropped: int = 0
    captures_forgotten: int = 0  # catalogued, but their records were in the torn tail


def _written_record(record, location: RecordLocation):
    return from_warcio(record, location.offset, location.length, record.raw_stream.getvalue())


class Archive:
    def __init__(self, root: str | Path, config: ArchiveConfig | None = None,
                 factory: RecordFactory | None = None):
        self.root = Path(root)
        self.config = config or ArchiveConfig()
        # one writer per archive, or several named ones; only the holder of a writer's lock
        # may seal the .open files it left
        self.lock = ArchiveLock(self.root, writer=self.config.writer).acquire()
        self.factory = factory or RecordFactory()
        self.warc_dir = self.root / "warc"
        self.index_dir = self.root / "indexes"
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = open_catalog(self.root, self.config.catalog, kind_of_record=record_kinds(self.root))
        self.recorder = CatalogRecorder(self.catalog, self.read_text, job=self.config.job)
        self.catalog_error: str | None = None
        self.recovery = self._recover()
        self._pending_index: dict[str, list[str]] = {}
        self._records_in_file: dict[str, int] = {}
        self.writer = RotatingWarcWriter(
            self.warc_dir,
            prefix=self.config.prefix,
            max_size=self.config.max_size,
            host=self._file_host(),
            info=self.config.info,
            factory=self.factory,
            compress_level=self.config.compress_level,
            on_close=self._file_closed,
        )

    def _file_host(self) -> str | None:
        """The host part of WARC file names; a named writer's files end with its name."""
        if self.config.writer is None:
            return self.config.host
        host = self.config.host or socket.gethostname().split(".")[0] or "localhost"
        return f"{host}-{self.config.writer}"

    # -- files left open by a crash ------------------------------------------------------
    def _recover(self) -> RecoveryReport:
        report = RecoveryReport()
        for path in sorted(self.warc_dir.glob("*" + OPEN_SUFFIX)):
            if self.config.writer is None:  # the single writer: every .open file is a dead one's
                self._seal(path, report)
                continue
            owner = file_writer(self.root, path.name)
            if owner == self.config.writer:
                self._seal(path, report)  # an earlier process of this name: we hold its lock
                continue
            with claimed_writer(self.root, owner) as claimed:
                if claimed and path.exists():  # not sealed by another claimant meanwhile
                    logger.warning("%s: its writer %s is gone; sealing it", path.name, owner)
                    self._seal(path, report)
        return report

    def _seal(self, path: Path, report: RecoveryReport) -> None:
        sealed, dropped = recover_open_file(path)
        report.files.append(sealed.name)
        report.bytes_dropped += dropped
        lines = index_warc(sealed)
        write_index(lines, self.index_dir / f"{sealed.name}.cdxj")
        size = sealed.stat().st_size
        note = f"recovered after crash, {dropped} torn bytes dropped"

        def unit(catalog, name=sealed.name, size=size, note=note) -> int:
            forgotten = catalog.forget_torn(name, size)
            catalog.set_warc_file(name, "closed", size=size, note=note)
            return forgotten
        forgotten = self.catalog.write(unit) or 0
        report.captures_forgotten += forgotten
        if forgotten:
            logger.warning("%s: %d catalogued captures were in the torn tail; they will be fetched again",
                           sealed.name, forgotten)

    def _file_closed(self, path: Path) -> None:
        lines = self._pending_index.pop(path.name, [])
        write_index(lines, self.index_dir / f"{path.name}.cdxj")
        records, size = self._records_in_file.pop(path.name, 0), path.stat().st_size
        self.catalog.write(lambda catalog: catalog.set_warc_file(path.name, "closed", records=records, size=size))

    def _written(self, location: RecordLocation, count: int = 1) -> None:
        name = location.filename
        if name not in self._records_in_file:
            self._records_in_file[name] = 1  # the warcinfo record
            self.catalog.write(lambda catalog: catalog.set_warc_file(name, "open"))
        self._records_in_file[name] += count

    # -- reading back --------------------------------------------------------------------
    def warc_path(self, name: str) -> Path:
        """A catalogued WARC file, closed or still being written."""
        return warc_file(self.root, name)

    def location_path(self, location: str) -> str | Path:
        """Where to read a cataloged location: a file of this archive, or an imported location."""
        return location if "/" in location else self.warc_path(location)

    def read_text(self, location: str, offset: int, length: int) -> str:
        return read_record(self.location_path(location), offset, length).payload.decode("utf-8")

    def version_text(self, version: Version) -> str:
        return self.read_text(version.conversion_file, version.conversion_offset, version.conversion_length)

    def latest_version(self, url: str) -> Version | None:
        """The latest archived text of ``url`` (its conversion record and text hash)."""
        return self.catalog.latest_version(url)

    # -- writing -------------------------------------------------------------------------
    def _capture_ref(self, records: list, locations: list[RecordLocation]) -> CaptureRef:
        main, location = records[-1], locations[-1]
        self._written(location, len(records))
        entry, capture_id = self.recorder.capture(_written_record(main, location), location.filename)
        self._pending_index.setdefault(location.filename, []).append(entry.index_line)
        row = entry.row
        return CaptureRef(row.url, row.record_id, row.warc_date, location, capture_id, row.kind)

    def write_capture(self, request, response) -> CaptureRef:
        """Write a request/response pair (warcio records sharing WARC-Date) and catalog it."""
        return self._capture_ref([request, response], self.writer.write_group([request, response]))

    def write_revisit(self, request, revisit, previous: PreviousCapture) -> CaptureRef:
        """Write a request/revisit pair (or the revisit alone when ``request`` is None)
        referring to ``previous``'s payload (named in its headers), and catalog it."""
        records = [revisit] if request is None else [request, revisit]
        return self._capture_ref(records, self.writer.write_group(records))

    def write_article(self, capture: CaptureRef, article: Article) -> tuple[RecordLocation, RecordLocation]:
        """Conversion (text) and metadata (JSON) records referring to the response."""
        meta = {k: v for k, v in article.as_dict().items() if k != "text"}
        conversion = self.factory.conversion(capture.url, capture.warc_date, capture.record_id, article.text)
        metadata = self.factory.metadata(capture.url, capture.warc_date, capture.record_id, meta)
        conv_loc, meta_loc = self.writer.write_group([conversion, metadata])
        self._written(conv_loc, 2)
        self.recorder.article(_written_record(conversion, conv_loc), _written_record(metadata, meta_loc),
                              conv_loc.filename, meta_loc.filename)
        return conv_loc, meta_loc

    def write_page_class(self, capture: CaptureRef, page_class: str, signals: list[str]) -> RecordLocation:
        """A metadata record with the class of a page that gets no text (a listing, a wall, an
        article whose extraction failed), so that a catalog rebuilt from the WARCs has it too."""
        fields = {"page_class": str(page_class), "page_signals": list(signals)}
        record = self.factory.metadata(capture.url, capture.warc_date, capture.record_id, fields)
        (location,) = self.writer.write_group([record])
        self._written(location)
        self.recorder.page_class(_written_record(record, location))
        return location

    @property
    def bytes_written(self) -> int:
        return self.writer.bytes_written

    def close(self) -> None:
        """Close the WARC file, then write what the catalog queued; a catalog that stayed locked
        is reported in ``catalog_error`` (and the catalog's ``write_errors``), not raised.
        The archive lock is released last, whatever failed."""
        try:
            try:
                self.writer.close()
            finally:
                try:
                    self.catalog.close()
                except CatalogWriteError as exc:
                    self.catalog_error = str(exc)
                    logger.error("%s", exc)
        finally:
            self.lock.release()
