"""Article text and metadata from a fetched page: bytes + URL in, ``Article`` out.

A pure function (no global caches), so it runs in worker processes. Charset: the HTTP
header first, then a BOM, then ``<meta charset>``, then strict UTF-8, then windows-1252
(what browsers do with undeclared Western pages).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import trafilatura
from trafilatura.settings import Extractor
from w3lib.encoding import html_to_unicode

from .htmlmeta import read_meta

logger = logging.getLogger(__name__)

__all__ = ["Article", "ExtractOptions", "ExtractionError", "extract", "decode_html"]


class ExtractionError(Exception):
    """Raised with a short reason: ``binary``, ``unparsable``, ``no-text``, ``too-short``."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def text_hash(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ExtractOptions:
    include_comments: bool = False
    include_tables: bool = True
    favor_precision: bool = False
    favor_recall: bool = False
    min_words: int = 20
    detect_language: bool = True


@dataclass
class Article:
    url: str
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    sitename: str | None = None
    language: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    encoding: str | None = None
    extractor: str = ""

    @property
    def text_hash(self) -> str:
        return text_hash(self.text)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["text_hash"] = self.text_hash
        return data


@lru_cache(maxsize=1)
def extractor_name() -> str:
    return f"trafilatura/{trafilatura.__version__}"


def _auto_detect(body: bytes) -> str:
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def decode_html(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(encoding, text) by the browser's precedence; never raises on bad bytes."""
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_auto_detect)
    return encoding, text


def _looks_binary(body: bytes) -> bool:
    head = body[:1024]
    return b"\x00" in head and not head.lstrip().startswith((b"\xff\xfe", b"\xfe\xff"))


def _language(text: str, declared: str | None, options: ExtractOptions) -> str | None:
    if options.detect_language:
        try:
            import py3langid
        except ImportError:
            return declared
        lang, _score = py3langid.classify(text[:5000])
        return lang or declared
    return declared


def extract(body: bytes, url: str, content_type: str | None = None,
            options: ExtractOptions | None = None) -> Article:
    """Extract the article in ``body`` (already Content-Decoded) fetched from ``url``."""
    options = options or ExtractOptions()
    if _looks_binary(body):
        raise ExtractionError("binary", f"{len(body)} bytes")
    encoding, html = decode_html(body, content_type)
    # trafilatura's own parser settings: a plain lxml.html tree loses text on some pages
    tree = trafilatura.load_html(html)
    if tree is None:
        raise ExtractionError("unparsable")
    page = read_meta(tree)
    settings = Extractor(
        output_format="python",
        comments=options.include_comments,
        tables=options.include_tables,
        precision=options.favor_precision,
        recall=options.favor_recall,
        with_metadata=True,
        date_params={"original_date": True, "extensive_search": True},
        url=url,
    )
    doc = trafilatura.bare_extraction(tree, url=url, options=settings)
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no-text")
    text = doc.text.strip()
    if len(text.split()) < options.min_words:
        raise ExtractionError("too-short", f"{len(text.split())} words")
    authors = list(page.authors)
    if not authors and doc.author:
        authors = [a.strip() for a in doc.author.split(";") if a.strip()]
    return Article(
        url=url,
        text=text,
        title=doc.title or page.title,
        authors=authors,
        published=page.published or doc.date,
        modified=page.modified,
        sitename=doc.sitename,
        language=_language(text, page.language, options),
        canonical_url=page.canonical or (doc.url if doc.url != url else None),
        description=doc.description,
        encoding=encoding,
        extractor=extractor_name(),
    )
