"""How a catalog is opened: where (a SQLite file in the archive, or a PostgreSQL URL), which
classes (catalog and story store), and their patience with a locked or unavailable database."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_CLASS = "archive.catalog.sqlite.SQLiteCatalog"
DEFAULT_STORY_STORE_CLASS = "archive.catalog.stories_sqlite.SQLiteStore"
POSTGRES_CLASS = "archive.catalog.postgres.PostgresCatalog"
POSTGRES_STORY_STORE_CLASS = "archive.catalog.stories_postgres.PostgresStoryStore"


@dataclass(frozen=True)
class CatalogOptions:
    catalog_class: str = DEFAULT_CLASS
    story_store_class: str = DEFAULT_STORY_STORE_CLASS
    catalog_url: str = ""  # postgresql://...: the PostgreSQL catalog; empty: SQLite in the archive
    catalog_schema: str = "wirecopy"  # the PostgreSQL schema holding this archive's tables
    pool_size: int = 4  # PostgreSQL connections at most
    connect_timeout: float = 30.0  # seconds to wait for a PostgreSQL connection
    busy_timeout: float = 5.0  # seconds a statement waits for a lock before it fails
    retries: int = 3  # transactions retried this many times, with back-off, before rows are queued
    retry_delay: float = 0.1  # first back-off, doubled each time
    retry_max_delay: float = 2.0
    flush_rounds: int = 3  # passes over the queue at close, each with every retry

    @classmethod
    def from_settings(cls, settings) -> "CatalogOptions":
        """From ``CATALOG_*`` settings (a Scrapy ``Settings`` or anything with ``get``); one left
        unset keeps the field's value above, the library's (the project's own are in
        ``crawler/settings.py``, and a test holds the two equal)."""
        def value(name: str, field: str, kind):
            found = settings.get(name)
            return getattr(cls, field) if found is None or found == "" else kind(found)
        return cls(**{field: value(name, field, kind) for name, (field, kind) in SETTINGS.items()})


# CATALOG_* settings -> CatalogOptions fields
SETTINGS = {
    "CATALOG_CLASS": ("catalog_class", str), "CATALOG_STORY_STORE_CLASS": ("story_store_class", str),
    "CATALOG_URL": ("catalog_url", str), "CATALOG_SCHEMA": ("catalog_schema", str),
    "CATALOG_POOL_SIZE": ("pool_size", int), "CATALOG_CONNECT_TIMEOUT": ("connect_timeout", float),
    "CATALOG_BUSY_TIMEOUT": ("busy_timeout", float), "CATALOG_RETRIES": ("retries", int),
    "CATALOG_RETRY_DELAY": ("retry_delay", float), "CATALOG_RETRY_MAX_DELAY": ("retry_max_delay", float),
    "CATALOG_FLUSH_ROUNDS": ("flush_rounds", int),
}
