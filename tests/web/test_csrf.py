"""CSRF: every POST, PUT, PATCH and DELETE carries the session's token (form field or header)."""

from __future__ import annotations

import pytest

from tests.web.conftest import Site, csrf_token, first_question_id, form_csrf, signed_in

pytestmark = pytest.mark.anyio

REPORT = {"category": "typo", "message": "A typo in option B."}


async def test_json_change_refused_without_a_token_and_accepted_with_it(local_site: Site) -> None:
    client = local_site.client()
    url = f"/api/questions/{first_question_id(local_site)}/reports"
    token = await csrf_token(client)
    missing = await client.post(url, json=REPORT)
    assert missing.status_code == 403 and "CSRF" in missing.json()["detail"]
    wrong = await client.post(url, json=REPORT, headers={"X-CSRF-Token": token[:-2] + "xx"})
    assert wrong.status_code == 403
    ok = await client.post(url, json=REPORT, headers={"X-CSRF-Token": token})
    assert ok.status_code == 201


async def test_form_change_refused_without_a_token_and_accepted_with_it(local_site: Site) -> None:
    client = local_site.client()
    qid = first_question_id(local_site)
    page = await client.get(f"/questions/{qid}/report")
    token = form_csrf(page.text)
    missing = await client.post(f"/questions/{qid}/reports", data=REPORT)
    assert missing.status_code == 403
    assert "text/html" in missing.headers["content-type"] and "CSRF check failed" in missing.text
    ok = await client.post(f"/questions/{qid}/reports", data={**REPORT, "csrf_token": token})
    assert ok.status_code == 303 and ok.headers["location"].startswith("/reports/")
    # The header works for a form post too (htmx sends it from the page's hx-headers).
    ok = await client.post(f"/questions/{qid}/reports", data=REPORT, headers={"X-CSRF-Token": token})
    assert ok.status_code == 303


async def test_a_token_only_works_with_its_own_session(local_site: Site) -> None:
    first, second = local_site.client(), local_site.client()
    token = await csrf_token(first)
    await csrf_token(second)
    url = f"/api/questions/{first_question_id(local_site)}/reports"
    assert (await second.post(url, json=REPORT, headers={"X-CSRF-Token": token})).status_code == 403
    # Without any session cookie, a token (even a once-valid one) is worthless.
    bare = local_site.client()
    assert (await bare.post(url, json=REPORT, headers={"X-CSRF-Token": token})).status_code == 403


async def test_sign_in_and_sign_out_need_the_token(multi_site: Site) -> None:
    multi_site.create_user("ada")
    client = multi_site.client()
    await csrf_token(client)
    refused = await client.post("/api/session", json={"username": "ada", "password": "correct horse battery"})
    assert refused.status_code == 403
    form = await client.post("/sign-in", data={"username": "ada", "password": "correct horse battery"})
    assert form.status_code == 403
    signed = await signed_in(multi_site, "bob")
    assert (await signed.delete("/api/session")).status_code == 403
    assert (await signed.get("/api/dashboard")).status_code == 200  # still signed in


async def test_safe_methods_need_no_token(local_site: Site) -> None:
    client = local_site.client()
    for path in ("/", "/api/dashboard", "/api/session", "/api/openapi.json"):
        assert (await client.get(path)).status_code == 200, path
