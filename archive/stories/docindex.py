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
    years), crowding out those within it, and every search would grow with the archive.

    Short texts (fewer sentences than a lede: a brief) are also kept in indexes of their own,
    so that an article can look for the briefs it is among the nearest of."""

    def __init__(self, store, model: str):
        self.store = store
        self.model = model
        self._short_model = f"{model}:short"  # the same vectors, of short texts only
        self._buckets: dict[int | None, Index] | None = None
        self._short: dict[int | None, Index] = {}
        self._ndim = 0

    @staticmethod
    def _bucket_of(seq: int) -> int | None:
        day = seq >> DAY_SHIFT
        return day // BUCKET_DAYS if day else None

    def _loaded(self, ndim: int) -> dict[int | None, Index]:
        if self._buckets is None:
            self._buckets, self._ndim = {}, ndim
            for model, buckets in ((self.model, self._buckets), (self._short_model, self._short)):
                grouped: dict[int | None, tuple[list[int], list[np.ndarray]]] = {}
                for seq, vector in self.store.doc_vectors(model):
                    keys, vectors = grouped.setdefault(self._bucket_of(seq), ([], []))
                    keys.append(seq)
                    vectors.append(vector)
                for bucket, (keys, vectors) in grouped.items():
                    self._bucket(buckets, bucket).add(np.array(keys, dtype=np.uint64),
                                                      np.stack(vectors).astype(np.float32))
        return self._buckets

    def _bucket(self, buckets: dict[int | None, Index], bucket: int | None) -> Index:
        index = buckets.get(bucket)
        if index is None:
            index = buckets[bucket] = Index(ndim=self._ndim, metric="cos", dtype="f16")
        return index

    def add(self, doc_id: str, vector: np.ndarray, short: bool = False) -> None:
        seq = self.store.put_doc_vector(doc_id, vector, self.model)
        if seq is None:
            return
        buckets = self._loaded(len(vector))
        self._bucket(buckets, self._bucket_of(seq)).add(seq, vector.astype(np.float32))
        if short:
            self.store.put_doc_vector(doc_id, vector, self._short_model)
            self._bucket(self._short, self._bucket_of(seq)).add(seq, vector.astype(np.float32))

    def remove(self, doc_id: str) -> None:
        seq = self.store.doc_seq(doc_id)
        if seq is None or self._buckets is None:
            return
        for buckets in (self._buckets, self._short):
            index = buckets.get(self._bucket_of(seq))
            if index is not None and seq in index:
                index.remove(seq)

    def vector(self, doc_id: str) -> np.ndarray | None:
        """The vector of an indexed article (None if it has none)."""
        seq = self.store.doc_seq(doc_id)
        if seq is None or self._buckets is None:
            return None
        index = self._buckets.get(self._bucket_of(seq))
        if index is None or seq not in index:
            return None
        return np.asarray(index.get(seq), dtype=np.float32)

    def nearest(self, vector: np.ndarray, count: int, min_cosine: float,
                days: tuple[int, int] | None = None, short: bool = False) -> list[tuple[str, float]]:
        """Up to ``count`` articles whose vectors are within ``min_cosine``, nearest first, of
        the days ``days`` (inclusive) and undated ones; None: of every day. ``short``: of
        short texts only."""
        buckets = self._loaded(len(vector))
        if short:
            buckets = self._short
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
        chosen = sorted(scored, reverse=True)[:count]
        names = self.store.doc_ids(seq for _, seq in chosen)
        return [(names[seq], round(cosine, 4)) for cosine, seq in chosen if seq in names]
