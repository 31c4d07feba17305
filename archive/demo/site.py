"""What every outlet's templates share: the site context, article pages and response helpers."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

from .model import ArticleSpec, OutletProfile
from .server import EPOCH, Resource


@dataclass(frozen=True)
class Page:
    """An article placed on its outlet: the spec plus the path and absolute URL it is served at."""

    spec: ArticleSpec
    path: str
    url: str


@dataclass
class SiteContext:
    """Everything a template needs to render one outlet once its port is known."""

    profile: OutletProfile
    base_url: str
    pages: list[Page]
    peers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.pages = sorted(self.pages, key=lambda page: page.spec.published_at, reverse=True)

    def url(self, path: str) -> str:
        return self.base_url + path

    def peer_url(self, outlet: str, path: str) -> str:
        return self.peers[outlet] + path

    def page(self, slug: str) -> Page:
        for page in self.pages:
            if page.spec.slug == slug:
                return page
        raise KeyError(slug)

    def in_section(self, key: str) -> list[Page]:
        return [page for page in self.pages if page.spec.section == key]

    def related(self, current: Page, count: int = 3) -> list[Page]:
        """Other articles of the same section first, then the newest of the rest."""
        same = [p for p in self.in_section(current.spec.section) if p is not current]
        rest = [p for p in self.pages if p is not current and p not in same]
        return (same + rest)[:count]

    def latest(self, pages: list[Page] | None = None) -> datetime:
        chosen = self.pages if pages is None else pages
        return max((page.spec.modified_at for page in chosen), default=EPOCH)


def esc(text: str) -> str:
    """Escape text content (quotes and apostrophes stay as they are, as most CMSs leave them)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def html_page(ctx: SiteContext, markup: str, modified: datetime = EPOCH, *,
              header_charset: bool = True, status: int = 200) -> Resource:
    charset = ctx.profile.charset
    ctype = f"text/html; charset={charset}" if header_charset else "text/html"
    body = markup.encode(charset, errors="xmlcharrefreplace")
    return Resource(body, ctype, last_modified=modified, status=status)


def xml_doc(markup: str, ctype: str, modified: datetime = EPOCH) -> Resource:
    return Resource(markup.encode("utf-8"), f"{ctype}; charset=utf-8", last_modified=modified)


def text_doc(text: str, ctype: str = "text/plain", modified: datetime = EPOCH) -> Resource:
    return Resource(text.encode("utf-8"), f"{ctype}; charset=utf-8", last_modified=modified)


def logo_svg(name: str, colour: str) -> Resource:
    markup = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="48" viewBox="0 0 320 48">'
        f'<rect width="320" height="48" fill="{colour}"/>'
        '<text x="12" y="32" font-family="Georgia,serif" font-size="24" fill="#fff">'
        f"{esc(name)}</text></svg>"
    )
    return Resource(markup.encode("utf-8"), "image/svg+xml")


def paragraphs(spec: ArticleSpec, indent: str = "") -> str:
    return "\n".join(f"{indent}<p>{esc(text)}</p>" for text in spec.paragraphs)


def long_date(moment: datetime) -> str:
    """'Monday 10 March 2025'."""
    return f"{moment:%A} {moment.day} {moment:%B %Y}"
