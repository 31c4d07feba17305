"""Items the news spider yields."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticleItem:
    """An article page: its body goes to extraction, the result to the archive."""

    url: str
    body: bytes | None = field(repr=False)
    content_type: str | None
    capture: Any = field(default=None, repr=False)  # archive.store.CaptureRef when archived
    detected_by: str = ""
    page_class: str = "article"
    page_signals: list[str] = field(default_factory=list)
    title: str | None = None
    text: str | None = field(default=None, repr=False)
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    sitename: str | None = None
    extraction_error: str | None = None
    held: bool = False  # waiting for its site's profile: stored and tracked later


@dataclass
class PageItem:
    """An HTML page that is not an article (a listing, a wall, other): its class is catalogued."""

    url: str
    capture: Any = field(default=None, repr=False)
    page_class: str = "other"
    page_signals: list[str] = field(default_factory=list)
