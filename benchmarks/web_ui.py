"""The web UI on a synthetic archive: search index build, search and page latencies.

    python3 benchmarks/web_ui.py [--articles 5000] [--dir /tmp/wirecopy-web-bench]

Articles are written with the library (response, conversion and metadata records, as a
crawl writes them) from generated text, so the figures measure the UI, not extraction.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.extract import Article  # noqa: E402
from archive.store import Archive  # noqa: E402
from archive.web import create_app  # noqa: E402

WORDS = ("harbour ferry council budget election minister parliament energy grid solar rail strike "
         "union port wages court ruling drought river farmers exports talks treaty border summit "
         "vaccine hospital school teachers museum festival storm coast bridge tunnel airport").split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 24))).capitalize() + "."


def build(root: Path, count: int) -> None:
    rng = random.Random(7)
    archive = Archive(root)
    factory = archive.factory
    for n in range(count):
        url = f"https://outlet{n % 20}.example/news/{n}"
        text = "\n".join(sentence(rng) for _ in range(rng.randint(8, 30)))
        date = f"2025-03-{1 + n % 28:02d}T{n % 24:02d}:00:00.000000Z"
        body = f"<html><head><title>Story {n}</title></head><body><p>{text}</p></body></html>".encode()
        response = factory.response(url, date, "HTTP/1.1", 200, "OK", [("Content-Type", "text/html")], body)
        request = factory.request(url, date, "GET", f"/news/{n}", [("Host", url.split("/")[2])])
        ref = archive.write_capture(request, response)
        archive.write_article(ref, Article(url, text, title=f"Story {n}: {sentence(rng)[:40]}",
                                           sitename=f"Outlet {n % 20}", language="en", extractor="bench"))
    archive.close()


def median_ms(client, url: str, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--dir", default="/tmp/wirecopy-web-bench")
    args = parser.parse_args()
    root = Path(args.dir)
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    build(root, args.articles)
    print(f"archive of {args.articles} articles written in {time.perf_counter() - started:.1f} s")

    app = create_app(root, trusted_hosts=["localhost"], search_interval=0)
    client = app.test_client()
    started = time.perf_counter()
    client.get("/search?q=harbour")
    first = time.perf_counter() - started
    print(f"search index built from the conversion records: {first:.2f} s "
          f"({args.articles / first:.0f} articles/s)")
    print(f"search, index already current (refresh check included): {median_ms(client, '/search?q=harbour+ferry'):.1f} ms")
    for url in ("/", "/stories", f"/capture/{args.articles // 2}", f"/replay/{args.articles // 2}/raw"):
        print(f"{url}: {median_ms(client, url):.1f} ms median")


if __name__ == "__main__":
    main()
