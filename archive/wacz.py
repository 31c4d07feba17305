"""Package an archive as a WACZ 1.1.1 file (Web Archive Collection Zipped).

    archive/<name>.warc.gz      every closed WARC file, byte for byte, ZIP_STORED
    indexes/index.cdx.gz        the archive's CDXJ lines merged and sorted, in gzip blocks
    indexes/index.idx           one line per block (ZipNum, as py-wacz and ArchiveWeb.page write)
    pages/pages.jsonl           one page per archived article: url, ts, title, text, ...
    datapackage.json            every file above with its sha256 and size
    datapackage-digest.json     the sha256 of datapackage.json

A WARC file still being written (``*.warc.gz.open``) is skipped with a warning and never
opened: its captures are not indexed yet and it changes while we read. Index lines come from
``indexes/<warc>.cdxj``; a file without one (imported, or sealed by a crash) is indexed here.
Everything streams through temporary files, so the memory used does not grow with the archive.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import logging
import os
import re
import sqlite3
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Iterable, Iterator

from .index.cdxj import index_warc
from .warc.reader import iter_records, read_record
from .warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

WACZ_VERSION = "1.1.1"
# lines per gzip block of index.cdx.gz: py-wacz's and ArchiveWeb.page's default
CDX_BLOCK_LINES = 1024
PAGES_PATH = "pages/pages.jsonl"
CDX_PATH = "indexes/index.cdx.gz"
IDX_PATH = "indexes/index.idx"
COPY_CHUNK = 1 << 20
WARC_SUFFIXES = (".warc.gz", ".warc")


class WaczError(ValueError):
    """The archive cannot be packaged (nothing to package, unreadable catalog, ...)."""


@dataclass(frozen=True)
class WarcSource:
    path: Path
    name: str  # the name inside the WACZ's archive/ directory
    index: Path | None  # the archive's CDXJ of this file, when it has one


@dataclass
class ExportReport:
    path: Path
    warc_files: list[str] = field(default_factory=list)
    skipped_open: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    indexed_here: list[str] = field(default_factory=list)
    captures: int = 0
    pages: int = 0
    bytes: int = 0


def software_name() -> str:
    try:
        return f"wirecopy {version('wirecopy')}"
    except PackageNotFoundError:
        return "wirecopy"


# -- what goes in -------------------------------------------------------------------------
def _catalog(root: Path) -> sqlite3.Connection | None:
    path = root / "catalog.sqlite"
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        db.row_factory = sqlite3.Row
        db.execute("SELECT 1 FROM captures LIMIT 1")
    except sqlite3.Error as exc:
        raise WaczError(f"cannot read the catalog {path}: {exc}") from exc
    return db


def collect_warcs(root: Path, catalog: sqlite3.Connection | None, report: ExportReport) -> list[WarcSource]:
    """The archive's closed WARC files, then files outside it that the catalog refers to."""
    warc_dir, index_dir = root / "warc", root / "indexes"
    sources: list[WarcSource] = []
    names: set[str] = set()
    for path in sorted(warc_dir.iterdir()) if warc_dir.is_dir() else []:
        if path.name.endswith(OPEN_SUFFIX):
            logger.warning("Skipping %s: the WARC file is still being written (export again "
                           "once it is closed to include it)", path.name)
            report.skipped_open.append(path.name)
        elif path.is_file() and path.name.endswith(WARC_SUFFIXES):
            index = index_dir / f"{path.name}.cdxj"
            sources.append(WarcSource(path, path.name, index if index.is_file() else None))
            names.add(path.name)
    if catalog is not None:
        for (warc_file,) in catalog.execute("SELECT DISTINCT warc_file FROM captures ORDER BY 1"):
            path = Path(warc_file)
            if not path.is_absolute():
                if not (warc_dir / warc_file).exists() and not (warc_dir / (warc_file + OPEN_SUFFIX)).exists():
                    report.missing.append(warc_file)
                continue
            if not path.is_file():
                report.missing.append(warc_file)
                continue
            name = path.name
            if name in names:  # two imported files of one name: keep both, apart
                name = f"{hashlib.sha1(str(path).encode()).hexdigest()[:10]}-{name}"
            names.add(name)
            sources.append(WarcSource(path, name, None))
    for name in report.missing:
        logger.warning("The catalog refers to %s, which does not exist: its captures are left out", name)
    return sources


# -- the index ------------------------------------------------------------------------------
def _source_lines(source: WarcSource, report: ExportReport) -> Iterator[str]:
    if source.index is not None:
        lines: Iterable[str] = _read_lines(source.index)
    else:
        report.indexed_here.append(source.name)
        lines = index_warc(source.path)  # sorted below; only for files the archive has no CDXJ of
        lines = sorted(lines)
    for line in lines:
        key, stamp, data = line.split(" ", 2)
        fields = json.loads(data)
        fields["filename"] = source.name
        yield f"{key} {stamp} {json.dumps(fields)}"


def _read_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("!"):
                yield line


class ZipNumWriter:
    """Sorted CDXJ lines as a series of gzip members, plus the ``.idx`` lines that locate them:
    ``<key> <timestamp> {"offset", "length", "digest"}`` of each block's first line."""

    def __init__(self, data_out: IO[bytes], data_name: str, block_lines: int = CDX_BLOCK_LINES):
        self.data_out = data_out
        self.block_lines = block_lines
        self.block: list[str] = []
        self.offset = 0
        self.lines = 0
        self.idx = [f"!meta 0 {json.dumps({'format': 'cdxj-gzip-1.0', 'filename': data_name})}\n"]

    def write(self, line: str) -> None:
        self.block.append(line + "\n")
        self.lines += 1
        if len(self.block) >= self.block_lines:
            self.flush()

    def flush(self) -> None:
        if not self.block:
            return
        compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        member = compressor.compress("".join(self.block).encode("utf-8")) + compressor.flush()
        prefix = self.block[0].split(" {", 1)[0]
        entry = {"offset": self.offset, "length": len(member),
                 "digest": "sha256:" + hashlib.sha256(member).hexdigest()}
        self.idx.append(f"{prefix} {json.dumps(entry)}\n")
        self.data_out.write(member)
        self.offset += len(member)
        self.block = []


def write_index(sources: list[WarcSource], data_out: IO[bytes], report: ExportReport,
                block_lines: int = CDX_BLOCK_LINES) -> list[str]:
    """Merge the per-file CDXJ (each sorted) into ``data_out``; returns the idx lines."""
    writer = ZipNumWriter(data_out, Path(CDX_PATH).name, block_lines)
    for line in heapq.merge(*(_source_lines(s, report) for s in sources)):
        writer.write(line)
    writer.flush()
    report.captures = writer.lines
    return writer.idx


# -- the pages ------------------------------------------------------------------------------
def _record_uuid(record_id: str | None) -> str | None:
    if not record_id:
        return None
    return record_id.strip("<>").removeprefix("urn:uuid:")


def _page(url: str, warc_date: str, title: str | None, text: str | None, page_id: str | None,
          extra: dict) -> dict:
    page = {"id": page_id, "url": url, "ts": warc_date, "title": title or url}
    page.update({k: v for k, v in extra.items() if v})
    if text is not None:
        page["text"] = text
    return {k: v for k, v in page.items() if v is not None}


def _catalog_pages(root: Path, catalog: sqlite3.Connection, sources: list[WarcSource],
                   with_text: bool) -> Iterator[dict]:
    by_catalog_name = {}
    for source in sources:
        key = str(source.path) if source.path.parent != root / "warc" else source.name
        by_catalog_name[key] = source
    rows = catalog.execute(
        "SELECT a.url, a.title, a.published, a.language, a.sitename, a.canonical_url, a.authors,"
        " a.conversion_file, a.conversion_offset, a.conversion_length,"
        " c.warc_date, c.warc_file, c.record_id"
        " FROM articles a JOIN captures c ON c.id = a.capture_id ORDER BY c.id")
    for row in rows:
        if row["warc_file"] not in by_catalog_name:
            continue  # in a file still being written, or missing
        text = None
        if with_text:
            conversion = Path(root, "warc", row["conversion_file"])
            if not conversion.is_file():
                logger.warning("Article %s: its text is in %s, which is not closed yet; page "
                               "listed without text", row["url"], row["conversion_file"])
            else:
                record = read_record(conversion, row["conversion_offset"], row["conversion_length"])
                text = record.payload.decode("utf-8", "replace")
        yield _page(row["url"], row["warc_date"], row["title"], text, _record_uuid(row["record_id"]), {
            "published": row["published"], "language": row["language"], "site": row["sitename"],
            "canonical": row["canonical_url"], "authors": json.loads(row["authors"] or "[]"),
        })


def _warc_pages(sources: list[WarcSource], with_text: bool) -> Iterator[dict]:
    """Pages from the conversion and metadata records themselves (no catalog)."""
    for source in sources:
        texts: dict[str, str] = {}
        for record in iter_records(source.path, types=("conversion", "metadata")):
            refers_to = record.header("WARC-Refers-To")
            if record.rec_type == "conversion":
                texts[refers_to] = record.payload.decode("utf-8", "replace")
                continue
            if refers_to not in texts:
                continue
            text = texts.pop(refers_to)
            try:
                meta = json.loads(record.payload)
            except ValueError:
                logger.warning("Unreadable metadata record at %s:%d", source.name, record.offset)
                meta = {}
            yield _page(record.header("WARC-Target-URI"), record.header("WARC-Date"), meta.get("title"),
                        text if with_text else None, _record_uuid(refers_to), {
                            "published": meta.get("published"), "language": meta.get("language"),
                            "site": meta.get("sitename"), "canonical": meta.get("canonical_url"),
                            "authors": meta.get("authors") or [],
                        })


def write_pages(pages: Iterable[dict], out: IO[bytes], title: str, with_text: bool) -> int:
    header = {"format": "json-pages-1.0", "id": "pages", "title": title}
    if with_text:
        header["hasText"] = True
    out.write((json.dumps(header) + "\n").encode("utf-8"))
    count = 0
    for page in pages:
        out.write((json.dumps(page, ensure_ascii=False) + "\n").encode("utf-8"))
        count += 1
    return count


# -- the ZIP --------------------------------------------------------------------------------
def _resource_name(path: str) -> str:
    """Frictionless resource names: lower case letters, digits, ``.``, ``_``, ``-``, ``/``."""
    return re.sub(r"[^-a-z0-9._/]", "-", Path(path).name.lower())


class WaczZip:
    """A ZIP being written, with the sha256 and size of each member for datapackage.json."""

    def __init__(self, fileobj: IO[bytes]):
        self.zip = zipfile.ZipFile(fileobj, "w", allowZip64=True)
        self.resources: list[dict] = []

    def add_file(self, src: Path, arcname: str, compress: bool = False) -> None:
        info = zipfile.ZipInfo.from_file(src, arcname)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        digest, size = hashlib.sha256(), 0
        with open(src, "rb") as f, self.zip.open(info, "w") as out:
            while chunk := f.read(COPY_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.resources.append({"name": _resource_name(arcname), "path": arcname,
                               "hash": "sha256:" + digest.hexdigest(), "bytes": size})

    def add_bytes(self, arcname: str, data: bytes, listed: bool = True) -> None:
        info = zipfile.ZipInfo(arcname, datetime.now(timezone.utc).timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        if listed:
            self.resources.append({"name": _resource_name(arcname), "path": arcname,
                                   "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)})

    def close(self) -> None:
        self.zip.close()


def export_wacz(root: str | os.PathLike, dest: str | os.PathLike, *, title: str | None = None,
                description: str | None = None, with_text: bool = True,
                block_lines: int = CDX_BLOCK_LINES) -> ExportReport:
    """Write ``dest`` (written as ``dest.tmp`` and renamed once complete)."""
    root, dest = Path(root), Path(dest)
    if not (root / "warc").is_dir():
        raise WaczError(f"{root} is not an archive directory (no warc/ in it)")
    report = ExportReport(dest)
    catalog = _catalog(root)
    try:
        sources = collect_warcs(root, catalog, report)
        if not sources:
            raise WaczError(f"no closed WARC file to export in {root / 'warc'}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        try:
            with tempfile.TemporaryDirectory(prefix=".wacz-", dir=dest.parent) as work, open(tmp, "wb") as out:
                _write(root, sources, catalog, Path(work), out, report, title=title or f"wirecopy archive {root.resolve().name}",
                       description=description, with_text=with_text, block_lines=block_lines)
            os.replace(tmp, dest)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    finally:
        if catalog is not None:
            catalog.close()
    report.bytes = dest.stat().st_size
    return report


def _write(root: Path, sources: list[WarcSource], catalog: sqlite3.Connection | None, work: Path,
           out: IO[bytes], report: ExportReport, *, title: str, description: str | None,
           with_text: bool, block_lines: int) -> None:
    wacz = WaczZip(out)
    for source in sources:
        wacz.add_file(source.path, f"archive/{source.name}")
        report.warc_files.append(source.name)

    cdx = work / "index.cdx.gz"
    with open(cdx, "wb") as data_out:
        idx = write_index(sources, data_out, report, block_lines)
    wacz.add_file(cdx, CDX_PATH)
    wacz.add_bytes(IDX_PATH, "".join(idx).encode("utf-8"))

    pages_file = work / "pages.jsonl"
    pages = _catalog_pages(root, catalog, sources, with_text) if catalog is not None else _warc_pages(sources, with_text)
    with open(pages_file, "wb") as pages_out:
        report.pages = write_pages(pages, pages_out, "Articles", with_text)
    wacz.add_file(pages_file, PAGES_PATH, compress=True)

    created = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    package = {
        "profile": "data-package",
        "resources": wacz.resources,
        "title": title,
        "description": description or (
            f"Articles: {report.pages}; captures: {report.captures}; WARC files: {len(sources)}."
            " Archived by wirecopy."),
        "created": created,
        "modified": created,
        "software": software_name(),
        "wacz_version": WACZ_VERSION,
    }
    package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
    wacz.add_bytes("datapackage.json", package_bytes, listed=False)
    digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
    wacz.add_bytes("datapackage-digest.json", json.dumps(digest, indent=2).encode("utf-8"), listed=False)
    wacz.close()
