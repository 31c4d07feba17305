"""Where an archive's catalog is: ``catalog.sqlite`` in the archive directory, or a PostgreSQL
schema named by ``CATALOG_URL``/``CATALOG_SCHEMA``. An archive cataloged in PostgreSQL says so in
``catalog.location.json`` (URL without its password, and schema), so every command given only
``--archive`` (serve, replay, check, history, export) finds the same catalog."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from .options import DEFAULT_CLASS, POSTGRES_CLASS, CatalogOptions

CATALOG_FILE = "catalog.sqlite"
LOCATION_FILE = "catalog.location.json"


class CatalogUnavailable(ConnectionError):
    """The catalog's database server could not be reached."""


class CatalogMismatch(ValueError):
    """The catalog named is not the archive's own."""


def catalog_path(root: str | Path) -> Path:
    """The SQLite catalog file of an archive directory."""
    return Path(root) / CATALOG_FILE


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).split(":", 1)[0] in ("postgresql", "postgres")


def _remembered(root: str | Path) -> dict | None:
    path = Path(root) / LOCATION_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def catalog_exists(root: str | Path) -> bool:
    """Whether the archive in ``root`` has a catalog (a file, or a remembered PostgreSQL one)."""
    return catalog_path(root).is_file() or (Path(root) / LOCATION_FILE).is_file()


def located(root: str | Path, options: CatalogOptions | None) -> CatalogOptions:
    """``options`` with the archive's remembered PostgreSQL catalog when they name none."""
    options = options or CatalogOptions()
    if options.catalog_url:
        return options
    remembered = _remembered(root)
    if remembered is None:
        return options
    return replace(options, catalog_url=remembered["url"], catalog_schema=remembered["schema"])


def catalog_class(options: CatalogOptions) -> str:
    if not options.catalog_url:
        return options.catalog_class
    if not is_postgres_url(options.catalog_url):
        raise CatalogUnavailable(f"CATALOG_URL must be a postgresql:// URL, not {options.catalog_url.split('@')[-1]!r}")
    return POSTGRES_CLASS if options.catalog_class == DEFAULT_CLASS else options.catalog_class


def _sqlite_captures(root: str | Path) -> int:
    """Captures in the archive's SQLite catalog (0 when there is none, or no captures table)."""
    import sqlite3

    if not catalog_path(root).is_file():
        return 0
    db = sqlite3.connect(f"file:{catalog_path(root)}?mode=ro", uri=True)
    try:
        return db.execute("SELECT count(*) FROM captures").fetchone()[0]
    except sqlite3.OperationalError:  # no captures table: the file holds only the story store
        return 0
    finally:
        db.close()


def remember(root: str | Path, options: CatalogOptions) -> None:
    """Note the archive's PostgreSQL catalog in it; refuse a second one (its WARC files would be
    cataloged in two places)."""
    from .pg_pool import redacted

    entry = {"url": redacted(options.catalog_url), "schema": options.catalog_schema}
    found = _remembered(root)
    if found is not None:
        if found != entry:
            raise CatalogMismatch(f"the archive {root} is cataloged in {found['url']} schema {found['schema']},"
                             f" not {entry['url']} schema {entry['schema']}")
        return
    if _sqlite_captures(root):
        raise CatalogMismatch(f"the archive {root} is cataloged in {catalog_path(root)}, not in PostgreSQL")
    Path(root).mkdir(parents=True, exist_ok=True)
    (Path(root) / LOCATION_FILE).write_text(json.dumps(entry, indent=1) + "\n", encoding="utf-8")
