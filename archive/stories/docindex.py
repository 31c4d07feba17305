"""Candidates for rewrites and translations: one multilingual vector per article (the mean of
its lede sentences' embeddings, by the tracker's own encoder) in an approximate nearest-neighbour
index (usearch HNSW, cosine). A retold or translated copy shares no word sequences with its
origin and may spell every name differently, but its lede says the same thing.

The vectors are kept in the story store (``story_doc_vectors``); the index is rebuilt from
them when a tracker opens the store, so it is derived data like every story table.
"""

from __future__ import annotations

import numpy as np
from usearch.index import Index

from ..catalog.stories_schema import DAY_SHIFT

LEDE_SENTENCES = 3  # a standfirst or kicker may come before the lede


def document_vector(sentence_vectors: np.ndarray) -> np.ndarray | None:
    """The normalised mean of the first sentences' vectors (the lede), or None for no text."""
    if len(sentence_vectors) == 0:
        return None
    mean = sentence_vectors[:LEDE_SENTENCES].astype(np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


BUCKET_DAYS = 7  # the index is one HNSW graph per week of publication


class DocIndex:
    """Vectors in one index per week of publication (and one for undated articles): a lookup
    searches the weeks of its date window only. In one index of the whole archive, the nearest
    vectors would more and more often lie outside the window (a recurring story's earlier
    years), crowding out those within it, and every search would grow with the archive."""

    def __init__(self, store, model: str):
        self.store = store
        self.model = model
        self._buckets: dict[int | None, Index] | None = None
        self._ndim = 0

    @staticmethod
    def _bucket_of(seq: int) -> int | None:
        day = seq >> DAY_SHIFT
        return day // BUCKET_DAYS if day else None

    def _loaded(self, ndim: int) -> dict[int | None, Index]:
        if self._buckets is None:
            self._buckets, self._ndim = {}, ndim
            grouped: dict[int | None, tuple[list[int], list[np.ndarray]]] = {}
            for seq, vector in self.store.doc_vectors(self.model):
                keys, vectors = grouped.setdefault(self._bucket_of(seq), ([], []))
                keys.append(seq)
                vectors.append(vector)
            for bucket, (keys, vectors) in grouped.items():
                self._bucket(bucket).add(np.array(keys, dtype=np.uint64), np.stack(vectors).astype(np.float32))
        return self._buckets

    def _bucket(self, bucket: int | None) -> Index:
        assert self._buckets is not None
        index = self._buckets.get(bucket)
        if index is None:
            index = self._buckets[bucket] = Index(ndim=self._ndim, metric="cos", dtype="f16")
        return index

    def add(self, doc_id: str, vector: np.ndarray) -> None:
        seq = self.store.put_doc_vector(doc_id, vector, self.model)
        if seq is not None:
            self._loaded(len(vector))
            self._bucket(self._bucket_of(seq)).add(seq, vector.astype(np.float32))

    def remove(self, doc_id: str) -> None:
        seq = self.store.doc_seq(doc_id)
        if seq is None or self._buckets is None:
            return
        index = self._buckets.get(self._bucket_of(seq))
        if index is not None and seq in index:
            index.remove(seq)

    def nearest(self, vector: np.ndarray, count: int, min_cosine: float,
                days: tuple[int, int] | None = None) -> list[tuple[str, float]]:
        """Up to ``count`` articles whose vectors are within ``min_cosine``, nearest first, of
        the days ``days`` (inclusive) and undated ones; None: of every day."""
        buckets = self._loaded(len(vector))
        if days is None:
            searched = list(buckets.values())
        else:
            wanted = [None, *range(days[0] // BUCKET_DAYS, days[1] // BUCKET_DAYS + 1)]
            searched = [buckets[b] for b in wanted if b in buckets]
        scored: list[tuple[float, int]] = []
        query = vector.astype(np.float32)
        for index in searched:
            if len(index) == 0:
                continue
            matches = index.search(query, min(count, len(index)))
            scored += [(1.0 - distance, int(seq)) for seq, distance in
                       zip(matches.keys.tolist(), matches.distances.tolist()) if 1.0 - distance >= min_cosine]
        found = []
        for cosine, seq in sorted(scored, reverse=True)[:count]:
            doc_id = self.store.doc_id_of(seq)
            if doc_id is not None:
                found.append((doc_id, round(cosine, 4)))
        return found
