"""Data types of the bundled sample news web: outlets, article specs and ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

#: Relation of one capture to the origin of its story.
ORIGIN = "origin"
IDENTICAL = "identical"
NEAR_IDENTICAL = "near-identical"
EXCERPT = "excerpt"
REWRITE = "rewrite"
#: The article is the only capture of its story: it copies nothing and nothing copies it.
UNRELATED = "unrelated"

RELATIONS = (ORIGIN, IDENTICAL, NEAR_IDENTICAL, EXCERPT, REWRITE, UNRELATED)


@dataclass(frozen=True)
class Outlet:
    """One live outlet of the demo web."""

    name: str
    slug: str
    base_url: str


@dataclass(frozen=True)
class DemoArticle:
    """Ground truth for one article page, with the absolute URL it is served at.

    ``outlet`` is the outlet slug, ``published`` an ISO 8601 timestamp with offset and
    ``text`` the body paragraphs joined by blank lines (no headline, byline or page chrome).
    """

    url: str
    outlet: str
    story: str
    relation: str
    title: str
    published: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n")


@dataclass(frozen=True)
class ArticleSpec:
    """An article as written in the content modules, before it is placed on an outlet."""

    outlet: str
    section: str
    slug: str
    story: str
    relation: str
    title: str
    published: str
    byline: str
    paragraphs: tuple[str, ...]
    standfirst: str = ""
    modified: str = ""
    lang: str = "en"
    tags: tuple[str, ...] = ()
    #: False: the HTTP Content-Type carries no charset, only the page's <meta charset> does.
    charset_in_header: bool = True

    def __post_init__(self) -> None:
        if self.relation not in RELATIONS:
            raise ValueError(f"unknown relation {self.relation!r} for {self.slug}")
        if not self.paragraphs:
            raise ValueError(f"article {self.slug} has no paragraphs")
        datetime.fromisoformat(self.published)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def published_at(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def modified_at(self) -> datetime:
        return datetime.fromisoformat(self.modified or self.published)

    @property
    def summary(self) -> str:
        """The standfirst, or the first sentence of the body with the dateline removed."""
        if self.standfirst:
            return self.standfirst
        first = self.paragraphs[0]
        for dash in (" — ", " – "):
            head, sep, rest = first.partition(dash)
            if sep and len(head) < 60:
                first = rest
                break
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]


@dataclass(frozen=True)
class OutletProfile:
    """How an outlet is served: identity, encoding and transport habits."""

    slug: str
    name: str
    charset: str
    gzip: bool
    chunked: bool
    server_software: str
    sections: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def section_label(self, key: str) -> str:
        return dict(self.sections)[key]
