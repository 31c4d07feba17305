"""Both story stores, SQLite and PostgreSQL, keep the same documents and postings and give the same
stories; PostgreSQL's own duties: the story tables in the archive's schema under the catalog's
schema version, an article's transaction replayed after a lost connection, and one that fails for
good rolled back whole."""

from __future__ import annotations

import itertools

import numpy as np
import psycopg
import pytest

from archive.catalog import CatalogOptions, catalog_exists, open_catalog, open_story_store
from archive.catalog.schema import SCHEMA_VERSION
from archive.stories import Document, StoryTracker
from archive.stories.fingerprint import band_keys, fingerprint
from tests.jobs_support import wait_for
from tests.test_story_align import ANA, OTHER, STOCK
from tests.test_story_updates import documents, grouping

DOCS = [("tram", "https://a.test/tram", ANA), ("park", "https://b.test/park", OTHER),
        ("copy", "https://c.test/tram", "Trams return to Seville.\n\n" + ANA)]


def story_rows(store, statement: str, params: tuple = ()) -> list[tuple]:
    """Rows of a SQL query (``?`` placeholders) on either story store's tables, for tests that
    look under the protocol."""
    if hasattr(store, "db"):
        return [tuple(row) for row in store.db.execute(statement, params).fetchall()]
    return store._read(statement.replace("?", "%s"), params)


def pg_options(pg_url: str, **kwargs) -> CatalogOptions:
    import pg_support

    return CatalogOptions(catalog_url=pg_url, catalog_schema=pg_support.unique_schema(), **kwargs)


def tracked(store) -> StoryTracker:
    tracker = StoryTracker(store, encoder=None)
    for doc_id, url, text in DOCS:
        tracker.add(Document(doc_id, url, text, published="2026-03-02T10:00:00Z"))
    return tracker


def contents(store) -> dict:
    """Everything the protocol answers about the documents of ``DOCS`` (no SQL: any back-end)."""
    docs = [d.doc_id for d in store.docs()]
    anchors = sorted({a for d in docs for a in fingerprint("\n\n".join(s.text for s in store.sentences(d))).anchors})
    return {
        "docs": [(d.doc_id, d.url, d.outlet, d.published, d.is_wire, d.words, d.text_hash, d.version)
                 for d in store.docs()],
        "sentences": {d: [(s.text, s.key, s.words) for s in store.sentences(d)] for d in docs},
        "minhash": {d: store.minhash(d).tolist() for d in docs},
        "sharing": store.docs_sharing_keys([s.key for s in store.sentences("copy")]),
        "bands": {d: sorted(store.docs_sharing_bands(band_keys(store.minhash(d)))) for d in docs},
        "seeded": store.docs_sharing_seeds(fingerprint(ANA).seeds, 10),
        "seeded_common": store.docs_sharing_seeds(fingerprint(ANA).seeds, 1),
        "postings": {a: [store.doc_ids(ns)[n] for n in ns] for a, ns in store.anchor_postings(anchors).items()},
        "counts": store.anchor_counts(anchors),
        "anchors_of": store.anchors_of(docs + ["none"]),
        "doc_count": store.doc_count(), "pairs": list(store.pairs()), "park_pairs": list(store.pairs("park")),
        "background": store.background(), "seqs": [store.doc_seq(d) for d in docs],
        "ids": [store.doc_id_of(store.doc_seq(d)) for d in docs],
        "unknown": (store.doc("none"), store.sentences("none"), store.doc_seq("none"), store.doc_id_of(10**9)),
    }


def test_both_stores_keep_and_answer_alike(tmp_path, pg_url):
    found = {}
    for name, options in (("sqlite", CatalogOptions()), ("postgresql", pg_options(pg_url))):
        tracker = tracked(open_story_store(tmp_path / name, options))
        store = tracker.store
        states = [store.state()]
        tracker.add(Document("park", "https://b.test/park", OTHER + "\n\n" + STOCK, published="2026-03-02T11:00:00Z"))
        states.append(store.state())
        store.put_vectors({7: np.array([0.5, -1.0], dtype=np.float32), 2**62: np.array([1.0, 2.0])}, "m")
        assert store.put_doc_vector("copy", np.array([0.25, 4.0]), "m") == store.doc_seq("copy")
        assert store.put_doc_vector("none", np.array([1.0]), "m") is None
        store.vote_background([(11, "park", "copy"), (11, "copy", "park"), (12, "tram", "park")])
        assert store.add_background([11, 12], "test") == {11, 12} and store.add_background([12, 13], "test") == {13}
        store.put_pair("tram", "copy", {"relation": "changed"})  # replaces what tracking found
        store.commit()
        states.append(store.state())
        tracker.close()
        store = open_story_store(tmp_path / name, options)  # reopened: everything was committed
        found[name] = contents(store) | {
            "vectors": {k: v.tolist() for k, v in store.vectors([7, 2**62, 9], "m").items()},
            "vector_dtype": str(store.vectors([7], "m")[7].dtype),
            "doc_vectors": [(seq, v.tolist()) for seq, v in store.doc_vectors("m")],
            "votes": store.background_votes([11, 12, 14]), "states": len(set(states)),
        }
        store.clear()
        assert store.doc_count() == 0 and list(store.docs()) == [] and store.background() == set()
        assert store.state() == (0, 0, 0, 0)
        store.close()
    sqlite, postgresql = found["sqlite"], found["postgresql"]
    for key in sqlite:
        assert postgresql[key] == sqlite[key], key
    assert sqlite["sharing"] == {"copy": 14, "tram": 13, "park": 1}
    assert [d[0] for d in sqlite["docs"]] == ["tram", "copy", "park"] and sqlite["docs"][2][-1] == 2
    assert sqlite["doc_count"] == 3 and sqlite["states"] == 3
    # a document's anchors are those whose postings hold it
    assert sorted(sqlite["anchors_of"]) == ["copy", "park", "tram"] and sqlite["postings"]
    assert all((d in docs) == (a in sqlite["anchors_of"][d])
               for a, docs in sqlite["postings"].items() for d in sqlite["anchors_of"])
    assert [p[:2] for p in sqlite["pairs"]] == sorted(p[:2] for p in sqlite["pairs"])
    assert dict(((a, b), data) for a, b, data in sqlite["pairs"])[("copy", "tram")] == {"relation": "changed"}
    assert sqlite["vectors"] == {7: [0.5, -1.0], 2**62: [1.0, 2.0]} and sqlite["vector_dtype"] == "float16"
    assert sqlite["doc_vectors"] == [(sqlite["seqs"][1], [0.25, 4.0])]
    assert sqlite["votes"] == {11: {("copy", "park")}, 12: {("park", "tram")}}
    assert {11, 12, 13} <= sqlite["background"]  # and the stock sentence tracking found


@pytest.mark.parametrize("order", [0, 1, 2])
def test_the_same_stories_on_both_back_ends_in_any_arrival_order(tmp_path, pg_url, order):
    docs = list(itertools.permutations(documents()))[order * 997]
    groupings = []
    for name, options in (("sqlite", CatalogOptions()), ("postgresql", pg_options(pg_url))):
        tracker = StoryTracker(open_story_store(tmp_path / name, options), encoder=None)
        for doc in docs:
            tracker.add(doc)
        groupings.append((grouping(tracker), sorted((a, b, d["relation"]) for a, b, d in tracker.store.pairs()
                                                    if "relation" in d), sorted(tracker.store.background())))
        tracker.close()
    assert groupings[1] == groupings[0]
    assert frozenset({"wire-1", "wire-2", "trim", "repub-update", "brief"}) in groupings[0][0]


def test_the_story_store_of_a_postgresql_archive_is_in_its_schema(tmp_path, pg_url):
    options = pg_options(pg_url)
    store = open_story_store(tmp_path, options)  # before the catalog: migrates the schema
    assert store.schema_found == 0 and type(store).__name__ == "PostgresStoryStore"
    tracked(store).close()
    assert catalog_exists(tmp_path) and not (tmp_path / "catalog.sqlite").exists()
    catalog = open_catalog(tmp_path)  # no URL given: the archive remembers it
    assert catalog.schema_found == SCHEMA_VERSION
    catalog.close()
    again = open_story_store(tmp_path)
    assert [d.doc_id for d in again.docs()] == ["tram", "park", "copy"] and again.schema_found == SCHEMA_VERSION
    again.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        tables = {name for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s",
                                                  (options.catalog_schema,))}
    assert {"captures", "story_docs", "story_keys", "catalog_version"} <= tables
    sqlite_archive = tmp_path / "sqlite"
    open_story_store(sqlite_archive).close()
    assert (sqlite_archive / "catalog.sqlite").exists()


def test_a_catalog_marked_version_3_without_story_tables_gets_them(tmp_path, pg_url):
    options = pg_options(pg_url)
    open_catalog(tmp_path, options).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # as the catalog was before its story tables
        conn.execute(f'DROP TABLE "{options.catalog_schema}".story_docs')
        conn.execute(f'DROP TABLE "{options.catalog_schema}".story_keys')
        conn.execute(f'DROP SEQUENCE "{options.catalog_schema}".story_seq')
        for table in ("story_texts", "story_ids", "story_bands", "story_seeds", "story_anchors", "story_anchor_df",
                      "story_pairs", "story_background", "story_background_votes", "story_doc_vectors",
                      "story_vectors"):
            conn.execute(f'DROP TABLE "{options.catalog_schema}".{table}')
    tracker = tracked(open_story_store(tmp_path))
    assert tracker.store.schema_found == SCHEMA_VERSION and tracker.store.doc_count() == 3
    tracker.close()


def test_an_article_whose_connection_is_lost_is_replayed_once(tmp_path, pg_url):
    store = open_story_store(tmp_path, pg_options(pg_url, retry_delay=0.01))
    tracker = StoryTracker(store, encoder=None)
    tracker.add(Document("tram", "https://a.test/tram", ANA, published="2026-03-02T10:00:00Z"))
    # the next article's transaction has written its document when the server ends the session
    pid = store._connection().info.backend_pid
    with psycopg.connect(pg_url, autocommit=True) as admin:
        killed = []
        original = store.put_pair

        def put_pair(a, b, data):
            if not killed:
                killed.append(admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0])
            original(a, b, data)
        store.put_pair = put_pair
        links = tracker.add(Document("copy", "https://c.test/tram", "Trams return to Seville.\n\n" + ANA,
                                     published="2026-03-02T10:00:00Z"))
    assert killed == [True] and store.stats["retries"] >= 1 and links
    tracker.close()
    store = open_story_store(tmp_path)
    assert [d.doc_id for d in store.docs()] == ["tram", "copy"] and store.doc_count() == 2
    assert [(a, b) for a, b, _ in store.pairs()] == [("copy", "tram")]
    assert store.docs_sharing_keys([s.key for s in store.sentences("copy")]) == {"copy": 14, "tram": 13}
    store.close()


def test_an_article_that_fails_for_good_is_rolled_back_whole(tmp_path, pg_url):
    tracker = tracked(open_story_store(tmp_path, pg_options(pg_url)))
    store = tracker.store
    store.put_pair("x", "y", {"relation": "half written"})
    with pytest.raises(psycopg.errors.UniqueViolation):  # a document kept twice: refused by then
        store.put_doc(store.doc("park"), fingerprint(OTHER))
        store.commit()
    assert store.doc_count() == 3
    tracker.add(Document("new", "https://d.test/new", STOCK, published="2026-03-02T10:00:00Z"))  # and it goes on
    pairs = [(a, b) for a, b, _ in store.pairs()]
    tracker.close()
    store = open_story_store(tmp_path)
    assert [d.doc_id for d in store.docs()] == ["tram", "park", "copy", "new"]
    assert ("x", "y") not in pairs and [(a, b) for a, b, _ in store.pairs()] == pairs
    store.close()


def test_the_postgresql_store_keeps_its_statistics_as_it_grows(tmp_path, pg_url, monkeypatch):
    """With autovacuum off (as on some servers), the store's tables are vacuumed and analyzed
    each time they double: the planner sees the rows there are, not an empty table's."""
    from archive.catalog import stories_postgres

    monkeypatch.setattr(stories_postgres, "MAINTAIN_FROM", 4)
    options = pg_options(pg_url)
    store = open_story_store(tmp_path, options)
    with psycopg.connect(pg_url, autocommit=True) as admin:
        def counted() -> tuple[float, bool]:
            row = admin.execute("SELECT c.reltuples, s.last_vacuum IS NOT NULL FROM pg_class c"
                                " JOIN pg_stat_user_tables s ON s.relid = c.oid"
                                " WHERE c.relname = 'story_ids' AND s.schemaname = %s",
                                (options.catalog_schema,)).fetchone()
            return row[0], row[1]

        maintained = []
        for n in range(9):
            store.put_doc(stories_postgres.DocInfo(f"d{n}", f"https://a.test/{n}", "a.test", "2026-03-02T10:00:00Z",
                                                   "en", None, False, 100), fingerprint(f"{STOCK} {n}"))
            store.commit()
            maintained.append(store.stats["maintained"])
        assert maintained == [0, 0, 0, 1, 1, 1, 1, 2, 2]  # at 4 and 8 documents
        assert counted() == (8, True)
    store.close()
    reopened = open_story_store(tmp_path, options)  # what the server counted is where it goes on from
    assert reopened._maintained_at == 8 and reopened.stats["maintained"] == 0
    reopened.close()


def test_the_tracking_worker_reports_what_its_story_store_counted(tmp_path, pg_url, monkeypatch):
    """The crawl's tracking process hands back the store's counts with each article, which the
    crawl shows as ``stories/store_*``: maintenance (and a failed one) is not kept to the worker."""
    from archive.catalog import stories_postgres
    from archive.stories import service

    monkeypatch.setattr(stories_postgres, "MAINTAIN_FROM", 2)
    monkeypatch.setattr(service, "_tracker", None)
    service.start_worker(str(tmp_path), None, None, pg_options(pg_url))
    try:
        reported = [service.track(Document(f"https://a.test/{n}", f"https://a.test/{n}", f"{STOCK} {n}"))[2]
                    for n in range(4)]
    finally:
        service._tracker.close()
    assert [r["maintained"] for r in reported] == [0, 1, 1, 2]  # at 2 and 4 documents
    assert reported[-1] == {"retries": 0, "unavailable": 0, "maintained": 2, "maintain_failed": 0}


@pytest.mark.slow
def test_a_crawl_tracked_in_postgresql_has_the_stories_of_one_tracked_in_sqlite(tmp_path, pg_url):
    import json
    import subprocess
    import sys

    import pg_support
    from archive.demo import DemoWeb
    from archive.web import create_app
    from conftest import crawl_env, run_crawl

    def wirecopy(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True,
                              env=crawl_env(), timeout=300, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc

    wire = "STORIES_WIRE_NAMES=Aurora Press"
    archives = {"sqlite": tmp_path / "sqlite", "postgresql": tmp_path / "postgresql"}
    schema = pg_support.unique_schema()
    with DemoWeb() as web:  # one site for both crawls: the same URLs
        for name, extra in (("sqlite", ()), ("postgresql", (f"CATALOG_URL={pg_url}", f"CATALOG_SCHEMA={schema}"))):
            result = run_crawl(web.seeds, archives[name], depth=2, settings=(wire, *extra))
            assert result.returncode == 0, result.stderr[-3000:]
            assert result.summary["stats"]["stories/tracked"] == len(web.articles)
            store_stats = {k for k in result.summary["stats"] if k.startswith("stories/store_")}
            assert store_stats == ({"stories/store_retries", "stories/store_unavailable", "stories/store_maintained",
                                    "stories/store_maintain_failed"} if name == "postgresql" else
                                   {"stories/store_wal_checkpoints", "stories/store_wal_checkpoint_failed"})
            assert result.summary["stats"].get("stories/store_maintain_failed", 0) == 0
            assert result.summary["stats"].get("stories/store_wal_checkpoint_failed", 0) == 0
    assert not (archives["postgresql"] / "catalog.sqlite").exists()  # neither catalog nor stories there

    def stories(archive) -> list[dict]:
        return json.loads(wirecopy("stories", "--archive", str(archive), "--format", "json").stdout)
    found = {name: stories(archive) for name, archive in archives.items()}
    assert len(found["sqlite"]) == 2 and found["postgresql"] == found["sqlite"]
    with psycopg.connect(pg_url) as conn:
        tracked = conn.execute(f'SELECT count(*) FROM "{schema}".story_docs').fetchone()[0]
    assert tracked == len(web.articles)
    story_id = found["sqlite"][0]["story"]
    one = {name: json.loads(wirecopy("story", story_id, "--archive", str(archive), "--format", "json").stdout)
           for name, archive in archives.items()}
    assert one["postgresql"] == one["sqlite"] and one["sqlite"]
    rebuilt = wirecopy("stories", "rebuild", "--archive", str(archives["postgresql"]), "-s", wire)
    assert f"{len(web.articles)} articles, 2 stories" in rebuilt.stdout
    assert stories(archives["postgresql"]) == found["sqlite"]
    imported = tmp_path / "imported"  # `wirecopy import` tracks what it extracts into PostgreSQL too
    warcs = sorted(str(p) for p in (archives["sqlite"] / "warc").glob("*.warc.gz"))
    wirecopy("import", *warcs, "--archive", str(imported), "--workers", "1", "-s", wire,
             "-s", f"CATALOG_URL={pg_url}", "-s", f"CATALOG_SCHEMA={pg_support.unique_schema()}")
    assert not (imported / "catalog.sqlite").exists()
    assert [[c["url"] for c in s["captures"]] for s in stories(imported)] == \
        [[c["url"] for c in s["captures"]] for s in found["sqlite"]]
    client = create_app(archives["postgresql"], trusted_hosts=["localhost"], search_interval=0).test_client()
    listing = client.get("/stories")
    assert listing.status_code == 200 and all(s["story"] in listing.get_data(as_text=True) for s in found["sqlite"])
    page = client.get(f"/story/{story_id}")
    assert page.status_code == 200 and found["sqlite"][0]["captures"][1]["url"] in page.get_data(as_text=True)
    client.application.extensions["wirecopy"]["catalog"].close()


def test_the_story_pages_on_postgresql_reuse_one_pool(tmp_path, pg_url):
    """Every request of the web UI's story pages is served by one story store and its pool: one
    connection named after the pool stays open across requests, none opened per request."""
    from archive.web import create_app

    options = pg_options(pg_url)
    root = tmp_path / "archive"
    store = open_story_store(root, options)  # the archive remembers its PostgreSQL catalog
    tracker = tracked(store)
    for _name, url, text in DOCS:
        tracker.add(Document(doc_id=url, url=url, text=text, outlet=url.split("/")[2]))
    tracker.close()
    app = create_app(root, trusted_hosts=["localhost"], search_interval=0)
    client = app.test_client()
    pool = f"stories-{options.catalog_schema}"

    def connections() -> list[tuple]:
        with psycopg.connect(pg_url) as conn:
            return conn.execute("SELECT pid, backend_start FROM pg_stat_activity WHERE application_name = %s",
                                (pool,)).fetchall()

    assert client.get("/stories").status_code == 200
    first = connections()
    for _ in range(3):
        page = client.get("/stories")
        assert page.status_code == 200 and "c.test" in page.get_data(as_text=True)
    assert len(first) == 1 and connections() == first, "a story page opened a connection of its own"
    app.extensions["wirecopy"]["stories"].close()
    # the server ends a backend after its client has gone, not as the client closes
    wait_for(lambda: connections() == [], "the pool's connection to end on the server")
