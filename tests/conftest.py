"""Shared fixtures of the end-to-end tests: test web servers and crawls run as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
if str(TESTS_DIR) not in sys.path:  # tests/sites.py is imported as ``sites``
    sys.path.insert(0, str(TESTS_DIR))

import sites  # noqa: E402

# Fast crawls of our own loopback servers: no politeness delay, one extraction worker.
FAST_SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "EXTRACT_WORKERS=1")
CRAWL_TIMEOUT = 120


def crawl_env() -> dict[str, str]:
    """The environment of crawl subprocesses: no proxies (the test sites are on 127.0.0.1)
    and no public-suffix-list download by Scrapy's cookie middleware (tldextract uses its
    bundled snapshot), so a crawl never leaves the loopback interface."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in
           ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    # Subprocesses run the code of this checkout, whatever copy is installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def crawl_command(urls: list[str], archive: Path, *, depth: int | None = None,
                  settings: tuple[str, ...] = (), json_output: bool = True) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", *urls, "--archive", str(archive)]
    if depth is not None:
        cmd += ["--depth", str(depth)]
    if json_output:
        cmd.append("--json")
    for setting in FAST_SETTINGS + tuple(settings):
        cmd += ["-s", setting]
    return cmd


@dataclass
class CrawlResult:
    returncode: int
    stdout: str
    stderr: str
    archive: Path

    @property
    def summary(self) -> dict:
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        assert lines, f"no JSON summary on stdout:\n{self.stdout}\n--- stderr ---\n{self.stderr[-4000:]}"
        return json.loads(lines[-1])

    @property
    def stats(self) -> dict:
        return self.summary["stats"]


def run_crawl(urls: list[str], archive: Path, *, depth: int | None = None,
              settings: tuple[str, ...] = (), cwd: Path | None = None) -> CrawlResult:
    """``wirecopy crawl URL... --archive DIR --json`` in a subprocess."""
    proc = subprocess.run(
        crawl_command(urls, archive, depth=depth, settings=settings),
        capture_output=True, text=True, cwd=cwd or archive.parent, env=crawl_env(),
        timeout=CRAWL_TIMEOUT,
    )
    return CrawlResult(proc.returncode, proc.stdout, proc.stderr, archive)


@pytest.fixture(scope="module")
def news_site():
    """The Harbour Herald on 127.0.0.1 (port 0), stopped after the module's tests."""
    server = sites.serve(sites.news_site_routes)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fresh_news_site():
    """A separate Harbour Herald whose request log only this test sees."""
    server = sites.serve(sites.news_site_routes)
    try:
        yield server
    finally:
        server.stop()



@pytest.fixture
def gated_site():
    """A bulk site holding back its later article pages until the test opens its gate."""
    from gated_site import gated_bulk_site

    server = gated_bulk_site()
    try:
        yield server
    finally:
        server.gate.set()
        server.stop()

# The fast tier (``pytest -m "not slow"``): every test but those that crawl in subprocesses,
# drive a browser, pywb or ReplayWeb.page, or embed whole corpora. A test is slow when it is
# marked so, when it lives in one of these modules, or when it uses one of these fixtures (each
# crawls or starts a browser once per module).
SLOW_MODULES = {"test_crash", "test_jobs", "test_jobs_resume", "test_pywb", "test_recrawl",
                "test_replay", "test_replaywebpage", "test_stories_cli", "test_web_browser"}
SLOW_FIXTURES = {"crawl", "catalog", "unreachable", "fresh_news_site", "herald", "exported",
                 "originals", "imported", "demo_warc", "recrawl", "targeted", "viewer_site",
                 "demo_crawl", "demo_tracker", "bulk_site", "crawled", "served", "live_web", "gated_site"}


FILE_SECONDS_KEY = "wirecopy/file-seconds"
SECONDS_PER_SLOW_TEST = 10.0  # a file missing from the table: its slow tests' likely time
_measured: dict[str, float] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: part of the full suite only, not the fast tier "
                            "(pytest -m 'not slow')")


def pytest_collection_modifyitems(config, items):
    slow_in_file: dict[str, int] = {}
    for item in items:
        module = item.module.__name__.rpartition(".")[2] if item.module else ""
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        path = item.nodeid.split("::")[0]
        slow_in_file[path] = slow_in_file.get(path, 0) + (item.get_closest_marker("slow") is not None)
    # The longest files first (each file runs whole on one worker: ``--dist loadfile`` with
    # ``--no-loadscope-reorder``), so that no worker ends the run on a long one.
    seconds = file_seconds(config)
    items.sort(key=lambda item: -seconds.get(item.nodeid.split("::")[0],
                                             SECONDS_PER_SLOW_TEST * slow_in_file[item.nodeid.split("::")[0]]))


def file_seconds(config) -> dict[str, float]:
    """Seconds each test file took: as measured by the last run here (pytest's cache), else as
    ``tests/file_seconds.json`` records them (a fresh clone has no cache)."""
    table = json.loads((TESTS_DIR / "file_seconds.json").read_text(encoding="utf-8"))
    if config.cache is not None:
        table.update(config.cache.get(FILE_SECONDS_KEY, {}))
    return table


def pytest_runtest_logreport(report):
    """Each file's time, summed over its tests' setup, call and teardown (on the controller,
    from every worker's reports)."""
    path = report.nodeid.split("::")[0]
    _measured[path] = _measured.get(path, 0.0) + report.duration


def _whole_suite(config) -> bool:
    """Whether this run is the README's command (every test of every file: the sums are whole)."""
    return (config.cache is not None and not hasattr(config, "workerinput")
            and config.args_source is not pytest.Config.ArgsSource.ARGS
            and not config.option.keyword and not config.option.markexpr)


def pytest_sessionfinish(session, exitstatus):
    if _measured and _whole_suite(session.config):
        table = session.config.cache.get(FILE_SECONDS_KEY, {})
        table.update({path: round(seconds, 1) for path, seconds in _measured.items()})
        session.config.cache.set(FILE_SECONDS_KEY, table)


def _pg_database():
    """A new PostgreSQL database's URL, dropped when the generator ends; the test is skipped
    where no server answers (failed when WIRECOPY_REQUIRE_POSTGRES is set, as in CI)."""
    import pg_support

    reason = pg_support.unreachable_reason()
    if reason is not None:
        if pg_support.require():
            pytest.fail(f"{reason} (WIRECOPY_REQUIRE_POSTGRES is set)")
        pytest.skip(reason)
    url = pg_support.create_database()
    try:
        yield url
    finally:
        pg_support.drop_database(url)


@pytest.fixture(scope="session")
def pg_url():
    """The URL of a PostgreSQL database made for this test session (dropped at its end)."""
    yield from _pg_database()


@pytest.fixture
def queue_db():
    """A PostgreSQL database of this test's own (a work queue starts empty), dropped after it."""
    yield from _pg_database()


@pytest.fixture
def private_postgres():
    """A PostgreSQL server of the test's own (``private_postgres.PrivatePostgres``), started."""
    from private_postgres import PrivatePostgres, server_binaries

    binaries = server_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) installed: apt-get install postgresql")
    server = PrivatePostgres(binaries).init()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture(params=["sqlite", "postgresql"])
def catalog_backend(request):
    """Catalog options of each back-end: SQLite in the archive directory, and a PostgreSQL
    schema of this test's own."""
    from archive.catalog import CatalogOptions

    if request.param == "sqlite":
        return CatalogOptions()
    import pg_support

    return CatalogOptions(catalog_url=request.getfixturevalue("pg_url"), catalog_schema=pg_support.unique_schema())
