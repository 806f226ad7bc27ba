"""Sign-up, sign-in, sign-out and the admin role, through forms and through the JSON API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import PASSWORD, Site, csrf_token, form_csrf, post_json, sign_in, signed_in

pytestmark = pytest.mark.anyio

ADMIN_PAGES = ["/admin/content", "/admin/reports", "/admin/users"]
ADMIN_API = ["/api/admin/content", "/api/admin/reports", "/api/admin/users"]


async def test_sign_up_with_the_form_signs_in(multi_site: Site) -> None:
    client = multi_site.client()
    page = await client.get("/sign-up")
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.text
    response = await client.post(
        "/sign-up",
        data={
            "csrf_token": form_csrf(page.text),
            "username": "Ada",
            "display_name": "Ada L.",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    dashboard = await client.get("/")
    assert dashboard.status_code == 200 and "Ada L." in dashboard.text
    user = (await client.get("/api/session")).json()["user"]
    assert user["username"] == "ada" and user["is_admin"] is False  # usernames are lower case


async def test_sign_up_with_json(multi_site: Site) -> None:
    client = multi_site.client()
    assert (await client.get("/api/sign-up")).json()["enabled"] is True
    response = await post_json(client, "/api/sign-up", {"username": "grace", "password": PASSWORD})
    assert response.status_code == 201 and response.json()["user"]["username"] == "grace"
    assert (await client.get("/api/dashboard")).status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"username": "ab", "password": PASSWORD}, 422, "3 to 32 characters"),
        ({"username": "bad name", "password": PASSWORD}, 422, "3 to 32 characters"),
        ({"username": "local", "password": PASSWORD}, 409, "already taken"),
        ({"username": "ok-name", "password": "short"}, 422, "at least 8"),
    ],
)
async def test_sign_up_refuses_bad_input(multi_site: Site, body: dict[str, str], status: int, needle: str) -> None:
    response = await post_json(multi_site.client(), "/api/sign-up", body)
    assert response.status_code == status and needle in response.json()["detail"]


async def test_sign_up_refuses_a_taken_username(multi_site: Site) -> None:
    multi_site.create_user("taken")
    response = await post_json(multi_site.client(), "/api/sign-up", {"username": "TAKEN", "password": PASSWORD})
    assert response.status_code == 409 and "already taken" in response.json()["detail"]


async def test_sign_up_form_errors_are_shown_on_the_form(multi_site: Site) -> None:
    client = multi_site.client()
    token = form_csrf((await client.get("/sign-up")).text)
    fields = {"csrf_token": token, "username": "eve", "password": PASSWORD, "password_again": "something else"}
    response = await client.post("/sign-up", data=fields)
    assert response.status_code == 422 and "the two passwords differ" in response.text
    assert 'aria-invalid="true"' in response.text and 'value="eve"' in response.text
    fields = {"csrf_token": token, "username": "x", "password": PASSWORD, "password_again": PASSWORD}
    response = await client.post("/sign-up", data=fields)
    assert response.status_code == 422 and "3 to 32 characters" in response.text


async def test_sign_up_can_be_turned_off(make_site: Any) -> None:
    site = make_site(multi_user=True, sign_up=False)
    client = site.client()
    assert (await client.get("/api/sign-up")).json()["enabled"] is False
    assert (await client.get("/api/session")).json()["sign_up"] is False
    page = await client.get("/sign-up")
    assert page.status_code == 200 and "Sign-up is turned off" in page.text and 'action="/sign-up"' not in page.text
    assert "/sign-up" not in (await client.get("/sign-in")).text
    response = await post_json(client, "/api/sign-up", {"username": "mallory", "password": PASSWORD})
    assert response.status_code == 403 and "turned off" in response.json()["detail"]
    token = await csrf_token(client)
    fields = {"csrf_token": token, "username": "mallory", "password": PASSWORD, "password_again": PASSWORD}
    form = await client.post("/sign-up", data=fields)
    assert form.status_code == 403 and "text/html" in form.headers["content-type"]
    # Accounts made by an administrator still sign in.
    site.create_user("invited")
    assert (await sign_in(client, "invited")).status_code == 200


async def test_wrong_password_and_unknown_user_look_the_same(multi_site: Site) -> None:
    multi_site.create_user("ada")
    client = multi_site.client()
    wrong = await sign_in(client, "ada", "not the password")
    unknown = await sign_in(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong username or password"}
    assert (await client.get("/api/dashboard")).status_code == 401


async def test_wrong_password_in_the_form(multi_site: Site) -> None:
    multi_site.create_user("ada")
    client = multi_site.client()
    token = form_csrf((await client.get("/sign-in")).text)
    response = await client.post(
        "/sign-in", data={"csrf_token": token, "username": "ada", "password": "nope nope", "next": "/exams"}
    )
    assert response.status_code == 401 and "wrong username or password" in response.text
    assert 'role="alert"' in response.text and 'value="ada"' in response.text
    response = await client.post(
        "/sign-in", data={"csrf_token": token, "username": "ada", "password": PASSWORD, "next": "/exams"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/exams"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "\\\\evil"])
async def test_sign_in_never_redirects_off_site(multi_site: Site, target: str) -> None:
    multi_site.create_user("ada")
    client = multi_site.client()
    token = form_csrf((await client.get("/sign-in")).text)
    response = await client.post(
        "/sign-in", data={"csrf_token": token, "username": "ada", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


async def test_sign_in_starts_a_new_session(multi_site: Site) -> None:
    multi_site.create_user("ada")
    client = multi_site.client()
    before_token = await csrf_token(client)
    before_cookie = client.cookies["certprep_session"]
    response = await client.post(
        "/api/session", json={"username": "ada", "password": PASSWORD}, headers={"X-CSRF-Token": before_token}
    )
    assert response.status_code == 200
    assert client.cookies["certprep_session"] != before_cookie  # no session fixation
    assert response.json()["csrf_token"] != before_token
    # The visitor's session is gone: its cookie no longer opens anything.
    stale = multi_site.client()
    stale.cookies.set("certprep_session", before_cookie)
    assert (await stale.get("/api/session")).json()["csrf_token"] != before_token
    # The old token no longer passes the CSRF check.
    refused = await client.delete("/api/session", headers={"X-CSRF-Token": before_token})
    assert refused.status_code == 403


async def test_sign_out(multi_site: Site) -> None:
    client = await signed_in(multi_site, "ada")
    token = await csrf_token(client)
    response = await client.delete("/api/session", headers={"X-CSRF-Token": token})
    assert response.status_code == 204
    assert (await client.get("/api/dashboard")).status_code == 401
    client = await signed_in(multi_site, "bob")
    page = await client.get("/")
    assert "Sign out" in page.text
    response = await client.post("/sign-out", data={"csrf_token": form_csrf(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"
    assert (await client.get("/")).status_code == 303


async def test_admin_pages_refuse_non_admins(multi_site: Site) -> None:
    learner = await signed_in(multi_site, "learner")
    for path in ADMIN_PAGES:
        page = await learner.get(path)
        assert page.status_code == 403 and "for administrators" in page.text, path
        assert "text/html" in page.headers["content-type"]
    for path in ADMIN_API:
        response = await learner.get(path)
        assert response.status_code == 403 and response.json() == {"detail": "this page is for administrators"}
    response = await post_json(learner, "/api/admin/reports/1/resolve")
    assert response.status_code == 403
    assert 'href="/admin/content"' not in (await learner.get("/")).text  # no Admin link in the nav


async def test_admin_pages_open_to_admins(multi_site: Site) -> None:
    admin = await signed_in(multi_site, "boss", admin=True)
    for path in ADMIN_PAGES + ADMIN_API:
        assert (await admin.get(path)).status_code == 200, path
    assert 'href="/admin/content"' in (await admin.get("/")).text
    redirect = await admin.get("/admin")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/admin/content"
