"""User rows. Functions take a Connection; the caller (services) owns the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from certprep.store.tables import users

__all__ = ["LOCAL_USERNAME", "get_or_create_local"]

LOCAL_USERNAME = "local"


def get_or_create_local(conn: Connection, now: datetime) -> dict[str, Any]:
    row = conn.execute(select(users).where(users.c.username == LOCAL_USERNAME)).mappings().first()
    if row is not None:
        return dict(row)
    # Two workers may create it at once: insert-or-ignore, then read whichever row won.
    dialect_insert = postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        dialect_insert(users)
        .values(username=LOCAL_USERNAME, display_name="Local profile", is_admin=True, is_local=True, created_at=now)
        .on_conflict_do_nothing(index_elements=["username"])
    )
    return dict(conn.execute(select(users).where(users.c.username == LOCAL_USERNAME)).mappings().one())
