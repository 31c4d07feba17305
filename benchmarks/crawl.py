#!/usr/bin/env python3
"""Crawl throughput: wirecopy vs hand-written Scrapy spiders on a local news site.

A generated news site (``--pages`` articles of 480-900 words with realistic
chrome and metadata, paginated section pages, author pages, robots.txt and a
news sitemap; see ``_newsite.py``) is pre-rendered into memory and served by a
``ThreadingHTTPServer`` on 127.0.0.1 in a separate process. Each system then
crawls it from the sitemap in its own subprocess, started through a fresh
``_rusage.py`` wrapper that records wall time and peak memory:

* ``baseline-extract``: a plain Scrapy spider (``_baseline_spider.py``, run
  with ``scrapy runspider``) calling ``trafilatura.extract(response.text,
  url=..., with_metadata=True)`` inline in its callback, items to a JSON lines
  feed: what users write by hand.
* ``baseline-fetch``: the same spider without extraction (yields URL + status).
* ``wirecopy``: ``wirecopy crawl SITEMAP --archive DIR --depth 2 --quiet --json``
  with ``-s STORIES_ENABLED=False``: WARC capture and article extraction, the
  work the baseline does by hand.
* ``wirecopy-archive-only``: the same with ``-s EXTRACT_ENABLED=False``.
* ``wirecopy-no-requisites``: ``wirecopy`` without page requisites
  (``-s REQUISITES_ENABLED=False``); ``wirecopy`` (requisites on, the default) also
  fetches every page's requisites (the shared stylesheet with its ``@import`` and web font,
  three images per article, the teaser images shared by all pages), once each, at a
  priority below the pages'.
* ``wirecopy-no-profiles``: ``wirecopy`` with ``-s EXTRACT_SITE_PROFILES=False``, so the cost
  of site profiles shows.
* ``wirecopy-stories``: the CLI's defaults, story tracking included (no
  baseline does this; reported so its cost is visible, no target).

Every system gets the same Scrapy settings (``COMMON_SETTINGS``; ``CONCURRENT_ITEMS`` is wirecopy's default,
so Scrapy's per-response cost of starting 100 item tasks is spared the baselines too). wirecopy does not
count a sitemap as a hop (its entries are hop 0), so ``--depth 2`` from the
sitemap matches ``DEPTH_LIMIT=3`` in the spiders, whose sitemap response is
depth 0: every system fetches the same pages (the request counts show it). Throughput is article pages fetched
(counted by the server, so every system is counted the same way) divided by the
crawl's own ``elapsed_time_seconds`` stat when it reports one, else by the
subprocess wall time; both rates are printed, and articles over the time from the crawl's first
request to its last article fetch (as the server saw them: "to last article", how fast
articles are found whatever is fetched after them, such as lower-priority requisites). Memory: peak summed RSS and PSS
of the crawl's process tree (sampled) and the largest single process
(``ru_maxrss``). Targets: wirecopy at least 1.5x
baseline-extract, wirecopy-archive-only at least 0.9x baseline-fetch, wirecopy (article
pages/s with requisites) at least 0.8x wirecopy-no-requisites.

Run ``python benchmarks/crawl.py [--pages N] [--repeat K] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import (BENCH_DIR, REPO_ROOT, clean_env, dir_bytes, emit_json, format_table,
                     human_bytes, last_json_line, ratio, wirecopy_command)
from _newsite import SiteServer

logger = logging.getLogger(__name__)

REQUISITE_KINDS = ("image", "stylesheet", "font")

#: Extra settings of each wirecopy system (the baselines take none).
WIRECOPY_SYSTEMS = {
    "wirecopy": {"STORIES_ENABLED": "False"},
    "wirecopy-archive-only": {"EXTRACT_ENABLED": "False", "STORIES_ENABLED": "False"},
    "wirecopy-no-requisites": {"STORIES_ENABLED": "False", "REQUISITES_ENABLED": "False"},
    # the cost of site profiles: wirecopy without them
    "wirecopy-no-profiles": {"STORIES_ENABLED": "False", "EXTRACT_SITE_PROFILES": "False"},
    "wirecopy-stories": {},
}
SYSTEMS = ("baseline-extract", "baseline-fetch", *WIRECOPY_SYSTEMS)
COMMON_SETTINGS = {
    "ROBOTSTXT_OBEY": "True", "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16", "CONCURRENT_ITEMS": "16",
    "LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": "False",
}
TARGETS = {"wirecopy/baseline-extract": ("wirecopy", "baseline-extract", 1.5),
           "wirecopy-archive-only/baseline-fetch": ("wirecopy-archive-only",
                                                    "baseline-fetch", 0.9),
           "wirecopy/wirecopy-no-requisites": ("wirecopy", "wirecopy-no-requisites", 0.8)}


def settings_args(settings: dict[str, str]) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def build_command(system: str, site: SiteServer, run_dir: Path, wirecopy: list[str] | None,
                  max_pages: int, extra: list[str]) -> tuple[list[str], Path]:
    """The argv for one run and the working directory to run it in."""
    sitemap = f"{site.base}/sitemap.xml"
    if system.startswith("baseline"):
        extract = "1" if system == "baseline-extract" else "0"
        argv = [sys.executable, "-m", "scrapy", "runspider",
                str(BENCH_DIR / "_baseline_spider.py"), "-a", f"sitemap={sitemap}",
                "-a", f"extract={extract}", "-a", f"stats_file={run_dir / 'stats.json'}",
                "-o", str(run_dir / "output" / "items.jsonl"), "-s", "DEPTH_LIMIT=3",
                *settings_args(COMMON_SETTINGS)]
        # Run outside the checkout so scrapy.cfg does not load the project settings.
        return argv, run_dir
    assert wirecopy is not None
    argv = [*wirecopy, "crawl", sitemap, "--archive", str(run_dir / "output"),
            "--depth", "2", "--max-pages", str(max_pages), "--quiet", "--json",
            *settings_args(COMMON_SETTINGS)]
    argv += settings_args(WIRECOPY_SYSTEMS[system])
    for setting in extra:
        argv += ["-s", setting]
    return argv, REPO_ROOT


def run_once(system: str, site: SiteServer, wirecopy: list[str] | None, max_pages: int,
             extra: list[str], timeout: float, keep: Path | None, index: int) -> dict[str, Any]:
    run_dir = Path(tempfile.mkdtemp(prefix=f"wirecopy-bench-{system}-"))
    (run_dir / "output").mkdir()
    argv, cwd = build_command(system, site, run_dir, wirecopy, max_pages, extra)
    before = site.reset()
    usage_file = run_dir / "usage.json"
    wrapper = [sys.executable, str(BENCH_DIR / "_rusage.py"), "--timeout", str(timeout),
               str(usage_file), "--", *argv]
    with open(run_dir / "stdout.txt", "wb") as out, open(run_dir / "stderr.txt", "wb") as err:
        subprocess.run(wrapper, cwd=cwd, env=clean_env(), stdout=out, stderr=err, check=False)
    after = site.stats()
    usage = json.loads(usage_file.read_text()) if usage_file.exists() else {}
    stdout = (run_dir / "stdout.txt").read_text(errors="replace")
    stderr = (run_dir / "stderr.txt").read_text(errors="replace")
    if system.startswith("baseline"):
        stats_path = run_dir / "stats.json"
        stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
        summary: dict[str, Any] = {}
    else:
        summary = last_json_line(stdout) or {}
        stats = summary.get("stats") or {}
    elapsed = stats.get("elapsed_time_seconds") or summary.get("elapsed")
    kinds = after.get("kinds", {})
    articles = kinds.get("article", 0)
    wall = usage.get("wall_seconds")
    result = {
        "system": system, "run": index, "returncode": usage.get("returncode"),
        "timed_out": usage.get("timed_out"), "articles_fetched": articles,
        "requests": after.get("requests", 0), "kinds": kinds,
        "elapsed_seconds": elapsed, "wall_seconds": wall,
        "pages_per_second": ratio(articles, elapsed or wall),
        "pages_per_second_wall": ratio(articles, wall),
        # articles over the time from the crawl's first request to its last article: how fast
        # articles are found and fetched, whatever the crawl fetches after them
        "article_pages_per_second": ratio(articles, after.get("until_last", {}).get("article")),
        "tree_peak_rss_kb": usage.get("tree_peak_rss_kb"),
        "tree_peak_pss_kb": usage.get("tree_peak_pss_kb") or None,
        "maxrss_kb": usage.get("maxrss_kb"),
        "bytes_written": dir_bytes(run_dir / "output"),
        "server_cpu_seconds": after.get("cpu_seconds", 0) - before.get("cpu_seconds", 0),
        "items": stats.get("item_scraped_count"), "summary": summary or None,
        "stories_tracked": stats.get("stories/tracked"),
        "stories_backlog_at_close": stats.get("stories/backlog_at_close"),
        "stories_catch_up_seconds": stats.get("stories/catch_up_seconds"),
    }
    if result["returncode"] != 0:
        result["error"] = (stderr.strip() or stdout.strip())[-4000:]
    if keep is not None:
        target = keep / f"{system}-{index}"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(run_dir, target)
    shutil.rmtree(run_dir, ignore_errors=True)
    return result


def median_of(runs: list[dict[str, Any]], key: str) -> float | None:
    values = [r[key] for r in runs if r.get(key) is not None and r.get("returncode") == 0]
    return statistics.median(values) if values else None


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = ("articles_fetched", "requests", "elapsed_seconds", "wall_seconds",
            "pages_per_second", "pages_per_second_wall", "article_pages_per_second", "tree_peak_rss_kb",
            "tree_peak_pss_kb", "maxrss_kb", "bytes_written", "server_cpu_seconds",
            "stories_tracked", "stories_backlog_at_close", "stories_catch_up_seconds")
    out: dict[str, Any] = {k: median_of(runs, k) for k in keys}
    rates = [r["pages_per_second"] for r in runs
             if r.get("returncode") == 0 and r.get("pages_per_second") is not None]
    out["pages_per_second_range"] = [min(rates), max(rates)] if rates else None
    out["ok_runs"] = sum(1 for r in runs if r.get("returncode") == 0)
    out["runs"] = runs
    return out


def table_rows(figures: dict[str, dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for system, f in figures.items():
        server = ratio(f["server_cpu_seconds"], f["wall_seconds"])
        rows.append([
            system, f"{f['ok_runs']}/{len(f['runs'])}", _int(f["articles_fetched"]),
            _int(f["requests"]), _num(f["elapsed_seconds"], 1), _num(f["wall_seconds"], 1),
            _num(f["pages_per_second"], 1),
            None if not f["pages_per_second_range"]
            else "{:.1f}-{:.1f}".format(*f["pages_per_second_range"]),
            _num(f["pages_per_second_wall"], 1), _num(f["article_pages_per_second"], 1),
            _kib(f["tree_peak_rss_kb"]), _kib(f["tree_peak_pss_kb"]), _kib(f["maxrss_kb"]),
            None if f["bytes_written"] is None else human_bytes(f["bytes_written"]),
            None if server is None else f"{100 * server:.0f}%",
        ])
    return rows


def _int(v: float | None) -> str | None:
    return None if v is None else str(int(v))


def _num(v: float | None, digits: int) -> str | None:
    return None if v is None else f"{v:.{digits}f}"


def _kib(v: float | None) -> str | None:
    return None if v is None else human_bytes(v * 1024)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Crawl throughput of wirecopy vs hand-written Scrapy spiders on a "
                    "generated local news site.")
    parser.add_argument("--pages", type=int, default=2000,
                        help="number of article pages on the site (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per system; medians are reported (default: %(default)s)")
    parser.add_argument("--systems", default=",".join(SYSTEMS),
                        help="comma-separated subset of: " + ", ".join(SYSTEMS))
    parser.add_argument("--wirecopy", metavar="CMD",
                        help="command that runs the CLI (default: 'wirecopy' on PATH, "
                             "else 'python -m crawler.cli')")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="extra setting for the wirecopy runs")
    parser.add_argument("--seed", type=int, default=1, help="site generator seed")
    parser.add_argument("--no-gzip", action="store_true",
                        help="serve pages uncompressed (default: gzip when accepted)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds allowed per crawl (default: %(default)s)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="copy each run's directory (logs, archive, stats) into DIR")
    parser.add_argument("--json", action="store_true",
                        help="print a final JSON line with all figures")
    args = parser.parse_args(argv)
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(args.systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    if args.pages < 1 or args.repeat < 1:
        parser.error("--pages and --repeat must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    wirecopy = wirecopy_command(args.wirecopy)
    systems = list(args.systems)
    if wirecopy is None and any(s.startswith("wirecopy") for s in systems):
        print("wirecopy CLI not found (no 'wirecopy' on PATH, no crawler/cli.py): "
              "measuring the baselines only")
        systems = [s for s in systems if not s.startswith("wirecopy")]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    with SiteServer(args.pages, args.seed, compress=not args.no_gzip) as site:
        kinds = site.info["kinds"]
        html_pages = sum(n for k, n in kinds.items() if k not in REQUISITE_KINDS + ("robots", "sitemap"))
        print(f"crawl benchmark: site at {site.base} with {kinds['article']} articles "
              f"({human_bytes(site.info['article_bytes'] / kinds['article'])} each, "
              f"{human_bytes(site.info['article_gzip_bytes'] / kinds['article'])} gzipped), "
              f"{html_pages} HTML pages, rendered in {time.perf_counter() - started:.1f}s")
        print("settings: " + " ".join(f"{k}={v}" for k, v in COMMON_SETTINGS.items()))
        load_before = os.getloadavg()
        print("load average before: {:.2f} {:.2f} {:.2f} on {} CPUs (other work on the "
              "machine skews the figures; use --repeat)".format(*load_before, os.cpu_count()))
        subprocess.run([sys.executable, "-c", "import scrapy, trafilatura, warcio"],
                       env=clean_env(), check=False)  # warm the file cache
        runs: dict[str, list[dict[str, Any]]] = {s: [] for s in systems}
        for index in range(args.repeat):
            order = systems[index % len(systems):] + systems[:index % len(systems)]
            for system in order:
                result = run_once(system, site, wirecopy, sum(kinds.values()) + 100, args.settings,
                                  args.timeout, args.keep, index)
                runs[system].append(result)
                status = "ok" if result["returncode"] == 0 else f"exit {result['returncode']}"
                print(f"  run {index + 1}/{args.repeat} {system:<22} {status:>8}  "
                      f"{result['articles_fetched']:>5} articles  "
                      f"{_num(result['pages_per_second'], 1) or '-':>7} pages/s", flush=True)

    figures = {s: summarise(r) for s, r in runs.items()}
    machine = {"cpus": os.cpu_count(), "load_before": load_before,
               "load_after": os.getloadavg()}
    print()
    print(format_table(["system", "ok", "articles", "requests", "elapsed s", "wall s",
                        "pages/s", "range", "pages/s wall", "to last article", "tree RSS", "tree PSS", "max proc RSS",
                        "written", "server CPU"], table_rows(figures)))
    ratios = {}
    print()
    for label, (num, den, target) in TARGETS.items():
        if num in figures and den in figures:
            value = ratio(figures[num]["pages_per_second"], figures[den]["pages_per_second"])
            wall = ratio(figures[num]["pages_per_second_wall"],
                         figures[den]["pages_per_second_wall"])
            until = ratio(figures[num]["article_pages_per_second"],
                          figures[den]["article_pages_per_second"])
            met = value is not None and value >= target
            ratios[label] = {"value": value, "wall_value": wall, "until_last_article": until,
                             "target": target, "met": met}
            print(f"ratio {label}: {_num(value, 2) or '-'} (wall {_num(wall, 2) or '-'}; "
                  f"until the last article {_num(until, 2) or '-'}), "
                  f"target >= {target}: {'met' if met else 'NOT met'}")
    for system, f in figures.items():
        if f.get("stories_tracked") is not None:
            # the crawl waits for tracking at its end: what tracking still had to do then
            # is how far it fell behind the crawl
            print(f"{system}: {int(f['stories_tracked'])} articles tracked; when the crawl "
                  f"ended {_int(f['stories_backlog_at_close'])} were still queued, tracked in "
                  f"{_num(f['stories_catch_up_seconds'], 1)} s of its {_num(f['elapsed_seconds'], 1)} s")
    for system, f in figures.items():
        for run in f["runs"]:
            if run.get("error"):
                print(f"\n{system} run {run['run'] + 1} failed (exit {run['returncode']}); "
                      "last lines of its output:")
                print("\n".join("    " + line for line in run["error"].splitlines()[-25:]))
    if args.json:
        for f in figures.values():
            for run in f["runs"]:
                run.pop("summary", None)
        emit_json({"benchmark": "crawl", "pages": args.pages, "repeat": args.repeat,
                   "settings": COMMON_SETTINGS, "site": site.info, "machine": machine,
                   "systems": figures,
                   "ratios": ratios})
    return 0


if __name__ == "__main__":
    sys.exit(main())
