"""The archive in a browser: search, stories, captures and archived pages replayed from the WARCs.

Archived pages are hostile input. They are served only under ``/replay/<id>/raw`` with a
Content-Security-Policy that sandboxes them (an opaque origin, no scripts, no forms, no
popups, no navigation of the UI) and forbids every network fetch but inline styles and
``data:`` images, and the UI shows them in an ``<iframe sandbox>``. The UI's own pages carry
a strict policy too and refuse to be framed. Nothing is ever read from a path a request
names: ids select catalog rows and the rows name the WARC files.
"""

from __future__ import annotations

import hmac
import itertools
import json
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, redirect, render_template, request, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.routing import BaseConverter

from ..catalog import catalog_exists, open_catalog
from ..catalog.location import located
from .captures import CaptureLookup, NotArchived, article_lists, page_class_view
from .hosts import HostCheck
from .rewrite import rewrite_body
from .search import SearchIndex, captures_by_url
from ..timefmt import show_lag, show_time
from .storypage import SORTS, StoryFilter, StoryPages, export_csv, export_rows

MAX_QUERY = 200
MAX_PAGE = 10_000
PER_PAGE = 20
MAX_RECORD_DOWNLOAD = 512 * 1024 * 1024
MAX_REPLAY_BODY = 32 * 1024 * 1024  # as the crawler's DOWNLOAD_MAXSIZE
STORY_ID = re.compile(r"s[0-9a-f]{10}")

UI_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; frame-src 'self'; "
             "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# ``sandbox`` without allow-scripts / allow-same-origin: an opaque origin that runs nothing.
# Resources load only from the archive's own replay paths (where rewriting points them).
# A rewritten page's links open the archived page with its bar at the top level, on a click
# only (no script runs in the sandbox to do it otherwise); a page served as archived gets none.
NAVIGABLE_SANDBOX = "sandbox allow-top-navigation-by-user-activation"
REPLAY_POLICY = ("sandbox; default-src 'none'; style-src {replay} 'unsafe-inline'; img-src {replay} data:; "
                 "font-src {replay} data:; media-src 'none'; form-action 'none'; base-uri 'none'; "
                 "frame-ancestors 'self'")
TIMESTAMP = re.compile(r"[0-9]{4,14}")
PAGE_NUMBER = re.compile(r"[0-9]{1,5}")
# Content types a browser may render inside the sandbox; anything else is sent as a download-
# safe octet stream (never sniffed into HTML). An SVG's scripts never run: it is served with the
# sandbox policy, and as an image a browser runs none anyway.
RENDERABLE = re.compile(r"^(text/[a-z0-9.+-]+|application/(xhtml\+xml|xml|rss\+xml|atom\+xml|json)"
                        r"|image/(png|jpeg|gif|webp|avif|svg\+xml|x-icon|vnd\.microsoft\.icon)"
                        r"|font/(woff2?|ttf|otf|collection)|application/(font-woff2?|x-font-[a-z]+))$")
# Fonts are fetched in CORS mode: from the sandbox's opaque origin ("null") they need this.
FONT = re.compile(r"^(font/|application/(font-|x-font-))")


def header_safe(value: str) -> str:
    """Archived text in a response header: printable ASCII, bounded."""
    return re.sub(r"[^\x20-\x7e]", "?", value)[:200]


class CaptureIdConverter(BaseConverter):
    """A catalog row id: a positive integer SQLite can hold."""

    regex = r"[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(int(value))


def create_app(root: str | Path, *, trusted_hosts: list[str] | None = None,
               search_interval: float = 2.0, max_body: int = MAX_REPLAY_BODY) -> Flask:
    """A Flask app over the archive in ``root``. ``trusted_hosts``: the Host names accepted
    besides this machine's own IP addresses (DNS rebinding protection); None accepts any. ``max_body``: bytes of an archived body
    read and decoded for a replay, at most (the rest is cut, and the replay says so)."""
    root = Path(root).resolve()
    if not catalog_exists(root):
        raise FileNotFoundError(f"no archive catalog in {root}")
    # SQLite: a connection per request; PostgreSQL: one catalog whose pool the requests share
    shared = open_catalog(root, readonly=True) if located(root, None).catalog_url else None
    app = Flask(__name__)
    # the Host check is ours (hosts.py): werkzeug's TRUSTED_HOSTS rejects every IPv6 address
    app.config.update(TRUSTED_HOSTS=None, MAX_CONTENT_LENGTH=0, JSON_SORT_KEYS=False)
    host_check = HostCheck(trusted_hosts) if trusted_hosts is not None else None
    app.url_map.converters["cid"] = CaptureIdConverter
    app.jinja_env.autoescape = True
    app.add_template_filter(show_time, "when")
    app.add_template_filter(show_lag, "lag")
    # a per-server secret in rewritten URLs: tells the archive's own replays from other sites
    token = secrets.token_urlsafe(16)
    search_index = SearchIndex(root / "search.sqlite", min_interval=search_interval)
    stories = StoryPages(root)
    app.extensions["wirecopy"] = {"root": root, "search": search_index, "stories": stories, "catalog": shared}

    def lookup() -> CaptureLookup:
        if "lookup" not in g:
            g.lookup = CaptureLookup(root, open_catalog(root, readonly=True) if shared is None else shared, max_body)
        return g.lookup

    @app.before_request
    def _check_host():
        if host_check is not None and not host_check.allows(request.environ.get("HTTP_HOST")):
            return Response("400 Bad Request: this server does not answer to that Host name\n", 400,
                            content_type="text/plain")
        return None

    @app.teardown_appcontext
    def _close(_exc) -> None:
        found = g.pop("lookup", None)
        if found is not None and shared is None:
            found.catalog.close()

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", UI_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.errorhandler(400)
    @app.errorhandler(404)
    @app.errorhandler(405)
    def _error(exc):
        if isinstance(exc, SecurityError):  # an untrusted Host: no page links to build
            return Response(f"{exc.code} {exc.description}\n", exc.code, content_type="text/plain")
        return render_template("error.html", code=exc.code, message=exc.description), exc.code

    def query_text() -> str:
        q = request.args.get("q", "")
        if len(q) > MAX_QUERY:
            abort(400, f"the search text is limited to {MAX_QUERY} characters")
        return q.strip()

    def page_number() -> int:
        raw = request.args.get("page", "1")
        if not PAGE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE:
            abort(400, f"page must be a whole number from 1 to {MAX_PAGE}")
        return int(raw)

    def capture_or_404(capture_id: int):
        try:
            return lookup().capture(capture_id)
        except NotArchived as exc:
            abort(404, str(exc))

    @app.get("/")
    def index():
        return render_template("index.html", counts=lookup().counts(), recent=lookup().recent(PER_PAGE),
                               stories=stories.listing(lookup(), limit=PER_PAGE))

    @app.get("/search")
    def search():
        q, page = query_text(), page_number()
        hits, total, by_url = [], 0, []
        if q:
            search_index.refresh(lookup())
            hits, total = search_index.search(q, PER_PAGE, (page - 1) * PER_PAGE)
            if page == 1:
                by_url = captures_by_url(lookup(), q, PER_PAGE)
        return render_template("search.html", q=q, hits=hits, total=total, by_url=by_url, page=page,
                               pages=max(1, -(-total // PER_PAGE)))

    @app.get("/stories")
    def story_list():
        page = page_number()
        narrowed = StoryFilter.from_args(request.args)
        listing = stories.listing(lookup(), narrowed=narrowed)
        shown = listing[(page - 1) * PER_PAGE: page * PER_PAGE]
        if page > 1 and not shown:
            abort(404, "no such page of stories")
        return render_template("stories.html", stories=shown, page=page, narrowed=narrowed,
                               choices=stories.choices(), sorts=SORTS,
                               pages=max(1, -(-len(listing) // PER_PAGE)), total=len(listing))

    def story_view_or_404(story_id: str):
        if not STORY_ID.fullmatch(story_id):
            abort(400, "a story id is 's' and ten hexadecimal digits")
        view = stories.view(story_id, lookup())
        if view is None:
            abort(404, f"no story {story_id}")
        return view

    @app.get("/story/<story_id>")
    def story(story_id: str):
        return render_template("story.html", story=story_view_or_404(story_id))

    @app.get("/story/<story_id>.<any(csv, json):fmt>")
    def story_export(story_id: str, fmt: str):
        view = story_view_or_404(story_id)
        name = f"wirecopy-story-{story_id}.{fmt}"
        if fmt == "csv":
            body, mime = export_csv(view), "text/csv; charset=utf-8"
        else:
            body, mime = json.dumps(export_rows(view), ensure_ascii=False, indent=1), "application/json"
        return Response(body, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/capture/<cid:capture_id>")
    def capture(capture_id: int):
        row = capture_or_404(capture_id)
        found = lookup()
        try:
            record = found.record(row)
        except NotArchived as exc:
            abort(404, str(exc))
        original = None
        if record.rec_type == "revisit":
            try:
                original = found.original_of(row, record)
            except NotArchived:
                original = None
        article = found.article(capture_id)
        text, meta, problem = None, {}, None
        if article is not None:
            try:
                text, meta = found.article_text(article), found.article_metadata(article)
            except NotArchived as exc:
                problem = str(exc)
        return render_template(
            "capture.html", row=row, record=record, original=original, article=article,
            page=page_class_view(row), **article_lists(article),
            text=text, meta=meta, problem=problem, versions=found.versions(row["url"]),
            story=stories.story_of(row["url"]),
        )

    @app.get("/capture/<cid:capture_id>/record.warc.gz")
    def capture_record(capture_id: int):
        """The capture's WARC record exactly as stored, for warcio, FastWARC or pywb."""
        row = capture_or_404(capture_id)
        try:
            first, rest = lookup().record_bytes(row, MAX_RECORD_DOWNLOAD)
        except NotArchived as exc:
            abort(404, str(exc))
        gzipped = first[:2] == b"\x1f\x8b"
        # streamed: a large record is never held in memory whole
        response = Response(itertools.chain([first], rest), content_type="application/warc")
        response.headers["Content-Length"] = str(row["warc_length"])
        response.headers["Content-Disposition"] = (
            f"attachment; filename=capture-{capture_id}.warc{'.gz' if gzipped else ''}")
        return response

    @app.get("/replay/<cid:capture_id>")
    def replay_frame(capture_id: int):
        row = capture_or_404(capture_id)
        return render_template("replay.html", row=row, versions=lookup().versions(row["url"]))

    def replay_key() -> bool:
        """Whether the request carries the key rewritten archived pages put in their URLs."""
        key = request.args.get("k")
        if key is None:
            return False
        if len(key) > 64 or not hmac.compare_digest(key.encode(), token.encode()):
            abort(400, "k= is not this server's replay key")
        return True

    def sandboxed(response: Response, navigable: bool = False) -> Response:
        policy = REPLAY_POLICY.format(replay=request.host_url + "replay/")
        if navigable:
            policy = policy.replace("sandbox;", NAVIGABLE_SANDBOX + ";", 1)
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        if replay_key():
            # An archived page's own images and stylesheets, asked for from the sandbox's
            # opaque origin; without the key (another web site) they stay same-origin only.
            response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    @app.get("/replay/<cid:capture_id>/raw")
    def replay_raw(capture_id: int):
        row = capture_or_404(capture_id)
        as_archived = request.args.get("as", "")
        if as_archived not in ("", "archived"):
            abort(400, "as= takes only 'archived' (the body without its links pointed into the archive)")
        try:
            replayed = lookup().replay(capture_id)
        except NotArchived as exc:
            abort(404, str(exc))
        mime = replayed.content_type.split(";")[0].strip().lower()
        content_type = replayed.content_type if RENDERABLE.match(mime) else "application/octet-stream"
        body = replayed.body
        if not as_archived:
            body = rewrite_body(body, content_type, row["url"], row["timestamp"], token)
        response = sandboxed(Response(body, status=200, content_type=content_type),
                             navigable=body is not replayed.body)
        if FONT.match(mime) and replay_key():
            response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["X-Archive-Status"] = str(replayed.status)
        response.headers["X-Archive-Record-ID"] = header_safe(row["record_id"])
        if replayed.encoding_note:
            response.headers["X-Archive-Note"] = header_safe(replayed.encoding_note)
        return response

    @app.get("/replay/go")
    def replay_go():
        """Where an archived page's rewritten links lead: the capture of ``url`` closest to ``at``."""
        url, at = request.args.get("url", ""), request.args.get("at", "")
        if not url or len(url) > 4096 or urlsplit(url).scheme not in ("http", "https"):
            abort(400, "url= must be an http(s) URL of at most 4096 characters")
        if at and not TIMESTAMP.fullmatch(at):
            abort(400, "at= must be a timestamp of 4 to 14 digits (YYYYmmddHHMMSS)")
        view = request.args.get("view", "")
        if view not in ("", "page"):
            abort(400, "view= takes only 'page' (the archived page with the archive's bar)")
        found = lookup().closest(url, at)
        if found is None:
            page = render_template("not_archived.html", url=url)
            return sandboxed(Response(page, status=404, content_type="text/html; charset=utf-8"))
        if view:
            return redirect(url_for("replay_frame", capture_id=found))
        key = {"k": token} if replay_key() else {}
        response = sandboxed(redirect(url_for("replay_raw", capture_id=found, **key)))
        if key:  # a font's CORS-mode fetch follows this redirect only with it
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    @app.get("/<timestamp>/<path:url>", merge_slashes=False)
    def replay_at(timestamp: str, url: str):
        """pywb-style addresses: ``/TIMESTAMP/URL`` shows the capture of URL closest to then."""
        if not TIMESTAMP.fullmatch(timestamp):
            abort(404)
        if request.query_string:
            url += "?" + request.query_string.decode("latin-1")
        if len(url) > 4096 or urlsplit(url).scheme not in ("http", "https"):
            abort(400, "the address must be /TIMESTAMP/http(s)://URL, at most 4096 characters")
        found = lookup().closest(url, timestamp)
        if found is None:
            return Response(render_template("not_archived.html", url=url), status=404)
        return redirect(url_for("replay_frame", capture_id=found))

    @app.get("/url")
    def by_url():
        """The newest capture of an exact URL (links from the story page use ids already)."""
        url = request.args.get("u", "")
        if not url or len(url) > 4096:
            abort(400, "give the URL as ?u=, at most 4096 characters")
        versions = lookup().versions(url)
        if not versions:
            abort(404, "this URL is not in the archive")
        return redirect(url_for("capture", capture_id=versions[-1]["id"]))

    return app
