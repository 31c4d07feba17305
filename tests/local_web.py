"""A local web of many hosts for the crawl-worker tests, and what every multi-worker run must
leave behind.

``LocalWeb`` starts small bulk sites, each on its own loopback address (127.0.0.2, 127.0.0.3,
...), so Scrapy sees distinct hosts, and one of them gated (``gated_site``): it holds back its
later article pages until the test opens the gate, so a crawl can be caught at a known record
count. Every server notes when each request arrived, from which worker (its User-Agent) and when
it left that worker's crawl (``send_stamp``); ``interleaved``, ``shortest_gaps`` and
``shortest_send_gaps`` read the politeness off them. ``check_archive`` asserts the invariants
of a shared archive: every page archived once, every WARC file valid for warcio and FastWARC,
every record cataloged and every catalog row resolving to its record.
"""

from __future__ import annotations

import json
import os
import signal
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
from send_stamp import HANDLERS as STAMPING_HANDLERS, SENT_HEADER
from conftest import CRAWL_TIMEOUT, FAST_SETTINGS, crawl_env

HOSTS = 10
PAGES = 4  # article pages of each plain site
GATED_ARTICLES = 8
GATED_OPEN = 4  # the gated site's article pages from this one on wait for the gate


class TimedSite(sites.SiteServer):
    """A site noting the arrival time of every request (``times``, monotonic seconds) and, in
    ``arrivals``, who sent it and when: (time, path, User-Agent, the client's source port,
    seconds between the request leaving its crawl (``send_stamp``) and arriving)."""

    def __init__(self, host: str):
        super().__init__(host)
        self.times: list[float] = []
        self.arrivals: list[tuple[float, str, str, int]] = []
        self._connection = threading.local()

    def finish_request(self, request, client_address) -> None:
        self._connection.port = client_address[1]  # the thread serving this connection
        super().finish_request(request, client_address)

    def record(self, path, headers) -> None:
        now = time.monotonic()
        with self._lock:
            self.times.append(now)
            sent = headers.get(SENT_HEADER)
            transit = time.time() - float(sent) if sent else None
            self.arrivals.append((now, path, headers.get("User-Agent", ""), self._connection.port, transit))
        super().record(path, headers)


class TimedGatedSite(TimedSite):
    """Requests for the gated paths wait for ``gate``; ``hold_later`` puts some of them behind a
    second gate of their own."""

    def __init__(self, host: str, gated: set[str]):
        super().__init__(host)
        self.gate = threading.Event()
        self.gates = {path: self.gate for path in gated}
        self.reached = threading.Event()

    def hold_later(self, paths: list[str]) -> threading.Event:
        later = threading.Event()
        self.gates.update({path: later for path in paths})
        return later

    def record(self, path, headers) -> None:
        super().record(path, headers)
        if path in self.gates:
            self.reached.set()
            self.gates[path].wait(timeout=CRAWL_TIMEOUT)


def article_paths(count: int) -> list[str]:
    return [sites.bulk_article(n).path for n in range(count)]


class LocalWeb:
    """``HOSTS`` sites on 127.0.0.2 and on; the first is the gated one."""

    def __init__(self, hosts: int = HOSTS):
        gated = TimedGatedSite("127.0.0.2", set(article_paths(GATED_ARTICLES)[GATED_OPEN:]))
        gated.routes.update(sites.bulk_site_routes(gated.base_url, count=GATED_ARTICLES, delay=0))
        self.sites: list[TimedSite] = [gated]
        for n in range(1, hosts):
            site = TimedSite(f"127.0.0.{n + 2}")
            site.routes.update(sites.bulk_site_routes(site.base_url, count=PAGES, delay=0))
            self.sites.append(site)

    @property
    def gated_site(self) -> TimedGatedSite:
        return self.sites[0]  # type: ignore[return-value]

    def start(self) -> LocalWeb:
        for site in self.sites:
            site.start()
        return self

    def stop(self) -> None:
        for gate in self.gated_site.gates.values():
            gate.set()
        for site in self.sites:
            site.stop()

    def pages(self) -> list[str]:
        """Every page a depth-1 crawl of the sites' home pages archives."""
        found = []
        for site in self.sites:
            count = GATED_ARTICLES if site is self.gated_site else PAGES
            found += [site.url("/")] + [site.url(path) for path in article_paths(count)]
        return found

    def after_gate(self) -> list[str]:
        site = self.gated_site
        return [site.url(path) for path in article_paths(GATED_ARTICLES)[GATED_OPEN:]]

    def before_gate(self) -> list[str]:
        """The gated site's pages a crawl archives before it waits at the gate."""
        site = self.gated_site
        return [site.url("/")] + [site.url(path) for path in article_paths(GATED_ARTICLES)[:GATED_OPEN]]

    def shortest_gaps(self) -> dict[str, float]:
        """Per host, the shortest time between two requests arriving."""
        gaps = {}
        for site in self.sites:
            times = sorted(site.times)
            gaps[site.base_url] = min((b - a for a, b in zip(times, times[1:])), default=float("inf"))
        return gaps

    def interleaved(self) -> dict[str, list[str]]:
        """Hosts whose requests came from two crawlers at once: each host's requesters (by
        User-Agent) in arrival order, for the hosts where one came back after another's."""
        found = {}
        for site in self.sites:
            order = [agent for _t, _path, agent, *_ in sorted(site.arrivals)]
            runs = [agent for n, agent in enumerate(order) if n == 0 or order[n - 1] != agent]
            if len(runs) != len(set(runs)):
                found[site.base_url] = runs
        return found

    def closest_arrivals(self) -> tuple[float, tuple, tuple]:
        """The two requests to one host that arrived closest together: (gap, earlier, later),
        each (path, User-Agent, source port, seconds from leaving its crawl to arriving)."""
        pairs = [(b[0] - a[0], a[1:], b[1:]) for site in self.sites
                 for a, b in zip(sorted(site.arrivals), sorted(site.arrivals)[1:])]
        return min(pairs, default=(float("inf"), (), ()))

    def shortest_send_gaps(self) -> dict[str, float]:
        """Per host, the shortest time between two requests of one crawler leaving their
        downloader slot (``send_stamp``): the spacing the crawl kept, whatever the arrival."""
        gaps = {}
        for site in self.sites:
            sent: dict[str, list[float]] = {}
            for arrived, _path, agent, _port, transit in site.arrivals:
                if transit is not None:
                    sent.setdefault(agent, []).append(arrived - transit)
            ordered = [sorted(times) for times in sent.values()]
            gaps[site.base_url] = min((b - a for times in ordered for a, b in zip(times, times[1:])),
                                      default=float("inf"))
        return gaps

    def early_requests(self, delay: float) -> dict[str, float]:
        """Per host, the most requests that arrived in any stretch of time beyond what ``delay``
        allows (a stretch of ``t`` seconds allows ``1 + t / delay``). Scrapy spaces requests as
        it sends them, and a loaded machine sends some later than others, so one request may
        arrive early; two crawls of one host at once would put many in excess."""
        excess = {}
        for site in self.sites:
            times = sorted(site.times)
            excess[site.base_url] = max((j - i - (times[j] - times[i]) / delay
                                         for i in range(len(times)) for j in range(i + 1, len(times))), default=0.0)
        return excess


def readable_responses(path: Path) -> list[str]:
    """Target-URIs of the response records of a WARC file, also one still being written (a torn
    last record ends the list)."""
    found = []
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type == "response":
                    found.append(record.rec_headers.get_header("WARC-Target-URI"))
    except Exception:  # noqa: BLE001 - the writer is midway through a record
        pass
    return found


def open_file_holding(archive: Path, urls: list[str]) -> Path | None:
    """The ``.open`` WARC file whose readable records include every one of ``urls``."""
    for path in sorted((archive / "warc").glob("*.warc.gz.open")):
        if set(urls) <= set(readable_responses(path)):
            return path
    return None


def check_archive(archive: Path, pages: list[str], job: str) -> dict[str, int]:
    """The invariants of a shared archive after a run; returns what was counted."""
    from archive.catalog import open_catalog
    from archive.warc.reader import read_record

    warcs = archive / "warc"
    assert not list(warcs.glob("*.open")), "a WARC file is left open"
    found: Counter = Counter()
    record_ids: set[str] = set()
    for path in sorted(warcs.glob("*.warc.gz")):
        with open(path, "rb") as fh:
            records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                        r.rec_headers.get_header("WARC-Record-ID")) for r in ArchiveIterator(fh)]
        with open(path, "rb") as fh:
            fast = [r for r in FastArchiveIterator(fh, parse_http=False) if r.verify_block_digest()]
        assert len(fast) == len(records), f"{path.name}: a record fails its digest or FastWARC's reading"
        for kind, uri, record_id in records:
            if kind == "response":
                found[uri] += 1
            if kind in ("response", "revisit"):
                record_ids.add(record_id)
    archived_off = {url: found[url] for url in pages if found[url] != 1}
    assert not archived_off, f"every page archived once; not so (url: responses): {archived_off}"

    catalog = open_catalog(archive, readonly=True)
    try:
        rows = list(catalog.captures())
        job_rows = list(catalog.captures_of_job(job, "0" * 14))
        extractions = catalog.extraction_locations()
    finally:
        catalog.close()
    cataloged = Counter(row["url"] for row in job_rows)
    # a helper module's asserts are not rewritten by pytest: the message names what is off
    cataloged_off = {url: cataloged[url] for url in pages if cataloged[url] != 1}
    assert not cataloged_off, (f"every page cataloged once; not so (url: rows of job {job}): {cataloged_off}; "
                               f"rows of other jobs: {Counter(row['job'] for row in rows if row['url'] in cataloged_off)}")
    row_ids = {row["record_id"] for row in rows}
    assert record_ids - row_ids == set(), "a record in a WARC file has no catalog row"
    for row in rows:  # and no row points at a missing record
        record = read_record(warcs / row["warc_file"], row["warc_offset"], row["warc_length"])
        assert record.header("WARC-Record-ID") == row["record_id"], f"{row['url']}: its row names another record"
    for name, offset in extractions:
        assert read_record(warcs / name, offset).rec_type == "conversion"
    return {"records": len(record_ids), "rows": len(rows), "extractions": len(extractions),
            "files": len(list(warcs.glob("*.warc.gz")))}


STALLED_AFTER = 2.0


def start_worker(name: str, archive: Path, url: str, log: Path, settings: tuple[str, ...] = FAST_SETTINGS,
                 stalled_after: float = STALLED_AFTER) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "crawler.cli", "worker", "--archive", str(archive), "--name", name,
           "--heartbeat", "0.5", "--stalled-after", str(stalled_after), "--verbose", "-s", f"CATALOG_URL={url}",
           # the sites tell the workers' requests apart by it
           "-s", f"USER_AGENT=wirecopy-test ({name})", "-s", f"DOWNLOAD_HANDLERS={STAMPING_HANDLERS}"]
    for setting in settings:
        cmd += ["-s", setting]
    env = crawl_env()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).parent), env.get("PYTHONPATH")]))
    return subprocess.Popen(cmd, cwd=archive.parent, env=env, stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT)


def until(condition, what: str, logs: list[Path], timeout: float = CRAWL_TIMEOUT):
    """Wait for ``condition`` (a state the test cannot be told of) and return what it found,
    failing with the logs."""
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"{what} never happened:\n" + "\n".join(p.read_text()[-3000:] for p in logs))
        time.sleep(0.05)
    return found


def units_left(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
                            ).fetchone()[0]


def workers_status(archive: Path, url: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "crawler.cli", "workers", "status", "--catalog-url", url,
                           "--archive", str(archive), "--json"], capture_output=True, text=True,
                          env=crawl_env(), timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def writer_gone(archive: Path, name: str) -> bool:
    from archive.lock import claimed_writer

    with claimed_writer(archive, name) as claimed:
        return claimed


def hold_a_unit_at_the_gate(url: str, web: "LocalWeb", archive: Path, log: Path,
                            settings: tuple[str, ...] = ()) -> subprocess.Popen:
    """Queue one unit of the gated site and start worker w1 on it; return once its crawl has
    archived the pages before the gate and waits there (a download waiting for its first byte
    ends at DOWNLOAD_TIMEOUT, so a stopping crawl can close)."""
    from crawler.distributed.queue import defer_units
    from crawler.distributed.units import CrawlUnit

    site = web.gated_site
    defer_units(url, [CrawlUnit(job="news", site=site.base_url, seeds=(site.url("/"),),
                                since="2000-01-01T00:00:00+00:00", depth=1)])
    worker = start_worker("w1", archive, url, log, FAST_SETTINGS + ("DOWNLOAD_TIMEOUT=5",) + settings)
    until(lambda: open_file_holding(archive, web.before_gate()), "the pages before the gate", [log])
    until(site.reached.is_set, "a request waiting at the gate", [log])
    return worker


def stop_all(workers, web: "LocalWeb") -> None:
    """The end of a worker test, whatever happened: no worker process left, the web stopped."""
    for proc in workers:
        if proc.poll() is None:
            proc.send_signal(signal.SIGCONT)  # a test may have frozen it
            proc.kill()
            proc.wait()
    web.stop()
