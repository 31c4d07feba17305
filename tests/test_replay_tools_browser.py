"""A demo article replayed by the standard tools looks like the live page, its resources
answered from the archive: pywb with a collection built by its own ``wb-manager add`` of
wirecopy's WARC files, and ReplayWeb.page opening wirecopy's WACZ export. Both are shot in
headless chromium and compared with the live page by the measure of
``test_requisites_browser.py`` (``screenshots.SIMILARITY``); the demo web is down by then,
so nothing can be answered live."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from base64 import b64decode
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from archive.demo import DemoWeb
from conftest import REPO_ROOT, crawl_env
from screenshots import crawl_demo_outlet, similarity
from test_pywb import Pywb, archived_responses, pywb_python
from test_replaywebpage import CHROMIUM, RangeHandler, replaywebpage_dir

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
if not Path(CHROMIUM).exists():
    if os.environ.get("WIRECOPY_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.slow
WIDTH, HEIGHT = 1280, 900
MIN_SIMILARITY = 0.95
MIN_ANSWERED = 0.99


@dataclass
class LiveArticle:
    url: str
    stamp: str  # the capture's 14-digit timestamp
    title: str
    archive: Path
    wacz: Path
    view: bytes  # screenshot of its first WIDTH x HEIGHT
    font_family: str


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> LiveArticle:
    """A demo outlet crawled with its requisites, one article shot live, the archive exported."""
    root = tmp_path_factory.mktemp("demo")
    archive = root / "archive"
    with DemoWeb() as web:
        url, _capture_id, title = crawl_demo_outlet(web, archive)
        with sync_api.sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.goto(url, wait_until="load")
            view = page.screenshot()
            font_family = page.evaluate("getComputedStyle(document.body).fontFamily")
            browser.close()
    wacz = root / "demo.wacz"
    proc = subprocess.run(["python3", "-m", "crawler.cli", "export", "--wacz", str(wacz), "--archive", str(archive),
                           "--title", "Demo ledger", "--json"], capture_output=True, text=True, env=crawl_env(),
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stamp, _ = archived_responses(archive)[url]
    return LiveArticle(url, stamp, title, archive, wacz, view, font_family)


@pytest.fixture(scope="module")
def pywb() -> Path:
    """pywb's Python; the test is skipped before the demo is crawled and shot when it is missing."""
    return pywb_python()


@pytest.fixture(scope="module")
def rwp() -> Path:
    """ReplayWeb.page's directory; the test is skipped before the demo is crawled and shot when
    it is missing."""
    return replaywebpage_dir()


def compare(live_png: bytes, replay_png: bytes) -> dict:
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return similarity(browser.new_page(), live_png, replay_png)
        finally:
            browser.close()


def test_pywb_with_its_own_index_of_our_warcs_replays_the_article_as_it_looked(pywb, live, tmp_path):
    python = pywb
    (tmp_path / "config.yaml").write_text("framed_replay: true\n", encoding="utf-8")
    wb_manager = python.with_name("wb-manager")
    warcs = [str(p) for p in sorted((live.archive / "warc").glob("*.warc.gz"))]
    for args in (["init", "demo"], ["add", "demo", *warcs]):
        proc = subprocess.run([str(wb_manager), *args], cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
    server = Pywb(python, tmp_path)
    try:
        # pywb's framed replay, as a visitor opens it: its banner on top, the page in a frame
        # (an mp_ address opened on its own is sent to the framed view by pywb's wombat.js)
        framed, in_frame = f"{server.base}/demo/{live.stamp}/{live.url}", f"/demo/{live.stamp}mp_/{live.url}"
        loads: list[tuple[str, int | None, bool]] = []

        def note(request, status, memento):
            if request.frame.url.endswith(in_frame) and not request.is_navigation_request():
                loads.append((request.url, status, memento))

        with sync_api.sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
            page.on("response", lambda r: note(r.request, r.status, bool(r.headers.get("memento-datetime"))))
            page.on("requestfailed", lambda r: note(r, None, False))
            page.goto(framed, wait_until="load")
            page.wait_for_function(f"[...document.querySelectorAll('iframe')].some(f => f.contentWindow.location.href"
                                   f".endsWith({json.dumps(in_frame)}) && f.contentDocument.readyState == 'complete' "
                                   "&& [...f.contentDocument.images].every(i => i.complete))")
            frame = next(f for f in page.frames if f.url.endswith(in_frame))
            # the frame sized as the live page's window was (its fixed cookie bar sits at the bottom)
            banner = HEIGHT - frame.frame_element().bounding_box()["height"]
            page.set_viewport_size({"width": WIDTH, "height": HEIGHT + round(banner)})
            page.wait_for_function(f"innerHeight == {HEIGHT + round(banner)}")
            shot = frame.frame_element().screenshot()
            font_family = frame.evaluate("getComputedStyle(document.body).fontFamily")
            images = frame.evaluate("[...document.images].map(i => [i.src, i.naturalWidth])")
            browser.close()
    finally:
        server.stop()
    # the page's own requests; pywb's client-side scripts (/static/) are the tool's, not the page's
    resources = [(u, s, m) for u, s, m in loads if not u.startswith(f"{server.base}/static/")]
    answered = [u for u, s, m in resources if u.startswith(f"{server.base}/demo/") and s == 200 and m]
    assert len(resources) >= 2, loads
    assert len(answered) / len(resources) >= MIN_ANSWERED, "\n".join(map(str, loads))
    assert font_family == live.font_family
    assert images and all(width > 0 for _, width in images), images
    measured = compare(live.view, shot)
    assert measured["live"] == measured["replay"], measured
    assert measured["same"] >= MIN_SIMILARITY, measured


@pytest.fixture
def viewer(rwp, live, tmp_path):
    """ReplayWeb.page's files and the WACZ, served from 127.0.0.1 (port 0)."""
    (tmp_path / "replay").mkdir()
    shutil.copy(rwp / "package" / "ui.js", tmp_path / "ui.js")
    shutil.copy(rwp / "package" / "sw.js", tmp_path / "replay" / "sw.js")
    app = (rwp / "package" / "index.html").read_text(encoding="utf-8")
    (tmp_path / "replay" / "index.html").write_text(app.replace('src="./ui.js"', 'src="../ui.js"'),
                                                     encoding="utf-8")
    shutil.copy(live.wacz, tmp_path / "demo.wacz")
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: RangeHandler(*a, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rwp, tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_replaywebpage_opening_our_wacz_replays_the_article_as_it_looked(rwp, live, viewer):
    _, site, base = viewer
    (site / "view.html").write_text(
        '<!doctype html><html><head><meta charset="utf-8"><script src="./ui.js"></script>'
        '<style>body { margin: 0 }</style></head><body>'
        f'<replay-web-page style="display:block;width:{WIDTH}px;height:{HEIGHT}px" source="demo.wacz" '
        f'url="{live.url}" ts="{live.stamp}" embed="replayonly" replayBase="./replay/"></replay-web-page>'
        '</body></html>', encoding="utf-8")
    env = dict(crawl_env(), RWP_DIR=str(rwp), CHROMIUM=CHROMIUM)
    proc = subprocess.run(["node", str(REPO_ROOT / "tests" / "replaywebpage_shot.mjs"), f"{base}/view.html",
                           live.title[:40], str(WIDTH), str(HEIGHT)],
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["frame"], f"the article never rendered; frames: {result['frames']}; log: {result['log']}"
    assert f"/{live.stamp}mp_/{live.url}" in result["frame"], "replayed from the archive at its capture time"
    # what the replayed page requested, through the viewer's service worker (the WACZ's records)
    # (the viewer's own wombat.js, under its /replay/static/, is the tool's, not the page's)
    resources = [r for r in result["requests"]
                 if not r["navigation"] and not r["url"].startswith(f"{base}/replay/static/")]
    answered = [r for r in resources if r["status"] == 200 and r.get("fromSW")]
    assert len(resources) >= 2, result["requests"]
    assert len(answered) / len(resources) >= MIN_ANSWERED, "\n".join(map(str, resources))
    assert result["fontFamily"] == live.font_family
    assert result["images"] and all(width > 0 for _, width in result["images"]), result["images"]
    measured = compare(live.view, b64decode(result["png"]))
    assert measured["live"] == measured["replay"], measured
    assert measured["same"] >= MIN_SIMILARITY, measured
