"""Full-text search over the archived articles: an SQLite FTS5 index in ``ARCHIVE/search.sqlite``.

The index is derived data kept beside the catalog, never inside it, so the UI never writes
to the catalog a running crawl is writing to. It follows the catalog: ``refresh()`` checks an
aggregate of the articles table and, when it moved, compares each article's conversion record
location (a re-extraction moves it) with what was indexed, indexes what is new or changed from
the conversion records and drops what is gone. The UI
refreshes before a search, at most every ``min_interval`` seconds; deleting the file rebuilds it.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..catalog import Row
from .captures import CaptureLookup, NotArchived

SCHEMA = """
CREATE TABLE IF NOT EXISTS indexed (
    capture_id INTEGER PRIMARY KEY, conversion_file TEXT NOT NULL, conversion_offset INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(
    url, title, text, tokenize = 'unicode61 remove_diacritics 2'
);
"""
# Articles are added, or re-extracted into new conversion records (a new file or offset).
MARK_START, MARK_END = "\x02", "\x03"
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    capture_id: int
    url: str
    title: str | None
    snippet: list[tuple[str, bool]]  # (text, matched)


def fts_query(text: str) -> str | None:
    """The user's words as an FTS5 query: every word must occur (the last one as a prefix);
    FTS5 operators and punctuation in the input are never interpreted."""
    terms = _TERM.findall(text)
    if not terms:
        return None
    quoted = [f'"{t}"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def _segments(snippet: str) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for part in re.split(f"({MARK_START}.*?{MARK_END})", snippet):
        if part.startswith(MARK_START):
            out.append((part.strip(MARK_START + MARK_END), True))
        elif part:
            out.append((part, False))
    return out


class SearchIndex:
    def __init__(self, path: Path, min_interval: float = 2.0):
        self.path = Path(path)
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._refreshed = float("-inf")
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.db.commit()

    def refresh(self, lookup: CaptureLookup, force: bool = False) -> int:
        """Bring the index up to date with the catalog; returns how many articles changed."""
        with self._lock:
            if not force and time.monotonic() - self._refreshed < self.min_interval:
                return 0
            # one aggregate scan in SQLite tells whether anything changed since the last time
            fingerprint = repr(lookup.catalog.articles_fingerprint())
            seen = self.db.execute("SELECT value FROM state WHERE name = 'catalog'").fetchone()
            if not force and seen is not None and seen[0] == fingerprint:
                self._refreshed = time.monotonic()
                return 0
            current = lookup.catalog.article_locations()
            known = {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT * FROM indexed")}
            changed = [cid for cid, where in current.items() if known.get(cid) != where]
            gone = [cid for cid in known if cid not in current]
            for cid in gone:
                self.db.execute("DELETE FROM texts WHERE rowid = ?", (cid,))
                self.db.execute("DELETE FROM indexed WHERE capture_id = ?", (cid,))
            for cid in changed:
                article = lookup.article(cid)
                if article is None:
                    continue
                try:
                    text = lookup.article_text(article)
                except NotArchived:
                    continue
                self.db.execute("DELETE FROM texts WHERE rowid = ?", (cid,))
                self.db.execute("INSERT INTO texts (rowid, url, title, text) VALUES (?, ?, ?, ?)",
                                (cid, article["url"], article["title"] or "", text))
                self.db.execute("INSERT OR REPLACE INTO indexed VALUES (?, ?, ?)", (cid, *current[cid]))
            self.db.execute("INSERT OR REPLACE INTO state VALUES ('catalog', ?)", (fingerprint,))
            self.db.commit()
            self._refreshed = time.monotonic()
            return len(changed) + len(gone)

    def search(self, text: str, limit: int = 20, offset: int = 0) -> tuple[list[Hit], int]:
        """Articles matching every word of ``text`` in URL, title or text, best first; and
        how many match in all."""
        query = fts_query(text)
        if query is None:
            return [], 0
        with self._lock:  # one connection shared by the server's threads
            total = self.db.execute("SELECT count(*) FROM texts WHERE texts MATCH ?", (query,)).fetchone()[0]
            rows = self.db.execute(
                "SELECT rowid, url, title, snippet(texts, 2, ?, ?, ' … ', 24) FROM texts"
                " WHERE texts MATCH ? ORDER BY bm25(texts, 2.0, 5.0, 1.0) LIMIT ? OFFSET ?",
                (MARK_START, MARK_END, query, limit, offset),
            ).fetchall()
        return [Hit(r[0], r[1], r[2] or None, _segments(r[3])) for r in rows], total

    def close(self) -> None:
        self.db.close()


def captures_by_url(lookup: CaptureLookup, text: str, limit: int = 20) -> list[Row]:
    """Captures of any kind whose URL contains ``text``, newest first."""
    return lookup.catalog.captures_by_url_part(text, limit)
