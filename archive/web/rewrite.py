"""Point an archived page's links and resources back into the archive, as pywb does.

Only URL-bearing attributes are touched (``a``/``area`` href and SVG xlink:href,
``img``/``source``/``input`` src and srcset, ``link`` href, CSS ``url()`` and ``@import`` in ``<style>``, ``style=`` and
stylesheets); every other byte stays as archived. Each URL becomes
``/replay/go?url=ABSOLUTE&at=TIMESTAMP``, which answers with the capture of that URL closest
in time, so following a link or loading an image never leaves the archive. Links (``a`` and
``area``) also get ``view=page`` and ``target="_top"``: a click opens the archived page with
its bar, so the bar names the page shown. Scripts are not rewritten: the replay sandbox never
runs them.
"""

from __future__ import annotations

import html
import re
from typing import Callable
from urllib.parse import urlencode, urljoin, urlsplit

URL_TAGS = {b"a", b"area", b"img", b"source", b"input", b"link", b"image", b"use", b"body", b"table",
            b"td", b"th"}
URL_ATTRS = {b"href", b"xlink:href", b"src", b"background"}
RAW_TEXT = {b"script": re.compile(rb"</script", re.I), b"style": re.compile(rb"</style", re.I),
            b"textarea": re.compile(rb"</textarea", re.I), b"title": re.compile(rb"</title", re.I)}
MAX_REWRITE = 20 * 1024 * 1024  # larger bodies are served as archived
_TAG_OPEN = re.compile(rb"<(!--|/?[A-Za-z][^\s/>]*)")
_ATTRIBUTE = re.compile(rb"""[\s/]*([^\s"'>/=][^\s"'>/=]*)(\s*=\s*)?""")
_VALUE = re.compile(rb"""("[^"]*"|'[^']*'|[^\s>]+)""")
# possessive runs that stop at "(": linear on hostile input such as "url(url(url(..."
_CSS_URL = re.compile(rb"""(url\(\s*+)("[^"]*"|'[^']*'|[^()\s"']*+)(\s*+\))|(@import\s++)("[^"]*"|'[^']*')""",
                      re.I)
_KEEP = ("data:", "javascript:", "mailto:", "tel:", "about:", "blob:", "#")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)


LINK_TAGS = {b"a", b"area"}
TOP = b'"_top"'


def go_url(url: str, at: str, key: str | None = None, view: str | None = None) -> str:
    """The archive address of ``url`` as captured closest to ``at`` (``view="page"``: shown
    with the UI's bar rather than on its own)."""
    query = {"url": url, "at": at, **({"k": key} if key else {}), **({"view": view} if view else {})}
    return "/replay/go?" + urlencode(query)


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
    def __init__(self, base_url: str, at: str, charset: str = "utf-8", key: str | None = None):
        self.base_url = base_url
        self.at = at
        self.key = key
        try:
            "".encode(charset)
            self.charset = charset
        except LookupError:
            self.charset = "utf-8"

    def url(self, value: str, view: str | None = None) -> str | None:
        value = value.strip()
        if not value or value.lower().startswith(_KEEP):
            return None
        absolute = urljoin(self.base_url, value)
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            return None
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if view:
            return go_url(absolute.split("#", 1)[0], self.at, view=view) + fragment
        return go_url(absolute.split("#", 1)[0], self.at, self.key) + fragment

    def _link(self, value: str) -> str | None:
        return self.url(value, view="page")

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
                if match.group(2)[:1] not in (b'"', b"'"):  # unquoted: stays so (it may sit in style="")
                    quote = b""
                new = self.url(inner.decode(self.charset, "replace"))
                if new is None:
                    return match.group(0)
                return match.group(1) + quote + new.encode("ascii") + quote + match.group(3)
            inner, quote = _unquote(match.group(5))
            new = self.url(inner.decode(self.charset, "replace"))
            return match.group(0) if new is None else match.group(4) + quote + new.encode("ascii") + quote
        return _CSS_URL.sub(replace, css)

    def _tags(self, body: bytes):
        """One left-to-right pass over the markup, linear in its length (archived pages are
        hostile: no backtracking over unterminated quotes or tags). Yields
        (tag name, [(attribute name, value start, value end)], end of tag)."""
        pos, size = 0, len(body)
        while True:
            start = body.find(b"<", pos)
            if start < 0:
                return
            opened = _TAG_OPEN.match(body, start)
            if opened is None:
                pos = start + 1
                continue
            if opened.group(1) == b"<!--"[1:]:
                close = body.find(b"-->", opened.end())
                pos = size if close < 0 else close + 3
                continue
            name = opened.group(1).lower()
            pos, attrs = opened.end(), []
            while pos < size and body[pos:pos + 1] != b">":
                attr = _ATTRIBUTE.match(body, pos)
                if attr is None or attr.end() == pos:
                    pos += 1
                    continue
                pos = attr.end()
                if attr.group(2) is not None:
                    value = _VALUE.match(body, pos)
                    if value is None:
                        continue
                    attrs.append((attr.group(1).lower(), value.start(), value.end()))
                    pos = value.end()
                elif body[pos:pos + 1] in (b'"', b"'"):
                    pos += 1
            if pos >= size:  # an unterminated tag or quote: the rest is not markup
                return
            pos += 1
            yield name, attrs, pos
            if name in RAW_TEXT:
                close = RAW_TEXT[name].search(body, pos)
                if name == b"style":
                    yield b"#css", [(b"", pos, size if close is None else close.start())], pos
                pos = size if close is None else close.start()

    def html(self, body: bytes) -> bytes:
        for name, attrs, _ in self._tags(body):
            if name == b"base":
                for attr, start, end in attrs:
                    if attr == b"href":
                        declared = html.unescape(_unquote(body[start:end])[0].decode(self.charset, "replace"))
                        if declared.strip():
                            self.base_url = urljoin(self.base_url, declared.strip())
                break
        out, pos = [], 0
        for name, attrs, tag_end in self._tags(body):
            for start, end, new in sorted(self._edits(body, name, attrs, tag_end)):
                out += [body[pos:start], new]
                pos = end
        out.append(body[pos:])
        return b"".join(out)

    def _edits(self, body: bytes, name: bytes, attrs, tag_end: int) -> list[tuple[int, int, bytes]]:
        """(start, end, new bytes) of each attribute value rewritten in one tag."""
        edits, target, linked = [], None, False
        for attr, start, end in attrs:
            if name == b"#css":
                new = self.css(body[start:end])
            elif attr == b"style":
                inner, quote = _unquote(body[start:end])
                new = quote + self.css(inner) + quote if quote == body[start:start + 1] else None
            elif name in LINK_TAGS and attr == b"href":
                new = self._attr_value(body[start:end], self._link)
                linked = new != body[start:end]
            elif name in LINK_TAGS and attr == b"target":
                if target is None:  # the first of duplicate attributes is the one that counts
                    target = (start, end)
                continue
            elif name in URL_TAGS and attr in URL_ATTRS:
                new = self._attr_value(body[start:end], self.url)
            elif name in URL_TAGS and attr == b"srcset":
                new = self._attr_value(body[start:end], self._srcset)
            else:
                continue
            if new is not None:
                edits.append((start, end, new))
        if linked:
            if target is not None:
                edits.append((*target, TOP))
            else:
                close = tag_end - 2 if body[tag_end - 2:tag_end] == b"/>" else tag_end - 1
                edits.append((close, close, b" target=" + TOP))
        return edits


def rewrite_body(body: bytes, content_type: str, url: str, at: str, key: str | None = None) -> bytes:
    """``body`` with its URLs pointing into the archive when it is HTML or CSS (carrying
    ``key`` when given)."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if len(body) > MAX_REWRITE:
        return body
    if mime in ("text/html", "application/xhtml+xml"):
        return Rewriter(url, at, charset_of(content_type, body), key).html(body)
    if mime == "text/css":
        return Rewriter(url, at, charset_of(content_type, body), key).css(body)
    return body
