"""Worker processes that die mid-crawl: replaced, their work done again; and a crawler killed
with ``kill -9`` leaves no process behind, the next run extracting what it did not."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

import pytest

from conftest import run_crawl
from gated_site import ARTICLES, article_paths, finish, start_crawl
from test_workers import alive, descendants, wait_for

pytestmark = pytest.mark.slow

# The gate stops the crawl before a site's profile has seen enough pages, and the articles it
# holds back until then would never reach the workers these tests kill: no site profiles here.
NO_PROFILES = ("EXTRACT_SITE_PROFILES=False",)
NO_STORIES = ("STORIES_ENABLED=False",) + NO_PROFILES
QUICK_STORIES = ("STORIES_ENCODER=none",) + NO_PROFILES


def pool_workers(crawler: int) -> set[int]:
    """The crawler's pool workers: the children of its forkserver (its grandchildren)."""
    return {p for child in descendants(crawler) for p in descendants(child)}


def holds_catalog(pid: int) -> bool:
    try:
        return any(os.readlink(fd).endswith("catalog.sqlite") for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def texts_by_url(archive: Path) -> dict[str, int]:
    db = sqlite3.connect(f"file:{archive / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT url, text_length FROM articles").fetchall())
    finally:
        db.close()


def every_article_has_text(site, archive: Path) -> None:
    texts = texts_by_url(archive)
    missing = [p for p in article_paths() if not texts.get(site.url(p))]
    assert not missing, missing


def test_a_killed_extraction_worker_is_replaced_and_every_article_extracted(gated_site, tmp_path):
    archive, log = tmp_path / "archive", tmp_path / "crawl.log"
    crawl = start_crawl(gated_site, archive, log, NO_STORIES)
    try:
        assert wait_for(lambda: pool_workers(crawl.pid), 60), "no extraction worker started"
        for worker in pool_workers(crawl.pid):
            os.kill(worker, signal.SIGKILL)
    finally:
        gated_site.gate.set()
    summary = finish(crawl, log)
    stats = summary["stats"]
    assert stats["extract/pool_restarts"] >= 1
    assert stats["extract/ok"] == ARTICLES
    assert "extract/failed" not in stats
    every_article_has_text(gated_site, archive)


def test_a_killed_story_worker_is_replaced_and_tracking_goes_on(gated_site, tmp_path):
    archive, log = tmp_path / "archive", tmp_path / "crawl.log"
    crawl = start_crawl(gated_site, archive, log, QUICK_STORIES)
    try:
        assert wait_for(lambda: [p for p in pool_workers(crawl.pid) if holds_catalog(p)], 60), \
            "the story worker never opened the catalog"
        [story_worker] = [p for p in pool_workers(crawl.pid) if holds_catalog(p)]
        os.kill(story_worker, signal.SIGKILL)
    finally:
        gated_site.gate.set()
    stats = finish(crawl, log)["stats"]
    assert stats["stories/pool_restarts"] >= 1
    assert stats["stories/tracked"] == ARTICLES
    assert "stories/failed" not in stats
    assert "BrokenProcessPool" not in log.read_text()
    db = sqlite3.connect(f"file:{archive / 'catalog.sqlite'}?mode=ro", uri=True)
    try:
        tracked = db.execute("SELECT COUNT(*) FROM story_docs").fetchone()[0]
    finally:
        db.close()
    assert tracked == ARTICLES


def test_a_crawler_killed_with_sigkill_leaves_no_process_and_the_next_run_extracts_every_article(
        gated_site, tmp_path):
    archive, log = tmp_path / "archive", tmp_path / "crawl.log"
    crawl = start_crawl(gated_site, archive, log, QUICK_STORIES)
    helpers: set[int] = set()
    try:
        assert wait_for(lambda: len(pool_workers(crawl.pid)) >= 2, 60)  # extraction + tracking
        helpers = descendants(crawl.pid)
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=30)
        assert wait_for(lambda: not any(alive(p) for p in helpers), 20), \
            [p for p in helpers if alive(p)]
    finally:
        for pid in helpers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        gated_site.gate.set()
    again = run_crawl([gated_site.url("/")], archive, depth=1, settings=QUICK_STORIES)
    assert again.returncode == 0, again.stderr[-4000:]
    assert again.stats["warc/recovered_files"] == 1
    every_article_has_text(gated_site, archive)


def test_an_article_whose_extraction_timed_out_is_extracted_by_the_next_run_though_unchanged(
        gated_site, tmp_path):
    archive = tmp_path / "archive"
    gated_site.gate.set()
    seeds = [gated_site.url(p) for p in article_paths()[:2]]
    first = run_crawl(seeds, archive, depth=0, settings=NO_STORIES + ("EXTRACT_TIMEOUT=0.001",))
    assert first.stats["extract/failed/timeout"] == 2
    assert not texts_by_url(archive)
    second = run_crawl(seeds, archive, depth=0, settings=NO_STORIES)
    assert second.returncode == 0, second.stderr[-4000:]
    stats = second.stats
    # the pages did not change (revisits, robots.txt's too), their texts were missing: extracted now
    assert stats["warc/revisits/identical-payload-digest"] == 3
    assert stats["recrawl/unchanged_without_text"] == 2
    assert stats["extract/ok"] == 2
    assert all(texts_by_url(archive).get(url) for url in seeds)


def test_articles_held_for_a_site_profile_when_the_crawler_is_killed_get_their_text_on_the_next_run(
        gated_site, tmp_path):
    """Site profiles on (the default): a new site's first articles are held in memory until its
    profile can clean them; a crawler killed then loses nothing the next run cannot restore."""
    archive, log = tmp_path / "archive", tmp_path / "crawl.log"
    crawl = start_crawl(gated_site, archive, log, ("STORIES_ENABLED=False",))
    helpers: set[int] = set()
    try:
        helpers = descendants(crawl.pid)
        # the gate holds the crawl before the site has the pages a profile needs: no text stored yet
        assert texts_by_url(archive) == {}
        crawl.send_signal(signal.SIGKILL)
        crawl.wait(timeout=30)
        assert wait_for(lambda: not any(alive(p) for p in helpers), 20), [p for p in helpers if alive(p)]
    finally:
        for pid in helpers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        gated_site.gate.set()
    again = run_crawl([gated_site.url("/")], archive, depth=1, settings=("STORIES_ENABLED=False",))
    assert again.returncode == 0, again.stderr[-4000:]
    assert again.stats["warc/recovered_files"] == 1
    every_article_has_text(gated_site, archive)
    assert again.stats["extract/ok"] == ARTICLES  # the held ones too, though their pages are unchanged
