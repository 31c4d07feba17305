"""The story store protocol: what story tracking (``archive.stories``) keeps and asks for.

``archive.catalog.stories_sqlite.SQLiteStore`` keeps it in the ``story_*`` tables of the
archive's catalog file (or in memory), ``archive.catalog.stories_postgres.PostgresStoryStore`` in
those of its PostgreSQL schema (``CATALOG_URL``); another back-end implements the same methods
and is named by ``CATALOG_STORY_STORE_CLASS``. Documents are named by ``doc_id`` (the article's URL); a store
also numbers them (``seq``, the key of document vectors). Values are plain Python and numpy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Protocol

import numpy as np

if TYPE_CHECKING:
    from ..stories.fingerprint import Fingerprint, Sentence


@dataclass
class DocInfo:
    """A tracked document: what the stories show of it."""

    doc_id: str
    url: str
    outlet: str
    published: str | None
    language: str | None
    title: str | None
    is_wire: bool
    words: int
    text_hash: str | None = None
    version: int = 1


class StoryStore(Protocol):
    stats: Counter[str]
    """What the store counted so far (e.g. ``retries`` after a lost connection, ``maintained``):
    the crawl reports each as ``stories/store_<name>``."""

    # documents
    def put_doc(self, info: DocInfo, fp: Fingerprint) -> None:
        """Keep a new document: its row, sentences, MinHash and every posting (keys, bands, seeds, anchors)."""
    def remove_doc(self, doc_id: str) -> None:
        """Forget a document, its postings, vector and pairs (a new version replaces it)."""
    def doc(self, doc_id: str) -> DocInfo | None:
        """The document named ``doc_id``, None when unknown."""
    def docs(self) -> Iterator[DocInfo]:
        """Every document, in the order they were kept."""
    def doc_count(self) -> int:
        """How many documents are kept."""
    def sentences(self, doc_id: str) -> list[Sentence]:
        """A document's sentences in text order ([] when unknown)."""
    def docs_of(self, doc_ids: Iterable[str]) -> dict[str, DocInfo]:
        """The documents of these ids that are kept, by id, read together (a server back-end
        reads them in one round trip)."""
    def sentences_of(self, doc_ids: Iterable[str]) -> dict[str, list[Sentence]]:
        """The sentences of these documents (those kept), by id, read together."""
    def minhash(self, doc_id: str) -> np.ndarray:
        """A document's MinHash (uint64 values)."""

    # candidate postings, of the documents published on ``days`` (first, last: day numbers of
    # ``stories_schema.day_number``) or undated; every document when ``days`` is None
    def docs_sharing_keys(self, keys: Iterable[int], days: tuple[int, int] | None = None) -> dict[str, int]:
        """Documents having any of these sentence keys -> how many of them."""
    def docs_sharing_bands(self, bands: Iterable[int], days: tuple[int, int] | None = None) -> set[str]:
        """Documents in any of these LSH buckets."""
    def docs_sharing_seeds(self, seeds: Iterable[int], max_df: int,
                           days: tuple[int, int] | None = None) -> dict[str, tuple[int, int]]:
        """Documents sharing seeds found in at most ``max_df`` of these documents -> (shared, their seed count)."""
    def anchor_counts(self, anchors: Iterable[str]) -> dict[str, int]:
        """Anchor -> how many documents have it (anchors no document has are left out)."""
    def anchors_over(self, anchors: Iterable[str], max_df: int, days: tuple[int, int] | None = None) -> set[str]:
        """The anchors that more than ``max_df`` of these documents have."""
    def anchor_postings(self, anchors: Iterable[str], days: tuple[int, int] | None = None) -> dict[str, list[int]]:
        """Anchor -> the numbers of the documents having it, in order (``doc_ids`` names them)."""
    def doc_ids(self, numbers: Iterable[int]) -> dict[int, str]:
        """Document number -> its document id (numbers of no document are left out)."""
    def anchors_of(self, doc_ids: Iterable[str]) -> dict[str, list[str]]:
        """The anchors of these documents (those kept), by id, read together."""

    # compared pairs and background
    def put_pair(self, a: str, b: str, data: dict) -> None:
        """Keep (or replace) what comparing two documents found, whichever order they are given in."""
    def pairs(self, doc_id: str | None = None) -> Iterator[tuple[str, str, dict]]:
        """Compared pairs (a < b), all or those of one document, ordered by (a, b)."""
    def add_background(self, keys: Iterable[int], reason: str) -> set[int]:
        """Mark sentence keys as background; returns those that were not yet."""
    def restate_background(self, keys: Iterable[int], reason: str) -> None:
        """Give background keys another reason (chrome that other sites turn out to share is stock)."""
    def background(self) -> set[int]:
        """Every background sentence key."""
    def background_reasons(self, keys: Iterable[int]) -> dict[int, str]:
        """Background sentence key -> why it was marked (keys not background are left out)."""
    def vote_background(self, votes: Iterable[tuple[int, str, str]]) -> None:
        """Record that the pair (a, b), judged different stories, shares sentence ``key``."""
    def background_votes(self, keys: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
        """Sentence key -> the pairs of different stories that share it."""

    # sentence and document vectors
    def vectors(self, keys: list[int], model: str) -> dict[int, np.ndarray]:
        """Kept sentence vectors of ``model``, by sentence key."""
    def put_vectors(self, vectors: dict[int, np.ndarray], model: str) -> None:
        """Keep sentence vectors of ``model`` (float16)."""
    def put_doc_vector(self, doc_id: str, vector: np.ndarray, model: str) -> int | None:
        """Keep a document's vector; its number, None when the document is unknown."""
    def doc_vectors(self, model: str) -> Iterator[tuple[int, np.ndarray]]:
        """(number, vector) of every kept document vector of ``model``."""
    def doc_seq(self, doc_id: str) -> int | None:
        """A document's number."""
    def doc_id_of(self, seq: int) -> str | None:
        """The document with this number."""

    # the store as a whole
    def state(self) -> tuple:
        """A value that changes whenever tracking adds, replaces or relates documents (cache key)."""
    def clear(self) -> None:
        """Forget all story state (``stories rebuild`` tracks every article again)."""
    def commit(self) -> None:
        """Make what was written since the last commit durable and visible to other readers."""
    def close(self) -> None:
        """Commit and release the store."""
