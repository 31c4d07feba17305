"""What an imported capture is (robots, redirect, error, feed, sitemap, page, article, ...),
decided from its status and body as the crawl decides it, never from its URL alone."""

from __future__ import annotations

from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HTMLParser

from ..discover import sniff, ungzip
from ..extract import Article, ExtractionError, ExtractOptions, decode_html, extract
from ..htmlmeta import looks_like_article
from .records import ParsedRecord

_KINDS = {"feed": "feed", "sitemap": "sitemap", "sitemapindex": "sitemap", "html": "page"}


_SNIFFED_MIMES = ("", "text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/plain",
                  "application/rss+xml", "application/atom+xml", "application/rdf+xml",
                  "application/x-gzip", "application/gzip", "application/octet-stream")


def needs_body(record: ParsedRecord) -> bool:
    """Whether the body can change the kind: pages, feeds and sitemaps (whatever they are
    served as), not images, scripts, styles or media."""
    mime = (record.content_type or "").split(";", 1)[0].strip().lower()
    return record.rec_type != "revisit" and (mime in _SNIFFED_MIMES or mime.endswith("+xml"))


def capture_kind(record: ParsedRecord, body: bytes) -> str:
    if record.rec_type == "revisit":
        return "revisit"
    if urlsplit(record.url or "").path == "/robots.txt":
        return "robots"
    status = record.status
    if status is not None and 300 <= status < 400:
        return "redirect"
    if status is not None and status >= 400:
        return "error"
    kind = sniff(body, record.content_type)
    if kind == "gzip":
        try:
            kind = sniff(ungzip(body), None)
        except (OSError, ValueError, EOFError):
            return "other"
    return _KINDS.get(kind, "other")


def wants_extraction(record: ParsedRecord, kind: str) -> bool:
    return kind == "page" and (record.status is None or 200 <= record.status < 300)


def analyse_page(body: bytes, url: str, content_type: str | None,
                 options: ExtractOptions) -> tuple[Article | None, str]:
    """Runs in a worker: (the article, how it was recognised) or (None, why it is not one)."""
    _encoding, html = decode_html(body, content_type)
    try:
        tree = etree.fromstring(html.encode("utf-8"), parser=HTMLParser(recover=True, encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None, "unparsable"
    if tree is None:
        return None, "unparsable"
    is_article, reason = looks_like_article(tree)
    if not is_article:
        return None, "not-an-article"
    try:
        return extract(body, url, content_type, options), reason
    except ExtractionError as exc:
        return None, exc.reason


def warm_up() -> None:
    """Pool initializer: import trafilatura and its models before the first page arrives."""
    body = b"<html><body>" + b"<p>" + b"word " * 40 + b"</p>" * 3 + b"</body></html>"
    try:
        extract(body, "http://localhost/")
    except ExtractionError:
        pass
