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
        """From ``CATALOG_*`` settings (a Scrapy ``Settings`` or anything with ``get``)."""
        return cls(
            catalog_class=str(settings.get("CATALOG_CLASS") or DEFAULT_CLASS),
            story_store_class=str(settings.get("CATALOG_STORY_STORE_CLASS") or DEFAULT_STORY_STORE_CLASS),
            catalog_url=str(settings.get("CATALOG_URL") or ""),
            catalog_schema=str(settings.get("CATALOG_SCHEMA") or cls.catalog_schema),
            pool_size=int(settings.get("CATALOG_POOL_SIZE", cls.pool_size)),
            connect_timeout=float(settings.get("CATALOG_CONNECT_TIMEOUT", cls.connect_timeout)),
            busy_timeout=float(settings.get("CATALOG_BUSY_TIMEOUT", cls.busy_timeout)),
            retries=int(settings.get("CATALOG_RETRIES", cls.retries)),
            retry_delay=float(settings.get("CATALOG_RETRY_DELAY", cls.retry_delay)),
            retry_max_delay=float(settings.get("CATALOG_RETRY_MAX_DELAY", cls.retry_max_delay)),
            flush_rounds=int(settings.get("CATALOG_FLUSH_ROUNDS", cls.flush_rounds)),
        )
