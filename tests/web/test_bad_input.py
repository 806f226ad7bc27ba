"""Inputs that were server errors (issue 17) are 4xx with a plain message on both databases: a NUL
(or another control character) in any text or path parameter, report ids beyond the integer range,
a problem report's message of control characters only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.web.conftest import PASSWORD, Site, csrf_token, first_question_id, signed_in

pytestmark = pytest.mark.anyio

NUL = "\x00"


async def _admin(make_site: Any) -> tuple[Site, httpx.AsyncClient, str]:
    site: Site = make_site(multi_user=True)
    client = await signed_in(site, "ada", admin=True)
    return site, client, await csrf_token(client)


def _plain_4xx(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    if response.headers["content-type"].startswith("application/json"):
        detail = response.json()["detail"]
        text = detail if isinstance(detail, str) else " ".join(e["msg"] for e in detail)
        assert "Traceback" not in text and "sqlalchemy" not in text.lower()


async def test_nul_in_sign_in_and_sign_up(make_site: Any) -> None:
    site: Site = make_site(multi_user=True)
    client = site.client()
    token = await csrf_token(client)
    headers = {"X-CSRF-Token": token}
    for body in (
        {"username": f"ada{NUL}", "password": PASSWORD},
        {"username": NUL, "password": PASSWORD},
    ):
        response = await client.post("/api/session", json=body, headers=headers)
        _plain_4xx(response)
        assert response.status_code == 422 and "control characters" in response.text
    response = await client.post("/sign-in", data={"csrf_token": token, "username": f"a{NUL}da", "password": "x" * 8})
    _plain_4xx(response)
    response = await client.post(
        "/api/sign-up", json={"username": "bob", "password": PASSWORD, "display_name": f"Bob{NUL}"}, headers=headers
    )
    assert response.status_code == 422 and "control characters" in response.text
    form = {"csrf_token": token, "username": "bob", "password": PASSWORD, "password_again": PASSWORD}
    response = await client.post("/sign-up", data={**form, "display_name": f"B{NUL}b"})
    _plain_4xx(response)
    response = await client.post("/sign-up", data={**form, "username": f"b{NUL}ob"})
    _plain_4xx(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/attempts/a{nul}b"),
        ("GET", "/api/attempts/a{nul}b/report"),
        ("GET", "/api/attempts/a{nul}b/review"),
        ("POST", "/api/attempts/a{nul}b/retake-missed"),
        ("GET", "/attempts/a{nul}b"),
        ("GET", "/attempts/a{nul}b/finish"),
        ("GET", "/attempts/a{nul}b/report"),
        ("GET", "/api/cards/a{nul}b"),
        ("POST", "/api/cards/a{nul}b/rating"),
        ("POST", "/api/cards/a{nul}b/answer"),
        ("GET", "/api/lessons/a{nul}b"),
        ("GET", "/api/cheatsheets/a{nul}b"),
        ("GET", "/api/exams/a{nul}b/practice-exams"),
        ("GET", "/api/questions/a{nul}b/report"),
        ("POST", "/api/questions/a{nul}b/reports"),
        ("GET", "/api/attempts?exam=a{nul}b"),
        ("GET", "/api/progress?exam=a{nul}b"),
        ("GET", "/api/cards/queue?exam=a{nul}b"),
    ],
)
async def test_nul_in_a_path_or_query_parameter(make_site: Any, method: str, path: str) -> None:
    _site, client, token = await _admin(make_site)
    body = {"category": "unclear", "message": "x", "rating": 3, "expected_version": 0, "response": 0}
    response = await client.request(
        method, path.format(nul="%00"), headers={"X-CSRF-Token": token}, json=body if method == "POST" else None
    )
    _plain_4xx(response)


async def test_nul_in_report_fields(make_site: Any) -> None:
    site, client, token = await _admin(make_site)
    question = first_question_id(site)
    url = f"/api/questions/{question}/reports"
    headers = {"X-CSRF-Token": token}
    for body in (
        {"category": "unclear", "message": f"wrong{NUL}key"},
        {"category": "unclear", "message": "fine", "attempt_id": f"a{NUL}"},
        {"category": f"unclear{NUL}", "message": "fine"},
    ):
        response = await client.post(url, json=body, headers=headers)
        assert response.status_code == 422, response.text
    form = {"csrf_token": token, "category": "unclear", "message": f"wrong{NUL}key"}
    response = await client.post(f"/questions/{question}/reports", data=form)
    assert response.status_code == 422 and "control characters" in response.text
    response = await client.post(f"/questions/{question}/reports", data={**form, "message": "ok", "attempt_id": NUL})
    _plain_4xx(response)


@pytest.mark.parametrize("message", ["\x1f", "\x1c\x1d\x1e\x1f", " \x1f ", "\x00", "\x0b"])
async def test_a_report_message_of_control_characters_only(make_site: Any, message: str) -> None:
    site, client, token = await _admin(make_site)
    question = first_question_id(site)
    response = await client.post(
        f"/api/questions/{question}/reports",
        json={"category": "unclear", "message": message},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 422, response.text
    form = {"csrf_token": token, "category": "unclear", "message": message}
    response = await client.post(f"/questions/{question}/reports", data=form)
    assert response.status_code == 422, response.text


async def test_a_report_message_keeps_its_lines_and_tabs(make_site: Any) -> None:
    site, client, token = await _admin(make_site)
    response = await client.post(
        f"/api/questions/{first_question_id(site)}/reports",
        json={"category": "unclear", "message": "  line one\r\n\tline two\n"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 201 and response.json()["message"] == "line one\r\n\tline two"


@pytest.mark.parametrize("report_id", [2**31, 2**31 + 1, 2**63, 10**30, 0, -1, -(2**63)])
async def test_report_ids_beyond_the_integer_range(make_site: Any, report_id: int) -> None:
    _site, client, token = await _admin(make_site)
    for method, path in [
        ("GET", f"/api/reports/{report_id}"),
        ("GET", f"/reports/{report_id}"),
        ("POST", f"/api/admin/reports/{report_id}/resolve"),
        ("POST", f"/admin/reports/{report_id}/resolve"),
    ]:
        response = await client.request(method, path, headers={"X-CSRF-Token": token})
        assert response.status_code == 422, (path, response.text)
    response = await client.get("/api/reports/2147483647")  # the largest id is a plain miss
    assert response.status_code == 404
