"""Every query is scoped to its user: user B gets 404 for A's report and never sees A's attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from certprep.store.exams import insert_attempt
from tests.web.conftest import Site, first_question_id, post_json, signed_in

pytestmark = pytest.mark.anyio


def _attempt_for(site: Site, user_id: int, attempt_id: str, started: datetime) -> None:
    with site.app.engine.begin() as conn:
        insert_attempt(
            conn,
            {
                "id": attempt_id,
                "user_id": user_id,
                "exam_code": "MLA-C01",
                "mode": "exam",
                "title": f"Practice Exam {attempt_id[-1]}",
                "status": "submitted",
                "version": 3,
                "state": {},
                "started_at": started,
                "submitted_at": started,
                "scaled_score": 812,
                "passed": True,
            },
        )


async def _report(client: httpx.AsyncClient, site: Site) -> int:
    url = f"/api/questions/{first_question_id(site)}/reports"
    response = await post_json(client, url, {"category": "unclear", "message": "Option C reads two ways."})
    assert response.status_code == 201, response.text
    report_id: int = response.json()["id"]
    return report_id


async def test_user_b_gets_404_for_user_a_report(multi_site: Site) -> None:
    ada = await signed_in(multi_site, "ada")
    bob = await signed_in(multi_site, "bob")
    report_id = await _report(ada, multi_site)
    assert (await ada.get(f"/api/reports/{report_id}")).status_code == 200
    theirs = await bob.get(f"/api/reports/{report_id}")
    missing = await bob.get("/api/reports/999999")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"detail": "problem report not found"}  # indistinguishable
    page = await bob.get(f"/reports/{report_id}")
    assert page.status_code == 404 and "Option C reads two ways" not in page.text
    assert (await bob.get("/api/reports")).json() == {"reports": []}
    assert [r["id"] for r in (await ada.get("/api/reports")).json()["reports"]] == [report_id]


async def test_a_report_cannot_point_at_another_users_attempt(multi_site: Site) -> None:
    ada = await signed_in(multi_site, "ada")
    bob = await signed_in(multi_site, "bob")
    ada_id = (await ada.get("/api/session")).json()["user"]["id"]
    _attempt_for(multi_site, ada_id, "attempt-ada-1", multi_site.clock.now)
    url = f"/api/questions/{first_question_id(multi_site)}/reports"
    body = {"category": "typo", "message": "x", "attempt_id": "attempt-ada-1"}
    assert (await post_json(bob, url, body)).status_code == 404
    mine = await post_json(ada, url, body)
    assert mine.status_code == 201 and mine.json()["attempt_id"] == "attempt-ada-1"


async def test_recent_attempts_are_the_users_own(multi_site: Site) -> None:
    ada = await signed_in(multi_site, "ada")
    bob = await signed_in(multi_site, "bob")
    ada_id = (await ada.get("/api/session")).json()["user"]["id"]
    _attempt_for(multi_site, ada_id, "attempt-ada-1", multi_site.clock.now)
    mine = (await ada.get("/api/dashboard")).json()["recent_attempts"]
    assert [a["id"] for a in mine] == ["attempt-ada-1"] and mine[0]["scaled_score"] == 812
    assert "Practice Exam 1" in (await ada.get("/")).text
    assert (await bob.get("/api/dashboard")).json()["recent_attempts"] == []
    assert "Practice Exam 1" not in (await bob.get("/")).text


async def test_local_profile_and_accounts_do_not_mix(make_site: Any) -> None:
    """Reports of the local profile stay out of a signed-in user's view on the same database."""
    local = make_site()
    await _report(local.client(), local)
    multi = make_site(multi_user=True)
    ada = await signed_in(multi, "ada")
    assert (await ada.get("/api/reports")).json() == {"reports": []}
    assert (await ada.get("/api/reports/1")).status_code == 404
