"""Engine factory: SQLite (WAL, foreign keys on) or PostgreSQL, chosen by the URL alone."""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["make_engine", "one_statement_engine", "write_transaction"]

# SQLite takes one writer at a time. Writers that meet SQLite's busy handler sleep and retry (1,
# 2, 5 ... 100 ms), which made the latency of concurrent answers jump to seconds; so writers
# queue on locks instead, which wake the next writer as soon as the last one is done: a thread
# lock per engine (the writers of this process take turns) and, for a database file, an advisory
# lock on a file beside it (held by one process at a time: the workers of `serve --workers`, the
# CLI). The file lock needs fcntl (not on Windows, where other processes' writers wait on the
# busy timeout as before).
_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, tuple[threading.Lock, int | None]] = weakref.WeakKeyDictionary()
_WRITE_LOCKS_GUARD = threading.Lock()
WRITE_LOCK_SUFFIX = "-writer.lock"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged answer survives a power cut, not only a crash of the process.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _write_locks(engine: Engine) -> tuple[threading.Lock, int | None] | None:
    """The thread lock and the lock file's descriptor (None: in memory, or no fcntl) of a SQLite
    engine; None for other databases."""
    if engine.dialect.name != "sqlite":
        return None
    with _WRITE_LOCKS_GUARD:
        locks = _WRITE_LOCKS.get(engine)
        if locks is None:
            database = engine.url.database
            fd = None
            if fcntl is not None and database and database != ":memory:":
                fd = os.open(f"{database}{WRITE_LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT, 0o600)
                weakref.finalize(engine, os.close, fd)
            locks = _WRITE_LOCKS[engine] = (threading.Lock(), fd)
        return locks


@contextmanager
def _file_lock(fd: int | None) -> Iterator[None]:
    if fd is None or fcntl is None:
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """``engine.begin()`` for a transaction that writes: committed at the end, rolled back on an
    exception. On SQLite the writers take turns (the locks above) and the transaction starts
    with BEGIN IMMEDIATE, so its reads and its writes see one state. PostgreSQL needs neither."""
    locks = _write_locks(engine)
    if locks is None:
        with engine.begin() as conn:
            yield conn
        return
    thread_lock, fd = locks
    with thread_lock, _file_lock(fd), engine.begin() as conn:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


def one_statement_engine(engine: Engine) -> Engine:
    """The engine for work of one statement (the session read of every request, the write of an
    answer): on PostgreSQL the same pool in autocommit, so the statement is its own transaction
    and costs one round trip instead of three (BEGIN, the statement, then COMMIT, or the ROLLBACK
    when the connection goes back to the pool); the connection leaves autocommit when it returns
    to the pool. SQLite works in process and gains nothing from it: the engine itself."""
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


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
