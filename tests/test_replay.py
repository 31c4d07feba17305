"""`wirecopy replay` end to end: a live crawl of a local site, then the same spider run against
the archive in a subprocess with the network off.

Connections are counted where they would arrive: every threading HTTP server of this process
(the test sites) counts the connections it accepts, and a replay must add none.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import shutil
import socketserver
import sqlite3
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

import sites
from archive.demo import DemoWeb
from archive.catalog import STORY_TABLES
from archive.warc.reader import iter_records
from conftest import FAST_SETTINGS, CrawlResult, crawl_env, run_crawl

NO_STORIES = ("STORIES_ENABLED=False",)
WIRE = "STORIES_WIRE_NAMES=Aurora Press"


class ConnectionCounter:
    """Counts the connections every socketserver threading server of this process accepts."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def installed(self):
        original = socketserver.ThreadingMixIn.process_request

        def counting(server, request, client_address):
            with self._lock:
                self.count += 1
            return original(server, request, client_address)

        socketserver.ThreadingMixIn.process_request = counting
        try:
            yield self
        finally:
            socketserver.ThreadingMixIn.process_request = original


def replay(archive: Path, *urls: str, at: str | None = None, depth: int | None = None,
           settings: tuple[str, ...] = ()) -> CrawlResult:
    cmd = [sys.executable, "-m", "crawler.cli", "replay", *urls, "--archive", str(archive), "--json"]
    if at:
        cmd += ["--at", at]
    if depth is not None:
        cmd += ["--depth", str(depth)]
    for setting in FAST_SETTINGS + settings:
        cmd += ["-s", setting]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=archive.parent, env=crawl_env(),
                          timeout=300)
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr, archive)


def replay_counting(archive: Path, *urls: str, **kwargs) -> tuple[CrawlResult, int]:
    """Replay while counting connections; a request to a live server first proves the count works."""
    counter = ConnectionCounter()
    with counter.installed():
        result = replay(archive, *urls, **kwargs)
    return result, counter.count


def sha256s(archive: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((archive / "warc").glob("*.warc.gz"))}


def texts(archive: Path, names) -> dict[str, str]:
    """URL -> text of the conversion records in the named WARC files."""
    found: dict[str, str] = {}
    for name in names:
        for record in iter_records(archive / "warc" / name, types=("conversion",)):
            found[record.header("WARC-Target-URI").removeprefix("urn:text:")] = record.payload.decode("utf-8")
    return found


def record_types(archive: Path, names) -> set[str]:
    return {r.rec_type for name in names for r in iter_records(archive / "warc" / name)}


def fastwarc_digests_ok(path: Path) -> bool:
    with open(path, "rb") as f:
        return all(r.verify_block_digest() for r in FastArchiveIterator(f, parse_http=False))


# --------------------------------------------------------------------------------------
# The Harbour Herald: every transport habit, robots.txt, a redirect, errors
# --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Replayed:
    server: sites.SiteServer
    archive: Path
    live: CrawlResult
    replayed: CrawlResult
    connections: int
    before: dict[str, str]
    after: dict[str, str]

    @property
    def new_files(self) -> list[str]:
        return sorted(set(self.after) - set(self.before))


@pytest.fixture(scope="module")
def herald(tmp_path_factory):
    server = sites.serve(sites.news_site_routes)
    try:
        archive = tmp_path_factory.mktemp("replay") / "herald"
        live = run_crawl([server.url(p) for p in sites.SEEDS], archive, settings=NO_STORIES)
        assert live.returncode == 0, live.stderr[-4000:]
        before = sha256s(archive)
        with ConnectionCounter().installed() as probe:
            urllib.request.urlopen(server.url("/robots.txt"), timeout=10).read()
        assert probe.count == 1  # the counter sees connections to the test site
        result, connections = replay_counting(archive, settings=NO_STORIES)
        yield Replayed(server, archive, live, result, connections, before, sha256s(archive))
    finally:
        server.stop()


def test_replay_runs_offline_with_zero_connections(herald):
    assert herald.replayed.returncode == 0, herald.replayed.stderr[-4000:]
    assert herald.connections == 0
    stats = herald.replayed.stats
    assert stats["replay/hit"] > 0 and "replay/miss" not in stats and "replay/refused" not in stats


def test_replay_extracts_the_same_texts_as_the_live_crawl(herald):
    live = texts(herald.archive, herald.before)
    again = texts(herald.archive, herald.new_files)
    assert len(live) == herald.live.stats["extract/ok"] >= 12
    assert again == live
    assert herald.replayed.summary["articles"] == herald.live.summary["articles"]
    assert herald.replayed.summary["pages"] == herald.live.summary["pages"]


def test_replay_starts_from_the_archived_seeds(herald):
    requested = herald.replayed.stats["replay/hit"]
    # robots.txt, then every page the live crawl fetched except the one robots.txt forbids
    assert requested == herald.live.summary["pages"] + 1


def test_closed_warc_files_are_untouched_and_new_records_go_to_a_new_file(herald):
    assert {name: herald.after[name] for name in herald.before} == herald.before
    assert len(herald.new_files) == 1
    assert record_types(herald.archive, herald.new_files) == {"warcinfo", "conversion", "metadata"}
    assert fastwarc_digests_ok(herald.archive / "warc" / herald.new_files[0])
    assert not list((herald.archive / "warc").glob("*.open"))


def test_the_catalog_keeps_both_extractions(herald):
    db = sqlite3.connect(herald.archive / "catalog.sqlite")
    (new_file,) = herald.new_files
    current = db.execute("SELECT capture_id, conversion_file FROM articles").fetchall()
    assert len(current) == herald.live.stats["extract/ok"] and {f for _, f in current} == {new_file}
    for capture_id, _ in current:
        versions = db.execute("SELECT conversion_file, text_hash FROM extractions WHERE capture_id = ?"
                              " ORDER BY rowid", (capture_id,)).fetchall()
        assert [f for f, _ in versions][-1] == new_file and versions[0][0] in herald.before
        assert len({h for _, h in versions}) == 1
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] == herald.live.stats["warc/captures"]


@dataclasses.dataclass
class Targeted:
    result: CrawlResult
    connections: int
    texts: dict[str, str]  # URL -> text re-extracted by this replay
    live_texts: dict[str, str]


@pytest.fixture(scope="module")
def targeted(herald) -> Targeted:
    """One replay of chosen URLs at depth 0: a redirect, a gzip and a chunked article, two misses."""
    urls = [herald.server.url(p) for p in ("/old-article", sites.GZIP_ARTICLE, sites.CHUNKED_ARTICLE,
                                           "/never-archived")] + ["http://unarchived.test/news/"]
    before = sha256s(herald.archive)
    result, connections = replay_counting(herald.archive, *urls, depth=0, settings=NO_STORIES)
    assert result.returncode == 0, result.stderr[-3000:]
    new = sorted(set(sha256s(herald.archive)) - set(before))
    return Targeted(result, connections, texts(herald.archive, new), texts(herald.archive, herald.before))


def test_a_redirect_replays_as_a_redirect(herald, targeted):
    assert targeted.connections == 0
    stats = targeted.result.stats
    assert stats["replay/redirect"] == 1
    assert stats["downloader/response_status_count/301"] == 1
    target = herald.server.url(sites.REDIRECT_TARGET)
    assert targeted.texts[target] == targeted.live_texts[target]


@pytest.mark.parametrize("path", [sites.GZIP_ARTICLE, sites.CHUNKED_ARTICLE])
def test_gzip_and_chunked_articles_replay_and_extract(herald, targeted, path):
    url = herald.server.url(path)
    assert targeted.texts[url] == targeted.live_texts[url]
    assert targeted.result.stats["httpcompression/response_count"] == 1  # the gzip article, decoded
    assert targeted.result.stats["extract/ok"] == 3 == len(targeted.texts)


def test_misses_are_counted_and_never_fetched(herald, targeted):
    assert targeted.connections == 0
    stats = targeted.result.stats
    assert stats["replay/miss"] == 3  # two pages and unarchived.test's robots.txt
    assert stats["replay/miss/robots"] == 1
    assert stats["fetch/failed/ReplayMiss"] == 2
    assert targeted.result.summary["misses"] == 3 and targeted.result.summary["errors"] == 0
    assert "replay/refused" not in stats
    assert "Could not fetch http://unarchived.test/news/: not in the archive" in targeted.result.stderr


def test_replay_without_an_archive_is_a_clear_error(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "replay", "--archive", str(tmp_path / "none")],
                          capture_output=True, text=True, env=crawl_env(), timeout=60)
    assert proc.returncode == 2 and "no archive" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "replay", "--at", "soon"],
                          capture_output=True, text=True, env=crawl_env(), timeout=60, cwd=tmp_path)
    assert proc.returncode == 2


# --------------------------------------------------------------------------------------
# Two captures of a page at different times: --at picks the older one
# --------------------------------------------------------------------------------------


def test_at_replays_the_older_capture(tmp_path):
    spec = sites.ARTICLES[0]
    revised = dataclasses.replace(spec, key="The council revised the plan overnight after a late objection.")
    server = sites.serve(lambda base: {"/robots.txt": sites.NOT_FOUND})
    archive = tmp_path / "twice"
    try:
        url = server.url(spec.path)
        for version in (spec, revised):
            server.routes[spec.path] = sites._article_route(version, server.base_url)
            result = run_crawl([url], archive, depth=0, settings=NO_STORIES)
            assert result.returncode == 0, result.stderr[-3000:]
    finally:
        server.stop()  # replay runs with the site gone
    db = sqlite3.connect(archive / "catalog.sqlite")
    first, second = [r[0] for r in db.execute(
        "SELECT warc_date FROM captures WHERE url = ? ORDER BY warc_date", (url,))]
    db.close()
    assert second > first
    before = sha256s(archive)

    older = replay(archive, at=first, settings=NO_STORIES)
    assert older.returncode == 0, older.stderr[-3000:]
    older_text = texts(archive, set(sha256s(archive)) - set(before))[url]
    assert spec.key in older_text and revised.key not in older_text

    mid = sha256s(archive)
    latest = replay(archive, settings=NO_STORIES)
    latest_text = texts(archive, set(sha256s(archive)) - set(mid))[url]
    assert revised.key in latest_text and spec.key not in latest_text
    assert {n: h for n, h in sha256s(archive).items() if n in before} == before
    # the archived 404 of robots.txt replays as a 404 (allow all), then the article
    assert older.stats["replay/hit"] == latest.stats["replay/hit"] == 2
    assert older.stats["robotstxt/response_status_count/404"] == 1


# --------------------------------------------------------------------------------------
# The demo news web: texts and stories
# --------------------------------------------------------------------------------------


def stories_json(archive: Path) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "stories", "--archive", str(archive),
                           "--format", "json"], capture_output=True, text=True, env=crawl_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_replay_of_the_demo_web_gives_the_same_texts_and_stories(tmp_path):
    archive = tmp_path / "demo"
    with DemoWeb() as web:
        live = run_crawl(web.seeds, archive, depth=2, settings=(WIRE,))
        assert live.returncode == 0, live.stderr[-3000:]
        live_stories = stories_json(archive)
        before = sha256s(archive)
        # forget the stories: replay must find them again from the replayed texts
        db = sqlite3.connect(archive / "catalog.sqlite")
        for table in STORY_TABLES:
            db.execute(f"DELETE FROM {table}")
        db.commit()
        db.close()
        result, connections = replay_counting(archive, settings=(WIRE,))
    assert result.returncode == 0, result.stderr[-3000:]
    assert connections == 0
    assert len(live_stories) == 2
    assert stories_json(archive) == live_stories
    new = sorted(set(sha256s(archive)) - set(before))
    assert texts(archive, new) == texts(archive, before)
    assert result.stats["stories/tracked"] == live.stats["stories/tracked"]
    assert {n: h for n, h in sha256s(archive).items() if n in before} == before


# --------------------------------------------------------------------------------------
# A revisit record (written by another tool) replays its original payload
# --------------------------------------------------------------------------------------


def test_a_revisit_replays_the_original_payload(herald, tmp_path):
    from test_replay_archive import write_third_party

    from archive.warc.reader import read_record

    archive = tmp_path / "herald-with-revisit"
    shutil.copytree(herald.archive, archive)
    url = herald.server.url(sites.GZIP_ARTICLE)
    db = sqlite3.connect(archive / "catalog.sqlite")
    record_id, warc_date, warc_file, offset = db.execute(
        "SELECT record_id, warc_date, warc_file, warc_offset FROM captures WHERE url = ?", (url,)).fetchone()
    db.close()
    original = read_record(archive / "warc" / warc_file, offset)

    def records(writer):
        http = StatusAndHeaders("200 OK", original.http_headers, protocol="HTTP/1.1")
        yield writer.create_revisit_record(
            url, original.header("WARC-Payload-Digest"), url, warc_date, http_headers=http,
            warc_headers_dict={"WARC-Refers-To": record_id, "WARC-Date": "2030-01-01T00:00:00Z"})

    write_third_party(archive, "warcprox-dedup.warc.gz", records)
    before = sha256s(archive)
    result, connections = replay_counting(archive, url, depth=0, settings=NO_STORIES)
    assert result.returncode == 0 and connections == 0, result.stderr[-3000:]
    assert result.stats["replay/revisit"] == 1 and result.stats["extract/ok"] == 1
    new = sorted(set(sha256s(archive)) - set(before))
    assert texts(archive, new)[url] == texts(herald.archive, herald.before)[url]


# --------------------------------------------------------------------------------------
# Archives with no recorded seeds
# --------------------------------------------------------------------------------------


def test_an_archive_without_recorded_seeds_replays_every_archived_page(tmp_path):
    from test_replay_archive import capture

    from archive.store import Archive

    root = tmp_path / "imported"
    archive = Archive(root)  # a bare archive: its warcinfo records no seeds
    spec = sites.ARTICLES[1]
    url = "http://news.example" + spec.path
    capture(archive, url, "2025-03-01T00:00:00.000000Z", body=sites.article_html(spec, "http://news.example").encode())
    capture(archive, "http://news.example/robots.txt", "2025-03-01T00:00:00.000000Z", body=b"",
            status=404, kind="robots")
    archive.close()
    result, connections = replay_counting(root, settings=NO_STORIES)
    assert result.returncode == 0, result.stderr[-3000:]
    assert connections == 0 and "replaying every archived page (1)" in result.stderr
    assert result.stats["extract/ok"] == 1 and result.stats["replay/hit"] == 2
    assert spec.key in texts(root, [p.name for p in (root / "warc").glob("*.warc.gz")])[url]


def test_scrapy_crawl_with_replay_settings(herald, tmp_path):
    from conftest import REPO_ROOT

    archive = tmp_path / "herald-copy"
    shutil.copytree(herald.archive, archive)
    before = sha256s(archive)
    url = herald.server.url(sites.GZIP_ARTICLE)
    counter = ConnectionCounter()
    with counter.installed():
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"seeds={url}", "-a", "depth=0",
             "-s", f"REPLAY_ARCHIVE={archive}", "-s", "EXTRACT_WORKERS=1", "-s", "STORIES_ENABLED=False"],
            capture_output=True, text=True, cwd=REPO_ROOT, env=crawl_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Traceback" not in proc.stderr and counter.count == 0
    assert "'replay/hit': 2" in proc.stderr and "'extract/ok': 1" in proc.stderr
    new = sorted(set(sha256s(archive)) - set(before))  # ARCHIVE_DIR defaults to REPLAY_ARCHIVE
    assert texts(archive, new) == {url: texts(herald.archive, herald.before)[url]}


def test_replay_leaves_the_version_chain_as_it_was(herald):
    import sqlite3

    db = sqlite3.connect(herald.archive / "catalog.sqlite")
    rows = db.execute("SELECT capture_id, version, previous_id FROM versions").fetchall()
    db.close()
    assert len(rows) == herald.live.stats["extract/ok"]
    assert all(version == 1 and previous is None for _, version, previous in rows)
