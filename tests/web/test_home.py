"""The dashboard and exams pages and their JSON twins agree, served in-process."""

from __future__ import annotations

import os

import pytest

from tests.web.conftest import Site, form_csrf
from tests.web.exam_helpers import start

pytestmark = pytest.mark.anyio


async def test_dashboard_html_and_json_agree(local_site: Site) -> None:
    client = local_site.client()
    html, api = await client.get("/"), await client.get("/api/dashboard")
    assert html.status_code == 200 and api.status_code == 200
    data = api.json()
    exams = {e["code"]: e for e in data["exams"]}
    assert exams["MLA-C01"]["duration_minutes"] == 130 and exams["MLS-C01"]["status"] == "retired"
    for code, exam in exams.items():
        assert code in html.text and f"{exam['duration_minutes']} minutes" in html.text
        for domain in exam["domains"]:
            assert f"{domain['weight']}%" in html.text
        assert sum(d["weight"] for d in exam["domains"]) == 100
    assert data["user"]["is_local"] is True
    assert data["recent_attempts"] == [] and "No finished attempts yet" in html.text
    progress = {(p["exam"], p["id"]) for p in data["progress"]}
    assert progress == {(e["code"], d["id"]) for e in data["exams"] for d in e["domains"]}
    assert all(p["answers"] == 0 and p["text"].endswith("no answers yet") for p in data["progress"])


async def test_exams_html_and_json_agree(local_site: Site) -> None:
    client = local_site.client()
    html, api = await client.get("/exams"), await client.get("/api/exams")
    assert html.status_code == 200 and api.status_code == 200
    for exam in api.json()["exams"]:
        assert f"{exam['bank_questions']} questions in the bank" in html.text
        for domain in exam["domains"]:
            assert domain["title"] in html.text
            for task in domain["tasks"]:
                assert task["id"] in html.text


async def test_healthz(local_site: Site) -> None:
    response = await local_site.client().get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
    assert response.json()["worker"] == os.getpid()


async def test_exams_page_resumes_an_open_practice_exam(local_site: Site) -> None:
    client = local_site.client()
    page = (await client.get("/exams")).text
    token = form_csrf(page)
    started = await client.post(
        "/attempts", data={"csrf_token": token, "exam": "MLA-C01", "selection": "fixed", "form": "1", "mode": "exam"}
    )
    assert started.status_code == 303
    url = started.headers["location"]
    attempt_id = url.rsplit("/", 1)[1]
    page = (await client.get("/exams")).text
    assert f'href="/attempts/{attempt_id}">Resume<span class="visually-hidden"> MLA-C01 Practice Exam 1' in page
    assert "Start<span class=\"visually-hidden\"> MLA-C01 Practice Exam 1<" not in page
    twin = {p["number"]: p for p in (await client.get("/api/exams")).json()["practice_exams"]["MLA-C01"]}
    assert twin[1]["open_attempt_id"] == attempt_id and twin[2]["open_attempt_id"] is None
    again = await client.post(  # a stale exams page's "Start" lands in the open attempt
        "/attempts", data={"csrf_token": token, "exam": "MLA-C01", "selection": "fixed", "form": "1", "mode": "exam"}
    )
    assert again.headers["location"] == url
    assert len((await client.get("/api/attempts")).json()["attempts"]) == 1


async def test_discard_an_attempt_with_a_confirmation(local_site: Site) -> None:
    client = local_site.client()
    kept = await start(client, selection="drill", mode="practice", tasks=["1.1"], count=2)
    view = await start(client, selection="fixed", form=3)
    dashboard = (await client.get("/api/dashboard")).json()
    resumes = [s["href"] for s in dashboard["next_steps"] if s["text"].startswith("Resume")]
    assert sorted(resumes) == sorted([f"/attempts/{kept['id']}", f"/attempts/{view['id']}"])  # each open one once
    assert dashboard["recent_attempts"] == []  # finished ones only: no open attempt listed twice
    finish = (await client.get(f"/attempts/{view['id']}/finish")).text
    assert 'id="abandon-heading"' in finish and 'value="abandon"' in finish
    token = form_csrf(finish)
    fields = {"csrf_token": token, "expected_version": str(view["version"]), "do": "abandon", "back": "finish"}
    refused = await client.post(f"/attempts/{view['id']}/actions", data=fields)
    assert refused.status_code == 422 and "confirm that you want to discard" in refused.text
    done = await client.post(f"/attempts/{view['id']}/actions", data={**fields, "confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == "/attempts?abandoned=1"
    listing = (await client.get(done.headers["location"])).text
    assert "counts in no score or figure" in listing and "abandoned" in listing
    runner = await client.get(f"/attempts/{view['id']}")
    assert runner.status_code == 303 and runner.headers["location"] == "/attempts"
    assert (await client.get(f"/api/attempts/{view['id']}/report")).status_code == 409
    dashboard = (await client.get("/api/dashboard")).json()
    assert [s["href"] for s in dashboard["next_steps"] if s["text"].startswith("Resume")] == [f"/attempts/{kept['id']}"]
    assert dashboard["recent_attempts"] == []
    twin = {p["number"]: p for p in (await client.get("/api/exams")).json()["practice_exams"]["MLA-C01"]}
    assert twin[3]["open_attempt_id"] is None
    statuses = {a["id"]: a["status"] for a in (await client.get("/api/attempts")).json()["attempts"]}
    assert statuses == {kept["id"]: "in_progress", view["id"]: "abandoned"}
