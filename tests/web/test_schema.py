"""Migration 0002 (sessions, login_attempts) matches the tables the web layer uses, both ways."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from certprep.store import make_engine, upgrade
from certprep.store.migrate import alembic_config
from certprep.store.tables import metadata

ACCOUNT_TABLES = {"sessions", "login_attempts"}


def _diff_on(tables: set[str], database_url: str) -> list[object]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, metadata)
    finally:
        engine.dispose()

    return [d for d in diffs if _table_of(d) in tables]


def _table_of(diff: Any) -> str | None:
    """The table a compare_metadata entry is about (its shape depends on the kind of change)."""
    if isinstance(diff, list):  # modify_* changes come as a list of tuples about one column
        diff = diff[0]
    kind, subject = diff[0], diff[1]
    if kind in ("add_table", "remove_table"):
        return str(subject.name)
    if kind in ("add_column", "remove_column") or kind.startswith("modify_"):
        return str(diff[2])
    if kind in ("add_fk", "remove_fk"):
        return str(subject.parent.name)
    table = getattr(subject, "table", None)  # indexes and constraints
    return str(table.name) if table is not None else None


def test_migration_0002_matches_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= ACCOUNT_TABLES
    finally:
        engine.dispose()
    assert _diff_on(ACCOUNT_TABLES, database_url) == []


def test_migration_0002_downgrades_and_upgrades_again(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        command.downgrade(alembic_config(engine), "0001")
        assert not ACCOUNT_TABLES & set(inspect(engine).get_table_names())
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= ACCOUNT_TABLES
    finally:
        engine.dispose()
