"""Problem reports: validated, 404 on unknown questions, a form partial for htmx, admin resolution."""

from __future__ import annotations

import pytest

from certprep.services.reports import REPORT_CATEGORIES, REPORT_MESSAGE_MAX_LENGTH
from tests.web.conftest import Site, csrf_token, first_question_id, form_csrf, post_json, signed_in

pytestmark = pytest.mark.anyio


async def test_report_a_problem(local_site: Site) -> None:
    client = local_site.client()
    question = local_site.app.pack.question(first_question_id(local_site))
    url = f"/api/questions/{question.id}/reports"
    response = await post_json(client, url, {"category": "outdated", "message": "  The console moved.  "})
    assert response.status_code == 201
    report = response.json()
    assert report["question_id"] == question.id and report["question_revision"] == question.revision
    assert report["message"] == "The console moved." and report["status"] == "open"
    assert report["created_at"].startswith(local_site.clock.now.strftime("%Y-%m-%dT%H:%M"))
    named = await post_json(client, url, {"category": "typo", "message": "x", "revision": question.revision})
    assert named.status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"category": "nonsense", "message": "x"}, "category"),
        ({"message": "x"}, "category"),
        ({"category": "typo", "message": "   "}, "message"),
        ({"category": "typo"}, "message"),
        ({"category": "typo", "message": "x" * (REPORT_MESSAGE_MAX_LENGTH + 1)}, "message"),
        ({"category": "typo", "message": "x", "revision": 0}, "revision"),
    ],
)
async def test_invalid_reports_are_422(local_site: Site, body: dict[str, object], field: str) -> None:
    url = f"/api/questions/{first_question_id(local_site)}/reports"
    response = await post_json(local_site.client(), url, body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(field in error["loc"] for error in detail) and all("input" not in e for e in detail)


async def test_unknown_question_or_revision_is_404(local_site: Site) -> None:
    client = local_site.client()
    missing = await post_json(client, "/api/questions/no-such-question/reports", {"category": "typo", "message": "x"})
    assert missing.status_code == 404 and missing.json() == {"detail": "question not found"}
    url = f"/api/questions/{first_question_id(local_site)}/reports"
    revision = await post_json(client, url, {"category": "typo", "message": "x", "revision": 99})
    assert revision.status_code == 404 and revision.json() == {"detail": "question revision not found"}
    assert (await client.get("/questions/no-such-question/report")).status_code == 404
    assert (await client.get("/api/questions/no-such-question/report")).status_code == 404


async def test_the_form_partial_for_htmx(local_site: Site) -> None:
    client = local_site.client()
    qid = first_question_id(local_site)
    htmx = {"HX-Request": "true"}
    partial = await client.get(f"/questions/{qid}/report", headers=htmx)
    assert partial.status_code == 200 and "<html" not in partial.text
    assert f'hx-post="/questions/{qid}/reports"' in partial.text
    for category in REPORT_CATEGORIES:
        assert f'value="{category}"' in partial.text
    token = form_csrf(partial.text)
    thanks = await client.post(
        f"/questions/{qid}/reports", data={"csrf_token": token, "category": "typo", "message": "Typo."}, headers=htmx
    )
    assert thanks.status_code == 201 and "<html" not in thanks.text and "Thank you: report #1" in thanks.text
    invalid = await client.post(
        f"/questions/{qid}/reports", data={"csrf_token": token, "category": "typo", "message": " "}, headers=htmx
    )
    assert invalid.status_code == 422 and "<html" not in invalid.text and 'aria-invalid="true"' in invalid.text
    page = await client.get(f"/questions/{qid}/report")
    assert "<html" in page.text and "Report a problem" in page.text


async def test_admins_list_and_resolve_reports(multi_site: Site) -> None:
    ada = await signed_in(multi_site, "ada")
    admin = await signed_in(multi_site, "boss", admin=True)
    url = f"/api/questions/{first_question_id(multi_site)}/reports"
    first = (await post_json(ada, url, {"category": "wrong-answer", "message": "B is right, not A."})).json()
    second = (await post_json(ada, url, {"category": "typo", "message": "Typo in D."})).json()
    listed = (await admin.get("/api/admin/reports")).json()
    assert listed["status"] == "open" and listed["open_count"] == 2
    assert [r["id"] for r in listed["reports"]] == [second["id"], first["id"]]
    assert {r["username"] for r in listed["reports"]} == {"ada"}
    page = await admin.get("/admin/reports")
    assert "B is right, not A." in page.text and "Mark resolved" in page.text

    resolved = await post_json(admin, f"/api/admin/reports/{first['id']}/resolve")
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    assert resolved.json()["resolved_at"] is not None
    token = await csrf_token(admin)
    form = await admin.post(f"/admin/reports/{second['id']}/resolve", data={"csrf_token": token})
    assert form.status_code == 303 and form.headers["location"] == "/admin/reports"
    assert (await admin.get("/api/admin/reports")).json()["reports"] == []
    every = (await admin.get("/api/admin/reports?status=all")).json()["reports"]
    assert {r["status"] for r in every} == {"resolved"}
    assert (await ada.get(f"/api/reports/{first['id']}")).json()["status"] == "resolved"
    assert (await post_json(admin, "/api/admin/reports/424242/resolve")).status_code == 404
    assert (await post_json(ada, f"/api/admin/reports/{first['id']}/resolve")).status_code == 403
