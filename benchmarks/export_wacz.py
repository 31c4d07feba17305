"""WACZ export speed and memory: ``wirecopy export --wacz`` against py-wacz's ``wacz create``.

Builds a synthetic archive (captures with incompressible bodies, one article in three with
its text), then runs both exporters on it as subprocesses and reports wall time, throughput
and peak memory (each child's own max RSS, from ``os.wait4``).

    python3 benchmarks/export_wacz.py [--captures N] [--body-kb K] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from archive.extract import Article  # noqa: E402
from archive.store import Archive, ArchiveConfig  # noqa: E402


def build_archive(root: Path, captures: int, body_kb: int) -> None:
    rng = random.Random(7)
    archive = Archive(root, ArchiveConfig(host="bench", max_size=200_000_000))
    factory = archive.factory
    for n in range(captures):
        url = f"https://news{n % 20}.example/{n // 20}/story-{n}.html"
        date = f"2025-03-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:{(n * 7) % 60:02d}.000000Z"
        body = b"<html><body>" + rng.randbytes(body_kb * 1024).hex().encode()[: body_kb * 1024] + b"</body></html>"
        response = factory.response(url, date, "HTTP/1.1", 200, "OK",
                                    [("Content-Type", "text/html; charset=utf-8")], body)
        request = factory.request(url, date, "GET", "/", [("Host", "news.example")],
                                  concurrent_to=response.rec_headers.get_header("WARC-Record-ID"))
        ref = archive.write_capture(request, response)
        if n % 3 == 0:
            text = " ".join(f"Sentence {i} of story {n} about the harbour bridge." for i in range(60))
            archive.write_article(ref, Article(url=url, text=text, title=f"Story {n}",
                                               language="en", extractor="bench"))
    archive.close()


def run(cmd: list[str]) -> tuple[float, int]:
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{cmd[:4]} failed: {proc.stderr.read().decode()[-2000:]}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--captures", type=int, default=6000)
    parser.add_argument("--body-kb", type=int, default=48)
    parser.add_argument("--dir", help="work directory (default: a temporary one, removed)")
    args = parser.parse_args()
    work = Path(args.dir or tempfile.mkdtemp(prefix="wacz-bench-"))
    try:
        root = work / "archive"
        started = time.monotonic()
        build_archive(root, args.captures, args.body_kb)
        warcs = sorted((root / "warc").glob("*.warc.gz"))
        size = sum(p.stat().st_size for p in warcs)
        print(f"archive: {args.captures} captures, {len(warcs)} WARC files, {size / 1e6:.0f} MB "
              f"(built in {time.monotonic() - started:.0f} s)")
        env_python = [sys.executable]
        ours = run(env_python + ["-m", "crawler.cli", "export", "--archive", str(root),
                                 "--wacz", str(work / "ours.wacz")])
        theirs = run(env_python + ["-c", "import sys; from wacz.main import main; sys.exit(main())",
                                   "create", "-o", str(work / "py-wacz.wacz"), *map(str, warcs)])
        for name, (elapsed, rss) in (("wirecopy export", ours), ("py-wacz create", theirs)):
            print(f"{name:16s} {elapsed:6.1f} s  {size / 1e6 / elapsed:6.0f} MB/s  "
                  f"{args.captures / elapsed:7.0f} captures/s  peak RSS {rss} MB")
        print(f"ratio: wirecopy export is {theirs[0] / ours[0]:.1f}x py-wacz's speed")
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
