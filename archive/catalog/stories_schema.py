"""The story tables (``story_*``) of the catalog and their migration from the per-sentence layout.

Each document's sentences are one compressed blob, and the postings (sentence keys, LSH bands,
seeds, anchors) refer to documents by number: a posting is a dozen bytes, not a URL;
``story_ids`` turns numbers back into documents (a narrow table, so the lookups stay in cache).
Sentences are apart from the documents' other columns so that rows stay smaller than a page.
Catalogs written before schema version 3 may keep a row per sentence (``story_sentences``) and
URLs in the postings: ``migrate_story_tables`` converts them.

A document's number starts with the day it was published (``doc_number``): days since 1970
shifted left 32 bits, plus a counter; 0 for the day of an undated document. Each posting
table's key (posting, document) is thus ordered by date within a posting, and the documents of
a date window are one range of it (``window_ranges``, with the undated ones): a candidate
lookup reads the window's postings, not the whole archive's, and costs the same at any size.
Documents numbered before this layout are all in the undated range: they stay candidates of
every lookup, as their dates were never read.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib
from datetime import datetime, timezone

import numpy as np

logger = logging.getLogger(__name__)

STORY_SCHEMA = """
CREATE TABLE IF NOT EXISTS story_docs (
    doc_id TEXT PRIMARY KEY, url TEXT, outlet TEXT, published TEXT, language TEXT,
    title TEXT, is_wire INTEGER NOT NULL DEFAULT 0, words INTEGER NOT NULL,
    minhash BLOB NOT NULL, text_hash TEXT, version INTEGER NOT NULL DEFAULT 1, seq INTEGER NOT NULL,
    anchors TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_texts (seq INTEGER PRIMARY KEY, sentences BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS story_ids (seq INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, seeds INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS story_keys (key INTEGER, doc INTEGER, PRIMARY KEY (key, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_bands (band INTEGER, doc INTEGER, PRIMARY KEY (band, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_seeds (seed INTEGER, doc INTEGER, PRIMARY KEY (seed, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_anchors (anchor TEXT, doc INTEGER, PRIMARY KEY (anchor, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_anchor_df (anchor TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS story_pairs (
    a TEXT NOT NULL, b TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS story_pairs_b ON story_pairs (b);
CREATE TABLE IF NOT EXISTS story_background (key INTEGER PRIMARY KEY, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_background_votes (
    key INTEGER NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (key, a, b)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_doc_vectors (
    seq INTEGER NOT NULL, model TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (model, seq)
);
CREATE TABLE IF NOT EXISTS story_vectors (
    key INTEGER NOT NULL, model TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (key, model)
);
"""

STORY_TABLES = ("story_docs", "story_ids", "story_texts", "story_keys", "story_bands", "story_seeds",
                "story_anchors", "story_anchor_df", "story_pairs", "story_background", "story_background_votes",
                "story_doc_vectors", "story_vectors")

# tables of the per-sentence layout that the compact one replaced or changed
OLD_STORY_TABLES = ("story_sentences", "story_bands", "story_anchors")


DAY_SHIFT = 32
COUNTER_MASK = (1 << DAY_SHIFT) - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def day_number(published: str | None) -> int:
    """The day (UTC) an article was published, counted from 1 on 1970-01-01; 0 when undated
    (or unreadable: such articles are compared with articles of every date)."""
    if not published:
        return 0
    try:
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(1, (moment - _EPOCH).days + 1)


def doc_number(day: int, counter: int) -> int:
    return (day << DAY_SHIFT) | (counter & COUNTER_MASK)


def window_ranges(days: tuple[int, int] | None) -> list[tuple[int, int]]:
    """Ranges of document numbers of the days ``days`` (inclusive; None: every day), undated
    documents included."""
    if days is None:
        return [(0, (1 << 63) - 1)]
    first, last = max(1, days[0]), max(1, days[1])
    return [(0, COUNTER_MASK), (first << DAY_SHIFT, ((last + 1) << DAY_SHIFT) - 1)]


def story_statements() -> list[str]:
    return [s.strip() for s in STORY_SCHEMA.split(";") if s.strip()]


def packed_minhash(minhash: np.ndarray) -> bytes:
    return minhash.astype(np.uint32).tobytes()  # MinHash values are 32-bit (datasketch's _max_hash)


def migrate_story_tables(db: sqlite3.Connection) -> None:
    """Create the story tables, converting those of the per-sentence layout, inside the
    transaction the caller opened."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'story_sentences'").fetchone() is not None:
        _convert_per_sentence_layout(db)
    for statement in story_statements():
        db.execute(statement)


def _convert_per_sentence_layout(db: sqlite3.Connection) -> None:
    # seeds are computed by story tracking, which imports this package: imported when needed
    from ..stories.fingerprint import Sentence, seeds_of

    logger.info("Converting the story tables to the compact layout")
    q = db.execute
    for table in ("story_docs", *OLD_STORY_TABLES):
        q(f"ALTER TABLE {table} RENAME TO {table}_old")
    for index in ("story_sentences_key", "story_bands_band", "story_anchors_anchor"):
        q(f"DROP INDEX IF EXISTS {index}")
    for statement in story_statements():
        q(statement)
    sentences: dict[str, list] = {}
    for doc_id, text, key, n in q("SELECT doc_id, text, key, words FROM story_sentences_old ORDER BY doc_id, idx"):
        sentences.setdefault(doc_id, []).append([text, key, n])
    anchors: dict[str, list[str]] = {}
    for doc_id, anchor in q("SELECT doc_id, anchor FROM story_anchors_old ORDER BY doc_id, anchor"):
        anchors.setdefault(doc_id, []).append(anchor)
    for doc_id, seq in q("SELECT doc_id, seq FROM story_docs_old").fetchall():
        kept = sentences.get(doc_id, [])
        seeds = seeds_of([Sentence(*x) for x in kept])
        row = q("SELECT doc_id, url, outlet, published, language, title, is_wire, words, minhash,"
                " text_hash, version, seq FROM story_docs_old WHERE doc_id = ?", (doc_id,)).fetchone()
        minhash = packed_minhash(np.frombuffer(row[8], dtype=np.uint64))
        q("INSERT INTO story_docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
          (*row[:8], minhash, *row[9:], json.dumps(anchors.get(doc_id, []))))
        q("INSERT INTO story_texts VALUES (?,?)", (seq, zlib.compress(json.dumps(kept).encode(), 6)))
        q("INSERT INTO story_ids VALUES (?,?,?)", (seq, doc_id, len(seeds)))
        db.executemany("INSERT INTO story_seeds VALUES (?,?)", [(x, seq) for x in seeds])
    for new, old, column in (("story_keys", "story_sentences_old", "key"),
                             ("story_bands", "story_bands_old", "band"),
                             ("story_anchors", "story_anchors_old", "anchor")):
        q(f"INSERT OR IGNORE INTO {new} SELECT o.{column}, d.seq FROM {old} o"
          " JOIN story_docs_old d ON d.doc_id = o.doc_id")
    for table in ("story_docs", *OLD_STORY_TABLES):
        q(f"DROP TABLE {table}_old")
