"""End-to-end crawls of a local test news site: `wirecopy crawl` in a subprocess, the archive
read back with warcio and FastWARC, the CDXJ indexes and the SQLite catalog checked against
the WARC files and against what the test server actually served.

One crawl of The Harbour Herald (tests/sites.py) is shared by most tests of this module.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator

import sites
from conftest import REPO_ROOT, crawl_env, run_crawl

MAXSIZE = 1_000_000
WARC_MAX_SIZE = 30_000  # small, so the crawl rotates through several files
PREFIX = "e2e"
JOB = "e2e-harbour-herald"
FILENAME = re.compile(r"^" + PREFIX + r"-(\d{17})-(\d{5})-([A-Za-z0-9_.-]+)\.warc\.gz$")
REASONS = {200: "OK", 301: "Moved Permanently", 404: "Not Found"}


# --------------------------------------------------------------------------------------
# Reading the archive
# --------------------------------------------------------------------------------------


@dataclass
class Rec:
    file: str
    offset: int
    length: int
    type: str
    version: str
    warc_headers: list[tuple[str, str]]
    http_protocol: str | None
    http_statusline: str | None
    http_headers: list[tuple[str, str]]
    payload: bytes  # the stored payload (after the HTTP headers), not Content-Decoded

    def h(self, name: str) -> str | None:
        values = self.all(name)
        return values[0] if values else None

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.warc_headers if k.lower() == name.lower()]

    def http(self, name: str) -> list[str]:
        return [v for k, v in self.http_headers if k.lower() == name.lower()]

    @property
    def url(self) -> str | None:
        return self.h("WARC-Target-URI")

    @property
    def path(self) -> str:
        parts = urlsplit(self.url or "")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def id(self) -> str:
        return self.h("WARC-Record-ID")

    @property
    def date(self) -> str:
        return self.h("WARC-Date")

    @property
    def status(self) -> int:
        return int(self.http_statusline.split(" ", 1)[0])


def read_warc(path: Path) -> list[Rec]:
    """Every record, with warcio checking block and payload digests as it reads."""
    records = []
    with open(path, "rb") as f:
        it = ArchiveIterator(f, check_digests="raise")
        for record in it:
            payload = record.raw_stream.read()
            it.read_to_end(record)
            http = record.http_headers
            records.append(Rec(
                file=path.name, offset=it.get_record_offset(), length=it.get_record_length(),
                type=record.rec_type, version=record.rec_headers.protocol,
                warc_headers=list(record.rec_headers.headers),
                http_protocol=http.protocol if http is not None else None,
                http_statusline=http.statusline if http is not None else None,
                http_headers=list(http.headers) if http is not None else [],
                payload=payload,
            ))
    return records


def warc_fields(block: bytes) -> dict[str, list[str]]:
    """``name: value`` lines (``application/warc-fields``), every value of each name."""
    fields: dict[str, list[str]] = {}
    for line in block.decode("utf-8").split("\r\n"):
        if line:
            name, value = line.split(": ", 1)
            fields.setdefault(name, []).append(value)
    return fields


def read_one(path: Path, offset: int) -> Rec:
    """The record at ``offset`` of ``path``, read by seeking there (as a replay tool does)."""
    with open(path, "rb") as f:
        f.seek(offset)
        it = ArchiveIterator(f, check_digests="raise")
        record = next(iter(it))
        payload = record.raw_stream.read()
        it.read_to_end(record)
        http = record.http_headers
        return Rec(
            file=path.name, offset=offset, length=it.get_record_length(), type=record.rec_type,
            version=record.rec_headers.protocol, warc_headers=list(record.rec_headers.headers),
            http_protocol=http.protocol if http is not None else None,
            http_statusline=http.statusline if http is not None else None,
            http_headers=list(http.headers) if http is not None else [], payload=payload,
        )


@dataclass
class Crawl:
    result: object = field(repr=False)
    archive: Path
    base: str
    requested: list[str] = field(repr=False)
    files: list[Path]
    records: list[Rec] = field(default_factory=list, repr=False)

    @property
    def summary(self) -> dict:
        return self.result.summary

    @property
    def stats(self) -> dict:
        return self.result.stats

    def of_type(self, rec_type: str) -> list[Rec]:
        return [r for r in self.records if r.type == rec_type]

    def response(self, path: str) -> Rec:
        found = [r for r in self.of_type("response") if r.path == path]
        assert len(found) == 1, f"{len(found)} response records for {path}"
        return found[0]

    def by_refers_to(self, rec_type: str, record_id: str) -> list[Rec]:
        return [r for r in self.of_type(rec_type) if r.h("WARC-Refers-To") == record_id]


@pytest.fixture(scope="module")
def crawl(news_site, tmp_path_factory) -> Crawl:
    archive = tmp_path_factory.mktemp("harbour") / "herald-archive"
    result = run_crawl(
        [news_site.url(p) for p in sites.SEEDS], archive,
        settings=(f"DOWNLOAD_MAXSIZE={MAXSIZE}", f"WARC_MAX_SIZE={WARC_MAX_SIZE}",
                  f"WARC_PREFIX={PREFIX}", f"WIRECOPY_JOB={JOB}"),
    )
    assert result.returncode == 0, result.stderr[-6000:]
    files = sorted((archive / "warc").glob("*.warc.gz"))
    crawl = Crawl(result, archive, news_site.base_url, news_site.requested(), files)
    for path in files:
        crawl.records.extend(read_warc(path))
    return crawl


def test_the_test_site_is_what_the_tests_assume(news_site):
    """Guards the fixture itself: long articles, distinct key sentences, cp1252 bytes."""
    assert len({spec.key for spec in sites.ARTICLES}) == len(sites.ARTICLES)
    for spec in sites.ARTICLES:
        assert sites.word_count(spec) >= 300, spec.path
    for path in sites.CP1252_ARTICLES:
        body = news_site.routes[path].payload
        assert "José Müller".encode("cp1252") in body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
    assert news_site.routes[sites.CP1252_ARTICLES[2]].content_type == "text/html"
    assert b"charset" not in news_site.routes[sites.CP1252_ARTICLES[2]].payload.lower()


# --------------------------------------------------------------------------------------
# The crawl as a whole
# --------------------------------------------------------------------------------------


def test_crawl_exits_cleanly_with_a_sane_summary(crawl):
    summary, stats = crawl.summary, crawl.stats
    responses = crawl.of_type("response")
    non_robots = [r for r in responses if r.path != "/robots.txt"]
    assert summary["pages"] == len(non_robots) == stats["wirecopy/pages"]
    assert summary["articles"] == len(sites.ARTICLES) == stats["extract/ok"]
    assert summary["errors"] == 1  # the 404; robots.txt exclusions are not errors
    assert stats["downloader/response_status_count/404"] == 1
    assert summary["robots_forbidden"] == 1 == stats["robotstxt/forbidden"]
    assert summary["truncated"] == 1
    assert summary["warc_files"] == len(crawl.files) == stats["warc/files"]
    assert summary["bytes_written"] == sum(p.stat().st_size for p in crawl.files) == stats["warc/bytes"]
    assert stats["warc/records"] == len(crawl.records) - len(crawl.files)  # all but warcinfo
    assert stats["warc/captures"] == len(responses)
    assert stats["finish_reason"] == "finished"
    assert not [k for k in stats if k.startswith(("spider_exceptions", "extract/failed", "warc/write_errors"))]
    assert "Traceback" not in crawl.result.stderr


def test_discovery_reaches_every_page_and_nothing_else(crawl):
    assert set(crawl.requested) == set(sites.EXPECTED_REQUESTS)
    # every discovery route has an article that only it leads to
    stats = crawl.stats
    assert stats["discover/feed"] == 3  # /feed.xml, /atom.xml, /latest (detected by body)
    assert stats["discover/sitemap"] == 2 and stats["discover/sitemapindex"] == 1
    assert stats["discover/article/og:type"] + stats["discover/article/json-ld"] == len(sites.ARTICLES) - 1
    assert stats["discover/article/content"] == 1


def test_robots_disallowed_page_is_never_requested(crawl):
    assert sites.PRIVATE_PATH not in crawl.requested
    assert not [r for r in crawl.records if r.path == sites.PRIVATE_PATH]
    assert crawl.requested.count("/robots.txt") == 1


def test_every_url_is_fetched_once(crawl):
    counts = Counter(crawl.requested)
    assert {path: n for path, n in counts.items() if n > 1} == {}
    assert Counter(r.path for r in crawl.of_type("response"))["/"] == 1


# --------------------------------------------------------------------------------------
# WARC files and records
# --------------------------------------------------------------------------------------


def test_warc_files_are_named_sealed_and_rotated(crawl):
    warc_dir = crawl.archive / "warc"
    assert sorted(p.name for p in warc_dir.iterdir()) == [p.name for p in crawl.files]
    assert not list(crawl.archive.rglob("*.open")) and not list(crawl.archive.rglob("*.tmp"))
    assert len(crawl.files) >= 3, "WARC_MAX_SIZE=30000 must rotate the files"
    serials = []
    for path in crawl.files:
        match = FILENAME.match(path.name)
        assert match, path.name
        serials.append(int(match.group(2)))
    assert serials == list(range(len(crawl.files)))
    for path in crawl.files[:-1]:
        # rotation happens once a file has reached WARC_MAX_SIZE, never before
        assert path.stat().st_size >= WARC_MAX_SIZE


def test_every_file_starts_with_warcinfo(crawl):
    for path in crawl.files:
        records = [r for r in crawl.records if r.file == path.name]
        first = records[0]
        assert first.type == "warcinfo" and first.offset == 0
        assert [r.type for r in records].count("warcinfo") == 1
        assert first.h("WARC-Filename") == path.name
        assert first.h("Content-Type") == "application/warc-fields"
        fields = dict(line.split(": ", 1) for line in first.payload.decode("utf-8").splitlines())
        assert fields["software"].startswith("wirecopy/")
        assert fields["format"] == "WARC File Format 1.1"
        assert fields["robots"] == "obey"
        assert fields["isPartOf"] == JOB
        assert fields["http-header-user-agent"].startswith("wirecopy/")


def test_every_record_is_warc_1_1_with_ids_dates_and_digests(crawl):
    ids = [r.id for r in crawl.records]
    assert len(ids) == len(set(ids))
    for r in crawl.records:
        assert r.version == "WARC/1.1"
        assert re.fullmatch(r"<urn:uuid:[0-9a-f-]{36}>", r.id)
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z", r.date)
        assert r.h("WARC-Block-Digest").startswith("sha1:")
        if r.type in ("response", "request", "conversion", "metadata"):
            assert r.url.removeprefix("urn:text:" if r.type == "conversion" else "").startswith(crawl.base + "/")
            assert r.h("WARC-Payload-Digest").startswith("sha1:")


def test_each_record_is_one_gzip_member(crawl):
    for path in crawl.files:
        data = path.read_bytes()
        members, rest = sites.gzip_members(data)
        assert rest == 0
        assert members == [(r.offset, r.length) for r in crawl.records if r.file == path.name]


def test_fastwarc_verifies_every_digest(crawl):
    total = 0
    for path in crawl.files:
        with open(path, "rb") as f:
            for record in FastArchiveIterator(f, parse_http=False):
                total += 1
                assert record.verify_block_digest(), (path.name, record.record_id)
        http_records = 0
        with open(path, "rb") as f:
            for record in FastArchiveIterator(
                    f, parse_http=True, record_types=WarcRecordType.request | WarcRecordType.response):
                http_records += 1
                assert record.verify_payload_digest(), (path.name, record.record_id)
        assert http_records == len([r for r in crawl.records if r.file == path.name
                                    and r.type in ("request", "response")])
    assert total == len(crawl.records)


def test_requests_and_responses_come_in_linked_pairs(crawl):
    responses = crawl.of_type("response")
    requests = crawl.of_type("request")
    assert len(requests) == len(responses) == len(crawl.requested)
    by_id = {r.id: r for r in crawl.records}
    host = crawl.base.split("//", 1)[1]
    for request in requests:
        response = by_id[request.h("WARC-Concurrent-To")]
        assert response.type == "response"
        assert response.url == request.url and response.date == request.date
        # written together: the request immediately followed by its response, same file
        assert response.file == request.file and response.offset == request.offset + request.length
        assert request.h("Content-Type") == "application/http; msgtype=request"
        assert response.h("Content-Type") == "application/http; msgtype=response"
        assert f"{request.http_protocol} {request.http_statusline}" == f"GET {request.path} HTTP/1.1"
        assert request.http("Host") == [host]
        (agent,) = request.http("User-Agent")
        assert agent.startswith("wirecopy/") and "archival news crawler" in agent
        assert request.payload == b""
        for record in (request, response):
            assert record.h("WARC-IP-Address") == "127.0.0.1"
    assert sorted(by_id[r.h("WARC-Concurrent-To")].id for r in requests) == sorted(r.id for r in responses)


def test_response_status_lines(crawl, news_site):
    for response in crawl.of_type("response"):
        route = news_site.routes.get(response.path)
        status = route.status if route else 404
        assert response.http_protocol == "HTTP/1.1"
        assert response.http_statusline == f"{status} {REASONS[status]}", response.path
    assert crawl.response("/old-article").http("Location") == [crawl.base + sites.REDIRECT_TARGET]


def test_request_line_keeps_path_and_query(crawl):
    response = crawl.response(sites.QUERY_PATH)
    (request,) = [r for r in crawl.of_type("request") if r.h("WARC-Concurrent-To") == response.id]
    assert request.http_statusline == "/search-results?q=a&page=2 HTTP/1.1"
    assert request.url == crawl.base + "/search-results?q=a&page=2"
    assert response.payload == sites.news_site_routes(crawl.base)[sites.QUERY_PATH].body


def test_stored_bodies_are_what_the_server_sent(crawl, news_site):
    for response in crawl.of_type("response"):
        if response.h("WARC-Truncated"):
            continue
        route = news_site.routes.get(response.path, sites.NOT_FOUND)
        assert response.payload == route.payload, response.path
        assert response.http("Content-Length") == [str(len(response.payload))], response.path
        assert response.http("Transfer-Encoding") == [], response.path


def test_gzip_article_is_stored_still_encoded(crawl, news_site):
    response = crawl.response(sites.GZIP_ARTICLE)
    assert response.payload[:2] == b"\x1f\x8b"
    assert response.payload == news_site.routes[sites.GZIP_ARTICLE].body
    assert response.http("Content-Encoding") == ["gzip"]
    assert response.http("Content-Length") == [str(len(response.payload))]
    spec = sites.BY_PATH[sites.GZIP_ARTICLE]
    assert gzip.decompress(response.payload) == sites.article_html(spec, crawl.base).encode("utf-8")


def test_chunked_article_is_stored_dechunked(crawl, news_site):
    route = news_site.routes[sites.CHUNKED_ARTICLE]
    assert len(route.chunks) >= 4
    response = crawl.response(sites.CHUNKED_ARTICLE)
    assert response.http("Transfer-Encoding") == []
    assert response.http("Content-Length") == [str(len(response.payload))]
    assert response.payload == b"".join(route.chunks)
    assert b"\r\n0\r\n" not in response.payload and response.payload.startswith(b"<!DOCTYPE html>")


def test_both_set_cookie_headers_are_kept(crawl):
    response = crawl.response(sites.COOKIE_PATH)
    assert response.http("Set-Cookie") == list(sites.COOKIES)


def test_huge_response_is_truncated_at_download_maxsize(crawl):
    response = crawl.response(sites.HUGE_PATH)
    assert response.h("WARC-Truncated") == "length"
    assert MAXSIZE <= len(response.payload) < sites.HUGE_SIZE
    assert len(response.payload) < MAXSIZE + 256 * 1024  # cut at the limit, not near the end
    assert response.payload == sites.huge_body()[: len(response.payload)]
    assert response.http("Content-Length") == [str(len(response.payload))]
    assert [r.path for r in crawl.of_type("response") if r.h("WARC-Truncated")] == [sites.HUGE_PATH]
    assert crawl.stats["warc/truncated"] == 1


def test_robots_redirect_and_error_pages_are_archived(crawl):
    robots = crawl.response("/robots.txt")
    assert robots.status == 200 and b"Disallow: /private/" in robots.payload
    assert crawl.response("/old-article").status == 301
    assert crawl.response("/missing").status == 404
    stats = crawl.stats
    assert stats["warc/captures/robots"] == 1
    assert stats["warc/captures/redirect"] == 1
    assert stats["warc/captures/error"] == 1
    # the redirect was followed to an article only it leads to
    assert crawl.response(sites.REDIRECT_TARGET).status == 200
    assert crawl.by_refers_to("conversion", crawl.response(sites.REDIRECT_TARGET).id)


def test_binary_responses_are_archived_without_crashing(crawl):
    image = crawl.response(sites.IMAGE_PATH)
    assert image.payload == sites.PNG_BYTES and image.http("Content-Type") == ["text/html"]
    pdf = crawl.response(sites.PDF_PATH)
    assert pdf.payload == sites.PDF_BYTES and pdf.http("Content-Type") == ["application/pdf"]
    for response in (image, pdf):
        assert not crawl.by_refers_to("conversion", response.id)
    assert not [k for k in crawl.stats if k.startswith("spider_exceptions")]


# --------------------------------------------------------------------------------------
# Article texts and metadata
# --------------------------------------------------------------------------------------


def test_every_article_has_a_conversion_record(crawl):
    for spec in sites.ARTICLES:
        response = crawl.response(spec.path)
        (conversion,) = crawl.by_refers_to("conversion", response.id)
        assert conversion.url == "urn:text:" + response.url, "not the page's URL: replay tools index it"
        assert conversion.date == response.date
        assert conversion.h("Content-Type") == "text/plain; charset=utf-8"
        text = conversion.payload.decode("utf-8")
        assert spec.key in text, spec.path
        # exactly the article body: no title, byline, navigation or footer
        assert text == sites.article_text(spec), spec.path


def test_every_article_has_a_metadata_record(crawl):
    for spec in sites.ARTICLES:
        response = crawl.response(spec.path)
        (metadata,) = crawl.by_refers_to("metadata", response.id)
        (conversion,) = crawl.by_refers_to("conversion", response.id)
        assert metadata.url == response.url and metadata.date == response.date
        # exactly this type: cdxj-indexer, pywb and ReplayWeb.page leave such records unindexed
        assert metadata.h("Content-Type") == "application/warc-fields"
        meta = warc_fields(metadata.payload)
        assert {"title", "published", "language", "extractor", "sitename"} <= set(meta)
        assert "text" not in meta
        assert meta["title"] == [spec.title]
        assert meta["language"] == ["en"]
        assert meta["extractor"][0].startswith("trafilatura/")
        assert meta["text_hash"] == ["sha1:" + hashlib.sha1(conversion.payload).hexdigest()]
        if spec.markup == "none":
            assert "authors" not in meta and "canonical_url" not in meta
            assert meta["published"][0].startswith("2025-03-11")  # from the URL
        else:
            assert meta["authors"] == [spec.author]
            assert meta["published"] == [spec.published]  # exact timestamp from the page's markup
            assert meta["canonical_url"] == [crawl.base + spec.path]
            assert meta["sitename"] == [sites.SITE_NAME]


@pytest.mark.parametrize("path", sites.CP1252_ARTICLES, ids=["header", "meta", "undeclared"])
def test_windows_1252_pages_are_decoded(crawl, path):
    response = crawl.response(path)
    assert "é".encode("cp1252") in response.payload  # stored as served
    (conversion,) = crawl.by_refers_to("conversion", response.id)
    text = conversion.payload.decode("utf-8")
    assert "José Müller" in text
    for quote in "\u201c\u201d\u2018\u2019":
        assert quote in text
    assert sites.BY_PATH[path].key in text
    assert "\ufffd" not in text and "Ã" not in text
    (metadata,) = crawl.by_refers_to("metadata", response.id)
    assert warc_fields(metadata.payload)["encoding"] == ["cp1252"]


def test_only_article_pages_get_conversion_and_metadata(crawl):
    articles = {crawl.base + spec.path for spec in sites.ARTICLES}
    assert sorted(r.url for r in crawl.of_type("conversion")) == sorted("urn:text:" + a for a in articles)
    texts = {r.h("WARC-Refers-To") for r in crawl.of_type("conversion")}
    assert sorted(r.url for r in crawl.of_type("metadata") if r.h("WARC-Refers-To") in texts) == sorted(articles)
    pages = [r for r in crawl.of_type("response") if r.path in sites.NON_ARTICLE_PAGES]
    assert {r.path for r in pages} == set(sites.NON_ARTICLE_PAGES)
    for response in pages:
        assert not crawl.by_refers_to("conversion", response.id), response.path
        # an HTML page's class alone, in a metadata record of its own
        for metadata in crawl.by_refers_to("metadata", response.id):
            fields = warc_fields(metadata.payload)
            assert set(fields) == {"page_class", "page_signals"} and fields["page_class"] != ["article"], response.path


# --------------------------------------------------------------------------------------
# CDXJ indexes and the catalog
# --------------------------------------------------------------------------------------


def test_one_sorted_cdxj_index_per_warc_reads_back_its_responses(crawl):
    index_dir = crawl.archive / "indexes"
    assert sorted(p.name for p in index_dir.iterdir()) == sorted(f"{p.name}.cdxj" for p in crawl.files)
    port = urlsplit(crawl.base).port
    for path in crawl.files:
        lines = (index_dir / f"{path.name}.cdxj").read_text("utf-8").splitlines()
        assert lines == sorted(lines)
        responses = {r.id: r for r in crawl.records if r.file == path.name and r.type == "response"}
        seen = set()
        for line in lines:
            key, stamp, data = line.split(" ", 2)
            fields = json.loads(data)
            assert fields["filename"] == path.name
            record = read_one(path, int(fields["offset"]))
            assert record.type == "response" and record.url == fields["url"]
            assert record.length == int(fields["length"])
            stored = responses[record.id]
            assert (stored.offset, stored.length) == (record.offset, record.length)
            assert key.startswith(f"1,0,0,127:{port})/")
            assert stamp == re.sub(r"\D", "", record.date)[:14]
            assert fields["status"] == str(record.status)
            assert fields["mime"] == (record.http("Content-Type") or ["unk"])[0].split(";")[0].strip().lower()
            assert fields["digest"] == record.h("WARC-Payload-Digest")
            seen.add(record.id)
        assert seen == set(responses)  # every response indexed, nothing else
        assert len(lines) == len(responses)


@pytest.fixture(scope="module")
def catalog(crawl):
    db = sqlite3.connect(f"file:{crawl.archive / 'catalog.sqlite'}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    yield db
    db.close()


def test_catalog_captures_point_at_the_response_records(crawl, catalog):
    rows = catalog.execute("SELECT * FROM captures").fetchall()
    responses = {r.id: r for r in crawl.of_type("response")}
    assert sorted(row["record_id"] for row in rows) == sorted(responses)
    for row in rows:
        stored = responses[row["record_id"]]
        assert (row["warc_file"], row["warc_offset"], row["warc_length"]) == (stored.file, stored.offset, stored.length)
        record = read_one(crawl.archive / "warc" / row["warc_file"], row["warc_offset"])
        assert record.id == row["record_id"] and record.url == row["url"]
        assert row["status"] == record.status
        assert row["payload_digest"] == record.h("WARC-Payload-Digest")
        assert row["warc_date"] == record.date
        assert row["truncated"] == record.h("WARC-Truncated")
        assert row["job"] == JOB
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["robots"] == 1 and kinds["redirect"] == 1 and kinds["error"] == 1


def test_catalog_articles_point_at_their_conversion_records(crawl, catalog):
    rows = catalog.execute(
        "SELECT a.*, c.record_id FROM articles a JOIN captures c ON c.id = a.capture_id").fetchall()
    assert sorted(row["url"] for row in rows) == sorted(crawl.base + s.path for s in sites.ARTICLES)
    warc_dir = crawl.archive / "warc"
    for row in rows:
        spec = sites.BY_PATH[urlsplit(row["url"]).path]
        conversion = read_one(warc_dir / row["conversion_file"], row["conversion_offset"])
        assert conversion.type == "conversion" and conversion.length == row["conversion_length"]
        assert conversion.h("WARC-Refers-To") == row["record_id"]
        text = conversion.payload.decode("utf-8")
        assert text == sites.article_text(spec)
        assert row["text_length"] == len(text)
        assert row["text_hash"] == "sha1:" + hashlib.sha1(conversion.payload).hexdigest()
        metadata = read_one(warc_dir / row["metadata_file"], row["metadata_offset"])
        assert metadata.type == "metadata" and metadata.length == row["metadata_length"]
        assert metadata.h("WARC-Refers-To") == row["record_id"]
        meta = warc_fields(metadata.payload)
        assert [row["title"]] == meta["title"] == [spec.title]
        assert json.loads(row["authors"]) == meta.get("authors", [])
        assert [row["extractor"]] == meta["extractor"]


def test_catalog_lists_every_warc_file_closed(crawl, catalog):
    rows = {row["name"]: row for row in catalog.execute("SELECT * FROM warc_files")}
    assert sorted(rows) == [p.name for p in crawl.files]
    for path in crawl.files:
        row = rows[path.name]
        assert row["state"] == "closed"
        assert row["size"] == path.stat().st_size
        assert row["records"] == len([r for r in crawl.records if r.file == path.name])


# --------------------------------------------------------------------------------------
# Other crawls
# --------------------------------------------------------------------------------------


def test_depth_zero_fetches_only_the_seed(fresh_news_site, tmp_path):
    spec = sites.ARTICLES[0]
    wirecopy = shutil.which("wirecopy")
    assert wirecopy, "the wirecopy console script is not installed"
    proc = subprocess.run(
        [wirecopy, "crawl", fresh_news_site.url(spec.path), "--depth", "0", "--archive",
         str(tmp_path / "seed-archive"), "--json", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
         "-s", "EXTRACT_WORKERS=1"],
        capture_output=True, text=True, cwd=tmp_path, env=crawl_env(), timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert fresh_news_site.requested() == ["/robots.txt", spec.path]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["pages"] == 1 and summary["articles"] == 1 and summary["errors"] == 0
    (path,) = (tmp_path / "seed-archive" / "warc").glob("*.warc.gz")
    records = read_warc(path)
    assert [r.type for r in records] == ["warcinfo", "request", "response", "request", "response",
                                         "conversion", "metadata"]
    assert [r.path for r in records if r.type == "response"] == ["/robots.txt", spec.path]


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory):
    """A crawl of a 127.0.0.1 port that refuses connections."""
    sock = sites.unused_port_socket()  # bound, never listening: connections are refused
    try:
        port = sock.getsockname()[1]
        archive = tmp_path_factory.mktemp("unreachable") / "unreachable-archive"
        return run_crawl([f"http://127.0.0.1:{port}/"], archive, settings=("RETRY_TIMES=1",))
    finally:
        sock.close()


def test_unreachable_host_fails_cleanly(unreachable):
    # exit code 1 from the CLI ("nothing could be fetched"), not an uncaught exception
    assert unreachable.returncode == 1
    summary = unreachable.summary  # the JSON summary is still printed
    assert summary["pages"] == 0 and summary["articles"] == 0 and summary["warc_files"] == 0
    stats = unreachable.stats
    # robots.txt, tried twice (RETRY_TIMES=1), is unreachable: the seed is disallowed (RFC 9309)
    assert stats["downloader/exception_type_count/scrapy.exceptions.DownloadConnectionRefusedError"] == 2
    assert stats["robotstxt/forbidden/unreachable"] == 1
    assert summary["errors"] == 2
    assert stats["finish_reason"] == "finished"
    assert "crawler/cli.py" not in unreachable.stderr  # nothing escaped to the top level
    assert not list(unreachable.archive.rglob("*.open"))
    assert not list((unreachable.archive / "warc").iterdir())


def test_unreachable_host_reports_no_traceback(unreachable):
    assert "Connection refused" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr


def test_python_m_cli_with_the_default_archive_directory(fresh_news_site, tmp_path):
    # a different article each run: the second run must extract too (an unchanged page is a revisit)
    for run, spec in ((1, sites.ARTICLES[0]), (2, sites.ARTICLES[1])):
        proc = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", fresh_news_site.url(spec.path), "--depth", "0",
             "--json", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "EXTRACT_WORKERS=1"],
            capture_output=True, text=True, cwd=tmp_path, env=crawl_env(), timeout=120,
        )
        assert proc.returncode == 0, f"run {run}: {proc.stderr[-2000:]}"
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
        assert summary["articles"] == 1 and summary["errors"] == 0, f"run {run}: {summary['stats']}"
    files = sorted((tmp_path / "wirecopy-archive" / "warc").glob("*.warc.gz"))
    assert len(files) == 2
    assert [len([r for r in read_warc(p) if r.type == "conversion"]) for p in files] == [1, 1]


def test_scrapy_crawl_command_from_the_repository(fresh_news_site, tmp_path):
    spec = sites.ARTICLES[1]
    archive = tmp_path / "scrapy-archive"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={fresh_news_site.url(spec.path)}",
         "-a", "depth=0", "-s", f"ARCHIVE_DIR={archive}", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "DOWNLOAD_DELAY=0", "-s", "EXTRACT_WORKERS=1", "-s", "LOG_LEVEL=INFO"],
        capture_output=True, text=True, cwd=REPO_ROOT, env=crawl_env(), timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Traceback" not in proc.stderr
    assert "'extract/ok': 1" in proc.stderr  # Scrapy's stats dump
    assert fresh_news_site.requested() == ["/robots.txt", spec.path]
    (path,) = (archive / "warc").glob("*.warc.gz")
    assert re.fullmatch(r"wirecopy-\d{17}-\d{5}-[A-Za-z0-9_.-]+\.warc\.gz", path.name)
    records = read_warc(path)
    response = [r for r in records if r.type == "response" and r.path == spec.path]
    assert len(response) == 1
    (conversion,) = [r for r in records if r.type == "conversion"]
    assert conversion.h("WARC-Refers-To") == response[0].id
    assert conversion.payload.decode("utf-8") == sites.article_text(spec)
    assert (archive / "indexes" / f"{path.name}.cdxj").exists()
    assert (archive / "catalog.sqlite").exists()
