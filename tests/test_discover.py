"""Document kinds from bodies, feed and sitemap links."""

from __future__ import annotations

import gzip

import pytest

from archive.discover import feed_links, sitemap_entries, sniff, ungzip

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment first -->
<rss version="2.0"><channel><title>N</title>
<item><title>A</title><link>https://n.test/a</link></item>
<item><title>B</title><link> https://n.test/b </link><guid>x</guid></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><link rel="self" href="https://n.test/self"/><link rel="alternate" href="https://n.test/c"/></entry>
<entry><link href="https://n.test/d"/></entry></feed>"""
INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://n.test/s1.xml</loc><lastmod>2025-03-10</lastmod></sitemap></sitemapindex>"""
NEWS = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://n.test/e</loc>
<news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2025-03-10T09:20:00Z</news:publication_date><news:title>E</news:title></news:news></url></urlset>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url><url><loc>https://n.test/f</loc></url></urlset>"""


@pytest.mark.parametrize("body,content_type,kind", [
    (RSS, "text/html", "feed"),  # the body decides, not the declared type
    (ATOM, None, "feed"),
    (INDEX, "application/xml", "sitemapindex"),
    (NEWS, "text/xml", "sitemap"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "application/octet-stream", "html"),
    (b"<p>no doctype</p>", None, "html"),
    (b"\x1f\x8b\x08\x00", "application/xml", "gzip"),
    (b"%PDF-1.4", "application/pdf", "other"),
    (b'\xef\xbb\xbf<?xml version="1.0"?><rss/>', None, "feed"),
])
def test_sniff(body, content_type, kind):
    assert sniff(body, content_type) == kind


def test_feed_links_rss_and_atom():
    assert feed_links(RSS) == ["https://n.test/a", "https://n.test/b"]
    assert feed_links(ATOM) == ["https://n.test/c", "https://n.test/d"]


def test_sitemap_entries_with_news_fields_and_index():
    (entry,) = sitemap_entries(NEWS)
    assert entry.url == "https://n.test/e"
    assert entry.news_title == "E" and entry.news_published == "2025-03-10T09:20:00Z"
    (sub,) = sitemap_entries(INDEX)
    assert sub.url == "https://n.test/s1.xml" and sub.lastmod == "2025-03-10"


def test_external_entities_are_not_resolved():
    urls = [e.url for e in sitemap_entries(XXE)]
    assert urls == ["https://n.test/f"]


def test_gzip_sitemaps_and_bombs():
    assert sniff(ungzip(gzip.compress(INDEX)), None) == "sitemapindex"
    with pytest.raises(ValueError):
        ungzip(gzip.compress(b"0" * 2_000_000), limit=1_000_000)


def test_garbage_feed_raises_value_error():
    with pytest.raises(ValueError):
        feed_links(b"")
