"""The engine: a pooled PostgreSQL connection that died while idle is replaced unseen; SQLite
writers of several processes wait for each other on SQLite's busy timeout, readers for nobody."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from certprep.store import engine as engine_module
from certprep.store import make_engine, write_transaction
from tests.conftest import POSTGRES_URL

needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="needs CERTPREP_TEST_POSTGRES_URL")


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(pid: int) -> None:
    assert POSTGRES_URL is not None
    admin = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
    finally:
        admin.dispose()


@needs_postgres
def test_a_connection_killed_while_idle_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    assert POSTGRES_URL is not None
    engine = make_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    try:
        first = _backend_pid(engine)
        _terminate(first)  # as a restart of the server would
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # it has been idle long enough
        second = _backend_pid(engine)  # no error: the dead connection was found and replaced
        assert second != first
        with engine.begin() as conn:  # and the replacement works for a transaction
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
    finally:
        engine.dispose()


@needs_postgres
def test_a_connection_in_steady_use_is_not_pinged(monkeypatch: pytest.MonkeyPatch) -> None:
    """Within PING_AFTER_IDLE_SECONDS of its last use a connection is handed out without a round
    trip: killing it then shows up on the caller's own statement (the pool is then renewed)."""
    assert POSTGRES_URL is not None
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 3600.0)
    engine = make_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    try:
        _terminate(_backend_pid(engine))
        with pytest.raises(Exception, match=r"terminat|closed|connection"):
            _backend_pid(engine)
        assert _backend_pid(engine) > 0  # the next checkout gets a new connection
    finally:
        engine.dispose()


def test_a_sqlite_writer_waits_for_another_process_on_the_busy_timeout(tmp_path: Path) -> None:
    """Two engines on one file stand for two processes (a worker and the CLI): while one holds the
    write lock the other's write waits (SQLite's busy timeout) and then goes through; a read does
    not wait at all (WAL)."""
    url = f"sqlite:///{tmp_path}/w.db"
    first, second = make_engine(url), make_engine(url)
    try:
        with first.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x int)")
        inside, release = threading.Event(), threading.Event()

        def hold() -> None:
            with write_transaction(first) as conn:
                conn.exec_driver_sql("INSERT INTO t VALUES (1)")
                inside.set()
                release.wait(10)

        holder = threading.Thread(target=hold)
        holder.start()
        assert inside.wait(10)
        with second.connect() as conn:  # the committed state, at once
            assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar_one() == 0
        threading.Timer(0.3, release.set).start()
        began = time.monotonic()
        with write_transaction(second) as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        waited = time.monotonic() - began
        holder.join()
        assert 0.2 < waited < 5
        with second.connect() as conn:
            assert conn.exec_driver_sql("SELECT x FROM t ORDER BY x").scalars().all() == [1, 2]
        assert not list(tmp_path.glob("*.lock"))  # no lock file of our own beside the database
    finally:
        first.dispose()
        second.dispose()
