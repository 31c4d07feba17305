"""Stories from a real crawl: live tracking, rebuild from the WARCs, the story commands."""

from __future__ import annotations

import json
import subprocess
import sys

import py3langid as langid
import pytest

from archive.demo import DemoWeb
from conftest import crawl_env, run_crawl

WIRE = "STORIES_WIRE_NAMES=Aurora Press"


def wirecopy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                          env=crawl_env(), timeout=300)


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory):
    archive = tmp_path_factory.mktemp("stories") / "demo-archive"
    with DemoWeb() as web:
        result = run_crawl(web.seeds, archive, depth=2, settings=(WIRE,))
        truth = {a.url: a for a in web.articles}
    assert result.returncode == 0, result.stderr[-3000:]
    return archive, truth, result


def stories_json(archive) -> list[dict]:
    proc = wirecopy("stories", "--archive", str(archive), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def expected_relation(spec, origin) -> str:
    """The demo's relation, typed as the tracker types wire updates and translations."""
    if langid.classify(spec.text)[0] != langid.classify(origin.text)[0]:
        return "translation"
    if spec.title.upper().startswith("UPDATE"):
        return "update"
    return spec.relation


def test_live_crawl_tracks_the_demo_stories(demo_crawl):
    archive, truth, result = demo_crawl
    stats = result.summary["stats"]
    assert stats["stories/tracked"] == stats["extract/ok"] == len(truth)
    stories = stories_json(archive)
    assert len(stories) == 2
    for story in stories:
        names = {truth[c["url"]].story for c in story["captures"]}
        assert len(names) == 1
        (name,) = names
        assert len(story["captures"]) == sum(1 for a in truth.values() if a.story == name)
        assert truth[story["origin"]].relation == "origin"
        for capture in story["captures"][1:]:
            assert capture["relation"] == expected_relation(truth[capture["url"]], truth[story["origin"]])
            assert {"url", "outlet", "published", "relation", "score"} <= set(capture)


def test_rebuild_from_the_warcs_gives_the_same_stories(demo_crawl):
    archive, _, _ = demo_crawl
    live = stories_json(archive)
    proc = wirecopy("stories", "rebuild", "--archive", str(archive), "-s", WIRE)
    assert proc.returncode == 0, proc.stderr
    assert "26 articles, 2 stories" in proc.stdout
    assert stories_json(archive) == live


def test_all_lists_single_capture_stories(demo_crawl):
    archive, truth, _ = demo_crawl
    proc = wirecopy("stories", "--archive", str(archive), "--format", "json", "--all")
    everything = json.loads(proc.stdout)
    assert sum(len(s["captures"]) for s in everything) == len(truth)


def test_story_command_shows_what_each_copy_changed(demo_crawl):
    archive, truth, _ = demo_crawl
    story = next(s for s in stories_json(archive) if len(s["captures"]) == 7)
    rewrite = next(c for c in story["captures"] if c["relation"] in ("rewrite", "translation") and "digest" not in c["url"]
                   and truth[c["url"]].story)
    proc = wirecopy("story", rewrite["url"], "--archive", str(archive), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    detail = json.loads(proc.stdout)
    assert detail["story"] == story["story"]
    copy = next(c for c in detail["captures"] if c["url"] == rewrite["url"])
    assert copy["aligned"] and any(p["method"] == "semantic" for p in copy["aligned"])
    proc = wirecopy("story", story["story"], "--archive", str(archive))
    assert proc.returncode == 0 and story["story"] in proc.stdout and "removed" in proc.stdout
    assert wirecopy("story", "http://nowhere.test/", "--archive", str(archive)).returncode == 1
