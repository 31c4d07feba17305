"""ReplayWeb.page opens the exported WACZ: its viewer (the ``replaywebpage`` npm package) runs
in headless Chromium against a loopback web server that answers Range requests, as a static
host of WACZ files does, and replays archived articles from the WACZ alone."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest

import sites
from conftest import REPO_ROOT, crawl_env
from test_export import exported, herald  # noqa: F401 - the crawl and its export

# `.ci/run` unpacks the replaywebpage package and installs puppeteer-core (no browser of its
# own: it drives Debian's chromium) here; WIRECOPY_REPLAYWEBPAGE_DIR points elsewhere.
RWP_DIR = REPO_ROOT / ".ci" / "replaywebpage"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def replaywebpage_dir() -> Path:
    configured = os.environ.get("WIRECOPY_REPLAYWEBPAGE_DIR")
    root = Path(configured) if configured else RWP_DIR
    missing = [str(p) for p in (root / "package" / "ui.js", root / "package" / "sw.js",
                                root / "node_modules" / "puppeteer-core") if not p.exists()]
    if not shutil.which("node"):
        missing.append("node")
    if not Path(CHROMIUM).exists():
        missing.append("chromium")
    if missing:
        if configured or os.environ.get("CI"):
            pytest.fail(f"ReplayWeb.page test setup incomplete (run .ci/run): missing {missing}")
        pytest.skip(f"ReplayWeb.page is not installed in {root} (missing {', '.join(missing)}): "
                    f"mkdir -p {root} && cd {root} && npm pack replaywebpage@2 && "
                    "tar xzf replaywebpage-*.tgz && npm install puppeteer-core")
    return root


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single byte-range answers, which ReplayWeb.page reads a WACZ with."""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def send_head(self):
        path = self.translate_path(self.path)
        match = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        if not match or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        first, last = match.groups()
        start = int(first) if first else size - int(last)
        end = min(int(last), size - 1) if first and last else size - 1
        with open(path, "rb") as f:
            f.seek(start)
            data = f.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return BytesIO(data)


@pytest.fixture(scope="module")
def rwp_dir() -> Path:
    """ReplayWeb.page's directory, looked for before the crawl and export (without it the tests
    are skipped)."""
    return replaywebpage_dir()


@pytest.fixture(scope="module")
def viewer_site(rwp_dir, exported, tmp_path_factory):  # noqa: F811
    """ReplayWeb.page's files and the WACZ, served from 127.0.0.1 (port 0)."""
    rwp = rwp_dir
    site = tmp_path_factory.mktemp("replaywebpage")
    (site / "replay").mkdir()
    shutil.copy(rwp / "package" / "ui.js", site / "ui.js")
    shutil.copy(rwp / "package" / "sw.js", site / "replay" / "sw.js")
    # The viewer's own page, for the embed's inner frame when it loads before the service
    # worker controls it (the worker serves the same page once active).
    app = (rwp / "package" / "index.html").read_text(encoding="utf-8")
    (site / "replay" / "index.html").write_text(app.replace('src="./ui.js"', 'src="../ui.js"'),
                                                 encoding="utf-8")
    shutil.copy(exported[0], site / "herald.wacz")
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: RangeHandler(*a, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield rwp, site, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def replay(viewer_site, page_name: str, attributes: str, needle: str, deep: bool = False,
           source: str = "herald.wacz") -> dict:
    """Open a page embedding the viewer on ``source``; wait for ``needle`` to show."""
    rwp, site, base = viewer_site
    (site / page_name).write_text(
        '<!doctype html><html><head><meta charset="utf-8"><script src="./ui.js"></script></head><body>'
        f'<replay-web-page style="display:block;height:900px" source="{source}" {attributes}'
        ' replayBase="./replay/"></replay-web-page></body></html>', encoding="utf-8")
    env = dict(crawl_env(), RWP_DIR=str(rwp), CHROMIUM=CHROMIUM)
    proc = subprocess.run(["node", str(REPO_ROOT / "tests" / "replaywebpage_drive.mjs"),
                           f"{base}/{page_name}", needle, "deep" if deep else "rendered"],
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.splitlines()[-1])


@pytest.mark.parametrize("path", [sites.ARTICLES[0].path, sites.GZIP_ARTICLE, sites.CP1252_ARTICLES[0]])
def test_replaywebpage_replays_articles_from_the_wacz(viewer_site, exported, path):  # noqa: F811
    with zipfile.ZipFile(exported[0]) as zf:
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()[1:]]
    (page,) = [p for p in pages if p["url"].endswith(path)]
    spec = sites.BY_PATH[path]
    result = replay(viewer_site, f"view-{Path(path).stem}.html", f'url="{page["url"]}" embed="replayonly"',
                    spec.key)
    assert result["found"], f"the article never rendered; frames: {result['frames']}; log: {result['log']}"
    stamp = "".join(c for c in page["ts"] if c.isdigit())[:14]
    assert f"/{stamp}mp_/{page['url']}" in result["found"], "replayed from the archive at its capture time"
    assert spec.title in result["text"]


def test_replaywebpage_lists_the_articles_of_pages_jsonl(viewer_site, exported):  # noqa: F811
    titles = [spec.title for spec in sites.ARTICLES]
    result = replay(viewer_site, "pages.html", 'embed="default"', titles[-1], deep=True)
    assert result["found"], f"no page list; frames: {result['frames']}; log: {result['log']}"
    for title in titles:
        assert title in result["text"], title


@pytest.fixture(scope="module")
def raw_warc(viewer_site, herald):  # noqa: F811
    """The crawl's WARC files as one raw WARC (their gzip members one after another), text and
    metadata records included, beside the viewer: as an archivist opens a WARC file in it."""
    _, site, _ = viewer_site
    with open(site / "herald.warc.gz", "wb") as out:
        for path in sorted((herald / "warc").glob("*.warc.gz")):
            out.write(path.read_bytes())
    return "herald.warc.gz"


@pytest.mark.slow
@pytest.mark.parametrize("path", [sites.ARTICLES[0].path, sites.GZIP_ARTICLE, sites.CP1252_ARTICLES[0]])
def test_replaywebpage_replays_articles_from_the_raw_warc(viewer_site, raw_warc, herald, path):  # noqa: F811
    """The raw WARC, indexed by ReplayWeb.page itself: the article's page, not its text record."""
    url = herald_url(herald, path)
    spec = sites.BY_PATH[path]
    result = replay(viewer_site, f"raw-{Path(path).stem}.html", f'url="{url}" embed="replayonly"',
                    spec.key, source=raw_warc)
    assert result["found"], f"the article never rendered; frames: {result['frames']}; log: {result['log']}"
    assert f"mp_/{url}" in result["found"]
    assert spec.title in result["text"], "the page (with its headline), not the text record"


def herald_url(herald, path: str) -> str:  # noqa: F811
    db = sqlite3.connect(herald / "catalog.sqlite")
    try:
        (url,) = [u for (u,) in db.execute("SELECT url FROM articles") if u.endswith(path)]
        return url
    finally:
        db.close()
