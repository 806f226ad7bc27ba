"""The engine: a pooled PostgreSQL connection that died while idle is replaced unseen; reads of one
statement run in autocommit without leaving it on for the transactions after them; SQLite writers
of several processes queue on the lock file."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

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


@needs_postgres
def test_one_statement_runs_outside_a_transaction_and_leaves_none_behind() -> None:
    """The session read runs in autocommit (one round trip); the pooled connection it used goes
    back to transactions: a write that fails afterwards on that same connection is rolled back."""
    assert POSTGRES_URL is not None
    engine = make_engine(POSTGRES_URL, pool_size=1, max_overflow=0)
    try:
        with engine.begin() as conn:
            pid = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
        with engine_module.one_statement_engine(engine).connect() as conn:
            assert int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one()) == pid
            # after the statement the server holds no open transaction for this connection
            assert conn.connection.dbapi_connection.info.transaction_status.name == "IDLE"  # type: ignore[union-attr]
        with engine.connect() as conn:
            conn.execute(text("CREATE TEMP TABLE single_read_probe (x int)"))
            conn.commit()
        with pytest.raises(RuntimeError), engine.begin() as conn:
            assert int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one()) == pid
            conn.execute(text("INSERT INTO single_read_probe VALUES (1)"))
            raise RuntimeError("the transaction fails")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM single_read_probe")).scalar_one() == 0
    finally:
        engine.dispose()


def test_one_statement_on_sqlite_is_a_plain_connection(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x.db")
    try:
        assert engine_module.one_statement_engine(engine) is engine
    finally:
        engine.dispose()


def test_sqlite_writers_of_two_processes_queue_on_the_lock_file(tmp_path: Path) -> None:
    """Two engines on one file stand for two worker processes (each has its own descriptor of the
    lock file, so they exclude each other as processes do). The second writer finds SQLite
    locked and would fail at once (its busy timeout is 0) if it did not wait on the lock file."""
    url = f"sqlite:///{tmp_path}/w.db"
    first, second = make_engine(url), make_engine(url)
    event.listen(second, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA busy_timeout=0"))
    try:
        with first.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x int)")
        inside = threading.Event()

        def hold() -> None:
            with write_transaction(first) as conn:
                conn.exec_driver_sql("INSERT INTO t VALUES (1)")
                inside.set()
                time.sleep(0.3)

        holder = threading.Thread(target=hold)
        holder.start()
        assert inside.wait(10)
        with write_transaction(second) as conn:
            conn.exec_driver_sql("INSERT INTO t VALUES (2)")
        holder.join()
        with second.connect() as conn:
            assert conn.exec_driver_sql("SELECT x FROM t ORDER BY x").scalars().all() == [1, 2]
        assert (tmp_path / f"w.db{engine_module.WRITE_LOCK_SUFFIX}").exists()
    finally:
        first.dispose()
        second.dispose()
