"""Crawl workers: throughput of a multi-site job with 1, 2 and 3 ``wirecopy worker`` processes (and
one worker crawling two sites at once), and
politeness (the shortest gap between two requests to one host against DOWNLOAD_DELAY).

    python benchmarks/workers.py [--sites 6] [--pages 6] [--delay 0.5] [--server postgresql://postgres@127.0.0.1:5432/postgres]

Baseline, measured in the same run: one ``wirecopy crawl`` process of all the seeds (Scrapy
crawls the hosts side by side in one process, into one archive). Each worker run gets a fresh
PostgreSQL database (dropped at the end) and archive; its time runs from the first worker's
start to the last one's exit (``--once``: a worker exits when the queue is empty). The test
sites are local HTTP servers on 127.0.0.1 that note when each request arrives.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

PROSE = ("The harbour authority said on Tuesday that the new quay would open in the spring, after"
         " two years of work on the breakwater and the dredging of the inner basin. ") * 8


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: int):
        super().__init__(("127.0.0.1", 0), Handler)
        self.pages = pages
        self.times: list[float] = []
        self.lock = threading.Lock()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        site: Site = self.server  # type: ignore[assignment]
        with site.lock:
            site.times.append(time.monotonic())
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        elif self.path == "/":
            links = "".join(f'<li><a href="/news/{n}.html">Story {n}</a></li>' for n in range(site.pages))
            body, kind = f"<html><body><h1>News</h1><ul>{links}</ul></body></html>".encode(), "text/html"
        else:
            body = (f"<html><head><title>Story {self.path}</title></head><body><article><h1>Story"
                    f" {self.path}</h1><p>{PROSE}</p></article></body></html>").encode()
            kind = "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    clean["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), clean.get("PYTHONPATH")]))
    clean["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    return clean


def politeness(sites: list[Site]) -> tuple[float, float]:
    """(shortest gap between two requests to one host, highest requests/s of one host)."""
    gaps, rates = [], []
    for site in sites:
        times = sorted(site.times)
        gaps += [b - a for a, b in zip(times, times[1:])]
        if len(times) > 1:
            rates.append((len(times) - 1) / (times[-1] - times[0]))
        site.times.clear()
    return min(gaps), max(rates)


def settings(delay: float) -> list[str]:
    pairs = [f"DOWNLOAD_DELAY={delay}", "RANDOMIZE_DOWNLOAD_DELAY=False", "AUTOTHROTTLE_ENABLED=False",
             "EXTRACT_WORKERS=1", "STORIES_ENABLED=False"]
    return [arg for pair in pairs for arg in ("-s", pair)]


def single_crawl(sites: list[Site], work: Path, delay: float) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", *[s.base + "/" for s in sites], "--depth", "1",
                    "--archive", str(work / "single"), "--quiet", *settings(delay)],
                   env=env(), check=True, capture_output=True)
    return time.monotonic() - started


def workers_run(sites: list[Site], work: Path, delay: float, server: str, count: int, concurrency: int = 1) -> float:
    import psycopg

    from crawler.distributed.queue import defer_units
    from crawler.distributed.units import CrawlUnit

    name = f"wirecopy_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
        defer_units(url, [CrawlUnit(job="bench", site=s.base, seeds=(s.base + "/",), since=since, depth=1)
                          for s in sites])
        started = time.monotonic()
        procs = [subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker", "--archive",
                                   str(work / f"workers{count}x{concurrency}"), "--name", f"w{n}", "--once",
                                   "--concurrency", str(concurrency),
                                   "-s", f"CATALOG_URL={url}", *settings(delay)],
                                  env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for n in range(count)]
        for proc in procs:
            if proc.wait() != 0:
                raise SystemExit(f"a worker exited with {proc.returncode}")
        return time.monotonic() - started
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--pages", type=int, default=6, help="article pages per site (plus its home page)")
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    sites = [Site(args.pages) for _ in range(args.sites)]
    for site in sites:
        threading.Thread(target=site.serve_forever, daemon=True).start()
    pages = args.sites * (args.pages + 1)
    print(f"{args.sites} sites x {args.pages + 1} pages, DOWNLOAD_DELAY {args.delay} s, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = [("1 crawl process (baseline)", single_crawl(sites, work, args.delay), *politeness(sites))]
        for count, concurrency in ((1, 1), (2, 1), (3, 1), (1, 2)):
            label = f"{count} worker{'s' if count > 1 else ''}" + (f" --concurrency {concurrency}" if concurrency > 1 else "")
            rows.append((label, workers_run(sites, work, args.delay, args.server, count, concurrency),
                         *politeness(sites)))
    print(f"{'':28} {'seconds':>8} {'pages/s':>8} {'x baseline':>10} {'min gap/host':>13} {'max req/s/host':>15}")
    for label, seconds, gap, rate in rows:
        print(f"{label:28} {seconds:8.1f} {pages / seconds:8.2f} {rows[0][1] / seconds:10.2f} {gap:12.3f}s {rate:15.2f}")
    for site in sites:
        site.shutdown()


if __name__ == "__main__":
    main()
