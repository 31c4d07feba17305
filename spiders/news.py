"""The news spider: seeds -> feeds, sitemaps, section pages -> article pages.

    scrapy crawl news -a seeds="https://example.com/ https://example.com/rss.xml" -a depth=2

Every fetched response is archived by the capture extension; this spider only decides
what a response is and what to follow. Depth counts hops between HTML pages: entries of a
feed or sitemap are one list away from it, not one hop, so they keep the list's depth.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from archive.discover import feed_links, is_news_sitemap_name, robots_sitemaps, sitemap_entries, sniff, ungzip
from archive.pageclass import PageClass, classify_page
from crawler.capture import CAPTURE_META, UNCHANGED_META
from crawler.items import ArticleItem, PageItem
from crawler.pagelinks import FollowedLinks, PageLinks

logger = logging.getLogger(__name__)

HOPS = "wirecopy_hops"
# Sitemaps a seed host's robots.txt announces go before the pages found so far; news ones first.
ROBOTS_SITEMAP_PRIORITY = 10
ROBOTS_NEWS_SITEMAP_PRIORITY = 20
FEED_TYPES = (
    'application/rss+xml', 'application/atom+xml', 'application/rdf+xml', 'application/feed+json',
)


def parse_seeds(seeds: str | list[str] | None = None, seeds_file: str | None = None) -> list[str]:
    urls: list[str] = []
    if isinstance(seeds, str):
        urls.extend(seeds.replace(",", " ").split())
    elif seeds:
        urls.extend(seeds)
    if seeds_file:
        for line in Path(seeds_file).read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                urls.append(line)
    bad = [u for u in urls if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).netloc]
    if bad:
        raise ValueError(f"not http(s) URLs: {', '.join(bad)}")
    return list(dict.fromkeys(urls))


def _domain(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _flag(value, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, seeds=None, seeds_file=None, depth=2, same_domain=True, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seed_urls = parse_seeds(seeds, seeds_file)
        if not self.seed_urls:
            raise ValueError("no seeds: pass -a seeds=URL[,URL...] or -a seeds_file=FILE")
        self.depth = int(depth)
        if _flag(same_domain, True):
            self.allowed_domains = sorted({_domain(u) for u in self.seed_urls})
        # Off-site links are left to Scrapy's OffsiteMiddleware, which compares host names.
        self.links = PageLinks()
        self.followed = FollowedLinks()
        self.seed_sites = {_site(u) for u in self.seed_urls}
        self._robots_read: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        # robots.txt is fetched by Scrapy's RobotsTxtMiddleware, outside the spider's callbacks
        crawler.signals.connect(spider.robots_received, signal=signals.response_received)
        return spider

    async def start(self):
        for url in self.seed_urls:
            # Seeds go through the duplicate filter too: the home page a seed names is also
            # linked from every article, and must be fetched once.
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error, meta={HOPS: 0})

    def _in_scope(self, url: str) -> bool:
        """Within the seeds' domains, compared by host name as OffsiteMiddleware compares them."""
        domains = getattr(self, "allowed_domains", None)
        if not domains:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in domains)

    def robots_received(self, response: Response, request, spider) -> None:
        """Follow the sitemaps a seed host's robots.txt announces, within the crawl's scope.
        A crawl of depth 0 asks for its seeds alone, and gets no more; one that does not obey
        robots.txt never fetches it."""
        if spider is not self or self.depth < 1:
            return
        if urlsplit(response.url).path != "/robots.txt" or response.status != 200:
            return
        site = _site(response.url)
        if site not in self.seed_sites or site in self._robots_read:
            return
        self._robots_read.add(site)
        for url in robots_sitemaps(response.body):
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            if not self._in_scope(url):
                self.crawler.stats.inc_value("discover/robots_sitemaps/out_of_scope")
                logger.info("Sitemap %s announced by %s is outside the crawl's domains", url, response.url)
                continue
            self.crawler.stats.inc_value("discover/robots_sitemaps")
            news = is_news_sitemap_name(url)
            self.crawler.engine.crawl(scrapy.Request(
                url, callback=self.parse, errback=self.on_error,
                priority=ROBOTS_NEWS_SITEMAP_PRIORITY if news else ROBOTS_SITEMAP_PRIORITY,
                meta={HOPS: 0, "wirecopy_via": "robots"}))

    def _follow(self, url: str, hops: int, **meta):
        return scrapy.Request(url, callback=self.parse, errback=self.on_error, meta={HOPS: hops, **meta})

    def on_error(self, failure):
        """One line per failed fetch (the archive already holds any HTTP error response)."""
        request = failure.request
        if failure.check(HttpError):
            status = failure.value.response.status
            self.crawler.stats.inc_value(f"fetch/http_error/{status}")
            logger.info("HTTP %d for %s", status, request.url)
            return
        name = type(failure.value).__name__
        self.crawler.stats.inc_value(f"fetch/failed/{name}")
        if type(failure.value) is IgnoreRequest:  # robots.txt said no: expected, and counted
            logger.info("Not fetched %s: %s", request.url, failure.getErrorMessage())
            return
        logger.warning("Could not fetch %s: %s", request.url, failure.getErrorMessage())

    def parse_requisite(self, response: Response):
        """A page requisite (stylesheet, image, ...) is archived, never parsed for links or text;
        the requisites middleware follows a stylesheet's own references."""
        return ()

    def parse(self, response: Response):
        body = response.body
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        kind = sniff(body, content_type)
        if kind == "gzip":
            try:
                body = ungzip(body)
            except (OSError, EOFError, ValueError) as exc:
                self.crawler.stats.inc_value("discover/bad_gzip")
                logger.warning("Unreadable gzip body at %s: %s", response.url, exc)
                return
            kind = sniff(body, None)
        self.crawler.stats.inc_value(f"discover/{kind}")
        hops = response.meta.get(HOPS, 0)
        if kind == "feed":
            yield from self.parse_feed(response, body, hops)
        elif kind in ("sitemap", "sitemapindex"):
            yield from self.parse_sitemap(response, body, hops, kind)
        elif kind == "html" and hasattr(response, "xpath"):
            yield from self.parse_html(response, hops)

    def parse_feed(self, response: Response, body: bytes, hops: int):
        try:
            links = feed_links(body)
        except ValueError as exc:
            self.crawler.stats.inc_value("discover/bad_feed")
            logger.warning("Unreadable feed at %s: %s", response.url, exc)
            return
        for link in links:
            yield self._follow(response.urljoin(link), hops, wirecopy_via="feed")

    def parse_sitemap(self, response: Response, body: bytes, hops: int, kind: str):
        try:
            entries = sitemap_entries(body)
        except ValueError as exc:
            self.crawler.stats.inc_value("discover/bad_sitemap")
            logger.warning("Unreadable sitemap at %s: %s", response.url, exc)
            return
        for entry in entries:
            meta = {"wirecopy_via": kind}
            if entry.lastmod:
                meta["wirecopy_lastmod"] = entry.lastmod
            yield self._follow(response.urljoin(entry.url), hops, **meta)

    def _text_archived(self, url: str) -> bool:
        from crawler.session import archive_for

        return archive_for(self.crawler).latest_version(url) is not None

    def parse_html(self, response: Response, hops: int):
        page = classify_page(response.selector.root, response.status)
        is_article = page.page_class is PageClass.ARTICLE
        self.crawler.stats.inc_value(f"pageclass/{page.page_class}")
        if is_article and response.meta.get(UNCHANGED_META) and self._text_archived(response.url):
            # the archive already holds this very page and its text
            self.crawler.stats.inc_value("recrawl/unchanged_articles")
        elif is_article:
            if response.meta.get(UNCHANGED_META):
                # an earlier extraction failed (a worker died, a timeout): try again
                self.crawler.stats.inc_value("recrawl/unchanged_without_text")
            self.crawler.stats.inc_value(f"discover/article/{page.reason}")
            yield ArticleItem(
                url=response.url,
                body=response.body,
                content_type=response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
                capture=response.meta.get(CAPTURE_META),
                detected_by=page.reason,
                page_signals=list(page.signals),
            )
        else:
            if page.wall is not None:
                self.crawler.stats.inc_value("extract/walls")
                self.crawler.stats.inc_value(f"extract/walls/{page.wall}")
            yield PageItem(response.url, response.meta.get(CAPTURE_META), str(page.page_class),
                           list(page.signals))
        if hops >= self.depth:
            return
        # Feeds a page advertises are lists: their entries keep this page's depth.
        for href in response.xpath(
            "//link[@rel='alternate']/@href[../@type=$a or ../@type=$b or ../@type=$c]",
            a=FEED_TYPES[0], b=FEED_TYPES[1], c=FEED_TYPES[2],
        ).getall():
            yield self._follow(response.urljoin(href), hops, wirecopy_via="feed-link")
        depth = response.meta.get("depth", 0)
        links = self.links(response)
        new = [url for url in links if self.followed.first_time(url, hops + 1, depth)]
        # links followed before from a page as near the seeds: the duplicate filter would drop them
        self.crawler.stats.inc_value("discover/links_known", len(links) - len(new))
        for url in new:
            yield self._follow(url, hops + 1)
