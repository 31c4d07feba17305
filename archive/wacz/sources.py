"""What goes into a WACZ: the archive's closed WARC files and the files its catalog refers to.

Imported captures are cataloged by *location* (see ``warc.locations``): a WARC file anywhere,
a WARC member of an imported WACZ, or a WARC gzipped as one whole-file member. The first two
go into the WACZ as they are (a member's bytes, not the ZIP around them); the third is
re-framed, one gzip member per record (``reframe``), because offsets into a whole-file gzip
are offsets into its decompressed stream, which no replay tool can seek to.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import CatalogStore, catalog_exists, catalog_path, catalog_errors
from ..catalog import open_catalog as open_catalog_readonly
from ..importer.service import index_name
from ..warc.locations import split_location
from ..warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc.gz", ".warc")
REFRAMED_SUFFIX = ".per-record.warc.gz"


class WaczError(ValueError):
    """The archive cannot be packaged (nothing to package, unreadable catalog, ...)."""


@dataclass(frozen=True)
class WarcSource:
    path: Path  # the file read: the WARC itself, the WACZ holding it, or the whole-file gzip
    name: str  # the name inside the WACZ's archive/ directory
    index: Path | None  # a CDXJ of this source (the archive's or the importer's), when there is one
    location: str = ""  # how the catalog names it: a file name in warc/, or an imported location
    member: str | None = None  # the WARC member of a WACZ that is exported
    reframe: bool = False  # a whole-file gzip, exported one gzip member per record

    @property
    def catalog_name(self) -> str:
        return self.location or self.name

    @property
    def opened(self) -> str:
        """What ``open_location`` opens to read this source's records at their indexed offsets."""
        return f"{self.path}#{self.member}" if self.member else str(self.path)


@dataclass
class Reframed:
    """A whole-file gzip WARC exported with one gzip member per record."""

    location: str
    name: str
    records: int = 0
    bytes_left_out: int = 0  # unreadable bytes between records in the original
    lines_dropped: int = 0  # index lines that matched no record boundary

    def as_dict(self) -> dict:
        return {"location": self.location, "name": self.name, "records": self.records,
                "bytes_left_out": self.bytes_left_out, "lines_dropped": self.lines_dropped}


@dataclass
class ExportReport:
    path: Path
    warc_files: list[str] = field(default_factory=list)
    skipped_open: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    indexed_here: list[str] = field(default_factory=list)
    reframed: list[Reframed] = field(default_factory=list)
    captures: int = 0
    pages: int = 0
    bytes: int = 0
    texts_missing: int = 0  # pages listed without text: the conversion record was unreadable


def open_catalog(root: Path) -> CatalogStore | None:
    if not catalog_exists(root):
        return None
    try:
        catalog = open_catalog_readonly(root, readonly=True)
        catalog.counts()
    except catalog_errors() as exc:
        raise WaczError(f"cannot read the catalog {catalog_path(root)}: {exc}") from exc
    return catalog


def _has_member(path: str, member: str) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return member in zf.NameToInfo
    except (OSError, zipfile.BadZipFile):
        return False


def _imported(location: str, index_dir: Path, names: set[str]) -> WarcSource | None:
    loc = split_location(location)
    if not os.path.isfile(loc.path):
        return None
    if loc.member is not None and not loc.decompressed and not _has_member(loc.path, loc.member):
        return None
    if loc.decompressed:
        base = Path(loc.path).name.removesuffix(".gz").removesuffix(".warc")
        name = base + REFRAMED_SUFFIX
    else:
        name = Path(loc.member or loc.path).name
    if name in names:  # two imported files of one name: keep both, apart
        name = f"{hashlib.sha1(location.encode()).hexdigest()[:10]}-{name}"
    names.add(name)
    index = index_dir / index_name(location)
    return WarcSource(Path(loc.path), name, index if index.is_file() else None, location=location,
                      member=None if loc.decompressed else loc.member, reframe=loc.decompressed)


def collect_warcs(root: Path, catalog: CatalogStore | None, report: ExportReport) -> list[WarcSource]:
    """The archive's closed WARC files, then the imported locations the catalog refers to."""
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
        for warc_file in catalog.capture_locations():
            if not os.path.isabs(split_location(warc_file).path):
                if not (warc_dir / warc_file).exists() and not (warc_dir / (warc_file + OPEN_SUFFIX)).exists():
                    report.missing.append(warc_file)
                continue
            source = _imported(warc_file, index_dir, names)
            if source is None:
                report.missing.append(warc_file)
            else:
                sources.append(source)
    for name in report.missing:
        logger.warning("The catalog refers to %s, which does not exist: its captures are left out", name)
    return sources
