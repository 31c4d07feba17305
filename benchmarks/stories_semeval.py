#!/usr/bin/env python3
"""Story tracking on real multilingual news: SemEval-2022 Task 8 (training split).

The data set (``shared/data/semeval2022-task8/``, read its README) pairs real articles with
human similarity ratings; an id with a language suffix (``1484039360it``) is that article
machine-translated into that language. Every text is tracked once, in file order, with its
language from the file (no publication dates: the date window plays no part). Figures:

* **translations**: an article and its own translation (or two translations of one article)
  linked directly, and put in one story, by direction (``en->zh``, ``es~it`` for two
  translations); target >= 0.9 in every direction. Pairs where a text is a wall (a bot or
  consent page and its translation: captures, not articles) are left out and counted;
* **precision** of the links: a link between two versions of one article is right; a link
  between the two articles of a pair rated below 2.5 (independent reports of one event, or
  the same wire copy) is left out; every other link is wrong, including links between
  articles never rated together (some of which are copies: the wrong links are also counted by
  the word 5-gram overlap of their texts, and the precision is given again counting those that
  share half their word 5-grams as copies, and again over the links the data set judges:
  between versions of one article or two articles it rated); target >= 0.99;
* **different stories**: pairs rated 2.5-4 whose articles are linked (target 0), and how
  many of the texts the wall detector (``archive.stories.junk``) rejects as walls;
* **same-event pairs** (rated <= 1.5): share linked, by band of word 5-gram overlap;
* names across scripts: of the pairs above whose texts are in two scripts, those whose
  fingerprints share a whole name written in each script (the key a translation is looked up
  by, ``archive.stories.crossnames``), by direction: how far real machine translations keep
  names a skeleton can match;
* cost: articles/s and ``add`` latency p50/p99, with ``none`` (lexical tiers only) as the
  baseline measured in the same run.

Run ``python benchmarks/stories_semeval.py [--encoder use] [--limit N] [--json]``; it prints
a note and exits 0 when the data set is absent.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from _common import REPO_ROOT, emit_json, format_table

sys.path.insert(0, str(REPO_ROOT))

from archive.stories import Document, StoryTracker, load_encoder  # noqa: E402
from archive.stories.crossnames import cross_script_lookups  # noqa: E402
from archive.stories.fingerprint import fingerprint  # noqa: E402
from archive.stories.relations import script_of  # noqa: E402
from archive.stories.text import shingles, words  # noqa: E402

DATA = next(  # ../shared beside the checkout (or beside the directory holding worktrees)
    (d / "shared" / "data" / "semeval2022-task8" / "training_set.csv" for d in REPO_ROOT.parents
     if (d / "shared" / "data" / "semeval2022-task8" / "training_set.csv").is_file()),
    REPO_ROOT.parent / "shared" / "data" / "semeval2022-task8" / "training_set.csv")
_PAIR_ID = re.compile(r"^(\d+)([a-z]{2})?_(\d+)([a-z]{2})?$")


def load(path: Path):
    """(texts: doc id -> (language, text), rated pairs: (doc a, doc b, overall rating))."""
    csv.field_size_limit(10_000_000)
    texts: dict[str, tuple[str, str]] = {}
    rated: list[tuple[str, str, float]] = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            match = _PAIR_ID.match(row["pair_id"])
            if not match:
                continue
            a, la, b, lb = match.groups()
            ida, idb = f"{a}:{la or 'orig'}", f"{b}:{lb or 'orig'}"
            texts.setdefault(ida, (row["lang1"], row["text1"]))
            texts.setdefault(idb, (row["lang2"], row["text2"]))
            rated.append((ida, idb, float(row["Overall"])))
    return texts, rated


def article(doc_id: str) -> str:
    return doc_id.split(":")[0]


def versions_of(doc_ids) -> dict[str, list[str]]:
    """Article id -> its texts' ids (the original and its translations), in file order."""
    versions: dict[str, list[str]] = defaultdict(list)
    for doc_id in doc_ids:
        versions[article(doc_id)].append(doc_id)
    return versions


def direction(a: str, b: str, texts) -> str:
    (ka, kb) = (a.split(":")[1], b.split(":")[1])
    la, lb = texts[a][0], texts[b][0]
    if ka == "orig":
        return f"{la}->{lb}"
    if kb == "orig":
        return f"{lb}->{la}"
    return "~".join(sorted((la, lb)))


def overlap(a: str, b: str) -> float:
    sa, sb = shingles(words(a)), shingles(words(b))
    return len(sa & sb) / (len(sa | sb) or 1)


def band_of(o: float) -> str:
    return "<0.05" if o < 0.05 else "0.05-0.2" if o < 0.2 else "0.2-0.5" if o < 0.5 else ">=0.5"


def names_across_scripts(texts, versions: dict[str, list[str]]) -> dict[str, str]:
    """By direction, of the pairs of versions of one article written in two scripts: how many
    share a whole name across them (the cross-script key one posts and the other looks up)."""
    found: dict[str, list[int]] = defaultdict(list)
    for group in versions.values():
        prints = {d: fingerprint(texts[d][1], None, texts[d][0]) for d in group}
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if script_of(prints[a].sentences) == script_of(prints[b].sentences):
                    continue
                found[direction(a, b, texts)].append(int(bool(cross_script_lookups(prints[a].anchors)
                                                              & prints[b].anchors)))
    return {k: f"{sum(v)}/{len(v)}" for k, v in sorted(found.items())}


def run(texts, rated, encoder_name: str, limit: int | None):
    ids = list(texts)
    versions = versions_of(ids)
    if limit:
        # every version of translated articles, then the articles of rated pairs, pair by pair
        chosen = dict.fromkeys(d for d in ids if len(versions[article(d)]) > 1)
        for a, b, _ in rated:
            if len(chosen) >= limit:
                break
            chosen.update(dict.fromkeys((a, b)))
        ids = list(chosen)
    tracker = StoryTracker(encoder=load_encoder(encoder_name))
    latencies = []
    walled: set[str] = set()
    started = time.perf_counter()
    for doc_id in ids:
        language, text = texts[doc_id]
        t0 = time.perf_counter()
        # outlets are unknown: each text its own site, so that no two count as one site's pages
        host = doc_id.replace(":", "-")
        _, kind = tracker.add_or_set_aside(Document(doc_id, f"https://{host}.semeval.example/", text,
                                                    language=language))
        latencies.append(time.perf_counter() - t0)
        if kind:
            walled.add(doc_id)
    elapsed = time.perf_counter() - started
    links = tracker.links()
    clusters = {m.doc.doc_id: s.story_id for s in tracker.stories() for m in s.members}
    linked = {frozenset((l.a, l.b)): l for l in links}
    tracked = set(ids)

    by_direction: dict[str, list[tuple[int, int]]] = defaultdict(list)
    wall_pairs: Counter = Counter()
    for group in versions.values():
        group = [d for d in group if d in tracked]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if texts[a][0] == texts[b][0]:
                    continue
                if a in walled or b in walled:  # a consent or bot page and its translation
                    wall_pairs[direction(a, b, texts)] += 1
                    continue
                by_direction[direction(a, b, texts)].append(
                    (int(frozenset((a, b)) in linked), int(clusters.get(a) is not None and clusters.get(a) == clusters.get(b))))
    rating = {frozenset((a, b)): r for a, b, r in rated}
    right = sum(1 for l in links if article(l.a) == article(l.b))
    others = [l for l in links if article(l.a) != article(l.b)]
    # rated below 2.5: the same event, often the same wire copy; not counted either way
    judged = [l for l in others if rating.get(frozenset((l.a, l.b)), 4.0) >= 2.5]
    unrated = [l for l in judged if frozenset((l.a, l.b)) not in rating]
    different = [(a, b) for a, b, r in rated if 2.5 <= r and a in tracked and b in tracked and article(a) != article(b)]
    different_linked = [(a, b) for a, b in different if frozenset((a, b)) in linked]
    different_together = [(a, b) for a, b in different if clusters.get(a) == clusters.get(b)]
    # a link never rated may join two copies of one text: by the word 5-gram overlap of the
    # texts (of the original, for a translation) a reader can tell those from errors
    def source(doc_id: str) -> str:
        original = f"{article(doc_id)}:orig"
        return original if original in texts else doc_id

    overlaps = {frozenset((l.a, l.b)): overlap(texts[source(l.a)][1], texts[source(l.b)][1]) for l in judged}
    wrong_bands = Counter(band_of(overlaps[frozenset((l.a, l.b))]) for l in judged)
    # a reader's relabelling, stated as a rule: two texts never rated together that share half
    # their word 5-grams (of the originals, for a translation) are one text under two ids
    copies = [l for l in unrated if overlaps[frozenset((l.a, l.b))] >= 0.5]
    bands: dict[str, list[int]] = defaultdict(list)
    for a, b, r in rated:
        if r <= 1.5 and a in tracked and b in tracked and article(a) != article(b):
            bands[band_of(overlap(texts[a][1], texts[b][1]))].append(int(frozenset((a, b)) in linked))
    lat = sorted(latencies)
    return {
        "encoder": encoder_name, "articles": len(ids), "seconds": round(elapsed, 1),
        "articles_per_s": round(len(ids) / elapsed, 2),
        "add_p50_ms": round(1000 * statistics.median(lat), 1), "add_p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 1),
        "directions": {k: {"pairs": len(v), "linked": round(sum(x for x, _ in v) / len(v), 3),
                           "same_story": round(sum(y for _, y in v) / len(v), 3)} for k, v in sorted(by_direction.items())},
        "wall_pairs": dict(wall_pairs),
        "links": len(links), "right_links": right, "wrong_links": len(judged), "unrated_links": len(unrated),
        "same_event_links": len(others) - len(judged),
        "precision": round(right / ((right + len(judged)) or 1), 4),
        # only the links the data set can judge: between versions of one article, or between
        # two articles it rated (a never-rated pair is neither right nor wrong by its ratings)
        "precision_rated": round(right / ((right + len(judged) - len(unrated)) or 1), 4),
        "unrated_copies": len(copies),
        "precision_copies_right": round((right + len(copies)) / ((right + len(judged)) or 1), 4),
        "wrong_link_examples": [(l.a, l.b, l.relation, l.score) for l in judged[:5]],
        "wrong_links_by_overlap": dict(sorted(wrong_bands.items())),
        "different_pairs": len(different), "different_linked": len(different_linked),
        "different_same_story": len(different_together),
        "walls": dict(tracker.walls),
        "same_event_linked_by_overlap": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(bands.items())},
        "relations": dict(Counter(l.relation for l in links)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--encoders", default="none,use", help="comma-separated; the first is the baseline")
    parser.add_argument("--limit", type=int, default=0,
                        help="track every version of translated articles and this many texts in all (0: all)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"SemEval-2022 Task 8 data not found at {args.data}: skipped")
        return 0
    texts, rated = load(args.data)
    results = [run(texts, rated, name.strip(), args.limit) for name in args.encoders.split(",") if name.strip()]
    across = names_across_scripts(texts, versions_of(texts))  # of the texts alone, whatever the encoder
    for r in results:
        print(f"\nencoder {r['encoder']}: {r['articles']} articles in {r['seconds']} s "
              f"({r['articles_per_s']} articles/s, add p50 {r['add_p50_ms']} ms, p99 {r['add_p99_ms']} ms)")
        print(format_table(["direction", "pairs", "linked", "same story"],
                           [[k, v["pairs"], v["linked"], v["same_story"]] for k, v in r["directions"].items()]))
        if r["wall_pairs"]:
            print(f"left out: versions of a wall (not an article, not tracked): {r['wall_pairs']}")
        print(f"links {r['links']}: {r['right_links']} between versions of one article, {r['same_event_links']} "
              f"between articles rated below 2.5 (not counted), {r['wrong_links']} wrong ({r['unrated_links']} of them "
              f"between articles never rated together) (precision {r['precision']}); relations {r['relations']}")
        print(f"wrong links by word 5-gram overlap of the two texts (a translation: of its original): "
              f"{r['wrong_links_by_overlap']}; counting the {r['unrated_copies']} never rated whose texts share half "
              f"their word 5-grams as copies (right): precision {r['precision_copies_right']}; over the links the "
              f"data set judges (versions of one article, rated pairs): precision {r['precision_rated']}")
        print(f"pairs rated 2.5-4: {r['different_pairs']}, linked {r['different_linked']}, "
              f"in one story {r['different_same_story']}; walls rejected {r['walls']}")
        print(f"same-event pairs (rated <= 1.5) linked, by word 5-gram overlap: {r['same_event_linked_by_overlap']}")
        for example in r["wrong_link_examples"]:
            print(f"  wrong link {example}")
    print(f"\nversions in two scripts sharing a whole name across them, by direction: {across}")
    if args.json:
        emit_json({"benchmark": "stories_semeval", "results": results, "names_across_scripts": across})
    return 0


if __name__ == "__main__":
    sys.exit(main())
