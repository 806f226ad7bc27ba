"""The shortcut of the common exam action (web/shortcut.py): answered without the router and
without reading the session, with the route's answer; every case it does not settle (an ended
session, a wrong CSRF token, another user's attempt, a stale version, a touch due, an invalid body)
gets what the route gives, and nothing is written by the shortcut. SQLite and PostgreSQL, with
the app's lifespan running as under uvicorn."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select

from certprep import services
from certprep.services import exams
from certprep.services.accounts import TOUCH_INTERVAL, user_from_row
from certprep.store.tables import responses, sessions
from certprep.web.middleware import COOKIE_NAME
from tests.web.conftest import Site, csrf_token, signed_in
from tests.web.exam_helpers import key_presented, start, state

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def running(site: Site) -> AsyncIterator[None]:
    """The web app's lifespan (PostgreSQL's loop pool), as under uvicorn."""
    async with site.web.router.lifespan_context(site.web):
        yield


@pytest.fixture
def session_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens of every session read of a request (the route reads one; the shortcut none)."""
    reads: list[str] = []
    read = services.read_session_async

    async def counted(app: Any, token: str, now: Any) -> Any:
        reads.append(token)
        return await read(app, token, now)

    monkeypatch.setattr(services, "read_session_async", counted)
    return reads


class Tab:
    """A browser tab of the exam runner: its CSRF token read once, then actions posted with it."""

    def __init__(self, client: httpx.AsyncClient, csrf: str, view: dict[str, Any]) -> None:
        self.client, self.csrf, self.view = client, csrf, view

    async def post(self, kind: str, *, csrf: str | None = None, **fields: Any) -> httpx.Response:
        body = {"type": kind, "expected_version": self.view["version"], **fields}
        return await self.client.post(
            f"/api/attempts/{self.view['id']}/actions", json=body, headers={"X-CSRF-Token": csrf or self.csrf}
        )

    async def ok(self, kind: str, **fields: Any) -> httpx.Response:
        response = await self.post(kind, **fields)
        assert response.status_code == 200, response.text
        self.view = response.json()
        return response


async def _tab(client: httpx.AsyncClient) -> Tab:
    view = await start(client, selection="fixed", form=3)
    tab = Tab(client, await csrf_token(client), view)
    await tab.ok("navigate", index=1)  # the first action of an attempt: the route, which remembers it
    return tab


def _logged(site: Site, attempt_id: str) -> int:
    with site.app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(responses.c.attempt_id == attempt_id)).scalar_one())


@pytest.mark.parametrize("multi_user", [False, True], ids=["local", "accounts"])
async def test_the_common_action_is_answered_without_reading_the_session(
    make_site: Any, session_reads: list[str], multi_user: bool
) -> None:
    site: Site = make_site(multi_user=multi_user)
    async with running(site):
        client = await signed_in(site, "ada") if multi_user else site.client()
        tab = await _tab(client)
        routed = await tab.post("navigate", index=2, csrf="not-the-token")  # a refusal: the route's headers
        session_reads.clear()
        for index in range(2, 6):
            await tab.ok("navigate", index=index)
            answered = await tab.ok("answer", index=index, response=key_presented(site, tab.view["id"], index))
            await tab.ok("flag", index=index)
        assert session_reads == []  # twelve actions, no session read: the shortcut answered them all
        assert tab.view["answered"] == 4 and sum(p["flagged"] for p in tab.view["palette"]) == 4
        stored = state(site, tab.view["id"])
        assert stored.version == tab.view["version"] and len(stored.answers) == 4 and len(stored.flags) == 4
        assert _logged(site, tab.view["id"]) == 2 + 12  # start, the first navigate, then one event an action
        # The same answer as the route's: the view of the attempt, and the headers of every response.
        assert (await client.get(f"/api/attempts/{tab.view['id']}")).json() == tab.view
        assert answered.headers["content-type"] == "application/json"
        assert int(answered.headers["content-length"]) == len(answered.content)
        for name in ("content-security-policy", "x-frame-options", "x-content-type-options", "cache-control"):
            assert answered.headers[name] == routed.headers[name], name


async def test_a_session_ended_by_another_worker_stops_the_shortcut(multi_site: Site) -> None:
    """Signed out elsewhere (the row deleted, as another worker does): the write finds no live
    session, writes nothing, and the route refuses the request as it would any other."""
    async with running(multi_site):
        client = await signed_in(multi_site, "ada")
        tab = await _tab(client)
        await tab.ok("flag", index=1)
        with multi_site.app.transaction() as conn:
            conn.execute(delete(sessions))
        before = (state(multi_site, tab.view["id"]).version, _logged(multi_site, tab.view["id"]))
        refused = await tab.post("answer", index=1, response=0)
        assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
        assert (state(multi_site, tab.view["id"]).version, _logged(multi_site, tab.view["id"])) == before


async def test_a_wrong_csrf_token_another_users_attempt_and_a_stale_version_are_refused(multi_site: Site) -> None:
    async with running(multi_site):
        client = await signed_in(multi_site, "ada")
        tab = await _tab(client)
        stale = dict(tab.view)
        await tab.ok("flag", index=1)
        before = (state(multi_site, tab.view["id"]).version, _logged(multi_site, tab.view["id"]))

        forged = await tab.post("answer", index=1, response=0, csrf="x" * 43)
        assert forged.status_code == 403
        intruder = Tab(await signed_in(multi_site, "mallory"), "", tab.view)
        intruder.csrf = await csrf_token(intruder.client)
        assert (await intruder.post("answer", index=1, response=0)).status_code == 404
        old_tab = Tab(client, tab.csrf, stale)
        conflict = await old_tab.post("answer", index=1, response=0)
        assert conflict.status_code == 409 and "version" in conflict.json()["detail"]

        assert (state(multi_site, tab.view["id"]).version, _logged(multi_site, tab.view["id"])) == before
        await tab.ok("answer", index=1, response=0)  # the owner's tab goes on


async def test_with_accounts_on_a_session_of_the_local_profile_stays_anonymous(multi_site: Site) -> None:
    """A server switched to accounts: a browser still holding the local profile's session gets 401
    for the profile's attempt, also when this process remembers both."""
    app, now = multi_site.app, multi_site.clock.now
    local = user_from_row(services.local_user(app, now))
    token, session = services.start_session(app, local, now)
    async with running(multi_site):
        client = multi_site.client()
        client.cookies.set(COOKIE_NAME, token)
        view = exams.start_exam(
            app, local.id, exams.StartRequest(exam="MLA-C01", selection="fixed", form=3), now=now, rng=random.Random(7)
        )
        view = exams.act(app, local.id, view["id"], {"type": "flag"}, expected_version=view["version"], now=now)
        refused = await Tab(client, session.csrf_token, view).post("navigate", index=3)
        assert refused.status_code == 401
        assert state(multi_site, view["id"]).version == view["version"]


async def test_a_touch_due_goes_through_the_route_which_records_it(multi_site: Site, session_reads: list[str]) -> None:
    async with running(multi_site):
        client = await signed_in(multi_site, "ada")
        tab = await _tab(client)
        session_reads.clear()
        await tab.ok("flag", index=1)
        assert session_reads == []
        multi_site.clock.advance(seconds=TOUCH_INTERVAL.total_seconds() + 1)
        await tab.ok("unflag", index=1)
        assert len(session_reads) == 1  # read, and touched
        with multi_site.app.engine.connect() as conn:
            seen = conn.execute(select(sessions.c.last_seen_at)).scalars().all()
        assert seen == [multi_site.clock.now]
        await tab.ok("flag", index=1)
        assert len(session_reads) == 1  # touched just now: the shortcut again


async def test_a_body_the_shortcut_does_not_settle_reaches_the_route_whole(local_site: Site) -> None:
    async with running(local_site):
        client = local_site.client()
        tab = await _tab(client)
        invalid = await tab.post("answer", index=1, response=17)
        assert invalid.status_code == 422 and "invalid answer" in invalid.json()["detail"]
        broken = await client.post(
            f"/api/attempts/{tab.view['id']}/actions",
            content=b'{"type": "flag", "expected_version": ',
            headers={"X-CSRF-Token": tab.csrf, "Content-Type": "application/json"},
        )
        assert broken.status_code == 422 and broken.json()["detail"][0]["type"] == "json_invalid"
        deep = await client.post(
            f"/api/attempts/{tab.view['id']}/actions",
            content=b"[" * 10_000,  # deeper than Python's recursion limit: the route's 400, not a 500
            headers={"X-CSRF-Token": tab.csrf, "Content-Type": "application/json"},
        )
        assert deep.status_code == 400, deep.text
        extra = await tab.post("flag", index=1, colour="red")
        assert extra.status_code == 422 and extra.json()["detail"][0]["type"] == "extra_forbidden"
        assert state(local_site, tab.view["id"]).version == tab.view["version"]


async def _asgi_post(site: Site, path: str, chunks: list[bytes], headers: dict[str, str]) -> tuple[int, bytes]:
    """POST straight to the ASGI app, the body in several messages (as a server may deliver it)."""
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1} for i, chunk in enumerate(chunks)
    ]
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw_headers.append((b"content-length", str(sum(map(len, chunks))).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await site.web(scope, receive, send)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body


@pytest.mark.parametrize("valid", [True, False], ids=["settled", "replayed"])
async def test_a_body_in_several_messages_is_read_whole(local_site: Site, valid: bool) -> None:
    async with running(local_site):
        client = local_site.client()
        tab = await _tab(client)
        body = json.dumps({"type": "flag", "index": 2, "expected_version": tab.view["version"] if valid else "x"})
        chunks = [body[:10].encode(), body[10:25].encode(), body[25:].encode()]
        headers = {
            "cookie": f"{COOKIE_NAME}={client.cookies[COOKIE_NAME]}",
            "x-csrf-token": tab.csrf,
            "content-type": "application/json",
        }
        status, answer = await _asgi_post(local_site, f"/api/attempts/{tab.view['id']}/actions", chunks, headers)
        if valid:
            assert status == 200 and json.loads(answer)["palette"][2]["flagged"] is True
        else:  # the route read the same three messages: its own validation error
            assert status == 422 and json.loads(answer)["detail"][0]["loc"] == ["body", "expected_version"]
