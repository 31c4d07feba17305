"""The catalog: the one owner of the tables captures, articles, extractions, warc_files,
validators, revisits and versions, and of the story tables (``story_*``), their one schema
version, migrations and queries.

Derived data: everything here can be rebuilt from the WARC files (``wirecopy index rebuild``,
``wirecopy stories rebuild``). ``open_catalog`` opens SQLite in the archive directory by default,
PostgreSQL when ``CatalogOptions.catalog_url`` (or the archive's remembered location) is a
postgresql:// URL, or the class ``CatalogOptions.catalog_class`` names; ``open_story_store`` keeps
the story tables beside the catalog's: in the same PostgreSQL schema, or in ``catalog.sqlite``
(the class ``CatalogOptions.story_store_class`` names).
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

from .location import (CATALOG_FILE, LOCATION_FILE, CatalogMismatch, CatalogUnavailable, catalog_class, catalog_exists,
                       catalog_path, located, remember)
from .options import DEFAULT_STORY_STORE_CLASS, POSTGRES_STORY_STORE_CLASS, CatalogOptions
from .protocol import CatalogStore, Row
from .rows import (PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, ArticleRow, ArticleState, CaptureKind, CaptureRow,
                   PreviousCapture, RevisitLink, Version)
from .sqlite import SQLiteCatalog
from .units import CatalogBusy, CatalogWriteError
from .stories_protocol import DocInfo, StoryStore
from .stories_schema import STORY_TABLES

Catalog = SQLiteCatalog

__all__ = ["ArticleRow", "ArticleState", "CATALOG_FILE", "CaptureKind", "CaptureRow", "Catalog", "CatalogBusy",
           "CatalogMismatch", "CatalogOptions", "CatalogStore", "CatalogUnavailable", "CatalogWriteError", "DocInfo",
           "LOCATION_FILE", "PROFILE_IDENTICAL", "PROFILE_NOT_MODIFIED", "PreviousCapture", "RevisitLink", "Row",
           "SQLiteCatalog", "STORY_TABLES", "StoryStore", "Version", "catalog_errors", "catalog_exists",
           "catalog_path", "open_catalog", "open_story_store"]


def catalog_errors(options: CatalogOptions | None = None) -> tuple[type[Exception], ...]:
    """What a catalog's database raises when it is unreadable, locked or unreachable, whichever
    back-end it is (an archive may name its PostgreSQL catalog only in its location file)."""
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


def open_story_store(root: str | Path | None, options: CatalogOptions | None = None,
                     kind_of_record=None) -> StoryStore:
    """The story store of an archive directory, its catalog migrated to the current schema
    (``kind_of_record`` as for ``open_catalog``), where the catalog is: the PostgreSQL one
    ``options`` or the archive's remembered location name, else ``catalog.sqlite``; ``root``
    None: a private store in memory (SQLite), for tracking texts without an archive."""
    options = options or CatalogOptions()
    if root is None:
        return pkgutil.resolve_name(DEFAULT_STORY_STORE_CLASS)(":memory:", options)
    options = located(root, options)
    if options.catalog_url:
        catalog_class(options)  # a URL that is not postgresql:// is refused here too
        name = (POSTGRES_STORY_STORE_CLASS if options.story_store_class == DEFAULT_STORY_STORE_CLASS
                else options.story_store_class)
        store = pkgutil.resolve_name(name)(options.catalog_url, options, kind_of_record)
        try:
            remember(root, options)
        except BaseException:
            store.close()
            raise
        return store
    cls = pkgutil.resolve_name(options.story_store_class)
    return cls(catalog_path(root), options, kind_of_record)
