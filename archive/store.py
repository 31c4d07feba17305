"""An archive directory: WARC files, their CDXJ indexes and the catalog, written together.

    DIR/warc/*.warc.gz      the source of truth (append-only; closed files never change)
    DIR/indexes/*.cdxj      one sorted CDXJ per closed WARC file
    DIR/catalog.sqlite      captures and articles with their WARC locations
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import ArticleRow, Catalog, CaptureRow
from .extract import Article
from .history import CaptureHistory, PreviousCapture, Version
from .index.cdxj import cdxj_line, index_warc, mime_of, surt_key, timestamp14, write_index
from .textdiff import diff_texts
from .warc.reader import read_record, recover_open_file
from .warc.records import RecordFactory
from .warc.writer import OPEN_SUFFIX, RecordLocation, RotatingWarcWriter

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ArchiveConfig:
    prefix: str = "wirecopy"
    max_size: int = 1_000_000_000
    compress_level: int = 6
    host: str | None = None
    info: dict[str, str] = field(default_factory=dict)
    job: str | None = None


@dataclass(frozen=True)
class CaptureRef:
    """Where a fetched response was stored; what later records refer to."""

    url: str
    record_id: str
    warc_date: str
    location: RecordLocation
    capture_id: int


@dataclass
class RecoveryReport:
    files: list[str] = field(default_factory=list)
    bytes_dropped: int = 0
    captures_forgotten: int = 0  # catalogued, but their records were in the torn tail


def _header(record, name: str) -> str | None:
    return record.rec_headers.get_header(name)


class Archive:
    def __init__(self, root: str | Path, config: ArchiveConfig | None = None,
                 factory: RecordFactory | None = None):
        self.root = Path(root)
        self.config = config or ArchiveConfig()
        self.factory = factory or RecordFactory()
        self.warc_dir = self.root / "warc"
        self.index_dir = self.root / "indexes"
        self.warc_dir.mkdir(parents=True, exist_ok=True)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self.catalog = Catalog(self.root / "catalog.sqlite")
        self.history = CaptureHistory(self.catalog)
        self.recovery = self._recover()
        self._pending_index: dict[str, list[str]] = {}
        self._records_in_file: dict[str, int] = {}
        self.writer = RotatingWarcWriter(
            self.warc_dir,
            prefix=self.config.prefix,
            max_size=self.config.max_size,
            host=self.config.host,
            info=self.config.info,
            factory=self.factory,
            compress_level=self.config.compress_level,
            on_close=self._file_closed,
        )

    # -- files left open by a crash ------------------------------------------------------
    def _recover(self) -> RecoveryReport:
        report = RecoveryReport()
        for path in sorted(self.warc_dir.glob("*" + OPEN_SUFFIX)):
            sealed, dropped = recover_open_file(path)
            report.files.append(sealed.name)
            report.bytes_dropped += dropped
            lines = index_warc(sealed)
            write_index(lines, self.index_dir / f"{sealed.name}.cdxj")
            forgotten = self.catalog.forget_torn(sealed.name, sealed.stat().st_size)
            report.captures_forgotten += forgotten
            if forgotten:
                logger.warning("%s: %d catalogued captures were in the torn tail; they will be fetched again",
                               sealed.name, forgotten)
            note = f"recovered after crash, {dropped} torn bytes dropped"
            self.catalog.set_warc_file(sealed.name, "closed", size=sealed.stat().st_size, note=note)
        self.catalog.commit()
        return report

    def _file_closed(self, path: Path) -> None:
        lines = self._pending_index.pop(path.name, [])
        write_index(lines, self.index_dir / f"{path.name}.cdxj")
        self.catalog.set_warc_file(
            path.name, "closed", records=self._records_in_file.pop(path.name, 0),
            size=path.stat().st_size,
        )
        self.catalog.commit()

    def _written(self, location: RecordLocation, count: int = 1) -> None:
        name = location.filename
        if name not in self._records_in_file:
            self._records_in_file[name] = 1  # the warcinfo record
            self.catalog.set_warc_file(name, "open")
        self._records_in_file[name] += count

    # -- writing -------------------------------------------------------------------------
    def write_capture(self, request, response, kind: str) -> CaptureRef:
        """Write a request/response pair (warcio records sharing WARC-Date) and catalog it."""
        req_loc, resp_loc = self.writer.write_group([request, response])
        self._written(resp_loc, 2)
        url = _header(response, "WARC-Target-URI")
        warc_date = _header(response, "WARC-Date")
        http = response.http_headers
        status = int(http.get_statuscode()) if http.get_statuscode().isdigit() else None
        mime = mime_of(http.get_header("Content-Type"))
        digest = _header(response, "WARC-Payload-Digest")
        self._pending_index.setdefault(resp_loc.filename, []).append(cdxj_line(
            url, warc_date, mime=mime, status=status, digest=digest,
            length=resp_loc.length, offset=resp_loc.offset, filename=resp_loc.filename,
        ))
        record_id = _header(response, "WARC-Record-ID")
        capture_id = self.catalog.add_capture(CaptureRow(
            url=url, surt=surt_key(url), timestamp=timestamp14(warc_date), warc_date=warc_date,
            record_id=record_id, status=status, mime=mime, kind=kind, payload_digest=digest,
            warc_file=resp_loc.filename, warc_offset=resp_loc.offset, warc_length=resp_loc.length,
            truncated=_header(response, "WARC-Truncated"), job=self.config.job,
        ))
        self.history.add_validators(capture_id, http.get_header("ETag"), http.get_header("Last-Modified"))
        self.catalog.commit()
        return CaptureRef(url, record_id, warc_date, resp_loc, capture_id)

    def write_revisit(self, request, revisit, previous: PreviousCapture) -> CaptureRef:
        """Write a request/revisit pair (or the revisit alone when ``request`` is None)
        referring to ``previous``'s payload, and catalog it."""
        records = [revisit] if request is None else [request, revisit]
        loc = self.writer.write_group(records)[-1]
        self._written(loc, len(records))
        url = _header(revisit, "WARC-Target-URI")
        warc_date = _header(revisit, "WARC-Date")
        http = revisit.http_headers
        status = int(http.get_statuscode()) if http.get_statuscode().isdigit() else None
        digest = _header(revisit, "WARC-Payload-Digest")
        self._pending_index.setdefault(loc.filename, []).append(cdxj_line(
            url, warc_date, mime="warc/revisit", status=status, digest=digest,
            length=loc.length, offset=loc.offset, filename=loc.filename,
            extra={"orig_url": previous.original_uri},
        ))
        record_id = _header(revisit, "WARC-Record-ID")
        capture_id = self.catalog.add_capture(CaptureRow(
            url=url, surt=surt_key(url), timestamp=timestamp14(warc_date), warc_date=warc_date,
            record_id=record_id, status=status, mime="warc/revisit", kind="revisit",
            payload_digest=digest, warc_file=loc.filename, warc_offset=loc.offset,
            warc_length=loc.length, job=self.config.job,
        ))
        self.history.add_revisit(capture_id, _header(revisit, "WARC-Profile"), previous)
        self.history.add_validators(capture_id, http.get_header("ETag"), http.get_header("Last-Modified"))
        self.catalog.commit()
        return CaptureRef(url, record_id, warc_date, loc, capture_id)

    def warc_path(self, name: str) -> Path:
        """A catalogued WARC file, closed or still being written."""
        path = self.warc_dir / name
        if not path.exists() and (self.warc_dir / (name + OPEN_SUFFIX)).exists():
            return self.warc_dir / (name + OPEN_SUFFIX)
        return path

    def version_text(self, version: Version) -> str:
        record = read_record(self.warc_path(version.conversion_file), version.conversion_offset,
                             version.conversion_length)
        return record.payload.decode("utf-8")

    def latest_version(self, url: str) -> Version | None:
        """The latest archived text of ``url`` (its conversion record and text hash)."""
        self.history.ensure_versions(url)
        return self.history.latest_version(url)

    def write_article(self, capture: CaptureRef, article: Article) -> tuple[RecordLocation, RecordLocation]:
        """Conversion (text) and metadata (JSON) records referring to the response."""
        meta = {k: v for k, v in article.as_dict().items() if k != "text"}
        conversion = self.factory.conversion(capture.url, capture.warc_date, capture.record_id, article.text)
        metadata = self.factory.metadata(capture.url, capture.warc_date, capture.record_id, meta)
        conv_loc, meta_loc = self.writer.write_group([conversion, metadata])
        self._written(conv_loc, 2)
        self.catalog.add_article(ArticleRow(
            capture_id=capture.capture_id, url=capture.url, canonical_url=article.canonical_url,
            title=article.title, authors=article.authors, published=article.published,
            sitename=article.sitename, language=article.language, text_hash=article.text_hash,
            text_length=len(article.text), extractor=article.extractor,
            conversion_file=conv_loc.filename, conversion_offset=conv_loc.offset,
            conversion_length=conv_loc.length, metadata_file=meta_loc.filename,
            metadata_offset=meta_loc.offset, metadata_length=meta_loc.length,
            modified=article.modified, description=article.description, section=article.section,
            tags=article.tags, image=article.image, amp_url=article.amp_url,
            page_class=article.page_class, page_signals=article.page_signals,
        ))
        self._add_version(capture, article)
        self.catalog.commit()
        return conv_loc, meta_loc

    def _add_version(self, capture: CaptureRef, article: Article) -> None:
        if self.history.has_version(capture.capture_id):
            # extracted again (a replay): the page did not change, its version stands;
            # the catalog's extractions lists every extraction
            return
        self.history.ensure_versions(capture.url, before=capture.capture_id)
        previous = self.history.latest_version(capture.url)
        diff = None
        if previous is not None:
            try:
                old = self.version_text(previous)
            except (OSError, ValueError) as exc:
                logger.warning("Previous text of %s unreadable, no diff kept: %s", capture.url, exc)
            else:
                diff = diff_texts(old, article.text, previous.warc_date, capture.warc_date)
        self.history.add_version(
            capture.capture_id, capture.url, article.text_hash, previous,
            diff.unified if diff else None, diff.added_words if diff else None,
            diff.removed_words if diff else None,
        )

    @property
    def bytes_written(self) -> int:
        return self.writer.bytes_written

    def close(self) -> None:
        self.writer.close()
        self.catalog.close()
