"""The rows of the catalog and the vocabulary they use."""

from __future__ import annotations

import json

from dataclasses import dataclass
from enum import StrEnum

PROFILE_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
PROFILE_IDENTICAL = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"


class CaptureKind(StrEnum):
    """What a capture is, decided from its record (status, content), the same for a crawl, an
    import and a rebuild; ``article`` once its text is archived."""

    PAGE = "page"
    ARTICLE = "article"
    FEED = "feed"
    SITEMAP = "sitemap"
    REDIRECT = "redirect"
    ERROR = "error"
    ROBOTS = "robots"
    REVISIT = "revisit"
    OTHER = "other"


@dataclass(frozen=True)
class CaptureRow:
    url: str
    surt: str
    timestamp: str
    warc_date: str
    record_id: str
    status: int | None
    mime: str | None
    kind: str
    payload_digest: str | None
    warc_file: str
    warc_offset: int
    warc_length: int
    truncated: str | None = None
    job: str | None = None


@dataclass(frozen=True)
class ArticleRow:
    capture_id: int
    url: str
    canonical_url: str | None
    title: str | None
    authors: list[str]
    published: str | None
    sitename: str | None
    language: str | None
    text_hash: str
    text_length: int
    extractor: str
    conversion_file: str
    conversion_offset: int
    conversion_length: int
    metadata_file: str
    metadata_offset: int
    metadata_length: int
    modified: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] | None = None
    image: str | None = None
    amp_url: str | None = None
    page_class: str | None = None
    page_signals: list[str] | None = None

    def values(self) -> dict:
        """Column -> value as stored: the list columns as JSON."""
        values = dict(self.__dict__)
        for name in ("authors", "tags", "page_signals"):
            if values[name] is not None:
                values[name] = json.dumps(values[name], ensure_ascii=False)
        return values


@dataclass(frozen=True)
class RevisitLink:
    """A revisit record's reference to the response holding its payload."""

    profile: str
    refers_to: str | None
    refers_to_uri: str | None
    refers_to_date: str | None


@dataclass(frozen=True)
class PreviousCapture:
    """The latest capture of a URL and the response record that holds its payload.

    For a revisit, ``original_*`` name the response it refers to; for a response, itself.
    """

    capture_id: int
    url: str
    warc_date: str
    status: int | None
    kind: str
    payload_digest: str | None
    etag: str | None
    last_modified: str | None
    original_id: int
    original_record_id: str
    original_uri: str
    original_date: str
    original_file: str
    original_offset: int
    original_length: int


@dataclass(frozen=True)
class ArticleState:
    """What the recrawl policy needs to know about an archived article."""

    url: str
    published: str | None
    first_captured: str
    last_captured: str
    text_hash: str
    capture_id: int


@dataclass(frozen=True)
class Version:
    capture_id: int
    url: str
    version: int
    previous_id: int | None
    text_hash: str
    diff: str | None
    added_words: int | None
    removed_words: int | None
    warc_date: str
    payload_digest: str | None
    title: str | None
    conversion_file: str
    conversion_offset: int
    conversion_length: int
