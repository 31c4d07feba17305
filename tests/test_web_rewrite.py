"""Archived pages' URLs pointed into the archive: which are rewritten, which are left alone."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from archive.web.rewrite import charset_of, go_url, rewrite_body

PAGE = "https://news.example/world/story.html"
AT = "20250310090000"


def target(rewritten: str) -> str:
    query = parse_qs(urlsplit(rewritten).query)
    assert query["at"] == [AT]
    return query["url"][0]


def html(body: str, content_type: str = "text/html; charset=utf-8") -> str:
    return rewrite_body(body.encode("utf-8"), content_type, PAGE, AT).decode("utf-8")


def test_links_and_resources_are_resolved_and_pointed_into_the_archive():
    out = html('<a href="../politics/a.html?x=1&amp;y=2#top">A</a><img src=/img/p.jpg alt=x>'
               "<link rel=stylesheet href='//cdn.example/s.css'><area href=\"b.html\">")
    link = go_url("https://news.example/politics/a.html?x=1&y=2", AT, view="page")
    assert f'href="{link}#top" target="_top"'.replace("&", "&amp;") in out
    assert go_url("https://news.example/img/p.jpg", AT).replace("&", "&amp;") in out
    assert go_url("https://cdn.example/s.css", AT).replace("&", "&amp;") in out
    assert go_url("https://news.example/world/b.html", AT, view="page").replace("&", "&amp;") in out
    assert "alt=x>" in out  # the rest of the tag as archived


def test_links_open_the_archived_page_with_its_bar():
    """A followed link replaces the whole UI page (banner and frame), so the banner names the
    page shown: ``view=page`` and ``target="_top"``, whatever target the page gave."""
    out = html('<a target="_blank" href="/a.html" target="x">a</a><area href="/b.html"/>'
               '<a href="#here" target="_blank">c</a><a name="anchor">d</a>')
    a_link = go_url("https://news.example/a.html", AT, view="page").replace("&", "&amp;")
    b_link = go_url("https://news.example/b.html", AT, view="page").replace("&", "&amp;")
    assert f'<a target="_top" href="{a_link}" target="x">a</a>' in out  # the first target counts
    assert f'<area href="{b_link}" target="_top"/>' in out
    assert '<a href="#here" target="_blank">c</a><a name="anchor">d</a>' in out  # not links out


def test_unquoted_css_urls_stay_unquoted_inside_style_attributes():
    out = html('<div style="background:url(/bg.png)">x</div>')
    value = go_url("https://news.example/bg.png", AT)
    assert f'<div style="background:url({value})">' in out


def test_srcset_style_and_base_href():
    out = html('<base href="https://static.example/assets/"><img srcset="a.jpg 1x, b.jpg 2x" src="a.jpg">'
               '<div style="background: url(\'bg.png\')">x</div>'
               "<style>@import 'print.css'; body { background: url(/tile.gif) }</style>")
    for url in ("https://static.example/assets/a.jpg", "https://static.example/assets/b.jpg",
                "https://static.example/assets/bg.png", "https://static.example/assets/print.css",
                "https://static.example/tile.gif"):
        assert go_url(url, AT) in out.replace("&amp;", "&"), url
    assert " 2x" in out


def test_what_is_left_alone():
    body = ('<a href="#section">in page</a><a href="mailto:desk@news.example">mail</a>'
            '<a href="javascript:void(0)">js</a><img src="data:image/png;base64,AAAA">'
            "<script src=\"/app.js\">fetch('/x')</script><p>see url(notes) in the text</p>"
            '<div data-href="/not-a-link">d</div>')
    assert html(body) == body


def test_css_and_other_types():
    css = rewrite_body(b"h1 { background: url(\"/h.png\") }", "text/css", PAGE, AT).decode()
    assert target(css.split('"')[1]) == "https://news.example/h.png"
    data = b'{"href": "/x"}'
    assert rewrite_body(data, "application/json", PAGE, AT) == data


def test_charsets():
    assert charset_of("text/html; charset=ISO-8859-1", b"") == "ISO-8859-1"
    assert charset_of("text/html", b'<meta charset="windows-1252">') == "windows-1252"
    assert charset_of("text/html", b"<p>") == "utf-8"
    latin = '<a href="/caf\xe9.html">caf\xe9</a>'.encode("latin-1")
    out = rewrite_body(latin, "text/html; charset=latin-1", PAGE, AT)
    assert "caf\xe9</a>".encode("latin-1") in out
    assert target(out.split(b'"')[1].decode().replace("&amp;", "&")) == "https://news.example/caf\xe9.html"
    assert rewrite_body(b'<a href="/x">', "text/html; charset=no-such-charset", PAGE, AT).startswith(b'<a href="/replay/go?')


def test_quoted_angle_brackets_and_svg_links():
    out = html('<a title="a > b" href="/after.html">x</a><svg><a xlink:href="/svg.html"><text>s</text></a>'
               '<image href="/i.png"/></svg>')
    for url in ("https://news.example/after.html", "https://news.example/svg.html", "https://news.example/i.png"):
        assert go_url(url, AT) in out.replace("&amp;", "&"), url
    assert 'title="a > b"' in out


@pytest.mark.parametrize("body", [
    b'<a title="' * 100_000, b"<a " + b"x" * 1_000_000, (b"<a href=/x title='") * 50_000,
    b"<style>" + b"url(" * 200_000, b'<p style="' * 100_000, b'<a href="' + b"<a " * 300_000,
    b"<!--" + b"<a href=x>" * 100_000, b"<style>" + b"@import " * 200_000,
], ids=["quotes", "long-tag", "single-quotes", "css-url", "style-attrs", "open-tags", "comment", "imports"])
def test_hostile_markup_is_rewritten_in_linear_time(body):
    # a backtracking rewrite takes minutes on these megabyte pages; one pass takes well under a second
    started = time.perf_counter()
    rewrite_body(body, "text/html", PAGE, AT)
    assert time.perf_counter() - started < 10
