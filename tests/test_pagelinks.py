"""The spider's page links: the links Scrapy's LinkExtractor finds, resolved once per crawl, and
links already followed from a page as near the seeds not handed to the scheduler again."""

from __future__ import annotations

from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from crawler.pagelinks import FollowedLinks, PageLinks

PAGE = """<html><head><title>t</title>{base}</head><body>
<a href="/news/a.html">root-relative</a> <a href=" b.html ">relative, spaces</a>
<a href="../up.html">up</a> <a href="https://other.example/x?q=1">absolute</a>
<a href="//cdn.example/y">scheme-relative</a> <a href="/news/a.html#comments">fragment</a>
<a href="javascript:void(0)">js</a> <a href="mailto:desk@example.com">mail</a>
<a href="ftp://files.example/f">ftp</a> <a href="file:///etc/passwd">file</a>
<a href="/report.PDF">pdf</a> <a href="/dump.tar.gz">tarball</a> <a href="/feed.gz-notes">not an extension</a>
<a href="/search?q=café">non-ASCII</a> <a>no href</a> <area href="/map-area.html">
<a href="http://[bogus">bogus</a> <a href="/news/a.html">again</a></body></html>"""


def response(url: str, base: str = "", encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(url, body=PAGE.format(base=base).encode(encoding), encoding=encoding)


def extractor_links(resp: HtmlResponse) -> set[str]:
    """What the spider followed before: the extractor's http(s) links, fragments aside."""
    links = LinkExtractor(unique=True, canonicalize=False).extract_links(resp)
    return {link.url.split("#")[0] for link in links if link.url.startswith(("http://", "https://"))}


def test_page_links_are_the_link_extractors_http_links():
    for resp in (response("https://site.example/news/today/page.html"),
                 response("https://site.example/news/today/page.html", '<base href="https://mirror.example/b/">'),
                 response("http://site.example:8080/index.html", encoding="latin-1")):
        links = PageLinks()(resp)
        assert set(links) == extractor_links(resp)
        assert len(links) == len(set(links))
        assert not any(u.startswith(("ftp:", "file:", "javascript:", "mailto:")) for u in links)
        assert not any(u.lower().endswith((".pdf", ".tar.gz")) for u in links)
        assert any(u.endswith("/feed.gz-notes") for u in links)


def test_a_cached_href_resolves_by_the_page_it_is_on():
    links = PageLinks()
    first = links(response("https://site.example/news/today/page.html"))
    again = links(response("https://site.example/news/today/page.html"))
    elsewhere = links(response("https://site.example/opinion/page.html"))
    assert first == again
    assert "https://site.example/news/today/b.html" in first
    assert "https://site.example/opinion/b.html" in elsewhere and "https://site.example/news/today/b.html" not in elsewhere
    assert "https://site.example/up.html" in elsewhere and "https://site.example/news/up.html" in first
    other_site = links(response("https://other.example/news/today/page.html"))
    assert "https://other.example/news/a.html" in other_site and "https://site.example/news/a.html" not in other_site


def test_a_fragment_does_not_make_another_link():
    links = PageLinks()(response("https://site.example/p.html"))
    assert [u for u in links if u.startswith("https://site.example/news/a.html")] == ["https://site.example/news/a.html"]


def test_a_link_is_followed_again_only_from_nearer_the_seeds():
    followed = FollowedLinks()
    assert followed.first_time("https://s.example/a", hops=2, depth=2)
    assert not followed.first_time("https://s.example/a", hops=2, depth=2)
    assert not followed.first_time("https://s.example/a#top", hops=3, depth=5)
    assert followed.first_time("https://s.example/a", hops=1, depth=2)  # fewer hops: may go further
    assert followed.first_time("https://s.example/a", hops=1, depth=1)
    assert not followed.first_time("https://s.example/a", hops=2, depth=3)
    assert len(followed) == 1
