"""What kind of document a response is, and the links that feeds and sitemaps list.

The kind comes from the body and the content type, never from the URL: ``/news`` may be an
RSS feed and ``/feed.xml`` an HTML error page. A site's sitemaps are also announced by the
``Sitemap:`` lines of its robots.txt.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from protego import Protego

logger = logging.getLogger(__name__)

MAX_SITEMAP_SIZE = 50 * 1024 * 1024  # the sitemaps.org limit for one uncompressed file

_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)
_ROOT_TAG = re.compile(rb"<\s*([A-Za-z_][\w.:-]*)[\s>/]")
_PREAMBLE = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S)
_SNIFF_BYTES = 4096
_HTML_TAG = re.compile(rb"<(?:html|body|head|p|div)[\s>]", re.I)


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None = None
    news_title: str | None = None
    news_published: str | None = None


def ungzip(body: bytes, limit: int = MAX_SITEMAP_SIZE) -> bytes:
    """Decompress a gzip file body (``sitemap.xml.gz``), refusing more than ``limit`` bytes."""
    with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"decompressed body exceeds {limit} bytes")
    return data


def root_tag(body: bytes) -> str | None:
    """The first element's name in the first 4096 bytes (matched in place: no copies of them)."""
    start = 3 if body.startswith(b"\xef\xbb\xbf") else 0
    match = _ROOT_TAG.match(body, _PREAMBLE.match(body, start, _SNIFF_BYTES).end(), _SNIFF_BYTES)
    if not match:
        return None
    return match.group(1).decode("ascii", "replace").split(":")[-1].lower()


def sniff(body: bytes, content_type: str | None = None) -> str:
    """One of ``feed``, ``sitemap``, ``sitemapindex``, ``html``, ``gzip``, ``other``."""
    if body[:2] == b"\x1f\x8b":
        return "gzip"
    tag = root_tag(body)
    if tag in ("rss", "feed", "rdf"):
        return "feed"
    if tag == "urlset":
        return "sitemap"
    if tag == "sitemapindex":
        return "sitemapindex"
    mime = (content_type or "").split(";")[0].strip().lower()
    if tag == "html" or mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if not mime and _HTML_TAG.search(body, 0, _SNIFF_BYTES):
        return "html"
    return "other"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _parse(body: bytes):
    try:
        root = etree.fromstring(body, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ValueError(str(exc)) from exc
    if root is None:
        raise ValueError("not well-formed XML")
    return root


def feed_links(body: bytes) -> list[str]:
    """Article links of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in feed order."""
    root = _parse(body)
    links: list[str] = []
    for item in root.iter():
        name = _local(item.tag)
        if name == "item":
            for child in item:
                if _local(child.tag) == "link" and (child.text or "").strip():
                    links.append(child.text.strip())
                    break
            else:
                about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
                if about:
                    links.append(about)
        elif name == "entry":
            candidates = [c for c in item if _local(c.tag) == "link" and c.get("href")]
            preferred = [c for c in candidates if c.get("rel", "alternate") == "alternate"]
            if preferred or candidates:
                links.append((preferred or candidates)[0].get("href").strip())
    return links


def sitemap_entries(body: bytes) -> list[SitemapEntry]:
    """``<loc>`` entries of a urlset or sitemapindex, with lastmod and Google News fields."""
    root = _parse(body)
    entries = []
    for node in root:
        if _local(node.tag) not in ("url", "sitemap"):
            continue
        fields: dict[str, str] = {}
        for child in node.iter():
            name = _local(child.tag)
            text = (child.text or "").strip()
            if name in ("loc", "lastmod", "title", "publication_date") and text:
                fields.setdefault(name, text)
        if "loc" in fields:
            entries.append(SitemapEntry(
                fields["loc"], fields.get("lastmod"), fields.get("title"),
                fields.get("publication_date"),
            ))
    return entries


def robots_sitemaps(body: bytes) -> list[str]:
    """The sitemaps a robots.txt announces, news sitemaps (by name) first, each once."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    urls = list(dict.fromkeys(url.strip() for url in Protego.parse(text).sitemaps if url.strip()))
    return sorted(urls, key=lambda url: not is_news_sitemap_name(url))


def is_news_sitemap_name(url: str) -> bool:
    """A sitemap whose path says it lists news (``/news-sitemap.xml``, ``/news/sitemap.xml``)."""
    return "news" in urlsplit(url).path.lower()
