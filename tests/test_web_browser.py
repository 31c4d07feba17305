"""``wirecopy serve`` in a real browser: Debian's chromium driven by Playwright, over an archive
made by crawling the demo web, the seed pair and a hostile page.

Screenshots are written under the test's tmp_path and copied to ``$WIRECOPY_SCREENSHOT_DIR``
when it is set. Without ``/usr/bin/chromium`` these tests are skipped, unless
``WIRECOPY_REQUIRE_BROWSER`` is set (``.ci/run`` installs chromium and sets it).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

import sites
from archive.demo import DemoWeb
from conftest import crawl_env, run_crawl
from web_archive import DISPATCH, HAYOM, SEEDS, hostile_html

CHROMIUM = "/usr/bin/chromium"
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# The hostile page's meta refresh would send the crawler away before it parses the page.
CRAWL_SETTINGS = ("STORIES_WIRE_NAMES=Aurora Press", "METAREFRESH_ENABLED=False")

if not Path(CHROMIUM).exists():
    if os.environ.get("WIRECOPY_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def follow(page, selector: str) -> None:
    """Click what leads to another page and return once that page has loaded: a locator's
    ``count()`` does not wait, and right after a click it may still see the page clicked on."""
    with page.expect_navigation(wait_until="load"):
        page.click(selector)


def screenshot(page, tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    page.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("WIRECOPY_SCREENSHOT_DIR"):
        out = Path(os.environ["WIRECOPY_SCREENSHOT_DIR"])
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy(target, out / name)
    return target


@pytest.fixture(scope="module")
def live_web():
    """Stands for the live web: an archived page must never make the browser reach it. It
    serves the hostile page's image and stylesheet, which the crawl archives as its requisites."""
    server = sites.serve(lambda base: {
        "/photo.jpg": sites.Route(PIXEL, "image/png"),
        "/style.css": sites.Route(b"p#status { color: rgb(1, 2, 3) }", "text/css"),
    })
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, live_web):
    """The demo web, the seed pair (each on its own host) and a hostile page, crawled."""
    archive = tmp_path_factory.mktemp("browser") / "archive"
    pages = {
        "hayom": (HAYOM, (SEEDS / "israelhayom-gantz-morocco.html").read_bytes()),
        "dispatch": (DISPATCH, (SEEDS / "dispatch-defense-ministers-meet.html").read_bytes()),
        # "/" is the UI's own origin once the page is replayed; live_web is the web
        "hostile": ("https://hostile.example/2021/11/24/harbour-ferry-strike/",
                    hostile_html("/", live_web.base_url).encode()),
    }
    servers = {name: sites.serve(lambda base, u=url, b=body: {path_of(u): sites.Route(b)})
               for name, (url, body) in pages.items()}
    try:
        urls = {name: servers[name].url(path_of(url)) for name, (url, _) in pages.items()}
        with DemoWeb() as web:
            result = run_crawl(web.seeds + list(urls.values()), archive, depth=2, settings=CRAWL_SETTINGS)
            home = web.seeds[0]
    finally:
        for server in servers.values():
            server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert {"/photo.jpg", "/style.css"} <= set(live_web.requested()), "the hostile page's requisites"
    db = sqlite3.connect(archive / "catalog.sqlite")
    ids = {name: db.execute("SELECT capture_id FROM articles WHERE url = ?", (url,)).fetchone()[0]
           for name, url in urls.items()}
    ids["home"] = db.execute("SELECT id FROM captures WHERE url = ? AND status = 200", (home,)).fetchone()[0]
    db.close()
    return archive, urls, ids


@pytest.fixture(scope="module")
def served(crawled):
    """``wirecopy serve --port 0`` as a user runs it; yields its base URL."""
    archive, _, _ = crawled
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--archive", str(archive),
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=crawl_env())
    try:
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert match, (line, proc.stderr.read() if proc.poll() is not None else "")
        yield match.group()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")  # empty user-data-dir
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    try:
        yield page
    finally:
        page.close()


def test_story_page_renders_the_seed_pair_side_by_side(page, served, crawled, tmp_path):
    _, urls, ids = crawled
    # as a user would: search for a name, open the capture, follow it to its story
    page.goto(served)
    page.fill("input[name=q]", "Loudiyi memorandum")
    follow(page, "form.search button")
    follow(page, f"a[href='/capture/{ids['hayom']}']")
    assert page.locator("h1").inner_text() == "In Morocco, Gantz inks landmark deal paving way for weapon sales"
    assert page.locator("dl.warc").inner_text().count("sha1:") == 2
    screenshot(page, tmp_path, "capture-seed.png")
    follow(page, "a.button:has-text('Story')")
    assert page.url.startswith(served + "story/s")
    copy = page.locator("section.copy", has_text=urls["dispatch"])
    assert "rewrite" in copy.locator("h2").inner_text()
    copy.locator("details.rest > summary").click()  # the passages after the first differences
    rows = copy.locator("table.aligned tr.how-semantic")
    pairs = [(rows.nth(i).locator("td").nth(0).inner_text(), rows.nth(i).locator("td").nth(1).inner_text())
             for i in range(rows.count())]
    assert any("Gantz" in a and "Abdellatif Lodi" in b for a, b in pairs)
    assert any("first official visit by an Israeli defense minister" in a
               and "first official visit by an Israeli defense minister" in b for a, b in pairs)
    # side by side: the origin's passage to the left of the copy's, on the same line
    row = copy.locator("table.aligned tr.how-semantic", has_text="Abdellatif Lodi").first
    left, right = row.locator("td").nth(0).bounding_box(), row.locator("td").nth(1).bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 1
    assert copy.locator("ins", has_text="Lodi").count() >= 1
    assert copy.locator("tr.how-added", has_text="Western Sahara").count() >= 1
    screenshot(page, tmp_path, "story-seed-pair.png")


def test_demo_stories_are_listed_with_their_copies(page, served):
    page.goto(served + "stories")
    heading = page.locator("h1").inner_text()
    assert int(re.search(r"\((\d+)\)", heading).group(1)) == 3  # two demo stories and the seed pair
    follow(page, "table.list tbody tr:first-child td:first-child a")  # the origin headline
    assert page.locator("section.copy").count() == 6  # the demo's largest story: an origin and six copies
    assert page.locator("table.aligned tr.how-same").count() > 0


def test_archived_scripts_never_run_and_reach_nothing(page, served, crawled, live_web, tmp_path):
    _, _, ids = crawled
    live_before = live_web.requested()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.endswith("/favicon.ico") else None)
    with page.expect_console_message(lambda m: "Blocked script execution" in m.text) as blocked, \
            page.expect_console_message(lambda m: "meta http-equiv='refresh'" in m.text):
        page.goto(served + f"replay/{ids['hostile']}")
    assert "/replay/%d/raw" % ids["hostile"] in blocked.value.text
    frame = page.frame_locator("iframe.replay")
    assert "night-shift pay" in frame.locator("article").inner_text()  # the page itself is shown
    archived = next(f for f in page.frames if f.url.endswith(f"/replay/{ids['hostile']}/raw"))
    assert archived.evaluate("document.documentElement.getAttribute('data-hostile')") is None
    assert archived.title() == "Harbour ferry strike ends after talks"  # never "UI READ"
    assert page.locator("body").inner_text() != "owned"
    # nothing reached the live web; the script never even tried the UI or the beacon
    assert live_web.requested() == live_before
    assert served not in requests and not any(r.endswith(("/beacon", "/refreshed")) for r in requests)
    # the page's own image and stylesheet came from the archive
    assert served + "replay/go?" + urlencode({"url": live_web.base_url + "/photo.jpg"}) in "".join(requests)
    assert archived.evaluate("document.querySelector('article img').naturalWidth") == 1
    assert archived.evaluate("getComputedStyle(document.getElementById('status')).color") == "rgb(1, 2, 3)"
    assert all(r.startswith(served) or r == live_web.base_url + "/embed" for r in requests), requests
    screenshot(page, tmp_path, "replay-hostile.png")


def test_clicks_in_an_archived_page_never_reach_the_live_web(page, served, crawled, live_web):
    _, _, ids = crawled
    live_before = live_web.requested()
    page.goto(served + f"replay/{ids['hostile']}")
    raw = served + f"replay/{ids['hostile']}/raw"
    frame = next(f for f in page.frames if f.url == raw)
    frame.wait_for_load_state("load")  # the form is there and laid out before it is clicked
    with page.expect_console_message(lambda m: "Blocked form submission" in m.text):
        frame.click("#send")
    # The link leads into the archive: the crawl followed it to the "live" host (127.0.0.1
    # is one domain whatever the port) and archived its 404 page, which is what is shown.
    frame.click("#away")
    page.wait_for_url(re.compile(re.escape(served) + r"replay/\d+$"))  # the page, with its bar
    assert page.url != served + f"replay/{ids['hostile']}"
    assert "No such page." in page.frame_locator("iframe.replay").locator("body").inner_text()
    assert live_web.requested() == live_before


def test_raw_page_opened_on_its_own_is_still_sandboxed(page, served, crawled, live_web):
    _, _, ids = crawled
    live_before = live_web.requested()
    with page.expect_console_message(lambda m: "Blocked script execution" in m.text):
        page.goto(served + f"replay/{ids['hostile']}/raw")
    assert page.evaluate("document.documentElement.getAttribute('data-hostile')") is None
    assert page.title() == "Harbour ferry strike ends after talks"
    assert live_web.requested() == live_before


def test_following_a_link_in_an_archived_page_stays_in_the_archive(page, served, crawled, tmp_path):
    _, _, ids = crawled
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(served + f"replay/{ids['home']}")
    raw = served + f"replay/{ids['home']}/raw"
    frame = next(f for f in page.frames if f.url == raw)
    links = frame.locator("a[href^='/replay/go?']")
    assert links.count() > 5  # the home page's links all lead into the archive
    article = frame.locator("article a[href^='/replay/go?'], h2 a[href^='/replay/go?'], h3 a[href^='/replay/go?']").first
    title = article.inner_text()
    href = article.get_attribute("href")
    followed = parse_qs(urlsplit(href).query)["url"][0]
    article.click()
    # the whole page follows the link: the bar names the page now shown in the frame
    page.wait_for_url(re.compile(re.escape(served) + r"replay/\d+$"))
    assert page.url != served + f"replay/{ids['home']}"
    assert followed in page.locator(".replay-bar").inner_text()
    assert title.strip()[:20] in page.frame_locator("iframe.replay").locator("body").inner_text()
    assert all(r.startswith(served) for r in requests if not r.endswith("/favicon.ico")), requests
    screenshot(page, tmp_path, "replay-followed-link.png")
