"""The dashboard and exams pages and their JSON twins agree, served in-process."""

from __future__ import annotations

import os

import pytest

from tests.web.conftest import Site

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
    assert data["recent_attempts"] == [] and "No attempts yet" in html.text
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
