"""The catalog: the one owner of the tables captures, articles, extractions, warc_files,
validators, revisits and versions, their schema version, migrations and queries.

Derived data: everything here can be rebuilt from the WARC files (``wirecopy index rebuild``).
``open_catalog`` opens the class ``CatalogOptions.catalog_class`` names (SQLite by default).
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

from .options import CatalogOptions
from .protocol import CatalogStore
from .rows import (PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, ArticleRow, ArticleState, CaptureKind, CaptureRow,
                   PreviousCapture, RevisitLink, Version)
from .sqlite import CatalogBusy, CatalogWriteError, SQLiteCatalog

CATALOG_FILE = "catalog.sqlite"

Catalog = SQLiteCatalog

__all__ = ["ArticleRow", "ArticleState", "CATALOG_FILE", "CaptureKind", "CaptureRow", "Catalog", "CatalogBusy",
           "CatalogOptions", "CatalogStore", "CatalogWriteError", "PROFILE_IDENTICAL", "PROFILE_NOT_MODIFIED",
           "PreviousCapture", "RevisitLink", "SQLiteCatalog", "Version", "catalog_path", "open_catalog"]


def catalog_path(root: str | Path) -> Path:
    """The catalog file of an archive directory."""
    return Path(root) / CATALOG_FILE


def open_catalog(root: str | Path, options: CatalogOptions | None = None, kind_of_record=None,
                 readonly: bool = False) -> CatalogStore:
    """The catalog of an archive directory, migrated to the current schema; ``readonly``: for
    queries only, as it is (``FileNotFoundError`` when there is none)."""
    options = options or CatalogOptions()
    cls = pkgutil.resolve_name(options.catalog_class)
    return cls(catalog_path(root), options, kind_of_record, readonly=readonly)
