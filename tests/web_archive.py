"""Archives for the web UI tests, written with the library itself (no crawl): the seed pair,
a hostile page, a revisit, a gzip-encoded page, a redirect and two versions of one URL."""

from __future__ import annotations

import gzip
from pathlib import Path

from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders

from archive.extract import extract
from archive.stories.service import document, open_tracker
from archive.store import Archive, CaptureRef
from archive.warc.writer import RecordLocation

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
HAYOM = "https://www.israelhayom.com/2021/11/24/in-morocco-gantz-inks-landmark-deal-paving-way-for-weapon-sales/"
DISPATCH = "https://www.regional-dispatch.example/2021/11/24/the-israeli-and-moroccan-defense-ministers-meet-in-a-historic-visit/"
HOSTILE = "https://hostile.example/2021/11/24/harbour-ferry-strike/"
PLAIN = "https://plain.example/notes.txt"
MOVED = "https://www.regional-dispatch.example/old-address"

# An article page whose scripts try to read the UI and reach the live web.
HOSTILE_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbour ferry strike ends after talks</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="2021-11-24T08:00:00Z">
<meta http-equiv="refresh" content="0; url=LIVE/refreshed">
<script>
window.__hostile = "ran";
document.documentElement.setAttribute("data-hostile", "ran");
fetch("UI/").then(function () { document.title = "UI READ"; }, function () { document.title = "blocked: UI"; });
fetch("LIVE/beacon").catch(function () {});
new Image().src = "LIVE/pixel.gif";
try { parent.document.body.innerHTML = "owned"; } catch (e) {}
</script>
<link rel="stylesheet" href="LIVE/style.css">
</head><body><article>
<h1>Harbour ferry strike ends after talks</h1>
<p id="status">The harbour ferry crews returned to work on Wednesday after two days of talks with the port authority ended the strike.</p>
<p>The union said the agreement raises night-shift pay and adds a second crew member on the late crossings, which had been the main demand of the strike.</p>
<p>Commuters had queued for buses along the coast road while the ferries stayed tied up, and the port authority said the first crossing left on time.</p>
<p>The mayor thanked both sides and said the city would review the timetable of the late crossings before the winter season begins next month.</p>
<img src="LIVE/photo.jpg" alt="ferry">
<p><a id="away" title="a > b" href="LIVE/away">Read more on the live site</a></p>
<form action="LIVE/submit"><input name="q" value="x"><button id="send">Send</button></form>
<iframe src="LIVE/embed"></iframe>
</article></body></html>"""


def hostile_html(ui: str, live: str) -> str:
    return HOSTILE_HTML.replace("UI/", ui.rstrip("/") + "/").replace("LIVE/", live.rstrip("/") + "/")


def _records(archive: Archive, url: str, status: int, headers: list[tuple[str, str]], body: bytes,
             date: str):
    factory = archive.factory
    response = factory.response(url, date, "HTTP/1.1", status, "OK" if status == 200 else "Moved",
                                 headers, body, ip_address="127.0.0.1")
    request = factory.request(url, date, "GET", "/" + url.split("/", 3)[-1], [("Host", url.split("/")[2])],
                              concurrent_to=response.rec_headers.get_header("WARC-Record-ID"))
    return request, response


def store_page(archive: Archive, url: str, body: bytes, date: str, *, status: int = 200,
               content_type: str = "text/html; charset=utf-8", encoding: str | None = None,
               extra: list[tuple[str, str]] = (), kind: str = "article", extract_text: bool = True):
    headers = [("Content-Type", content_type), *extra]
    stored = body
    if encoding == "gzip":
        stored = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    request, response = _records(archive, url, status, headers, stored, date)
    ref = archive.write_capture(request, response)
    article = None
    if extract_text:
        article = extract(body, url, content_type)
        archive.write_article(ref, article)
    return ref, article


def store_revisit(archive: Archive, url: str, original, date: str) -> None:
    """An identical-payload-digest revisit of ``original`` (a CaptureRef), as Heritrix writes."""
    builder = RecordBuilder()
    digest = archive.catalog.db.execute("SELECT payload_digest FROM captures WHERE id = ?",
                                        (original.capture_id,)).fetchone()[0]
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    revisit = builder.create_revisit_record(url, digest, original.url, original.warc_date,
                                            http_headers=http, warc_headers_dict={"WARC-Date": date})
    revisit.rec_headers.add_header("WARC-Refers-To", original.record_id)
    request = archive.factory.request(url, date, "GET", "/", [("Host", url.split("/")[2])])
    archive.write_capture(request, revisit)


def build_archive(root: Path, encoder: str = "use", ui: str = "http://127.0.0.1:9/",
                  live: str = "http://127.0.0.1:9/") -> dict[str, int]:
    """Write the archive and track its stories; returns capture ids by name."""
    archive = Archive(root)
    ids = {}
    docs = []
    for name, url, file, date in (
        ("hayom", HAYOM, "israelhayom-gantz-morocco.html", "2021-11-24T10:00:00.000000Z"),
        ("dispatch", DISPATCH, "dispatch-defense-ministers-meet.html", "2021-11-24T12:00:00.000000Z"),
    ):
        ref, article = store_page(archive, url, (SEEDS / file).read_bytes(), date,
                                  encoding="gzip" if name == "dispatch" else None)
        ids[name] = ref.capture_id
        docs.append(document(url, article.text, {k: v for k, v in article.as_dict().items() if k != "text"}))
    for name, html, date in (("hostile", hostile_html(ui, live), "2021-11-24T13:00:00.000000Z"),
                             ("hostile_v2", hostile_html(ui, live).replace("two days", "three days"),
                              "2021-11-25T13:00:00.000000Z")):
        ref, article = store_page(archive, HOSTILE, html.encode(), date)
        ids[name] = ref.capture_id
        docs.append(document(HOSTILE, article.text, {k: v for k, v in article.as_dict().items() if k != "text"}))
    hayom_ref = archive.catalog.db.execute("SELECT * FROM captures WHERE id = ?", (ids["hayom"],)).fetchone()
    original = CaptureRef(HAYOM, hayom_ref["record_id"], hayom_ref["warc_date"],
                          RecordLocation(hayom_ref["warc_file"], hayom_ref["warc_offset"], hayom_ref["warc_length"]),
                          ids["hayom"])
    store_revisit(archive, HAYOM, original, "2021-11-26T10:00:00.000000Z")
    ids["revisit"] = archive.catalog.db.execute("SELECT max(id) FROM captures").fetchone()[0]
    ref, _ = store_page(archive, PLAIN, b"plain <b>text</b> notes\n", "2021-11-24T14:00:00.000000Z",
                        content_type="text/plain", kind="page", extract_text=False)
    ids["plain"] = ref.capture_id
    ref, _ = store_page(archive, MOVED, b"", "2021-11-24T14:00:00.000000Z", status=301, kind="page",
                        extra=[("Location", DISPATCH)], extract_text=False)
    ids["redirect"] = ref.capture_id
    archive.close()
    tracker = open_tracker(root, encoder)
    for doc in docs:
        tracker.add(doc)
    tracker.close()
    return ids


FULL = "https://gazette.example/local/2024/05/02/quay-plan/"
WALL = "https://gazette.example/consent"
BRIEF = "https://gazette.example/brief"
FULL_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Quay plan approved :: Halden Bay Gazette</title>
<meta property="og:type" content="article">
<meta property="og:title" content="Quay plan approved">
<meta property="og:site_name" content="Halden Bay Gazette">
<meta name="description" content="The council backs the northern quay &lt;b&gt;plan&lt;/b&gt;.">
<meta name="author" content="Mira Holt">
<meta property="article:published_time" content="2024-05-02T08:00:00Z">
<meta property="article:modified_time" content="2024-05-03T09:30:00Z">
<meta property="article:section" content="Local">
<meta property="article:tag" content="harbour"><meta property="article:tag" content="council">
<meta property="og:image" content="https://gazette.example/img/quay.jpg?w=1200&amp;h=630">
<link rel="canonical" href="https://gazette.example/local/quay-plan/">
<link rel="amphtml" href="https://gazette.example/amp/quay-plan/">
</head><body><article><h1>Quay plan approved</h1>
<p>The harbour board approved on Tuesday evening the plan for the northern quay, which will widen the channel and add two berths for the ferries that cross to the islands.</p>
<p>Work is to start in the spring if the ministry confirms the funding, the chair of the board told reporters after a meeting that ran late into the night.</p>
<p>Residents of the quay district will be paid for the disruption, and the board promised a review of the noise limits before the first piles are driven.</p>
</article></body></html>"""
WALL_HTML = ("<html><head><title>Before you continue</title></head><body><h1>We value your privacy</h1>"
             "<p>We and our partners use cookies.</p><button>Accept all</button></body></html>")
BRIEF_HTML = ("<html><head><title>Ferry times</title><meta property='og:type' content='article'></head>"
              "<body><p>Ferries run every hour today.</p></body></html>")


def build_metadata_archive(root: Path) -> dict[str, int]:
    """An article with every metadata field, a consent wall and a doubtful brief, each classed
    as a crawl classes it: the article's class goes with its text, the others' in records of
    their own."""
    from lxml.html import fromstring

    from archive.extract import ExtractionError
    from archive.pageclass import PageClass, classify_page

    archive = Archive(root)
    ids = {}
    for name, url, html in (("full", FULL, FULL_HTML), ("wall", WALL, WALL_HTML), ("brief", BRIEF, BRIEF_HTML)):
        ref, _ = store_page(archive, url, html.encode(), "2024-05-03T10:00:00.000000Z", extract_text=False)
        ids[name] = ref.capture_id
        page = classify_page(fromstring(html), 200)
        article = None
        if page.page_class is PageClass.ARTICLE:
            try:
                article = extract(html.encode(), url, "text/html; charset=utf-8")
            except ExtractionError:
                pass
        if article is not None:
            article.page_class, article.page_signals = str(page.page_class), list(page.signals)
            archive.write_article(ref, article)
        else:
            archive.write_page_class(ref, str(page.page_class), list(page.signals))
    archive.close()
    return ids
