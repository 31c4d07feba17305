"""Which imported pages are articles, decided in worker processes (a capture's kind comes from
the catalog's record mapper, as for a crawl)."""

from __future__ import annotations

from lxml import etree
from lxml.html import HTMLParser

from ..extract import Article, ExtractionError, ExtractOptions, decode_html, extract
from ..htmlmeta import looks_like_article
from .records import ParsedRecord


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
