"""Which imported pages are articles, decided in worker processes (a capture's kind comes from
the catalog's record mapper, as for a crawl)."""

from __future__ import annotations

from lxml import etree
from lxml.html import HTMLParser

from ..extract import Article, ExtractionError, ExtractOptions, decode_html, extract
from ..pageclass import Classification, PageClass, classify_page
from .records import ParsedRecord


def wants_extraction(record: ParsedRecord, kind: str) -> bool:
    return kind == "page" and (record.status is None or 200 <= record.status < 300)


def analyse_page(body: bytes, url: str, content_type: str | None, options: ExtractOptions,
                 status: int | None = None) -> tuple[Article | None, str, Classification | None]:
    """Runs in a worker: (the article, how it was recognised, the page's class) or (None, why
    it is not one, the class when the page could be parsed), classed as a crawl classes it."""
    _encoding, html = decode_html(body, content_type)
    try:
        tree = etree.fromstring(html.encode("utf-8"), parser=HTMLParser(recover=True, encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return None, "unparsable", None
    if tree is None:
        return None, "unparsable", None
    page = classify_page(tree, status)
    if page.page_class is not PageClass.ARTICLE:
        return None, f"not-an-article ({page.page_class})", page
    try:
        article = extract(body, url, content_type, options)
    except ExtractionError as exc:
        return None, exc.reason, page
    article.page_class, article.page_signals = str(page.page_class), list(page.signals)
    return article, page.reason, page


def warm_up() -> None:
    """Pool initializer: import trafilatura and its models before the first page arrives."""
    body = b"<html><body>" + b"<p>" + b"word " * 40 + b"</p>" * 3 + b"</body></html>"
    try:
        extract(body, "http://localhost/")
    except ExtractionError:
        pass
