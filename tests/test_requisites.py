"""Page requisites: stylesheets (with @import and url()), fonts, srcset and lazy images,
scripts, on the page's host and on a second host with its own robots.txt, fetched politely,
archived once per crawl, stored as revisits when unchanged on the next run, never articles."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from parsel import Selector

import sites
from archive.warc import iter_records
from conftest import run_crawl
from crawler.requisites import css_requisites, html_requisites

PROSE = " ".join(["The harbour authority said the new ferry timetable would add two crossings a day."] * 12)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_html_requisites_are_every_kind_a_page_loads():
    page = Selector(text="""<html><head>
      <link rel="stylesheet" href="/a.css"><link rel="icon" href="/fav.ico">
      <link rel="preload" as="font" href="/f.woff2"><link rel="alternate" href="/feed.xml">
      <style>body { background: url('/bg.png') }</style><script src="/app.js"></script></head><body>
      <img src="/i.jpg" srcset="/i-1x.jpg 1x, /i-2x.jpg 2x"><img data-src="/lazy.jpg" src="data:,">
      <picture><source srcset="/p.webp"><img src="/p.jpg"></picture>
      <video poster="/poster.jpg" src="/v.mp4"></video><div style="background:url(/d.png)"></div>
      <a href="/article.html">not a requisite</a></body></html>""")
    found = html_requisites(page)
    assert set(found) == {
        ("/a.css", "stylesheet"), ("/fav.ico", "image"), ("/f.woff2", "font"), ("/bg.png", "image"),
        ("/app.js", "script"), ("/i.jpg", "image"), ("/i-1x.jpg", "image"), ("/i-2x.jpg", "image"),
        ("/lazy.jpg", "image"), ("data:,", "image"), ("/p.webp", "image"), ("/p.jpg", "image"),
        ("/poster.jpg", "image"), ("/v.mp4", "media"), ("/d.png", "image")}


def test_css_requisites_follow_imports_fonts_and_images():
    css = """@import "base.css"; @import url(print.css) print;
      @font-face { src: url("/f/a.woff2") format("woff2"), url(/f/a.ttf) }
      h1 { background: url( 'img/h.png' ) } p { background: url(data:image/png;base64,AA) }"""
    assert css_requisites(css) == [
        ("base.css", "stylesheet"), ("print.css", "stylesheet"), ("/f/a.woff2", "font"), ("/f/a.ttf", "font"),
        ("img/h.png", "image"), ("data:image/png;base64,AA", "image")]


def page_routes(base: str, cdn: str) -> dict[str, sites.Route]:
    head = (f'<link rel="stylesheet" href="/css/site.css"><link rel="stylesheet" href="{cdn}/css/cdn.css">'
            f'<link rel="icon" href="/favicon.ico"><script src="{cdn}/js/app.js"></script>')
    home = (f"<!DOCTYPE html><html><head><title>Home</title>{head}</head><body>"
            '<img src="/img/logo.png" alt="logo"><a href="/a.html">Ferry timetable</a></body></html>')
    article = (f'<!DOCTYPE html><html><head><title>Ferry timetable</title>{head}'
               '<meta property="og:type" content="article">'
               '<meta property="article:published_time" content="2020-01-02T09:00:00Z"></head><body>'
               '<article><h1>Ferry timetable</h1><img src="/img/a.jpg" srcset="/img/a-1x.jpg 1x, /img/a-2x.jpg 2x">'
               '<img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/lazy.jpg">'
               f'<picture><source srcset="{cdn}/img/pic.webp"><img src="/img/logo.png"></picture>'
               f'<img src="{cdn}/private/secret.png"><p>{PROSE}</p><p>{PROSE}</p></article></body></html>')
    css = ('@import "/css/base.css"; body { background: url(/img/bg.png) }'
           ' @font-face { font-family: S; src: url("/fonts/serif.woff2") format("woff2") }')
    return {
        "/robots.txt": sites.Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/": sites.Route(home.encode()),
        "/a.html": sites.Route(article.encode()),
        "/css/site.css": sites.Route(css.encode(), "text/css"),
        "/css/base.css": sites.Route(b"h1 { font-family: S }", "text/css"),
        "/img/bg.png": sites.Route(PNG, "image/png"), "/img/logo.png": sites.Route(PNG, "image/png"),
        "/img/a.jpg": sites.Route(PNG, "image/jpeg"), "/img/a-1x.jpg": sites.Route(PNG, "image/jpeg"),
        "/img/a-2x.jpg": sites.Route(PNG, "image/jpeg"), "/img/lazy.jpg": sites.Route(PNG, "image/jpeg"),
        "/fonts/serif.woff2": sites.Route(b"wOF2" + b"\0" * 40, "font/woff2"),
        "/favicon.ico": sites.Route(PNG, "image/x-icon"),
    }


def cdn_routes(base: str) -> dict[str, sites.Route]:
    return {
        "/robots.txt": sites.Route(b"User-agent: *\nDisallow: /private/\nDisallow: /js/\n", "text/plain"),
        "/css/cdn.css": sites.Route(b"div { background: url(/img/cdn-bg.png) } i { background: url(/private/x.png) }",
                                    "text/css"),
        "/img/cdn-bg.png": sites.Route(PNG, "image/png"), "/img/pic.webp": sites.Route(PNG, "image/webp"),
        "/js/app.js": sites.Route(b"console.log(1)", "application/javascript"),
        "/private/secret.png": sites.Route(PNG, "image/png"), "/private/x.png": sites.Route(PNG, "image/png"),
    }


def records_by_url(archive: Path, names: set[str] | None = None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        if names is not None and path.name not in names:
            continue
        for record in iter_records(path, types=("response", "revisit")):
            found.setdefault(record.header("WARC-Target-URI"), []).append(record.rec_type)
    return found


@pytest.mark.slow
def test_requisites_are_archived_once_politely_and_revisited_when_unchanged(tmp_path):
    cdn = sites.serve(cdn_routes, host="127.0.0.2")
    site = sites.serve(lambda base: page_routes(base, cdn.base_url))
    archive = tmp_path / "archive"
    try:
        first = run_crawl([site.url("/")], archive, depth=1, settings=("STORIES_ENABLED=False",))
        assert first.returncode == 0, first.stderr[-4000:]
        first_files = {p.name for p in (archive / "warc").glob("*.warc.gz")}
        cdn_first = cdn.requested()
        site_first = site.requested()
        second = run_crawl([site.url("/")], archive, depth=1, settings=("STORIES_ENABLED=False",))
        assert second.returncode == 0, second.stderr[-4000:]
    finally:
        site.stop()
        cdn.stop()

    # robots.txt of each host obeyed: the CDN's disallowed files never requested
    assert not [p for p in cdn_first if p.startswith(("/private/", "/js/"))], cdn_first
    assert sorted(cdn_first) == ["/css/cdn.css", "/img/cdn-bg.png", "/img/pic.webp", "/robots.txt"]
    # every other requisite archived exactly once, the shared ones too
    captured = records_by_url(archive, first_files)
    expected = {site.url(p) for p in page_routes(site.base_url, cdn.base_url) if p not in ("/robots.txt", "/", "/a.html")}
    expected |= {cdn.url(p) for p in ("/css/cdn.css", "/img/cdn-bg.png", "/img/pic.webp")}
    for url in expected:
        assert captured.get(url) == ["response"], (url, captured.get(url))
    assert sorted(site_first).count("/css/site.css") == 1 and site_first.count("/img/logo.png") == 1
    # never articles; counted apart from pages
    db = sqlite3.connect(archive / "catalog.sqlite")
    try:
        assert {u for (u,) in db.execute("SELECT url FROM articles")} == {site.url("/a.html")}
    finally:
        db.close()
    stats = first.stats
    assert stats["requisites/captured"] == len(expected)
    assert stats["wirecopy/pages"] == 2
    assert stats["requisites/requested/font"] == 1 and stats["requisites/requested/stylesheet"] >= 3
    # the next run: what was fetched again is unchanged, so stored as revisits
    again = records_by_url(archive, {p.name for p in (archive / "warc").glob("*.warc.gz")} - first_files)
    refetched = {u: kinds for u, kinds in again.items() if u in expected}
    assert site.url("/css/site.css") in refetched and site.url("/img/logo.png") in refetched
    assert all(kinds == ["revisit"] for kinds in refetched.values()), refetched


def test_requisites_settings_are_read_and_checked():
    from scrapy.settings import Settings

    from crawler import settings as defaults
    from crawler.requisites import RequisitesConfig

    settings = Settings()
    settings.setmodule(defaults)
    config = RequisitesConfig.from_settings(settings)
    assert config.enabled and config.types == {"stylesheet", "image", "font", "script", "media"}
    assert config.allows("https://cdn.example/x.css")  # no host list: any host
    settings.set("REQUISITES_HOSTS", "example.com, static.example.net")
    settings.set("REQUISITES_TYPES", "stylesheet,image")
    config = RequisitesConfig.from_settings(settings)
    assert config.allows("https://img.example.com/a.png") and config.allows("https://static.example.net/s.css")
    assert not config.allows("https://cdn.other.example/a.png")
    assert config.types == {"stylesheet", "image"}
    settings.set("REQUISITES_TYPES", "image,video")
    with pytest.raises(ValueError, match="REQUISITES_TYPES: unknown types \\['video'\\]"):
        RequisitesConfig.from_settings(settings)
