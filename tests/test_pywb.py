"""pywb replays wirecopy's WARC files with wirecopy's own CDXJ, read in place, and opens the
exported WACZ (``wb-manager add --unpack-wacz``). pywb runs from a virtualenv of its own."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import sites
from archive.warc import iter_records
from conftest import REPO_ROOT, crawl_env
from test_export import archive_index_lines, catalog_articles, exported, herald  # noqa: F401 - the crawl and its export

# pywb lives in a virtualenv of its own: its brotlipy pin shadows the Brotli module Scrapy
# decodes ``br`` responses with. .ci/run creates it; WIRECOPY_PYWB_PYTHON points elsewhere.
PYWB_VENV = REPO_ROOT / ".ci" / "pywb-venv"


def pywb_python() -> Path:
    configured = os.environ.get("WIRECOPY_PYWB_PYTHON")
    python = Path(configured) if configured else PYWB_VENV / "bin" / "python"
    if not python.exists():
        if configured or os.environ.get("CI"):
            pytest.fail(f"pywb's Python {python} does not exist (run .ci/run)")
        pytest.skip(f"pywb is not installed in {PYWB_VENV} (it needs a virtualenv of its own: "
                    f"python3 -m venv {PYWB_VENV} && {PYWB_VENV}/bin/pip install pywb)")
    return python


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Pywb:
    """pywb's WSGI app on 127.0.0.1 (port 0), run by pywb's own Python, serving ``root``."""

    def __init__(self, python: Path, root: Path):
        env = {k: v for k, v in crawl_env().items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        self.log = open(root / "pywb.log", "w")
        self.proc = subprocess.Popen(
            [str(python), str(REPO_ROOT / "tests" / "pywb_server.py"), str(root)],
            stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        port = self.proc.stdout.readline().strip()  # printed once the socket listens
        if not port.isdigit():
            self.stop()
            raise AssertionError(f"pywb did not start: {(root / 'pywb.log').read_text()[-3000:]}")
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)

    def get(self, path: str):
        try:
            response = self.opener.open(self.base + path, timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            return response.status, response.headers, response.read()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.log.close()


def decoded(headers, body: bytes) -> bytes:
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


def archived_responses(archive: Path) -> dict[str, tuple[str, bytes]]:
    """url -> (14-digit timestamp, stored payload) of every 200 response in the archive."""
    found = {}
    for path in sorted((archive / "warc").glob("*.warc.gz")):
        for record in iter_records(path, types=("response",)):
            if record.http_status == 200:
                stamp = "".join(c for c in record.header("WARC-Date") if c.isdigit())[:14]
                found[record.header("WARC-Target-URI")] = (stamp, record.payload)
    return found


@pytest.fixture(scope="module")
def pywb_bin() -> Path:
    """pywb's Python, looked for before the crawl and export (without it the tests are skipped)."""
    return pywb_python()


@pytest.fixture(scope="module")
def pywb(pywb_bin, herald, exported, tmp_path_factory):
    python = pywb_bin
    root = tmp_path_factory.mktemp("pywb")
    (root / "config.yaml").write_text(
        "collections:\n"
        "  wirecopy:\n"
        f"    index_paths: {herald / 'indexes'}/\n"
        f"    archive_paths: {herald / 'warc'}/\n", encoding="utf-8")
    wb_manager = python.with_name("wb-manager")
    dest, _ = exported
    warcs = [str(p) for p in sorted((herald / "warc").glob("*.warc.gz"))]
    # "indexed": the WARC files added to a collection as an archivist adds them, indexed by
    # pywb's own indexer; "cdxj-indexer": the same files indexed by cdxj-indexer's defaults
    for args in (["init", "herald"], ["add", "--unpack-wacz", "herald", str(dest)],
                 ["init", "indexed"], ["add", "indexed", *warcs]):
        proc = subprocess.run([str(wb_manager), *args], cwd=root, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
    cdxj_dir = root / "cdxj-indexer"
    cdxj_dir.mkdir()
    proc = subprocess.run([sys.executable, "-m", "cdxj_indexer.main", "--sort", "-o",
                           str(cdxj_dir / "index.cdxj"), *warcs], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with open(root / "config.yaml", "a", encoding="utf-8") as config:
        config.write("  cdxj-indexer:\n"
                     f"    index_paths: {cdxj_dir}/\n"
                     f"    archive_paths: {herald / 'warc'}/\n")
    server = Pywb(python, root)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("collection", ["wirecopy", "herald"])
def test_pywb_replays_every_archived_page_exactly(pywb, herald, news_site, collection):
    """``wirecopy``: our WARCs with our CDXJ, read in place; ``herald``: the WACZ, added to
    pywb with ``wb-manager add --unpack-wacz`` (which uses the WACZ's index)."""
    responses = archived_responses(herald)
    for spec in sites.ARTICLES:
        url = news_site.url(spec.path)
        stamp, payload = responses[url]
        status, headers, body = pywb.get(f"/{collection}/{stamp}id_/{url}")
        assert status == 200, (url, status, body[:300])
        route = news_site.routes[spec.path]
        assert payload == route.payload, "archived as received (still Content-Encoded)"
        served = gzip.decompress(route.payload) if ("Content-Encoding", "gzip") in route.headers else route.payload
        assert decoded(headers, body) == served
        assert headers.get("Memento-Datetime"), "pywb answered from the archive"


def test_pywb_serves_rewritten_pages_redirects_and_misses(pywb, herald, news_site):
    responses = archived_responses(herald)
    spec = sites.ARTICLES[0]
    url = news_site.url(spec.path)
    stamp, _ = responses[url]

    status, headers, body = pywb.get(f"/wirecopy/{stamp}mp_/{url}")
    page = body.decode("utf-8")
    assert status == 200 and headers.get_content_type() == "text/html"
    assert "wombat" in page, "pywb's client-side rewriting is injected"
    assert spec.title in page
    assert f"/wirecopy/{stamp}mp_/{news_site.base_url}" in page, "links point back into the archive"
    status, _, frame = pywb.get(f"/wirecopy/{stamp}/{url}")
    assert status == 200 and b"replay_iframe" in frame and url.encode() in frame, "pywb's framed replay"

    status, _, listing = pywb.get(f"/wirecopy/*/{news_site.base_url}/*")
    assert status == 200, "the captures listing of the README"
    status, headers, _ = pywb.get(f"/wirecopy/{stamp}id_/{news_site.url('/old-article')}")
    assert status in (301, 302, 307) and headers["Location"].endswith(news_site.url(sites.REDIRECT_TARGET))
    status, _, _ = pywb.get(f"/wirecopy/{stamp}id_/{news_site.url('/never-archived')}")
    assert status == 404


def test_pywb_reads_wirecopy_cdxj_as_written(pywb, herald, news_site):
    """pywb's CDX API over our index: the same record locations, field for field."""
    ours = {}
    for line in archive_index_lines(herald):
        key, stamp, fields = line.split(" ", 2)
        ours[(key, stamp)] = json.loads(fields)
    url = news_site.url(sites.GZIP_ARTICLE)
    status, _, body = pywb.get(f"/wirecopy/cdx?url={url}&output=json")
    assert status == 200
    (entry,) = [json.loads(line) for line in body.decode().splitlines()]
    expected = ours[(entry["urlkey"], entry["timestamp"])]
    for name in ("url", "mime", "status", "digest", "length", "offset", "filename"):
        assert entry[name] == expected[name], name


@pytest.mark.slow
@pytest.mark.parametrize("collection", ["indexed", "cdxj-indexer"])
def test_standard_indexers_replay_every_article_page(pywb, herald, news_site, collection):
    """WARC files indexed by pywb's own indexer (``wb-manager add``) or by cdxj-indexer, not by
    wirecopy: every article replays as its page, at its own time and as the latest capture;
    its text and metadata records are never what a page address answers with."""
    responses = archived_responses(herald)
    articles = catalog_articles(herald)
    assert len(articles) == len(sites.ARTICLES)
    for article in articles:
        url = article["url"]
        stamp, payload = responses[url]
        for at in (stamp, "29991231235959"):
            status, headers, body = pywb.get(f"/{collection}/{at}id_/{url}")
            assert status == 200, (url, at, status, body[:300])
            assert headers.get_content_type() == "text/html", (url, at, headers.get_content_type())
            stored = gzip.decompress(payload) if payload[:2] == b"\x1f\x8b" else payload
            assert decoded(headers, body) == stored, (url, at, "the archived page")
        status, _, listing = pywb.get(f"/{collection}/cdx?url={url}&output=json")
        entries = [json.loads(line) for line in listing.decode().splitlines()]
        assert entries and {e["mime"] for e in entries} == {"text/html"}, (url, entries)
        status, _, text = pywb.get(f"/{collection}/{stamp}id_/urn:text:{url}")
        if collection == "indexed":  # pywb indexes conversions too, under their own address
            assert status == 200 and text.decode("utf-8").strip(), url
