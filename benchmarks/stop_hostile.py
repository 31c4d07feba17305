"""How long a crawl takes to stop after SIGINT on a host that asks for long waits.

    python benchmarks/stop_hostile.py [--retry-after 60] [--pages 12] [--repeat 1] [--json]

A local site answers its first article with ``503 Retry-After: N`` and serves the others as
articles. ``wirecopy crawl`` (default settings, one extraction worker) is sent SIGINT once the
busy page's answer is archived, while the host's other requests wait out its back-off; the
figure is the time from SIGINT to the process's exit. Baseline, measured in the same run:
the same crawl with ``STOP_PROMPTLY=False``, which waits for every request the downloader
holds, as Scrapy's graceful stop does.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import sites  # noqa: E402


def statuses(archive: Path) -> list[int]:
    try:
        db = sqlite3.connect(f"file:{archive / 'catalog.sqlite'}?mode=ro", uri=True, timeout=1)
        try:
            return [s for (s,) in db.execute("SELECT status FROM captures")]
        finally:
            db.close()
    except sqlite3.Error:
        return []


def stop_time(site: sites.SiteServer, settings: list[str], cap: float) -> float | None:
    """Seconds from SIGINT to exit; None when the crawl was still running after ``cap``."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", site.url("/"), "--archive", str(archive),
               "--depth", "1", "--quiet", "-s", "EXTRACT_WORKERS=1", "-s", "STORIES_ENABLED=False"]
        for setting in settings:
            cmd += ["-s", setting]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("http_proxy", None)
        proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # from the busy page's answer on, the host's other requests wait out its Retry-After
            while 503 not in statuses(archive):
                if proc.poll() is not None:
                    raise RuntimeError(f"the crawl ended early (exit {proc.returncode})")
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            sent = time.monotonic()
            try:
                proc.wait(timeout=cap)
            except subprocess.TimeoutExpired:
                return None
            return time.monotonic() - sent
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--retry-after", type=int, default=60)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    busy = sites.Route(b"<html><body>busy</body></html>", status=503,
                       headers=[("Retry-After", str(args.retry_after))])

    def routes(base: str):
        table = sites.bulk_site_routes(base, count=args.pages, delay=0)
        table[sites.bulk_article(0).path] = busy
        return table

    cap = args.retry_after * 2 + 30
    figures: dict[str, list[float | None]] = {"wirecopy": [], "baseline": []}
    for _ in range(args.repeat):
        for name, settings in (("wirecopy", []), ("baseline", ["STOP_PROMPTLY=False"])):
            site = sites.serve(routes)
            try:
                figures[name].append(stop_time(site, settings, cap))
            finally:
                site.stop()

    def show(values):
        done = [v for v in values if v is not None]
        if len(done) < len(values):
            return f"> {cap:.0f} s"
        return f"{statistics.median(done):.1f} s"

    print(f"SIGINT while a retry waits out Retry-After: {args.retry_after} ({args.pages} pages,"
          f" {args.repeat} run(s), median)")
    print(f"{'system':<28}{'SIGINT to exit':>16}")
    print(f"{'wirecopy (STOP_PROMPTLY)':<28}{show(figures['wirecopy']):>16}")
    print(f"{'baseline (graceful wait)':<28}{show(figures['baseline']):>16}")
    if args.json:
        print(json.dumps({"retry_after": args.retry_after, "pages": args.pages, "cap": cap,
                          "stop_seconds": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
