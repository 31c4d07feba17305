"""A crawl whose PostgreSQL catalog server goes down mid-crawl (a private server, stopped at a
record count): every page is still archived, in full where the "already archived?" lookup could
not be made, that lookup is counted and stops waiting on the server, and once the server is back
every record gets its catalog row."""

from __future__ import annotations

import json
import subprocess

import psycopg
import pytest

from conftest import crawl_command, crawl_env
from local_web import LocalWeb, check_archive, open_file_holding, readable_responses, until

pytestmark = pytest.mark.slow

SETTINGS = ("CATALOG_CONNECT_TIMEOUT=2", "WIRECOPY_JOB=news")


def test_a_crawl_archives_every_page_while_its_catalog_server_is_down(tmp_path, private_postgres):
    web = LocalWeb(hosts=1).start()
    site = web.gated_site
    last = web.after_gate()[-1]
    # the last page waits behind a gate of its own: the crawl cannot end before the server is back
    later = site.hold_later([last.removeprefix(site.base_url)])
    during = [url for url in web.after_gate() if url != last]
    archive = tmp_path / "archive"
    log = tmp_path / "crawl.log"
    cmd = crawl_command([site.url("/")], archive, depth=1,
                        settings=SETTINGS + (f"CATALOG_URL={private_postgres.url}",))
    with open(log, "wb") as err:
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=crawl_env(), stdout=subprocess.PIPE, stderr=err)
    try:
        until(lambda: open_file_holding(archive, web.before_gate()), "the pages before the gate", [log])
        private_postgres.stop()
        site.gate.set()
        # archived while the catalog's server is down
        until(lambda: open_file_holding(archive, during), "the pages fetched during the outage", [log])
        private_postgres.start()
        later.set()
        out, _ = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        web.stop()
    assert proc.returncode == 0, log.read_text()[-3000:]
    summary = json.loads(out.decode().strip().splitlines()[-1])
    stats = summary["stats"]
    assert stats.get("archive/dedupe/lookup_failed", 0) >= len(during), "a failed lookup went uncounted"
    # after the first failed lookup, the others did not wait on the server known to be down
    assert stats.get("catalog/reads_skipped", 0) >= 1
    assert (stats.get("warc/write_errors", 0), stats.get("log/errors", 0), summary["lost"]) == (0, 0, 0)
    assert "catalog/error" not in stats, stats.get("catalog/error")
    counted = check_archive(archive, web.pages(), "news")
    assert counted["rows"] == counted["records"]
    warcs = sorted((archive / "warc").glob("*.warc.gz"))
    archived = [url for path in warcs for url in readable_responses(path)]
    assert set(during) <= set(archived), "a page fetched during the outage is not archived in full"


def test_reads_skip_a_catalog_server_known_to_be_down_until_it_answers_again(private_postgres):
    """One read finds the server gone (after its retries); the next fails at once, without
    waiting for a connection; once the server is back a read tried again finds it."""
    from archive.catalog import CatalogOptions, CatalogUnavailable
    from archive.catalog.postgres import PostgresCatalog

    options = CatalogOptions(catalog_url=private_postgres.url, connect_timeout=1, retries=1, retry_delay=0.05,
                             retry_max_delay=0.5)
    catalog = PostgresCatalog(private_postgres.url, options)

    def answers() -> bool:
        try:
            return catalog.previous_capture("http://example.com/") is None
        except catalog.errors:
            return False

    try:
        assert answers() and catalog.down_since is None
        private_postgres.stop()
        with pytest.raises(catalog.errors):
            catalog.previous_capture("http://example.com/")
        assert catalog.down_since is not None and catalog.stats["reads_skipped"] == 0
        with pytest.raises(CatalogUnavailable, match="is down"):
            catalog.previous_capture("http://example.com/")
        assert catalog.stats["reads_skipped"] == 1
        private_postgres.start()
        until(answers, "a read reaching the server again", [])
        assert catalog.down_since is None
    finally:
        catalog.close()


def test_story_tracking_fails_fast_while_its_story_store_server_is_down(tmp_path, private_postgres):
    """An article tracked while the server is down fails after its retries; the next fails at
    once, without waiting minutes for connections (a crawl's backlog would take hours to close);
    once the server is back, an article is tracked again."""
    from archive.catalog import CatalogOptions, CatalogUnavailable, open_story_store
    from archive.stories import Document, StoryTracker
    from test_story_align import STOCK

    options = CatalogOptions(catalog_url=private_postgres.url, connect_timeout=1, retries=1, retry_delay=0.05,
                             retry_max_delay=0.5)
    tracker = StoryTracker(open_story_store(tmp_path, options))
    store = tracker.store

    def article(n: int) -> Document:
        return Document(f"https://a.test/{n}", f"https://a.test/{n}", f"Story {n} begins here today. {STOCK}")

    def tracks(n: int) -> bool:
        try:
            tracker.add(article(n))
        except (psycopg.Error, CatalogUnavailable):
            return False
        return True

    try:
        assert tracks(1) and store.down_since is None
        private_postgres.stop()
        with pytest.raises(psycopg.OperationalError):
            tracker.add(article(2))
        assert store.down_since is not None and store.stats["unavailable"] == 0
        with pytest.raises(CatalogUnavailable, match="is down"):
            tracker.add(article(3))
        assert store.stats["unavailable"] == 1
        private_postgres.start()
        until(lambda: tracks(4), "an article reaching the server again", [])
        assert store.down_since is None
        assert [d.doc_id for d in store.docs()] == ["https://a.test/1", "https://a.test/4"]
    finally:
        tracker.close()


def test_rows_queued_through_an_outage_are_written_at_close_once_the_server_is_back(private_postgres):
    """The pool's own reconnection backs off without bound (1, 2, 4 s ...): after an outage of a
    few seconds its next attempt can come after a run's closing flush has given up, and the
    queued rows were reported lost although the server was back. The flush connects anew."""
    from archive.catalog import CatalogOptions
    from archive.catalog.postgres import PostgresCatalog

    options = CatalogOptions(catalog_url=private_postgres.url, connect_timeout=2, retries=1, retry_delay=0.05,
                             retry_max_delay=0.2, flush_rounds=2)
    catalog = PostgresCatalog(private_postgres.url, options)
    closed = False
    try:
        private_postgres.stop()
        assert catalog.write(lambda c: c.set_warc_file("during-the-outage.warc.gz", "open")) is None
        assert catalog.queued == 1 and catalog.down_since is not None
        # three failed reconnections: the pool's next attempt is some 4 s away, and the flush's
        # own patience (2 rounds of 2 tries, 0.05 s to wait for a connection) is far shorter
        until(lambda: catalog.pool.get_stats().get("connections_errors", 0) >= 3,
              "the pool backing off its reconnection", [])
        private_postgres.start()
        closed = True
        catalog.close()
        assert catalog.stats["write_errors"] == 0 and catalog.stats["reconnected"] == 1
    finally:
        if not closed:
            catalog.close()
    reopened = PostgresCatalog(private_postgres.url, options)
    try:
        assert reopened.warc_file_state("during-the-outage.warc.gz") == "open"
    finally:
        reopened.close()
