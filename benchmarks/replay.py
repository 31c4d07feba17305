#!/usr/bin/env python3
"""Replay: `wirecopy replay` against the live crawl it replays, and the replay lookup against a
raw WARC read.

The generated news site of ``crawl.py`` (``_newsite.py``, gzip-encoded article pages) is
crawled live by ``wirecopy crawl SITEMAP --depth 2 -s STORIES_ENABLED=False``; the archive is
then replayed by ``wirecopy replay --archive DIR`` (the same seeds, read from the archive, and
the same settings) while the site is still up, and the site counts what it is asked during
the replay (it must be nothing). Figures:

* end to end: article pages/s of the replay against the live crawl (baseline) over each run's
  ``elapsed`` figure; the number of re-extracted texts that equal the live texts.
* library: ``archive.replay.ArchiveReplay.get(url)`` (SURT lookup in the catalog, closest
  capture, record read, header handling) per second over every archived URL, against the
  baseline of reading the same records with warcio by file and offset alone.

Run ``python benchmarks/replay.py [--pages 1000] [--rounds 3] [--json]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import REPO_ROOT, clean_env, emit_json, format_table, last_json_line, ratio, wirecopy_command
from _newsite import SiteServer

sys.path.insert(0, str(REPO_ROOT))

from warcio.archiveiterator import ArchiveIterator  # noqa: E402

from archive.catalog import open_catalog  # noqa: E402
from archive.replay import ArchiveReplay  # noqa: E402
from archive.warc.reader import iter_records  # noqa: E402

SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS=16",
            "CONCURRENT_REQUESTS_PER_DOMAIN=16", "STORIES_ENABLED=False", "TELNETCONSOLE_ENABLED=False")


def run(argv: list[str]) -> dict[str, Any]:
    for setting in SETTINGS:
        argv += ["-s", setting]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO_ROOT, env=clean_env(), check=False)
    summary = last_json_line(proc.stdout)
    if proc.returncode != 0 or summary is None:
        raise SystemExit(f"{' '.join(argv[:4])}... failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return summary


def conversion_texts(paths: list[Path]) -> dict[str, str]:
    return {r.header("WARC-Target-URI"): r.payload.decode("utf-8")
            for path in paths for r in iter_records(path, types=("conversion",))}


def library_rates(archive: Path, rounds: int) -> dict[str, Any]:
    catalog = open_catalog(archive, readonly=True)
    rows = [(row["url"], row["warc_file"], row["warc_offset"]) for row in catalog.captures()]
    catalog.close()
    started = time.perf_counter()
    for _ in range(rounds):
        for _url, warc_file, offset in rows:
            with open(archive / "warc" / warc_file, "rb") as f:
                f.seek(offset)
                record = next(iter(ArchiveIterator(f)))
                record.content_stream().read()
    raw = time.perf_counter() - started
    with ArchiveReplay(archive) as replay:
        started = time.perf_counter()
        for _ in range(rounds):
            for url, _file, _offset in rows:
                assert replay.get(url) is not None, url
        lookup = time.perf_counter() - started
    n = len(rows) * rounds
    return {"records": len(rows), "baseline_reads_per_second": n / raw, "replay_gets_per_second": n / lookup}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="articles on the generated site")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the archive (library figures)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    wirecopy = wirecopy_command()
    workdir = Path(tempfile.mkdtemp(prefix="wirecopy-bench-replay-"))
    archive = workdir / "archive"
    try:
        with SiteServer(args.pages) as site:
            live = run([*wirecopy, "crawl", f"{site.base}/sitemap.xml", "--archive", str(archive),
                        "--depth", "2", "--quiet", "--json"])
            closed = sorted((archive / "warc").glob("*.warc.gz"))
            site.reset()
            replayed = run([*wirecopy, "replay", "--archive", str(archive), "--json"])
            asked = site.stats()["requests"]
        new = sorted(set((archive / "warc").glob("*.warc.gz")) - set(closed))
        live_texts, replay_texts = conversion_texts(closed), conversion_texts(new)
        same = sum(1 for url, text in live_texts.items() if replay_texts.get(url) == text)
        library = library_rates(archive, args.rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures = {
        "pages": args.pages,
        "live_articles_per_second": ratio(live["articles"], live["elapsed"]),
        "replay_articles_per_second": ratio(replayed["articles"], replayed["elapsed"]),
        "replay_hits": replayed["hits"], "replay_misses": replayed["misses"],
        "site_requests_during_replay": asked,
        "texts_live": len(live_texts), "texts_identical_in_replay": same,
        **library,
    }
    figures["replay/live"] = ratio(figures["replay_articles_per_second"], figures["live_articles_per_second"])
    figures["get/raw_read"] = ratio(library["replay_gets_per_second"], library["baseline_reads_per_second"])
    rows = [
        ["live crawl (baseline)", f"{figures['live_articles_per_second']:.1f} articles/s", ""],
        ["wirecopy replay", f"{figures['replay_articles_per_second']:.1f} articles/s",
         f"{figures['replay/live']:.2f}x"],
        ["warcio read by offset (baseline)", f"{library['baseline_reads_per_second']:.0f} records/s", ""],
        ["ArchiveReplay.get(url)", f"{library['replay_gets_per_second']:.0f} records/s",
         f"{figures['get/raw_read']:.2f}x"],
    ]
    print(format_table(["system", "rate", "ratio"], rows))
    print(f"replay: {figures['replay_hits']} hits, {figures['replay_misses']} misses, "
          f"{asked} requests reached the site; {same}/{len(live_texts)} texts identical")
    if args.json:
        emit_json(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
