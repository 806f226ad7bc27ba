"""Every HTML page has a JSON twin; errors are pages or ``{"detail": ...}``; OpenAPI; no CDN."""

from __future__ import annotations

import re

import pytest
from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute

from certprep.services import notes
from certprep.web.factory import ROUTERS
from tests.web.conftest import Site, first_question_id, post_json, signed_in
from tests.web.exam_helpers import act_ok, start

pytestmark = pytest.mark.anyio

ANONYMOUS_PAGES = {"/sign-in", "/sign-up"}


def _html_pages(router: APIRouter) -> set[str]:
    return {
        route.path
        for route in router.routes
        if isinstance(route, APIRoute)
        and "GET" in route.methods
        and route.response_class is HTMLResponse
        and not route.path.startswith("/api/")
    }


def test_every_area_declares_its_twins() -> None:
    for module in ROUTERS:
        assert _html_pages(module.router) == set(module.TWINS), module.__name__


async def test_every_html_page_has_a_json_twin(multi_site: Site) -> None:
    twins: dict[str, str] = multi_site.web.state.page_twins
    assert set(twins) == set().union(*(_html_pages(m.router) for m in ROUTERS))
    admin = await signed_in(multi_site, "boss", admin=True)
    anonymous = multi_site.client()
    qid = first_question_id(multi_site)
    report = await post_json(admin, f"/api/questions/{qid}/reports", {"category": "typo", "message": "x"})
    open_attempt = await start(admin, selection="fixed", form=1)
    done = await act_ok(admin, await start(admin, selection="drill", tasks=["1.1"], count=2), "submit")
    params = {"question_id": qid, "report_id": str(report.json()["id"]), "topic": "readiness"}
    pack = multi_site.app.pack  # the study pages' ids (routes/study.py)
    params["lesson_id"] = next((item.id for item in getattr(pack, "lessons", ())), "")
    params["sheet_id"] = next((item.id for item in getattr(pack, "cheatsheets", ())), "")
    admin_id = (await admin.get("/api/session")).json()["user"]["id"]
    params["question_id"] = sorted(notes.seen_questions(multi_site.app, admin_id))[0]  # a question page: seen ones
    openapi = (await admin.get("/api/openapi.json")).json()["paths"]
    for html_path, api_path in sorted(twins.items()):
        client = anonymous if html_path in ANONYMOUS_PAGES else admin
        finished = html_path.endswith(("/report", "/review"))
        params["attempt_id"] = done["id"] if finished else open_attempt["id"]
        html_url = html_path.format(**params)
        api_url = api_path.format(**params)
        page, data = await client.get(html_url), await client.get(api_url)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), html_url
        assert data.status_code == 200 and data.headers["content-type"] == "application/json", api_url
        assert api_path in openapi and html_path not in openapi
        # The same data: every short text value of the JSON's top level shows on the page.
        for key, value in data.json().items():
            if isinstance(value, str) and key not in ("csrf_token", "pack_root", "stem", "mode", "username_rule"):
                assert value in page.text, (html_url, key, value)


async def test_twins_show_the_same_records(multi_site: Site) -> None:
    admin = await signed_in(multi_site, "boss", admin=True)
    await signed_in(multi_site, "learner-one")
    users = (await admin.get("/api/admin/users")).json()["users"]
    page = (await admin.get("/admin/users")).text
    assert {u["username"] for u in users} == {"boss", "learner-one"}
    for user in users:
        assert user["username"] in page
    csrf = (await admin.get("/api/session")).json()["csrf_token"]
    assert f'value="{csrf}"' in (await admin.get("/exams")).text  # one session behind both


async def test_errors_are_pages_or_json(local_site: Site) -> None:
    client = local_site.client()
    page = await client.get("/no/such/page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "Not found" in page.text
    api = await client.get("/api/no/such/thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    negotiated = await client.get("/no/such/page", headers={"Accept": "application/json"})
    assert negotiated.json() == {"detail": "Not Found"}
    invalid_page = await client.get("/admin/reports?status=bogus")
    assert invalid_page.status_code == 422 and "Invalid input" in invalid_page.text and "status" in invalid_page.text
    invalid_api = await client.get("/api/admin/reports?status=bogus")
    assert invalid_api.status_code == 422 and invalid_api.json()["detail"][0]["loc"] == ["query", "status"]
    not_json = await post_json(client, f"/api/questions/{first_question_id(local_site)}/reports", None)
    assert not_json.status_code == 422


async def test_forbidden_is_a_page_or_json(multi_site: Site) -> None:
    learner = await signed_in(multi_site, "learner")
    page = await learner.get("/admin/users")
    assert page.status_code == 403 and "Not allowed" in page.text
    assert (await learner.get("/api/admin/users")).json() == {"detail": "this page is for administrators"}


async def test_openapi_document(local_site: Site) -> None:
    response = await local_site.client().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    for path in (
        "/api/session",
        "/api/dashboard",
        "/api/exams",
        "/api/attempts",
        "/api/attempts/{attempt_id}/actions",
        "/api/questions/{question_id}/reports",
        "/api/reports/{report_id}",
        "/api/admin/reports/{report_id}/resolve",
    ):
        assert path in paths, path
    assert not [p for p in paths if not (p.startswith("/api/") or p == "/healthz")]
    schema = document["components"]["schemas"]["ReportIn"]["properties"]["category"]
    assert "wrong-answer" in schema["enum"]


async def test_pages_load_nothing_from_other_servers(local_site: Site) -> None:
    client = local_site.client()
    page = await client.get("/")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith(("/", "#")) for s in sources), sources
    assert '<script src="/static/vendor/htmx.min.js' in page.text
    assert "<script>" not in page.text  # no inline script: the CSP allows files from this server only
    headers = page.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    htmx = await client.get("/static/vendor/htmx.min.js")
    assert htmx.status_code == 200 and 'version:"2.0.11"' in htmx.text
    assert (await client.get("/static/vendor/htmx.LICENSE")).status_code == 200
    for name in ("app.css", "app.js", "theme.js"):
        assert (await client.get(f"/static/{name}")).status_code == 200, name


async def test_page_structure_is_accessible(local_site: Site) -> None:
    page = (await local_site.client().get("/")).text
    assert page.index('class="skip-link" href="#main"') < page.index('<main id="main"')
    assert '<nav class="site-nav" aria-label="Main">' in page and "<header" in page and "<footer" in page
    assert '<a href="/" aria-current="page">Dashboard</a>' in page
    assert 'role="group" aria-label="Colour theme"' in page
    assert '<html lang="en">' in page and 'name="viewport"' in page
