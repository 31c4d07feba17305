"""HTTP serving of one demo outlet: a stdlib ThreadingHTTPServer on the loopback interface.

Each outlet answers GET and HEAD from a table of prebuilt resources, with the transport
habits a crawler meets on real news sites: gzip when the client asks for it, chunked
transfer encoding, ``Last-Modified``/``ETag`` validators and conditional ``304`` answers.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import logging
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .model import OutletProfile

logger = logging.getLogger(__name__)

CHUNK_SIZE = 4096
#: Validators of pages that carry no date of their own (robots.txt, stylesheets, images).
EPOCH = datetime(2025, 3, 1, 6, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Resource:
    """One prebuilt HTTP answer."""

    body: bytes
    content_type: str
    last_modified: datetime = EPOCH
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    etag: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.etag and self.status == 200:
            digest = hashlib.sha1(self.body).hexdigest()[:16]
            object.__setattr__(self, "etag", f'"{digest}"')


def redirect(location: str, status: int = 301) -> Resource:
    body = (
        "<!DOCTYPE html><html><head><title>301 Moved Permanently</title></head>"
        f'<body><h1>Moved Permanently</h1><p>The document has moved <a href="{location}">here</a>.</p>'
        "</body></html>"
    ).encode("ascii")
    return Resource(body, "text/html; charset=iso-8859-1", status=status, headers=(("Location", location),))


POLL_INTERVAL = 0.05  # seconds between the serving loop's looks for a shutdown


class OutletServer(ThreadingHTTPServer):
    """Serves one outlet's resource table; the table is set before the thread starts."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, profile: OutletProfile, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), DemoRequestHandler)
        self.profile = profile
        self.routes: dict[str, Resource] = {}
        self.not_found = Resource(b"Not Found", "text/plain; charset=utf-8", status=404)
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        # stop() waits for the serving loop to see the shutdown, which it looks for between
        # polls: at serve_forever's default 0.5 s a demo web of four outlets took 1.5-2 s to stop
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": POLL_INTERVAL},
            name=f"wirecopy-demo-{self.profile.slug}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, then close kept-alive connections so no request is answered after."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with contextlib.suppress(OSError):  # the client may have closed it already
                connection.shutdown(socket.SHUT_RDWR)

    def process_request(self, request, client_address) -> None:
        with self._lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        # Clients that hang up mid-answer are routine for a crawler's test server: no traceback on stderr.
        logger.debug("%s: error answering %s", self.profile.slug, client_address, exc_info=True)

    def lookup(self, target: str) -> Resource:
        path = urlsplit(target).path or "/"
        return self.routes.get(path, self.not_found)


class DemoRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    server: OutletServer

    def version_string(self) -> str:
        return self.server.profile.server_software

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        logger.debug("%s %s", self.server.profile.slug, format % args)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        resource = self.server.lookup(self.path)
        profile = self.server.profile
        body = resource.body
        etag = resource.etag
        encoded = False
        if profile.gzip and resource.status == 200 and _accepts_gzip(self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(body, mtime=0)
            etag = etag[:-1] + '-gzip"' if etag else etag
            encoded = True
        if resource.status == 200 and _not_modified(self.headers, etag, resource.last_modified):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", _http_date(resource.last_modified))
            self.end_headers()
            return
        self.send_response(resource.status)
        self.send_header("Content-Type", resource.content_type)
        for name, value in resource.headers:
            self.send_header(name, value)
        if resource.status == 200:
            self.send_header("Last-Modified", _http_date(resource.last_modified))
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "public, max-age=300")
        if profile.gzip:
            self.send_header("Vary", "Accept-Encoding")
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        chunked = profile.chunked and resource.status == 200
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not send_body:
            return
        if chunked:
            for start in range(0, len(body), CHUNK_SIZE):
                chunk = body[start : start + CHUNK_SIZE]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)


def _accepts_gzip(header: str) -> bool:
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "x-gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _not_modified(headers, etag: str, last_modified: datetime) -> bool:
    if_none_match = headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    if_modified_since = headers.get("If-Modified-Since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        return last_modified.replace(microsecond=0) <= since
    return False


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc), usegmt=True)
