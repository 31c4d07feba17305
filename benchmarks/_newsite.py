"""A generated news site served from a separate process (benchmark helper).

``build_site`` pre-renders every page into memory (plain and gzip bodies):
articles with typical chrome (navigation, byline, related links, most-read box,
footer, inline CSS/JS, Open Graph and JSON-LD ``NewsArticle`` metadata), a home
page, paginated section pages (50 articles each), author pages, a few static
pages, ``robots.txt`` (with a ``Disallow`` and a ``Sitemap`` line), a news
sitemap and page requisites: a stylesheet every page links (with an ``@import`` and a web
font) and three images per article (photo, its 2x ``srcset``, an inline one). ``SiteServer`` runs a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 in a
child process, so serving never shares a GIL with what is measured, and counts
requests per page kind; ``/__bench/stats`` and ``/__bench/reset`` expose them.
"""

from __future__ import annotations

import gzip
import json
import logging
import multiprocessing as mp
import os
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from _pagechrome import (BASE_CSS, FONT, SHARED_CSS, SITE_NAME, STATIC_PAGES, article_body,
                         article_meta, listing_body, page)
from _prose import SECTIONS, authors, story

logger = logging.getLogger(__name__)

PER_PAGE = 50
EPOCH = datetime(2024, 6, 30, 18, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Resource:
    kind: str
    content_type: str
    body: bytes
    gzipped: bytes | None


def slugify(text: str) -> str:
    words = "".join(c.lower() if c.isalnum() else " " for c in text).split()
    return "-".join(words[:8])


def build_site(base: str, n_articles: int, seed: int = 1,
               compress: bool = True) -> dict[str, Resource]:
    """Render the whole site for ``base`` (``http://127.0.0.1:PORT``): path -> resource."""
    names = authors()
    stories = [story(i, seed, names) for i in range(n_articles)]
    dates = [EPOCH - timedelta(hours=3 * i, minutes=17 * (i % 7)) for i in range(n_articles)]
    paths = [f"/news/{d:%Y/%m/%d}/{slugify(s.headline)}-{i}.html"
             for i, (s, d) in enumerate(zip(stories, dates))]
    by_section: dict[str, list[int]] = {name: [] for name in SECTIONS}
    by_author: dict[str, list[int]] = {name: [] for name in names}
    for i, s in enumerate(stories):
        by_section[s.section].append(i)
        by_author[s.author].append(i)

    def link(i: int) -> tuple[str, str, str, datetime]:
        return paths[i], stories[i].headline, stories[i].standfirst, dates[i]

    teasers = [link(i) for i in range(0, min(n_articles, 25 * 7), 7)]
    site: dict[str, str | bytes] = {}
    kinds: dict[str, str] = {}

    def add(path: str, kind: str, content: str | bytes) -> None:
        site[path] = content
        kinds[path] = kind

    for i, s in enumerate(stories):
        peers = by_section[s.section]
        pos = peers.index(i)
        near = dict.fromkeys(peers[(pos - k) % len(peers)] for k in range(1, 7))
        related = [link(j) for j in near if j != i]
        meta = article_meta(base, paths[i], s, dates[i], slugify(s.author))
        body = article_body(i, s, dates[i], slugify(s.author), related)
        add(paths[i], "article", page(base, paths[i], s.headline, meta, body, teasers))
    for name, members in by_section.items():
        pages = [members[k:k + PER_PAGE] for k in range(0, len(members), PER_PAGE)] or [[]]
        for number, chunk in enumerate(pages, 1):
            path = f"/section/{name}/" + (f"page/{number}/" if number > 1 else "")
            body = listing_body(name.capitalize(), [link(i) for i in chunk],
                                f"/section/{name}/", number, len(pages))
            add(path, "section", page(base, path, name.capitalize(), "", body, teasers))
    for name, members in by_author.items():
        path = f"/author/{slugify(name)}/"
        body = listing_body(name, [link(i) for i in members[:PER_PAGE]], path, 1, 1)
        add(path, "author", page(base, path, name, "", body, teasers))
    home = listing_body("Latest news", [link(i) for i in range(min(n_articles, PER_PAGE))],
                        "/", 1, 1)
    add("/", "home", page(base, "/", SITE_NAME, "", home, teasers))
    for path, (title, text) in STATIC_PAGES.items():
        add(path, "static", page(base, path, title, "", f"<h1>{title}</h1><p>{text}</p>", []))
    add("/robots.txt", "robots", "User-agent: *\nDisallow: /search\nDisallow: /login/\n"
        f"\nSitemap: {base}/sitemap.xml\n")
    add("/sitemap.xml", "sitemap", sitemap(base, [link(i) for i in range(n_articles)]))
    for i in range(n_articles):  # three per article: the photo, its 2x srcset and an inline one
        add(f"/img/{i}.jpg", "image", bytes(range(256)) * 8)
        add(f"/img/{i}-2x.jpg", "image", bytes(range(256)) * 24)
        add(f"/img/{i}-inline.jpg", "image", bytes(range(256)) * 6)
    add("/static/site.css", "stylesheet", SHARED_CSS)
    add("/static/base.css", "stylesheet", BASE_CSS)
    add("/static/fonts/serif.woff2", "font", FONT)

    resources = {}
    for path, content in site.items():
        kind = kinds[path]
        ctype = {"robots": "text/plain; charset=utf-8", "sitemap": "application/xml",
                 "image": "image/jpeg", "stylesheet": "text/css; charset=utf-8",
                 "font": "font/woff2"}.get(kind, "text/html; charset=utf-8")
        body = content.encode("utf-8") if isinstance(content, str) else content
        packed = gzip.compress(body, 6, mtime=0) if compress and kind not in ("image", "font") else None
        resources[path] = Resource(kind, ctype, body, packed)
    return resources


def sitemap(base: str, links: list[tuple[str, str, str, datetime]]) -> str:
    entries = "".join(
        f"<url><loc>{base}{path}</loc><lastmod>{when:%Y-%m-%dT%H:%M:%SZ}</lastmod>"
        f"<news:news><news:publication><news:name>{SITE_NAME}</news:name>"
        "<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{when:%Y-%m-%dT%H:%M:%SZ}</news:publication_date>"
        f"<news:title>{escape(title)}</news:title></news:news></url>\n"
        for path, title, _, when in links)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{entries}</urlset>\n")


class _Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kinds: Counter[str] = Counter()
        self.status: Counter[int] = Counter()
        self.bytes_sent = 0
        self.first: float | None = None  # monotonic time of the first request since the reset
        self.last: dict[str, float] = {}  # ... and of each kind's latest

    def add(self, kind: str, status: int, size: int) -> None:
        now = time.monotonic()
        with self.lock:
            self.kinds[kind] += 1
            self.status[status] += 1
            self.bytes_sent += size
            self.first = now if self.first is None else self.first
            self.last[kind] = now

    def snapshot(self) -> dict[str, Any]:
        times = os.times()
        with self.lock:
            return {"kinds": dict(self.kinds), "status": {str(k): v for k, v in self.status.items()},
                    "requests": sum(self.kinds.values()), "bytes_sent": self.bytes_sent,
                    "cpu_seconds": times.user + times.system,
                    "until_last": {k: t - self.first for k, t in self.last.items()}}

    def reset(self) -> None:
        with self.lock:
            self.kinds.clear()
            self.status.clear()
            self.bytes_sent = 0
            self.first = None
            self.last.clear()


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, no logging, and ``_send`` for a whole response."""

    protocol_version = "HTTP/1.1"
    server_version = "wirecopy-bench-site"
    disable_nagle_algorithm = True

    def _send(self, status: int, ctype: str, body: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def _handler(site: dict[str, Resource], counters: _Counters) -> type[BaseHTTPRequestHandler]:
    modified = EPOCH.strftime("%a, %d %b %Y %H:%M:%S GMT")

    class Handler(QuietHandler):

        def do_GET(self) -> None:
            path = self.path.split("#", 1)[0]
            if path.startswith("/__bench/"):
                if path == "/__bench/reset":
                    counters.reset()
                self._send(200, "application/json", json.dumps(counters.snapshot()).encode())
                return
            resource = site.get(path.split("?", 1)[0])
            if resource is None:
                counters.add("notfound", 404, 0)
                self._send(404, "text/html; charset=utf-8", b"<h1>Not found</h1>")
                return
            body, extra = resource.body, {"Last-Modified": modified, "Vary": "Accept-Encoding",
                                          "Cache-Control": "max-age=60"}
            if resource.gzipped and "gzip" in self.headers.get("Accept-Encoding", ""):
                body, extra["Content-Encoding"] = resource.gzipped, "gzip"
            counters.add(resource.kind, 200, len(body))
            self._send(200, resource.content_type, body, extra)

    return Handler


def _serve(conn: Any, n_articles: int, seed: int, compress: bool) -> None:
    counters = _Counters()
    site: dict[str, Resource] = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, counters))
    server.daemon_threads = True
    port = server.server_address[1]
    site.update(build_site(f"http://127.0.0.1:{port}", n_articles, seed, compress))
    kinds = Counter(r.kind for r in site.values())
    html = [r for r in site.values() if r.kind == "article"]
    conn.send({"port": port, "kinds": dict(kinds),
               "article_bytes": sum(len(r.body) for r in html),
               "article_gzip_bytes": sum(len(r.gzipped or r.body) for r in html)})
    conn.close()
    server.serve_forever()


class SiteServer:
    """Context manager: the generated site served by a child process."""

    def __init__(self, n_articles: int, seed: int = 1, compress: bool = True) -> None:
        self.n_articles, self.seed, self.compress = n_articles, seed, compress
        self.info: dict[str, Any] = {}
        self._proc: mp.process.BaseProcess | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.info['port']}"

    def __enter__(self) -> SiteServer:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, name="bench-site", daemon=True,
                                 args=(child, self.n_articles, self.seed, self.compress))
        self._proc.start()
        child.close()
        try:
            if not parent.poll(600):
                raise EOFError
            self.info = parent.recv()
        except EOFError:
            self.__exit__()
            raise RuntimeError("the site server process did not start") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join(10)
            self._proc = None

    def _get(self, path: str) -> dict[str, Any]:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.base + path, timeout=30) as response:
            return json.loads(response.read())

    def stats(self) -> dict[str, Any]:
        return self._get("/__bench/stats")

    def reset(self) -> dict[str, Any]:
        return self._get("/__bench/reset")
