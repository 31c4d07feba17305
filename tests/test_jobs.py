"""Scheduled crawl jobs: the jobs file, `wirecopy jobs run|status|daemon`, locks, exit codes,
resuming after kill -9, and retries with per-host back-off. Crawls run as subprocesses
against loopback test sites."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator as FastArchiveIterator
from warcio.archiveiterator import ArchiveIterator

import sites
from conftest import crawl_env
from crawler.jobs.config import JobsFileError, key_lines, parse_duration, parse_jobs
from crawler.jobs.history import RunFigures

DEADLINE = 120
FAST = """
[defaults]
delay = 0
autothrottle = false

[defaults.settings]
EXTRACT_WORKERS = 1
"""


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def write_jobs(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wirecopy-jobs.toml"
    path.write_text(FAST + text, encoding="utf-8")
    return path


def jobs_cmd(jobs_file: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "jobs", "--file", str(jobs_file), *args]


def run_jobs(jobs_file: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(jobs_cmd(jobs_file, *args), capture_output=True, text=True,
                          cwd=jobs_file.parent, env=crawl_env(), timeout=DEADLINE)


def last_json(proc: subprocess.CompletedProcess) -> dict:
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no JSON on stdout:\n{proc.stdout}\n--- stderr ---\n{proc.stderr[-4000:]}"
    return json.loads(lines[-1])


def history_rows(archive: Path, job: str) -> list[dict]:
    path = archive / "jobs.sqlite"
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM runs WHERE job = ? ORDER BY id", (job,))]
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def wait_for(condition, what: str, proc: subprocess.Popen | None = None, timeout: float = DEADLINE):
    """Poll ``condition`` (observing files a subprocess writes) until true or the deadline."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the process ended (exit {proc.returncode}) before {what}")
        time.sleep(0.02)
    pytest.fail(f"timed out waiting for {what}")


def warc_records(archive: Path) -> list[tuple[str, str, str | None]]:
    """(type, target URI, refers-to) of every record of every WARC file, digests checked by
    warcio and FastWARC."""
    out = []
    files = sorted((archive / "warc").glob("*.warc.gz"))
    assert files and not list((archive / "warc").glob("*.open"))
    for path in files:
        data = path.read_bytes()
        members, rest = sites.gzip_members(data)
        assert rest == 0, path
        count = 0
        for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
            record.raw_stream.read()
            h = record.rec_headers
            out.append((record.rec_type, h.get_header("WARC-Target-URI"), h.get_header("WARC-Refers-To")))
            count += 1
        fast = 0
        for record in FastArchiveIterator(io.BytesIO(data), parse_http=False):
            assert record.verify_block_digest(), record.record_id
            fast += 1
        assert count == fast == len(members), path
    return out


class ScriptedRoutes(dict):
    """A route table whose answer for some paths depends on how often they were asked."""

    def __init__(self, routes: dict, scripted: dict[str, list[sites.Route]] | None = None,
                 always: sites.Route | None = None):
        super().__init__(routes)
        self.scripted = scripted or {}
        self.always = always
        self.times: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def get(self, path, default=None):
        with self._lock:
            hits = self.times.setdefault(path, [])
            hits.append(time.monotonic())
            n = len(hits) - 1
        if self.always is not None:
            return self.always
        if path in self.scripted:
            answers = self.scripted[path]
            return answers[min(n, len(answers) - 1)]
        return super().get(path, default)


def scripted_server(routes_for, **kwargs) -> sites.SiteServer:
    server = sites.SiteServer()
    server.routes = ScriptedRoutes(routes_for(server.base_url), **kwargs)
    return server.start()


# --------------------------------------------------------------------------------------
# the jobs file
# --------------------------------------------------------------------------------------

GOOD = """
[defaults]
delay = 1.5
contact = "https://example.org/crawler"

[jobs.world-news]
seeds = ["https://example.com/world/rss.xml", "https://example.com/sitemap-news.xml"]
schedule = "0 * * * *"
depth = 2
archive = "archives/world-news"

[jobs.world-news.settings]
WARC_MAX_SIZE = 500_000_000

[jobs.world-news.recrawl]
max_age = "7d"

[jobs."local.sport"]
seeds = ["https://example.com/sport/"]
every = "1h30m"
archive = "archives/sport"
max_pages = 500
same_domain = false
concurrency = 2
user_agent = "wirecopy-test (+https://example.org)"
misfire_grace = "2h"
"""


def test_jobs_file_documented_shape_loads(tmp_path):
    jobs = parse_jobs(GOOD, tmp_path / "wirecopy-jobs.toml")
    world, sport = jobs.job("world-news"), jobs.job("local.sport")
    assert world.seeds == ("https://example.com/world/rss.xml", "https://example.com/sitemap-news.xml")
    assert world.schedule == "0 * * * *" and world.every is None and world.depth == 2
    assert world.archive == tmp_path / "archives" / "world-news"
    overrides = dict(world.setting_overrides())
    assert overrides == {"WIRECOPY_JOB": "world-news", "DOWNLOAD_DELAY": 1.5,
                         "CONTACT_URL": "https://example.org/crawler", "RECRAWL_MAX_AGE": "7d",
                         "WARC_MAX_SIZE": 500_000_000}
    assert sport.every == 5400 and sport.max_pages == 500 and sport.same_domain is False
    assert sport.misfire_grace == 7200 and sport.depth == 2
    assert dict(sport.setting_overrides())["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert str(world.trigger()).startswith("cron[") and str(sport.trigger()) == "interval[1:30:00]"


def test_key_lines_follow_tables_dotted_and_quoted_keys():
    text = '[jobs."a.b"]\nseeds = [\n  "https://x/?q=1",\n]\ndepth = 1\n\n[jobs.c]\nsettings.FOO = 1\n'
    lines = key_lines(text)
    assert lines[("jobs", "a.b")] == 1
    assert lines[("jobs", "a.b", "seeds")] == 2
    assert lines[("jobs", "a.b", "depth")] == 5
    assert lines[("jobs", "c", "settings", "FOO")] == 8


@pytest.mark.parametrize("text, line, field, problem", [
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndepth = "two"\n',
     4, "jobs.a.depth", "expected an integer, got string 'two'"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndepth = -1\n',
     4, "jobs.a.depth", "expected an integer >= 0, got -1"),
    ('[jobs.a]\nseeds = ["https://x/", "ftp://y/"]\narchive = "a"\n',
     2, "jobs.a.seeds", "entry 2 is not an http(s) URL: string 'ftp://y/'"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nschedule = "0 * * *"\n',
     4, "jobs.a.schedule", "expected a cron expression of 5 fields"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nschedule = "61 * * * *"\n',
     4, "jobs.a.schedule", "invalid cron expression '61 * * * *'"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nevery = "30 minutes"\n',
     4, "jobs.a.every", 'expected a duration like "30m"'),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nschedule = "0 * * * *"\nevery = "1h"\n',
     5, "jobs.a.every", "either schedule (cron) or every (interval), not both"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndpeth = 2\n',
     4, "jobs.a.dpeth", "unknown key (did you mean 'depth'?)"),
    ('[jobs.a]\nseeds = ["https://x/"]\n',
     1, "jobs.a", "a job needs archive"),
    ('[jobs.a]\narchive = "a"\n',
     1, "jobs.a", "a job needs seeds"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\n\n[jobs.a.settings]\ndownload_delay = 2\n',
     6, "jobs.a.settings.download_delay", "setting names are UPPER_CASE"),
    ('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\nsame_domain = "yes"\n',
     4, "jobs.a.same_domain", "expected true or false, got string 'yes'"),
    ('[defaults]\ndelay = "slow"\n\n[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\n',
     2, "defaults.delay", "expected a number, got string 'slow'"),
    ('[jobs."a b"]\nseeds = ["https://x/"]\narchive = "a"\n',
     1, 'jobs.a b', "job names are letters, digits"),
    ('[jobs.a]\nseeds = ["https://x/"\narchive = "a"\n',
     3, None, "not valid TOML"),
])
def test_jobs_file_errors_name_line_and_field(tmp_path, text, line, field, problem):
    path = tmp_path / "jobs.toml"
    with pytest.raises(JobsFileError) as caught:
        parse_jobs(text, path)
    error = caught.value
    assert (error.line, error.field) == (line, field), str(error)
    assert problem in error.problem
    assert str(error).startswith(f"{path}:{line}: ")


def test_durations():
    assert parse_duration("30m") == 1800
    assert parse_duration("1h30m") == 5400
    assert parse_duration("2d") == 172800
    assert parse_duration(45) == 45
    for bad in ("", "30", "m", "1x", "0s", -5, True):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_run_figures_read_recrawl_and_retry_stats():
    figures = RunFigures.from_stats({
        "wirecopy/pages": 10, "warc/articles": 7, "recrawl/revisits": 3, "recrawl/changed": 2,
        "fetch/failed/TimeoutError": 1, "fetch/failed/IgnoreRequest": 4, "fetch/http_error/503": 2,
        "fetch/http_error/404": 5, "retry/skipped_hosts": ["a.example:80"],
    })
    assert (figures.pages, figures.new_articles, figures.revisits, figures.changed_articles) == (10, 5, 3, 2)
    assert figures.errors == 3 and figures.skipped_hosts == ("a.example:80",)


def test_cli_reports_a_bad_jobs_file(tmp_path):
    jobs_file = tmp_path / "wirecopy-jobs.toml"
    jobs_file.write_text('[jobs.a]\nseeds = ["https://x/"]\narchive = "a"\ndepth = "two"\n')
    proc = run_jobs(jobs_file, "run", "a")
    assert proc.returncode == 2
    assert f"{jobs_file}:4: jobs.a.depth: expected an integer" in proc.stderr
    proc = run_jobs(jobs_file.with_name("missing.toml"), "status")
    assert proc.returncode == 2 and "no such jobs file" in proc.stderr


# --------------------------------------------------------------------------------------
# runs: exit codes, lock, status
# --------------------------------------------------------------------------------------


def test_run_success_and_status(news_site, tmp_path):
    jobs_file = write_jobs(tmp_path, f"""
[jobs.herald]
seeds = ["{news_site.url('/')}"]
every = "10m"
depth = 2
archive = "herald"
""")
    proc = run_jobs(jobs_file, "run", "herald", "--json")
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = last_json(proc)
    assert result["status"] == "ok" and result["errors"] == 0 and result["pages"] > 10
    assert result["new_articles"] == result["stats"]["warc/articles"] > 0
    rows = history_rows(tmp_path / "herald", "herald")
    assert len(rows) == 1
    row = rows[0]
    assert (row["status"], row["exit_code"], row["pages"], row["new_articles"]) == (
        "ok", 0, result["pages"], result["new_articles"])
    assert row["ended"] >= row["started"] and row["duration"] > 0

    status = run_jobs(jobs_file, "status", "--json")
    assert status.returncode == 0, status.stderr
    (entry,) = json.loads(status.stdout)
    assert entry["job"] == "herald" and entry["schedule"] == "every 0:10:00" and entry["next_run"]
    assert [r["id"] for r in entry["runs"]] == [row["id"]]
    assert entry["runs"][0]["pages"] == result["pages"]
    table = run_jobs(jobs_file, "status")
    assert "herald" in table.stdout and "ok (0)" in table.stdout and str(result["pages"]) in table.stdout


def test_run_fails_when_nothing_can_be_fetched(tmp_path):
    refused = sites.unused_port_socket()
    try:
        port = refused.getsockname()[1]
        jobs_file = write_jobs(tmp_path, f"""
[jobs.down]
seeds = ["http://127.0.0.1:{port}/"]
archive = "down"
retries = 0
""")
        proc = run_jobs(jobs_file, "run", "down")
    finally:
        refused.close()
    assert proc.returncode == 2, proc.stdout + proc.stderr[-3000:]
    assert "failed (exit 2)" in proc.stdout
    assert history_rows(tmp_path / "down", "down")[0]["status"] == "failed"


def test_lock_prevents_overlapping_runs(tmp_path):
    with sites.serve(lambda base: sites.bulk_site_routes(base, count=30, delay=0.1)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.bulk]
seeds = ["{site.url('/')}"]
archive = "bulk"
concurrency = 2
""")
        first = subprocess.Popen(jobs_cmd(jobs_file, "run", "bulk"), cwd=tmp_path, env=crawl_env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(lambda: any(r["status"] == "running" for r in history_rows(tmp_path / "bulk", "bulk")),
                     "the first run to start", first)
            second = run_jobs(jobs_file, "run", "bulk")
            assert second.returncode == 75
            assert "already running (pid" in second.stderr
            out, err = first.communicate(timeout=DEADLINE)
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        assert first.returncode == 0, err[-3000:]
        rows = history_rows(tmp_path / "bulk", "bulk")
        assert [r["status"] for r in rows] == ["ok"]  # the refused run left no row
        third = run_jobs(jobs_file, "run", "bulk")  # the lock went with its holder
        assert third.returncode == 0, third.stderr[-2000:]
    assert [r["status"] for r in history_rows(tmp_path / "bulk", "bulk")] == ["ok", "ok"]


# --------------------------------------------------------------------------------------
# resume after kill -9
# --------------------------------------------------------------------------------------


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the crawl and its extraction/tracking workers
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)


@pytest.mark.parametrize("kill_after_bytes", [15_000, 60_000])
def test_kill_9_mid_run_then_resume_archives_every_page_once(tmp_path, kill_after_bytes):
    count = 40
    with sites.serve(lambda base: sites.bulk_site_routes(base, count=count, delay=0.05)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.bulk]
seeds = ["{site.url('/')}"]
archive = "bulk"
concurrency = 2
""")
        archive = tmp_path / "bulk"
        with open(tmp_path / "killed.log", "wb") as log:
            proc = subprocess.Popen(jobs_cmd(jobs_file, "run", "bulk"), cwd=tmp_path, env=crawl_env(),
                                    stdout=log, stderr=log, start_new_session=True)
            try:
                def grown():
                    found = list((archive / "warc").glob("*.open")) if (archive / "warc").exists() else []
                    return found and found[0].stat().st_size >= kill_after_bytes
                wait_for(grown, "the WARC file to grow", proc)
            finally:
                _kill_group(proc)
        assert proc.returncode == -signal.SIGKILL
        assert list((archive / "warc").glob("*.open"))
        fetched_before = Counter(site.requested())

        resumed = run_jobs(jobs_file, "run", "bulk", "--resume", "--json")
        assert resumed.returncode == 0, resumed.stderr[-4000:]
        result = last_json(resumed)
        fetched_after = Counter(site.requested()) - fetched_before
        every_path = set(site.requested())

    rows = history_rows(archive, "bulk")
    assert [r["status"] for r in rows] == ["killed", "ok"]
    assert rows[1]["resumed_run"] == rows[0]["id"] == result["resumed_run"]
    assert result["stats"]["resume/replayed"] > 0
    assert result["stats"].get("warc/recovered_files") == 1

    records = warc_records(archive)  # every file sealed and valid
    articles = {site.url(sites.bulk_article(n).path) for n in range(count)}
    expected = {site.url(path) for path in every_path}
    assert articles | {site.url("/robots.txt"), site.url("/")} <= expected
    responses = Counter(uri for kind, uri, _ in records if kind == "response")
    assert set(responses) == expected
    assert all(n == 1 for n in responses.values()), [u for u, n in responses.items() if n > 1]
    requests = Counter(uri for kind, uri, _ in records if kind == "request")
    assert requests == responses
    # each article's text once, referring to its one response
    conversions = Counter(uri for kind, uri, _ in records if kind == "conversion")
    assert set(conversions) == articles and set(conversions.values()) == {1}
    assert Counter(uri for kind, uri, _ in records if kind == "metadata") == conversions
    # pages archived before the kill were not fetched again
    archived_first = _first_file_uris(archive)
    assert len(archived_first) >= 3
    assert not [u for u in archived_first if fetched_after[u[len(site.base_url):]]]

    db = sqlite3.connect(archive / "catalog.sqlite")
    try:
        captured = Counter(u for (u,) in db.execute("SELECT url FROM captures"))
        article_rows = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        db.close()
    assert captured == responses and article_rows == len(articles)


def _first_file_uris(archive: Path) -> set[str]:
    """Target URIs of the responses in the first (recovered) WARC file."""
    first = sorted((archive / "warc").glob("*.warc.gz"))[0]
    with open(first, "rb") as f:
        return {r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f)
                if r.rec_type == "response"}


# --------------------------------------------------------------------------------------
# transient errors: Retry-After, per-host back-off, hosts skipped
# --------------------------------------------------------------------------------------


def test_429_with_retry_after_is_retried_after_the_wait(tmp_path):
    limited = sites.bulk_article(2).path
    slow_down = sites.Route(b"<html><body>Too many requests</body></html>", status=429,
                            headers=[("Retry-After", "2")])
    site = scripted_server(lambda base: sites.bulk_site_routes(base, count=5, delay=0),
                           scripted={limited: [slow_down]})
    try:
        site.routes.scripted[limited].append(site.routes[limited])
        jobs_file = write_jobs(tmp_path, f"""
[jobs.limited]
seeds = ["{site.url('/')}"]
archive = "limited"
""")
        proc = run_jobs(jobs_file, "run", "limited", "--json")
    finally:
        site.stop()
    assert proc.returncode == 0, proc.stderr[-4000:]
    stats = last_json(proc)["stats"]
    assert stats["retry/retry_after"] == 1 and stats["retry/count"] == 1
    first, second = site.routes.times[limited]
    assert second - first >= 2.0
    statuses = [s for (s,) in sqlite3.connect(tmp_path / "limited" / "catalog.sqlite").execute(
        "SELECT status FROM captures WHERE url = ? ORDER BY id", (site.url(limited),))]
    assert statuses == [429, 200]  # both answers archived, the article extracted from the second
    assert stats["warc/articles"] == 5


def test_failing_host_is_backed_off_then_skipped_and_reported(tmp_path, news_site):
    failing = scripted_server(lambda base: {}, always=sites.Route(b"<html>down</html>", status=503))
    try:
        failing_base = failing.base_url.replace("127.0.0.1", "localhost")
        seeds = [news_site.url("/")] + [f"{failing_base}/section/{n}/" for n in range(6)]
        jobs_file = write_jobs(tmp_path, f"""
[jobs.mixed]
seeds = {json.dumps(seeds)}
archive = "mixed"
obey_robots = false
concurrency = 1

[jobs.mixed.settings]
RETRY_HOST_MAX_FAILURES = 3
RETRY_BACKOFF_BASE = 0.2
""")
        proc = run_jobs(jobs_file, "run", "mixed", "--json")
    finally:
        failing.stop()
    assert proc.returncode == 1, proc.stderr[-4000:]  # partial
    result = last_json(proc)
    host = failing_base.split("//", 1)[1]
    assert result["status"] == "partial" and result["skipped_hosts"] == [host]
    stats = result["stats"]
    assert stats["retry/host_skipped"] == 1
    # each seed of the failing host failed once for good: given up on, or skipped
    assert stats.get("fetch/failed/HostSkipped", 0) + stats.get("fetch/http_error/503", 0) == 6
    assert result["errors"] >= 6
    assert stats["retry/max_backoff"] >= 0.2
    asked = sum(len(t) for t in failing.routes.times.values())
    assert 3 <= asked < 6 * 3  # far fewer than every seed with every retry
    times = sorted(t for ts in failing.routes.times.values() for t in ts)
    assert times[-1] - times[0] >= 0.2 + 0.4  # the host was made to wait, longer each time
    assert result["pages"] > 10 and stats["extract/ok"] > 0  # the healthy host was crawled
    assert "hosts skipped" not in proc.stdout  # --json: figures only
    text = run_jobs(jobs_file, "status")
    assert "partial (1)" in text.stdout
    assert history_rows(tmp_path / "mixed", "mixed")[0]["skipped_hosts"] == json.dumps([host])


# --------------------------------------------------------------------------------------
# the daemon
# --------------------------------------------------------------------------------------


def start_daemon(jobs_file: Path, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(jobs_cmd(jobs_file, "daemon"), cwd=jobs_file.parent, env=crawl_env(),
                                stdout=out, stderr=subprocess.STDOUT)


def stop_daemon(proc: subprocess.Popen, log: Path) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        assert proc.wait(timeout=DEADLINE) == 0, log.read_text()[-4000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return log.read_text()


def test_daemon_runs_on_schedule_and_sigterm_stops_the_running_crawl_cleanly(tmp_path):
    with sites.serve(lambda base: sites.bulk_site_routes(base, count=30, delay=0.1)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.bulk]
seeds = ["{site.url('/')}"]
archive = "bulk"
every = "2s"
concurrency = 1

[jobs.by-hand]
seeds = ["{site.url('/')}"]
archive = "by-hand"
""")
        archive = tmp_path / "bulk"
        log = tmp_path / "daemon.log"
        daemon = start_daemon(jobs_file, log)
        try:
            wait_for(lambda: [r for r in history_rows(archive, "bulk") if r["status"] == "ok"],
                     "a first scheduled run", daemon)
            wait_for(lambda: [r for r in history_rows(archive, "bulk") if r["status"] == "running"]
                     and list((archive / "warc").glob("*.open")), "a second run to be crawling", daemon)
        finally:
            output = stop_daemon(daemon, log)
        assert "wirecopy jobs daemon: stopped" in output
        rows = history_rows(archive, "bulk")
        assert [r["status"] for r in rows] == ["ok", "interrupted"], output[-3000:]
        assert rows[1]["finish_reason"] == "shutdown" and rows[1]["exit_code"] == 1
        assert not history_rows(tmp_path / "by-hand", "by-hand")  # no schedule, never run
        warc_records(archive)  # the interrupted crawl closed its WARC file: all sealed and valid

        assert (archive / "jobs" / "bulk.jobdir" / "wirecopy-clean-stop").exists()
        resumed = run_jobs(jobs_file, "run", "bulk", "--json")
        assert resumed.returncode == 0, resumed.stderr[-3000:]
        result = last_json(resumed)
        assert result["resumed_run"] == rows[1]["id"]
        # continued from Scrapy's JOBDIR, saved at the clean stop: nothing replayed, nothing lost
        assert result["stats"]["scheduler/dequeued/disk"] > 0 and "resume/replayed" not in result["stats"]
        assert not (archive / "jobs" / "bulk.jobdir").exists()  # finished: the next run starts afresh
    records = warc_records(archive)
    first_file = sorted((archive / "warc").glob("*.warc.gz"))[0]
    first_run = _first_file_uris(archive)
    with open(first_file, "rb") as f:
        first_count = sum(1 for r in ArchiveIterator(f) if r.rec_type == "response")
    later = Counter(uri for kind, uri, _ in records if kind == "response")
    later.subtract(Counter(first_run))
    for uri in [u for u in first_run if u.endswith("/robots.txt")]:
        del later[uri]  # robots.txt is asked afresh by every crawl process: its rules may have changed
    # the interrupted run and its continuation together fetched every page of the first run, once
    assert first_count == len(first_run) and all(n == 1 for n in later.values()), later
    status = run_jobs(jobs_file, "status", "--json")
    entries = {e["job"]: e for e in json.loads(status.stdout)}
    assert [r["status"] for r in entries["bulk"]["runs"]] == ["ok", "interrupted", "ok"]
    assert entries["by-hand"]["schedule"] == "manual" and entries["by-hand"]["next_run"] is None
    assert entries["bulk"]["next_run"]  # from the daemon's store
    assert sum(1 for kind, _, _ in records if kind == "response") > 30


EARLIER_DAEMON = """
import os, sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from crawler.jobs.config import load_jobs
from crawler.jobs.scheduler import JobsDaemon, state_path_for
path = Path(sys.argv[1])
daemon = JobsDaemon(load_jobs(path), state_path_for(path))
daemon.scheduler.start(paused=True)
assert sorted(daemon.sync()) == ["catch-up", "strict"]
for name in ("catch-up", "strict"):
    daemon.scheduler.modify_job(name, next_run_time=datetime.now(timezone.utc) - timedelta(hours=2))
os._exit(0)
"""


def test_daemon_catches_up_runs_missed_while_down(tmp_path):
    from datetime import datetime, timezone

    with sites.serve(lambda base: sites.bulk_site_routes(base, count=3, delay=0)) as site:
        jobs_file = write_jobs(tmp_path, f"""
[jobs.catch-up]
seeds = ["{site.url('/')}"]
archive = "catch-up"
every = "1d"

[jobs.strict]
seeds = ["{site.url('/')}"]
archive = "strict"
every = "1d"
misfire_grace = "10m"
""")
        # A daemon scheduled both jobs, then died; they fell due two hours ago, while it was down.
        earlier = subprocess.run([sys.executable, "-c", EARLIER_DAEMON, str(jobs_file)], env=crawl_env(),
                                 capture_output=True, text=True, timeout=DEADLINE)
        assert earlier.returncode == 0, earlier.stderr

        log = tmp_path / "daemon.log"
        daemon = start_daemon(jobs_file, log)
        try:
            wait_for(lambda: [r for r in history_rows(tmp_path / "catch-up", "catch-up") if r["status"] == "ok"],
                     "the missed run to be caught up", daemon)
            wait_for(lambda: history_rows(tmp_path / "strict", "strict"), "the missed run to be recorded", daemon)
            second = run_jobs(jobs_file, "daemon")  # one daemon per schedule store
            assert second.returncode == 75 and "already running" in second.stderr

            # SIGHUP reloads the file: a broken file keeps the schedules, a fixed one applies.
            from crawler.jobs.scheduler import state_path_for, stored_next_runs
            text = jobs_file.read_text()
            jobs_file.write_text(text + '\n[jobs.added]\nseeds = ["http://x/"]\narchive = "a"\nevery = "x"\n')
            daemon.send_signal(signal.SIGHUP)
            wait_for(lambda: "Not reloading" in log.read_text(), "the broken file to be reported", daemon)
            jobs_file.write_text(text.replace('[jobs.strict]', '[jobs.renamed]'))
            daemon.send_signal(signal.SIGHUP)
            wait_for(lambda: set(stored_next_runs(state_path_for(jobs_file))) == {"catch-up", "renamed"},
                     "the reloaded schedules", daemon)
        finally:
            output = stop_daemon(daemon, log)
    strict = history_rows(tmp_path / "strict", "strict")
    assert [r["status"] for r in strict] == ["missed"], output[-3000:]
    assert "Job strict: no longer in" in output
    assert strict[0]["finish_reason"] == "later than misfire_grace"
    assert [r["status"] for r in history_rows(tmp_path / "catch-up", "catch-up")] == ["ok"]
    assert "wirecopy-jobs.toml:" in output and "jobs.added.every" in output
    next_runs = {e["job"]: e["next_run"] for e in json.loads(run_jobs(jobs_file, "status", "--json").stdout)}
    assert all(datetime.fromisoformat(t) > datetime.now(timezone.utc) for t in next_runs.values())


def test_records_a_killed_run_wrote_but_never_cataloged_are_cataloged_on_resume(tmp_path):
    from archive.extract import Article
    from archive.store import Archive, ArchiveConfig
    from crawler.resume import _catalog_recovered, archived_captures
    from tests.test_warc_writer import capture_pair, fixed_factory

    crashed = Archive(tmp_path, ArchiveConfig(host="h", job="job-1"), factory=fixed_factory())
    first = crashed.write_capture(*capture_pair(crashed.factory), "page")
    text = "The harbour reopened on Monday.\nFerries run again."
    crashed.write_article(first, Article(url=first.url, text=text, title="Reopened", extractor="test"))
    second = crashed.write_capture(*capture_pair(crashed.factory), "page")
    # Killed after the records reached the WARC file, before the catalog committed them.
    crashed.catalog.db.execute("DELETE FROM articles")
    crashed.catalog.db.execute("DELETE FROM captures")
    crashed.catalog.commit()

    reopened = Archive(tmp_path, ArchiveConfig(host="h", job="job-1"), factory=fixed_factory())
    assert len(reopened.recovery.files) == 1
    assert _catalog_recovered(reopened, "job-1") == 2
    assert _catalog_recovered(reopened, "job-1") == 0  # idempotent
    (queue,) = archived_captures(reopened, "job-1", "0" * 14).values()
    assert [(c.ref.record_id, c.has_article) for c in queue] == [(first.record_id, True), (second.record_id, False)]
    assert queue[0].ref.location.offset == first.location.offset
    (article,) = list(reopened.catalog.articles())
    assert article["title"] == "Reopened" and article["text_length"] == len(text)
    assert article["text_hash"] == Article(url=first.url, text=text).text_hash
    reopened.close()


def test_spider_requests_survive_serialization_for_jobdir():
    """Requests round-trip through Request.to_dict (what JOBDIR's disk queue pickles)."""
    import pickle

    from scrapy.utils.request import request_from_dict
    from scrapy.utils.test import get_crawler

    from spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider)
    spider = NewsSpider.from_crawler(crawler, seeds="https://example.com/ https://example.com/rss.xml")
    request = spider._follow("https://example.com/a.html", 1, wirecopy_via="sitemap", wirecopy_lastmod="2025-03-10")
    restored = request_from_dict(pickle.loads(pickle.dumps(request.to_dict(spider=spider))), spider=spider)
    assert restored.callback == spider.parse and restored.errback == spider.on_error
    assert restored.meta == request.meta and restored.url == request.url


def test_retry_after_values():
    from datetime import datetime, timezone

    from crawler.retry import retry_after_seconds

    now = datetime(2025, 3, 10, 9, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"120", now) == 120.0
    assert retry_after_seconds("Mon, 10 Mar 2025 09:01:30 GMT", now) == 90.0
    assert retry_after_seconds("Mon, 10 Mar 2025 08:00:00 GMT", now) == 0.0  # already past
    assert retry_after_seconds(b"soon", now) is None and retry_after_seconds(None, now) is None


def test_seeds_file_is_relative_to_the_jobs_file(tmp_path):
    (tmp_path / "seeds.txt").write_text("https://example.com/\n")
    jobs = parse_jobs('[jobs.a]\nseeds_file = "seeds.txt"\narchive = "a"\n', tmp_path / "jobs.toml")
    assert jobs.job("a").seeds_file == tmp_path / "seeds.txt"
    with pytest.raises(JobsFileError) as caught:
        parse_jobs('[jobs.a]\nseeds_file = "missing.txt"\narchive = "a"\n', tmp_path / "jobs.toml")
    assert (caught.value.line, caught.value.field) == (2, "jobs.a.seeds_file")
    with pytest.raises(JobsFileError, match="no job named 'other'; jobs: a"):
        jobs.job("other")
    typo = parse_jobs('[jobs.herald]\nseeds = ["https://x/"]\narchive = "h"\n', tmp_path / "jobs.toml")
    with pytest.raises(JobsFileError, match="no job named 'herlad' \\(did you mean 'herald'\\?\\)"):
        typo.job("herlad")
