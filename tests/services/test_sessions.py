"""Sessions in a process's memory (``remembered_session``) and writes guarded by a session: the
memory is a shortcut that never outlives the row, and a guarded write needs the row live."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, update

from certprep.app import Certprep
from certprep.config import Settings
from certprep.services import accounts, exams
from certprep.store.tables import sessions
from tests.conftest import NOW

pytestmark = pytest.mark.anyio


def test_a_session_is_remembered_from_its_start_or_read_until_it_ends_or_is_due_a_touch(app: Certprep) -> None:
    user = accounts.create_user(app, "ada", "a long enough password", NOW)
    token, started = accounts.start_session(app, user, NOW)
    assert accounts.remembered_session(app, token, NOW) == started
    assert accounts.remembered_session(app, "another-token", NOW) is None
    assert accounts.remembered_session(app, "x" * 500, NOW) is None

    due = NOW + accounts.TOUCH_INTERVAL
    assert accounts.remembered_session(app, token, due - timedelta(seconds=1)) == started
    assert accounts.remembered_session(app, token, due) is None  # the full read, and its touch, come first
    read = accounts.read_session(app, token, due)
    assert read is not None and read.touch_due and read.token_hash == started.token_hash
    accounts.touch_session(app, read, due)
    remembered = accounts.remembered_session(app, token, due)
    assert remembered is not None and remembered.last_seen_at == due and not remembered.touch_due
    assert accounts.read_session(app, token, due) == remembered  # the memory holds what the row holds

    assert accounts.remembered_session(app, token, started.expires_at) is None  # expired
    accounts.end_session(app, token)
    assert accounts.remembered_session(app, token, due) is None


def test_another_process_reading_a_session_it_finds_ended_forgets_it(app: Certprep, settings: Settings) -> None:
    token, _ = accounts.start_session(app, None, NOW)
    with app.transaction() as conn:
        conn.execute(delete(sessions))  # ended by another worker: this one still remembers it
    assert accounts.remembered_session(app, token, NOW) is not None
    assert accounts.read_session(app, token, NOW) is None
    assert accounts.remembered_session(app, token, NOW) is None


async def test_a_write_guarded_by_a_session_happens_only_while_it_lives(app: Certprep, user: int) -> None:
    token, session = accounts.start_session(app, None, NOW)
    start = exams.StartRequest(exam="MLA-C01", selection="fixed", form=5)
    view = exams.start_exam(app, user, start, now=NOW, rng=random.Random(3))
    attempt = view["id"]
    view = exams.act(app, user, attempt, {"type": "flag", "index": 0}, expected_version=view["version"], now=NOW)

    async def flag_guarded(index: int, *, on_loop: bool = True) -> dict[str, Any] | None:
        """Flag item ``index`` the common way, guarded by ``session``; the attempt's view before it
        must be the view after it when nothing was written."""
        before = exams.attempt_view(app, user, attempt, now=NOW)
        action = {"type": "flag", "index": index}
        args = (app, user, attempt, action)
        if on_loop:
            done = await exams.act_if_known_async(*args, expected_version=before["version"], now=NOW, session=session)
        else:
            done = exams.act_if_known(*args, expected_version=before["version"], now=NOW, session=session)
        if done is None:
            assert exams.attempt_view(app, user, attempt, now=NOW) == before  # nothing written
        return done

    async with app.async_lifetime():
        done = await flag_guarded(1)
        assert done is not None and done["palette"][1]["flagged"]
        with app.transaction() as conn:  # the row says it has expired (whatever the memory holds)
            conn.execute(update(sessions).values(expires_at=NOW))
        assert await flag_guarded(3) is None
        # The same action without the guard is fine: the session's expiry alone stopped it.
        done = exams.attempt_view(app, user, attempt, now=NOW)
        exams.act(app, user, attempt, {"type": "flag", "index": 3}, expected_version=done["version"], now=NOW)
        with app.transaction() as conn:
            conn.execute(update(sessions).values(expires_at=NOW + timedelta(hours=1)))
        live = await flag_guarded(4, on_loop=False)
        assert live is not None and live["palette"][4]["flagged"]  # live again: written
        accounts.end_session(app, token)
        assert await flag_guarded(5, on_loop=False) is None
