"""Copies of a story store's rows in earlier weeks: an archive K + 1 times larger, for measuring
add latency at a size the benchmark cannot reach by adding one article at a time.

Every table that refers to documents (``story_docs``, ``story_ids``, ``story_texts``, the
posting tables, the vectors, the pairs and background votes) gets K copies of each original row,
copy ``j`` with its document numbers moved ``j`` spans of days back (``doc_number`` puts the day
in the high bits) and ``~rj`` after its document ids. A span is the days the originals cover plus
the widest date window, so that no copy falls in the window of an article published after the
originals.

What a copy keeps and what it changes is what the weeks of a real archive share. Sentence keys,
LSH bands and seeds are hashed with ``j`` (``hashint8extended`` in PostgreSQL, SplitMix64's
mix in SQLite): other weeks' stories have sentences of their own, so each copy's postings are
spread over the whole key space as new stories' are, not stacked beside the originals'.
Anchors (names) are kept, as the same people and places recur week after week, and their
document frequencies are multiplied by K + 1. Background keys are shared by every copy. The
sentences stored with a copy keep the original keys: copies lie outside every window of the
articles added next, so they are never read as candidates.
Run on a closed store (no tracker open on it).
"""

from __future__ import annotations

import math
import os
import sqlite3
from pathlib import Path

import psycopg
from psycopg import sql

from archive.catalog import CatalogOptions
from archive.catalog.location import catalog_path, located
from archive.catalog.stories_schema import DAY_SHIFT, STORY_TABLES
from archive.stories import TrackerConfig

WINDOW_DAYS = 60  # days between copies, at least; more if the tracker's window is wider
SQLITE_COPY_CACHE_KIB = 8 << 20  # page cache of the copy's connection: 8 GiB, or half the memory
# (table, its document-number column, its columns in order with {doc} and {id} marking the
# document number and the document id, which each copy moves and renames)
_TABLES = (
    ("story_docs", "seq", "{id}(doc_id), url, outlet, published, language, title, is_wire, words, minhash,"
                          " text_hash, version, {doc}(seq), anchors"),
    ("story_texts", "seq", "{doc}(seq), sentences"),
    ("story_ids", "seq", "{doc}(seq), {id}(doc_id), seeds"),
    ("story_keys", "doc", "{key}(key), {doc}(doc)"),
    ("story_bands", "doc", "{key}(band), {doc}(doc)"),
    ("story_seeds", "doc", "{key}(seed), {doc}(doc)"),
    ("story_anchors", "doc", "anchor, {doc}(doc)"),
    ("story_doc_vectors", "seq", "{doc}(seq), model, data"),
)
_BY_ID = (("story_pairs", "{id}(a), {id}(b), data", "a"),
          ("story_background_votes", "{key}(key), {id}(a), {id}(b)", "a"))
# tables of no one document, which the weeks of an archive share: anchor frequencies (multiplied),
# background keys and sentence vectors (by sentence key)
_SHARED = ("story_anchor_df", "story_background", "story_vectors")
_MASK64 = (1 << 64) - 1


def mixed_key(key: int, copy: int) -> int:
    """A signed 64-bit key of copy ``copy`` (SplitMix64's finaliser of the key and the copy)."""
    x = (key + copy * 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    x ^= x >> 31
    return x - (1 << 64) if x >> 63 else x


def _columns(template: str, shift: int, suffix: str, key_hash: str, copy: int) -> str:
    out = template
    for column in ("doc_id", "seq", "doc", "a", "b", "key", "band", "seed"):
        out = (out.replace(f"{{doc}}({column})", f"{column} - {shift}")
               .replace(f"{{id}}({column})", f"{column} || '{suffix}'")
               .replace(f"{{key}}({column})", key_hash.format(column=column, copy=copy)))
    return out


def statements(first_doc: int, last_doc: int, copies: int, key_hash: str) -> list[str]:
    """The SQL that makes ``copies`` copies of the documents numbered ``first_doc`` to ``last_doc``
    (both dialects: no parameters, only numbers and fixed names; ``key_hash`` the dialect's
    call mixing ``{column}`` with ``{copy}``)."""
    unknown = set(STORY_TABLES) - {t for t, *_ in _TABLES} - {t for t, *_ in _BY_ID} - set(_SHARED)
    if unknown:  # a new story table: copying the others alone would measure a smaller archive
        raise ValueError(f"story tables this copy does not know: {', '.join(sorted(unknown))}")
    margin = max(WINDOW_DAYS, math.ceil(TrackerConfig().candidate_days) + 1)
    span_days = ((last_doc >> DAY_SHIFT) - (first_doc >> DAY_SHIFT)) + 1 + margin
    if copies * span_days >= (first_doc >> DAY_SHIFT):
        raise ValueError(f"{copies} copies of {span_days} days do not fit before the first document's day")
    out = []
    for j in range(1, copies + 1):
        shift, suffix = (j * span_days) << DAY_SHIFT, f"~r{j}"
        for table, column, template in _TABLES:
            out.append(f"INSERT INTO {table} SELECT {_columns(template, shift, suffix, key_hash, j)}"
                       f" FROM {table} WHERE {column} >= {first_doc}")
        for table, template, column in _BY_ID:
            out.append(f"INSERT INTO {table} SELECT {_columns(template, shift, suffix, key_hash, j)}"
                       f" FROM {table} WHERE {column} NOT LIKE '%~r%'")
    out.append(f"UPDATE story_anchor_df SET n = n * {copies + 1}")
    return out


def _span(rows: list[tuple]) -> tuple[int, int]:
    first, last = rows[0]
    if first is None:
        raise ValueError("no dated documents to copy")
    return int(first), int(last)


_SPAN = f"SELECT min(seq), max(seq) FROM story_ids WHERE seq >= {1 << DAY_SHIFT}"
_COUNT = "SELECT count(*) FROM story_ids"


def replicate(root: Path, options: CatalogOptions, copies: int) -> int:
    """Copy the store of the archive at ``root`` ``copies`` times; the documents it then holds."""
    options = located(root, options)
    if options.catalog_url:
        with psycopg.connect(options.catalog_url, autocommit=True) as conn:
            conn.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(options.catalog_schema)))
            with conn.transaction():
                for statement in statements(*_span(conn.execute(_SPAN).fetchall()), copies,
                                            "hashint8extended({column}, {copy})"):
                    conn.execute(statement)
            # what the store's own maintenance does each time its tables double (the SQLite store
            # runs no ANALYZE: its planner keeps the same plans at every size)
            conn.execute("VACUUM ANALYZE")
            return conn.execute(_COUNT).fetchone()[0]
    db = sqlite3.connect(catalog_path(root))
    db.create_function("mixed_key", 2, mixed_key, deterministic=True)
    # the copies land all over every index: with the default cache of 2 MB, each page would be
    # written to the WAL again every time the cache spills it
    memory_kib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 1024
    db.execute(f"PRAGMA cache_size = -{min(SQLITE_COPY_CACHE_KIB, memory_kib // 2)}")
    try:
        with db:
            for statement in statements(*_span(db.execute(_SPAN).fetchall()), copies, "mixed_key({column}, {copy})"):
                db.execute(statement)
        return db.execute(_COUNT).fetchone()[0]
    finally:
        db.close()
