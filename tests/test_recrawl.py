"""Incremental recrawls end to end: two (then three) ``wirecopy crawl`` runs into one archive
over a local site that changes between runs.

Run 1 archives five pages of articles. Before run 2 one article is edited, one is added (and
linked from the home page and the sitemap), one answers 304 to ``If-None-Match``, one 304 to
``If-Modified-Since``, and one has no validators and the same bytes. Run 2 must store exactly
responses for what changed, ``server-not-modified`` revisits for the 304s and an
``identical-payload-digest`` revisit for the unchanged page, with conversion records only for
the edited and the added article. The WARCs are read back with warcio and FastWARC, digests
verified; CDXJ, catalog version chain and ``wirecopy history`` are checked. Run 3 uses the
default recrawl policy: old articles are skipped unless the sitemap's lastmod is newer.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from cdxj_indexer.main import write_cdx_index
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator

import sites
from conftest import crawl_env, run_crawl

from archive.catalog import Catalog
from archive.catalog import PROFILE_IDENTICAL, PROFILE_NOT_MODIFIED
from archive.index.cdxj import index_warc, read_index

NO_STORIES = ("STORIES_ENABLED=False",)
ETAG = '"harbour-v1"'
LAST_MODIFIED = "Mon, 10 Mar 2025 08:00:00 GMT"


def _spec(slug: str, title: str, place: str, subject: str, number: int) -> sites.ArticleSpec:
    return sites.ArticleSpec(
        f"/news/{slug}.html", title, "Mara Ellison", "2020-05-04T09:00:00+00:00",
        f"The {subject} was agreed after a vote of {number} to twelve.", place, subject,
        "Jonas Weller", "harbour master", "residents and traders", number, "Monday",
    )


EDITED = _spec("quay-wall", "Quay wall repairs approved", "Eastport", "the quay wall repair", 412)
EDITED_V2 = replace(EDITED, number=587, weekday="Thursday")
ETAGGED = _spec("lighthouse", "Lighthouse to reopen", "Northcape", "the lighthouse reopening", 230)
DATED = _spec("market-hall", "Market hall roof replaced", "Westfield", "the market hall roof", 318)
PLAIN = _spec("cycle-lane", "Cycle lane on the seafront", "Seaview", "the seafront cycle lane", 145)
RESTYLED = _spec("ferry-fares", "Ferry fares frozen", "Islandport", "the ferry fare freeze", 77)
ADDED = _spec("tide-gauge", "New tide gauge installed", "Southmere", "the tide gauge project", 96)


class ConditionalHandler(sites._Handler):
    """The test server's handler, answering 304 to a matching If-None-Match / If-Modified-Since."""

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path)
        if route is not None and route.status == 200:
            own = {k.lower(): v for k, v in route.headers}
            etag, modified = own.get("etag"), own.get("last-modified")
            if_none, if_since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if (etag and if_none and etag in [t.strip() for t in if_none.split(",")]) or (
                    modified and if_since == modified and not if_none):
                self.server.record(self.path, self.headers)
                self.send_response(304)
                for name in ("ETag", "Last-Modified"):
                    if own.get(name.lower()):
                        self.send_header(name, own[name.lower()])
                self.end_headers()
                return
        super().do_GET()


def _article(spec: sites.ArticleSpec, base: str, headers=(), build: str = "") -> sites.Route:
    page = sites.article_html(spec, base).replace("</body>", f"<!-- build {build} --></body>" if build else "</body>")
    return sites.Route(page.encode("utf-8"), headers=list(headers))


def _sitemap(base: str, entries: list[tuple[sites.ArticleSpec, str]]) -> sites.Route:
    urls = "".join(f"<url><loc>{base}{s.path}</loc><lastmod>{lastmod}</lastmod></url>\n"
                   for s, lastmod in entries)
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
            f'sitemap/0.9">\n{urls}</urlset>\n').encode("utf-8")
    return sites.Route(body, "application/xml")


def _home(specs: list[sites.ArticleSpec]) -> sites.Route:
    cards = "\n".join(f'<p><a href="{s.path}">{s.title}</a></p>' for s in specs)
    return sites.Route(sites._page("The Harbour Herald", f"<h1>Harbour news</h1>\n{cards}"))


def first_routes(base: str) -> dict[str, sites.Route]:
    specs = [EDITED, ETAGGED, DATED, PLAIN, RESTYLED]
    return {
        "/robots.txt": sites.Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/": _home(specs),
        "/news/": _home(specs),
        "/sitemap.xml": _sitemap(base, [(s, "2020-05-04") for s in specs]),
        EDITED.path: _article(EDITED, base),
        ETAGGED.path: _article(ETAGGED, base, [("ETag", ETAG)]),
        DATED.path: _article(DATED, base, [("Last-Modified", LAST_MODIFIED)]),
        PLAIN.path: _article(PLAIN, base),
        RESTYLED.path: _article(RESTYLED, base, build="1"),
    }


def second_routes(base: str) -> dict[str, sites.Route]:
    routes = first_routes(base)
    specs = [EDITED, ETAGGED, DATED, PLAIN, RESTYLED, ADDED]
    routes["/"] = routes["/news/"] = _home(specs)
    routes["/sitemap.xml"] = _sitemap(base, [(s, "2020-05-04") for s in specs])
    routes[EDITED.path] = _article(EDITED_V2, base)
    routes[ADDED.path] = _article(ADDED, base)
    routes[RESTYLED.path] = _article(RESTYLED, base, build="2")  # new bytes, same text
    return routes


@dataclass
class Record:
    file: str
    type: str
    url: str | None
    headers: dict[str, str]
    http_status: int | None
    http_headers: dict[str, str]
    payload: bytes


def read_records(paths: list[Path]) -> list[Record]:
    """Every record, read with warcio verifying block and payload digests."""
    out = []
    for path in paths:
        with open(path, "rb") as f:
            for rec in ArchiveIterator(f, check_digests=True):
                status = rec.http_headers.get_statuscode() if rec.http_headers is not None else None
                out.append(Record(path.name, rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"),
                                  dict(rec.rec_headers.headers),
                                  int(status) if status and rec.rec_type != "request" else None,
                                  {k.lower(): v for k, v in rec.http_headers.headers} if rec.http_headers else {},
                                  rec.content_stream().read()))
    return out


@dataclass
class Recrawl:
    server: sites.SiteServer
    archive: Path
    first: object
    second: object
    first_files: list[Path]
    second_files: list[Path]
    first_records: list[Record]
    second_records: list[Record]
    second_requests: list[str]

    def url(self, spec_or_path) -> str:
        path = spec_or_path if isinstance(spec_or_path, str) else spec_or_path.path
        return self.server.url(path)


@pytest.fixture(scope="module")
def recrawl(tmp_path_factory):
    archive = tmp_path_factory.mktemp("recrawl") / "archive"
    server = sites.SiteServer()
    server.RequestHandlerClass = ConditionalHandler
    server.routes.update(first_routes(server.base_url))
    server.start()
    try:
        seeds = [server.url("/"), server.url("/sitemap.xml")]
        first = run_crawl(seeds, archive, settings=NO_STORIES)
        assert first.returncode == 0, first.stderr[-3000:]
        first_files = sorted((archive / "warc").glob("*.warc.gz"))
        server.routes.clear()
        server.routes.update(second_routes(server.base_url))
        before = len(server.requested())
        second = run_crawl(seeds, archive, settings=NO_STORIES + ("RECRAWL_POLICY=always",))
        assert second.returncode == 0, second.stderr[-3000:]
        second_files = sorted(set((archive / "warc").glob("*.warc.gz")) - set(first_files))
        yield Recrawl(server, archive, first, second, first_files, second_files,
                      read_records(first_files), read_records(second_files),
                      server.requested()[before:])
    finally:
        server.stop()


def _by_url(records: list[Record], *types: str) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for r in records:
        if r.type in types:
            out.setdefault(r.url.removeprefix("urn:text:"), []).append(r)
    return out


def test_second_run_stores_exactly_what_changed(recrawl):
    r = recrawl
    captures = {url: [(rec.type, rec.headers.get("WARC-Profile"), rec.http_status) for rec in recs]
                for url, recs in _by_url(r.second_records, "response", "revisit").items()}
    assert captures == {
        r.url("/robots.txt"): [("revisit", PROFILE_IDENTICAL, 200)],
        r.url("/"): [("response", None, 200)],
        r.url("/news/"): [("response", None, 200)],
        r.url("/sitemap.xml"): [("response", None, 200)],
        r.url(EDITED): [("response", None, 200)],
        r.url(ADDED): [("response", None, 200)],
        r.url(RESTYLED): [("response", None, 200)],
        r.url(ETAGGED): [("revisit", PROFILE_NOT_MODIFIED, 304)],
        r.url(DATED): [("revisit", PROFILE_NOT_MODIFIED, 304)],
        r.url(PLAIN): [("revisit", PROFILE_IDENTICAL, 200)],
    }
    derived = _by_url(r.second_records, "conversion", "metadata")
    texts = {url: [rec.type for rec in recs] for url, recs in derived.items()
             if any(rec.type == "conversion" for rec in recs)}
    assert texts == {r.url(EDITED): ["conversion", "metadata"], r.url(ADDED): ["conversion", "metadata"]}
    # the other pages fetched again carry only their class (listings, pages that are no article)
    classed = {url for url, recs in derived.items() if url not in texts}
    assert classed and classed <= set(captures) - {r.url(EDITED), r.url(ADDED)}
    assert len([x for x in r.second_records if x.type == "request"]) == 10
    assert {x.type for x in r.second_records} == {"warcinfo", "request", "response", "revisit",
                                                  "conversion", "metadata"}
    assert "recrawl/skipped" not in r.first.stats  # links to what the run itself archived
    stats = r.second.stats
    assert stats["recrawl/not_modified"] == 2
    assert stats["warc/revisits/server-not-modified"] == 2
    assert stats["warc/revisits/identical-payload-digest"] == 2
    assert stats["recrawl/unchanged_articles"] == 3
    assert stats["recrawl/changed_articles"] == 1
    assert stats["recrawl/text_unchanged"] == 1
    assert stats["extract/ok"] == 3
    summary = r.second.summary
    assert (summary["revisits"], summary["changed_articles"], summary["recrawl_skipped"]) == (4, 1, 0)


def test_conditional_requests_carry_the_previous_validators(recrawl):
    headers = recrawl.server.request_headers
    assert headers[ETAGGED.path][-1].get("If-None-Match") == ETAG
    assert headers[DATED.path][-1].get("If-Modified-Since") == LAST_MODIFIED
    assert "If-None-Match" not in headers[ETAGGED.path][0]
    for path in (PLAIN.path, EDITED.path, "/robots.txt"):
        assert not {"If-None-Match", "If-Modified-Since"} & set(headers[path][-1])


def test_revisits_refer_to_the_original_response(recrawl):
    originals = {rec.headers["WARC-Record-ID"]: rec for rec in recrawl.first_records
                 if rec.type == "response"}
    revisits = [rec for rec in recrawl.second_records if rec.type == "revisit"]
    assert len(revisits) == 4
    for rev in revisits:
        original = originals[rev.headers["WARC-Refers-To"]]
        assert original.url == rev.url == rev.headers["WARC-Refers-To-Target-URI"]
        assert rev.headers["WARC-Refers-To-Date"] == original.headers["WARC-Date"]
        assert rev.headers["WARC-Payload-Digest"] == original.headers["WARC-Payload-Digest"]
        sha1 = base64.b32encode(hashlib.sha1(original.payload).digest()).decode()
        assert rev.headers["WARC-Payload-Digest"] == f"sha1:{sha1}"
        assert rev.payload == b""  # HTTP headers only: no payload stored twice
        assert rev.headers["Content-Type"] == "application/http; msgtype=response"
    not_modified = [rev for rev in revisits if rev.headers["WARC-Profile"] == PROFILE_NOT_MODIFIED]
    etagged = next(rev for rev in not_modified if rev.url == recrawl.url(ETAGGED))
    assert etagged.http_headers.get("etag") == ETAG
    plain = next(rev for rev in revisits if rev.url == recrawl.url(PLAIN))
    assert plain.http_headers["content-length"] == str(len(originals[plain.headers["WARC-Refers-To"]].payload))


def test_fastwarc_verifies_digests_of_both_runs(recrawl):
    for path in recrawl.first_files + recrawl.second_files:
        with open(path, "rb") as f:
            for record in FastArchiveIterator(f, parse_http=False):
                assert record.verify_block_digest(), (path.name, record.record_id)
        with open(path, "rb") as f:
            for record in FastArchiveIterator(f, parse_http=True):
                if record.headers["WARC-Type"] == "response":
                    assert record.verify_payload_digest(), (path.name, record.record_id)
                if record.headers["WARC-Type"] == "revisit":
                    assert record.http_headers is not None
                    assert record.reader.read() == b""


def test_cdxj_indexes_revisits_as_pywb_does(recrawl):
    lines = []
    for path in recrawl.second_files:
        index = recrawl.archive / "indexes" / f"{path.name}.cdxj"
        live = list(read_index(index))
        assert [f"{k} {t} {json.dumps(d)}" for k, t, d in live] == sorted(index_warc(path))
        lines += live
    revisits = {d["url"]: d for _, _, d in lines if d["mime"] == "warc/revisit"}
    assert set(revisits) == {recrawl.url(p) for p in (ETAGGED, DATED, PLAIN, "/robots.txt")}
    assert revisits[recrawl.url(ETAGGED)]["status"] == "304"
    assert revisits[recrawl.url(PLAIN)]["status"] == "200"
    firsts = {d["url"]: d for path in recrawl.first_files
              for _, _, d in read_index(recrawl.archive / "indexes" / f"{path.name}.cdxj")}
    for url, line in revisits.items():
        assert line["digest"] == firsts[url]["digest"] and line["orig_url"] == url


def test_revisit_index_lines_are_cdxj_indexers(recrawl):
    """cdxj-indexer (pywb's indexer) reading the second run's WARCs gives the same revisit lines."""
    for path in recrawl.second_files:
        out = io.StringIO()
        write_cdx_index(out, str(path), {})
        theirs = {}
        for line in out.getvalue().splitlines():
            key, stamp, data = line.split(" ", 2)
            fields = json.loads(data)
            if fields["mime"] == "warc/revisit":
                theirs[key, stamp, fields["url"]] = fields
        ours = {(k, t, d["url"]): d for k, t, d in read_index(recrawl.archive / "indexes" / f"{path.name}.cdxj")
                if d["mime"] == "warc/revisit"}
        assert set(theirs) == set(ours) and len(ours) == 4
        for key, fields in theirs.items():
            assert {k: v for k, v in ours[key].items() if k != "orig_url"} == fields


def test_catalog_records_revisits_and_the_version_chain(recrawl):
    catalog = Catalog(recrawl.archive / "catalog.sqlite")
    history = catalog
    try:
        for spec in (ETAGGED, DATED, PLAIN):
            url = recrawl.url(spec)
            timeline = history.timeline(url)
            assert [row["kind"] for row in timeline] == ["article", "revisit"]
            revisit = history.revisit_of(timeline[1]["id"])
            assert revisit["original_id"] == timeline[0]["id"]
            assert history.original_of(timeline[1]["id"])["id"] == timeline[0]["id"]
            assert history.original_of(timeline[0]["id"])["id"] == timeline[0]["id"]
            assert revisit["profile"] == (PROFILE_IDENTICAL if spec is PLAIN else PROFILE_NOT_MODIFIED)
            assert len(history.versions(url)) == 1
            articles = catalog.db.execute("SELECT count(*) FROM articles WHERE url = ?", (url,)).fetchone()
            assert articles[0] == 1
        versions = history.versions(recrawl.url(EDITED))
        assert [v.version for v in versions] == [1, 2]
        assert versions[1].previous_id == versions[0].capture_id
        assert versions[0].text_hash != versions[1].text_hash
        assert "-more than 412 written submissions" not in versions[1].diff
        assert "412" in versions[1].diff and "587" in versions[1].diff
        assert versions[1].added_words and versions[1].removed_words
        assert [v.version for v in history.versions(recrawl.url(ADDED))] == [1]
        restyled = history.timeline(recrawl.url(RESTYLED))
        assert [(row["kind"], row["version"]) for row in restyled] == [("article", 1), ("page", None)]
        assert restyled[0]["payload_digest"] != restyled[1]["payload_digest"]
    finally:
        catalog.close()


def _history(archive: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", "history", url, "--archive", str(archive),
                           *args], capture_output=True, text=True, env=crawl_env(), timeout=60,
                          cwd=archive.parent)


def test_history_command_lists_versions_and_diffs(recrawl):
    out = _history(recrawl.archive, recrawl.url(EDITED), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [c["change"] for c in data["captures"]] == ["first version", "changed"]
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert "[-412-] {+587+}" in data["versions"][1]["word_diff"]
    assert "[-Monday-] {+Thursday+}" in data["versions"][1]["word_diff"]
    assert data["versions"][1]["diff"].startswith("--- ")

    out = _history(recrawl.archive, recrawl.url(ETAGGED))
    assert out.returncode == 0, out.stderr
    assert "revisit (not modified)" in out.stdout and "2 captures, 1 text versions" in out.stdout

    out = _history(recrawl.archive, recrawl.url(EDITED), "--diff", "word")
    assert "version 1 -> 2" in out.stdout and "{+587+}" in out.stdout

    out = _history(recrawl.archive, recrawl.url(RESTYLED), "--format", "json")
    assert [c["change"] for c in json.loads(out.stdout)["captures"]] == ["first version", "same text"]

    out = _history(recrawl.archive, recrawl.url("/nowhere"))
    assert out.returncode == 1 and "no captures" in out.stderr


def test_default_policy_skips_old_articles_unless_the_sitemap_says_they_changed(recrawl):
    """Run 3 (default policy: age, 2 days): the articles were published in 2020, so none is
    fetched again, except the one whose sitemap lastmod is later than its last capture.
    Revisits are written without their request records (WARC_REVISIT_REQUESTS=False)."""
    r = recrawl
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    routes = second_routes(r.server.base_url)
    specs = [EDITED, ETAGGED, DATED, PLAIN, RESTYLED, ADDED]
    routes["/sitemap.xml"] = _sitemap(r.server.base_url,
                                      [(s, now if s is PLAIN else "2020-05-04") for s in specs])
    r.server.routes.clear()
    r.server.routes.update(routes)
    before = len(r.server.requested())
    files_before = set((r.archive / "warc").glob("*.warc.gz"))
    third = run_crawl([r.url("/"), r.url("/sitemap.xml")], r.archive,
                      settings=NO_STORIES + ("WARC_REVISIT_REQUESTS=False",))
    assert third.returncode == 0, third.stderr[-3000:]
    requested = r.server.requested()[before:]
    assert PLAIN.path in requested
    for spec in (EDITED, ETAGGED, DATED, RESTYLED, ADDED):
        assert spec.path not in requested
    stats = third.stats
    # each archived article counted once, however many pages link to it
    assert stats["recrawl/skipped/old"] == stats["recrawl/skipped"] == 5
    assert stats["recrawl/refetched/lastmod"] == 1
    records = read_records(sorted(set((r.archive / "warc").glob("*.warc.gz")) - files_before))
    revisits = {rec.url for rec in records if rec.type == "revisit"}
    assert revisits == {r.url(PLAIN), r.url("/robots.txt"), r.url("/"), r.url("/news/")}
    assert not revisits & {rec.url for rec in records if rec.type == "request"}


def test_never_policy_fetches_no_archived_article(recrawl):
    r = recrawl
    before = len(r.server.requested())
    run = run_crawl([r.url("/"), r.url("/sitemap.xml")], r.archive,
                    settings=NO_STORIES + ("RECRAWL_POLICY=never",))
    assert run.returncode == 0, run.stderr[-3000:]
    requested = set(r.server.requested()[before:])
    assert not requested & {s.path for s in (EDITED, ETAGGED, DATED, PLAIN, RESTYLED, ADDED)}
    assert {"/", "/sitemap.xml"} <= requested


def test_a_bad_policy_is_refused_with_a_clear_message(recrawl, tmp_path):
    run = run_crawl([recrawl.url("/")], tmp_path / "archive", settings=("RECRAWL_POLICY=sometimes",))
    assert run.returncode != 0
    assert "recrawl policy must be one of age, always, never, got 'sometimes'" in run.stderr
