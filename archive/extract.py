"""Article text and metadata from a fetched page: bytes + URL in, ``Article`` out.

A pure function (no global caches), so it runs in worker processes. Charset: the HTTP
header first, then a BOM, then ``<meta charset>``; when nothing is declared, strict UTF-8, then
charset-normalizer's guess from the page's text (windows-1251, Shift_JIS, ...), then
windows-1252 (what browsers do with undeclared Western pages).

Text: trafilatura in precision mode first (it leaves out teasers, prompts and comments that the
balanced mode keeps), on the page without its link lists and linked-headline paragraphs; when that yields fewer than ``min_words`` words, the balanced mode, then
the recall mode, so that a page is never left without a text because one mode was too strict.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import charset_normalizer
import trafilatura
from trafilatura.settings import Extractor
from w3lib.encoding import html_to_unicode

from .htmlmeta import PageMeta, read_meta, word_count

logger = logging.getLogger(__name__)

__all__ = ["Article", "ExtractOptions", "ExtractionError", "METADATA_FIELDS", "extract", "decode_html"]

# The page metadata of an article, in the order a reader wants them (metadata record, catalog, UI).
METADATA_FIELDS = ("title", "description", "authors", "published", "modified", "sitename",
                   "section", "tags", "image", "canonical_url", "amp_url", "language",
                   "page_class", "page_signals")


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
    # without favor_precision/favor_recall: precision, then balanced, then recall (see above)
    fall_back: bool = True


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
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    amp_url: str | None = None
    encoding: str | None = None
    extractor: str = ""
    mode: str = ""  # the trafilatura mode that gave the text: precision, balanced, recall
    # what the page was taken for before extraction (archive.pageclass), set by the caller
    page_class: str | None = None
    page_signals: list[str] = field(default_factory=list)
    # the site profile that saw the text (archive.siteprofile) and the keys of the blocks it
    # removed: what a rebuild needs to learn the profile again from the archive
    site_profile: str | None = None
    boilerplate_blocks: list[str] = field(default_factory=list)

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


_TAGS = re.compile(rb"<(?:script|style)[^>]*>.*?</(?:script|style)>|<[^>]*>", re.S | re.I)
_DETECT_BYTES = 256 * 1024


def _auto_detect(body: bytes) -> str:
    """The encoding of a page that declares none."""
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # guess from the text alone: ASCII markup would drown the signal of the words
    text = _TAGS.sub(b" ", body[:_DETECT_BYTES])
    matches = list(charset_normalizer.from_bytes(text))
    if not matches:
        return "cp1252"
    best = matches[0]
    tied = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    # a Western text reads alike in several single-byte codecs: browsers pick windows-1252
    if best.encoding in ("ascii", "utf_8") or any("cp1252" in m.could_be_from_charset for m in tied):
        return "cp1252"
    return best.encoding


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
        lang, _score = py3langid.classify(text[:2000])
        return lang or declared
    return declared


def _prose_children(element, min_words: int = 10) -> int:
    return sum(1 for child in element if child.tag == "p"
               and len(child.text_content().split()) >= min_words)


def join_split_bodies(tree) -> int:
    """Join an article body that the page splits into several containers of one class (an ad
    row between them): trafilatura keeps only one container. Only containers that each hold at
    least two prose paragraphs count, so the teaser cards of a listing are never joined."""
    groups: dict[tuple[str, str], list] = {}
    for element in tree.iter("div", "section", "article"):
        cls = element.get("class")
        if cls and _prose_children(element) >= 2:
            groups.setdefault((element.tag, cls), []).append(element)
    joined = 0
    for first, *rest in (members for members in groups.values() if len(members) > 1):
        for other in rest:
            if first in other.iterancestors() or other in first.iterancestors():
                continue
            first.extend(list(other))
            other.getparent().remove(other)
            joined += 1
    return joined


def _link_share(element) -> tuple[float, int, int]:
    """(share of the element's characters inside links, words inside links, words outside)."""
    text = " ".join(element.text_content().split())
    if not text:
        return 0.0, 0, 0
    linked = [" ".join(a.text_content().split()) for a in element.iter("a")]
    linked_chars = sum(len(t) for t in linked)
    linked_words = sum(len(t.split()) for t in linked)
    return min(1.0, linked_chars / len(text)), linked_words, max(0, len(text.split()) - linked_words)


def drop_inline_cards(tree) -> int:
    """Remove cards nested in a paragraph's sentence (hover cards of people or terms: a picture
    and links inside a ``<span>``): their text is not part of the sentence."""
    cards = [el for p in tree.iter("p") for el in p.iter("span", "div", "aside")
             if el.find(".//img") is not None and len(el.findall(".//a")) >= 2]
    dropped = 0
    for card in cards:
        parent = card.getparent()
        # the innermost card only: the element around it may hold the linked name itself
        if parent is not None and not any(other is not card and card in other.iterancestors()
                                          for other in cards):
            if card.tail:  # keep the sentence that goes on after the card
                previous = card.getprevious()
                if previous is not None:
                    previous.tail = (previous.tail or "") + card.tail
                else:
                    parent.text = (parent.text or "") + card.tail
            parent.remove(card)
            dropped += 1
    return dropped


def drop_link_teasers(tree) -> int:
    """Remove lists whose every item is a link and paragraphs that are a linked headline with at
    most a label ("Read more:", "Related:"): they point to other pages and are not the story."""
    dropped = 0
    for lst in list(tree.iter("ul", "ol")):
        if lst.find(".//a") is None:
            continue
        items = [li for li in lst if li.tag == "li"]
        if (len(items) >= 2 and all(li.find(".//a") is not None for li in items)
                and _link_share(lst)[0] >= 0.9 and lst.getparent() is not None):
            lst.getparent().remove(lst)
            dropped += 1
    for paragraph in list(tree.iter("p")):
        if paragraph.find(".//a") is None:
            continue
        share, linked_words, other_words = _link_share(paragraph)
        if share >= 0.8 and linked_words >= 4 and other_words <= 3 and paragraph.getparent() is not None:
            paragraph.getparent().remove(paragraph)
            dropped += 1
    return dropped


_MODES = {"precision": (True, False), "balanced": (False, False), "recall": (False, True)}


def _modes(options: ExtractOptions) -> list[str]:
    if options.favor_precision:
        return ["precision"]
    if options.favor_recall:
        return ["recall"]
    return ["precision", "balanced", "recall"] if options.fall_back else ["balanced"]


def _bare(tree, url: str, mode: str, options: ExtractOptions):
    precision, recall = _MODES[mode]
    settings = Extractor(
        output_format="python",
        comments=options.include_comments,
        tables=options.include_tables,
        precision=precision,
        recall=recall,
        with_metadata=True,
        date_params={"original_date": True, "extensive_search": True},
        url=url,
    )
    # trafilatura prunes the tree it is given
    return trafilatura.bare_extraction(copy.deepcopy(tree), url=url, options=settings)


def _lede(text: str, limit: int = 300) -> str:
    """The first paragraph of the text, cut at a sentence end near ``limit`` characters (the
    description news-please falls back to)."""
    first = next((line.strip() for line in text.split("\n") if len(line.split()) >= 8), "")
    if len(first) <= limit:
        return first
    cut = max(first.rfind(". ", 0, limit), first.rfind("! ", 0, limit), first.rfind("? ", 0, limit))
    return first[:cut + 1] if cut > limit // 3 else first[:limit].rsplit(" ", 1)[0] + "…"


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
    join_split_bodies(tree)
    drop_inline_cards(tree)
    # precision mode also leaves out link teasers; the fallback modes see the page as it is
    strict = copy.deepcopy(tree)
    drop_link_teasers(strict)
    doc, mode, words = None, "", 0
    for mode in _modes(options):
        doc = _bare(strict if mode == "precision" else tree, url, mode, options)
        words = word_count(doc.text or "") if doc is not None else 0
        if words >= options.min_words:
            break
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no-text")
    if words < options.min_words:
        raise ExtractionError("too-short", f"{words} words")
    return _article(url, doc.text.strip(), doc, page, encoding, mode, options)


def _article(url: str, text: str, doc, page: PageMeta, encoding: str, mode: str,
             options: ExtractOptions) -> Article:
    authors = list(page.authors)
    if not authors and doc.author:
        authors = [a.strip() for a in doc.author.split(";") if a.strip()]
    tags = list(page.tags) or [t.strip() for t in (doc.tags or []) if t.strip()]
    return Article(
        url=url,
        text=text,
        title=doc.title or page.title,
        authors=authors,
        published=page.published or doc.date,
        modified=page.modified,
        sitename=page.site_name or _sitename(doc.sitename, url),
        language=_language(text, page.language, options),
        canonical_url=page.canonical or (doc.url if doc.url != url else None),
        description=page.description or doc.description or _lede(text) or None,
        section=page.section or (doc.categories[0].strip() if doc.categories else None),
        tags=tags,
        image=page.image or doc.image,
        amp_url=page.amp_url,
        encoding=encoding,
        extractor=extractor_name(),
        mode=mode,
    )


def _sitename(name: str | None, url: str) -> str | None:
    """trafilatura falls back to the URL's host (``127.0.0.1:8703``): that is no site name."""
    if not name:
        return None
    host = url.split("//", 1)[-1].split("/", 1)[0].lower()
    bare = host.split(":")[0]
    return None if name.lower() in (host, bare, bare.removeprefix("www.")) else name
