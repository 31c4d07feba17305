"""What goes into a WACZ: the archive's closed WARC files and the files its catalog refers to."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..warc.writer import OPEN_SUFFIX

logger = logging.getLogger(__name__)

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
    texts_missing: int = 0  # pages listed without text: the conversion record was unreadable


def open_catalog(root: Path) -> sqlite3.Connection | None:
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
