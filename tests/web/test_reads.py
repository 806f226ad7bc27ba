"""Plain reads take no write lock: a GET writes nothing (and on SQLite opens no BEGIN IMMEDIATE)
unless an attempt's deadline has passed and must be settled; and a process that holds SQLite's
write lock (a stuck CLI) stops no read of the server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Engine, event

from certprep.store import make_engine
from certprep.web.factory import ROUTERS
from tests.web.conftest import Site, signed_in
from tests.web.exam_helpers import act_ok, start

pytestmark = pytest.mark.anyio

WRITES = ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE")


@contextmanager
def writes_seen(engine: Engine) -> Iterator[list[str]]:
    """The writing statements (and SQLite's write transactions) the engine runs meanwhile."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            seen.append(statement.split("\n")[0])

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_get_requests_write_nothing_until_a_deadline_must_be_settled(multi_site: Site) -> None:
    client = await signed_in(multi_site, "ada", admin=True)
    view = await start(client, selection="fixed", form=1)
    view = await act_ok(client, view, "flag", index=0)
    pages = [
        f"/api/attempts/{view['id']}",
        f"/attempts/{view['id']}",
        f"/attempts/{view['id']}/finish",
        "/api/attempts",
        "/attempts",
        "/api/session",
        "/",
        "/exams",
        "/api/exams/MLA-C01/practice-exams",
        "/healthz",
    ]
    every_get = sorted(
        route.path
        for module in ROUTERS
        for route in module.router.routes
        if isinstance(route, APIRoute) and "GET" in route.methods and "{" not in route.path
    )
    assert len(every_get) > 20 and {"/progress", "/cards/review", "/api/cards/queue", "/admin"} <= set(every_get)
    with writes_seen(multi_site.app.engine) as seen:
        for page in pages:
            response = await client.get(page)
            assert response.status_code == 200, (page, response.text)
        for page in every_get:  # 303: the sign-in pages of a signed-in user redirect
            response = await client.get(page)
            assert response.status_code in (200, 303, 422), (page, response.text[:300])  # 422: .ics without a plan
    assert seen == []
    assert (await client.get(f"/api/attempts/{view['id']}")).json() == view  # the view is the stored state

    multi_site.clock.advance(hours=4)  # past the deadline: the first read settles the attempt, once
    with writes_seen(multi_site.app.engine) as seen:
        settled = (await client.get(f"/api/attempts/{view['id']}")).json()
        assert settled["status"] == "expired" and settled["version"] == view["version"] + 1
        assert any(s.startswith("UPDATE attempts") for s in seen)
        seen.clear()
        for page in (f"/api/attempts/{view['id']}", f"/api/attempts/{view['id']}/report", "/api/attempts"):
            assert (await client.get(page)).status_code == 200
    assert seen == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_process_holding_the_sqlite_write_lock_stops_no_read(local_site: Site) -> None:
    """Another process (the CLI, a script) sits in a write transaction: the server still answers
    its health check, an attempt, the list of attempts and pages at once; a write waits for it."""
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    await client.get("/")  # the session and the local profile exist before the lock is taken
    other = make_engine(local_site.app.engine.url.render_as_string(hide_password=False))
    try:
        with other.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            began = time.monotonic()
            for page in ("/healthz", f"/api/attempts/{view['id']}", f"/attempts/{view['id']}", "/api/attempts"):
                response = await asyncio.wait_for(client.get(page), timeout=5)
                assert response.status_code == 200, (page, response.text)
            assert time.monotonic() - began < 2
            conn.rollback()
    finally:
        other.dispose()
