"""The loop pool: the web app's PostgreSQL statements on its event loop read and write what the
engine does, each in its own transaction, and a connection that died while idle is replaced."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import bindparam, func, select

from certprep.app import Certprep, open_app
from certprep.config import Settings
from certprep.services import accounts
from certprep.store import engine as engine_module
from certprep.store.loop_pool import LoopPool, open_loop_pool
from certprep.store.tables import sessions
from tests.conftest import NOW, POSTGRES_URL
from tests.store.test_engine import _terminate

pytestmark = pytest.mark.anyio


@pytest.fixture
def app(settings: Settings) -> Certprep:
    application = open_app(settings, now=NOW)
    yield application  # type: ignore[misc]
    application.close()


async def test_the_loop_pool_exists_on_postgresql_only_while_the_loop_runs(app: Certprep) -> None:
    postgres = app.engine.dialect.name == "postgresql"
    assert (open_loop_pool(app.engine) is not None) == postgres
    assert app.loop_pool is None
    async with app.async_lifetime():
        assert (app.loop_pool is not None) == postgres
    assert app.loop_pool is None


async def test_a_session_reads_the_same_over_the_loop_pool(app: Certprep) -> None:
    """Types converted as the engine converts them: aware UTC datetimes, booleans, the user."""
    user = accounts.create_user(app, "ada", "a long enough password", NOW)
    token, _ = accounts.start_session(app, user, NOW)
    later = NOW + timedelta(hours=2)
    async with app.async_lifetime():
        for when in (NOW, later):
            on_loop = await accounts.read_session_async(app, token, when)
            assert on_loop is not None and on_loop == accounts.read_session(app, token, when)
            assert on_loop.created_at.utcoffset() == timedelta(0) and on_loop.user == user
        assert await accounts.read_session_async(app, "not-a-token", NOW) is None
        assert await accounts.read_session_async(app, token, NOW + timedelta(days=400)) is None  # expired


@pytest.mark.skipif(not POSTGRES_URL, reason="needs CERTPREP_TEST_POSTGRES_URL")
async def test_each_statement_commits_and_a_connection_killed_while_idle_is_replaced(
    app: Certprep, monkeypatch: pytest.MonkeyPatch
) -> None:
    if app.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    _, session = accounts.start_session(app, None, NOW)
    pool = open_loop_pool(app.engine)
    assert isinstance(pool, LoopPool)
    await pool.open()
    try:
        delete = sessions.delete().where(sessions.c.id == bindparam("b_id")).returning(sessions.c.id)
        assert await pool.first(delete, {"b_id": session.id}) is not None
        with app.engine.connect() as conn:  # committed when first() returns: another connection sees it
            assert conn.execute(select(func.count()).select_from(sessions)).scalar_one() == 0
        assert await pool.first(delete, {"b_id": session.id}) is None
        pid_query = select(func.pg_backend_pid().label("pid"))
        pids = {row["pid"] for row in [await pool.first(pid_query, {}) for _ in range(20)] if row}
        for pid in pids:  # every connection of the pool, as a restart of the server would
            _terminate(int(pid))
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # they have been idle long enough
        again = await pool.first(pid_query, {})  # no error: a dead connection was found and replaced
        assert again is not None and again["pid"] not in pids
    finally:
        await pool.close()
