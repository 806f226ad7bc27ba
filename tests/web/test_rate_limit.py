"""Sign-in rate limiting: 5 failures per username and address in 15 minutes, then 429 with Retry-After.

Failures live in the database (``login_attempts``), so every worker sees them; time comes from the
app's clock, which these tests move.
"""

from __future__ import annotations

import pytest

from certprep.services.accounts import MAX_FAILED_SIGN_INS, SIGN_IN_WINDOW
from tests.web.conftest import PASSWORD, Site, form_csrf, sign_in

pytestmark = pytest.mark.anyio


async def _fail(site: Site, client_ip: str = "10.0.0.1", times: int = MAX_FAILED_SIGN_INS) -> None:
    client = site.client(ip=client_ip)
    for _ in range(times):
        assert (await sign_in(client, "ada", "wrong password")).status_code == 401
        site.clock.advance(seconds=30)


async def test_locked_after_five_failures_until_the_window_passes(multi_site: Site) -> None:
    multi_site.create_user("ada")
    started = multi_site.clock.now
    await _fail(multi_site)
    client = multi_site.client(ip="10.0.0.1")
    locked = await sign_in(client, "ada", PASSWORD)  # even the right password
    assert locked.status_code == 429 and "too many failed sign-ins" in locked.json()["detail"]
    retry_after = int(locked.headers["retry-after"])
    expected = (started + SIGN_IN_WINDOW - multi_site.clock.now).total_seconds()
    assert expected <= retry_after <= expected + 1
    # Still locked one second before the first failure leaves the window...
    multi_site.clock.advance(seconds=retry_after - 2)
    assert (await sign_in(client, "ada", PASSWORD)).status_code == 429
    # ...and free once it has.
    multi_site.clock.advance(seconds=2)
    assert (await sign_in(client, "ada", PASSWORD)).status_code == 200


async def test_the_lock_is_per_username_and_address(multi_site: Site) -> None:
    multi_site.create_user("ada")
    multi_site.create_user("bob")
    await _fail(multi_site, client_ip="10.0.0.1")
    assert (await sign_in(multi_site.client(ip="10.0.0.1"), "ada", PASSWORD)).status_code == 429
    assert (await sign_in(multi_site.client(ip="10.0.0.2"), "ada", PASSWORD)).status_code == 200
    assert (await sign_in(multi_site.client(ip="10.0.0.1"), "bob", PASSWORD)).status_code == 200
    # The username is matched case-insensitively, like sign-in itself.
    assert (await sign_in(multi_site.client(ip="10.0.0.1"), "ADA", PASSWORD)).status_code == 429


async def test_a_success_clears_earlier_failures(multi_site: Site) -> None:
    multi_site.create_user("ada")
    await _fail(multi_site, times=MAX_FAILED_SIGN_INS - 1)
    client = multi_site.client(ip="10.0.0.1")
    assert (await sign_in(client, "ada", PASSWORD)).status_code == 200
    await _fail(multi_site, times=MAX_FAILED_SIGN_INS - 1)
    assert (await sign_in(multi_site.client(ip="10.0.0.1"), "ada", PASSWORD)).status_code == 200


async def test_unknown_usernames_are_limited_too(multi_site: Site) -> None:
    client = multi_site.client(ip="10.0.0.9")
    for _ in range(MAX_FAILED_SIGN_INS):
        assert (await sign_in(client, "ghost", "whatever1")).status_code == 401
    assert (await sign_in(client, "ghost", "whatever1")).status_code == 429


async def test_the_sign_in_form_shows_429_with_retry_after(multi_site: Site) -> None:
    multi_site.create_user("ada")
    await _fail(multi_site)
    client = multi_site.client(ip="10.0.0.1")
    token = form_csrf((await client.get("/sign-in")).text)
    page = await client.post("/sign-in", data={"csrf_token": token, "username": "ada", "password": PASSWORD})
    assert page.status_code == 429 and "text/html" in page.headers["content-type"]
    assert "too many failed sign-ins" in page.text and int(page.headers["retry-after"]) > 0
