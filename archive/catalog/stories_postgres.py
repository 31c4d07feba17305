"""The PostgreSQL story store: the ``story_*`` tables in the schema of the archive's PostgreSQL
catalog, migrated with it (one schema version, ``pg_schema.py``).

The same behaviour as the SQLite store (``stories_sqlite.py``): a transaction per tracked article,
begun by its first statement and ended by ``commit()``, replayed after a lost connection and
rolled back whole on any other error (``pg_transaction.py``): the article is not half kept.
Blobs (sentences, MinHash, vectors) are the same bytes, in BYTEA.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections import Counter
from typing import Iterable, Iterator

import numpy as np
import psycopg
from psycopg_pool import PoolTimeout

from ..stories.fingerprint import Fingerprint, Sentence, band_keys, seeds_of
from .options import CatalogOptions
from .pg_pool import migrated_schema, open_pool, redacted, with_retries
from .pg_transaction import JournaledTransaction
from .stories_protocol import DocInfo
from .stories_schema import COUNTER_MASK, DAY_SHIFT, STORY_TABLES, day_number, packed_minhash, window_ranges


logger = logging.getLogger(__name__)


def _sentences(blob: bytes) -> list[Sentence]:
    return [Sentence(text, key, n) for text, key, n in json.loads(zlib.decompress(blob))]


def _minhash(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32).astype(np.uint64)


def _ints(values: Iterable[int]) -> list[int]:
    return sorted({int(v) for v in values})


# Array parameters are sent as literals: psycopg adapts a list element by element in Python,
# which cost more than the queries' planning for the posting lists of each article.
def _int_array(values: Iterable[int]) -> str:
    return "{" + ",".join(map(str, values)) + "}"


def _text_array(values: Iterable[str]) -> str:
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


# a document's number (``doc_number``) of its day (a parameter) and the sequence's next or current value
_SEQ = f"((%%s::bigint << {DAY_SHIFT}) | (%s('story_seq') & {COUNTER_MASK}))"


def _posted(table: str, column: str, kind: str, values: list, days: tuple[int, int] | None) -> tuple[str, tuple]:
    """A query of the postings of ``values`` in the documents of ``days`` (one index range per
    range of document numbers), and its parameters."""
    ranges = window_ranges(days)
    sql = " UNION ALL ".join(f"SELECT {column} AS posting, doc FROM {table}"
                             f" WHERE {column} = ANY(%s::{kind}[]) AND doc BETWEEN %s AND %s" for _ in ranges)
    literal = _int_array(values) if kind == "bigint" else _text_array(values)
    return sql, tuple(x for lo, hi in ranges for x in (literal, lo, hi))


# Documents found are named by an index lookup each (OFFSET 0 keeps the planner from turning it
# into a join): joined, a planner whose statistics lag behind the adds hashes all of story_ids
# per query, and the query grows with the archive.
_NAMED = "CROSS JOIN LATERAL (SELECT doc_id, seeds FROM story_ids d WHERE d.seq = p.doc OFFSET 0) d"

# The store vacuums and analyzes its tables itself each time they double (from this many
# documents on): on a server with autovacuum off the planner's statistics would otherwise stay
# those of an empty table, and index-only scans would read the heap, as the archive grows.
MAINTAIN_FROM = 1000


class PostgresStoryStore(JournaledTransaction):
    def __init__(self, url: str, options: CatalogOptions | None = None, kind_of_record=None):
        """Opens (and migrates) the archive's schema at ``url``; ``kind_of_record`` is for
        SQLite layouts only (accepted, as ``open_story_store`` passes it to every store)."""
        options = options or CatalogOptions()
        self.url = url
        self.path = f"{redacted(url)} schema {options.catalog_schema}"  # where, for messages
        self._background: set[int] | None = None
        self._docs: dict[str, DocInfo | None] = {}  # read in the open transaction (tracking asks again and again)
        # one connection at a time: tracking is sequential, each article one transaction
        super().__init__(open_pool(url, options, f"stories-{options.catalog_schema}", 1), options,
                         Counter(retries=0, unavailable=0, maintained=0, maintain_failed=0), self.path)
        try:
            self.schema_found = migrated_schema(self.pool, self.options, self.stats)
            # document counts are kept, not counted: count(*) grows with the archive, per article
            self._doc_count = self._committed_count = self._read("SELECT count(*) FROM story_ids")[0][0]
            # what the server's statistics last counted (-1: never analyzed)
            self._maintained_at = max(0, int(self._read(
                "SELECT reltuples FROM pg_class WHERE oid = 'story_ids'::regclass")[0][0]))
            self.commit()
        except BaseException:
            self._lost()
            self.pool.close()
            raise

    def _ended(self) -> None:
        self._docs.clear()

    def _forget(self) -> None:
        self._doc_count = self._committed_count
        self._background = None

    # -- documents ------------------------------------------------------------------------
    def put_doc(self, info: DocInfo, fp: Fingerprint) -> None:
        self._docs.pop(info.doc_id, None)
        # the number is drawn by the first insert and reused by the others (currval): no round
        # trip; a number is spent even if rolled back, never reused
        day = day_number(info.published)
        anchors = _text_array(sorted(fp.anchors))
        sentences = zlib.compress(json.dumps([[x.text, x.key, x.words] for x in fp.sentences]).encode(), 6)
        self._write("INSERT INTO story_docs VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s," + _SEQ % "nextval" + ",%s)",
                    (info.doc_id, info.url, info.outlet, info.published, info.language, info.title,
                     int(info.is_wire), fp.words, packed_minhash(fp.minhash), info.text_hash, info.version,
                     day, json.dumps(sorted(fp.anchors))))
        seq = _SEQ % "currval"
        self._write(f"INSERT INTO story_texts VALUES ({seq}, %s)", (day, sentences))
        self._write(f"INSERT INTO story_ids VALUES ({seq}, %s, %s)", (day, info.doc_id, len(fp.seeds)))
        for table, values, conflict in (("story_seeds", fp.seeds, ""),
                                        ("story_keys", (x.key for x in fp.sentences), " ON CONFLICT DO NOTHING"),
                                        ("story_bands", fp.band_keys(), " ON CONFLICT DO NOTHING")):
            self._write(f"INSERT INTO {table} SELECT unnest(%s::bigint[]), {seq}{conflict}",
                        (_int_array(_ints(values)), day))
        self._write(f"INSERT INTO story_anchors SELECT unnest(%s::text[]), {seq}", (anchors, day))
        self._write("INSERT INTO story_anchor_df SELECT unnest(%s::text[]), 1"
                    " ON CONFLICT (anchor) DO UPDATE SET n = story_anchor_df.n + 1", (anchors,))
        self._doc_count += 1

    def remove_doc(self, doc_id: str) -> None:
        self._docs.pop(doc_id, None)
        rows = self._read("SELECT d.seq, t.sentences, d.anchors, d.minhash FROM story_docs d"
                          " JOIN story_texts t ON t.seq = d.seq WHERE d.doc_id = %s", (doc_id,))
        if rows:
            seq, sentences, anchors, minhash = rows[0]
            sentences, anchors = _sentences(sentences), json.loads(anchors)
            self._write("DELETE FROM story_texts WHERE seq = %s", (seq,))
            self._write("DELETE FROM story_seeds WHERE doc = %s AND seed = ANY(%s::bigint[])",
                        (seq, _int_array(_ints(seeds_of(sentences)))))
            self._write("DELETE FROM story_ids WHERE seq = %s", (seq,))
            self._write("DELETE FROM story_doc_vectors WHERE seq = %s", (seq,))
            self._write("UPDATE story_anchor_df SET n = n - 1 WHERE anchor = ANY(%s::text[])", (_text_array(anchors),))
            self._write("DELETE FROM story_anchors WHERE doc = %s AND anchor = ANY(%s::text[])", (seq, _text_array(anchors)))
            self._write("DELETE FROM story_keys WHERE doc = %s AND key = ANY(%s::bigint[])",
                        (seq, _int_array(_ints(x.key for x in sentences))))
            self._write("DELETE FROM story_bands WHERE doc = %s AND band = ANY(%s::bigint[])",
                        (seq, _int_array(_ints(band_keys(_minhash(minhash))))))
            self._write("DELETE FROM story_docs WHERE doc_id = %s", (doc_id,))
            self._doc_count -= 1
        self._write("DELETE FROM story_pairs WHERE a = %s OR b = %s", (doc_id, doc_id))

    @staticmethod
    def _info(row) -> DocInfo:
        return DocInfo(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7], row[8], row[9])

    _DOC_COLUMNS = "doc_id, url, outlet, published, language, title, is_wire, words, text_hash, version"

    def doc(self, doc_id: str) -> DocInfo | None:
        if doc_id not in self._docs:
            rows = self._read(f"SELECT {self._DOC_COLUMNS} FROM story_docs WHERE doc_id = %s", (doc_id,))
            self._docs[doc_id] = self._info(rows[0]) if rows else None
        return self._docs[doc_id]

    def docs_of(self, doc_ids: Iterable[str]) -> dict[str, DocInfo]:
        wanted = sorted(set(doc_ids))
        unread = [d for d in wanted if d not in self._docs]
        if unread:
            self._docs.update(dict.fromkeys(unread))
            for row in self._read(f"SELECT {self._DOC_COLUMNS} FROM story_docs WHERE doc_id = ANY(%s::text[])",
                                  (_text_array(unread),)):
                self._docs[row[0]] = self._info(row)
        return {d: self._docs[d] for d in wanted if self._docs[d] is not None}

    def docs(self) -> Iterator[DocInfo]:
        for row in self._read(f"SELECT {self._DOC_COLUMNS} FROM story_docs ORDER BY seq & {COUNTER_MASK}"):
            yield self._info(row)

    def doc_count(self) -> int:
        return self._doc_count

    def sentences(self, doc_id: str) -> list[Sentence]:
        rows = self._read("SELECT t.sentences FROM story_docs d JOIN story_texts t ON t.seq = d.seq"
                          " WHERE d.doc_id = %s", (doc_id,))
        return _sentences(rows[0][0]) if rows else []

    def sentences_of(self, doc_ids: Iterable[str]) -> dict[str, list[Sentence]]:
        wanted = sorted(set(doc_ids))
        if not wanted:
            return {}
        return {doc_id: _sentences(blob) for doc_id, blob in self._read(
            "SELECT d.doc_id, t.sentences FROM story_docs d JOIN story_texts t ON t.seq = d.seq"
            " WHERE d.doc_id = ANY(%s::text[])", (_text_array(wanted),))}

    def minhash(self, doc_id: str) -> np.ndarray:
        return _minhash(self._read("SELECT minhash FROM story_docs WHERE doc_id = %s", (doc_id,))[0][0])

    # -- candidate postings ---------------------------------------------------------------
    def docs_sharing_keys(self, keys: Iterable[int], days: tuple[int, int] | None = None) -> dict[str, int]:
        keys = _ints(keys)
        if not keys:
            return {}
        posted, params = _posted("story_keys", "key", "bigint", keys, days)
        return dict(self._read(f"SELECT d.doc_id, p.n FROM (SELECT doc, count(*) AS n FROM ({posted}) k GROUP BY doc) p"
                               f" {_NAMED} ORDER BY d.doc_id", params))

    def docs_sharing_bands(self, bands: Iterable[int], days: tuple[int, int] | None = None) -> set[str]:
        bands = _ints(bands)
        if not bands:
            return set()
        posted, params = _posted("story_bands", "band", "bigint", bands, days)
        return {row[0] for row in self._read(f"SELECT d.doc_id FROM (SELECT DISTINCT doc FROM ({posted}) b) p {_NAMED}",
                                             params)}

    @staticmethod
    def _counted_in_window(table: str, column: str, kind: str, max_df: int, days: tuple[int, int] | None,
                           condition: str) -> str:
        """A query of the values of an array parameter whose count of documents of ``days``
        meets ``condition`` ("BETWEEN 1 AND 10", "> 10"); counting stops past ``max_df``, so a
        common value's postings are not read through."""
        within = " + ".join(f"(SELECT count(*) FROM (SELECT 1 FROM {table} s WHERE s.{column} = v.value"
                            f" AND s.doc BETWEEN {lo} AND {hi} LIMIT {int(max_df) + 1}) AS found)"
                            for lo, hi in window_ranges(days))
        return f"SELECT v.value FROM unnest(%s::{kind}[]) AS v(value) WHERE {within} {condition}"

    def docs_sharing_seeds(self, seeds: Iterable[int], max_df: int,
                           days: tuple[int, int] | None = None) -> dict[str, tuple[int, int]]:
        seeds = _ints(seeds)
        if not seeds:
            return {}
        # the rare seeds are chosen and their postings read in one statement
        rare = self._counted_in_window("story_seeds", "seed", "bigint", max_df, days, f"BETWEEN 1 AND {int(max_df)}")
        posted = " UNION ALL ".join(f"SELECT doc FROM story_seeds WHERE seed = ANY(ARRAY(SELECT value FROM rare))"
                                    f" AND doc BETWEEN {lo} AND {hi}" for lo, hi in window_ranges(days))
        rows = self._read(f"WITH rare AS MATERIALIZED ({rare}) SELECT d.doc_id, p.n, d.seeds FROM"
                          f" (SELECT doc, count(*) AS n FROM ({posted}) s GROUP BY doc) p {_NAMED} ORDER BY d.doc_id",
                          (_int_array(seeds),))
        return {doc_id: (n, total) for doc_id, n, total in rows}

    def anchor_counts(self, anchors: Iterable[str]) -> dict[str, int]:
        anchors = sorted(set(anchors))
        if not anchors:
            return {}
        return dict(self._read("SELECT anchor, n FROM story_anchor_df WHERE n > 0 AND anchor = ANY(%s::text[])"
                               " ORDER BY anchor", (_text_array(anchors),)))

    def anchors_over(self, anchors: Iterable[str], max_df: int, days: tuple[int, int] | None = None) -> set[str]:
        anchors = sorted(set(anchors))
        if not anchors:
            return set()
        return {row[0] for row in self._read(self._counted_in_window("story_anchors", "anchor", "text", max_df, days,
                                                                     f"> {int(max_df)}"), (_text_array(anchors),))}

    def anchor_postings(self, anchors: Iterable[str], days: tuple[int, int] | None = None) -> dict[str, list[int]]:
        anchors = sorted(set(anchors))
        postings: dict[str, list[int]] = {}
        if anchors:
            # document numbers only: naming every posting's document costs an index lookup each
            posted, params = _posted("story_anchors", "anchor", "text", anchors, days)
            for anchor, number in self._read(f"SELECT posting, doc FROM ({posted}) p ORDER BY posting, doc", params):
                postings.setdefault(anchor, []).append(number)
        return postings

    def doc_ids(self, numbers: Iterable[int]) -> dict[int, str]:
        numbers = _ints(numbers)
        if not numbers:
            return {}
        return dict(self._read("SELECT seq, doc_id FROM story_ids WHERE seq = ANY(%s::bigint[])",
                               (_int_array(numbers),)))

    def anchors_of(self, doc_ids: Iterable[str]) -> dict[str, list[str]]:
        wanted = sorted(set(doc_ids))
        if not wanted:
            return {}
        return {doc_id: json.loads(anchors) for doc_id, anchors in self._read(
            "SELECT doc_id, anchors FROM story_docs WHERE doc_id = ANY(%s::text[])", (_text_array(wanted),))}

    # -- compared pairs and background ----------------------------------------------------
    def put_pair(self, a: str, b: str, data: dict) -> None:
        a, b = sorted((a, b))
        self._write("INSERT INTO story_pairs VALUES (%s, %s, %s)"
                    " ON CONFLICT (a, b) DO UPDATE SET data = excluded.data", (a, b, json.dumps(data)))

    def pairs(self, doc_id: str | None = None) -> Iterator[tuple[str, str, dict]]:
        if doc_id is None:
            rows = self._read("SELECT a, b, data FROM story_pairs ORDER BY a, b")
        else:
            rows = self._read("SELECT a, b, data FROM story_pairs WHERE a = %s OR b = %s ORDER BY a, b",
                              (doc_id, doc_id))
        for a, b, data in rows:
            yield a, b, json.loads(data)

    def add_background(self, keys: Iterable[int], reason: str) -> set[int]:
        known = self.background()
        new = {int(k) for k in keys} - known
        if new:
            self._write("INSERT INTO story_background SELECT unnest(%s::bigint[]), %s ON CONFLICT DO NOTHING",
                        (_int_array(sorted(new)), reason))
        known |= new
        return new

    def restate_background(self, keys: Iterable[int], reason: str) -> None:
        keys = _ints(keys)
        if keys:
            self._write("UPDATE story_background SET reason = %s WHERE key = ANY(%s::bigint[])",
                        (reason, _int_array(keys)))

    def background_reasons(self, keys: Iterable[int]) -> dict[int, str]:
        keys = _ints(keys)
        if not keys:
            return {}
        return dict(self._read("SELECT key, reason FROM story_background WHERE key = ANY(%s::bigint[]) ORDER BY key",
                               (_int_array(keys),)))

    def background(self) -> set[int]:
        if self._background is None:
            self._background = {row[0] for row in self._read("SELECT key FROM story_background")}
        return self._background

    def vote_background(self, votes: Iterable[tuple[int, str, str]]) -> None:
        rows = [(int(k), *sorted((a, b))) for k, a, b in votes]
        if rows:
            self._write("INSERT INTO story_background_votes SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[])"
                        " ON CONFLICT DO NOTHING", (_int_array(k for k, _, _ in rows),
                                                    _text_array(a for _, a, _ in rows), _text_array(b for _, _, b in rows)))

    def background_votes(self, keys: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
        keys = _ints(keys)
        found: dict[int, set[tuple[str, str]]] = {}
        if keys:
            for key, a, b in self._read("SELECT key, a, b FROM story_background_votes WHERE key = ANY(%s::bigint[])",
                                        (_int_array(keys),)):
                found.setdefault(key, set()).add((a, b))
        return found

    # -- sentence and document vectors ----------------------------------------------------
    def vectors(self, keys: list[int], model: str) -> dict[int, np.ndarray]:
        keys = _ints(keys)
        if not keys:
            return {}
        return {key: np.frombuffer(data, dtype=np.float16) for key, data in self._read(
            "SELECT key, data FROM story_vectors WHERE model = %s AND key = ANY(%s::bigint[]) ORDER BY key",
            (model, _int_array(keys)))}

    def put_vectors(self, vectors: dict[int, np.ndarray], model: str) -> None:
        if vectors:
            self._write("INSERT INTO story_vectors VALUES (%s, %s, %s)"
                        " ON CONFLICT (key, model) DO UPDATE SET data = excluded.data",
                        [(int(k), model, v.astype(np.float16).tobytes()) for k, v in vectors.items()])

    def put_doc_vector(self, doc_id: str, vector: np.ndarray, model: str) -> int | None:
        seq = self.doc_seq(doc_id)
        if seq is not None:
            self._write("INSERT INTO story_doc_vectors VALUES (%s, %s, %s)"
                        " ON CONFLICT (model, seq) DO UPDATE SET data = excluded.data",
                        (seq, model, vector.astype(np.float16).tobytes()))
        return seq

    def doc_vectors(self, model: str) -> Iterator[tuple[int, np.ndarray]]:
        for seq, data in self._read("SELECT v.seq, v.data FROM story_doc_vectors v JOIN story_ids d"
                                    " ON d.seq = v.seq WHERE v.model = %s ORDER BY v.seq", (model,)):
            yield seq, np.frombuffer(data, dtype=np.float16)

    def doc_seq(self, doc_id: str) -> int | None:
        rows = self._read("SELECT seq FROM story_docs WHERE doc_id = %s", (doc_id,))
        return rows[0][0] if rows else None

    def doc_id_of(self, seq: int) -> str | None:
        rows = self._read("SELECT doc_id FROM story_ids WHERE seq = %s", (seq,))
        return rows[0][0] if rows else None

    # -- the store as a whole -------------------------------------------------------------
    def state(self) -> tuple:
        return tuple(self._read(
            "SELECT (SELECT coalesce(max(seq), 0) FROM story_ids), (SELECT count(*) FROM story_ids),"
            " (SELECT count(*) FROM story_pairs), (SELECT count(*) FROM story_background)")[0])

    def clear(self) -> None:
        self._write(f"TRUNCATE {', '.join(STORY_TABLES)}")
        self._write("ALTER SEQUENCE story_seq RESTART")
        self._doc_count = 0
        self._background = None
        self.commit()

    def commit(self) -> None:
        super().commit()
        self._committed_count = self._doc_count
        if self._committed_count >= max(MAINTAIN_FROM, 2 * self._maintained_at):
            self._maintain()

    def _maintain(self) -> None:
        """``VACUUM (ANALYZE)`` of the story tables, outside any transaction: the cost of the rows
        added since the last time, so one document's share stays the same as the archive grows."""
        tables = ", ".join(STORY_TABLES)

        def attempt() -> None:
            with self.pool.connection(timeout=self.options.connect_timeout) as conn:
                conn.execute(f"VACUUM (ANALYZE) {tables}")
        try:
            with_retries(self.options, self.stats, attempt, lambda: None)
            self.stats["maintained"] += 1
        except (psycopg.Error, PoolTimeout) as exc:  # the articles are kept; only the statistics lag
            self.stats["maintain_failed"] += 1
            logger.warning("VACUUM (ANALYZE) of the story tables in %s failed: %s", self.path, exc)
        self._maintained_at = self._committed_count

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._lost()
            self.pool.close()
