"""A local HTTP forward proxy that answers from canned pages (benchmark helper).

A crawler run with ``http_proxy=http://127.0.0.1:PORT`` sends absolute-form
requests (``GET http://host/path HTTP/1.1``) here; pages are looked up by URL,
so a crawl sees the original host names and paths without any network access.
Anything not in the table (``/robots.txt`` included) gets a 404. Only plain
``http://`` URLs can be answered: an ``https://`` URL would arrive as a
``CONNECT`` tunnel, and answering inside it would need TLS interception.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import safe_url_string

logger = logging.getLogger(__name__)


def url_key(url: str) -> str:
    """Lookup key for a page URL: scheme forced to http, no fragment,
    percent-encoded the way Scrapy encodes request URLs."""
    parts = urlsplit(safe_url_string(url.strip()))
    return urlunsplit(("http", parts.netloc.lower(), parts.path or "/", parts.query, ""))


class CannedProxy:
    """Serve ``pages`` (URL -> body bytes) as a forward proxy on 127.0.0.1.

    Use as a context manager; ``url`` is the proxy address for ``http_proxy``.
    Bodies go out as ``Content-Type: text/html`` without a charset, so the
    client has to work the encoding out from the bytes, as with many real sites.
    """

    def __init__(self, pages: Mapping[str, bytes], content_type: str = "text/html") -> None:
        self.pages = {url_key(u): body for u, body in pages.items()}
        self.content_type = content_type
        self.hits: dict[str, int] = {}
        self.misses: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("proxy not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> CannedProxy:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def lookup(self, target: str, host_header: str | None) -> bytes | None:
        """The body for a request target (absolute or origin form), or None."""
        if target.startswith("/"):
            if not host_header:
                return None
            target = f"http://{host_header}{target}"
        key = url_key(target)
        body = self.pages.get(key)
        with self._lock:
            if body is None:
                self.misses.append(target)
            else:
                self.hits[key] = self.hits.get(key, 0) + 1
        return body

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "wirecopy-bench-proxy"

            def do_GET(self) -> None:
                self._answer(send_body=True)

            def do_HEAD(self) -> None:
                self._answer(send_body=False)

            def do_CONNECT(self) -> None:
                self.send_error(501, "CONNECT not supported: use http:// URLs")

            def _answer(self, send_body: bool) -> None:
                body = proxy.lookup(self.path, self.headers.get("Host"))
                if body is None:
                    status, ctype, body = 404, "text/plain", b"not found\n"
                else:
                    status, ctype = 200, proxy.content_type
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                logger.debug("proxy: " + format, *args)

        return Handler
