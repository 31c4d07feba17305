"""The summary of a crawl says what the archive holds, and the exit code says when it does
not hold everything the crawl archived."""

from __future__ import annotations

import json
import subprocess

import pytest

from conftest import CRAWL_TIMEOUT, crawl_env
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


def test_a_job_run_that_lost_a_file_is_partial(gated_site, tmp_path):
    from jobs_support import jobs_cmd, write_jobs

    archive = tmp_path / "archive"
    jobs_file = write_jobs(tmp_path, f"""
[jobs.bulk]
seeds = ["{gated_site.url('/')}"]
archive = "archive"
depth = 1
[jobs.bulk.settings]
STORIES_ENABLED = false
""")
    run = subprocess.Popen(jobs_cmd(jobs_file, "run", "bulk", "--json"), cwd=tmp_path, env=crawl_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert gated_site.reached.wait(CRAWL_TIMEOUT), "the job never reached the gate"
        [live] = open_files(archive)
        live.with_name(live.name[: -len(".open")]).mkdir()  # the rename at close fails
    finally:
        gated_site.gate.set()
    stdout, stderr = run.communicate(timeout=CRAWL_TIMEOUT)
    assert run.returncode == 1, stderr[-3000:]  # partial
    outcome = json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])
    assert outcome["status"] == "partial" and outcome["lost"] >= 1
