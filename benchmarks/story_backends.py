"""Story tracking add rate on the PostgreSQL story store (``CATALOG_URL``) against SQLite.

    python benchmarks/story_backends.py [--articles 3000] [--backends sqlite,postgresql] [--encoder none]
                                        [--budget SECONDS] [--server postgresql://postgres@127.0.0.1:5432/postgres] [--json]
                                        [--replicate K --probe M]

The same generated articles (``_storycorpus.scale_stream``: topics of a week, stories with 0-4
copies, as a crawl delivers them) tracked by ``StoryTracker`` (lexical tiers, encoder none) into
each back-end's story store as ``open_story_store`` opens it for an archive: SQLite in the
archive's ``catalog.sqlite``, PostgreSQL in a schema of a database made for the run (dropped at
the end), over TCP on this machine. Figures: articles/s, ``add`` p50/p99 latency, over the whole
run and per tenth of it (does it grow with the archive?), with a least-squares growth per 1,000
articles, and the stories found (both back-ends must find the same). The ratio is PostgreSQL's
rate over SQLite's, measured in the same run. ``--budget`` stops each back-end's adds after
that many seconds (said in the table; stories are then not compared); progress goes to stderr
every tenth of the articles. Size: the SQLite catalog file, or the run's PostgreSQL database.

``--replicate K --probe M``: the add latency of an archive K + 1 times larger than the run
could reach by adding. After the run, M more articles of the stream are added and timed (the
archive at its own size), and M more after the tracker is closed and opened again (the control).
Then every story table's rows are copied K times into earlier weeks (``story_replicas``), as if
the archive had been crawling for K + 1 times as long, the tracker is opened again, and the next
M articles are added and timed at that size: against the control, only the copies differ. The
copies lie outside the date window of the articles added after them, as a real archive's older
weeks do: what grows is every table and index the adds read and write.
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
import story_replicas  # noqa: E402
from archive.catalog import CatalogOptions, open_story_store  # noqa: E402
from archive.stories import Document, StoryTracker, load_encoder  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def tenths_of(latencies: list[float]) -> list[dict]:
    step = max(1, -(-len(latencies) // 10))  # ten chunks at most: no stub of a remainder
    return [{"from": k, "to": k + len(chunk), "p50_ms": 1000 * percentile(chunk, 50),
             "p99_ms": 1000 * percentile(chunk, 99), "mean_ms": 1000 * statistics.fmean(chunk)}
            for k in range(0, len(latencies), step) for chunk in [latencies[k:k + step]]]


def growth_per_1000(tenths: list[dict]) -> float | None:
    """Least-squares slope of mean add latency (ms) per 1,000 articles already tracked."""
    if len(tenths) < 3:
        return None
    xs = [(t["from"] + t["to"]) / 2 for t in tenths]
    ys = [t["mean_ms"] for t in tenths]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def documents(args: argparse.Namespace):
    for d in corpus.scale_stream(args.articles + 3 * args.probe, seed=args.seed):
        yield Document(d.doc_id, d.url, d.text, title=d.title, published=d.published, outlet=d.outlet,
                       language=d.language, authors=list(d.authors))


def add_timed(name: str, tracker: StoryTracker, stream, count: int, budget: float = 0.0) -> tuple[list[float], bool]:
    """Latencies of adding ``count`` documents of ``stream``; whether ``budget`` stopped it."""
    latencies: list[float] = []
    deadline = time.perf_counter() + budget if budget else None
    step = max(1, count // 10)
    for doc in stream:
        started = time.perf_counter()
        tracker.add(doc)
        latencies.append(time.perf_counter() - started)
        if len(latencies) % step == 0:
            recent = latencies[-step:]
            print(f"{name}: {len(latencies)}/{count} articles, last {len(recent)}: p50"
                  f" {1000 * percentile(recent, 50):.1f} ms, p99 {1000 * percentile(recent, 99):.1f} ms",
                  file=sys.stderr, flush=True)
        if len(latencies) >= count:
            return latencies, False
        if deadline is not None and started > deadline:
            return latencies, True
    return latencies, False


def run(name: str, root: Path, options: CatalogOptions, args: argparse.Namespace) -> dict:
    tracker = StoryTracker(open_story_store(root, options), encoder=load_encoder(args.encoder))
    stream = documents(args)
    latencies, stopped_early = add_timed(name, tracker, stream, args.articles, args.budget)
    stories = None if stopped_early else sorted(sorted(m.doc.doc_id for m in s.members)
                                                for s in tracker.stories(min_size=2))
    scaled = None
    if args.replicate and not stopped_early:
        scaled = scaled_probe(name, tracker, stream, root, options, args)
        tracker = scaled.pop("tracker")
    tracker.close()
    size = store_size(root, options)
    tenths = tenths_of(latencies)
    return {"articles": len(latencies), "stopped_early": stopped_early, "per_second": len(latencies) / sum(latencies),
            "p50_ms": 1000 * percentile(latencies, 50), "p99_ms": 1000 * percentile(latencies, 99),
            "last_tenth_p50_ms": tenths[-1]["p50_ms"], "last_tenth_p99_ms": tenths[-1]["p99_ms"],
            "mean_ms": 1000 * statistics.fmean(latencies), "tenths": tenths,
            "ms_per_1000_articles": growth_per_1000(tenths), "stories": stories, "bytes": size,
            "bytes_per_article": size / max(1, scaled["documents_after"] + args.probe if scaled else len(latencies)),
            "scaled": scaled}


def summary(latencies: list[float]) -> dict:
    return {"articles": len(latencies), "per_second": len(latencies) / sum(latencies),
            "p50_ms": 1000 * percentile(latencies, 50), "p99_ms": 1000 * percentile(latencies, 99),
            "mean_ms": 1000 * statistics.fmean(latencies)}


def scaled_probe(name: str, tracker: StoryTracker, stream, root: Path, options: CatalogOptions,
                 args: argparse.Namespace) -> dict:
    """The next ``--probe`` adds at the archive's own size; the next after the tracker is closed
    and opened again (the control: a new process's tracker, its caches empty); then, the story
    tables copied ``--replicate`` times, the next, opened the same way."""
    before, _ = add_timed(f"{name} probe", tracker, stream, args.probe)
    tracker.close()
    tracker = StoryTracker(open_story_store(root, options), encoder=load_encoder(args.encoder))
    control, _ = add_timed(f"{name} probe reopened", tracker, stream, args.probe)
    small_size = store_size(root, options)
    tracker.close()
    started = time.perf_counter()
    documents_after = story_replicas.replicate(root, options, args.replicate)
    copy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    tracker = StoryTracker(open_story_store(root, options), encoder=load_encoder(args.encoder))
    open_seconds = time.perf_counter() - started
    after, _ = add_timed(f"{name} probe x{args.replicate + 1}", tracker, stream, args.probe)
    return {"tracker": tracker, "documents_before": args.articles + 2 * args.probe,
            "documents_after": documents_after, "before": summary(before), "control": summary(control),
            "after": summary(after), "bytes_before": small_size, "bytes_after": store_size(root, options),
            "copy_seconds": copy_seconds, "open_seconds": open_seconds}


def store_size(root: Path, options: CatalogOptions) -> int:
    """Bytes the story store takes: the SQLite catalog file (its WAL checkpointed on close), or
    the run's PostgreSQL database (the store's tables and indexes; the database holds nothing else)."""
    if not options.catalog_url:
        return sum(p.stat().st_size for p in root.glob("catalog.sqlite*"))
    with psycopg.connect(options.catalog_url) as conn:
        return conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--encoder", default="none", help="STORIES_ENCODER of the tracker (none: lexical tiers)")
    parser.add_argument("--budget", type=float, default=0.0, help="seconds of adds per back-end (0: no limit)")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--replicate", type=int, default=0, help="copies of the story tables for the scaled probe")
    parser.add_argument("--probe", type=int, default=2000, help="articles timed before and after --replicate")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.replicate:
        args.probe = 0
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    database = f"wirecopy_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    url = args.server.rsplit("/", 1)[0] + "/" + database
    try:
        with tempfile.TemporaryDirectory(prefix="wirecopy-story-backends-") as tmp:
            options = {"sqlite": CatalogOptions(), "postgresql": CatalogOptions(catalog_url=url)}
            found = {name: run(name, Path(tmp) / name, options[name], args) for name in backends}
    finally:
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    compared = len(found) == 2 and all(f["stories"] is not None for f in found.values())
    same = found["sqlite"]["stories"] == found["postgresql"]["stories"] if compared else None
    print(f"Story tracking, {args.articles} generated articles, encoder {args.encoder}"
          f" (baseline: SQLite, same run)")
    print(f"{'back-end':<11} {'articles':>8} {'articles/s':>10} {'p50 ms':>7} {'p99 ms':>7} {'last 10% p50':>13}"
          f" {'p99':>7} {'ms/1000 art.':>12} {'stories':>8} {'MB':>7} {'B/art.':>7}")
    for name, f in found.items():
        growth = f["ms_per_1000_articles"]
        print(f"{name:<11} {f['articles']:>8} {f['per_second']:>10.1f} {f['p50_ms']:>7.2f} {f['p99_ms']:>7.2f}"
              f" {f['last_tenth_p50_ms']:>13.2f} {f['last_tenth_p99_ms']:>7.2f}"
              f" {'-' if growth is None else f'{growth:+.3f}':>12}"
              f" {'-' if f['stories'] is None else len(f['stories']):>8}"
              f" {f['bytes'] / 1e6:>7.1f} {f['bytes_per_article']:>7.0f}"
              + ("  (stopped by --budget)" if f["stopped_early"] else ""))
    for name, f in found.items():
        print(f"{name} add latency by tenth: " + ", ".join(
            f"{t['from']}-{t['to']} p50 {t['p50_ms']:.1f} / p99 {t['p99_ms']:.1f} ms" for t in f["tenths"]))
    for name, f in found.items():
        scaled = f["scaled"]
        if scaled:
            print(f"{name}: {scaled['documents_before']:,} documents ({scaled['bytes_before'] / 1e6:,.0f} MB), then"
                  f" {scaled['documents_after']:,} ({scaled['bytes_after'] / 1e6:,.0f} MB; tables copied in"
                  f" {scaled['copy_seconds']:.0f} s, the store opened in {scaled['open_seconds']:.1f} s)")
            for label, f in (("added on", scaled["before"]), ("reopened (control)", scaled["control"]),
                             (f"copied x{args.replicate + 1}, reopened", scaled["after"])):
                print(f"  {label:<24} {f['articles']} adds, {f['per_second']:.1f}/s, p50 {f['p50_ms']:.2f} ms,"
                      f" p99 {f['p99_ms']:.2f} ms")
            print(f"  p50 x{scaled['after']['p50_ms'] / scaled['control']['p50_ms']:.2f},"
                  f" p99 x{scaled['after']['p99_ms'] / scaled['control']['p99_ms']:.2f} of the control")
    ratio = found["postgresql"]["per_second"] / found["sqlite"]["per_second"] if len(found) == 2 else None
    if ratio is not None:
        print(f"PostgreSQL / SQLite add rate: {ratio:.2f}; same stories on both: "
              f"{'not compared (a run stopped early)' if same is None else same}")
    if args.json:
        print(json.dumps({name: {k: v for k, v in f.items() if k != "stories"}
                          | {"stories": None if f["stories"] is None else len(f["stories"])}
                          for name, f in found.items()} | {"ratio": ratio, "same_stories": same}))
    return 1 if same is False else 0


if __name__ == "__main__":
    sys.exit(main())
