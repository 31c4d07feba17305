"""``wirecopy jobs run NAME --distributed`` queues one unit per site; two ``wirecopy worker``
processes crawl them into one archive, each site with one worker, at the job's delay."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter

import pytest
from warcio.archiveiterator import ArchiveIterator

import pg_support
import sites
from conftest import CRAWL_TIMEOUT, crawl_env
from jobs_support import last_json, run_jobs, write_jobs

pytestmark = pytest.mark.slow

SITES, PAGES, DELAY = 3, 3, 0.25


class TimedSite(sites.SiteServer):
    """A site that notes when each request arrives."""

    def __init__(self):
        super().__init__()
        self.times: list[float] = []

    def record(self, path, headers) -> None:
        self.times.append(time.monotonic())
        super().record(path, headers)


@pytest.fixture
def queue_db():
    reason = pg_support.unreachable_reason()
    if reason is not None:
        if pg_support.require():
            pytest.fail(reason)
        pytest.skip(reason)
    url = pg_support.create_database()
    try:
        yield url
    finally:
        pg_support.drop_database(url)


def test_a_distributed_run_is_crawled_by_two_workers_each_site_at_its_delay(tmp_path, queue_db):
    servers = []
    for _ in range(SITES):
        server = TimedSite()
        server.routes.update(sites.bulk_site_routes(server.base_url, count=PAGES, delay=0))
        servers.append(server.start())
    archive = tmp_path / "shared"
    seeds = ", ".join(f'"{s.url("/")}"' for s in servers)
    jobs_file = write_jobs(tmp_path, f"""
[jobs.news]
seeds = [{seeds}]
depth = 1
delay = {DELAY}
archive = "shared"

[jobs.news.settings]
CATALOG_URL = "{queue_db}"
RANDOMIZE_DOWNLOAD_DELAY = false
""")
    try:
        first = last_json(run_jobs(jobs_file, "run", "news", "--distributed", "--json"))
        assert (first["units"], first["queued"], first["still_queued"]) == (SITES, SITES, [])
        again = last_json(run_jobs(jobs_file, "run", "news", "--distributed", "--json"))
        assert again["queued"] == 0 and sorted(again["still_queued"]) == sorted(s.base_url for s in servers)

        workers = [subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker", "--archive", str(archive),
                                     "--name", f"w{n}", "--once", "-s", f"CATALOG_URL={queue_db}"],
                                    cwd=tmp_path, env=crawl_env(), stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for n in (1, 2)]
        outputs = [proc.communicate(timeout=CRAWL_TIMEOUT)[0] for proc in workers]
        assert [proc.returncode for proc in workers] == [0, 0], "\n".join(outputs)[-4000:]
    finally:
        for server in servers:
            server.stop()

    found: Counter = Counter()
    writers = set()
    for path in (archive / "warc").glob("*.warc.gz"):
        writers.add(path.name.removesuffix(".warc.gz").rsplit("-", 1)[1])
        with open(path, "rb") as fh:
            found.update(r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh)
                         if r.rec_type == "response")
    pages = [s.url("/") for s in servers] + [s.url(sites.bulk_article(n).path)
                                              for s in servers for n in range(PAGES)]
    assert {url: found[url] for url in pages} == {url: 1 for url in pages}
    assert writers <= {"w1", "w2"}
    for server in servers:
        gaps = [b - a for a, b in zip(server.times, server.times[1:])]
        assert gaps and min(gaps) >= DELAY * 0.95, f"{server.base_url} fetched faster than its delay: {gaps}"
