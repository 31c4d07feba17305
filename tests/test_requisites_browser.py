"""In headless chromium, a demo article replayed by ``wirecopy serve`` loads its stylesheet and
logo from the archive (every resource request answered there) and looks like the live page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from archive.demo import DemoWeb
from conftest import crawl_env
from screenshots import crawl_demo_outlet, similarity

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
if not Path(CHROMIUM).exists():
    if os.environ.get("WIRECOPY_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def serve(archive: Path):
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--archive", str(archive), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=crawl_env())
    line = proc.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        proc.terminate()
        raise AssertionError((line, proc.stderr.read()))
    return proc, match.group()


@pytest.mark.slow
def test_replayed_demo_article_loads_its_requisites_from_the_archive_and_looks_live(tmp_path):
    archive = tmp_path / "archive"
    with DemoWeb() as web:
        url, capture_id, _title = crawl_demo_outlet(web, archive)
        proc, served = serve(archive)
        try:
            with sync_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(url, wait_until="load")
                live = page.screenshot(full_page=True)
                loads: list[tuple[str, int | None]] = []
                replay = browser.new_page(viewport={"width": 1280, "height": 900})
                replay.on("response", lambda r: loads.append((r.url, r.status)))
                replay.on("requestfailed", lambda r: loads.append((r.url, None)))
                raw = served + f"replay/{capture_id}/raw"
                replay.goto(raw, wait_until="load")
                shot = replay.screenshot(full_page=True)
                # a resource's address is /replay/go, which redirects to the capture: count where it ends
                resources = [(u, s) for u, s in loads if u != raw and s not in (301, 302)]
                answered = [u for u, s in resources if u.startswith(served) and s == 200]
                assert len(resources) >= 2, loads
                assert len(answered) / len(resources) >= 0.99, resources
                assert replay.evaluate("getComputedStyle(document.body).fontFamily") == \
                    page.evaluate("getComputedStyle(document.body).fontFamily")
                assert replay.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
                measured = similarity(page, live, shot)
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert measured["live"] == measured["replay"], measured
    assert measured["same"] >= 0.95, measured
