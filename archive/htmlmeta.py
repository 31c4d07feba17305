"""What a news page says about itself: Open Graph, JSON-LD, article meta, canonical, language.

Works on an lxml HTML tree, so the crawler can decide "is this an article?" on the tree it
already parsed for links, and extraction can read exact publication timestamps that
date heuristics would round to a day.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle",
    "askpublicnewsarticle", "blogposting", "liveblogposting", "report",
}

_JSONLD_XPATH = '//script[@type="application/ld+json"]/text()'
_PARAGRAPH_XPATH = "//p"
# Hand-written JSON-LD sometimes quotes strings with ' (the seed pages do).
_LOOSE_QUOTES = re.compile(r"(?:(?<=[:\[,{])|(?<=[:\[,{]\s))'|'(?=\s?[:,}\]])")


@dataclass
class PageMeta:
    og_type: str | None = None
    jsonld_types: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    canonical: str | None = None
    language: str | None = None
    title: str | None = None

    @property
    def declares_article(self) -> bool:
        return (
            (self.og_type or "").lower() == "article"
            or any(t.lower() in ARTICLE_TYPES for t in self.jsonld_types)
            or self.published is not None
        )


def _first(tree, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        value = str(value).strip()
        if value:
            return value
    return None


def _jsonld_objects(tree):
    for raw in tree.xpath(_JSONLD_XPATH):
        raw = raw.strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(_LOOSE_QUOTES.sub('"', raw))
            except ValueError:
                continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                yield item


def _names(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def read_meta(tree) -> PageMeta:
    """Read the page's self-description from an lxml HTML tree."""
    meta = PageMeta(
        og_type=_first(tree, '//meta[@property="og:type"]/@content'),
        published=_first(
            tree,
            '//meta[@property="article:published_time" or @name="article:published_time"'
            ' or @itemprop="datePublished" or @name="pubdate"]/@content',
        ),
        modified=_first(tree, '//meta[@property="article:modified_time"]/@content'),
        canonical=_first(tree, '//link[@rel="canonical"]/@href'),
        language=_first(tree, "/html/@lang") or _first(tree, '//meta[@property="og:locale"]/@content'),
        title=_first(tree, '//meta[@property="og:title"]/@content') or _first(tree, "//title/text()"),
    )
    authors = [a.strip() for a in tree.xpath('//meta[@name="author"]/@content') if a.strip()]
    for obj in _jsonld_objects(tree):
        types = obj.get("@type")
        types = [types] if isinstance(types, str) else [t for t in types or [] if isinstance(t, str)]
        meta.jsonld_types.extend(types)
        if not any(t.lower() in ARTICLE_TYPES for t in types):
            continue
        if isinstance(obj.get("datePublished"), str):
            meta.published = meta.published or obj["datePublished"]
        if isinstance(obj.get("dateModified"), str):
            meta.modified = meta.modified or obj["dateModified"]
        authors.extend(n for n in _names(obj.get("author")) if n not in authors)
    meta.authors = authors
    if meta.language:
        meta.language = meta.language.replace("_", "-").split("-")[0].lower() or None
    return meta


def body_paragraph_words(tree, min_words: int = 10) -> tuple[int, int]:
    """(paragraphs, words) of the largest run of prose paragraphs sharing one parent.

    An article's body is a column of sibling paragraphs; the teasers of a section page are
    as long but each sits in its own card, so they never form a run.
    """
    runs: dict[object, list[int]] = {}
    for p in tree.xpath(_PARAGRAPH_XPATH):
        n = len(p.text_content().split())
        if n >= min_words:
            run = runs.setdefault(p.getparent(), [0, 0])
            run[0] += 1
            run[1] += n
    if not runs:
        return 0, 0
    return tuple(max(runs.values(), key=lambda run: (run[1], run[0])))


def br_text_words(tree, min_words: int = 10) -> tuple[int, int]:
    """(segments, words) of the element with the most prose directly inside it, for pages that
    separate paragraphs with <br> instead of <p>."""
    best = (0, 0)
    for element in tree.iter("div", "td", "article", "section", "font", "span"):
        if element.find("br") is None:
            continue
        segments = [element.text or ""] + [child.tail or "" for child in element]
        counts = [n for n in (len(t.split()) for t in segments) if n >= min_words]
        best = max(best, (len(counts), sum(counts)), key=lambda run: (run[1], run[0]))
    return best


def looks_like_article(tree, min_paragraphs: int = 3, min_words: int = 100) -> tuple[bool, str]:
    """Decide from metadata first, then from the body: several long prose paragraphs."""
    meta = read_meta(tree)
    if (meta.og_type or "").lower() == "article":
        return True, "og:type"
    if any(t.lower() in ARTICLE_TYPES for t in meta.jsonld_types):
        return True, "json-ld"
    if meta.published:
        return True, "published_time"
    for paragraphs, words in (body_paragraph_words(tree), br_text_words(tree)):
        if paragraphs >= min_paragraphs and words >= min_words:
            return True, "content"
    return False, "not-article"
