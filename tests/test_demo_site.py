"""The bundled sample news web (archive.demo): pages, feeds, sitemaps, transport and ground truth."""

from __future__ import annotations

import gzip
import html
import http.client
import re
import socket
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from archive.demo import BACKGROUND, RELATIONS, DemoWeb

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_FOLLOW = urllib.request.build_opener()
_STAY = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None, follow: bool = True):
    """(status, headers, body) without raising on 3xx/4xx; bodies are returned as sent."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    opener = _FOLLOW if follow else _STAY
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def decode(headers, body: bytes) -> str:
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    charset = headers.get_content_charset()
    if charset is None:
        match = re.search(rb'<meta charset="([^"]+)"', body[:2048])
        charset = match.group(1).decode("ascii") if match else "utf-8"
    return body.decode(charset)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(base: str, page: str) -> list[str]:
    parser = _Links()
    parser.feed(page)
    out = []
    for href in parser.hrefs:
        absolute = urldefrag(urljoin(base, href))[0]
        if urlsplit(absolute).scheme == "http" and urlsplit(absolute).hostname == "127.0.0.1":
            out.append(absolute)
    return out


@pytest.fixture(scope="module")
def web():
    with DemoWeb() as demo:
        yield demo


@pytest.fixture(scope="module")
def crawl(web):
    """A small polite crawl from every home page: robots obeyed, links followed, no redirects."""
    robots = {}
    for outlet in web.outlets:
        parser = urllib.robotparser.RobotFileParser(outlet.base_url + "/robots.txt")
        parser.read()
        robots[outlet.base_url] = parser
    statuses: dict[str, int] = {}
    disallowed_links: dict[str, set[str]] = {outlet.slug: set() for outlet in web.outlets}
    slugs = {outlet.base_url: outlet.slug for outlet in web.outlets}
    queue = deque(outlet.base_url + "/" for outlet in web.outlets)
    while queue:
        url = queue.popleft()
        if url in statuses:
            continue
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        if not robots[origin].can_fetch("wirecopy", url):
            disallowed_links[slugs[origin]].add(url)
            continue
        status, headers, body = fetch(url, follow=False)
        statuses[url] = status
        if status in (301, 302):
            queue.append(urljoin(url, headers["Location"]))
        elif status == 200 and headers.get_content_type() == "text/html":
            queue.extend(link for link in links(url, decode(headers, body)) if link not in statuses)
    return statuses, disallowed_links


def test_home_pages_and_links_resolve(web, crawl):
    statuses, _ = crawl
    for outlet in web.outlets:
        assert statuses[outlet.base_url + "/"] == 200
    broken = {url for url, status in statuses.items() if status not in (200, 301)}
    assert broken == {web.url("gazette", "/galleries/harbour-festival-2024.html")}
    assert {article.url for article in web.articles} <= set(statuses), "every article is reachable by links"


def test_robots_disallow_paths_that_pages_link_to(web, crawl):
    _, disallowed_links = crawl
    for outlet in web.outlets:
        status, headers, body = fetch(outlet.base_url + "/robots.txt")
        assert status == 200 and headers.get_content_type() == "text/plain"
        assert "Disallow: /" in body.decode()
        assert disallowed_links[outlet.slug], f"{outlet.slug} links a disallowed path"
        for url in disallowed_links[outlet.slug]:
            assert fetch(url)[0] == 200, "disallowed pages exist: only robots keeps a crawler out"


def test_rss_and_atom_feeds_list_live_articles(web):
    truth = {article.url for article in web.articles}
    for url in (web.url("ledger", "/feed.xml"), web.url("digest", "/feed/")):
        status, headers, body = fetch(url)
        assert status == 200 and headers.get_content_type() == "application/rss+xml"
        root = ET.fromstring(body)
        assert root.tag == "rss" and root.get("version") == "2.0"
        items = [item.findtext("link") for item in root.iter("item")]
        assert items and set(items) <= truth
        for link in items:
            assert fetch(link, method="HEAD")[0] == 200
    status, headers, body = fetch(web.url("courier", "/feed/atom.xml"))
    assert status == 200 and headers.get_content_type() == "application/atom+xml"
    root = ET.fromstring(body)
    entries = [entry.find(f"{ATOM}link[@rel='alternate']").get("href") for entry in root.iter(f"{ATOM}entry")]
    assert len(entries) == sum(article.outlet == "courier" for article in web.articles)
    assert set(entries) <= truth
    for link in entries:
        assert fetch(link)[0] == 200


def test_sitemap_index_and_sitemaps(web):
    status, _, body = fetch(web.url("ledger", "/sitemap_index.xml"))
    assert status == 200
    index = ET.fromstring(body)
    assert index.tag == f"{SM}sitemapindex"
    sitemaps = [loc.text for loc in index.iter(f"{SM}loc")]
    assert len(sitemaps) >= 2
    listed = set()
    for sitemap in sitemaps + [web.url("gazette", "/sitemap.xml")]:
        status, _, body = fetch(sitemap)
        assert status == 200
        urlset = ET.fromstring(body)
        assert urlset.tag == f"{SM}urlset"
        for url in urlset.iter(f"{SM}url"):
            listed.add(url.findtext(f"{SM}loc"))
    for url in listed:
        assert fetch(url, method="HEAD")[0] == 200, url
    outlets = {"ledger", "gazette"}
    assert {a.url for a in web.articles if a.outlet in outlets} <= listed


def test_google_news_sitemap(web):
    status, _, body = fetch(web.url("ledger", "/news-sitemap.xml"))
    assert status == 200
    urls = list(ET.fromstring(body).iter(f"{SM}url"))
    assert len(urls) == sum(article.outlet == "ledger" for article in web.articles)
    for url in urls:
        assert url.find(f"{NEWS}news/{NEWS}publication_date").text.startswith("2025-03-")
        assert url.find(f"{NEWS}news/{NEWS}publication/{NEWS}name").text == "The Northern Ledger"


def test_old_url_redirects_permanently_to_article(web):
    old = web.url("ledger", "/world/2025/03/10/norvale-energy-minister-travels-to-tazrit/")
    status, headers, _ = fetch(old, follow=False)
    assert status == 301
    target = urljoin(old, headers["Location"])
    origin = next(a for a in web.articles if a.outlet == "ledger" and a.relation == "origin")
    assert target == origin.url
    assert fetch(target)[0] == 200


def test_missing_pages_are_404(web):
    assert fetch(web.url("gazette", "/galleries/harbour-festival-2024.html"))[0] == 404
    for outlet in web.outlets:
        status, headers, _ = fetch(outlet.base_url + "/no/such/page/")
        assert status == 404 and headers.get_content_type() == "text/html"


def test_windows_1252_outlet(web):
    status, headers, body = fetch(web.url("courier", "/culture/"))
    assert status == 200
    assert headers.get_content_charset() == "windows-1252"
    for article in (a for a in web.articles if a.outlet == "courier"):
        status, headers, body = fetch(article.url)
        assert headers.get_content_charset() == "windows-1252"
        page = body.decode("cp1252")
        assert 'charset=windows-1252' in page
        assert article.title in html.unescape(page)
    identical = next(a for a in web.articles if a.outlet == "courier" and a.relation == "identical")
    body = fetch(identical.url)[2]
    assert "\u2019".encode("cp1252") in body and "\u00d8stergaard".encode("cp1252") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    film = next(a for a in web.articles if "Almeida" in a.title)
    page = fetch(film.url)[2].decode("cp1252")
    assert "José Almeida" in page and "Anja Müller" in page


def test_gzip_when_asked(web):
    url = web.url("ledger", "/")
    plain_status, plain_headers, plain = fetch(url)
    assert plain_headers.get("Content-Encoding") is None
    status, headers, body = fetch(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain
    assert headers["ETag"] != plain_headers["ETag"] and "Accept-Encoding" in headers["Vary"]
    courier = fetch(web.url("courier", "/"), headers={"Accept-Encoding": "gzip"})[1]
    assert courier.get("Content-Encoding") is None


def test_chunked_transfer_encoding(web):
    status, headers, body = fetch(web.url("courier", "/europe/"))
    assert status == 200
    assert headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in headers
    assert body.rstrip().endswith(b"</html>")
    port = urlsplit(web.outlet("courier").base_url).port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n")
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, payload = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"Transfer-Encoding: chunked" in head
    assert payload.endswith(b"0\r\n\r\n")


def test_validators_head_and_conditional_get(web):
    article = web.articles[0]
    status, headers, body = fetch(article.url)
    assert headers["Last-Modified"].endswith("GMT") and headers["ETag"].startswith('"')
    head_status, head_headers, head_body = fetch(article.url, method="HEAD")
    assert head_status == 200 and head_body == b""
    assert head_headers["ETag"] == headers["ETag"]
    assert head_headers["Content-Length"] == str(len(body))
    assert fetch(article.url, headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(article.url, headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304


def test_every_article_page_contains_its_text(web):
    for article in web.articles:
        status, headers, body = fetch(article.url, headers={"Accept-Encoding": "gzip"})
        assert status == 200, article.url
        assert headers.get_content_type() == "text/html"
        page = html.unescape(decode(headers, body))
        assert article.paragraphs[0] in page, article.url
        assert article.title in page


def test_metadata_differs_by_outlet(web):
    for article in web.articles:
        page = decode(*fetch(article.url)[1:])
        has_og = 'property="og:type" content="article"' in page
        has_ld = '"@type": "NewsArticle"' in page
        has_time = 'property="article:published_time"' in page
        if article.outlet == "ledger":
            assert has_og and has_ld
        elif article.outlet in ("courier", "digest"):
            assert has_og and has_time and not has_ld
        else:
            assert not (has_og or has_ld or has_time or "<h1" in page)
    meta_only = [a for a in web.articles if a.outlet == "gazette"
                 and fetch(a.url)[1].get_content_charset() is None]
    assert len(meta_only) == 1
    assert '<meta charset="utf-8">' in fetch(meta_only[0].url)[2].decode("utf-8")


def test_ground_truth(web):
    assert len(web.outlets) >= 3 and len({o.base_url for o in web.outlets}) == len(web.outlets)
    assert 25 <= len(web.articles) <= 40
    assert len({a.url for a in web.articles}) == len(web.articles)
    assert all(a.relation in RELATIONS for a in web.articles)
    stories = Counter(a.story for a in web.articles)
    multi = [story for story, count in stories.items() if count >= 3]
    assert len(multi) >= 2
    for story, count in stories.items():
        relations = Counter(a.relation for a in web.articles if a.story == story)
        if count > 1:
            assert relations["origin"] == 1 and relations["unrelated"] == 0, story
        else:
            assert relations["unrelated"] == 1, story
    kinds = Counter(a.relation for a in web.articles if a.story in multi)
    assert {"origin", "identical", "near-identical", "excerpt", "rewrite"} <= set(kinds)
    sharing = {a.story for a in web.articles if any(p in a.paragraphs for p in BACKGROUND)}
    assert len(sharing - set(multi)) >= 5, "hard negatives share the agency background verbatim"
    for article in web.articles:
        assert article.published.startswith("2025-03-1") and article.url.startswith("http://127.0.0.1:")
    origin = next(a for a in web.articles if a.relation == "origin" and a.story == multi[0])
    assert 600 <= len(origin.text.split()) <= 900


def test_deterministic_content(web):
    def normalised(demo):
        return [(a.url.split("/", 3)[3], a.outlet, a.story, a.relation, a.title, a.published, a.text)
                for a in demo.articles]

    with DemoWeb() as other:
        assert normalised(other) == normalised(web)
        first = fetch(web.url("gazette", "/region/"))[2]
        second = fetch(other.url("gazette", "/region/"))[2]
        assert first.replace(web.outlet("ledger").base_url.encode(), b"") == \
            second.replace(other.outlet("ledger").base_url.encode(), b"")


def test_quiet_and_stoppable(capfd):
    web = DemoWeb().start()
    try:
        url = web.seeds[0]
        assert fetch(url)[0] == 200
        assert fetch(web.url("ledger", "/missing"))[0] == 404
        for outlet in web.outlets:  # clients that hang up mid-answer leave no traceback either
            port = urlsplit(outlet.base_url).port
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(b"GET / HTTP/1.1\r\nHost: demo\r\n\r\n")
        assert fetch(web.url("digest", "/feed/"))[0] == 200
    finally:
        web.stop()
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def test_stop_closes_kept_alive_connections():
    web = DemoWeb().start()
    port = urlsplit(web.outlet("ledger").base_url).port
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/robots.txt")
        first = connection.getresponse()
        assert first.status == 200 and first.read()
        connection.request("HEAD", "/")
        assert connection.getresponse().status == 200, "HTTP/1.1 keep-alive serves several requests"
        web.stop()
        with pytest.raises((OSError, http.client.HTTPException)):
            connection.request("GET", "/")
            connection.getresponse()
    finally:
        connection.close()
        web.stop()
