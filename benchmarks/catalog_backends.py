"""Catalog write rate on PostgreSQL (``CATALOG_URL``) against SQLite, the embedded default.

    python benchmarks/catalog_backends.py [--captures 3000] [--server postgresql://postgres@127.0.0.1:5432/postgres] [--json]

The same rows through the catalog protocol on each back-end, in three ways:

- ``units``: as a live crawl writes them, one transaction per unit: a capture with its
  validators, and for every second capture an article with its version row;
- ``batched``: as an import or a rebuild writes them, units sharing a transaction committed
  every 500 units;
- ``2 writers``: two processes writing their own halves as units at the same time (SQLite's
  writers take turns at its one lock; PostgreSQL's run side by side).

Figures are units/s and rows/s (a capture unit is 2 rows, an article unit 3: article,
extraction, version). PostgreSQL runs in a database made for the run (dropped at the end), over
TCP on this machine; the ratio is PostgreSQL's rate over SQLite's, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sqlite3
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import psycopg  # noqa: E402

from archive.catalog import ArticleRow, CaptureRow, CatalogOptions, open_catalog  # noqa: E402
from archive.history import add_version  # noqa: E402

BATCH = 500


def capture_row(worker: int, n: int) -> CaptureRow:
    url = f"https://news{n % 50}.example/{worker}/{n}"
    return CaptureRow(url=url, surt=f"example,news{n % 50})/{worker}/{n}", timestamp=f"2025{n:010d}",
                      warc_date="2025-03-10T09:20:01Z", record_id=f"<urn:uuid:{worker}-{n}-{uuid.uuid4()}>",
                      status=200, mime="text/html", kind="page", payload_digest=f"sha1:{n:032d}",
                      warc_file=f"w{worker}.warc.gz", warc_offset=n * 5000, warc_length=4000)


def article_row(capture_id: int, row: CaptureRow, n: int) -> ArticleRow:
    return ArticleRow(capture_id=capture_id, url=row.url, canonical_url=row.url, title=f"Story {n}",
                      authors=["A. Writer"], published="2025-03-10", sitename="News", language="en",
                      text_hash=f"{n:040d}", text_length=4000, extractor="trafilatura",
                      conversion_file=row.warc_file, conversion_offset=row.warc_offset + 4000, conversion_length=600,
                      metadata_file=row.warc_file, metadata_offset=row.warc_offset + 4600, metadata_length=300)


def write_rows(root: str, options: CatalogOptions, worker: int, count: int, batched: bool) -> tuple[int, int]:
    """(units, rows) written by one writer."""
    catalog = open_catalog(root, options)
    units = rows = 0
    try:
        def captures():
            for n in range(count):
                row = capture_row(worker, n)

                def unit(c, row=row):
                    capture_id = c.add_capture(row)
                    c.add_validators(capture_id, f'"{row.record_id}"', None)
                    return capture_id
                catalog.write(unit)
                yield 2
                if n % 2 == 0:
                    def article(c, row=row, n=n):
                        cid = c.capture_by_record_id(row.record_id)["id"]
                        c.add_article(article_row(cid, row, n))
                        add_version(c, cid, row.url, row.warc_date, "text", f"{n:040d}", lambda *_: "")
                    catalog.write(article)
                    yield 3
        if batched:
            with catalog.batch():
                for written in captures():
                    units, rows = units + 1, rows + written
                    if units % BATCH == 0:
                        catalog.commit()
        else:
            for written in captures():
                units, rows = units + 1, rows + written
    finally:
        catalog.close()
    assert catalog.stats["write_errors"] == 0
    return units, rows


def _writer(args) -> tuple[int, int]:
    return write_rows(*args)


def measure(options_of, count: int) -> dict:
    figures = {}
    for mode in ("units", "batched", "2 writers"):
        with tempfile.TemporaryDirectory(prefix="catalog-bench-") as tmp:
            options = options_of()
            open_catalog(Path(tmp) / "w0", options).close()  # created and migrated before the clock starts
            start = time.perf_counter()
            if mode == "2 writers":
                ctx = multiprocessing.get_context("spawn")
                with ctx.Pool(2) as pool:
                    done = pool.map(_writer, [(str(Path(tmp) / f"w{w}"), options, w, count // 2, False) for w in (1, 2)])
                units, rows = sum(u for u, _ in done), sum(r for _, r in done)
            else:
                units, rows = write_rows(str(Path(tmp) / "w0"), options, 0, count, mode == "batched")
            elapsed = time.perf_counter() - start
        figures[mode] = {"units": units, "rows": rows, "seconds": round(elapsed, 3),
                         "units_per_s": round(units / elapsed), "rows_per_s": round(rows / elapsed)}
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--captures", type=int, default=3000)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    name = f"wirecopy_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        server_version = conn.info.server_version
    url = args.server.rsplit("/", 1)[0] + "/" + name
    try:
        sqlite = measure(lambda: CatalogOptions(), args.captures)
        postgres = measure(lambda: replace(CatalogOptions(catalog_url=url), catalog_schema=f"b_{uuid.uuid4().hex[:8]}"),
                           args.captures)
    finally:
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    print(f"catalog writes, {args.captures} captures ({args.captures // 2} with an article); "
          f"PostgreSQL {server_version // 10000}.{server_version % 10000} over TCP, SQLite {sqlite3.sqlite_version} WAL")
    print(f"{'mode':<11} {'SQLite units/s':>15} {'rows/s':>8} {'PostgreSQL units/s':>19} {'rows/s':>8} {'ratio':>6}")
    for mode in sqlite:
        s, p = sqlite[mode], postgres[mode]
        print(f"{mode:<11} {s['units_per_s']:>15} {s['rows_per_s']:>8} {p['units_per_s']:>19} {p['rows_per_s']:>8}"
              f" {p['units_per_s'] / s['units_per_s']:>6.2f}")
    if args.json:
        print(json.dumps({"captures": args.captures, "sqlite": sqlite, "postgresql": postgres}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
