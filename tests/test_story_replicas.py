"""The copies ``benchmarks/story_backends.py --replicate`` measures a large archive with: every
story table copied whole, each copy in weeks of its own, none read by the articles added next."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _storycorpus as corpus  # noqa: E402
import story_replicas  # noqa: E402

from archive.catalog import CatalogOptions, open_story_store  # noqa: E402
from archive.catalog.stories_schema import DAY_SHIFT  # noqa: E402
from archive.stories import Document, StoryTracker, TrackerConfig  # noqa: E402

PER_DOCUMENT = ("story_docs", "story_texts", "story_ids", "story_keys", "story_bands", "story_seeds",
                "story_anchors", "story_pairs", "story_background_votes")


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in PER_DOCUMENT}
        counts["anchor_df"] = db.execute("SELECT sum(n) FROM story_anchor_df").fetchone()[0]
        counts["background"] = db.execute("SELECT count(*) FROM story_background").fetchone()[0]
    return counts


def test_copies_hold_every_row_again_in_earlier_weeks_and_stay_out_of_later_windows(tmp_path):
    docs = [Document(d.doc_id, d.url, d.text, title=d.title, published=d.published, outlet=d.outlet,
                     language=d.language, authors=list(d.authors)) for d in corpus.scale_stream(260, seed=3)]
    tracker = StoryTracker(open_story_store(tmp_path, CatalogOptions()))
    for doc in docs[:240]:
        tracker.add(doc)
    stories = len(tracker.stories(min_size=2))
    tracker.close()
    path = tmp_path / "catalog.sqlite"
    before = _counts(path)
    assert stories and before["story_pairs"] and before["story_background_votes"]

    assert story_replicas.replicate(tmp_path, CatalogOptions(), 2) == 3 * before["story_ids"]

    after = _counts(path)
    assert after == {k: v if k == "background" else 3 * v for k, v in before.items()}
    with sqlite3.connect(path) as db:
        first_original = db.execute("SELECT min(seq) FROM story_ids WHERE doc_id NOT LIKE '%~r%'").fetchone()[0]
        last_copy = db.execute("SELECT max(seq) FROM story_ids WHERE doc_id LIKE '%~r%'").fetchone()[0]
    assert (first_original >> DAY_SHIFT) - (last_copy >> DAY_SHIFT) > TrackerConfig().candidate_days

    tracker = StoryTracker(open_story_store(tmp_path, CatalogOptions()))
    assert len(tracker.stories(min_size=2)) == 3 * stories
    for doc in docs[240:]:
        tracker.add(doc)
    linked = {d for doc in docs[240:] for link in tracker.links(doc.doc_id) for d in (link.a, link.b)}
    tracker.close()
    assert linked and not any("~r" in d for d in linked)
