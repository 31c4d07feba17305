"""The catalog is derived data: rebuilt from the WARC files alone it equals the live one, and
``wirecopy check`` proves (and repairs) that every record has its rows."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archive.catalog import LOCATION_FILE, open_catalog
from archive.warc.reader import read_record
from conftest import crawl_env
from tests.test_import import demo_warc, write_warc11  # noqa: F401 - fixtures used below
from tests.test_recrawl import recrawl  # noqa: F401 - the fixture: a crawl and a recrawl of a site

pytestmark = pytest.mark.slow


def wirecopy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                          env=crawl_env(), timeout=300)


def snapshot(root: Path) -> dict[str, list[tuple]]:
    catalog = open_catalog(root)
    try:
        return catalog.snapshot()
    finally:
        catalog.close()


def indexes(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / "indexes").glob("*.cdxj"))}


def profiles(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / "profiles").glob("*.json"))}


def assert_rebuild_equals_live(live: Path, tmp_path: Path) -> dict:
    """Rebuilds a copy of ``live``: its catalog (page classes included), CDXJ indexes and site
    profiles come back as they were."""
    copy = tmp_path / "copy"
    shutil.copytree(live, copy)
    before, cdxj, learned = snapshot(copy), indexes(copy), profiles(copy)
    for path in (copy / "profiles").glob("*.json"):
        path.unlink()  # learned again from the WARCs alone
    proc = wirecopy("index", "rebuild", "--archive", str(copy), "--json")
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = snapshot(copy)
    for table in ("captures", "articles", "versions", "revisits"):
        assert after[table] == before[table], table
    assert indexes(copy) == cdxj
    assert profiles(copy) == learned
    assert json.loads(proc.stdout)["profiles"] == len(learned)
    return before


def test_rebuilt_catalog_of_a_crawl_with_recrawls_equals_the_live_one(recrawl, tmp_path):  # noqa: F811
    live = assert_rebuild_equals_live(recrawl.archive, tmp_path)
    assert live["revisits"] and live["versions"] and live["articles"]
    assert any(row[2] == 2 and row[5] for row in live["versions"])  # a changed article: version 2, with its diff
    proc = wirecopy("check", "--archive", str(recrawl.archive), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    figures = json.loads(proc.stdout)
    assert figures["missing"] == 0 and figures["captures"] == len(live["captures"])


def test_rebuilt_catalog_of_an_import_equals_the_live_one(tmp_path, demo_warc, catalog_backend):  # noqa: F811
    path, truth, _seeds = demo_warc
    revisits = tmp_path / "warc11.warc.gz"
    write_warc11(revisits)
    archive = tmp_path / "archive"
    where = ("-s", f"CATALOG_URL={catalog_backend.catalog_url}", "-s", f"CATALOG_SCHEMA={catalog_backend.catalog_schema}")
    proc = wirecopy("import", str(path), str(revisits), "--archive", str(archive), "--json", "--workers", "1",
                    "--no-stories", *(where if catalog_backend.catalog_url else ()))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (archive / LOCATION_FILE).is_file() == bool(catalog_backend.catalog_url)  # cataloged where asked
    live = assert_rebuild_equals_live(archive, tmp_path)
    assert len(live["articles"]) == len(truth)
    assert live["revisits"], "imported revisit records get their revisits row"


def test_check_finds_and_repairs_records_without_rows(recrawl, tmp_path):  # noqa: F811
    copy = tmp_path / "copy"
    shutil.copytree(recrawl.archive, copy)
    catalog = open_catalog(copy)
    catalog.write(lambda c: c.db.execute(
        "DELETE FROM captures WHERE id IN (SELECT id FROM captures WHERE kind = 'feed' OR kind = 'sitemap')"))
    catalog.write(lambda c: c.db.execute("DELETE FROM articles WHERE capture_id = (SELECT min(capture_id) FROM articles)"))
    catalog.close()
    found = wirecopy("check", "--archive", str(copy), "--json")
    assert found.returncode == 1
    figures = json.loads(found.stdout)
    assert figures["missing_captures"] >= 1 and figures["missing_articles"] == 1
    repaired = wirecopy("check", "--archive", str(copy), "--repair", "--json")
    assert repaired.returncode == 0, repaired.stderr[-2000:]
    assert wirecopy("check", "--archive", str(copy)).returncode == 0
    assert snapshot(copy)["captures"] == snapshot(recrawl.archive)["captures"]


# -- page classes, walls and site profiles ------------------------------------------------
WALL = ("<html><head><title>Before you continue</title></head><body><h1>We value your privacy</h1>"
        "<p>We and our partners use cookies.</p><button>Accept all</button></body></html>")


def _walled_routes(base: str) -> dict:
    import sites
    from test_siteprofile import TOPICS, _article_html

    cards = "".join(f"<div class='card'><h3><a href='/story/{n}'>Council weighs the {topic} plan at last</a>"
                    "</h3></div>" for n, topic in enumerate(TOPICS))
    routes = {"/robots.txt": sites.Route(b"User-agent: *\nAllow: /\n", "text/plain"),
              "/": sites.Route(f"<html><body>{cards}<a href='/wall'>w</a></body></html>".encode()),
              "/wall": sites.Route(WALL.encode())}
    routes.update({f"/story/{n}": sites.Route(_article_html(n)) for n in range(len(TOPICS))})
    return routes


@pytest.fixture(scope="module")
def walled(tmp_path_factory):
    """A crawl of a site with a listing, a consent wall and ten articles that share a newsletter
    prompt and a follow line (its profile learns them)."""
    import sites
    from conftest import run_crawl

    archive = tmp_path_factory.mktemp("walled") / "archive"
    with sites.serve(_walled_routes) as server:
        result = run_crawl([server.url("/")], archive, depth=1, settings=("STORIES_ENABLED=False",))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stats["extract/walls/consent"] == 1 and result.stats["extract/profile/cleaned"] == 10
    return archive


def page_classes(root: Path) -> dict[str, tuple[str, list[str]]]:
    catalog = open_catalog(root)
    try:
        return {row["url"].rsplit("/", 1)[-1] or "/": (row["page_class"], json.loads(row["page_signals"]))
                for row in catalog.captures() if row["page_class"]}
    finally:
        catalog.close()


def test_rebuilt_page_classes_and_site_profiles_of_a_crawl_with_walls_equal_the_live_ones(walled, tmp_path):
    live = assert_rebuild_equals_live(walled, tmp_path)
    classes = page_classes(tmp_path / "copy")
    assert classes["/"][0] == "listing" and classes["wall"] == ("wall", ["prose:0p/0w", "wall:consent"])
    assert sum(1 for cls, _ in classes.values() if cls == "article") == 10 == len(live["articles"])
    assert list(profiles(tmp_path / "copy")) == [next((walled / "profiles").glob("*.json")).name]


def test_an_import_of_a_crawl_with_walls_counts_them_cleans_texts_and_tracks_no_wall(walled, tmp_path):
    import sqlite3

    from test_siteprofile import FOLLOW, NEWSLETTER

    archive = tmp_path / "imported"
    warcs = sorted(str(p) for p in (walled / "warc").glob("*.warc.gz"))
    proc = wirecopy("import", *warcs, "--archive", str(archive), "--json", "--workers", "1")
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert summary["walls"] == 1 and summary["articles"] == 10
    stats = summary["stats"]
    assert stats["extract/walls"] == stats["extract/walls/consent"] == 1
    assert stats["pageclass/article"] == 10 and stats["pageclass/listing"] == 1
    assert stats["extract/profile/held"] == 7 and stats["extract/profile/cleaned"] == 10
    assert page_classes(archive)["wall"] == ("wall", ["prose:0p/0w", "wall:consent"])
    db = sqlite3.connect(archive / "catalog.sqlite")
    try:
        texts = [row[0] for row in db.execute("SELECT url FROM articles")]
        tracked = {row[0] for row in db.execute("SELECT url FROM story_docs")}
    finally:
        db.close()
    assert len(texts) == 10 and not [u for u in texts if u.endswith("/wall")]
    assert tracked == set(texts)  # the stories hold the articles, never the wall
    catalog = open_catalog(archive)
    try:
        for row in catalog.articles():
            text = read_record(archive / "warc" / row["conversion_file"], row["conversion_offset"]).payload.decode()
            assert NEWSLETTER not in text and FOLLOW not in text and "Paragraph 3 on the" in text
    finally:
        catalog.close()
    assert_rebuild_equals_live(archive, tmp_path)

    shown = wirecopy("import", *warcs, "--archive", str(tmp_path / "shown"), "--workers", "1", "--no-stories")
    assert shown.returncode == 0, shown.stderr[-3000:]
    assert "1 wall (1 consent)" in shown.stdout
