#!/usr/bin/env python3
"""Incremental recrawl: what a second run over an unchanged site costs, against the first.

The generated news site of ``crawl.py`` (``_newsite.build_site``: ``--pages`` articles with
realistic chrome, section and author pages, robots.txt, a news sitemap) is served from a
child process by a handler that adds an ``ETag`` (a hash of the body) and the site's
``Last-Modified`` to every page and, unless told not to, answers ``304 Not Modified`` to a
matching ``If-None-Match`` / ``If-Modified-Since``. Nothing on the site changes between runs.

Run 1 crawls it from the sitemap into an empty archive. Each second run starts from a copy
of that archive:

* ``304``: ``RECRAWL_POLICY=always``; every page is requested again, conditionally, and the
  server answers 304: ``server-not-modified`` revisits.
* ``304-no-requests``: the same with ``WARC_REVISIT_REQUESTS=False``: revisit records
  without their request records.
* ``no-304``: ``RECRAWL_POLICY=always`` against a server that ignores validators (answers
  200 with the full page): the unchanged payloads become ``identical-payload-digest`` revisits.
* ``policy``: the default policy (``age``, 2 days): the site's articles are older, so they are
  not requested at all; robots.txt and the sitemap are (the section and author pages are
  reached through the articles only, so they are not either).

Measured on a 2-core VM shared with other work (2,000 articles, 2,075 pages):

    run              requests  skipped  304 revisits  identical  written   article pages  vs 1st  wall s  vs 1st
    first                2075        0             0          0  32.3 MiB  31.2 MiB      100.00%  201.1   1.00
    304                  2075        0          2074          1  2.5 MiB   2.4 MiB         7.62%  106.4   0.53
    304-no-requests      2075        0          2074          1  1.2 MiB   1.1 MiB         3.65%  112.5   0.56
    no-304               2075        0             0       2075  2.5 MiB   2.4 MiB         7.84%   85.0   0.42
    policy                  2     2000             1          1  2.7 KiB   0 B             0.00%    4.6   0.02

A rechecked article costs a request record (~650 bytes gzipped) and a revisit (~600 bytes)
against ~16 KB for its first capture (response, conversion, metadata); the wall time of a
run that rechecks every page goes to extracting and filtering the links of the pages (as in
the first run), not to archiving.

Figures: bytes written to WARC files (all records, and the records of article pages:
request, response or revisit, conversion, metadata), requests served, wall time. Target: the
second run writes under 5% of the first run's bytes for article pages.

Run ``python benchmarks/recrawl.py [--pages 2000] [--json] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from _common import (REPO_ROOT, clean_env, emit_json, format_table, human_bytes, last_json_line, ratio,
                     wirecopy_command)
from _newsite import EPOCH, QuietHandler, Resource, build_site

SETTINGS = {
    "ROBOTSTXT_OBEY": "True", "AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16", "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "TELNETCONSOLE_ENABLED": "False", "STORIES_ENABLED": "False",
}
SECOND_RUNS = {
    "304": ({"RECRAWL_POLICY": "always"}, True),
    "304-no-requests": ({"RECRAWL_POLICY": "always", "WARC_REVISIT_REQUESTS": "False"}, True),
    "no-304": ({"RECRAWL_POLICY": "always"}, False),
    "policy": ({}, True),
}
TARGET = 0.05


def _handler(site: dict[str, Resource], state: dict[str, Any]) -> type[BaseHTTPRequestHandler]:
    modified = EPOCH.strftime("%a, %d %b %Y %H:%M:%S GMT")

    class Handler(QuietHandler):

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path.startswith("/__bench/"):
                if path == "/__bench/validators/on":
                    state["honour"] = True
                elif path == "/__bench/validators/off":
                    state["honour"] = False
                elif path == "/__bench/reset":
                    state["counts"] = Counter()
                self._send(200, "application/json", json.dumps(state["counts"]).encode(), {})
                return
            resource = site.get(path)
            if resource is None:
                state["counts"]["404"] += 1
                self._send(404, "text/html", b"<h1>Not found</h1>", {})
                return
            etag = '"' + hashlib.sha1(resource.body).hexdigest()[:20] + '"'
            extra = {"ETag": etag, "Last-Modified": modified, "Vary": "Accept-Encoding"}
            if_none, if_since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if state["honour"] and (if_none == etag or (not if_none and if_since == modified)):
                state["counts"][f"{resource.kind}/304"] += 1
                self.send_response(304)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                return
            body = resource.body
            if resource.gzipped and "gzip" in self.headers.get("Accept-Encoding", ""):
                body, extra["Content-Encoding"] = resource.gzipped, "gzip"
            state["counts"][f"{resource.kind}/200"] += 1
            self._send(200, resource.content_type, body, extra)

    return Handler


def _serve(conn: Any, n_articles: int) -> None:
    site: dict[str, Resource] = {}
    state: dict[str, Any] = {"honour": True, "counts": Counter()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site, state))
    server.daemon_threads = True
    port = server.server_address[1]
    site.update(build_site(f"http://127.0.0.1:{port}", n_articles))
    conn.send(port)
    conn.close()
    server.serve_forever()


class Site:
    def __init__(self, n_articles: int) -> None:
        self.n_articles = n_articles
        self.port = 0
        self._proc: mp.process.BaseProcess | None = None

    def __enter__(self) -> Site:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, self.n_articles), daemon=True)
        self._proc.start()
        child.close()
        if not parent.poll(600):
            self.__exit__()
            raise RuntimeError("the site server did not start")
        self.port = parent.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.join(10)
            self._proc = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def call(self, what: str) -> dict[str, int]:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(f"{self.base}/__bench/{what}", timeout=30) as response:
            return json.loads(response.read())


def warc_bytes(files: list[Path]) -> dict[str, Any]:
    """Bytes of the given WARC files: in all, and in the records of article pages, by type."""
    total = articles = 0
    types: Counter[str] = Counter()
    for path in files:
        total += path.stat().st_size
        with open(path, "rb") as f:
            it = ArchiveIterator(f)
            for record in it:
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                rec_type = record.rec_type
                it.read_to_end(record)
                if "/news/" in url:
                    articles += it.get_record_length()
                    types[rec_type] += 1
    return {"bytes": total, "article_bytes": articles, "article_records": dict(types)}


def crawl(site: Site, archive: Path, settings: dict[str, str]) -> dict[str, Any]:
    command = wirecopy_command()
    assert command is not None, "wirecopy is not installed and this is not a checkout"
    argv = [*command, "crawl", f"{site.base}/sitemap.xml", "--archive", str(archive),
            "--depth", "2", "--quiet", "--json"]
    for name, value in {**SETTINGS, **settings}.items():
        argv += ["-s", f"{name}={value}"]
    before = set((archive / "warc").glob("*.warc.gz")) if (archive / "warc").exists() else set()
    site.call("reset")
    started = time.monotonic()
    proc = subprocess.run(argv, cwd=REPO_ROOT, env=clean_env(), capture_output=True, text=True)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    served = site.call("stats")
    summary = last_json_line(proc.stdout) or {}
    stats = summary.get("stats", {})
    new_files = sorted(set((archive / "warc").glob("*.warc.gz")) - before)
    return {"wall_seconds": round(wall, 2), "elapsed_seconds": summary.get("elapsed"),
            "served": served, "requests": sum(served.values()),
            "skipped": stats.get("recrawl/skipped", 0),
            "revisits_304": stats.get("warc/revisits/server-not-modified", 0),
            "revisits_identical": stats.get("warc/revisits/identical-payload-digest", 0),
            "articles_extracted": stats.get("extract/ok", 0), **warc_bytes(new_files)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="articles on the site (default 2000)")
    parser.add_argument("--runs", default=",".join(SECOND_RUNS), help="second runs to measure")
    parser.add_argument("--keep", type=Path, help="keep the archives in this directory")
    parser.add_argument("--json", action="store_true", help="print all figures as a final JSON line")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="wirecopy-bench-recrawl-"))
    results: dict[str, dict[str, Any]] = {}
    try:
        with Site(args.pages) as site:
            first = work / "first"
            results["first"] = crawl(site, first, {})
            for name in args.runs.split(","):
                settings, honour = SECOND_RUNS[name]
                archive = work / name
                shutil.copytree(first, archive)
                site.call("validators/on" if honour else "validators/off")
                results[name] = crawl(site, archive, settings)
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = results["first"]
    rows = []
    for name, r in results.items():
        r["bytes_ratio"] = ratio(r["bytes"], base["bytes"])
        r["article_bytes_ratio"] = ratio(r["article_bytes"], base["article_bytes"])
        r["wall_ratio"] = ratio(r["wall_seconds"], base["wall_seconds"])
        rows.append([name, r["requests"], r["skipped"], r["revisits_304"], r["revisits_identical"],
                     human_bytes(r["bytes"]), human_bytes(r["article_bytes"]),
                     f"{100 * r['article_bytes_ratio']:.2f}%", r["wall_seconds"],
                     f"{r['wall_ratio']:.2f}"])
    print(f"Recrawl of an unchanged {args.pages}-article site (second runs vs the first)")
    print(format_table(["run", "requests", "skipped", "304 revisits", "identical revisits", "written",
                        "article pages", "article vs 1st", "wall s", "wall vs 1st"], rows))
    for name in SECOND_RUNS:
        if name in results:
            share = results[name]["article_bytes_ratio"]
            verdict = "meets" if share < TARGET else "MISSES"
            print(f"{name}: article pages {100 * share:.2f}% of the first run's bytes, {verdict} the"
                  f" {100 * TARGET:.0f}% target")
    if args.json:
        emit_json({"pages": args.pages, "target": TARGET, "runs": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
