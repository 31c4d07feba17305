"""Test web servers for the end-to-end crawl tests.

``SiteServer`` is a stdlib ``ThreadingHTTPServer`` on 127.0.0.1 (port 0) speaking HTTP/1.1,
answering from a table of prebuilt ``Route`` objects and recording every request path
(path + query) it receives. ``news_site_routes`` builds "The Harbour Herald", a small news
site with the transport and markup habits an archival crawler has to get right;
``bulk_site_routes`` builds a plain site with many slow article pages (for crash tests).
``gzip_members`` splits a WARC file into its gzip members without the product's reader.
"""

from __future__ import annotations

import gzip
import html
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------


@dataclass
class Route:
    """One prebuilt HTTP answer.

    ``body`` is sent as is (already gzip-compressed when a ``Content-Encoding`` header says
    so). With ``chunks`` the body is sent with ``Transfer-Encoding: chunked``, one HTTP
    chunk per item. ``delay`` makes the server wait before answering (server behaviour).
    """

    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    chunks: list[bytes] | None = None
    delay: float = 0.0

    @property
    def payload(self) -> bytes:
        """The entity body as the client sees it after de-chunking."""
        return b"".join(self.chunks) if self.chunks is not None else self.body


NOT_FOUND = Route(
    b"<!DOCTYPE html><html><head><title>Not found</title></head>"
    b"<body><h1>Not found</h1><p>No such page.</p></body></html>",
    status=404,
)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "SiteServer"

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def do_GET(self) -> None:
        self.server.record(self.path, self.headers)
        route = self.server.routes.get(self.path, NOT_FOUND)
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        if route.content_type:
            self.send_header("Content-Type", route.content_type)
        for name, value in route.headers:
            self.send_header(name, value)
        try:
            if route.chunks is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in route.chunks:
                    if chunk:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            # The client may stop reading a large body (DOWNLOAD_MAXSIZE).
            self.close_connection = True


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.request_headers: dict[str, list[dict[str, str]]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def record(self, path: str, headers) -> None:
        with self._lock:
            self.requests.append(path)
            self.request_headers.setdefault(path, []).append(dict(headers.items()))

    def requested(self) -> list[str]:
        with self._lock:
            return list(self.requests)

    def handle_error(self, request, client_address) -> None:
        # Connections the crawler drops are expected; anything else shows as a missing
        # or wrong capture in the assertions.
        pass

    def start(self) -> "SiteServer":
        if self._thread is not None:
            # already serving: ``with sites.serve(...)`` enters a started server. A second
            # serve_forever thread would outlive ``shutdown`` (which ends one of them) and,
            # when it is the one ``stop`` joins, hold the end of the block 5 s
            return self
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="test-site", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "SiteServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(build: Callable[[str], dict[str, Route]], host: str = "127.0.0.1") -> SiteServer:
    """A started server whose routes are built from its own base URL."""
    server = SiteServer(host)
    server.routes.update(build(server.base_url))
    return server.start()


def unused_port_socket() -> socket.socket:
    """A socket bound to a 127.0.0.1 port that never listens: connections are refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


# --------------------------------------------------------------------------------------
# The Harbour Herald: articles
# --------------------------------------------------------------------------------------

SITE_NAME = "The Harbour Herald"


@dataclass(frozen=True)
class ArticleSpec:
    path: str
    title: str
    author: str
    published: str  # ISO 8601
    key: str  # a sentence that must survive extraction
    place: str
    subject: str
    official: str
    role: str
    group: str
    number: int
    weekday: str
    markup: str = "og"  # og | jsonld | none
    charset: str = "utf-8"  # encoding of the bytes
    declare: str = "header"  # header | meta | none: where the charset is declared
    transport: str = "plain"  # plain | gzip | chunked
    advertise_feed: bool = False


_PARAGRAPHS = [
    "{place} officials confirmed on {weekday} that {subject} will go ahead after months of "
    "consultation, ending a dispute that had divided residents, traders and the regional transport "
    "authority since last autumn. The decision was announced at a crowded public meeting in the town "
    "hall, where {official}, the {role}, told the audience that the final plan reflected more than "
    "{number} written submissions from households across the district.",

    "Under the approved plan, the work on {subject} will be carried out in three phases over the "
    "coming eighteen months. The first phase covers the preparatory surveys and the relocation of "
    "underground cables, the second the main construction, and the third the landscaping and the "
    "restoration of the surrounding streets. Contractors in {place} have been told to keep at least "
    "one lane open at all times and to avoid night work near the primary school.",

    "Not everyone was persuaded. A group of {group} handed a petition to the council before the vote, "
    "arguing that the cost estimates were optimistic and that the consultation had been rushed during "
    "the summer holidays. Their spokesperson said the group would study the published documents "
    "carefully and did not rule out a formal complaint to the regional ombudsman if questions about "
    "the budget remained unanswered.",

    "{key} {official} said the council would publish a progress report every quarter, including the "
    "money spent, the work completed and any changes to the timetable, so that residents could follow "
    "the project without having to attend every meeting in person.",

    "Local businesses gave the news a cautious welcome. Several shopkeepers on the main street said "
    "they had lost trade during earlier roadworks and asked for clear signage, extra parking during "
    "the busiest weeks and a single contact person at the council who could answer complaints "
    "quickly. The chamber of commerce said it would organise a briefing for its members in {place} "
    "next month.",

    "The council expects to award the main contract before the end of the year. Independent engineers "
    "will review the designs before tenders are opened, and the final cost, currently estimated at "
    "{number} thousand euros, will be confirmed once the bids have been assessed. A further public "
    "meeting is planned for the spring, when residents will be able to see the detailed drawings and "
    "ask questions directly.",
]

_CP1252_KEYS = (
    "\u201cWe have waited eleven years for this,\u201d said José Müller, who runs the café opposite "
    "the old ferry terminal. \u2018It\u2019s finally happening,\u2019 he added.",
    "\u201cThe harbour deserves a proper market again,\u201d said José Müller, chairman of the "
    "traders\u2019 association, quoting the \u2018fair rents\u2019 promise of the mayor.",
    "\u201cNobody in Süderhafen believed the plans,\u201d said José Müller, the retired pilot who "
    "started the campaign, \u2018but the letters worked.\u2019",
)

ARTICLES: list[ArticleSpec] = [
    ArticleSpec(
        "/2025/03/10/harbour-bridge-reopens.html", "Harbour bridge to reopen to trams in April",
        "Clara Lindqvist", "2025-03-10T08:15:00+00:00",
        "The harbour bridge will carry its first trams on the ninth of April.",
        "Eastport", "the repair of the harbour bridge", "Martin Ekholm", "head of the bridges department",
        "commuters from the northern suburbs", 412, "Monday", markup="og",
    ),
    ArticleSpec(
        "/2025/03/11/council-budget-vote.html", "Council passes budget after all-night session",
        "Tomas Reyes", "2025-03-11T06:40:00+00:00",
        "Councillors approved the budget by twenty-three votes to nineteen shortly before dawn.",
        "Westbay", "the new municipal budget", "Ana Sørli", "finance councillor",
        "pensioners and tenant associations", 287, "Tuesday", markup="jsonld",
    ),
    ArticleSpec(
        "/2025/03/11/library-extension.html", "Library extension wins design award",
        "Nadia Okafor", "2025-03-11T09:00:00+00:00",
        "The timber reading room keeps a constant eighteen degrees without any air conditioning.",
        "Northgate", "the library extension", "Pieter de Vries", "city architect",
        "local architects and students", 156, "Tuesday", markup="none",
    ),
    ArticleSpec(
        "/2025/03/12/ferry-timetable.html", "Winter ferry timetable extended to May",
        "Clara Lindqvist", "2025-03-12T07:30:00+00:00",
        "The last ferry to the islands will leave at twenty past eleven every night until May.",
        "Islandport", "the extended winter ferry timetable", "Henrik Dahl", "ferry operations manager",
        "island residents and seasonal workers", 533, "Wednesday", markup="og", transport="gzip",
    ),
    ArticleSpec(
        "/2025/03/12/school-meals.html", "Free school meals extended to all primary pupils",
        "Tomas Reyes", "2025-03-12T10:05:00+00:00",
        "Every primary pupil in the district will receive a free hot lunch from the autumn term.",
        "Southmere", "the free school meals programme", "Grace Mensah", "education councillor",
        "parents and school governors", 978, "Wednesday", markup="jsonld", transport="chunked",
    ),
    ArticleSpec(
        "/2025/03/13/ferry-cafe.html", "Café owners welcome terminal renovation",
        "Lena Brandt", "2025-03-13T08:00:00+00:00", _CP1252_KEYS[0],
        "Old Harbour", "the renovation of the ferry terminal", "Sofia Almeida", "port director",
        "café owners and fishermen", 341, "Thursday", markup="og", charset="cp1252", declare="header",
    ),
    ArticleSpec(
        "/2025/03/13/market-hall.html", "Market hall to reopen with lower rents",
        "Lena Brandt", "2025-03-13T12:30:00+00:00", _CP1252_KEYS[1],
        "Old Harbour", "the reopening of the market hall", "Sofia Almeida", "port director",
        "stallholders and farmers", 218, "Thursday", markup="jsonld", charset="cp1252", declare="meta",
    ),
    ArticleSpec(
        "/2025/03/14/pilot-campaign.html", "Retired pilot's letters save the lighthouse",
        "Lena Brandt", "2025-03-14T09:45:00+00:00", _CP1252_KEYS[2],
        "Süderhafen", "the restoration of the lighthouse", "Jonas Petersen", "heritage officer",
        "retired sailors and historians", 97, "Friday", markup="og", charset="cp1252", declare="none",
    ),
    ArticleSpec(
        "/2025/03/14/cycle-lanes.html", "Protected cycle lanes planned for the ring road",
        "Nadia Okafor", "2025-03-14T11:20:00+00:00",
        "The protected lanes will be separated from traffic by a kerb forty centimetres wide.",
        "Ringstead", "the ring road cycle lanes", "Oskar Nilsen", "mobility councillor",
        "delivery drivers and taxi firms", 645, "Friday", markup="og",
    ),
    ArticleSpec(
        "/2025/03/15/flood-defences.html", "Flood defences to be raised by half a metre",
        "Clara Lindqvist", "2025-03-15T07:10:00+00:00",
        "The new sea wall along the promenade will stand four metres above the spring tide line.",
        "Lowmarsh", "the raising of the flood defences", "Ingrid Haugen", "coastal engineer",
        "homeowners on the promenade", 722, "Saturday", markup="jsonld",
    ),
    ArticleSpec(
        "/2025/03/15/stadium-plans.html", "Stadium plans go on public display",
        "Tomas Reyes", "2025-03-15T13:00:00+00:00",
        "The models of the stadium can be seen in the foyer of the civic centre until Friday.",
        "Eastport", "the new stadium", "Rafael Ortiz", "planning officer",
        "supporters' clubs and neighbours", 1204, "Saturday", markup="og",
    ),
    ArticleSpec(
        "/2025/03/16/night-buses.html", "Night buses return after three-year pause",
        "Nadia Okafor", "2025-03-16T08:30:00+00:00",
        "The night bus network will run four routes every thirty minutes on Fridays and Saturdays.",
        "Westbay", "the night bus network", "Mei Chen", "transport councillor",
        "hospitality workers and students", 389, "Sunday", markup="jsonld",
    ),
    ArticleSpec(
        "/2025/03/16/museum-roof.html", "Museum roof repairs finished ahead of schedule",
        "Lena Brandt", "2025-03-16T10:00:00+00:00",
        "Scaffolding will be removed from the maritime museum by the end of the month.",
        "Northgate", "the repair of the museum roof", "Elsa Berg", "museum director",
        "volunteer guides and visitors", 64, "Sunday", markup="og",
    ),
]

BY_PATH = {a.path: a for a in ARTICLES}

# Where each article is linked from (every article reachable exactly one way, so each
# discovery route is proven by the article it alone leads to).
SECTION_ARTICLES = [a.path for a in ARTICLES[:9]]
RSS_ARTICLES = [ARTICLES[0].path, ARTICLES[1].path]
LATEST_ONLY = ARTICLES[9].path  # only in /latest (an RSS feed at a URL without .xml)
ATOM_ONLY = ARTICLES[10].path
SITEMAP_ONLY = ARTICLES[11].path  # only in sitemap-1.xml, reached through the sitemap index
REDIRECT_TARGET = ARTICLES[12].path  # only reached through the /old-article redirect
NEWS_SITEMAP_ARTICLES = [ARTICLES[1].path, ARTICLES[4].path]

GZIP_ARTICLE = ARTICLES[3].path
CHUNKED_ARTICLE = ARTICLES[4].path
CP1252_ARTICLES = [ARTICLES[5].path, ARTICLES[6].path, ARTICLES[7].path]
CONTENT_ONLY_ARTICLE = ARTICLES[2].path

HUGE_PATH = "/archive-dump.html"
HUGE_SIZE = 3 * 1024 * 1024
QUERY_PATH = "/search-results?q=a&page=2"
COOKIE_PATH = "/subscribe"
COOKIES = ("session=7f3a9c; Path=/; HttpOnly", "region=north; Path=/; Max-Age=3600")
PRIVATE_PATH = "/private/secret.html"
# Binary bodies at URLs without a file extension (Scrapy's link extractor skips .png/.pdf links).
IMAGE_PATH = "/media/front-page"
PDF_PATH = "/documents/annual-report"
SEEDS = ["/", "/sitemap_index.xml", "/news-sitemap.xml"]
NON_ARTICLE_PAGES = ["/", "/news/", "/feed.xml", "/atom.xml", "/latest", "/sitemap_index.xml",
                     "/sitemap-1.xml", "/news-sitemap.xml", QUERY_PATH, COOKIE_PATH]

# Every path a correct crawl requests, each exactly once.
EXPECTED_REQUESTS = sorted(
    ["/robots.txt", "/old-article", "/missing", HUGE_PATH, IMAGE_PATH, PDF_PATH]
    + NON_ARTICLE_PAGES + [a.path for a in ARTICLES]
)


def paragraphs(spec: ArticleSpec) -> list[str]:
    values = {k: getattr(spec, k) for k in
              ("place", "subject", "official", "role", "group", "number", "weekday", "key")}
    text = [p.format(**values) for p in _PARAGRAPHS]
    text[0] = text[0][0].upper() + text[0][1:]
    return text


def article_text(spec: ArticleSpec) -> str:
    return "\n".join(paragraphs(spec))


def word_count(spec: ArticleSpec) -> int:
    return len(article_text(spec).split())


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _nav() -> str:
    return ('<header class="masthead"><a class="logo" href="/">The Harbour Herald</a>'
            '<nav><a href="/">Home</a> <a href="/news/">News</a></nav></header>')


def _footer() -> str:
    return '<footer class="site-footer"><small>The Harbour Herald, Eastport harbour news since 1921.</small></footer>'


def article_html(spec: ArticleSpec, base: str) -> str:
    head = []
    if spec.declare == "meta":
        head.append(f'<meta charset="{ "windows-1252" if spec.charset == "cp1252" else spec.charset}">')
    elif spec.declare == "header" and spec.charset == "utf-8":
        head.append('<meta charset="utf-8">')
    head.append(f"<title>{_esc(spec.title)} | {SITE_NAME}</title>")
    head.append('<meta name="viewport" content="width=device-width, initial-scale=1">')
    if spec.markup == "og":
        head += [
            '<meta property="og:type" content="article">',
            f'<meta property="og:title" content="{_esc(spec.title)}">',
            f'<meta property="og:site_name" content="{SITE_NAME}">',
            f'<meta property="article:published_time" content="{spec.published}">',
            f'<meta name="author" content="{_esc(spec.author)}">',
        ]
    elif spec.markup == "jsonld":
        data = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": spec.title,
            "datePublished": spec.published, "author": {"@type": "Person", "name": spec.author},
            "publisher": {"@type": "Organization", "name": SITE_NAME},
            "mainEntityOfPage": base + spec.path,
        }
        head.append(f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>')
    if spec.markup != "none":
        head.append(f'<link rel="canonical" href="{base}{spec.path}">')
    if spec.advertise_feed:
        head.append('<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">')
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in paragraphs(spec))
    byline = ""
    if spec.markup != "none":
        byline = (f'<p class="byline">By <span class="author">{_esc(spec.author)}</span>, '
                  f'<time datetime="{spec.published}">{spec.published[:10]}</time></p>')
    lang = ' lang="en"' if spec.markup != "none" else ""
    return (
        f"<!DOCTYPE html>\n<html{lang}>\n<head>\n" + "\n".join(head) + "\n</head>\n<body>\n"
        + _nav() + "\n<main>\n<article>\n"
        f"<h1>{_esc(spec.title)}</h1>\n{byline}\n<div class=\"article-body\">\n{body}\n</div>\n"
        "</article>\n</main>\n" + _footer() + "\n</body>\n</html>\n"
    )


def _article_route(spec: ArticleSpec, base: str) -> Route:
    data = article_html(spec, base).encode(spec.charset)
    label = "windows-1252" if spec.charset == "cp1252" else spec.charset
    content_type = f"text/html; charset={label}" if spec.declare == "header" else "text/html"
    if spec.transport == "gzip":
        return Route(gzip.compress(data, mtime=0), content_type, headers=[("Content-Encoding", "gzip"),
                                                                            ("Vary", "Accept-Encoding")])
    if spec.transport == "chunked":
        size = len(data) // 4 + 1
        return Route(content_type=content_type, chunks=[data[i:i + size] for i in range(0, len(data), size)])
    return Route(data, content_type)


def _page(title: str, body: str, head: str = "") -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{_esc(title)}</title>\n'
        f"{head}</head>\n<body>\n{_nav()}\n<main>\n{body}\n</main>\n{_footer()}\n</body>\n</html>\n"
    ).encode("utf-8")


def _card(spec: ArticleSpec) -> str:
    return (f'<div class="card"><h2><a href="{spec.path}">{_esc(spec.title)}</a></h2>'
            f'<span class="teaser">{_esc(spec.place)}: {_esc(spec.subject)}.</span></div>')


def _rss(base: str, paths: list[str], title: str) -> bytes:
    items = "".join(
        f"<item><title>{_esc(BY_PATH[p].title)}</title><link>{base}{p}</link>"
        f'<guid isPermaLink="true">{base}{p}</guid>'
        f"<pubDate>Mon, 10 Mar 2025 08:00:00 +0000</pubDate>"
        f"<description>{_esc(BY_PATH[p].key)}</description></item>\n"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{title}</title><link>{base}/</link><description>Latest news</description>\n"
        f"<language>en</language>\n{items}</channel>\n</rss>\n"
    ).encode("utf-8")


def _atom(base: str, paths: list[str]) -> bytes:
    entries = "".join(
        f"<entry><title>{_esc(BY_PATH[p].title)}</title>"
        f'<link rel="alternate" type="text/html" href="{base}{p}"/>'
        f"<id>{base}{p}</id><updated>{BY_PATH[p].published}</updated>"
        f"<author><name>{_esc(BY_PATH[p].author)}</name></author></entry>\n"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{SITE_NAME}</title><id>{base}/atom.xml</id><updated>2025-03-16T10:00:00Z</updated>\n"
        f'<link rel="self" href="{base}/atom.xml"/>\n{entries}</feed>\n'
    ).encode("utf-8")


def _urlset(base: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc><lastmod>2025-03-16</lastmod></url>\n" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n'
    ).encode("utf-8")


def _news_sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{p}</loc><news:news><news:publication><news:name>{SITE_NAME}</news:name>"
        "<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{BY_PATH[p].published}</news:publication_date>"
        f"<news:title>{_esc(BY_PATH[p].title)}</news:title></news:news></url>\n"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode("utf-8")


# A small but real PNG (1x1, red) and a minimal PDF: binary bodies with NUL bytes.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8cfc0000003010100c9fe92ef0000000049454e44ae426082"
) + b"\x00" * 64
PDF_BYTES = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n\x00\x01\x02trailer\n"
             b"<< /Root 1 0 R >>\n%%EOF\n")


def huge_body(size: int = HUGE_SIZE) -> bytes:
    head = b"<!DOCTYPE html>\n<html><head><title>Data dump</title></head><body><pre>\n"
    tail = b"</pre></body></html>\n"
    line = b"0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ record\n"
    filler = line * ((size - len(head) - len(tail)) // len(line) + 1)
    return head + filler[: size - len(head) - len(tail)] + tail


def news_site_routes(base: str) -> dict[str, Route]:
    routes: dict[str, Route] = {}
    routes["/robots.txt"] = Route(
        b"User-agent: *\nDisallow: /private/\n\nSitemap: " + base.encode() + b"/sitemap_index.xml\n",
        "text/plain; charset=utf-8",
    )
    home = "\n".join([
        "<h1>Today in Eastport</h1>",
        '<ul class="sections"><li><a href="/news/">Local news</a></li>'
        '<li><a href="/latest">Latest headlines</a></li>'
        f'<li><a href="{PRIVATE_PATH}">Subscriber area</a></li>'
        '<li><a href="/old-article">Last year\'s bridge story</a></li>'
        '<li><a href="/missing">Corrections</a></li>'
        f'<li><a href="{_esc(QUERY_PATH)}">Search results, page 2</a></li>'
        f'<li><a href="{HUGE_PATH}">Open data</a></li>'
        f'<li><a href="{IMAGE_PATH}">Today\'s front page</a></li>'
        f'<li><a href="{PDF_PATH}">Annual report (PDF)</a></li>'
        f'<li><a href="{COOKIE_PATH}">Subscribe</a></li></ul>',
    ])
    feeds_head = ('<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">\n'
                  '<link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml">\n')
    routes["/"] = Route(_page(SITE_NAME, home, feeds_head))
    section = "<h1>Local news</h1>\n" + "\n".join(_card(BY_PATH[p]) for p in SECTION_ARTICLES)
    routes["/news/"] = Route(_page(f"Local news | {SITE_NAME}", section))
    for spec in ARTICLES:
        routes[spec.path] = _article_route(spec, base)
    routes["/feed.xml"] = Route(_rss(base, RSS_ARTICLES, SITE_NAME), "application/rss+xml; charset=utf-8")
    routes["/latest"] = Route(_rss(base, [LATEST_ONLY], f"{SITE_NAME}: latest"), "application/rss+xml")
    routes["/atom.xml"] = Route(_atom(base, [ATOM_ONLY, ARTICLES[0].path]), "application/atom+xml")
    routes["/sitemap_index.xml"] = Route(
        ('<?xml version="1.0" encoding="UTF-8"?>\n'
         '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
         f"<sitemap><loc>{base}/sitemap-1.xml</loc><lastmod>2025-03-16</lastmod></sitemap>\n"
         "</sitemapindex>\n").encode("utf-8"),
        "application/xml",
    )
    routes["/sitemap-1.xml"] = Route(_urlset(base, ["/news/", SITEMAP_ONLY]), "application/xml")
    routes["/news-sitemap.xml"] = Route(_news_sitemap(base, NEWS_SITEMAP_ARTICLES), "application/xml")
    routes["/old-article"] = Route(
        b"<html><head><title>Moved</title></head><body><a href=\"" + REDIRECT_TARGET.encode()
        + b"\">Moved</a></body></html>",
        status=301, headers=[("Location", base + REDIRECT_TARGET)],
    )
    routes[PRIVATE_PATH] = Route(_page("Subscribers only", "<p>Secret subscriber page.</p>"))
    routes[QUERY_PATH] = Route(_page(
        "Search results", '<h1>Results for "a"</h1><ol start="11"><li>No more results.</li></ol>'
    ))
    routes[COOKIE_PATH] = Route(
        _page("Subscribe", "<h1>Subscribe</h1><form><input name=email></form>"),
        headers=[("Set-Cookie", COOKIES[0]), ("Set-Cookie", COOKIES[1])],
    )
    routes[HUGE_PATH] = Route(huge_body())
    routes[IMAGE_PATH] = Route(PNG_BYTES, "text/html")  # a misconfigured server
    routes[PDF_PATH] = Route(PDF_BYTES, "application/pdf")
    return routes


# --------------------------------------------------------------------------------------
# A site with many slow articles (crash tests)
# --------------------------------------------------------------------------------------

BULK_ARTICLES = 60
BULK_DELAY = 0.05


def bulk_article(n: int) -> ArticleSpec:
    base = ARTICLES[n % len(ARTICLES)]
    return ArticleSpec(
        f"/bulk/{n:03d}.html", f"Harbour notes, part {n}", base.author, base.published,
        f"This is harbour note number {n} of the spring series.", base.place, base.subject,
        base.official, base.role, base.group, 100 + n, base.weekday, markup="og",
    )


def bulk_site_routes(base: str, count: int = BULK_ARTICLES, delay: float = BULK_DELAY) -> dict[str, Route]:
    routes = {"/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", "text/plain")}
    specs = [bulk_article(n) for n in range(count)]
    links = "\n".join(f'<li><a href="{s.path}">{_esc(s.title)}</a></li>' for s in specs)
    routes["/"] = Route(_page("Harbour notes", f"<h1>Harbour notes</h1><ul>{links}</ul>"))
    for spec in specs:
        route = _article_route(spec, base)
        route.delay = delay
        routes[spec.path] = route
    return routes


# --------------------------------------------------------------------------------------
# Reading archives back, independently of the product's reader
# --------------------------------------------------------------------------------------


def gzip_members(data: bytes) -> tuple[list[tuple[int, int]], int]:
    """([(offset, length)] of the complete gzip members of ``data``, bytes after them)."""
    import zlib

    members: list[tuple[int, int]] = []
    position = 0
    while position < len(data):
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            decompressor.decompress(data[position:])
        except zlib.error:
            break
        if not decompressor.eof:
            break
        length = len(data) - position - len(decompressor.unused_data)
        members.append((position, length))
        position += length
    return members, len(data) - position
