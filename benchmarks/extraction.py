#!/usr/bin/env python3
"""Extraction quality: wirecopy's archived article text vs trafilatura called directly.

Data: the article-extraction-benchmark of scrapinghub (MIT): 88 real news pages
(``html/<id>.html.gz``) and ``ground-truth.json`` (id -> ``articleBody``, ``url``).

Metric: word 4-gram shingle precision / recall / F1 exactly as that benchmark's
``evaluate.py`` defines them (see ``_shingles.py`` for the full definition):
``\\w+`` tokens, per-document tp/fp/fn over 4-gram shingle multisets normalised
to sum 1, per-document precision and recall averaged over the corpus (precision
only over documents with any predicted shingle), F1 = harmonic mean of the two
averages, plus bootstrap standard deviations.

Systems, both measured in the same run:

* ``trafilatura`` (baseline): ``trafilatura.extract(html, url=url)`` with default
  options on each page, the HTML decoded as UTF-8 as the original benchmark does.
* ``wirecopy``: the pages are crawled as a user would, with
  ``wirecopy crawl --seeds-file F --archive DIR --depth 0 --quiet --json``,
  through a local forward proxy (``http_proxy`` env, honoured by Scrapy's
  HttpProxyMiddleware) that answers each page under its original URL, 404 for
  everything else (``robots.txt`` included). Seeds are the original URLs with
  the scheme rewritten to ``http://``: an https URL would go through a CONNECT
  tunnel and need TLS interception; host, path and query are unchanged. Pages
  are served as ``text/html`` without a charset, so the crawler's own encoding
  detection is exercised (20 of the 88 pages declare no charset in a
  ``<meta>`` at all). The text scored is the payload of the WARC ``conversion``
  record of each page, read back with warcio; a page without one scores as an
  empty output.

Run ``python benchmarks/extraction.py [--json]`` from the repository root.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (REPO_ROOT, clean_env, emit_json, format_table, last_json_line, ratio,
                     wirecopy_command)
from _proxy import CannedProxy, url_key
from _shingles import DocScore, evaluate, score_document, tokenize

logger = logging.getLogger(__name__)

# the shared data directory beside the checkout (or beside the directory of worktrees)
DEFAULT_DATA = next(
    (d / "shared" / "data" / "article-extraction-benchmark" for d in REPO_ROOT.parents
     if (d / "shared" / "data" / "article-extraction-benchmark").is_dir()),
    REPO_ROOT.parent / "shared" / "data" / "article-extraction-benchmark")
BASELINE = "trafilatura"
SYSTEM = "wirecopy"


@dataclass
class Page:
    id: str
    url: str
    html: bytes
    truth: str


def load_pages(data_dir: Path, limit: int | None = None) -> list[Page]:
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        path = data_dir / "html" / f"{page_id}.html.gz"
        if not path.exists():
            logger.warning("missing page %s", path)
            continue
        item = truth[page_id]
        pages.append(Page(page_id, item["url"], gzip.decompress(path.read_bytes()),
                          item.get("articleBody") or ""))
    return pages[:limit] if limit else pages


def run_baseline(pages: list[Page]) -> tuple[dict[str, str | None], float]:
    import trafilatura

    out: dict[str, str | None] = {}
    start = time.perf_counter()
    for page in pages:
        html = page.html.decode("utf-8", errors="replace")
        out[page.id] = trafilatura.extract(html, url=page.url)
    return out, time.perf_counter() - start


def run_wirecopy(pages: list[Page], cmd: list[str], archive: Path, settings: list[str],
                 timeout: float) -> tuple[dict[str, str | None], dict[str, Any]]:
    """Crawl the pages through the canned proxy; return id -> text and run info."""
    seeds = archive.parent / "seeds.txt"
    seeds.write_text("".join(url_key(p.url) + "\n" for p in pages), encoding="utf-8")
    argv = cmd + ["crawl", "--seeds-file", str(seeds), "--archive", str(archive),
                  "--depth", "0", "--quiet", "--json"]
    if not any(s.startswith("STORIES_ENABLED=") for s in settings):
        # text quality only: the story worker's catalog writes can lock out the crawler's
        # (a page archived without its catalog rows), which is not what this measures
        argv += ["-s", "STORIES_ENABLED=False"]
    if not any(s.startswith("REQUISITES_ENABLED=") for s in settings):
        # the pages' stylesheets and images are on hosts the canned proxy does not serve (https
        # ones wait for their tunnel until DOWNLOAD_TIMEOUT): they add time, not text
        argv += ["-s", "REQUISITES_ENABLED=False"]
    for setting in settings:
        argv += ["-s", setting]
    info: dict[str, Any] = {"argv": argv}
    with CannedProxy({p.url: p.html for p in pages}) as proxy:
        # https_proxy too, so that https links found in the pages (feeds) fail fast at
        # the proxy (CONNECT is refused) instead of trying DNS: nothing leaves the machine.
        env = clean_env(http_proxy=proxy.url, https_proxy=proxy.url)
        start = time.perf_counter()
        try:
            proc = subprocess.run(argv, cwd=REPO_ROOT, env=env, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            info.update(returncode=None, error=f"timed out after {timeout:.0f}s")
            return {}, info
        info["wall_seconds"] = time.perf_counter() - start
        info["served"] = sum(proxy.hits.values())
        info["not_found"] = sorted(set(proxy.misses))
    info["returncode"] = proc.returncode
    info["summary"] = last_json_line(proc.stdout)
    if proc.returncode != 0:
        info["error"] = proc.stderr.strip()[-3000:] or proc.stdout.strip()[-3000:]
    by_key = read_conversions(archive)
    texts = {p.id: by_key.get(url_key(p.url)) for p in pages}
    info["conversion_records"] = len(by_key)
    return texts, info


def read_conversions(archive: Path) -> dict[str, str]:
    """URL key -> text of the first ``conversion`` record for that URL."""
    from warcio.archiveiterator import ArchiveIterator

    texts: dict[str, str] = {}
    for path in sorted((archive / "warc").glob("*.warc*")):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "conversion":
                    continue
                # the text's Target-URI is urn:text:<page URL> (replay tools must not serve it as the page)
                uri = (record.rec_headers.get_header("WARC-Target-URI") or "").removeprefix("urn:text:")
                ctype = record.rec_headers.get_header("Content-Type") or ""
                charset = ctype.partition("charset=")[2].split(";")[0].strip() or "utf-8"
                payload = record.content_stream().read()
                texts.setdefault(url_key(uri), payload.decode(charset, errors="replace"))
    return texts


def score(pages: list[Page], texts: dict[str, str | None]) -> list[DocScore]:
    return [score_document(p.truth, texts.get(p.id)) for p in pages]


def system_row(name: str, metrics: dict[str, float], extracted: int, total: int,
               seconds: float | None) -> list[Any]:
    def pm(key: str) -> str:
        std = metrics.get(f"{key}_std")
        return f"{metrics[key]:.3f}" + (f" ± {std:.3f}" if std is not None else "")
    return [name, pm("precision"), pm("recall"), pm("f1"), f"{metrics['accuracy']:.3f}",
            f"{extracted}/{total}", None if seconds is None else f"{seconds:.1f}"]


def worst_pages(pages: list[Page], base: list[DocScore], wire: list[DocScore],
                base_texts: dict[str, str | None], wire_texts: dict[str, str | None],
                top: int, min_delta: float) -> list[dict[str, Any]]:
    rows = []
    for page, b, w in zip(pages, base, wire):
        delta = b.f1 - w.f1
        if delta >= min_delta:
            rows.append({
                "id": page.id, "url": page.url, "baseline_f1": round(b.f1, 3),
                "wirecopy_f1": round(w.f1, 3), "delta": round(delta, 3),
                "wirecopy_p": round(w.precision, 3), "wirecopy_r": round(w.recall, 3),
                "truth_words": len(tokenize(page.truth)),
                "baseline_words": len(tokenize(base_texts.get(page.id))),
                "wirecopy_words": len(tokenize(wire_texts.get(page.id))),
            })
    rows.sort(key=lambda r: -r["delta"])
    return rows[:top]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Article text quality of wirecopy's conversion records vs plain "
                    "trafilatura.extract on the article-extraction-benchmark pages.")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="benchmark directory with ground-truth.json and html/ "
                             "(default: %(default)s)")
    parser.add_argument("--wirecopy", metavar="CMD",
                        help="command that runs the CLI (default: 'wirecopy' on PATH, "
                             "else 'python -m crawler.cli')")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="extra setting passed to wirecopy crawl")
    parser.add_argument("--skip-wirecopy", action="store_true",
                        help="score the baseline only")
    parser.add_argument("--keep-archive", type=Path, metavar="DIR",
                        help="crawl into DIR and keep it (default: a temporary directory)")
    parser.add_argument("--limit", type=int, help="use only the first N pages (by id)")
    parser.add_argument("--n-bootstrap", type=int, default=1000,
                        help="bootstrap resamples for the ± figures (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap random seed")
    parser.add_argument("--top", type=int, default=10,
                        help="pages listed where wirecopy trails the baseline most")
    parser.add_argument("--min-delta", type=float, default=0.05,
                        help="smallest per-page F1 gap listed (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds allowed for the crawl (default: %(default)s)")
    parser.add_argument("--json", action="store_true",
                        help="print a final JSON line with all figures")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    data = args.data.resolve()
    if not (data / "ground-truth.json").exists():
        print(f"extraction benchmark data not found at {data}; nothing to do")
        if args.json:
            emit_json({"benchmark": "extraction", "skipped": f"no data at {data}"})
        return 0
    pages = load_pages(data, args.limit)
    total = len(pages)
    print(f"extraction benchmark: {total} pages from {data}")

    base_texts, base_seconds = run_baseline(pages)
    base_scores = score(pages, base_texts)
    base_metrics = evaluate(base_scores, args.n_bootstrap, args.seed)
    base_count = sum(1 for t in base_texts.values() if t)
    rows = [system_row(BASELINE, base_metrics, base_count, total, base_seconds)]
    result: dict[str, Any] = {
        "benchmark": "extraction", "pages": total, "baseline": BASELINE,
        "systems": {BASELINE: {**base_metrics, "extracted": base_count,
                               "seconds": base_seconds}},
    }

    cmd = None if args.skip_wirecopy else wirecopy_command(args.wirecopy)
    if cmd is None and not args.skip_wirecopy:
        print("wirecopy CLI not found (no 'wirecopy' on PATH, no crawler/cli.py): "
              "baseline only")
    wire_texts: dict[str, str | None] = {}
    info: dict[str, Any] = {}
    if cmd is not None:
        with tempfile.TemporaryDirectory(prefix="wirecopy-bench-") as tmp:
            archive = args.keep_archive.resolve() if args.keep_archive else Path(tmp) / "archive"
            archive.parent.mkdir(parents=True, exist_ok=True)
            wire_texts, info = run_wirecopy(pages, cmd, archive, args.settings, args.timeout)
        wire_scores = score(pages, wire_texts)
        wire_metrics = evaluate(wire_scores, args.n_bootstrap, args.seed)
        wire_count = sum(1 for t in wire_texts.values() if t)
        rows.append(system_row(SYSTEM, wire_metrics, wire_count, total,
                               info.get("wall_seconds")))
        ratios = {k: ratio(wire_metrics[k], base_metrics[k])
                  for k in ("precision", "recall", "f1")}
        rows.append([f"ratio {SYSTEM}/{BASELINE}"]
                    + [None if v is None else f"{v:.3f}" for v in ratios.values()]
                    + [None, None, None])
        missing = [p for p in pages if not wire_texts.get(p.id)]
        worst = worst_pages(pages, base_scores, wire_scores, base_texts, wire_texts,
                            args.top, args.min_delta)
        result["systems"][SYSTEM] = {
            **wire_metrics, "extracted": wire_count, "seconds": info.get("wall_seconds"),
            "returncode": info.get("returncode"), "summary": info.get("summary")}
        result.update(ratio_vs_baseline=ratios, missing=[p.url for p in missing],
                      worst=worst)

    print()
    print(format_table(["system", "precision", "recall", "F1", "accuracy", "extracted",
                        "seconds"], rows))
    if cmd is not None:
        report_wirecopy(info, pages, wire_texts, result)
    if args.json:
        emit_json(result)
    return 0


def report_wirecopy(info: dict[str, Any], pages: list[Page],
                    wire_texts: dict[str, str | None], result: dict[str, Any]) -> None:
    print()
    print(f"wirecopy crawl: exit {info.get('returncode')}, "
          f"{info.get('served', 0)} pages served by the proxy, "
          f"{info.get('conversion_records', 0)} conversion records")
    summary = info.get("summary") or {}
    stats = summary.get("stats") or {}
    if summary:
        figures = {k: summary.get(k) for k in ("pages", "articles", "errors", "elapsed")}
        figures.update({k: stats[k] for k in sorted(stats)
                        if k.startswith(("discover/article", "extract/failed"))})
        print("summary: " + ", ".join(f"{k}={v}" for k, v in figures.items()))
    extra = [u for u in info.get("not_found", []) if not u.endswith("/robots.txt")]
    if extra:
        print(f"other URLs requested (not in the benchmark, 404): {len(extra)}, e.g. "
              + ", ".join(extra[:3]))
    if info.get("error"):
        print("wirecopy crawl failed; last lines of its output:")
        print("\n".join("    " + line for line in info["error"].splitlines()[-25:]))
    missing = result.get("missing", [])
    if missing:
        print(f"\npages without a conversion record ({len(missing)}), scored as empty:")
        for url in missing:
            print(f"    {url}")
    worst = result.get("worst", [])
    if worst:
        print(f"\npages where wirecopy trails the baseline most (top {len(worst)} by F1 gap):")
        print(format_table(
            ["id", "host", "base F1", "wc F1", "delta", "wc P", "wc R", "truth w",
             "base w", "wc w"],
            [[w["id"][:12], w["url"].split("/")[2], w["baseline_f1"], w["wirecopy_f1"],
              w["delta"], w["wirecopy_p"], w["wirecopy_r"], w["truth_words"],
              w["baseline_words"], w["wirecopy_words"]] for w in worst]))


if __name__ == "__main__":
    sys.exit(main())
