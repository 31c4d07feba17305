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

LEDE_SENTENCES = 3


def document_vector(sentence_vectors: np.ndarray) -> np.ndarray | None:
    """The normalised mean of the first sentences' vectors (the lede), or None for no text."""
    if len(sentence_vectors) == 0:
        return None
    mean = sentence_vectors[:LEDE_SENTENCES].astype(np.float32).mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


class DocIndex:
    def __init__(self, store, model: str):
        self.store = store
        self.model = model
        self._index: Index | None = None

    def _loaded(self, ndim: int) -> Index:
        if self._index is None:
            self._index = Index(ndim=ndim, metric="cos", dtype="f16")
            keys, vectors = [], []
            for seq, vector in self.store.doc_vectors(self.model):
                keys.append(seq)
                vectors.append(vector)
            if keys:
                self._index.add(np.array(keys, dtype=np.uint64), np.stack(vectors).astype(np.float32))
        return self._index

    def add(self, doc_id: str, vector: np.ndarray) -> None:
        seq = self.store.put_doc_vector(doc_id, vector, self.model)
        if seq is not None:
            self._loaded(len(vector)).add(seq, vector.astype(np.float32))

    def remove(self, doc_id: str) -> None:
        seq = self.store.doc_seq(doc_id)
        if seq is not None and self._index is not None and seq in self._index:
            self._index.remove(seq)

    def nearest(self, vector: np.ndarray, count: int, min_cosine: float) -> list[tuple[str, float]]:
        """Up to ``count`` articles whose vectors are within ``min_cosine``, nearest first."""
        index = self._loaded(len(vector))
        if len(index) == 0:
            return []
        matches = index.search(vector.astype(np.float32), min(count, len(index)))
        found = []
        for seq, distance in zip(matches.keys.tolist(), matches.distances.tolist()):
            if 1.0 - distance >= min_cosine:
                doc_id = self.store.doc_id_of(int(seq))
                if doc_id is not None:
                    found.append((doc_id, round(1.0 - distance, 4)))
        return found
