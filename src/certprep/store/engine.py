"""Engine factory: SQLite (WAL, foreign keys on) or PostgreSQL, chosen by the URL alone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

__all__ = ["make_engine", "write_transaction"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged answer survives a power cut, not only a crash of the process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """``engine.begin()`` for a transaction that writes: committed at the end, rolled back on an
    exception. On SQLite it starts with BEGIN IMMEDIATE, so its reads and its writes see one state
    (a second writer waits on SQLite's busy timeout, 10 s, then fails with "database is locked");
    PostgreSQL needs nothing more. Reads use a plain ``engine.connect()`` and never take this."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


def _json_dumps(value: Any) -> str:
    """JSON columns (an attempt's state is stored on every answer): orjson, several times faster
    than the standard library; keys that are not strings become strings, as json.dumps does."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def make_engine(url: str, *, pool_size: int | None = None, **kwargs: Any) -> Engine:
    """Create the engine for ``url``; for a SQLite file, create its folder first.

    ``pool_size``: connections kept open, and no more are opened: a caller that finds them all
    busy waits for one. SQLAlchemy's default (5, and up to 10 more that are closed as soon as they
    are returned) made a busy server open and close a connection every few requests, and a new
    PostgreSQL connection costs its server a process and a few milliseconds of CPU."""
    kwargs.setdefault("json_serializer", _json_dumps)
    kwargs.setdefault("json_deserializer", orjson.loads)
    parsed = make_url(url)
    in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
    if pool_size is not None and not in_memory:
        kwargs.update(pool_size=pool_size, max_overflow=0)
    if parsed.get_backend_name() == "sqlite":
        if not in_memory:
            Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine, "checkin", _mark_checkin)
        event.listen(engine, "checkout", _ping_if_idle)
    return engine


# A server connection that sat idle in the pool may be dead (the database restarted, a proxy
# dropped it): before reuse it is tested with a round trip, and replaced when it fails. One used
# less than PING_AFTER_IDLE_SECONDS ago is handed out as it is: SQLAlchemy's pool_pre_ping would
# add a round trip to every checkout, two per answer of an exam (the session read and the write),
# under load when no connection is idle for long. A connection that dies while in steady use shows
# up as an error of the statement that meets it, after which SQLAlchemy renews the whole pool.
PING_AFTER_IDLE_SECONDS = 2.0
_CHECKED_IN = "certprep_checked_in"


def _mark_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info[_CHECKED_IN] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    checked_in = record.info.get(_CHECKED_IN)
    if checked_in is not None and time.monotonic() - checked_in < PING_AFTER_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
        dbapi_connection.rollback()  # the connection is handed out outside a transaction, as it came
    except Exception as exc:
        # The pool discards this connection and checks out another (a new one if need be).
        raise DisconnectionError(f"a pooled connection was dead: {exc}") from exc
