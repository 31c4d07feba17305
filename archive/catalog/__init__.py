"""The catalog: the one owner of the tables captures, articles, extractions, warc_files,
validators, revisits and versions, and of the story tables (``story_*``), their one schema
version, migrations and queries.

Derived data: everything here can be rebuilt from the WARC files (``wirecopy index rebuild``,
``wirecopy stories rebuild``). ``open_catalog`` opens the class ``CatalogOptions.catalog_class``
names, ``open_story_store`` the class ``CatalogOptions.story_store_class`` names (SQLite by default).
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

from .options import DEFAULT_STORY_STORE_CLASS, CatalogOptions
from .protocol import CatalogStore, Row
from .rows import (PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED, ArticleRow, ArticleState, CaptureKind, CaptureRow,
                   PreviousCapture, RevisitLink, Version)
from .sqlite import CatalogBusy, CatalogWriteError, SQLiteCatalog
from .stories_protocol import DocInfo, StoryStore
from .stories_schema import STORY_TABLES

CATALOG_FILE = "catalog.sqlite"

Catalog = SQLiteCatalog

__all__ = ["ArticleRow", "ArticleState", "CATALOG_FILE", "CaptureKind", "CaptureRow", "Catalog", "CatalogBusy",
           "CatalogOptions", "CatalogStore", "CatalogWriteError", "DocInfo", "PROFILE_IDENTICAL",
           "PROFILE_NOT_MODIFIED", "PreviousCapture", "RevisitLink", "Row", "SQLiteCatalog", "STORY_TABLES",
           "StoryStore", "Version", "catalog_errors", "catalog_path", "open_catalog", "open_story_store"]


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


def catalog_errors(options: CatalogOptions | None = None) -> tuple[type[Exception], ...]:
    """What the catalog class of ``options`` raises when its database is unreadable or locked."""
    return pkgutil.resolve_name((options or CatalogOptions()).catalog_class).errors


def open_story_store(root: str | Path | None, options: CatalogOptions | None = None,
                     kind_of_record=None) -> StoryStore:
    """The story store of an archive directory, its catalog migrated to the current schema
    (``kind_of_record`` as for ``open_catalog``); ``root`` None: a private store in memory
    (SQLite), for tracking texts without an archive."""
    options = options or CatalogOptions()
    if root is None:
        return pkgutil.resolve_name(DEFAULT_STORY_STORE_CLASS)(":memory:", options)
    cls = pkgutil.resolve_name(options.story_store_class)
    return cls(catalog_path(root), options, kind_of_record)
