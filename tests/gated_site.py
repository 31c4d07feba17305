"""A test site that holds back requests for some of its pages until the test lets them go,
so a crawl subprocess can be stopped at a known point (a page count, not a time)."""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest

import sites
from conftest import CRAWL_TIMEOUT, crawl_command, crawl_env

ARTICLES = 12
OPEN_AT = 6  # article pages from this one on are held back until the gate opens


class GatedSite(sites.SiteServer):
    """The bulk site, holding back requests for the gated paths until ``gate`` is set;
    ``reached`` is set when the first of them arrives (the crawl is then mid-run)."""

    def __init__(self, gated: set[str]):
        super().__init__()
        self.gated = gated
        self.gate = threading.Event()
        self.reached = threading.Event()

    def record(self, path, headers) -> None:
        super().record(path, headers)
        if path in self.gated:
            self.reached.set()
            self.gate.wait(timeout=CRAWL_TIMEOUT)


def article_paths() -> list[str]:
    return [sites.bulk_article(n).path for n in range(ARTICLES)]


def gated_bulk_site() -> GatedSite:
    server = GatedSite(set(article_paths()[OPEN_AT:]))
    server.routes.update(sites.bulk_site_routes(server.base_url, count=ARTICLES, delay=0))
    return server.start()


def start_crawl(site: GatedSite, archive: Path, log: Path, settings: tuple[str, ...] = ()) -> subprocess.Popen:
    """A crawl of the gated site (depth 1), stopped mid-run at the gate, its WARC file open."""
    proc = subprocess.Popen(crawl_command([site.url("/")], archive, depth=1, settings=settings),
                            cwd=archive.parent, env=crawl_env(), stdout=subprocess.PIPE,
                            stderr=open(log, "wb"), text=True, start_new_session=True)
    if not site.reached.wait(timeout=CRAWL_TIMEOUT):
        proc.kill()
        pytest.fail(f"the crawl never reached the gate:\n{log.read_text()[-3000:]}")
    return proc


def open_files(archive: Path) -> list[Path]:
    return sorted((archive / "warc").glob("*.warc.gz.open"))


def finish(proc: subprocess.Popen, log: Path) -> dict:
    """The JSON summary of a crawl that must end well."""
    stdout, _ = proc.communicate(timeout=CRAWL_TIMEOUT)
    assert proc.returncode == 0, log.read_text()[-4000:]
    return json.loads([line for line in stdout.splitlines() if line.startswith("{")][-1])
