"""A PostgreSQL database of the tests' own: created on 127.0.0.1:5432 (or $WIRECOPY_TEST_POSTGRES)
with a unique name and dropped afterwards; one schema per test inside it."""

from __future__ import annotations

import os
import uuid

SERVER = os.environ.get("WIRECOPY_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def require() -> bool:
    """Whether an unreachable server fails the tests rather than skipping them (set in CI)."""
    return os.environ.get("WIRECOPY_REQUIRE_POSTGRES", "") not in ("", "0")


def unreachable_reason() -> str | None:
    try:
        import psycopg
    except ImportError as exc:
        return f"psycopg is not installed ({exc}): pip install -e '.[test]'"
    try:
        with psycopg.connect(SERVER, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL server at {SERVER} ({str(exc).strip()})"


def create_database() -> str:
    import psycopg

    name = f"wirecopy_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return SERVER.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def unique_schema() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"
