"""The recrawl policy, text diffs, revisit records and conditional requests, one at a time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from io import BytesIO

import pytest
from scrapy.settings import Settings
from warcio.archiveiterator import ArchiveIterator

from archive.catalog import PROFILE_IDENTICAL, ArticleState
from archive.recrawl import RecrawlPolicy, parse_datetime
from archive.textdiff import diff_texts, word_counts, word_diff
from archive.warc.records import RecordFactory
from archive.warc.writer import serialize
from crawler.recrawl import RecrawlConfig

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=timezone.utc)
LAST = "Wed, 19 Mar 2025 09:00:00 GMT"


def state(published: str | None, first: str = "2025-03-01T10:00:00Z",
          last: str = "2025-03-19T10:00:00Z") -> ArticleState:
    return ArticleState("https://example.com/a", published, first, last, "sha1:x", 1)


def test_new_urls_are_always_fetched():
    for mode in ("age", "always", "never"):
        assert RecrawlPolicy(mode).decide(None, now=NOW).reason == "new"


def test_age_policy_rechecks_young_articles_only():
    policy = RecrawlPolicy("age", max_age_days=2)
    assert policy.decide(state("2025-03-19T08:00:00+00:00"), now=NOW) .fetch
    old = policy.decide(state("2025-03-10T08:00:00+00:00"), now=NOW)
    assert (old.fetch, old.reason) == (False, "old")
    # no publication date: the first capture's date counts
    assert not policy.decide(state(None, first="2025-03-01T00:00:00Z"), now=NOW).fetch
    assert policy.decide(state(None, first="2025-03-20T00:00:00Z"), now=NOW).fetch


def test_lastmod_newer_than_the_last_capture_brings_an_article_back():
    policy = RecrawlPolicy("age", max_age_days=2)
    old = state("2024-01-01")
    assert policy.decide(old, lastmod="2025-03-19T11:00:00Z", now=NOW).reason == "lastmod"
    assert not policy.decide(old, lastmod="2025-03-19", now=NOW).fetch  # midnight: before the capture
    assert not policy.decide(old, lastmod="not a date", now=NOW).fetch
    assert not RecrawlPolicy("age", 2, honour_lastmod=False).decide(
        old, lastmod="2025-03-19T11:00:00Z", now=NOW).fetch
    assert not RecrawlPolicy("never").decide(old, lastmod="2025-03-19T11:00:00Z", now=NOW).fetch
    assert RecrawlPolicy("always").decide(old, now=NOW).fetch


def test_bad_policies_are_refused():
    with pytest.raises(ValueError, match="one of age, always, never"):
        RecrawlPolicy("sometimes")
    with pytest.raises(ValueError, match="0 days or more"):
        RecrawlPolicy("age", -1)
    with pytest.raises(ValueError, match="RECRAWL_MAX_AGE_DAYS must be a number"):
        RecrawlConfig.from_settings(Settings({"RECRAWL_MAX_AGE_DAYS": "a week"}))
    policy = RecrawlConfig.from_settings(Settings({"RECRAWL_POLICY": "Never", "RECRAWL_MAX_AGE_DAYS": "7",
                                                   "RECRAWL_HONOUR_LASTMOD": "False"})).policy
    assert policy == RecrawlPolicy("never", 7.0, False)
    # recrawls off: the policy settings are not read, as the components using them are off
    assert RecrawlConfig.from_settings(Settings({"RECRAWL_ENABLED": False, "RECRAWL_POLICY": "x"})).policy is None


def test_w3c_dates_parse_to_utc():
    assert parse_datetime("2025-03-04") == datetime(2025, 3, 4, tzinfo=timezone.utc)
    assert parse_datetime("2025-03-04T10:20+02:00") == datetime(2025, 3, 4, 8, 20, tzinfo=timezone.utc)
    assert parse_datetime("2025-03-04T10:20:30Z") - NOW < timedelta(0)
    assert parse_datetime("") is None and parse_datetime("yesterday") is None


def test_word_diff_marks_what_changed():
    old = "The council approved the plan on Monday after 412 submissions."
    new = "The council approved the revised plan on Thursday after 587 submissions."
    assert word_diff(old, new, context=2) == (
        "... approved the {+revised+} plan on [-Monday-] {+Thursday+} after [-412-] {+587+} submissions."
    )
    assert word_counts(old, new) == (3, 2)
    diff = diff_texts(old, new, "v1", "v2")
    assert diff.changed and diff.unified.startswith("--- v1\n+++ v2")
    assert not diff_texts(old, old).changed


def test_revisit_record_holds_headers_only():
    factory = RecordFactory()
    record = factory.revisit(
        "https://example.com/a", "2025-03-20T12:00:00.000000Z", PROFILE_IDENTICAL,
        refers_to="<urn:uuid:1>", refers_to_uri="https://example.com/a",
        refers_to_date="2025-03-19T10:00:00.000000Z", payload_digest="sha1:ABC",
        protocol="HTTP/1.1", status=200, reason="OK",
        headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"), ("Content-Length", "12")],
    )
    data = serialize(record)
    read = next(iter(ArchiveIterator(BytesIO(data), check_digests=True)))
    assert read.rec_type == "revisit"
    h = read.rec_headers
    assert h.get_header("WARC-Profile") == PROFILE_IDENTICAL
    assert h.get_header("WARC-Refers-To") == "<urn:uuid:1>"
    assert h.get_header("WARC-Payload-Digest") == "sha1:ABC"
    assert read.http_headers.get_header("Transfer-Encoding") is None
    assert read.http_headers.get_header("Content-Length") == "12"
    assert read.content_stream().read() == b""


# --------------------------------------------------------------------------------------
# ConditionalRequests on hand-made requests and responses
# --------------------------------------------------------------------------------------

def _archive_with_capture(crawler, url: str, body: bytes, headers: list[tuple[str, str]]):
    from crawler.session import archive_for

    archive = archive_for(crawler)
    factory = archive.factory
    date = "2025-03-19T10:00:00.000000Z"
    response = factory.response(url, date, "HTTP/1.1", 200, "OK", headers, body)
    request = factory.request(url, date, "GET", "/a", [("Host", "example.com")],
                              concurrent_to=response.rec_headers.get_header("WARC-Record-ID"))
    archive.write_capture(request, response)
    return archive


def test_conditional_requests_and_a_304_answered_from_the_archive(tmp_path):
    from scrapy import Request
    from scrapy.http import HtmlResponse, Response
    from scrapy.utils.misc import build_from_crawler
    from scrapy.utils.test import get_crawler

    from crawler.capture import UNCHANGED_META
    from crawler.recrawl import PREVIOUS_META, ConditionalRequests
    from crawler.session import close_archive

    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path / "archive")})
    url = "https://example.com/a"
    body = b"<html><body><p>Archived page</p></body></html>"
    _archive_with_capture(crawler, url, body, [("Content-Type", "text/html; charset=utf-8"),
                                               ("ETag", '"v1"'), ("Last-Modified", LAST)])
    try:
        mw = build_from_crawler(ConditionalRequests, crawler)
        request = Request(url)
        assert mw.process_request(request) is None
        assert request.headers[b"If-None-Match"] == b'"v1"'
        assert request.headers[b"If-Modified-Since"] == LAST.encode()

        not_modified = Response(url, status=304, headers={"ETag": '"v1"'}, request=request)
        answer = mw.process_response(request, not_modified)
        assert isinstance(answer, HtmlResponse) and answer.status == 200
        assert answer.body == body and "not-modified" in answer.flags
        assert request.meta[UNCHANGED_META].endswith("server-not-modified")

        # a redirect to another URL must not carry the first URL's validators
        redirected = request.replace(url="https://example.com/b")
        assert mw.process_request(redirected) is None
        assert b"If-None-Match" not in redirected.headers and PREVIOUS_META not in redirected.meta
        assert crawler.stats.get_value("recrawl/not_modified") == 1
    finally:
        close_archive(crawler)



def test_revisits_read_back_from_warcs_resolve_to_their_original(tmp_path, catalog_backend):
    """Revisit records read back (an import, a rebuild) name their original by record id;
    original_of finds the response by the record id named, else by URL and payload digest."""
    from archive.catalog import PROFILE_NOT_MODIFIED, CaptureRow, RevisitLink, open_catalog

    catalog = open_catalog(tmp_path, catalog_backend)

    def capture(record_id: str, stamp: str, kind: str, digest: str = "sha1:AAA", link: RevisitLink | None = None):
        def unit(c) -> int:
            capture_id = c.add_capture(CaptureRow(
                "https://example.com/a", "com,example)/a", stamp, stamp, record_id, 200, "text/html",
                kind, digest, "f.warc.gz", 0, 100))
            if link is not None:
                c.add_revisit(capture_id, link)
            return capture_id
        return catalog.write(unit)

    original = capture("<urn:uuid:1>", "20250301000000", "page")
    capture("<urn:uuid:2>", "20250302000000", "page", digest="sha1:BBB")
    named = capture("<urn:uuid:3>", "20250303000000", "revisit",
                    link=RevisitLink(PROFILE_NOT_MODIFIED, "<urn:uuid:1>", "https://example.com/a", "2025-03-01"))
    unnamed = capture("<urn:uuid:4>", "20250304000000", "revisit",
                      link=RevisitLink(PROFILE_NOT_MODIFIED, None, "https://example.com/a", None))
    dangling = capture("<urn:uuid:5>", "20250305000000", "revisit", digest="sha1:CCC",
                       link=RevisitLink(PROFILE_NOT_MODIFIED, "<urn:uuid:404>", None, None))
    assert catalog.revisit_of(named)["original_id"] == original
    assert catalog.original_of(named)["id"] == original
    assert catalog.original_of(unnamed)["id"] == original  # by URL and digest
    assert catalog.original_of(dangling) is None
    catalog.close()


def test_recrawl_filter_counts_each_archived_article_once(tmp_path):
    from scrapy import Request
    from scrapy.utils.misc import build_from_crawler
    from scrapy.utils.test import get_crawler

    from archive.extract import Article
    from crawler.recrawl import RecrawlFilter
    from crawler.session import close_archive

    crawler = get_crawler(settings_dict={"ARCHIVE_DIR": str(tmp_path / "archive")})
    url = "https://example.com/old-story"
    archive = _archive_with_capture(crawler, url, b"<html></html>", [("Content-Type", "text/html")])
    ref = archive.write_capture(*_pair(archive, url))
    archive.write_article(ref, Article(url, "An old story. " * 30, published="2020-01-01T00:00:00Z"))
    try:
        mw = build_from_crawler(RecrawlFilter, crawler)

        def passed(*requests):
            return list(mw.process_spider_output(None, list(requests)))

        stats = crawler.stats
        fresh = Request("https://example.com/new")
        assert passed(Request(url), Request(url), fresh) == [fresh]
        assert stats.get_value("recrawl/skipped") == 1 and stats.get_value("recrawl/skipped/old") == 1
        forced = Request(url, meta={"wirecopy_recrawl": True})
        assert passed(forced) == [forced]
        later = Request(url, meta={"wirecopy_lastmod": "2030-01-01"})
        assert passed(later) == [later]
        assert stats.get_value("recrawl/skipped") == 0
        assert stats.get_value("recrawl/refetched/lastmod") == 1
        again = Request(url)
        assert passed(again) == [again]  # from now on the duplicate filter's business
    finally:
        close_archive(crawler)


def _pair(archive, url: str):
    factory = archive.factory
    date = "2025-03-19T11:00:00.000000Z"
    response = factory.response(url, date, "HTTP/1.1", 200, "OK", [("Content-Type", "text/html")],
                                b"<html><body><p>An old story.</p></body></html>")
    request = factory.request(url, date, "GET", "/", [("Host", "example.com")],
                              concurrent_to=response.rec_headers.get_header("WARC-Record-ID"))
    return request, response
