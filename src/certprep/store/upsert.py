"""Insert a row or update the one with the same key, in one statement on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

__all__ = ["upsert"]


def upsert(conn: Connection, table: Table, key: Mapping[str, Any], values: Mapping[str, Any]) -> None:
    """Insert ``key`` + ``values`` into ``table``, or set ``values`` on the row with that primary
    key (``INSERT ... ON CONFLICT DO UPDATE``: no race between two writers' first rows)."""
    insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(**key, **values)
    conn.execute(statement.on_conflict_do_update(index_elements=list(key), set_=dict(values)))
