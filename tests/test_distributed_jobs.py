"""``wirecopy jobs run NAME --distributed`` queues one unit per site; three ``wirecopy worker``
processes crawl six hosts into one archive, each site with one worker, at the job's delay."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

import sites
from conftest import CRAWL_TIMEOUT, crawl_env
from jobs_support import jobs_cmd, last_json, run_jobs, stop_daemon, write_jobs

pytestmark = pytest.mark.slow

SITES, PAGES, DELAY, WORKERS = 6, 3, 0.25, 3  # more sites than the workers' four slots


class TimedSite(sites.SiteServer):
    """A site that notes when each request arrives."""

    def __init__(self, host: str):
        super().__init__(host)
        self.times: list[float] = []

    def record(self, path, headers) -> None:
        self.times.append(time.monotonic())
        super().record(path, headers)


def test_a_distributed_run_is_crawled_by_three_workers_each_site_at_its_delay(tmp_path, queue_db):
    servers = []
    for n in range(SITES):
        server = TimedSite(f"127.0.0.{n + 2}")  # each host its own address
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
        again = run_jobs(jobs_file, "run", "news", "--distributed", "--json")
        assert again.returncode == 75 and f"the previous run is still going ({SITES} site unit(s)" in again.stderr

        # the last worker crawls two sites at once, as the named writers w3_0 and w3_1 (NAME_SLOT)
        workers = [subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker", "--archive", str(archive),
                                     "--name", f"w{n}", "--once", "-s", f"CATALOG_URL={queue_db}",
                                     "--concurrency", "2" if n == WORKERS else "1"],
                                    cwd=tmp_path, env=crawl_env(), stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for n in range(1, WORKERS + 1)]
        outputs = [proc.communicate(timeout=CRAWL_TIMEOUT)[0] for proc in workers]
        assert [proc.returncode for proc in workers] == [0] * WORKERS, "\n".join(outputs)[-4000:]
        status = json.loads(run_jobs(jobs_file, "status", "news", "--json").stdout)
        stats = subprocess.run([sys.executable, "-m", "crawler.cli", "workers", "status", "--catalog-url", queue_db,
                                "--json"], capture_output=True, text=True, env=crawl_env(), timeout=60)
    finally:
        for server in servers:
            server.stop()

    found: Counter = Counter()
    writers_of: dict[str, set[str]] = {}
    for path in (archive / "warc").glob("*.warc.gz"):
        writer = path.name.removesuffix(".warc.gz").rsplit("-", 1)[1]
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    found[url] += 1
                    writers_of.setdefault(urlsplit(url).netloc, set()).add(writer)
    pages = [s.url("/") for s in servers] + [s.url(sites.bulk_article(n).path)
                                              for s in servers for n in range(PAGES)]
    assert {url: found[url] for url in pages} == {url: 1 for url in pages}
    # each site was crawled by one worker (its files)
    assert len(writers_of) == SITES and all(len(names) == 1 for names in writers_of.values()), writers_of
    assert set().union(*writers_of.values()) <= {f"w{n}" for n in range(1, WORKERS)} | {f"w{WORKERS}_0", f"w{WORKERS}_1"}
    # the run is in the job history as a local run is: one row, ended by its last unit
    [run] = [r for entry in status for r in entry["runs"]]
    assert (run["id"], run["status"], run["exit_code"], run["units"], run["units_done"], run["units_failed"]) == \
        (first["run"], "ok", 0, SITES, SITES, 0)
    assert run["pages"] >= len(pages) and run["new_articles"] == SITES * PAGES and run["ended"]
    # each worker's stats: the units it crawled, the pages they archived
    rows = {row["name"]: row["stats"] for row in json.loads(stats.stdout)["queue"]["stats"]}
    assert set(rows) == {f"w{n}" for n in range(1, WORKERS + 1)}
    assert sum(row["units/finished"] for row in rows.values()) == SITES
    assert sum(row["pages"] for row in rows.values()) == run["pages"]
    assert all(row["units/failed"] == row["units/stopped"] == 0 for row in rows.values())
    for server in servers:
        times = server.times
        gaps = [b - a for a, b in zip(times, times[1:])]
        # Scrapy spaces requests as it sends them; their arrival here varies with the load of
        # this machine, so single gaps shrink while the pace holds: one worker at the delay
        assert (len(times) - 1) / (times[-1] - times[0]) <= 1.25 / DELAY, f"{server.base_url} too fast: {gaps}"
        # two crawls of one host at once would put about half their requests early; a loaded
        # machine delays single requests, so one may arrive early (the sites' writers show one
        # worker per host above)
        early = max((j - i - (times[j] - times[i]) / DELAY
                     for i in range(len(times)) for j in range(i + 1, len(times))), default=0.0)
        assert early <= 1.5, f"{server.base_url}: {early:.2f} requests early: {gaps}"


def test_the_distributed_daemon_queues_a_run_only_when_the_previous_one_is_done(tmp_path, queue_db):
    from crawler.distributed.queue import pending_units

    jobs_file = write_jobs(tmp_path, f"""
[jobs.news]
seeds = ["http://127.0.0.1:9/", "http://127.0.0.2:9/"]
every = "1s"
archive = "shared"

[jobs.news.settings]
CATALOG_URL = "{queue_db}"
""")
    log = tmp_path / "daemon.log"
    with open(log, "wb") as out:
        daemon = subprocess.Popen(jobs_cmd(jobs_file, "daemon", "--distributed"), cwd=tmp_path, env=crawl_env(),
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + CRAWL_TIMEOUT
        # no worker runs: the first run's units stay queued, and every later tick is refused
        while log.read_text().count("skipped, a run started elsewhere is still going") < 2:
            assert daemon.poll() is None and time.monotonic() < deadline, log.read_text()[-4000:]
            time.sleep(0.1)
    finally:
        text = stop_daemon(daemon, log)
    assert pending_units(queue_db, "news") == ["http://127.0.0.1:9", "http://127.0.0.2:9"], text[-4000:]
