"""The catalog and the CDXJ from the WARC files alone: ``rebuild`` refills them, ``check`` proves
every record has its rows (and with ``repair`` writes the missing ones).

Both read each file once, wirecopy's own with FastWARC's parser, other tools' files with the
importer's tolerant scanner, and turn records into rows with the same mapper and recorder as the live crawl and import.
Imported files are where the catalog's ``warc_files`` says they are (they were read in place).
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..importer.records import CAPTURE_TYPES, ParsedRecord, first_by_name, parse, unreadable
from ..importer.scan import Problem, scan
from ..importer.service import index_name
from ..index.cdxj import write_index
from ..siteprofile import SiteProfiles
from ..warc.records import parse_metadata
from .mapper import CaptureEntry, capture_entry
from .recorder import CatalogRecorder

logger = logging.getLogger(__name__)

IMPORTED_STATES = ("imported", "indexed")
WRITE_BATCH = 1000  # captures written by one statement


@dataclass
class FileCheck:
    file: str
    records: int = 0
    captures: int = 0
    articles: int = 0
    missing_captures: int = 0
    missing_articles: int = 0
    repaired: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class IndexReport:
    files: list[FileCheck] = field(default_factory=list)
    profiles: int = 0  # site profiles learned again from the archived texts

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)

    @property
    def missing(self) -> int:
        return self.total("missing_captures") + self.total("missing_articles") - self.total("repaired")

    def as_dict(self) -> dict:
        names = ("records", "captures", "articles", "missing_captures", "missing_articles", "repaired")
        return {"files": len(self.files), **{n: self.total(n) for n in names}, "missing": self.missing,
                "problems": sum(len(f.problems) for f in self.files), "profiles": self.profiles,
                "per_file": [asdict(f) for f in self.files]}


def _warcinfo_job(record: ParsedRecord) -> str | None:
    for line in record.payload.decode("utf-8", "replace").splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "wirecopy-job":
            return value.strip() or None
    return None


_TYPE_NAMES = {int(getattr(WarcRecordType, name)): name for name in (
    "warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")}
_MAPPED_TYPES = frozenset(CAPTURE_TYPES + ("conversion", "metadata", "warcinfo"))


def own_records(path: str) -> Iterator[ParsedRecord]:
    """The records of a WARC file wirecopy wrote (sound: its digests were computed on writing,
    a torn tail was cut when it was sealed), read by FastWARC with its HTTP parser: the fast
    path. Other tools' files go through the importer's tolerant scanner."""
    pending: ParsedRecord | None = None
    with open(path, "rb") as f:
        for record in ArchiveIterator(f, parse_http=True):
            if pending is not None:
                pending.length = record.stream_pos - pending.offset
                yield pending
                pending = None
            rec_type = _TYPE_NAMES.get(int(record.record_type), "unknown")
            if rec_type not in _MAPPED_TYPES:  # counted, not read
                pending = ParsedRecord(record.stream_pos, 0, rec_type, "", None, "", {})
                continue
            headers = first_by_name(record.headers.astuples())
            http = record.http_headers if record.is_http else None
            pending = ParsedRecord(
                record.stream_pos, 0, rec_type, headers.get("warc-record-id", ""), headers.get("warc-target-uri"),
                headers.get("warc-date", ""), headers, http.status_code if http is not None else None,
                list(http.astuples()) if http is not None else [], record.reader.read())
        if pending is not None:
            pending.length = f.seek(0, os.SEEK_END) - pending.offset
            yield pending


class Reindexer:
    """Walks an archive's files; ``write`` False only counts what the catalog lacks."""

    def __init__(self, archive, write: bool, only_missing: bool, profiles: SiteProfiles | None = None):
        self.archive = archive
        self.profiles = profiles  # learned again from the texts of wirecopy's own files
        self.catalog = archive.catalog
        self.write = write
        self.only_missing = only_missing
        self.states: dict[str, str] = {}

    def files(self) -> list[tuple[str, str, str | None]]:
        """(location to read, name the catalog uses, job) of every file: imported ones first,
        as the texts extracted from them refer to their records."""
        imported = [(row["name"], row["name"], row["job"]) for row in self.catalog.warc_files()
                    if row["state"] in IMPORTED_STATES]
        own = [(str(path), path.name, None) for path in sorted(self.archive.warc_dir.glob("*.warc.gz"))]
        return imported + own

    def index_file(self, location: str, name: str, job: str | None) -> FileCheck:
        report = FileCheck(name)
        recorder: CatalogRecorder = self.archive.recorder
        known = self.catalog.captures_in(name) if self.only_missing else {}
        extracted = {offset for file, offset in self.catalog.extraction_locations() if file == name} \
            if self.only_missing else set()
        texts: dict[str, ParsedRecord] = {}
        lines: list[str] = []
        unwritten: list[CaptureEntry] = []  # written a thousand at a time, before any article
        imported = "/" in name
        address, records = self._scanned(location, report) if imported else (location, own_records(location))
        described: list[tuple[ParsedRecord | None, ParsedRecord]] = []  # (text, metadata) of those captures

        def flush() -> None:
            """The captures read so far, then what the records after them say of them."""
            nonlocal unwritten, described
            if self.write and unwritten:
                recorder.write_captures(unwritten, replace_existing=False)
            for conversion, metadata in described:
                self._describe(conversion, metadata, name, extracted, report)
            unwritten, described = [], []

        for record in records:
            report.records += 1
            if imported and record.rec_type in ("warcinfo", "conversion", "metadata"):
                # an import takes the job it was given and extracts texts itself, whoever wrote the file
                continue
            if record.rec_type == "warcinfo":
                job = _warcinfo_job(record) or job
            elif record.rec_type in CAPTURE_TYPES and record.url and self._readable(address, record, report):
                report.captures += 1
                entry = capture_entry(record, name, job)
                lines.append(entry.index_line)
                if record.record_id in known:
                    continue
                report.missing_captures += self.only_missing
                if self.write:
                    unwritten.append(entry)
                    report.repaired += self.only_missing
                    if len(unwritten) >= WRITE_BATCH:
                        flush()
            elif record.rec_type == "conversion":
                texts[record.headers.get("warc-refers-to", "")] = record
            elif record.rec_type == "metadata":
                described.append((texts.pop(record.headers.get("warc-refers-to", ""), None), record))
                if len(described) >= WRITE_BATCH:
                    flush()
        flush()
        if self.write:
            write_index(lines, self.archive.index_dir / (index_name(name) if imported else f"{name}.cdxj"))
            state = self.states.get(name, "indexed") if imported else "closed"
            self.catalog.write(lambda catalog: catalog.set_warc_file(
                name, state, records=report.records, job=job if imported else None))
            self.catalog.commit()
        return report

    def _describe(self, conversion: ParsedRecord | None, metadata: ParsedRecord, name: str, extracted: set[int],
                  report: FileCheck) -> None:
        """A metadata record, after the capture it refers to: the page's class, or with its
        conversion record the capture's article."""
        recorder: CatalogRecorder = self.archive.recorder
        if conversion is None:
            if self.write:  # the class of a page that got no text
                recorder.page_class(metadata)
            return
        report.articles += 1
        if self.profiles is not None:
            self._observe(conversion, metadata)
        if conversion.offset in extracted:
            return
        report.missing_articles += self.only_missing
        if self.write and recorder.article(conversion, metadata, name, name) is not False:
            report.repaired += self.only_missing

    def _observe(self, conversion: ParsedRecord, metadata: ParsedRecord) -> None:
        try:
            fields = parse_metadata(metadata.headers.get("content-type"), metadata.payload)
        except ValueError:
            return
        self.profiles.observe_archived(fields, conversion.payload.decode("utf-8", "replace"))

    @staticmethod
    def _readable(location: str, record: ParsedRecord, report: FileCheck) -> bool:
        """As an import decides (a damaged record is cataloged only if it reads back), said as it says."""
        reason = unreadable(location, record)
        if reason is not None:
            report.problems.append(f"{record.offset}: {reason}")
        return reason is None

    @staticmethod
    def _scanned(location: str, report: FileCheck) -> tuple[str, Iterator[ParsedRecord]]:
        address, items = scan(location)

        def records() -> Iterator[ParsedRecord]:
            for item in items:
                if isinstance(item, Problem):
                    report.problems.append(f"{item.offset}: {item.reason}")
                else:
                    yield parse(item, address, request_headers=False)  # requests are not cataloged
        return address, records()

    def run(self) -> IndexReport:
        report = IndexReport()
        files = self.files()
        self.states = {row["name"]: row["state"] for row in self.catalog.warc_files()}
        with self.catalog.batch():
            if self.write and not self.only_missing:
                self.catalog.write(lambda catalog: catalog.clear())
            for location, name, job in files:
                try:
                    report.files.append(self.index_file(location, name, job))
                except OSError as exc:
                    report.files.append(FileCheck(name, problems=[f"cannot read: {exc}"]))
                    logger.error("%s: cannot read: %s", name, exc)
            if self.write:
                self.catalog.write(lambda catalog: catalog.resolve_revisits())
        if self.profiles is not None:
            report.profiles = self.profiles.replace_saved(self.archive.root / "profiles")
        return report


def rebuild(archive, profile_settings: Mapping[str, Any] | None = MappingProxyType({})) -> IndexReport:
    """Empty the catalog's tables and refill them, and every CDXJ, from the WARC files; the site
    profiles (``ARCHIVE/profiles``) are learned again from the archived texts, with
    ``profile_settings`` (``SiteProfiles`` keywords; None: profiles are off, left as they are)."""
    profiles = SiteProfiles(None, **profile_settings) if profile_settings is not None else None
    return Reindexer(archive, write=True, only_missing=False, profiles=profiles).run()


def check(archive, repair: bool = False) -> IndexReport:
    """What the catalog lacks of the WARC files' records; with ``repair``, written from them."""
    return Reindexer(archive, write=repair, only_missing=True).run()
