"""What a news page says about itself: Open Graph, JSON-LD, article meta, canonical, language.

Works on an lxml HTML tree, so the crawler can decide "is this an article?" on the tree it
already parsed for links, and extraction can read exact publication timestamps that
date heuristics would round to a day.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .thaiwords import thai_tokens

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
    title_tag: str | None = None
    description: str | None = None
    site_name: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    amp_url: str | None = None

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


def _add_unique(values: list[str], more) -> None:
    for value in more:
        value = value.strip() if isinstance(value, str) else ""
        if value and value.lower() not in (v.lower() for v in values):
            values.append(value)


def _keywords(value) -> list[str]:
    if isinstance(value, str):
        return [k for k in re.split(r"\s*[,;]\s*", value) if k]
    if isinstance(value, list):
        return [k for v in value for k in _keywords(v)]
    return []


def _image_url(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _image_url(value.get("url") or value.get("contentUrl"))
    if isinstance(value, list) and value:
        return _image_url(value[0])
    return None


_TITLE_SEPARATORS = re.compile(r"\s+(?:::|\||–|—|-|·|•|»|/)\s+")


def site_name_from_title(title: str | None, headline: str | None) -> str | None:
    """The site's name from a ``Site :: Headline`` or ``Headline | Site`` title: the end that is
    not the headline (known from og:title, JSON-LD or the page's ``<h1>``), else the shorter end."""
    if not title:
        return None
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title.strip()) if p.strip()]
    if len(parts) < 2:
        return None
    first, last = parts[0], parts[-1]
    if headline:
        norm = " ".join(headline.split()).lower()
        if norm.startswith(first.lower()) or first.lower().startswith(norm):
            return last
        if norm.endswith(last.lower()) or last.lower().endswith(norm):
            return first
    shorter = min((last, first), key=lambda p: len(p.split()))
    return shorter if len(shorter.split()) <= 6 else None


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
        title_tag=_first(tree, "//title/text()"),
        description=_first(tree, '//meta[@name="description" or @property="og:description"'
                                 ' or @name="twitter:description"]/@content'),
        site_name=_first(tree, '//meta[@property="og:site_name"]/@content'),
        section=_first(tree, '//meta[@property="article:section" or @name="section"]/@content'),
        image=_first(tree, '//meta[@property="og:image" or @property="og:image:url"'
                           ' or @name="twitter:image"]/@content'),
        amp_url=_first(tree, '//link[@rel="amphtml"]/@href'),
    )
    if meta.modified is None:
        meta.modified = _first(tree, '//meta[@property="og:updated_time" or @itemprop="dateModified"]/@content')
    authors = [a.strip() for a in tree.xpath('//meta[@name="author"]/@content') if a.strip()]
    tags: list[str] = []
    _add_unique(tags, tree.xpath('//meta[@property="article:tag"]/@content'))
    headline = None
    publisher = None
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
        headline = headline or (obj["headline"] if isinstance(obj.get("headline"), str) else None)
        publisher = publisher or next(iter(_names(obj.get("publisher"))), None)
        section = obj.get("articleSection")
        section = section[0] if isinstance(section, list) and section else section
        if isinstance(section, str) and section.strip():
            meta.section = meta.section or section.strip()
        _add_unique(tags, _keywords(obj.get("keywords")))
        meta.image = meta.image or _image_url(obj.get("image"))
        if isinstance(obj.get("description"), str):
            meta.description = meta.description or obj["description"].strip() or None
    if not tags:
        _add_unique(tags, _keywords(_first(tree, '//meta[@name="news_keywords" or @name="keywords"]/@content')))
    meta.tags = tags
    meta.authors = authors
    meta.site_name = (meta.site_name or publisher
                      or site_name_from_title(meta.title_tag, headline
                                                 or _first(tree, '//meta[@property="og:title"]/@content')
                                                 or " ".join(tree.xpath("string(//h1)").split()) or None))
    if meta.language:
        meta.language = meta.language.replace("_", "-").split("-")[0].lower() or None
    return meta


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_THAI_RUN = re.compile("[\u0e00-\u0e7f]+")
_UNSPACED_RUN = re.compile(f"[{_CJK}\u0e00-\u0e7f]+")


def word_count(text: str) -> int:
    """Words of ``text``; scripts written without spaces between words count them otherwise:
    Chinese and Japanese one word for every two characters, about their average word length,
    and Thai, which spaces its phrases only, by PyThaiNLP's dictionary segmenter."""
    if not _UNSPACED_RUN.search(text):
        return len(text.split())
    cjk = sum(len(run) for run in _CJK_RUN.findall(text))
    thai = sum(1 for run in _THAI_RUN.findall(text) for token in thai_tokens(run) if token.strip())
    return len(_UNSPACED_RUN.sub(" ", text).split()) + (cjk + 1) // 2 + thai


def body_paragraph_words(tree, min_words: int = 10) -> tuple[int, int]:
    """(paragraphs, words) of the largest run of prose paragraphs sharing one parent.

    An article's body is a column of sibling paragraphs; the teasers of a section page are
    as long but each sits in its own card, so they never form a run.
    """
    runs: dict[object, list[int]] = {}
    for p in tree.xpath(_PARAGRAPH_XPATH):
        n = word_count(p.text_content())
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
        counts = [n for n in (word_count(t) for t in segments) if n >= min_words]
        best = max(best, (len(counts), sum(counts)), key=lambda run: (run[1], run[0]))
    return best


def looks_like_article(tree) -> tuple[bool, str]:
    """(True, what said so) for an article, (False, "not-article") for anything else, walls
    included; ``archive.pageclass.classify_page`` tells the classes apart and keeps the signals."""
    from .pageclass import PageClass, classify_page

    page = classify_page(tree)
    if page.page_class is PageClass.ARTICLE:
        return True, page.reason
    return False, "not-article"
