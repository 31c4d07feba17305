"""Page requisites: what an archived HTML page needs to look as it did.

For every HTML page the spider gets, its stylesheets (and their ``@import`` and ``url()``
resources, recursively), images (``src``, ``srcset``, ``<picture>``, lazy-load ``data-src``),
icons, fonts, scripts and media posters are requested through Scrapy like any other fetch, so
robots.txt is obeyed on every host (CDN hosts too), per-host delays apply, and the capture
extension archives each as a request/response pair (a revisit when unchanged since the last
run). They have a priority of their own below every page's, are requested once per crawl (a
stylesheet or logo shared by every page is not handed to the scheduler again), carry the
page that first asked for them (its size cap: ``crawler/requisite_budget.py``), and never
reach extraction: their responses go to a callback that only follows a stylesheet's own
references.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Iterable, Self
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

from .config import with_defaults

logger = logging.getLogger(__name__)

REQUISITE_META = "wirecopy_requisite"  # the kind of requisite ("stylesheet", "image", ...)
REQUISITE_PAGE_META = "wirecopy_requisite_page"  # the page whose HTML first asked for it
TYPES = frozenset({"stylesheet", "image", "font", "script", "media"})
FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_SKIP = ("data:", "javascript:", "about:", "blob:", "mailto:", "#")
_LINK_KINDS = {"stylesheet": "stylesheet", "icon": "image", "shortcut": "image",
               "apple-touch-icon": "image", "mask-icon": "image"}
_PRELOAD_KINDS = {"style": "stylesheet", "image": "image", "font": "font", "script": "script"}


@dataclass(frozen=True)
class RequisitesConfig:
    enabled: bool = True
    hosts: tuple[str, ...] = ()  # empty: any host
    max_size: int = 10 * 1024 * 1024
    max_per_page: int = 200
    types: frozenset[str] = TYPES
    priority: int = -100
    max_page_size: int = 50 * 1024 * 1024  # bytes of one page's requisites (requisite_budget); 0: no cap
    replaying: bool = False  # REPLAY_ARCHIVE is set: nothing is fetched, requisites neither

    @classmethod
    def from_settings(cls, settings) -> Self:
        s = with_defaults(settings)
        types = frozenset(t.strip().lower() for t in s.getlist("REQUISITES_TYPES") if t.strip())
        unknown = types - TYPES
        if unknown:
            raise ValueError(f"REQUISITES_TYPES: unknown types {sorted(unknown)} (known: {sorted(TYPES)})")
        return cls(
            enabled=s.getbool("REQUISITES_ENABLED"),
            hosts=tuple(h.strip().lower() for h in s.getlist("REQUISITES_HOSTS") if h.strip()),
            max_size=s.getint("REQUISITES_MAX_SIZE"),
            max_per_page=s.getint("REQUISITES_MAX_PER_PAGE"),
            types=types,
            priority=s.getint("REQUISITES_PRIORITY"),
            max_page_size=s.getint("REQUISITES_MAX_PAGE_SIZE"),
            replaying=bool(s.get("REPLAY_ARCHIVE")),
        )

    @property
    def fetched(self) -> bool:
        return self.enabled and not self.replaying

    def allows(self, url: str) -> bool:
        if not self.hosts:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)


def _srcset_urls(value: str) -> list[str]:
    return [c.strip().split()[0] for c in value.split(",") if c.strip()]


def css_requisites(css: str) -> list[tuple[str, str]]:
    """(reference, kind) of a stylesheet's ``@import`` and ``url()`` references, in order."""
    found = [(next(g for g in m.groups() if g is not None), "stylesheet") for m in _CSS_IMPORT.finditer(css)]
    for match in _CSS_URL.finditer(css):
        ref = next((g for g in match.groups() if g is not None), "")
        if css[max(0, match.start() - 12):match.start()].rstrip().lower().endswith("@import"):
            found.append((ref, "stylesheet"))
            continue
        path = urlsplit(ref).path.lower()
        found.append((ref, "font" if path.endswith(FONT_EXTENSIONS) else "image"))
    return found


# every element that can load something, in one pass over the document
_LOADING_NODES = ("//link[@href] | //img | //picture/source | //input[@type='image'] | //script[@src]"
                  " | //video | //audio | //video/source | //audio/source | //style | //*[@style]")
_IMAGE_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original")


def html_requisites(selector: Selector) -> list[tuple[str, str]]:
    """(reference, kind) of everything an HTML page loads to render, in document order."""
    found: list[tuple[str, str]] = []
    for node in selector.root.xpath(_LOADING_NODES):
        tag = node.tag if isinstance(node.tag, str) else ""
        attrib = node.attrib
        parent = node.getparent()
        parent_tag = parent.tag if parent is not None and isinstance(parent.tag, str) else ""
        if tag == "link":
            rels = (attrib.get("rel") or "").lower().split()
            kind = next((_LINK_KINDS[r] for r in rels if r in _LINK_KINDS), None)
            if "preload" in rels:
                kind = _PRELOAD_KINDS.get((attrib.get("as") or "").lower())
            if kind and attrib.get("href"):
                found.append((attrib["href"], kind))
        elif tag == "img" or (tag == "source" and parent_tag == "picture") or (
                tag == "input" and attrib.get("type") == "image"):
            found += [(attrib[name], "image") for name in _IMAGE_ATTRIBUTES if attrib.get(name)]
            for name in ("srcset", "data-srcset"):
                found += [(u, "image") for u in _srcset_urls(attrib.get(name) or "")]
        elif tag == "script" and attrib.get("src"):
            found.append((attrib["src"], "script"))
        elif tag in ("video", "audio") or (tag == "source" and parent_tag in ("video", "audio")):
            if tag == "video" and attrib.get("poster"):
                found.append((attrib["poster"], "image"))
            if attrib.get("src"):
                found.append((attrib["src"], "media"))
        elif tag == "style" and node.text:
            found += css_requisites(node.text)
        if attrib.get("style"):
            found += css_requisites(attrib["style"])
    return found


class PageRequisites:
    """Spider middleware: after each HTML page (and each stylesheet), its requisites."""

    def __init__(self, crawler: Crawler, config: RequisitesConfig):
        self.crawler = crawler
        self.config = config
        self.stats = crawler.stats
        # requested in this crawl: the duplicate filter would drop them, after the scheduler's work
        self._requested: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = RequisitesConfig.from_settings(crawler.settings)
        if not config.fetched:
            raise NotConfigured("REQUISITES_ENABLED is off" if not config.enabled else "replaying")
        return cls(crawler, config)

    def process_spider_output(self, response: Response, result: Iterable, spider=None):
        yield from result
        yield from self._requisites(response)

    async def process_spider_output_async(self, response: Response, result, spider=None):
        async for item in result:
            yield item
        for request in self._requisites(response):
            yield request

    def _requisites(self, response: Response) -> Iterable[Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        mime = (response.headers.get(b"Content-Type") or b"").decode("latin-1").split(";")[0].strip().lower()
        kind = response.meta.get(REQUISITE_META)
        if kind is None and "html" in mime:
            refs = html_requisites(response.selector)
        elif kind == "stylesheet" and (mime == "text/css" or not mime):
            refs = css_requisites(response.text)
        else:
            return
        wanted = [(urljoin(response.url, ref.strip()), k) for ref, k in refs
                  if ref.strip() and not ref.strip().lower().startswith(_SKIP) and k in self.config.types]
        page = response.meta.get(REQUISITE_PAGE_META, response.url) if kind else response.url
        seen: set[str] = set()
        for url, k in wanted:
            url = url.split("#", 1)[0]
            if url in seen or urlsplit(url).scheme not in ("http", "https"):
                continue
            seen.add(url)
            if not self.config.allows(url):
                self.stats.inc_value("requisites/host_not_allowed")
                continue
            if len(seen) > self.config.max_per_page:
                self.stats.inc_value("requisites/over_page_limit")
                continue
            if url in self._requested:
                continue
            self._requested.add(url)
            self.stats.inc_value(f"requisites/requested/{k}")
            yield Request(url, callback=self._callback(), priority=self.config.priority,
                          meta={REQUISITE_META: k, REQUISITE_PAGE_META: page, "allow_offsite": True,
                                "download_maxsize": self.config.max_size})

    def _callback(self):
        # a spider method when the spider has one (so JOBDIR queues can serialise the request)
        return getattr(self.crawler.spider, "parse_requisite", None) or parse_requisite


class RequisiteHostsRobots:
    """Downloader middleware, before OffsiteMiddleware: lets robots.txt through for every host.

    RobotsTxtMiddleware fetches a host's robots.txt when a request for that host reaches it,
    which an off-site host's request only does with ``allow_offsite`` (a requisite on a CDN);
    the robots.txt request itself carries no such mark, OffsiteMiddleware would drop it and the
    host would count as having none, allowing everything."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not RequisitesConfig.from_settings(crawler.settings).enabled:
            raise NotConfigured("REQUISITES_ENABLED is off")
        return cls()

    def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt":
            request.meta["allow_offsite"] = True


def parse_requisite(response: Response):
    """A requisite's own response yields nothing: the middleware follows a stylesheet's references."""
    return ()
