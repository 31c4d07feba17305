"""Both catalog back-ends, SQLite and PostgreSQL, answer every protocol query alike after the
same writes; PostgreSQL's own duties: its migration under concurrent opens, writes retried after
a lost connection, two processes writing at once losing nothing, the archive remembering where
its catalog is."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from dataclasses import asdict, is_dataclass, replace

import pytest

from archive.catalog import (PROFILE_IDENTICAL, ArticleRow, CaptureRow, CatalogOptions, RevisitLink, catalog_exists,
                             open_catalog)
from archive.catalog.schema import SCHEMA_VERSION
from conftest import REPO_ROOT, crawl_env

A, B = "http://n.test/a", "http://n.test/b"


def capture(n: int, url: str = A, *, status: int | None = 200, kind: str = "page", digest: str = "sha1:AAA",
            file: str = "one.warc.gz", job: str | None = "job-1", offset: int | None = None) -> CaptureRow:
    return CaptureRow(url=url, surt=url.replace("http://", ""), timestamp=f"202503100920{n:02d}",
                      warc_date=f"2025-03-10T09:20:{n:02d}Z", record_id=f"<urn:uuid:{n}>", status=status,
                      mime="text/html", kind=kind, payload_digest=digest, warc_file=file,
                      warc_offset=offset if offset is not None else n * 1000, warc_length=900, job=job)


def article(capture_id: int, url: str, text_hash: str, offset: int, page_class: str | None = "article") -> ArticleRow:
    return ArticleRow(capture_id=capture_id, url=url, canonical_url=url, title=f"T {text_hash}", authors=["Ann Ö"],
                      published="2025-03-09", sitename="N", language="en", text_hash=text_hash, text_length=42,
                      extractor="test", conversion_file="one.warc.gz", conversion_offset=offset,
                      conversion_length=100, metadata_file="one.warc.gz", metadata_offset=offset + 100,
                      metadata_length=50, tags=["x"], page_class=page_class, page_signals=["long text"])


def write_history(catalog) -> None:
    """A URL captured, changed, revisited; another seen once; a robots.txt, an error, a torn tail."""
    catalog.write(lambda c: c.set_warc_file("one.warc.gz", "open", job="job-1"))

    def first(c):
        cid = c.add_capture(capture(1))
        c.add_validators(cid, '"e1"', "Mon, 10 Mar 2025 09:00:00 GMT")
        c.add_article(article(cid, A, "h1", 50_000))
        c.add_version(cid, A, 1, None, "h1", None, None, None)
    catalog.write(first)

    def second(c):
        cid = c.add_capture(capture(2, digest="sha1:BBB"))
        c.add_article(article(cid, A, "h2", 60_000))
        c.add_article(article(cid, A, "h2", 61_000, page_class="listing"))  # re-extracted: both kept
        c.add_version(cid, A, 2, 1, "h2", "- old\n+ new", 1, 1)
    catalog.write(second)
    with catalog.batch():
        catalog.write(lambda c: c.add_revisit(c.add_capture(capture(3, kind="revisit", digest="sha1:BBB")),
                                              RevisitLink(PROFILE_IDENTICAL, "<urn:uuid:2>", A, "2025-03-10T09:20:02Z")))
        catalog.write(lambda c: c.add_revisit(c.add_capture(capture(4, B, kind="revisit", digest="sha1:CCC")),
                                              RevisitLink(PROFILE_IDENTICAL, "<urn:uuid:5>", B, None)))
        catalog.commit()
        catalog.write(lambda c: c.add_capture(capture(5, B, kind="feed", digest="sha1:CCC", job=None)))
        catalog.write(lambda c: c.resolve_revisits())
    catalog.write(lambda c: c.add_capture(capture(6, "http://n.test/robots.txt", kind="robots", digest="sha1:R")))
    catalog.write(lambda c: c.add_capture(capture(7, "http://n.test/gone", status=404, kind="error")))
    catalog.write(lambda c: c.set_page_class(c.capture_by_record_id("<urn:uuid:5>")["id"], "listing", ["links"]))
    # last, as PostgreSQL spends ids on rows rolled back or not inserted (ids are not compared)
    assert catalog.write(lambda c: c.add_capture(capture(7, "http://n.test/gone"), replace=False)) is None
    with catalog.batch():
        catalog.write(lambda c: c.add_capture(capture(9, "http://n.test/never")))
        catalog.rollback()
    catalog.write(lambda c: c.add_capture(capture(8, "http://n.test/torn", file="two.warc.gz", offset=5000)))
    catalog.write(lambda c: c.set_warc_file("one.warc.gz", "sealed", records=12, size=99_000))
    assert catalog.write(lambda c: c.forget_torn("two.warc.gz", 5500)) == 1


def plain(value):
    if is_dataclass(value):
        return asdict(value)
    if hasattr(value, "keys"):
        return {k: value[k] for k in value.keys()}
    if isinstance(value, (list, tuple, set)) or hasattr(value, "__next__"):
        return [plain(v) for v in value] if not isinstance(value, set) else sorted(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def answers(catalog) -> dict:
    """Every query of the protocol (and the web UI's), on the history above."""
    queries = {
        "captures": lambda: catalog.captures(), "captures_a": lambda: catalog.captures(A),
        "capture": lambda: catalog.capture(2), "by_record_id": lambda: catalog.capture_by_record_id("<urn:uuid:4>"),
        "captures_in": lambda: catalog.captures_in("one.warc.gz"),
        "of_job": lambda: catalog.captures_of_job("job-1", "20250310092002"),
        "of_no_job": lambda: catalog.captures_of_job(None, "0"),
        "by_key": lambda: catalog.captures_by_key("n.test/a"),
        "same_payload": lambda: catalog.captures_with_payload("sha1:BBB", "n.test/a", True),
        "other_keys": lambda: catalog.captures_with_payload("sha1:CCC", "n.test/a", False, 1),
        "page_urls": catalog.page_urls, "article_pages": catalog.article_pages,
        "locations": catalog.capture_locations, "has_article": lambda: (catalog.has_article(1), catalog.has_article(3)),
        "articles": catalog.articles, "extractions": lambda: catalog.extractions(2),
        "extraction_locations": catalog.extraction_locations,
        "warc_state": lambda: (catalog.warc_file_state("one.warc.gz"), catalog.warc_file_state("none")),
        "warc_files": catalog.warc_files, "counts": catalog.counts,
        "rows_in_files": lambda: (catalog.rows_in_files(["one.warc.gz", "two.warc.gz"]), catalog.rows_in_files([])),
        "previous_a": lambda: catalog.previous_capture(A), "previous_b": lambda: catalog.previous_capture(B),
        "article_state": lambda: catalog.article_state(A), "has_version": lambda: catalog.has_version(2),
        "versions": lambda: catalog.versions(A), "latest_version": lambda: catalog.latest_version(A),
        "original_of": lambda: [catalog.original_of(i) for i in (1, 3, 4, 99)],
        "revisit_of": lambda: catalog.revisit_of(3), "timeline": lambda: catalog.timeline(A),
        "snapshot": catalog.snapshot, "article": lambda: catalog.article(2),
        "with_articles": lambda: catalog.captures_with_articles(A),
        "latest_article": lambda: catalog.latest_article_capture(A),
        "closest": lambda: catalog.closest_capture([A, B], 20250310092004),
        "recent": lambda: catalog.recent_captures(3), "by_url_part": lambda: catalog.captures_by_url_part("n.test/g", 5),
        "article_locations": catalog.article_locations, "fingerprint": catalog.articles_fingerprint,
    }
    return {name: plain(query()) for name, query in queries.items()}


def test_both_back_ends_answer_every_query_alike(tmp_path, pg_url):
    import pg_support

    found = {}
    for name, options in (("sqlite", CatalogOptions()),
                          ("postgresql", CatalogOptions(catalog_url=pg_url, catalog_schema=pg_support.unique_schema()))):
        catalog = open_catalog(tmp_path / name, options)
        write_history(catalog)
        found[name] = answers(catalog)
        assert catalog.stats["write_errors"] == 0
        catalog.close()
    for query in found["sqlite"]:
        assert found["postgresql"][query] == found["sqlite"][query], query
    sqlite = found["sqlite"]
    assert [v["version"] for v in sqlite["versions"]] == [1, 2] and len(sqlite["extractions"]) == 2
    assert sqlite["previous_a"]["original_id"] == 2 and sqlite["original_of"][2]["id"] == 5  # resolved later
    assert "http://n.test/never" not in [c["url"] for c in sqlite["captures"]]  # rolled back
    assert "http://n.test/torn" not in [c["url"] for c in sqlite["captures"]]


def pg_options(pg_url: str, **kwargs) -> CatalogOptions:
    import pg_support

    return CatalogOptions(catalog_url=pg_url, catalog_schema=pg_support.unique_schema(), **kwargs)


def test_workers_opening_a_new_catalog_at_once_migrate_it_once(tmp_path, pg_url):
    import psycopg

    options = pg_options(pg_url)
    opened, errors = [], []

    def open_one(n: int) -> None:
        try:
            opened.append(open_catalog(tmp_path / f"w{n}", options))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=open_one, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(c.schema_found for c in opened) == [0, SCHEMA_VERSION, SCHEMA_VERSION, SCHEMA_VERSION]
    for catalog in opened:
        catalog.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'UPDATE "{options.catalog_schema}".catalog_version SET version = {SCHEMA_VERSION + 1}')
    with pytest.raises(RuntimeError, match="newer"):
        open_catalog(tmp_path / "w0", options)


def test_a_transaction_whose_connection_is_lost_is_run_again(tmp_path, pg_url):
    import psycopg

    catalog = open_catalog(tmp_path, pg_options(pg_url, retry_delay=0.01))
    calls = []

    def unit(c):
        calls.append(c._conn.info.backend_pid)
        c.add_capture(capture(1))
        if len(calls) == 1:  # the server ends this session in the middle of the unit
            with psycopg.connect(pg_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (calls[0],))
        c.add_capture(capture(2))
        return "written"
    assert catalog.write(unit) == "written"
    assert len(calls) == 2 and calls[0] != calls[1] and catalog.stats["retries"] >= 1
    assert [row["record_id"] for row in catalog.captures()] == ["<urn:uuid:1>", "<urn:uuid:2>"]
    catalog.close()


WRITER = """
import json, sys
sys.path.insert(0, "tests")
from archive.catalog import CatalogOptions, open_catalog
from archive.history import add_version
from tests.test_catalog_backends import article, capture
url, schema, worker, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
catalog = open_catalog(sys.argv[5], CatalogOptions(catalog_url=url, catalog_schema=schema, retry_delay=0.01))
import psycopg
gate = psycopg.connect(url, autocommit=True)
print("ready", flush=True)
gate.execute("SELECT pg_advisory_lock_shared(4242)")  # the test lets both writers go at once
for n in range(rounds):
    page = f"http://n.test/{n % 10}"
    def unit(c, n=n, page=page):
        cid = c.add_capture(replace(capture(0, page), record_id=f"<urn:{worker}:{n}>", timestamp=f"2025{n:010d}"))
        c.add_article(article(cid, page, f"{worker}-{n}", 1_000_000 * worker + n * 10))
        add_version(c, cid, page, "2025", "text", f"{worker}-{n}", lambda *_: "before")
    catalog.write(unit)
catalog.close()
print(json.dumps(dict(catalog.stats)), flush=True)
""".replace("from archive.history", "from dataclasses import replace\nfrom archive.history")


def test_two_processes_writing_at_once_lose_nothing(tmp_path, pg_url):
    import psycopg

    options = pg_options(pg_url)
    open_catalog(tmp_path / "main", options).close()
    rounds = 60
    with psycopg.connect(pg_url, autocommit=True) as gate:
        gate.execute("SELECT pg_advisory_lock(4242)")
        writers = [subprocess.Popen([sys.executable, "-c", WRITER, pg_url, options.catalog_schema, str(w), str(rounds),
                                     str(tmp_path / f"w{w}")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True, cwd=REPO_ROOT, env=crawl_env()) for w in (1, 2)]
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        gate.execute("SELECT pg_advisory_unlock(4242)")
        outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (stdout, stderr) in zip(writers, outputs):
        assert writer.returncode == 0, stderr[-3000:]
        assert json.loads(stdout.splitlines()[-1]).get("write_errors", 0) == 0
    catalog = open_catalog(tmp_path / "main", options)
    try:
        assert catalog.counts()["captures"] == catalog.counts()["articles"] == 2 * rounds
        for n in range(10):
            versions = catalog.versions(f"http://n.test/{n}")
            # one chain per URL, whatever order the two writers' units committed in
            assert [v.version for v in versions] == list(range(1, 2 * rounds // 10 + 1))
            assert [v.previous_id for v in versions[1:]] == [v.capture_id for v in versions[:-1]]
    finally:
        catalog.close()


def test_an_archive_remembers_its_postgresql_catalog(tmp_path, pg_url):
    options = pg_options(pg_url)
    catalog = open_catalog(tmp_path, options)
    catalog.write(lambda c: c.add_capture(capture(1)))
    catalog.close()
    assert catalog_exists(tmp_path) and not (tmp_path / "catalog.sqlite").exists()
    again = open_catalog(tmp_path, readonly=True)  # no URL given: the archive's own
    assert [row["url"] for row in again.captures()] == [A]
    again.close()
    with pytest.raises(ValueError, match="cataloged in"):
        open_catalog(tmp_path, replace(options, catalog_schema="elsewhere"))
    with pytest.raises(FileNotFoundError):
        open_catalog(tmp_path / "other", replace(options, catalog_schema="never_made"), readonly=True)
    sqlite_archive = tmp_path / "sqlite"
    catalog = open_catalog(sqlite_archive)
    catalog.write(lambda c: c.add_capture(capture(1)))
    catalog.close()
    with pytest.raises(ValueError, match="cataloged in .*catalog.sqlite"):  # one archive, one catalog
        open_catalog(sqlite_archive, options)


def comparable(snapshot: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """A catalog snapshot without what differs between two crawls of one site: record ids,
    times, and where in which file a record landed."""
    keep = {"captures": (0, 1, 5, 6, 7, 8, 12, 13), "articles": (1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
            "versions": (1, 2, 4, 5, 6, 7), "revisits": (1, 3)}
    return {table: sorted(tuple(row[i] for i in keep[table]) for row in rows) for table, rows in snapshot.items()}


@pytest.mark.slow
def test_a_crawl_cataloged_in_postgresql_has_the_rows_of_one_cataloged_in_sqlite(news_site, tmp_path, pg_url):
    import pg_support
    import sites
    from conftest import run_crawl

    def wirecopy(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                              env=crawl_env(), timeout=300, cwd=tmp_path)

    seeds = [news_site.url(p) for p in sites.SEEDS]
    settings = ("STORIES_ENABLED=False", "WIRECOPY_JOB=herald")
    schema = pg_support.unique_schema()
    found = {}
    for name, extra in (("sqlite", ()), ("postgresql", (f"CATALOG_URL={pg_url}", f"CATALOG_SCHEMA={schema}"))):
        result = run_crawl(seeds, tmp_path / name, settings=settings + extra)
        assert result.returncode == 0, result.stderr[-4000:]
        catalog = open_catalog(tmp_path / name, readonly=True)
        found[name] = catalog.snapshot()
        catalog.close()
    beside = tmp_path / "postgresql" / "catalog.sqlite"  # the story store's file, if anything
    if beside.exists():
        import sqlite3
        found_tables = sqlite3.connect(beside).execute("SELECT name FROM sqlite_master WHERE name = 'captures'")
        assert found_tables.fetchone() is None
    assert type(open_catalog(tmp_path / "postgresql", readonly=True)).__name__ == "PostgresCatalog"
    assert found["postgresql"]["captures"] and found["postgresql"]["articles"]
    assert comparable(found["postgresql"]) == comparable(found["sqlite"])
    # the commands given only --archive find the PostgreSQL catalog: check, then a rebuild from the WARCs
    check = wirecopy("check", "--archive", str(tmp_path / "postgresql"), "--json")
    assert check.returncode == 0, check.stdout + check.stderr[-2000:]
    assert json.loads(check.stdout)["captures"] == len(found["postgresql"]["captures"])
    rebuild = wirecopy("index", "rebuild", "--archive", str(tmp_path / "postgresql"), "--json")
    assert rebuild.returncode == 0, rebuild.stderr[-3000:]
    catalog = open_catalog(tmp_path / "postgresql", readonly=True)
    rebuilt = catalog.snapshot()
    catalog.close()
    for table in ("captures", "articles", "versions", "revisits"):
        assert rebuilt[table] == found["postgresql"][table], table


def test_the_web_ui_reads_an_archive_cataloged_in_postgresql(tmp_path, pg_url):
    from archive.web import create_app
    from tests.test_catalog import TEXT, _write_archive

    _write_archive(tmp_path, pg_options(pg_url))
    assert not (tmp_path / "catalog.sqlite").exists()
    client = create_app(tmp_path, trusted_hosts=["localhost"], search_interval=0).test_client()
    catalog = open_catalog(tmp_path, readonly=True)
    (article_row,) = list(catalog.articles())
    catalog.close()
    index = client.get("/")
    assert index.status_code == 200 and "Reopened" in index.get_data(as_text=True)
    page = client.get(f"/capture/{article_row['capture_id']}")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    assert TEXT.splitlines()[0] in page.get_data(as_text=True)
    found = client.get("/search?q=harbour")
    assert found.status_code == 200 and f"/capture/{article_row['capture_id']}" in found.get_data(as_text=True)
    client.application.extensions["wirecopy"]["catalog"].close()


def test_an_unreachable_catalog_server_is_named_and_its_password_never_shown(tmp_path):
    from archive.catalog.postgres import redacted

    options = CatalogOptions(catalog_url="postgresql://crawler:secret@127.0.0.1:1/archive", connect_timeout=0.5)
    with pytest.raises(ConnectionError, match=r"catalog at postgresql://crawler@127\.0\.0\.1:1/archive") as found:
        open_catalog(tmp_path, options)
    assert "secret" not in str(found.value)
    assert not catalog_exists(tmp_path)  # nothing remembered of a catalog never opened
    assert redacted("postgresql://u@h/db?password=secret&sslmode=require") == "postgresql://u@h/db?sslmode=require"
    crawl = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "http://127.0.0.1:9/", "--archive",
                            str(tmp_path / "archive"), "-s", "CATALOG_URL=" + options.catalog_url,
                            "-s", "CATALOG_CONNECT_TIMEOUT=0.5"], capture_output=True, text=True, env=crawl_env(),
                           cwd=tmp_path, timeout=120)
    assert crawl.returncode == 2  # before anything is fetched: nothing could be cataloged
    assert crawl.stderr.strip().splitlines()[-1].startswith("wirecopy crawl: no connection to the catalog at")
    assert "Traceback" not in crawl.stderr and "secret" not in crawl.stderr
