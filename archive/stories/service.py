"""Story tracking over an archive directory: live (one worker process) and rebuilt from WARCs.

The story state is kept by the catalog's story store (``archive.catalog.open_story_store``; the
``story_*`` tables of ``catalog.sqlite`` by default). It is derived data: ``rebuild`` clears it
and tracks every article again from the WARC conversion and metadata records,
in the order they were archived, which is the order the live crawl tracked them in.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from ..catalog import CatalogOptions, open_story_store
from ..store import record_kinds
from ..warc.reader import iter_records
from ..warc.records import described_url, metadata_fields
from .encoder import load_encoder
from .tracker import Document, StoryTracker, TrackerConfig

logger = logging.getLogger(__name__)

def make_config(overrides: dict | None) -> TrackerConfig:
    overrides = dict(overrides or {})
    known = {f.name for f in fields(TrackerConfig)}
    unknown = set(overrides) - known
    if unknown:
        raise ValueError(f"unknown story tracking options: {', '.join(sorted(unknown))}")
    if "wire_names" in overrides:
        overrides["wire_names"] = tuple(overrides["wire_names"])
    return TrackerConfig(**overrides)


def open_tracker(root: str | Path, encoder: str | None = None, config: dict | None = None,
                 with_encoder: bool = True, options: CatalogOptions | None = None) -> StoryTracker:
    store = open_story_store(root, options, kind_of_record=record_kinds(root))
    return StoryTracker(store, load_encoder(encoder) if with_encoder else None, make_config(config))


def document(url: str, text: str, meta: dict) -> Document:
    """A tracker document from an archived article (conversion text + metadata JSON)."""
    return Document(
        doc_id=url, url=url, text=text, title=meta.get("title"), published=meta.get("published"),
        outlet=meta.get("sitename") or urlsplit(url).netloc, language=meta.get("language"),
        authors=list(meta.get("authors") or []), text_hash=meta.get("text_hash"),
    )


def archived_documents(root: str | Path) -> Iterator[Document]:
    """Articles of an archive in the order their records were written."""
    for path in sorted((Path(root) / "warc").glob("*.warc.gz")):
        yield from file_documents(path)


def file_documents(path: Path) -> Iterator[Document]:
    """Articles of one WARC file in the order their records were written."""
    texts: dict[str, str] = {}
    for record in iter_records(path, types=("conversion", "metadata")):
        refers_to = record.header("WARC-Refers-To")
        if record.rec_type == "conversion":
            texts[refers_to] = record.payload.decode("utf-8", "replace")
        elif refers_to in texts:
            try:
                meta = metadata_fields(record)
            except ValueError:
                logger.warning("Unreadable metadata record at %s:%d", path.name, record.offset)
                continue
            yield document(described_url(record), texts.pop(refers_to), meta)


def rebuild(root: str | Path, encoder: str | None = None, config: dict | None = None,
            progress: Callable[[int], None] | None = None, options: CatalogOptions | None = None) -> StoryTracker:
    """Forget all story state and track every archived article again."""
    tracker = open_tracker(root, encoder, config, options=options)
    tracker.store.clear()
    for n, doc in enumerate(archived_documents(root), 1):
        tracker.add(doc)
        if progress is not None:
            progress(n)
    return tracker


# -- the live crawl's tracking process ---------------------------------------------------
_tracker: StoryTracker | None = None


def start_worker(root: str, encoder: str | None, config: dict | None,
                 options: CatalogOptions | None = None) -> None:
    global _tracker
    _tracker = open_tracker(root, encoder, config, options=options)


def track(doc: Document) -> tuple[int, str | None, dict[str, int]]:
    """Runs in the tracking process: add one article; how many links it has, the kind of wall
    its text is if it was set aside as one, and what the story store has counted so far (lost
    connections retried, maintenance...)."""
    assert _tracker is not None, "start_worker() was not called in this process"
    links, wall = _tracker.add_or_set_aside(doc)
    return len(links), wall, dict(_tracker.store.stats)
