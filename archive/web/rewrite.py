"""Point an archived page's links and resources back into the archive, as pywb does.

Only URL-bearing attributes are touched (``a``/``area`` href, ``img``/``source``/``input``
src and srcset, ``link`` href, CSS ``url()`` and ``@import`` in ``<style>``, ``style=`` and
stylesheets); every other byte stays as archived. Each URL becomes
``/replay/go?url=ABSOLUTE&at=TIMESTAMP``, which answers with the capture of that URL closest
in time, so following a link or loading an image never leaves the archive. Scripts are not
rewritten: the replay sandbox never runs them.
"""

from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import urlencode, urljoin, urlsplit

_TAG = re.compile(rb"<(a|area|img|source|input|link|image|body|table|td|th)\b[^>]*>", re.I)
_ATTR = re.compile(rb"""(?<![\w:.-])(href|src|srcset|background)(\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
_STYLE_ATTR = re.compile(rb"""(?<![\w:.-])(style\s*=\s*)("[^"]*"|'[^']*')""", re.I)
_STYLE_BLOCK = re.compile(rb"(<style\b[^>]*>)(.*?)(</style\s*>)", re.I | re.S)
_BASE = re.compile(rb"""<base\b[^>]*?\bhref\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
_CSS_URL = re.compile(rb"""(url\(\s*)("[^"]*"|'[^']*'|[^)\s"']*)(\s*\))|(@import\s+)("[^"]*"|'[^']*')""", re.I)
_KEEP = ("data:", "javascript:", "mailto:", "tel:", "about:", "blob:", "#")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


def go_url(url: str, at: str) -> str:
    """The archive address of ``url`` as captured closest to ``at``."""
    return "/replay/go?" + urlencode({"url": url, "at": at})


def _unquote(raw: bytes) -> tuple[bytes, bytes]:
    if raw[:1] in (b'"', b"'") and raw[-1:] == raw[:1]:
        return raw[1:-1], raw[:1]
    return raw, b'"'


def charset_of(content_type: str, body: bytes) -> str:
    found = _CHARSET.search(content_type or "")
    if found:
        return found.group(1)
    meta = _META_CHARSET.search(body[:4096])
    return meta.group(1).decode("ascii", "replace") if meta else "utf-8"


class Rewriter:
    def __init__(self, base_url: str, at: str, charset: str = "utf-8"):
        self.base_url = base_url
        self.at = at
        try:
            "".encode(charset)
            self.charset = charset
        except LookupError:
            self.charset = "utf-8"

    def url(self, value: str) -> str | None:
        value = value.strip()
        if not value or value.lower().startswith(_KEEP):
            return None
        absolute = urljoin(self.base_url, value)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return None
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        return go_url(absolute.split("#", 1)[0], self.at) + fragment

    def _attr_value(self, raw: bytes, rewrite: Callable[[str], str | None]) -> bytes:
        inner, quote = _unquote(raw)
        text = html.unescape(inner.decode(self.charset, "replace"))
        new = rewrite(text)
        if new is None:
            return raw
        return quote + html.escape(new, quote=True).encode("ascii") + quote

    def _srcset(self, value: str) -> str | None:
        out = []
        for candidate in value.split(","):
            pieces = candidate.strip().split(None, 1)
            if not pieces:
                continue
            url = self.url(pieces[0]) or pieces[0]
            out.append(" ".join([url, *pieces[1:]]))
        return ", ".join(out)

    def css(self, css: bytes) -> bytes:
        def replace(match: re.Match) -> bytes:
            if match.group(1) is not None:
                inner, quote = _unquote(match.group(2))
                new = self.url(inner.decode(self.charset, "replace"))
                if new is None:
                    return match.group(0)
                return match.group(1) + quote + new.encode("ascii") + quote + match.group(3)
            inner, quote = _unquote(match.group(5))
            new = self.url(inner.decode(self.charset, "replace"))
            return match.group(0) if new is None else match.group(4) + quote + new.encode("ascii") + quote
        return _CSS_URL.sub(replace, css)

    def html(self, body: bytes) -> bytes:
        base = _BASE.search(body)
        if base:
            declared = html.unescape(_unquote(base.group(1))[0].decode(self.charset, "replace")).strip()
            if declared:
                self.base_url = urljoin(self.base_url, declared)

        def tag(match: re.Match) -> bytes:
            def attr(m: re.Match) -> bytes:
                rewrite = self._srcset if m.group(1).lower() == b"srcset" else self.url
                return m.group(1) + m.group(2) + self._attr_value(m.group(3), rewrite)
            return _ATTR.sub(attr, match.group(0))

        def style_attr(match: re.Match) -> bytes:
            inner, quote = _unquote(match.group(2))
            return match.group(1) + quote + self.css(inner) + quote

        body = _TAG.sub(tag, body)
        body = re.sub(rb"<[a-z][^>]*\bstyle\s*=[^>]*>", lambda m: _STYLE_ATTR.sub(style_attr, m.group(0)),
                      body, flags=re.I)
        return _STYLE_BLOCK.sub(lambda m: m.group(1) + self.css(m.group(2)) + m.group(3), body)


def rewrite_body(body: bytes, content_type: str, url: str, at: str) -> bytes:
    """``body`` with its URLs pointing into the archive when it is HTML or CSS."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return Rewriter(url, at, charset_of(content_type, body)).html(body)
    if mime == "text/css":
        return Rewriter(url, at, charset_of(content_type, body)).css(body)
    return body
