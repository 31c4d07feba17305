"""The story tables on disk: the compact layout, catalogs written in the earlier one, and their
migration with the catalog's schema."""

from __future__ import annotations

import json
import logging
import sqlite3
import zlib

import pytest

from archive.catalog import STORY_TABLES, catalog_path, open_catalog, open_story_store
from archive.catalog.schema import SCHEMA_VERSION
from archive.stories import Document, SQLiteStore, StoryTracker, TrackerConfig
from archive.stories.fingerprint import band_keys, fingerprint
from archive.stories.service import open_tracker, rebuild
from tests.test_catalog import _as_earlier_layout, _write_archive
from tests.test_story_align import ANA, OTHER, STOCK

# the per-sentence layout, as catalogs written before the compact one have it
OLD_SCHEMA = """
CREATE TABLE story_docs (
    doc_id TEXT PRIMARY KEY, url TEXT, outlet TEXT, published TEXT, language TEXT,
    title TEXT, is_wire INTEGER NOT NULL DEFAULT 0, words INTEGER NOT NULL,
    minhash BLOB NOT NULL, text_hash TEXT, version INTEGER NOT NULL DEFAULT 1, seq INTEGER NOT NULL
);
CREATE TABLE story_sentences (
    doc_id TEXT NOT NULL, idx INTEGER NOT NULL, key INTEGER NOT NULL, words INTEGER NOT NULL,
    text TEXT NOT NULL, PRIMARY KEY (doc_id, idx)
);
CREATE INDEX story_sentences_key ON story_sentences (key);
CREATE TABLE story_bands (band INTEGER NOT NULL, doc_id TEXT NOT NULL);
CREATE INDEX story_bands_band ON story_bands (band);
CREATE TABLE story_anchors (anchor TEXT NOT NULL, doc_id TEXT NOT NULL);
CREATE INDEX story_anchors_anchor ON story_anchors (anchor);
CREATE TABLE story_anchor_df (anchor TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE story_pairs (a TEXT NOT NULL, b TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (a, b));
CREATE INDEX story_pairs_b ON story_pairs (b);
CREATE TABLE story_background (key INTEGER PRIMARY KEY, reason TEXT NOT NULL);
CREATE TABLE story_vectors (key INTEGER NOT NULL, model TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (key, model));
"""

DOCS = [("tram", "https://a.test/tram", ANA), ("park", "https://b.test/park", OTHER),
        ("copy", "https://c.test/tram", "Trams return to Seville.\n\n" + ANA)]


def tracked(path) -> StoryTracker:
    tracker = StoryTracker(SQLiteStore(path), encoder=None)
    for doc_id, url, text in DOCS:
        tracker.add(Document(doc_id, url, text, published="2026-03-02T10:00:00Z"))
    return tracker


def write_old_layout(source: SQLiteStore, path) -> None:
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    for row in source.db.execute("SELECT d.doc_id, d.url, d.outlet, d.published, d.language, d.title, d.is_wire,"
                                 " d.words, d.minhash, d.text_hash, d.version, d.seq, t.sentences, d.anchors"
                                 " FROM story_docs d JOIN story_texts t ON t.seq = d.seq"):
        doc_id = row[0]
        minhash = source.minhash(doc_id).tobytes()  # that layout kept 64-bit values
        db.execute("INSERT INTO story_docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (*row[:8], minhash, *row[9:12]))
        sentences = json.loads(zlib.decompress(row[12]))
        db.executemany("INSERT INTO story_sentences VALUES (?,?,?,?,?)",
                       [(doc_id, i, key, n, text) for i, (text, key, n) in enumerate(sentences)])
        db.executemany("INSERT INTO story_anchors VALUES (?,?)", [(a, doc_id) for a in json.loads(row[13])])
        db.executemany("INSERT INTO story_bands VALUES (?,?)", [(b, doc_id) for b in band_keys(source.minhash(doc_id))])
    for table in ("story_anchor_df", "story_pairs", "story_background", "story_vectors"):
        rows = source.db.execute(f"SELECT * FROM {table}").fetchall()
        if rows:
            db.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
    db.commit()
    db.close()


def contents(store: SQLiteStore) -> dict:
    docs = [d.doc_id for d in store.docs()]
    keys = [s.key for s in store.sentences("copy")]
    anchors = [a for (a,) in store.db.execute("SELECT DISTINCT anchor FROM story_anchors")]
    return {
        "docs": [(d.doc_id, d.url, d.words, d.version) for d in store.docs()],
        "sentences": {d: [(s.text, s.key, s.words) for s in store.sentences(d)] for d in docs},
        "sharing": store.docs_sharing_keys(keys),
        "bands": {d: sorted(store.docs_sharing_bands(band_keys(store.minhash(d)))) for d in docs},
        "seeds": sorted(store.db.execute("SELECT s.seed, d.doc_id FROM story_seeds s JOIN story_docs d ON d.seq = s.doc")),
        "seeded": store.docs_sharing_seeds(fingerprint(ANA).seeds, 10),
        "postings": {a: sorted(store.doc_ids(ns).values()) for a, ns in store.anchor_postings(anchors).items()},
        "counts": store.anchor_counts(anchors), "doc_count": store.doc_count(),
        "pairs": list(store.pairs()), "background": store.background(),
        "ids": store.db.execute("SELECT seq, doc_id FROM story_ids ORDER BY seq").fetchall(),
    }


def test_a_catalog_in_the_per_sentence_layout_is_converted_without_loss(tmp_path):
    current = tracked(tmp_path / "current.sqlite")
    expected = contents(current.store)
    stories = [(s.origin.doc_id, [(m.doc.doc_id, m.relation) for m in s.members]) for s in current.stories()]
    # the copy shares all but its headline with the original, and the stock paragraph with the other
    assert expected["sharing"] == {"copy": 14, "tram": 13, "park": 1}
    write_old_layout(current.store, tmp_path / "old.sqlite")

    converted = StoryTracker(SQLiteStore(tmp_path / "old.sqlite"), encoder=None)
    assert contents(converted.store) == expected
    assert [(s.origin.doc_id, [(m.doc.doc_id, m.relation) for m in s.members]) for s in converted.stories()] == stories
    tables = {name for (name,) in converted.store.db.execute("SELECT name FROM sqlite_master")}
    assert "story_sentences" not in tables and not any(t.endswith("_old") for t in tables)
    # and it goes on tracking: a new version of a document replaces its postings
    converted.add(Document("park", "https://b.test/park", OTHER + " " + STOCK, published="2026-03-02T10:00:00Z"))
    assert converted.store.doc("park").version == 2 and converted.store.doc_count() == 3


def test_a_new_version_leaves_no_postings_of_the_old_one(tmp_path, catalog_backend):
    from tests.test_story_backends import story_rows

    tracker = StoryTracker(open_story_store(tmp_path, catalog_backend), encoder=None)
    for doc_id, url, text in DOCS:
        tracker.add(Document(doc_id, url, text, published="2026-03-02T10:00:00Z"))
    store = tracker.store

    def count(statement: str, params: tuple = ()) -> int:
        return story_rows(store, statement, params)[0][0]
    before = count("SELECT count(*) FROM story_keys")  # same sentence count
    seq = store.doc_seq("park")
    tracker.add(Document("park", "https://b.test/park", ANA.replace("tram", "metro"), published="2026-03-02T10:00:00Z"))
    assert count("SELECT count(*) FROM story_ids WHERE seq = ?", (seq,)) == 0
    for table in ("story_keys", "story_bands", "story_seeds", "story_anchors"):
        assert count(f"SELECT count(*) FROM {table} WHERE doc = ?", (seq,)) == 0, table
    new_seq = store.doc_seq("park")
    assert new_seq != seq and store.doc_id_of(new_seq) == "park" and store.doc_id_of(seq) is None
    new_keys = {s.key for s in store.sentences("park")}
    assert {k for (k,) in story_rows(store, "SELECT key FROM story_keys WHERE doc = ?", (new_seq,))} == new_keys
    assert count("SELECT count(*) FROM story_keys") == before
    assert count("SELECT sum(n) FROM story_anchor_df") == count("SELECT count(*) FROM story_anchors")
    tracker.close()


def test_documents_and_sentences_read_together_are_those_read_one_by_one(tmp_path, catalog_backend):
    tracker = StoryTracker(open_story_store(tmp_path, catalog_backend), encoder=None)
    for doc_id, url, text in DOCS:
        tracker.add(Document(doc_id, url, text, published="2026-03-02T10:00:00Z"))
    store = tracker.store
    asked = ["park", "nowhere", "tram", "park"]
    assert store.docs_of(asked) == {"park": store.doc("park"), "tram": store.doc("tram")}
    assert store.sentences_of(asked) == {"park": store.sentences("park"), "tram": store.sentences("tram")}
    assert store.docs_of([]) == {} and store.sentences_of([]) == {}
    # after the document is replaced, the new version is read (nothing kept of the old one)
    tracker.add(Document("park", "https://b.test/park", ANA.replace("tram", "metro"), published="2026-03-02T10:00:00Z"))
    assert store.docs_of(["park"])["park"].version == 2
    assert [s.text for s in store.sentences_of(["park"])["park"]] == [s.text for s in store.sentences("park")]
    tracker.close()


def test_background_is_read_back_with_its_reason(tmp_path, catalog_backend):
    store = open_story_store(tmp_path, catalog_backend)
    assert store.add_background([11, 12], "shared by different stories") == {11, 12}
    assert store.add_background([12, 13], "chrome of one site") == {13}  # a key keeps its first reason
    store.commit()
    assert store.background_reasons([13, 11, 12, 99]) == {11: "shared by different stories",
                                                          12: "shared by different stories",
                                                          13: "chrome of one site"}
    assert store.background_reasons([]) == {} and store.background() == {11, 12, 13}
    # chrome that other sites turn out to share is restated as stock; nothing else changes
    store.restate_background({13}, "shared by different stories")
    store.restate_background(set(), "chrome of one site")
    store.commit()
    assert store.background_reasons([11, 13]) == {11: "shared by different stories", 13: "shared by different stories"}
    assert store.background() == {11, 12, 13}
    store.close()


def test_rebuild_replaces_tables_of_the_earlier_layout(tmp_path):
    write_old_layout(tracked(":memory:").store, tmp_path / "catalog.sqlite")
    (tmp_path / "warc").mkdir()
    tracker = rebuild(tmp_path, encoder="none")
    tables = {name for (name,) in tracker.store.db.execute("SELECT name FROM sqlite_master")}
    assert "story_sentences" not in tables and "story_keys" in tables
    assert tracker.store.doc_count() == 0  # no WARCs here: nothing to track


def test_a_conversion_that_fails_leaves_the_earlier_tables_as_they_were(tmp_path):
    path = tmp_path / "old.sqlite"
    write_old_layout(tracked(":memory:").store, path)
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE broken AS SELECT * FROM story_docs")  # a row the new table refuses
    db.execute("DROP TABLE story_docs")
    db.execute("ALTER TABLE broken RENAME TO story_docs")
    db.execute("UPDATE story_docs SET words = NULL WHERE doc_id = 'park'")
    db.commit()
    before = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("story_docs", "story_sentences", "story_bands", "story_anchors")}
    db.close()
    with pytest.raises(sqlite3.IntegrityError):
        SQLiteStore(path)
    db = sqlite3.connect(path)
    assert {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before} == before
    assert not any(name.endswith("_old") for (name,) in db.execute("SELECT name FROM sqlite_master"))


def _catalog_of_version_2(root, story_source: SQLiteStore) -> None:
    """An archive's catalog as schema version 2 left it: capture tables of that version, story
    tables in whatever layout the story store last wrote (here the per-sentence one)."""
    _write_archive(root)
    db = sqlite3.connect(catalog_path(root))
    for table in STORY_TABLES:
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    write_old_layout(story_source, catalog_path(root))


@pytest.mark.parametrize("first", ["catalog", "stories"])
def test_an_archive_with_story_tables_of_the_previous_layout_migrates_once(tmp_path, caplog, first):
    current = tracked(":memory:")
    expected = contents(current.store)
    _catalog_of_version_2(tmp_path, current.store)
    captures = sorted(tuple(r) for r in sqlite3.connect(catalog_path(tmp_path)).execute("SELECT * FROM captures"))
    opens = {"catalog": lambda: open_catalog(tmp_path), "stories": lambda: open_story_store(tmp_path)}
    with caplog.at_level(logging.INFO, logger="archive.catalog"):
        opened = opens[first]()
        assert opened.schema_found == 2
        opened.close()
        stores = [open_story_store(tmp_path), open_catalog(tmp_path)]
    assert [s.schema_found for s in stores] == [SCHEMA_VERSION, SCHEMA_VERSION]  # nothing left to migrate
    assert sum("compact layout" in r.getMessage() for r in caplog.records) == 1
    store, catalog = stores
    assert contents(store) == expected
    assert sorted(tuple(r) for r in catalog.db.execute("SELECT * FROM captures")) == captures
    tables = {name for (name,) in store.db.execute("SELECT name FROM sqlite_master")}
    assert "story_sentences" not in tables and not any(t.endswith("_old") for t in tables)
    store.close()
    catalog.close()


def test_the_story_store_opening_an_earlier_catalog_reads_capture_kinds_back(tmp_path):
    _write_archive(tmp_path)
    _as_earlier_layout(tmp_path, history_tables=True)
    tracker = open_tracker(tmp_path, with_encoder=False)
    assert tracker.store.schema_found == 0
    tracker.close()
    catalog = open_catalog(tmp_path)
    assert catalog.schema_found == SCHEMA_VERSION
    assert [row["kind"] for row in catalog.captures()] == ["article", "feed"]  # the feed read from its record
    catalog.close()


def test_candidate_postings_are_read_within_the_date_window(tmp_path, catalog_backend):
    """A verbatim copy published within ``candidate_days`` is compared and linked; the same copy
    published two months later is not even a candidate (postings are read by date window, so
    an add costs the same at any archive size); an undated copy is compared with every date."""
    from archive.catalog.stories_schema import day_number

    tracker = StoryTracker(open_story_store(tmp_path, catalog_backend), encoder=None)
    tracker.add(Document("tram", "https://a.test/tram", ANA, published="2026-03-02T10:00:00Z"))
    tracker.add(Document("near", "https://b.test/tram", ANA, published="2026-03-15T10:00:00Z"))
    tracker.add(Document("far", "https://c.test/tram", ANA, published="2026-05-02T10:00:00Z"))
    tracker.add(Document("undated", "https://d.test/tram", ANA))
    pairs = {(a, b) for a, b, _ in tracker.store.pairs()}
    assert ("near", "tram") in pairs and ("far", "tram") not in pairs and ("far", "near") not in pairs
    assert {("tram", "undated"), ("near", "undated"), ("far", "undated")} <= pairs
    store = tracker.store
    keys = [s.key for s in store.sentences("tram")]
    day = day_number("2026-03-02T10:00:00Z")
    assert set(store.docs_sharing_keys(keys, (day - 14, day + 14))) == {"tram", "near", "undated"}
    assert set(store.docs_sharing_keys(keys)) == {"tram", "near", "far", "undated"}
    posted = store.anchor_postings(fingerprint(ANA).anchors, (day + 60, day + 61))[sorted(fingerprint(ANA).anchors)[0]]
    assert set(store.doc_ids(posted).values()) == {"far", "undated"}
    assert [d.doc_id for d in store.docs()] == ["tram", "near", "far", "undated"]  # in the order kept
    tracker.close()


ANA_ES = ("Ana Ruiz, alcaldesa de Sevilla, inauguró el lunes una nueva línea de tranvía hasta el aeropuerto. "
          "Los comerciantes de Triana y Macarena se quejaron de los años de obras. "
          "Ana Ruiz viajó en el primer tranvía con escolares del barrio.")


def test_names_the_archive_has_used_for_years_are_rare_within_the_date_window(tmp_path, catalog_backend):
    """How common a name is, for candidates, is counted within the date window: a mayor named
    in more than ``anchor_max_df`` articles over the years still finds this week's translation
    by her name (an archive's age must not change what it links)."""
    from archive.catalog.stories_schema import day_number

    config = TrackerConfig(anchor_max_df=3)
    tracker = StoryTracker(open_story_store(tmp_path, catalog_backend), encoder=None, config=config)
    try:
        for n in range(config.anchor_max_df + 2):
            tracker.add(Document(f"last-year-{n}", f"https://archive{n}.test/park", OTHER,
                                 published="2025-03-02T10:00:00Z", language="en"))
        tracker.add(Document("tram", "https://a.test/tram", ANA, published="2026-03-02T10:00:00Z", language="en"))
        tracker.add(Document("tram-es", "https://b.test/tranvia", ANA_ES, published="2026-03-02T12:00:00Z",
                             language="es"))
        compared = {b if a == "tram-es" else a for a, b, _ in tracker.store.pairs("tram-es")}
        assert compared == {"tram"}
        store, day = tracker.store, day_number("2026-03-02T10:00:00Z")
        anchors = fingerprint(ANA_ES).anchors
        assert store.anchor_counts(["ruiz"]) == {"ruiz": config.anchor_max_df + 4}
        assert store.anchors_over(anchors, config.anchor_max_df, (day - 14, day + 14)) == set()
        assert store.anchors_over(anchors, config.anchor_max_df) == {"ana", "ruiz", "triana", "macarena"}
    finally:
        tracker.close()


def test_names_and_ids_with_quotes_backslashes_and_braces_are_kept_as_they_are(tmp_path, catalog_backend):
    """Array parameters go to PostgreSQL as literals: every character an array literal quotes
    must come back unchanged, on both back-ends."""
    from archive.catalog import DocInfo
    from archive.catalog.stories_schema import day_number

    odd = ['o"brien', "back\\slash", "a,b", "{braced}", "NULL", " spaced ", "d'arc", "\\\"", "北京"]
    store = open_story_store(tmp_path, catalog_backend)
    day = day_number("2026-03-02T10:00:00Z")
    try:
        for n, doc_id in enumerate(['id "one"', "id\\two", "id,{three}"]):
            fp = fingerprint(ANA)
            fp.anchors = set(odd[n::3]) | {"ana"}
            store.put_doc(DocInfo(doc_id, f"https://a.test/{n}", "a.test", "2026-03-02T10:00:00Z", "en",
                                  "Trams", False, fp.words), fp)
            store.commit()
        assert store.anchor_counts([*odd, "unknown"]) == dict.fromkeys(odd, 1)
        postings = store.anchor_postings([*odd, "ana"], (day - 1, day + 1))
        assert set(postings) == {*odd, "ana"} and len(postings["ana"]) == 3
        names = store.doc_ids(postings["ana"])
        assert sorted(names.values()) == sorted(['id "one"', "id\\two", "id,{three}"])
        assert set(store.docs_of([*names.values(), "absent"])) == set(names.values())
        assert {d: len(s) for d, s in store.sentences_of(names.values()).items()} == dict.fromkeys(
            names.values(), len(fingerprint(ANA).sentences))
        assert store.anchors_over(odd, 0, (day - 1, day + 1)) == set(odd)
    finally:
        store.close()


def _checkpoint_threads(under) -> list:
    """The checkpoint threads of files under ``under`` (this test's: a store another test left
    open is not counted)."""
    import threading
    return [t for t in threading.enumerate() if t.name.startswith("wal-checkpoints") and str(under) in t.name]


def test_the_wal_is_checkpointed_beside_the_adds_and_the_thread_ends_with_the_store(tmp_path):
    """Adds do not wait for WAL checkpoints: a thread copies the WAL into the file every few
    commits; the store's own connection checkpoints only past the backstop."""
    from archive.catalog.sqlite_checkpoint import BACKSTOP_PAGES, CHECKPOINT_EVERY

    store = open_story_store(tmp_path, None)
    tracker = StoryTracker(store, encoder=None)
    for n in range(CHECKPOINT_EVERY + 2):
        tracker.add(Document(f"tram-{n}", f"https://a{n}.test/tram", ANA + f"\n\nTram line {n} opened in 19{n}0.",
                             published="2026-03-02T10:00:00Z"))
    assert store._checkpoints.idle.wait(timeout=60)
    assert store.stats["wal_checkpoints"] >= 2 and not store.stats["wal_checkpoint_failed"]
    assert store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
    assert len(_checkpoint_threads(tmp_path)) == 1
    tracker.close()
    assert _checkpoint_threads(tmp_path) == []
    reopened = open_story_store(tmp_path, None)
    assert len(list(reopened.docs())) == CHECKPOINT_EVERY + 2
    reopened.close()


def test_a_checkpoint_thread_that_cannot_open_the_file_is_counted_and_said(tmp_path, caplog):
    import sqlite3
    from collections import Counter

    from archive.catalog.sqlite_checkpoint import BackgroundCheckpoints

    stats: Counter = Counter()
    checkpoints = BackgroundCheckpoints(sqlite3.connect(":memory:"), str(tmp_path / "gone" / "catalog.sqlite"),
                                        stats, every=2)
    checkpoints.committed()
    assert _checkpoint_threads(tmp_path) == []  # no thread before the first checkpoint is due
    with caplog.at_level(logging.WARNING, logger="archive.catalog.sqlite_checkpoint"):
        checkpoints.committed()
        assert checkpoints.idle.wait(timeout=60)
        checkpoints.close()
    assert stats == Counter(wal_checkpoint_failed=1)
    assert "WAL checkpoint of" in caplog.text and "gone" in caplog.text


def test_the_catalog_writer_of_the_same_file_leaves_checkpoints_to_a_thread_too(tmp_path):
    """The story store and the catalog write one file: if only one left checkpoints to a thread,
    the other's commits would copy the first one's pages back (the crawl's, for the stories')."""
    from archive.catalog.sqlite import SQLiteCatalog
    from archive.catalog.sqlite_checkpoint import BACKSTOP_PAGES, CHECKPOINT_EVERY

    catalog = open_catalog(tmp_path)
    assert catalog.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == BACKSTOP_PAGES
    for _ in range(CHECKPOINT_EVERY):
        catalog.write(lambda c: c.set_warc_file("a.warc.gz", "imported", records=1, size=10, note="", job=None))
    assert catalog._checkpoints.idle.wait(timeout=60)
    assert catalog.stats["wal_checkpoints"] >= 1 and not catalog.stats["wal_checkpoint_failed"]
    catalog.close()
    assert _checkpoint_threads(tmp_path) == []
    reader = SQLiteCatalog(catalog_path(tmp_path), readonly=True)
    assert reader._checkpoints is None  # a reader writes nothing to copy back
    reader.close()
