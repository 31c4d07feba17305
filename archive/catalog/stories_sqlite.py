"""The SQLite story store (the default): the ``story_*`` tables of the archive's catalog file,
or of an in-memory database (``":memory:"``).

Story tracking runs in one process and commits once per article; its connection is its own
(WAL, so readers of the catalog never wait for it).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from ..stories.fingerprint import Fingerprint, Sentence, band_keys, seeds_of
from .options import CatalogOptions
from .rows import CaptureKind
from .schema import migrated
from .sqlite_checkpoint import BackgroundCheckpoints
from .stories_protocol import DocInfo
from .stories_schema import COUNTER_MASK, STORY_TABLES, day_number, doc_number, packed_minhash, window_ranges


def _sentences(blob: bytes) -> list[Sentence]:
    return [Sentence(text, key, n) for text, key, n in json.loads(zlib.decompress(blob))]


def _minhash(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32).astype(np.uint64)


def _chunks(items: list, size: int = 500):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _posted(table: str, column: str, n: int, days: tuple[int, int] | None) -> tuple[str, Callable]:
    """A query of the postings of ``n`` values in the documents of ``days`` (one index range
    per range of document numbers) and a function of the values that gives its parameters."""
    ranges = window_ranges(days)
    marks = ",".join("?" * n)
    sql = " UNION ALL ".join(f"SELECT {column} AS posting, doc FROM {table}"
                             f" WHERE {column} IN ({marks}) AND doc BETWEEN ? AND ?" for _ in ranges)
    return sql, lambda values: [x for lo, hi in ranges for x in (*values, lo, hi)]


class SQLiteStore:
    def __init__(self, path: str | Path = ":memory:", options: CatalogOptions | None = None,
                 kind_of_record: Callable[[str, int, int], CaptureKind] | None = None):
        """Opens (and migrates) the catalog file ``path``; ``kind_of_record`` as for the catalog."""
        self.path = str(path)
        self.options = options or CatalogOptions()
        self.stats: Counter[str] = Counter()  # the WAL checkpoints' (a locked file is waited for)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.schema_found = migrated(self.db, kind_of_record or (lambda *_: CaptureKind.OTHER))
        self.db.isolation_level = ""  # from here on a transaction per tracked article, begun implicitly
        # document counts are kept, not counted: count(*) grows with the archive, per article
        self._doc_count = self.db.execute("SELECT count(*) FROM story_docs").fetchone()[0]
        if self._doc_count and not self.db.execute("SELECT 1 FROM story_anchor_df LIMIT 1").fetchone():
            self.db.execute("INSERT INTO story_anchor_df SELECT anchor, count(*) FROM story_anchors GROUP BY anchor")
            self.db.commit()
        self._background: set[int] | None = None
        self._seq = self.db.execute(f"SELECT coalesce(max(seq & {COUNTER_MASK}), 0) FROM story_ids").fetchone()[0]
        self._checkpoints = (BackgroundCheckpoints(self.db, self.path, self.stats)
                             if self.path != ":memory:" else None)

    # -- documents ------------------------------------------------------------------------
    def put_doc(self, info: DocInfo, fp: Fingerprint) -> None:
        self._seq += 1
        seq = doc_number(day_number(info.published), self._seq)
        anchors = sorted(fp.anchors)
        sentences = zlib.compress(json.dumps([[x.text, x.key, x.words] for x in fp.sentences]).encode(), 6)
        self.db.execute("INSERT INTO story_docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (info.doc_id, info.url, info.outlet, info.published, info.language, info.title,
                         int(info.is_wire), fp.words, packed_minhash(fp.minhash), info.text_hash, info.version,
                         seq, json.dumps(anchors)))
        self.db.execute("INSERT INTO story_texts VALUES (?,?)", (seq, sentences))
        self.db.execute("INSERT INTO story_ids VALUES (?,?,?)", (seq, info.doc_id, len(fp.seeds)))
        self.db.executemany("INSERT INTO story_seeds VALUES (?,?)", [(x, seq) for x in fp.seeds])
        self.db.executemany("INSERT OR IGNORE INTO story_keys VALUES (?,?)", [(x.key, seq) for x in fp.sentences])
        self.db.executemany("INSERT OR IGNORE INTO story_bands VALUES (?,?)", [(b, seq) for b in fp.band_keys()])
        self.db.executemany("INSERT INTO story_anchors VALUES (?,?)", [(a, seq) for a in anchors])
        self.db.executemany("INSERT INTO story_anchor_df VALUES (?, 1) ON CONFLICT (anchor) DO UPDATE SET n = n + 1",
                            [(a,) for a in anchors])
        self._doc_count += 1

    def remove_doc(self, doc_id: str) -> None:
        row = self.db.execute("SELECT d.seq, t.sentences, d.anchors, d.minhash FROM story_docs d"
                              " JOIN story_texts t ON t.seq = d.seq WHERE d.doc_id = ?", (doc_id,)).fetchone()
        if row is not None:
            seq, sentences, anchors, minhash = row
            self.db.execute("DELETE FROM story_texts WHERE seq = ?", (seq,))
            self.db.executemany("DELETE FROM story_seeds WHERE seed = ? AND doc = ?",
                                [(x, seq) for x in seeds_of(_sentences(sentences))])
            self.db.execute("DELETE FROM story_ids WHERE seq = ?", (seq,))
            self.db.execute("DELETE FROM story_doc_vectors WHERE seq = ?", (seq,))
            anchors = json.loads(anchors)
            self.db.executemany("UPDATE story_anchor_df SET n = n - 1 WHERE anchor = ?", [(a,) for a in anchors])
            self.db.executemany("DELETE FROM story_anchors WHERE anchor = ? AND doc = ?", [(a, seq) for a in anchors])
            self.db.executemany("DELETE FROM story_keys WHERE key = ? AND doc = ?",
                                [(x.key, seq) for x in _sentences(sentences)])
            self.db.executemany("DELETE FROM story_bands WHERE band = ? AND doc = ?",
                                [(b, seq) for b in band_keys(_minhash(minhash))])
            self.db.execute("DELETE FROM story_docs WHERE doc_id = ?", (doc_id,))
            self._doc_count -= 1
        self.db.execute("DELETE FROM story_pairs WHERE a = ? OR b = ?", (doc_id, doc_id))

    @staticmethod
    def _info(row) -> DocInfo:
        return DocInfo(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8], row[9])

    _DOC_COLUMNS = "doc_id, url, outlet, published, language, title, is_wire, words, text_hash, version"

    def doc(self, doc_id: str) -> DocInfo | None:
        row = self.db.execute(f"SELECT {self._DOC_COLUMNS} FROM story_docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return self._info(row) if row else None

    def docs(self) -> Iterator[DocInfo]:
        for row in self.db.execute(f"SELECT {self._DOC_COLUMNS} FROM story_docs ORDER BY seq & {COUNTER_MASK}"):
            yield self._info(row)

    def doc_count(self) -> int:
        return self._doc_count

    def sentences(self, doc_id: str) -> list[Sentence]:
        row = self.db.execute("SELECT t.sentences FROM story_docs d JOIN story_texts t ON t.seq = d.seq"
                              " WHERE d.doc_id = ?", (doc_id,)).fetchone()
        return _sentences(row[0]) if row else []

    def docs_of(self, doc_ids: Iterable[str]) -> dict[str, DocInfo]:
        found = {doc_id: self.doc(doc_id) for doc_id in dict.fromkeys(doc_ids)}
        return {doc_id: info for doc_id, info in found.items() if info is not None}

    def sentences_of(self, doc_ids: Iterable[str]) -> dict[str, list[Sentence]]:
        return {doc_id: sentences for doc_id in dict.fromkeys(doc_ids) if (sentences := self.sentences(doc_id))}

    def minhash(self, doc_id: str) -> np.ndarray:
        row = self.db.execute("SELECT minhash FROM story_docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return _minhash(row[0])

    # -- candidate postings ---------------------------------------------------------------
    def docs_sharing_keys(self, keys: Iterable[int], days: tuple[int, int] | None = None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for chunk in _chunks(sorted(set(keys))):
            posted, params = _posted("story_keys", "key", len(chunk), days)
            sql = f"SELECT d.doc_id, count(*) FROM ({posted}) k JOIN story_ids d ON d.seq = k.doc GROUP BY d.doc_id"
            for doc_id, n in self.db.execute(sql, params(chunk)):
                counts[doc_id] = counts.get(doc_id, 0) + n
        return counts

    def docs_sharing_bands(self, bands: Iterable[int], days: tuple[int, int] | None = None) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(sorted(set(bands))):
            posted, params = _posted("story_bands", "band", len(chunk), days)
            sql = f"SELECT DISTINCT d.doc_id FROM ({posted}) b JOIN story_ids d ON d.seq = b.doc"
            found |= {row[0] for row in self.db.execute(sql, params(chunk))}
        return found

    def _counted_in_window(self, table: str, column: str, values: list, max_df: int,
                           days: tuple[int, int] | None, condition: str) -> list:
        """The values whose count of documents of ``days`` meets ``condition`` ("BETWEEN 1 AND
        10", "> 10"); counting stops past ``max_df``, so a common value's postings are not
        read through."""
        within = " + ".join(f"(SELECT count(*) FROM (SELECT 1 FROM {table} s WHERE s.{column} = v.column1"
                            f" AND s.doc BETWEEN {lo} AND {hi} LIMIT {int(max_df) + 1}))" for lo, hi in window_ranges(days))
        found: list = []
        for chunk in _chunks(sorted(set(values))):
            sql = f"SELECT v.column1 FROM (VALUES {','.join(['(?)'] * len(chunk))}) v WHERE {within} {condition}"
            found += [row[0] for row in self.db.execute(sql, chunk)]
        return found

    def docs_sharing_seeds(self, seeds: Iterable[int], max_df: int,
                           days: tuple[int, int] | None = None) -> dict[str, tuple[int, int]]:
        shared: dict[str, tuple[int, int]] = {}
        rare = self._counted_in_window("story_seeds", "seed", list(seeds), max_df, days, f"BETWEEN 1 AND {int(max_df)}")
        for chunk in _chunks(rare):
            posted, params = _posted("story_seeds", "seed", len(chunk), days)
            sql = (f"SELECT d.doc_id, count(*), d.seeds FROM ({posted}) s JOIN story_ids d ON d.seq = s.doc"
                   f" GROUP BY d.doc_id")
            for doc_id, n, total in self.db.execute(sql, params(chunk)):
                shared[doc_id] = (shared.get(doc_id, (0, 0))[0] + n, total)
        return shared

    def anchor_counts(self, anchors: Iterable[str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for chunk in _chunks(sorted(set(anchors))):
            sql = f"SELECT anchor, n FROM story_anchor_df WHERE n > 0 AND anchor IN ({','.join('?' * len(chunk))})"
            counts.update(self.db.execute(sql, chunk).fetchall())
        return counts

    def anchors_over(self, anchors: Iterable[str], max_df: int, days: tuple[int, int] | None = None) -> set[str]:
        return set(self._counted_in_window("story_anchors", "anchor", list(anchors), max_df, days, f"> {int(max_df)}"))

    def anchor_postings(self, anchors: Iterable[str], days: tuple[int, int] | None = None) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for chunk in _chunks(sorted(set(anchors))):
            posted, params = _posted("story_anchors", "anchor", len(chunk), days)
            for anchor, number in self.db.execute(f"SELECT posting, doc FROM ({posted}) ORDER BY posting, doc",
                                                  params(chunk)):
                postings.setdefault(anchor, []).append(number)
        return postings

    def doc_ids(self, numbers: Iterable[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in _chunks(sorted(set(numbers))):
            found.update(self.db.execute(f"SELECT seq, doc_id FROM story_ids WHERE seq IN ({','.join('?' * len(chunk))})",
                                         chunk).fetchall())
        return found

    def anchors_of(self, doc_ids: Iterable[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for chunk in _chunks(sorted(set(doc_ids))):
            sql = f"SELECT doc_id, anchors FROM story_docs WHERE doc_id IN ({','.join('?' * len(chunk))})"
            found.update((doc_id, json.loads(anchors)) for doc_id, anchors in self.db.execute(sql, chunk))
        return found

    # -- compared pairs and background ----------------------------------------------------
    def put_pair(self, a: str, b: str, data: dict) -> None:
        a, b = sorted((a, b))
        self.db.execute("INSERT OR REPLACE INTO story_pairs VALUES (?,?,?)", (a, b, json.dumps(data)))

    def pairs(self, doc_id: str | None = None) -> Iterator[tuple[str, str, dict]]:
        if doc_id is None:
            rows = self.db.execute("SELECT a, b, data FROM story_pairs ORDER BY a, b")
        else:
            rows = self.db.execute("SELECT a, b, data FROM story_pairs WHERE a = ? OR b = ? ORDER BY a, b",
                                   (doc_id, doc_id))
        for a, b, data in rows.fetchall():
            yield a, b, json.loads(data)

    def add_background(self, keys: Iterable[int], reason: str) -> set[int]:
        known = self.background()
        new = {int(k) for k in keys} - known
        self.db.executemany("INSERT OR IGNORE INTO story_background VALUES (?, ?)", [(k, reason) for k in new])
        known |= new
        return new

    def restate_background(self, keys: Iterable[int], reason: str) -> None:
        self.db.executemany("UPDATE story_background SET reason = ? WHERE key = ?", [(reason, int(k)) for k in keys])

    def vote_background(self, votes: Iterable[tuple[int, str, str]]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO story_background_votes VALUES (?, ?, ?)",
                            [(int(k), *sorted((a, b))) for k, a, b in votes])

    def background_votes(self, keys: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
        found: dict[int, set[tuple[str, str]]] = {}
        for chunk in _chunks(sorted(set(keys))):
            sql = f"SELECT key, a, b FROM story_background_votes WHERE key IN ({','.join('?' * len(chunk))})"
            for key, a, b in self.db.execute(sql, chunk):
                found.setdefault(key, set()).add((a, b))
        return found

    def background_reasons(self, keys: Iterable[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in _chunks(sorted(set(keys))):
            sql = f"SELECT key, reason FROM story_background WHERE key IN ({','.join('?' * len(chunk))})"
            found.update(self.db.execute(sql, chunk).fetchall())
        return found

    def background(self) -> set[int]:
        if self._background is None:
            self._background = {row[0] for row in self.db.execute("SELECT key FROM story_background")}
        return self._background

    # -- sentence and document vectors ----------------------------------------------------
    def vectors(self, keys: list[int], model: str) -> dict[int, np.ndarray]:
        found: dict[int, np.ndarray] = {}
        for chunk in _chunks(sorted(set(keys))):
            sql = f"SELECT key, data FROM story_vectors WHERE model = ? AND key IN ({','.join('?' * len(chunk))})"
            for key, data in self.db.execute(sql, [model, *chunk]):
                found[key] = np.frombuffer(data, dtype=np.float16)
        return found

    def put_vectors(self, vectors: dict[int, np.ndarray], model: str) -> None:
        self.db.executemany("INSERT OR REPLACE INTO story_vectors VALUES (?, ?, ?)",
                            [(k, model, v.astype(np.float16).tobytes()) for k, v in vectors.items()])

    def put_doc_vector(self, doc_id: str, vector: np.ndarray, model: str) -> int | None:
        seq = self.doc_seq(doc_id)
        if seq is not None:
            self.db.execute("INSERT OR REPLACE INTO story_doc_vectors VALUES (?, ?, ?)",
                            (seq, model, vector.astype(np.float16).tobytes()))
        return seq

    def doc_vectors(self, model: str) -> Iterator[tuple[int, np.ndarray]]:
        for seq, data in self.db.execute("SELECT v.seq, v.data FROM story_doc_vectors v JOIN story_ids d"
                                         " ON d.seq = v.seq WHERE v.model = ?", (model,)):
            yield seq, np.frombuffer(data, dtype=np.float16)

    def doc_seq(self, doc_id: str) -> int | None:
        row = self.db.execute("SELECT seq FROM story_docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def doc_id_of(self, seq: int) -> str | None:
        row = self.db.execute("SELECT doc_id FROM story_ids WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None

    # -- the store as a whole -------------------------------------------------------------
    def state(self) -> tuple:
        return tuple(self.db.execute(
            "SELECT (SELECT coalesce(max(seq), 0) FROM story_ids), (SELECT count(*) FROM story_ids),"
            " (SELECT count(*) FROM story_pairs), (SELECT count(*) FROM story_background)").fetchone())

    def clear(self) -> None:
        for table in STORY_TABLES:
            self.db.execute(f"DELETE FROM {table}")
        self.commit()
        self._doc_count = self._seq = 0
        self._background = None

    def commit(self) -> None:
        self.db.commit()
        if self._checkpoints is not None:
            self._checkpoints.committed()

    def close(self) -> None:
        try:
            if self._checkpoints is not None:
                self._checkpoints.close()
        finally:
            self.db.commit()
            self.db.close()
