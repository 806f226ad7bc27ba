"""Migrations apply on SQLite and PostgreSQL, are idempotent, and SQLite runs WAL with foreign keys."""

from __future__ import annotations

from sqlalchemy import inspect, text

from certprep.store import make_engine, upgrade
from certprep.store.migrate import current_revision, head_revision
from certprep.store.tables import metadata


def test_upgrade_creates_every_table_and_is_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        tables = set(inspect(engine).get_table_names())
        assert set(metadata.tables) <= tables
    finally:
        engine.dispose()


def test_sqlite_pragmas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{tmp_path / 'x' / 'db.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_the_attempt_state_is_compressed_with_lz4_on_postgresql(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        if engine.dialect.name != "postgresql":
            return  # SQLite stores the state as it is
        with engine.connect() as conn:
            if not conn.execute(
                text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
            ).scalar():
                return  # a server without lz4 keeps its default
            method = conn.execute(
                text(
                    "SELECT attcompression FROM pg_attribute "
                    "WHERE attrelid = 'attempts'::regclass AND attname = 'state'"
                )
            ).scalar()
        assert method == "l"
    finally:
        engine.dispose()
