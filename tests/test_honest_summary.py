"""The summary of a crawl says what the archive holds, and the exit code says when it does
not hold everything the crawl archived."""

from __future__ import annotations

import json

import pytest

from conftest import CRAWL_TIMEOUT
from gated_site import ARTICLES, open_files, start_crawl

pytestmark = pytest.mark.slow

EXIT_LOST = 3
NO_STORIES = ("STORIES_ENABLED=False",)


def test_a_file_that_cannot_be_closed_is_counted_reported_and_fails_the_run(gated_site, tmp_path):
    archive, log = tmp_path / "archive", tmp_path / "crawl.log"
    crawl = start_crawl(gated_site, archive, log, NO_STORIES)
    try:
        [live] = open_files(archive)
        # the name the file is to be closed under is taken: the rename at close fails
        live.with_name(live.name[: -len(".open")]).mkdir()
    finally:
        gated_site.gate.set()
    stdout, _ = crawl.communicate(timeout=CRAWL_TIMEOUT)
    assert crawl.returncode == EXIT_LOST, log.read_text()[-3000:]
    summary = json.loads(stdout.splitlines()[-1])
    assert summary["warc_files"] == 1
    assert summary["stats"]["warc/close_errors"] == 1
    assert summary["unindexed_files"] == [live.name[: -len(".open")]]
    assert summary["lost"] >= 1
    assert summary["errors"] >= summary["logged_errors"] >= 1
    assert summary["extracted"] == ARTICLES
    assert live.exists()  # still there for the next writer to seal


def test_a_complete_crawl_says_what_it_stored(gated_site, tmp_path):
    gated_site.gate.set()
    archive, log = tmp_path / "archive", tmp_path / "crawl.log"
    crawl = start_crawl(gated_site, archive, log, NO_STORIES)
    stdout, _ = crawl.communicate(timeout=CRAWL_TIMEOUT)
    assert crawl.returncode == 0, log.read_text()[-3000:]
    summary = json.loads(stdout.splitlines()[-1])
    # every request the site answered: a response, catalogued
    assert summary["responses"] == summary["catalogued"] == len(gated_site.requested()) >= ARTICLES + 2
    assert summary["articles"] == summary["extracted"] == ARTICLES
    assert summary["uncatalogued"] == 0 and summary["lost"] == 0
    assert summary["logged_errors"] == 0
    assert summary["errors"] == summary["stats"].get("warc/captures/error", 0), summary
