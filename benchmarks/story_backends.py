"""Story tracking add rate on the PostgreSQL story store (``CATALOG_URL``) against SQLite.

    python benchmarks/story_backends.py [--articles 3000] [--server postgresql://postgres@127.0.0.1:5432/postgres] [--json]

The same generated articles (``_storycorpus.scale_stream``: topics of a week, stories with 0-4
copies, as a crawl delivers them) tracked by ``StoryTracker`` (lexical tiers, encoder none) into
each back-end's story store as ``open_story_store`` opens it for an archive: SQLite in the
archive's ``catalog.sqlite``, PostgreSQL in a schema of a database made for the run (dropped at
the end), over TCP on this machine. Figures: articles/s, ``add`` p50/p99 latency, over the whole
run and its last tenth (does it grow with the archive?), and the stories found (both back-ends
must find the same). The ratio is PostgreSQL's rate over SQLite's, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg  # noqa: E402

import _storycorpus as corpus  # noqa: E402
from archive.catalog import CatalogOptions, open_story_store  # noqa: E402
from archive.stories import Document, StoryTracker  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def run(root: Path, options: CatalogOptions, articles: int, seed: int) -> dict:
    tracker = StoryTracker(open_story_store(root, options), encoder=None)
    latencies = []
    for d in corpus.scale_stream(articles, seed=seed):
        doc = Document(d.doc_id, d.url, d.text, title=d.title, published=d.published, outlet=d.outlet,
                       language=d.language, authors=list(d.authors))
        started = time.perf_counter()
        tracker.add(doc)
        latencies.append(time.perf_counter() - started)
    stories = sorted(sorted(m.doc.doc_id for m in s.members) for s in tracker.stories(min_size=2))
    tracker.close()
    tail = latencies[-max(1, len(latencies) // 10):]
    return {"articles": len(latencies), "per_second": len(latencies) / sum(latencies),
            "p50_ms": 1000 * percentile(latencies, 50), "p99_ms": 1000 * percentile(latencies, 99),
            "last_tenth_p50_ms": 1000 * percentile(tail, 50), "last_tenth_p99_ms": 1000 * percentile(tail, 99),
            "mean_ms": 1000 * statistics.fmean(latencies), "stories": stories}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    database = f"wirecopy_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    url = args.server.rsplit("/", 1)[0] + "/" + database
    try:
        with tempfile.TemporaryDirectory(prefix="wirecopy-story-backends-") as tmp:
            found = {"sqlite": run(Path(tmp) / "sqlite", CatalogOptions(), args.articles, args.seed),
                     "postgresql": run(Path(tmp) / "postgresql", CatalogOptions(catalog_url=url),
                                       args.articles, args.seed)}
    finally:
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    same = found["sqlite"]["stories"] == found["postgresql"]["stories"]
    print(f"Story tracking, {args.articles} generated articles, encoder none (baseline: SQLite, same run)")
    print(f"{'back-end':<11} {'articles/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'last 10% p50':>13} {'p99':>7}"
          f" {'stories':>8}")
    for name, f in found.items():
        print(f"{name:<11} {f['per_second']:>10.1f} {f['p50_ms']:>7.2f} {f['p99_ms']:>7.2f}"
              f" {f['last_tenth_p50_ms']:>13.2f} {f['last_tenth_p99_ms']:>7.2f} {len(f['stories']):>8}")
    ratio = found["postgresql"]["per_second"] / found["sqlite"]["per_second"]
    print(f"PostgreSQL / SQLite add rate: {ratio:.2f}; same stories on both: {same}")
    if args.json:
        print(json.dumps({name: {k: v for k, v in f.items() if k != "stories"} | {"stories": len(f["stories"])}
                          for name, f in found.items()} | {"ratio": ratio, "same_stories": same}))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
