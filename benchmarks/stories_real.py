#!/usr/bin/env python3
"""Story tracking on real article texts republished the way outlets do.

The 88 real news pages of ``shared/data/article-extraction-benchmark/`` (their ground-truth
bodies: every one a different story, in the words its outlet printed) are each republished by
other outlets, as the generated corpus of ``stories.py`` does with its own prose:

* ``verbatim``: the whole body under the republisher's own headline, its footer below;
* ``trimmed-1`` ... ``trimmed-4`` and ``trimmed-half``: the first 1, 2, 3, 4 paragraphs, or half
  of them (only those shorter than the original);
* ``extended``: the whole body and two local paragraphs (generated prose) after its second;
* ``update``: a later version from the same outlet, "UPDATE 1-" headline, that leads with a
  paragraph from further down, drops the second and third paragraphs and adds a line about
  comment being sought (a stock sentence of every wire), the last paragraph cut.

Each outlet adds its footer lines (a newsletter prompt, a copyright line), shared by all its
pages. Arrival order is shuffled with ``--seed``. Figures per system: copy recall by copy type
(a copy in its origin's story), pairwise and B-cubed precision/recall/F1, and how many originals
were merged with another original (different stories; target 0). Five pairs of the pages are
independent reports of one event (``SAME_EVENT``, read by hand): linking them is counted apart
("same-event reports linked"), and pairwise precision is given again with each event's reports
taken as one story ("pair P, events"); and the relation each copy's direct link to its origin is
typed with. The baseline is the MinHash
LSH clustering of ``stories.py`` (word 5-grams, threshold 0.5) on the same texts.

Run ``python benchmarks/stories_real.py [--encoders none,use] [--seed 1] [--json]``; it
prints a note and exits 0 when the data set is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import REPO_ROOT, emit_json, format_table
from _prose import story as prose_story
from stories import baseline_clusters, clustering_scores, with_untracked

sys.path.insert(0, str(REPO_ROOT))

DATA = next(
    (d / "shared" / "data" / "article-extraction-benchmark" / "ground-truth.json" for d in REPO_ROOT.parents
     if (d / "shared" / "data" / "article-extraction-benchmark" / "ground-truth.json").is_file()),
    REPO_ROOT.parent / "shared" / "data" / "article-extraction-benchmark" / "ground-truth.json")
OUTLETS = [
    ("Harbour Gazette", "harbourgazette.example"), ("Valley Courier", "valleycourier.example"),
    ("Evening Ledger", "eveningledger.example"), ("Northern Post", "northernpost.example"),
    ("Daily Examiner", "dailyexaminer.example"),
]
# Pages of the data set (by their place in its sorted keys) that report one event, read from
# their addresses and ledes: independent reports (no text in common), not copies of one text.
# Linking them is neither right nor wrong here: they are counted apart.
SAME_EVENT = ((3, 16), (6, 83), (13, 72), (26, 51), (74, 81))
COPY_KINDS = ("verbatim", "trimmed-1", "trimmed-2", "trimmed-3", "trimmed-4", "trimmed-half", "extended", "update")


@dataclass
class Article:
    doc_id: str
    story: str
    kind: str
    url: str
    outlet: str
    title: str
    text: str
    published: str


def footer(outlet: str) -> str:
    return (f"Sign up for the {outlet} newsletter to get the day's top stories in your inbox.\n\n"
            f"Copyright 2025 {outlet}. All rights reserved.")


def headline_of(url: str, number: int) -> str:
    """A headline from the page's address ("/2019/10/wework-probe-attorney-general" -> "Wework
    probe attorney general"): the bodies come without theirs."""
    slug = max(re.split(r"[/?#]", url.rstrip("/")), key=len)
    words = [w for w in re.split(r"[-_.]+", slug) if w.isalpha()][:10]
    return " ".join(words).capitalize() if len(words) >= 3 else f"Story number {number}"


def paragraphs_of(body: str) -> list[str]:
    return [p.strip() for p in body.split("\n") if p.strip()]


def corpus(path: Path, seed: int) -> list[Article]:
    rng = random.Random(seed)
    truth = json.loads(path.read_text(encoding="utf-8"))
    docs: list[Article] = []
    for number, (key, entry) in enumerate(sorted(truth.items())):
        paragraphs = paragraphs_of(entry["articleBody"])
        if len(paragraphs) < 2:
            continue
        story = f"s{number:03d}"
        title = headline_of(entry["url"], number)
        day = 1 + number % 20
        home, *others = rng.sample(OUTLETS, len(OUTLETS))

        def add(kind: str, outlet: tuple[str, str], head: str, body: list[str], hour: int) -> None:
            text = "\n\n".join(body) + "\n\n" + footer(outlet[0])
            docs.append(Article(f"{story}-{kind}", story, kind, f"https://{outlet[1]}/{story}/{kind}", outlet[1],
                                head, text, f"2025-03-{day:02d}T{hour:02d}:00:00+00:00"))

        add("origin", home, title, paragraphs, 8)
        add("verbatim", others[0], "Republished: " + title, paragraphs, 10)
        lengths = {f"trimmed-{k}": k for k in (1, 2, 3, 4)} | {"trimmed-half": len(paragraphs) // 2}
        for kind, k in lengths.items():
            if 0 < k < len(paragraphs):
                add(kind, others[1 + k % 3], title, paragraphs[:k], 11)
        local = prose_story(number, seed=seed).paragraphs[:2]
        add("extended", others[1], "Local view: " + title, paragraphs[:2] + local + paragraphs[2:], 12)
        if len(paragraphs) >= 5:
            promoted = paragraphs[3]
            updated = [promoted, paragraphs[0]] + paragraphs[4:-1] + [
                "A spokesperson did not immediately respond to a request for comment."]
            add("update", home, "UPDATE 1-" + title, updated, 15)
    rng.shuffle(docs)
    return docs


def tracker_clusters(docs: list[Article], encoder_name: str) -> tuple[dict[str, Any], float, dict[str, dict]]:
    """(story of each article, seconds of the adds, relations: for each copy type, how many
    copies' direct links to their origin have each relation)."""
    from archive.stories import Document, StoryTracker, load_encoder

    tracker = StoryTracker(encoder=load_encoder(encoder_name))
    started = time.perf_counter()
    for d in docs:
        tracker.add(Document(d.doc_id, d.url, d.text, title=d.title, published=d.published, outlet=d.outlet,
                             language="en"))
    elapsed = time.perf_counter() - started
    clusters = with_untracked({m.doc.doc_id: s.story_id for s in tracker.stories() for m in s.members},
                              [d.doc_id for d in docs])
    linked = {frozenset((link.a, link.b)): link.relation for link in tracker.links()}
    relations: dict[str, Counter] = defaultdict(Counter)
    for d in docs:
        if d.kind != "origin":
            relations[d.kind][linked.get(frozenset((d.doc_id, f"{d.story}-origin")), "no direct link")] += 1
    return clusters, elapsed, {kind: dict(counts) for kind, counts in relations.items()}


def quality(docs: list[Article], clusters: dict[str, Any]) -> dict:
    origin = {d.story: d.doc_id for d in docs if d.kind == "origin"}
    recall: dict[str, list[int]] = defaultdict(list)
    for d in docs:
        if d.kind != "origin":
            recall[d.kind].append(int(clusters[d.doc_id] == clusters[origin[d.story]]))
    event = {f"s{b:03d}": f"s{a:03d}" for a, b in SAME_EVENT}
    scores = clustering_scores(clusters, {d.doc_id: d.story for d in docs})
    # each event's reports taken as one story
    events = clustering_scores(clusters, {d.doc_id: event.get(d.story, d.story) for d in docs})
    merged = Counter(clusters[doc_id] for story, doc_id in origin.items() if story not in event)
    reports_linked = sum(1 for a, b in SAME_EVENT if clusters[origin[f"s{a:03d}"]] == clusters[origin[f"s{b:03d}"]])
    return {
        **{k: round(v, 4) for k, v in scores.items()},
        "originals_merged": sum(n for n in merged.values() if n > 1),
        "same_event_linked": f"{reports_linked}/{len(SAME_EVENT)}",
        "pair_p_events": round(events["pair_precision"], 4),
        "recall": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(recall.items(), key=lambda kv: COPY_KINDS.index(kv[0]))},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--encoders", default="none,use")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data} is absent: nothing to measure")
        return 0
    docs = corpus(args.data, args.seed)
    kinds = Counter(d.kind for d in docs)
    print(f"{len(docs)} articles: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    results = {"baseline": quality(docs, baseline_clusters(docs))}
    seconds: dict[str, float] = {}
    relations: dict[str, dict] = {}
    for name in [e for e in args.encoders.split(",") if e]:
        clusters, seconds[name], relations[name] = tracker_clusters(docs, name)
        results[name] = quality(docs, clusters)
    base_f1 = results["baseline"]["b3_f1"] or 1.0
    rows = [[name, r["pair_precision"], r["pair_recall"], r["pair_f1"], r["b3_precision"], r["b3_recall"], r["b3_f1"],
             round(r["b3_f1"] / base_f1, 3), r["pair_p_events"], r["originals_merged"], r["same_event_linked"],
             f"{len(docs) / seconds[name]:.1f}" if name in seconds else "-"] for name, r in results.items()]
    print(format_table(["system", "pair P", "pair R", "pair F1", "B3 P", "B3 R", "B3 F1", "B3F1/base",
                        "pair P, events", "originals merged", "same-event reports linked", "docs/s"], rows))
    print()
    kinds_seen = [k for k in COPY_KINDS if k in kinds]
    print("Copy recall (copy in its origin's story), by copy type")
    print(format_table(["system", *kinds_seen], [[name, *(r["recall"].get(k, "-") for k in kinds_seen)]
                                                  for name, r in results.items()]))
    for name, by_kind in relations.items():
        names = sorted({r for counts in by_kind.values() for r in counts})
        print(f"\nRelation of each copy's direct link to its origin, encoder {name}")
        print(format_table(["copy", *names], [[k, *(by_kind[k].get(r, 0) for r in names)]
                                              for k in kinds_seen if k in by_kind]))
    if args.json:
        emit_json({"articles": len(docs), "results": results, "seconds": seconds, "relations": relations})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
