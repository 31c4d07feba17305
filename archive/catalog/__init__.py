"""The catalog: the one owner of the tables captures, articles, extractions, warc_files,
validators, revisits and versions, their schema version, migrations and queries.

Derived data: everything here can be rebuilt from the WARC files (``wirecopy index rebuild``).
``open_catalog`` opens SQLite in the archive directory by default, PostgreSQL when
``CatalogOptions.catalog_url`` (or the archive's remembered location) is a postgresql:// URL,
or the class ``CatalogOptions.catalog_class`` names.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

from .location import (CATALOG_FILE, LOCATION_FILE, CatalogMismatch, CatalogUnavailable, catalog_class, catalog_exists, catalog_path,
                       located, remember)
from .options import CatalogOptions
from .protocol import CatalogStore
from .rows import (PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, ArticleRow, ArticleState, CaptureKind, CaptureRow,
                   PreviousCapture, RevisitLink, Version)
from .sqlite import CatalogBusy, CatalogWriteError, SQLiteCatalog

Catalog = SQLiteCatalog

__all__ = ["ArticleRow", "ArticleState", "CATALOG_FILE", "CaptureKind", "CaptureRow", "Catalog", "CatalogBusy",
           "CatalogOptions", "CatalogMismatch", "CatalogStore", "CatalogUnavailable", "CatalogWriteError", "LOCATION_FILE", "PROFILE_IDENTICAL",
           "PROFILE_NOT_MODIFIED", "PreviousCapture", "RevisitLink", "SQLiteCatalog", "Version", "catalog_exists", "database_errors",
           "catalog_path", "open_catalog"]


def database_errors() -> tuple[type[Exception], ...]:
    """The exceptions a catalog's database may raise, whichever back-end it is."""
    import sqlite3

    import psycopg

    return (sqlite3.Error, psycopg.Error)


def open_catalog(root: str | Path, options: CatalogOptions | None = None, kind_of_record=None,
                 readonly: bool = False) -> CatalogStore:
    """The catalog of an archive directory, migrated to the current schema; ``readonly``: for
    queries only, as it is (``FileNotFoundError`` when there is none)."""
    options = located(root, options)
    cls = pkgutil.resolve_name(catalog_class(options))
    if options.catalog_url:
        catalog = cls(options.catalog_url, options, kind_of_record, readonly=readonly)
        if not readonly:
            try:
                remember(root, options)
            except BaseException:
                catalog.close()
                raise
        return catalog
    return cls(catalog_path(root), options, kind_of_record, readonly=readonly)
