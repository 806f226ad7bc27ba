"""A session (a row) is started only when one is needed: a page with a form, GET /api/session,
sign-in. Cookieless reads write nothing (issue 17: 3,000 GETs made 3,000 rows)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from certprep.store.tables import sessions
from tests.web.conftest import PASSWORD, Site, form_csrf

pytestmark = pytest.mark.anyio

# Pages and JSON reads without a form, and errors: none of them needs a CSRF token.
NO_FORM_LOCAL = [
    "/",
    "/attempts",
    "/progress",
    "/plan",
    "/lessons",
    "/cheatsheets",
    "/reports",
    "/api/admin/content",  # the page has a form (the upload of a question file): it starts a session
    "/api/dashboard",
    "/api/exams",
    "/api/attempts",
    "/api/progress",
    "/api/cards/queue",
    "/healthz",
    "/no-such-page",
    "/api/no-such-thing",
    "/attempts/no-such-attempt",
]
NO_FORM_MULTI = ["/", "/exams", "/attempts", "/api/dashboard", "/api/exams", "/healthz", "/no-such-page"]


def _rows(site: Site) -> int:
    with site.app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(sessions)).scalar_one())


async def test_cookieless_reads_write_no_session(local_site: Site) -> None:
    for path in NO_FORM_LOCAL + ["/", "/api/attempts"] * 50:
        client = local_site.client()  # a new client each time: no cookie
        response = await client.get(path)
        assert response.status_code < 500, path
        assert "set-cookie" not in response.headers, path
    assert _rows(local_site) == 0


async def test_cookieless_reads_write_no_session_with_accounts(multi_site: Site) -> None:
    for path in NO_FORM_MULTI * 5:
        response = await multi_site.client().get(path)
        assert response.status_code in (200, 303, 401, 404), path
        assert "set-cookie" not in response.headers, path
    assert _rows(multi_site) == 0


async def test_a_page_with_a_form_starts_one_session_and_its_form_works(local_site: Site) -> None:
    client = local_site.client()
    page = await client.get("/exams")
    assert page.status_code == 200 and "set-cookie" in page.headers
    assert _rows(local_site) == 1
    token = form_csrf(page.text)
    assert f'hx-headers=\'{{"X-CSRF-Token": "{token}"}}\'' not in page.text  # no session when the page began
    again = await client.get("/exams")  # the cookie comes back: the same session, now in the header too
    assert "set-cookie" not in again.headers and form_csrf(again.text) == token
    assert f'"X-CSRF-Token": "{token}"' in again.text
    started = await client.post(
        "/attempts", data={"csrf_token": token, "exam": "MLA-C01", "selection": "fixed", "form": "1"}
    )
    assert started.status_code == 303, started.text
    runner = await client.get(started.headers["location"])
    assert runner.status_code == 200 and form_csrf(runner.text) == token
    assert _rows(local_site) == 1


async def test_a_form_in_a_fragment_starts_the_session(local_site: Site) -> None:
    """The report form, fetched by htmx into a page that had no form, carries a working token."""
    client = local_site.client()
    assert "set-cookie" not in (await client.get("/")).headers
    question = sorted(q.id for q in local_site.app.pack.questions)[0]
    fragment = await client.get(f"/questions/{question}/report", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "set-cookie" in fragment.headers
    form: dict[str, Any] = {"csrf_token": form_csrf(fragment.text), "category": "unclear", "message": "typo"}
    filed = await client.post(f"/questions/{question}/reports", data=form, headers={"HX-Request": "true"})
    assert filed.status_code == 201, filed.text
    assert _rows(local_site) == 1


async def test_api_session_still_gives_a_token_that_works(local_site: Site) -> None:
    client = local_site.client()
    session = await client.get("/api/session")
    assert "set-cookie" in session.headers
    token = session.json()["csrf_token"]
    response = await client.post(
        "/api/attempts", json={"exam": "MLA-C01", "selection": "fixed", "form": 1}, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 201, response.text
    assert _rows(local_site) == 1


async def test_a_write_without_a_session_is_refused_and_starts_none(local_site: Site) -> None:
    response = await local_site.client().post("/api/attempts", json={"exam": "MLA-C01"})
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert _rows(local_site) == 0


async def test_sign_in_from_a_cookieless_visit(multi_site: Site) -> None:
    multi_site.create_user("ada")
    client = multi_site.client()
    redirect = await client.get("/exams")
    assert redirect.status_code == 303 and _rows(multi_site) == 0
    page = await client.get(redirect.headers["location"])
    assert page.status_code == 200 and _rows(multi_site) == 1  # the sign-in form needs its token
    form = {"csrf_token": form_csrf(page.text), "username": "ada", "password": PASSWORD, "next": "/exams"}
    signed = await client.post("/sign-in", data=form)
    assert signed.status_code == 303 and signed.headers["location"] == "/exams"
    exams = await client.get("/exams")
    assert exams.status_code == 200 and re.search(r"Signed in as ada", exams.text)
    assert _rows(multi_site) == 1  # the visitor's session was replaced, not kept
