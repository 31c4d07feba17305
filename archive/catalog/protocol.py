"""The catalog protocol: what the crawl, import, replay, history and the UI need from a catalog.

``archive.catalog.sqlite.SQLiteCatalog`` is the embedded default; another back-end (PostgreSQL
for many workers) implements the same methods and is named by ``CATALOG_CLASS``.

A ``Row`` is read by column name only (``row["url"]``, ``row.keys()``): callers never index rows
by position nor iterate them, so a back-end may return any read-only mapping.
"""

from __future__ import annotations

from collections import Counter
from contextlib import AbstractContextManager
from typing import Any, Callable, Iterator, Mapping, Protocol, TypeVar

from .rows import ArticleRow, ArticleState, CaptureRow, PreviousCapture, RevisitLink, Version

T = TypeVar("T")
Row = Mapping[str, Any]


class CatalogStore(Protocol):
    stats: Counter[str]  # retries, queued, dequeued, write_errors
    errors: tuple[type[Exception], ...]  # what its database raises (unreadable, corrupt, locked)

    # writing: units of rows, each atomic, retried and queued under contention
    def write(self, unit: Callable[["CatalogStore"], T]) -> T | None:
        """Run ``unit`` in a transaction of its own; None when it had to be queued (written later)."""
    def batch(self) -> AbstractContextManager[None]:
        """Units written inside share transactions, committed by ``commit()`` and at the end."""
    def commit(self) -> None:
        """Commit the open transaction, if any."""
    def rollback(self) -> None:
        """Undo the open transaction, if any."""
    def flush(self) -> None:
        """Write every queued unit; raises ``CatalogWriteError`` for what cannot be."""
    def close(self) -> None:
        """Flush and release the catalog."""
    @property
    def queued(self) -> int:
        """Units waiting to be written."""

    # rows, inside a unit
    def add_capture(self, row: CaptureRow, replace: bool = True) -> int | None:
        """Catalog a capture; its id, None (``replace`` False) when its record id is cataloged already."""
    def add_captures(self, rows: list[CaptureRow], replace: bool = True) -> list[int | None]:
        """``add_capture`` of many rows at once (bulk reading); optional: ``recorder.add_captures``
        falls back to ``add_capture`` row by row for a catalog without it."""
    def add_validators(self, capture_id: int, etag: str | None, last_modified: str | None) -> None:
        """Keep a response's ETag and Last-Modified (nothing when it has neither)."""
    def add_revisit(self, capture_id: int, link: RevisitLink) -> None:
        """Keep a revisit's profile and original, linked when the original is cataloged."""
    def resolve_revisits(self) -> None:
        """Link revisits to originals cataloged since."""
    def add_article(self, row: ArticleRow) -> None:
        """Make this extraction the capture's article; the one it replaces stays an extraction."""
    def set_page_class(self, capture_id: int, page_class: str, signals: list[str]) -> None:
        """What an HTML capture was taken for (article, listing, wall, other) and why."""
    def add_version(self, capture_id: int, url: str, version: int, previous_id: int | None, text_hash: str,
                    diff: str | None, added: int | None, removed: int | None) -> None:
        """Keep a capture's place in its URL's chain of texts."""
    def set_warc_file(self, name: str, state: str, records: int | None = None,
                      size: int | None = None, note: str | None = None, job: str | None = None) -> None:
        """Record a WARC file's state; None leaves a known value as it was."""
    def forget_torn(self, name: str, size: int) -> int:
        """Remove rows pointing past a file cut back to ``size`` bytes; the captures removed."""
    def clear(self) -> None:
        """Empty the capture tables (``index rebuild`` refills them)."""

    # reading
    def captures(self, url: str | None = None) -> Iterator[Row]:
        """Every capture by id, or those of ``url`` by time."""
    def capture(self, capture_id: int) -> Row | None:
        """The capture with this id."""
    def capture_by_record_id(self, record_id: str) -> Row | None:
        """The capture of this WARC-Record-ID."""
    def captures_in(self, location: str) -> dict[str, tuple[int, str]]:
        """Record id -> (capture id, kind) of every capture cataloged from one file or location."""
    def captures_of_job(self, job: str | None, since: str) -> Iterator[Row]:
        """A job's captures from ``since`` (14 digits) on, oldest first, with ``has_article``."""
    def captures_by_key(self, surt: str) -> list[Row]:
        """Every capture of a SURT key, oldest first."""
    def captures_with_payload(self, digest: str, surt: str, same_key: bool, limit: int = -1) -> list[Row]:
        """Captures with this payload digest, latest first, of the key ``surt`` or (``same_key`` False) others."""
    def page_urls(self) -> list[str]:
        """Every URL with an HTML or XML answer (robots.txt and errors left out), in capture order."""
    def article_pages(self) -> Iterator[Row]:
        """Each article with its capture's date, file and record id, in capture order."""
    def capture_locations(self) -> list[str]:
        """Every file or location captures are cataloged in."""
    def has_article(self, capture_id: int) -> bool:
        """Whether the capture has an article."""
    def articles(self) -> Iterator[Row]:
        """Every article with its capture's timestamp, date and status, in capture order."""
    def extractions(self, capture_id: int) -> list[Row]:
        """Every archived extraction of a capture, oldest first."""
    def extraction_locations(self) -> set[tuple[str, int]]:
        """(file, offset) of every conversion record cataloged for a capture that has its article."""
    def warc_file_state(self, name: str) -> str | None:
        """The recorded state of a WARC file."""
    def warc_files(self) -> list[Row]:
        """Every WARC file recorded, in the order first recorded."""
    def counts(self) -> dict[str, Any]:
        """Captures, articles, WARC files, and captures by kind."""
    def rows_in_files(self, names: list[str]) -> dict[str, int]:
        """Captures and articles whose records are in these WARC files."""
    def previous_capture(self, url: str) -> PreviousCapture | None:
        """The latest successful capture of ``url`` and its original (what a recrawl compares to)."""
    def article_state(self, url: str) -> ArticleState | None:
        """The latest article of ``url``: published, first and last captured, text hash."""
    def has_version(self, capture_id: int) -> bool:
        """Whether the capture has a version row."""
    def versions(self, url: str) -> list[Version]:
        """Every archived text of ``url``, oldest version first."""
    def latest_version(self, url: str) -> Version | None:
        """The newest archived text of ``url``."""
    def original_of(self, capture_id: int) -> Row | None:
        """The capture holding the payload of ``capture_id`` (itself unless a revisit)."""
    def revisit_of(self, capture_id: int) -> Row | None:
        """The revisit row of a capture."""
    def timeline(self, url: str) -> list[Row]:
        """Every capture of ``url``, oldest first, with its revisit profile and version."""
    def snapshot(self) -> dict[str, list[tuple]]:
        """Table contents by record id, equal for two catalogs of the same WARC files."""

    # browsing (the web UI)
    def article(self, capture_id: int) -> Row | None:
        """The article of a capture."""
    def captures_with_articles(self, url: str) -> list[Row]:
        """Every capture of ``url``, oldest first, with its article's title, text hash and length."""
    def latest_article_capture(self, url: str) -> int | None:
        """The newest capture of ``url`` that has an article."""
    def closest_capture(self, urls: list[str], timestamp: int) -> int | None:
        """The capture of any of ``urls`` nearest to a 14-digit time, the newer on a tie."""
    def recent_captures(self, limit: int) -> list[Row]:
        """The latest cataloged captures, newest first, with their article's title."""
    def captures_by_url_part(self, text: str, limit: int) -> list[Row]:
        """Captures whose URL contains ``text``, newest first, with their article's title."""
    def article_locations(self) -> dict[int, tuple[str, int]]:
        """Capture id -> (file, offset) of its current conversion record."""
    def articles_fingerprint(self) -> tuple:
        """A value that changes whenever an article is added, re-extracted or removed."""
