"""Bulk-read speed of ``wirecopy import`` against FastWARC's raw iteration of the same file.

    python benchmarks/import_speed.py [--captures 2000] [--large-captures 20000] [--read-workers N]
                                      [--workers 0] [--json]

Builds a realistic WARC (gzip per record, WARC/1.0 as warcio writes it): the demo web's pages,
feeds and sitemaps fetched once through warcio's ``capture_http``, then written again under
distinct URLs until there are ``--captures`` request/response pairs; a fifth of the bodies are
gzip-encoded and a tenth are chunked, as on the live web. Then, on that one file:

- baseline: FastWARC ``ArchiveIterator`` iterating every record and reading its block (no HTTP
  parsing, no digests): the fastest anyone reads this file in Python;
- ``wirecopy import --no-extract``: scan, digests verified, HTTP parsed, kind sniffed, CDXJ +
  catalog rows written (a fresh archive each run), in one process;
- ``wirecopy import --no-stories``: the same plus article extraction in the process pool;
- ``wirecopy index rebuild``: the catalog and CDXJ of an archive wirecopy wrote (the same
  captures through its writer) rebuilt from its WARC files, against FastWARC's raw iteration of
  those files;
- on a second, larger file (``--large-captures``, 74 MB by default: over the 64 MiB from which
  the import reads a WARC in ranges), the import in one process and with ``--read-workers``
  processes reading its ranges at once (their pool started before the clock, as the extraction
  pool is), timed by the wall clock against FastWARC's fastest wall time on that file, with the
  CPU time of every process beside it.

Each figure is records/s over all records of the file (best of ``--repeat`` runs, baseline and
measured runs interleaved so that both see the same load on a shared machine), from the CPU time
of this process: on a shared machine wall time measures the neighbours as much as the code. Wall
time is printed too; the runs with extraction and of the large file are timed by the wall clock
only (their workers are other processes).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from fastwarc.warc import ArchiveIterator, WarcRecordType  # noqa: E402
from warcio.archiveiterator import ArchiveIterator as WarcioIterator  # noqa: E402
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from archive.catalog.reindex import rebuild  # noqa: E402
from archive.demo import DemoWeb  # noqa: E402
from archive.importer import Importer, ImportOptions  # noqa: E402
from archive.importer.reading import SPLIT_FROM  # noqa: E402
from archive.store import Archive, ArchiveConfig  # noqa: E402


def fetch_demo_pages() -> list[tuple[str, int, list[tuple[str, str]], bytes]]:
    """(url path, status, headers, body) of every demo page the home pages and feeds list."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    pages = []
    with DemoWeb() as web:
        for url in web.seeds + [a.url for a in web.articles]:
            with opener.open(url) as response:
                headers = [(k, v) for k, v in response.getheaders()
                           if k.lower() not in ("content-length", "transfer-encoding", "content-encoding")]
                path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
                pages.append((path, response.status, headers, response.read()))
    return pages


def chunked(body: bytes, size: int = 4096) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def build_warc(path: Path, captures: int, pages: list) -> int:
    """``captures`` request/response pairs of the demo ``pages`` (``fetch_demo_pages``)."""
    records = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="WARC/1.0")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "import_speed.py"}))
        records += 1
        for n in range(captures):
            page_path, status, headers, body = pages[n % len(pages)]
            url = f"http://outlet{n % 97}.example/{page_path}"
            if n >= len(pages):
                url += ("&" if "?" in url else "?") + f"copy={n}"
            headers = list(headers)
            if n % 5 == 1:
                body = gzip.compress(body, 6)
                headers.append(("Content-Encoding", "gzip"))
            if n % 10 == 3:
                body = chunked(body)
                headers.append(("Transfer-Encoding", "chunked"))
            else:
                headers.append(("Content-Length", str(len(body))))
            http = StatusAndHeaders(f"{status} OK", headers, protocol="HTTP/1.1")
            response = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
            request_http = StatusAndHeaders(f"GET /{page_path} HTTP/1.1",
                                            [("Host", url.split("/")[2]), ("User-Agent", "bench")],
                                            is_http_request=True)
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                http_headers=request_http)
            writer.write_request_response_pair(request, response)
            records += 2
    return records


class Clock:
    """Wall and CPU seconds (this process) of a ``with`` block."""

    def __enter__(self) -> "Clock":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def fastwarc_baseline(*paths: Path) -> tuple[int, float, float]:
    count = 0
    with Clock() as clock:
        for path in paths:
            with open(path, "rb") as f:
                for record in ArchiveIterator(f, parse_http=False):
                    record.reader.read()
                    count += 1
    return count, clock.wall, clock.cpu


def own_archive(path: Path, root: Path) -> list[Path]:
    """The benchmark file's captures written again by wirecopy's writer (request + response)."""
    archive = Archive(root, ArchiveConfig(host="bench", job="bench"))
    with open(path, "rb") as f:
        for record in ArchiveIterator(f, parse_http=True):
            if record.record_type != WarcRecordType.response:
                continue
            url, date = record.headers["WARC-Target-URI"], record.headers["WARC-Date"]
            http = record.http_headers
            response = archive.factory.response(url, date, "HTTP/1.1", http.status_code, "OK",
                                                list(http.astuples()), record.reader.read())
            request = archive.factory.request(url, date, "GET", "/", [("Host", url.split("/")[2])])
            archive.write_capture(request, response)
    archive.close()
    return sorted((root / "warc").glob("*.warc.gz"))


def wirecopy_rebuild(root: Path) -> tuple[int, float, float]:
    archive = Archive(root)
    with Clock() as clock:
        report = rebuild(archive)
        archive.close()
    return report.total("records"), clock.wall, clock.cpu


def warcio_iteration(path: Path) -> tuple[int, float, float]:
    """For context: warcio reading every record's block (what archive.warc.iter_records uses)."""
    count = 0
    with Clock() as clock, open(path, "rb") as f:
        for record in WarcioIterator(f, no_record_parse=True):
            record.raw_stream.read()
            count += 1
    return count, clock.wall, clock.cpu


def process_cpu(pids) -> float:
    """CPU seconds (user + system) the processes have used so far, from /proc."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def wirecopy_import(path: Path, options: ImportOptions) -> tuple[int, int, float, float, float]:
    """(records, articles, wall, CPU of this process, CPU of its reading workers)."""
    root = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        importer = Importer(root, options)  # the pools start (and warm up) before the clock
        importer.reader.start()
        workers = importer.reader.worker_pids()
        before = process_cpu(workers)
        with Clock() as clock:
            summary = importer.import_paths([path])
        worker_cpu = process_cpu(workers) - before
        importer.close()
        assert summary.total("errors") == 0, summary.as_dict()["files"][0]["problems"][:3]
        if workers:
            assert summary.files[0].stats["read/ranges"] > 1, summary.files[0].stats
        return (summary.total("records"), summary.total("articles"), clock.wall, clock.cpu, worker_cpu,
                summary.files[0].stats["read/ranges"])
    finally:
        shutil.rmtree(root, ignore_errors=True)


def best(runs, by: int = -1):
    """The fastest run (by CPU time, the last figure, unless ``by`` says otherwise)."""
    return min(runs, key=lambda r: r[by])


def rates(count: int, wall: float, cpu: float, base_wall: float, base_cpu: float, base_count: int) -> dict:
    return {"records_per_second": round(count / cpu), "seconds_cpu": round(cpu, 4),
            "ratio_to_baseline": round(count / cpu / (base_count / base_cpu), 4),
            "wall_records_per_second": round(count / wall), "seconds_wall": round(wall, 4),
            "wall_ratio_to_baseline": round(count / wall / (base_count / base_wall), 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--captures", type=int, default=2000, help="request/response pairs (default 2000)")
    parser.add_argument("--workers", type=int, default=0, help="extraction processes (default: one per core)")
    parser.add_argument("--large-captures", type=int, default=20000,
                        help="captures of the large file, read in ranges (default 20000, about 74 MB; 0 skips it)")
    parser.add_argument("--read-workers", type=int, default=os.cpu_count() or 1,
                        help="processes reading the large file's ranges (default: one per core)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-extraction", action="store_true", help="skip the run with extraction (slow)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="import-bench-warc-"))
    try:
        warc = work / "bench.warc.gz"
        pages = fetch_demo_pages()  # one demo web served, for both files
        records = build_warc(warc, args.captures, pages)
        size = warc.stat().st_size
        baseline_runs, index_runs, own_runs, rebuild_runs = [], [], [], []
        own = own_archive(warc, work / "own")
        for _ in range(args.repeat):
            baseline_runs.append(fastwarc_baseline(warc))
            index_runs.append(wirecopy_import(warc, ImportOptions(extract=False, read_workers=1)))
            own_runs.append(fastwarc_baseline(*own))
            rebuild_runs.append(wirecopy_rebuild(work / "own"))
        base_count, base_wall, base_cpu = best(baseline_runs)
        assert base_count == records
        warcio_count, warcio_wall, warcio_cpu = best([warcio_iteration(warc) for _ in range(args.repeat)])
        index_records, _, index_wall, index_cpu, _, _ = best(index_runs, by=3)
        own_count, own_wall, own_cpu = best(own_runs)
        rebuild_records, rebuild_wall, rebuild_cpu = best(rebuild_runs)
        assert rebuild_records == own_count
        large = large_file(work / "large.warc.gz", args, pages) if args.large_captures else None
        extraction = None
        if not args.no_extraction:
            extract_options = ImportOptions(extract=True, stories=False, workers=args.workers)
            extraction = best([wirecopy_import(warc, extract_options) for _ in range(max(1, args.repeat - 2))],
                              by=2)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = (base_wall, base_cpu, base_count)
    figures = {
        "file": {"records": records, "captures": args.captures, "bytes": size},
        "baseline": {"name": "FastWARC ArchiveIterator raw iteration (blocks read, parse_http=False)",
                     "records_per_second": round(base_count / base_cpu), "seconds_cpu": round(base_cpu, 4),
                     "wall_records_per_second": round(base_count / base_wall)},
        "warcio_iteration": rates(warcio_count, warcio_wall, warcio_cpu, *base),
        "index_and_catalog": rates(index_records, index_wall, index_cpu, *base),
        "own_baseline": {"name": "FastWARC raw iteration of the files wirecopy wrote", "records": own_count,
                         "records_per_second": round(own_count / own_cpu),
                         "wall_records_per_second": round(own_count / own_wall)},
        "index_rebuild": rates(rebuild_records, rebuild_wall, rebuild_cpu, own_wall, own_cpu, own_count),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    if large is not None:
        figures["large_file"] = large
    if extraction is not None:
        extract_records, articles, extract_wall, _cpu, _, _ = extraction
        figures["with_extraction"] = {
            "wall_records_per_second": round(extract_records / extract_wall), "seconds_wall": round(extract_wall, 3),
            "articles": articles, "workers": args.workers or os.cpu_count(),
            "wall_ratio_to_baseline": round(extract_records / extract_wall / (base_count / base_wall), 4)}
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"WARC: {records:,} records ({args.captures:,} captures), {size / 1e6:.1f} MB gzip per record")
    print(f"baseline  {figures['baseline']['name']}: {base_count / base_cpu:,.0f} records/s CPU"
          f" ({base_count / base_wall:,.0f} wall)")
    rows = [("warcio raw iteration (context)", figures["warcio_iteration"]),
            ("wirecopy import --no-extract", figures["index_and_catalog"])]
    for label, f in rows:
        print(f"{label:32s} {f['records_per_second']:>9,} records/s CPU  {f['ratio_to_baseline']:.3f} x baseline"
              f"  (wall {f['wall_records_per_second']:,}/s, {f['wall_ratio_to_baseline']:.3f} x)")
    r, o = figures["index_rebuild"], figures["own_baseline"]
    print(f"{'wirecopy index rebuild':32s} {r['records_per_second']:>9,} records/s CPU  {r['ratio_to_baseline']:.3f} x"
          f" FastWARC over the same files ({o['records_per_second']:,} records/s CPU, {o['records']:,} records;"
          f" wall {r['wall_ratio_to_baseline']:.3f} x)")
    if extraction is not None:
        f = figures["with_extraction"]
        print(f"{'wirecopy import --no-stories':32s} {f['wall_records_per_second']:>9,} records/s wall"
              f" {f['wall_ratio_to_baseline']:.3f} x baseline ({f['seconds_wall']:.2f} s,"
              f" {f['articles']:,} articles with {f['workers']} worker(s))")
    if large is not None:
        print(f"large WARC: {large['records']:,} records, {large['bytes'] / 1e6:.1f} MB; wall clock, best of"
              f" {args.repeat}: FastWARC {large['baseline_wall_records_per_second']:,} records/s")
        for label, key in (("wirecopy import --no-extract", "one_process"),
                           (f"  ... {large['read_workers']} read workers", "read_workers_run")):
            if key not in large:
                continue
            f = large[key]
            print(f"{label:32s} {f['wall_records_per_second']:>9,} records/s wall {f['wall_ratio_to_baseline']:.3f} x"
                  f" baseline  (CPU of all processes {f['cpu_seconds']:.2f} s; {f.get('ranges', 0)} ranges)")
    return 0


def large_file(path: Path, args, pages: list) -> dict:
    """The import of a WARC large enough to be read in ranges (as every WARC of ``SPLIT_FROM``
    bytes and more is), in one process and with ``--read-workers``, against FastWARC: all by
    the wall clock (the workers are other processes), interleaved, best of ``--repeat``."""
    records = build_warc(path, args.large_captures, pages)
    size = path.stat().st_size
    assert size >= SPLIT_FROM, f"{size} bytes: under SPLIT_FROM ({SPLIT_FROM}); use more --large-captures"
    baseline, one, ranges = [], [], []
    for _ in range(args.repeat):
        baseline.append(fastwarc_baseline(path))
        one.append(wirecopy_import(path, ImportOptions(extract=False, read_workers=1)))
        if args.read_workers > 1:
            ranges.append(wirecopy_import(path, ImportOptions(extract=False, read_workers=args.read_workers)))
    base_wall = min(run[1] for run in baseline)

    def run_figures(runs) -> dict:
        count, _articles, wall, cpu, worker_cpu, ranges_read = min(runs, key=lambda r: r[2])
        assert count == records
        return {"wall_records_per_second": round(count / wall), "seconds_wall": round(wall, 4),
                "wall_ratio_to_baseline": round(count / wall / (records / base_wall), 4),
                "cpu_seconds": round(cpu + worker_cpu, 4), "ranges": ranges_read}
    figures = {"records": records, "captures": args.large_captures, "bytes": size,
               "baseline_wall_records_per_second": round(records / base_wall),
               "read_workers": args.read_workers, "one_process": run_figures(one)}
    if ranges:
        figures["read_workers_run"] = run_figures(ranges)
    path.unlink()
    return figures


if __name__ == "__main__":
    sys.exit(main())
