"""Web fixtures: an app per test over the fresh database of ``settings``, a movable clock,
in-process clients (httpx.ASGITransport) and helpers for sessions and accounts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI

from certprep import services
from certprep.app import Certprep, open_app
from certprep.config import Settings
from certprep.services import accounts
from certprep.web import build_web_app

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its defaults costs ~50 ms a hash; tests hash dozens of passwords."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_DUMMY_HASH", [])


class Clock:
    """The web app's clock (``web.state.clock``), moved by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Site:
    app: Certprep
    web: FastAPI
    clock: Clock
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, *, base_url: str = "http://testserver", ip: str = "127.0.0.1") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.web, client=(ip, 50000))
        client = httpx.AsyncClient(transport=transport, base_url=base_url)
        self.clients.append(client)
        return client

    def create_user(self, username: str, *, admin: bool = False, password: str = PASSWORD) -> services.User:
        return services.create_user(self.app, username, password, self.clock.now, is_admin=admin)


# One FastAPI app per process and request guards' settings: FastAPI builds each route's
# dependencies and validators on its first request, some 0.1-0.2 s of CPU per app, which a test
# paid again for every app it made. The routes hold nothing of the database or the user; what an
# app keeps for its life is in ``web.state``, reset to a fresh copy for each test (the test's
# ``Certprep`` and clock in it).
_WEB_APPS: dict[tuple[Any, ...], list[tuple[FastAPI, dict[str, Any]]]] = {}  # free apps by guard settings


def take_web_app(app: Certprep) -> tuple[FastAPI, tuple[Any, ...], dict[str, Any]]:
    """A FastAPI app over ``app`` (a free one built before for the same guard settings, else a
    new one): the app, its key and its fresh state, to give back with ``give_back_web_app``."""
    key = (tuple(app.settings.trusted_hosts()), app.settings.max_request_bytes)
    free = _WEB_APPS.setdefault(key, [])
    if free:
        web, fresh = free.pop()
    else:
        web = build_web_app(app)
        fresh = dict(web.state._state)
    web.state._state.clear()
    web.state._state.update(fresh)
    web.state.certprep = app
    return web, key, fresh


def give_back_web_app(web: FastAPI, key: tuple[Any, ...], fresh: dict[str, Any]) -> None:
    _WEB_APPS[key].append((web, fresh))


@pytest.fixture
def make_site(settings: Settings, database_url: str, database_prepared: bool, now: datetime) -> Iterator[Any]:
    """``make_site(multi_user=..., sign_up=..., pack_path=..., packs=...)`` -> a Site over the test
    database (with packs of its own, an empty database: the test's is synced with the bundled pack)."""
    opened: list[Certprep] = []
    taken: list[tuple[FastAPI, tuple[Any, ...], dict[str, Any]]] = []

    def make(
        *,
        multi_user: bool = False,
        sign_up: bool = True,
        pack_path: Path | None = None,
        packs: list[Path] | None = None,
    ) -> Site:
        # "testserver": the Host of the in-process clients, named as an operator names a server's own.
        update: dict[str, Any] = {
            "multi_user": multi_user,
            "sign_up": sign_up,
            "pack_path": pack_path,
            "packs": packs or [],
            "allowed_hosts": ["testserver"],
        }
        own_packs = pack_path is not None or bool(packs)
        if own_packs:
            update["database_url"] = database_url
        changed = settings.model_copy(update=update)
        ready = database_prepared and not own_packs
        app = open_app(changed, now=now, migrate=not ready, sync=not ready)
        opened.append(app)
        taken.append(take_web_app(app))
        web = taken[-1][0]
        clock = Clock(now)
        web.state.clock = clock
        return Site(app=app, web=web, clock=clock)

    yield make
    for app in opened:
        app.close()
    for web_app in taken:
        give_back_web_app(*web_app)


@pytest.fixture
def local_site(make_site: Any) -> Site:
    site: Site = make_site()
    return site


@pytest.fixture
def multi_site(make_site: Any) -> Site:
    site: Site = make_site(multi_user=True)
    return site


async def csrf_token(client: httpx.AsyncClient) -> str:
    """The session's CSRF token (GET /api/session starts a session if there is none)."""
    response = await client.get("/api/session")
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def form_csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token field in the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    token = await csrf_token(client)
    return await client.post(
        "/api/session", json={"username": username, "password": password}, headers={"X-CSRF-Token": token}
    )


async def signed_in(site: Site, username: str, *, admin: bool = False, ip: str = "127.0.0.1") -> httpx.AsyncClient:
    """A client signed in as a new user ``username``."""
    site.create_user(username, admin=admin)
    client = site.client(ip=ip)
    response = await sign_in(client, username)
    assert response.status_code == 200, response.text
    return client


async def post_json(client: httpx.AsyncClient, url: str, body: dict[str, Any] | None = None) -> httpx.Response:
    """POST with the session's CSRF token in the header."""
    token = await csrf_token(client)
    return await client.post(url, json=body or {}, headers={"X-CSRF-Token": token})


def first_question_id(site: Site) -> str:
    return sorted(q.id for q in site.app.pack.questions)[0]
