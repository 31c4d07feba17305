"""The PostgreSQL catalog keeps its tables' planner statistics current on a server with
autovacuum off (as this machine's): what every writer changed, as the server counts it."""

from __future__ import annotations

import psycopg
import pytest

from archive.catalog import CatalogOptions, open_catalog, pg_maintenance
from test_catalog_backends import capture


def pg_options(pg_url: str) -> CatalogOptions:
    import pg_support

    return CatalogOptions(catalog_url=pg_url, catalog_schema=pg_support.unique_schema())


def table_state(pg_url: str, schema: str) -> dict[str, tuple[float, bool]]:
    """Table -> (rows the server last counted, vacuumed yet)."""
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT s.relname, c.reltuples, s.last_vacuum IS NOT NULL FROM pg_stat_user_tables s"
                            " JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = %s", (schema,)).fetchall()
    return {name: (counted, vacuumed) for name, counted, vacuumed in rows}


def closed_and_counted(catalog, pg_url: str) -> None:
    """Close ``catalog``; its connections report what they changed to the server's statistics as
    they end, before they leave pg_stat_activity."""
    name = f"catalog-{catalog.schema}"[:63]
    catalog.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for _ in range(10_000):
            if not conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                                (name,)).fetchone()[0]:
                return
            conn.execute("SELECT pg_sleep(0.01)")
    pytest.fail("the catalog's connections did not end")


def test_tables_that_doubled_are_vacuumed_and_analyzed_by_a_writer(tmp_path, pg_url, monkeypatch):
    monkeypatch.setattr(pg_maintenance, "MAINTAIN_FROM", 10)
    monkeypatch.setattr(pg_maintenance, "CHECK_EVERY", 10**6)
    options = pg_options(pg_url)
    catalog = open_catalog(tmp_path, options)
    for n in range(30):  # another writer's rows: not this process's to count
        catalog.write(lambda c, n=n: c.add_capture(capture(n % 60, f"http://n.test/{n}", offset=n * 1000)))
    assert catalog.stats["maintained"] == 0
    closed_and_counted(catalog, pg_url)
    assert not table_state(pg_url, options.catalog_schema)["captures"][1]

    monkeypatch.setattr(pg_maintenance, "CHECK_EVERY", 1)
    catalog = open_catalog(tmp_path, options)
    catalog.write(lambda c: c.add_capture(capture(59, "http://n.test/late", offset=10**6)))
    catalog.join_maintenance()  # it runs beside the writes
    state = table_state(pg_url, options.catalog_schema)
    assert catalog.stats["maintained"] == 1 and catalog.stats["maintain_failed"] == 0
    assert state["captures"] == (31, True)
    assert not state["versions"][1] and not state["revisits"][1]  # no rows changed there: not due
    catalog.write(lambda c: c.add_capture(capture(58, "http://n.test/later", offset=2 * 10**6)))
    catalog.join_maintenance()
    assert catalog.stats["maintained"] == 1  # one row since: not doubled
    catalog.close()


def test_one_writer_at_a_time_maintains_the_tables(tmp_path, pg_url, monkeypatch):
    monkeypatch.setattr(pg_maintenance, "MAINTAIN_FROM", 1)
    options = pg_options(pg_url)
    catalog = open_catalog(tmp_path, options)
    catalog.write(lambda c: c.add_capture(capture(1)))
    closed_and_counted(catalog, pg_url)
    with psycopg.connect(pg_url, autocommit=True) as holder, psycopg.connect(pg_url, autocommit=True) as writer:
        holder.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"wirecopy-maintenance:{options.catalog_schema}",))
        assert pg_maintenance.vacuum_analyze_due(writer, options.catalog_schema, ["captures"]) is None
        assert not table_state(pg_url, options.catalog_schema)["captures"][1]
        holder.execute("SELECT pg_advisory_unlock_all()")
        assert pg_maintenance.vacuum_analyze_due(writer, options.catalog_schema, ["captures"]) == ["captures"]
        assert pg_maintenance.vacuum_analyze_due(writer, options.catalog_schema, ["captures"]) == []
    assert table_state(pg_url, options.catalog_schema)["captures"] == (1, True)
