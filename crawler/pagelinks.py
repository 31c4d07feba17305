"""The links of an HTML page, found as Scrapy's ``LinkExtractor`` finds them, resolved once per crawl.

A news site repeats its navigation, section links and teasers on every page: the crawl benchmark's
pages each carry about 60 links of which one or two are new. ``LinkExtractor`` joins, quotes and
checks every one of them on every page, and the spider then sent each through the spider
middlewares, the scheduler and the duplicate filter, which threw it away; together that was
about a third of the crawling process's time. ``PageLinks`` keeps the resolution of each
``href`` it has seen (by the base it was joined to), and ``FollowedLinks`` the links the spider
has already followed, so a repeated link costs a dictionary lookup.

Same rules as ``LinkExtractor(unique=True, canonicalize=False)`` with its defaults: ``href`` of
``a`` and ``area``, HTML5 whitespace stripped, joined to the page's ``<base href>``, made safe
with the page's encoding, Scrapy's ``IGNORED_EXTENSIONS`` dropped. Only ``http`` and ``https``
links are kept (the extractor also passes ``ftp`` and ``file``, which a crawl must not follow).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.http import TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.utils.response import get_base_url
from w3lib.html import strip_html5_whitespace
from w3lib.url import safe_url_string

__all__ = ["FollowedLinks", "PageLinks"]

_IGNORED = frozenset("." + e for e in IGNORED_EXTENSIONS if "." not in e)
_IGNORED_COMPOUND = tuple("." + e for e in IGNORED_EXTENSIONS if "." in e)
_MISSING = object()


def _ignored_extension(url: str) -> bool:
    name = urlsplit(url).path.lower().rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return dot >= 0 and (name[dot:] in _IGNORED or name.endswith(_IGNORED_COMPOUND))


def resolve(base: str, href: str, encoding: str) -> str | None:
    """The absolute URL ``href`` points to from a page whose base is ``base``, or None when a
    crawl does not follow it (not http(s), a bogus URL, an ignored extension)."""
    try:
        url = safe_url_string(urljoin(base, strip_html5_whitespace(href)), encoding=encoding)
    except ValueError:
        return None
    if url.split("://", 1)[0] not in ("http", "https") or _ignored_extension(url):
        return None
    return url


class PageLinks:
    """Callable: ``links(response)`` lists the URLs of a page's links in page order, a URL that
    differs only by its fragment once (as linked first)."""

    def __init__(self, cache_size: int = 200_000):
        self.cache_size = cache_size
        self._resolved: dict[tuple[str, str, str], str | None] = {}

    def __call__(self, response: TextResponse) -> list[str]:
        base = get_base_url(response)
        parts = urlsplit(base)
        origin = f"{parts.scheme}://{parts.netloc}"
        encoding = response.encoding
        found: dict[str, str] = {}  # without fragment -> as linked first
        for element in response.selector.root.iter("a", "area"):
            href = element.get("href")
            if href is None:
                continue
            # a root-relative or absolute href resolves alike from every page of a site
            if href.startswith("/") and not href.startswith("//"):
                scope = origin
            elif href.startswith(("http://", "https://")):
                scope = ""
            else:
                scope = base
            key = (scope, href, encoding)
            url = self._resolved.get(key, _MISSING)
            if url is _MISSING:
                url = resolve(base, href, encoding)
                if len(self._resolved) >= self.cache_size:
                    self._resolved.clear()
                self._resolved[key] = url
            if url is not None:
                found.setdefault(url.split("#", 1)[0], url)
        return list(found.values())


class FollowedLinks:
    """The links a spider has followed from pages, each with the fewest hops and the least
    depth it was followed at. Following a link again from a page at no fewer hops and no less
    depth changes nothing (the duplicate filter, or the same middleware, drops it again), so
    the spider skips it."""

    def __init__(self) -> None:
        self._followed: dict[str, tuple[int, int]] = {}

    def first_time(self, url: str, hops: int, depth: int) -> bool:
        """True when ``url`` is to be followed at ``hops`` and ``depth`` (and record it)."""
        url = url.split("#", 1)[0]
        known = self._followed.get(url)
        if known is not None and known[0] <= hops and known[1] <= depth:
            return False
        self._followed[url] = (hops, depth) if known is None else (min(hops, known[0]), min(depth, known[1]))
        return True

    def __len__(self) -> int:
        return len(self._followed)
