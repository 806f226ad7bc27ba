"""The session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS; only a hash is stored."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from certprep.services.sessions import TOUCH_INTERVAL
from certprep.store.tables import sessions
from tests.web.conftest import Site, csrf_token, signed_in

pytestmark = pytest.mark.anyio


def _flags(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";")]
    out = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        out[key.lower()] = value
    return out


async def test_cookie_flags_over_http(local_site: Site) -> None:
    response = await local_site.client().get("/exams")  # a page with forms: a session for their token
    header = response.headers["set-cookie"]
    assert header.startswith("certprep_session=")
    flags = _flags(header)
    assert "httponly" in flags and flags["samesite"] == "Lax" and flags["path"] == "/"
    assert "secure" not in flags  # plain HTTP: a Secure cookie would never come back
    assert int(flags["max-age"]) > 0


async def test_cookie_is_secure_over_https(local_site: Site) -> None:
    response = await local_site.client(base_url="https://testserver").get("/exams")
    flags = _flags(response.headers["set-cookie"])
    assert "secure" in flags and "httponly" in flags and flags["samesite"] == "Lax"


async def test_forwarded_proto_alone_is_not_trusted_in_process(local_site: Site) -> None:
    # Behind a proxy, uvicorn's proxy-headers middleware turns X-Forwarded-Proto into the scheme
    # for trusted proxies only (FORWARDED_ALLOW_IPS); the app itself reads only the scheme.
    response = await local_site.client().get("/exams", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in _flags(response.headers["set-cookie"])


async def test_signed_in_cookie_flags_and_sign_out_clears_it(multi_site: Site) -> None:
    client = await signed_in(multi_site, "ada", ip="10.1.1.1")
    token = await csrf_token(client)
    response = await client.delete("/api/session", headers={"X-CSRF-Token": token})
    flags = _flags(response.headers["set-cookie"])
    assert flags["max-age"] == "0" and "httponly" in flags


async def test_only_the_token_hash_is_stored(local_site: Site) -> None:
    client = local_site.client()
    await csrf_token(client)
    token = client.cookies["certprep_session"]
    with local_site.app.engine.connect() as conn:
        stored = conn.execute(select(sessions.c.token_hash)).scalars().all()
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


async def test_a_page_reuses_its_session(local_site: Site) -> None:
    client = local_site.client()
    first = await client.get("/exams")
    assert "set-cookie" in first.headers
    second = await client.get("/attempts")
    assert "set-cookie" not in second.headers


async def test_last_seen_is_written_once_per_touch_interval(multi_site: Site) -> None:
    client = await signed_in(multi_site, "ada", ip="10.1.1.2")

    def last_seen() -> object:
        with multi_site.app.engine.connect() as conn:
            return conn.execute(select(sessions.c.last_seen_at).where(sessions.c.user_id.is_not(None))).scalar_one()

    signed_in_at = last_seen()
    multi_site.clock.advance(seconds=TOUCH_INTERVAL.total_seconds() - 1)
    assert (await client.get("/api/dashboard")).status_code == 200
    assert last_seen() == signed_in_at  # a request inside the interval writes nothing
    multi_site.clock.advance(seconds=2)
    assert (await client.get("/api/dashboard")).status_code == 200
    assert last_seen() == multi_site.clock.now  # past it, the request records it was seen
