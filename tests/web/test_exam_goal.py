"""Your exam date (issue 18.9): stored per user and exam, the plan opens on it, the dashboard
counts down to it; the plan's drills, reviews and mocks start in one click."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Site, form_csrf, post_json, signed_in

pytestmark = pytest.mark.anyio

GOAL = {"exam_date": "2027-01-20", "hours_per_week": 6}  # 56 days after tests/conftest.py NOW


async def _put(client, exam: str, body: dict[str, object]):  # type: ignore[no-untyped-def]
    token = (await client.get("/api/session")).json()["csrf_token"]
    return await client.put(f"/api/goals/{exam}", json=body, headers={"X-CSRF-Token": token})


async def test_the_exam_date_is_stored_the_plan_opens_on_it_and_the_dashboard_counts_down(local_site: Site) -> None:
    client = local_site.client()
    assert (await client.get("/api/dashboard")).json()["exam_goals"] == []
    assert 'id="countdown-empty"' in (await client.get("/")).text
    assert (await client.get("/api/plan")).json()["plan"] is None

    saved = await _put(client, "MLA-C02", GOAL)
    assert saved.status_code == 200, saved.text
    assert saved.json() == {
        "exam": "MLA-C02",
        "exam_title": saved.json()["exam_title"],
        "exam_date": "2027-01-20",
        "hours_per_week": 6.0,
        "days_left": 56,
        "past": False,
        "plan": "/plan?exam=MLA-C02",
    }
    assert (await client.get("/api/goals")).json()["goals"] == [saved.json()]
    dashboard = (await client.get("/api/dashboard")).json()
    assert dashboard["exam_goals"] == [saved.json()]
    page = (await client.get("/")).text
    assert re.search(r'<strong class="big-number">56</strong> days to <strong>MLA-C02</strong> on 2027-01-20', page)

    # The plan, opened without a date, plans to the stored one; the page says it is the saved date.
    plan = (await client.get("/api/plan")).json()
    assert plan["exam_date"] == "2027-01-20" and plan["hours"] == 6 and plan["plan"]["exam_date"] == "2027-01-20"
    assert plan["saved"] == saved.json()
    html = (await client.get("/plan")).text
    assert 'id="goal-saved"' in html and 'value="2027-01-20"' in html
    assert (await client.get("/api/plan?exam=MLA-C01")).json()["plan"] is None  # per exam
    # A date given in the query wins over the stored one.
    assert (await client.get("/api/plan?exam_date=2027-02-01&hours=4")).json()["plan"]["exam_date"] == "2027-02-01"

    # Days tick down with the clock; a past exam asks for a new date and the plan no longer uses it.
    local_site.clock.advance(days=55)
    assert (await client.get("/api/dashboard")).json()["exam_goals"][0]["days_left"] == 1
    assert "tomorrow (2027-01-20)" in (await client.get("/")).text
    local_site.clock.advance(days=2)
    goal = (await client.get("/api/dashboard")).json()["exam_goals"][0]
    assert goal["past"] is True and goal["days_left"] == -1
    assert "set your next exam date" in (await client.get("/")).text
    assert (await client.get("/api/plan")).json()["plan"] is None

    token = (await client.get("/api/session")).json()["csrf_token"]
    forget = await client.delete("/api/goals/MLA-C02", headers={"X-CSRF-Token": token})
    assert forget.status_code == 204 and (await client.get("/api/goals")).json()["goals"] == []


async def test_the_plan_page_saves_and_forgets_the_date(local_site: Site) -> None:
    client = local_site.client()
    page = (await client.get("/plan?exam_date=2027-01-20&hours=6")).text
    assert 'id="save-goal"' in page and 'id="goal-saved"' not in page
    fields = {"csrf_token": form_csrf(page), "exam": "MLA-C02", "exam_date": "2027-01-20", "hours": "6"}
    saved = await client.post("/plan/goal", data=fields)
    assert saved.status_code == 303 and saved.headers["location"] == "/plan?exam=MLA-C02"
    page = (await client.get("/plan?exam=MLA-C02")).text
    assert 'id="goal-saved"' in page and "2027-01-20" in page
    assert "56</strong> days to" in (await client.get("/")).text
    forget = await client.post("/plan/goal/delete", data={"csrf_token": form_csrf(page), "exam": "MLA-C02"})
    assert forget.status_code == 303
    assert 'id="countdown-empty"' in (await client.get("/")).text
    refused = await client.post("/plan/goal", data={**fields, "exam_date": "2026-11-01"})
    assert refused.status_code == 422 and "in the past" in refused.text


async def test_bad_exam_dates_are_refused(local_site: Site) -> None:
    client = local_site.client()
    for body, word in (
        ({"exam_date": "2026-11-25"}, "today"),
        ({"exam_date": "2026-11-01"}, "in the past"),
        ({"exam_date": "2031-01-01"}, "days ahead"),
        ({"exam_date": "soon"}, "date"),
        ({"exam_date": "2027-01-20", "hours_per_week": 0}, "greater than 0"),
        ({"exam_date": "2027-01-20", "hours_per_week": 500}, "168"),
        ({"exam_date": "2027-01-20", "extra": 1}, "extra"),
    ):
        response = await _put(client, "MLA-C02", body)
        assert response.status_code == 422 and word in response.text, (body, response.text)
    assert (await _put(client, "NOPE-C01", GOAL)).status_code == 404
    assert (await client.put("/api/goals/MLA-C02", json=GOAL)).status_code == 403  # no CSRF token
    assert (await client.get("/api/goals")).json()["goals"] == []


async def test_each_user_has_their_own_exam_date(multi_site: Site) -> None:
    ada = await signed_in(multi_site, "ada")
    bob = await signed_in(multi_site, "bob")
    assert (await _put(ada, "MLA-C02", GOAL)).status_code == 200
    assert (await _put(bob, "MLA-C02", {"exam_date": "2027-03-01"})).status_code == 200
    assert [g["exam_date"] for g in (await ada.get("/api/goals")).json()["goals"]] == ["2027-01-20"]
    assert [g["exam_date"] for g in (await bob.get("/api/goals")).json()["goals"]] == ["2027-03-01"]
    # Bob gave no hours: his plan page shows the date, and asks for the hours.
    bob_plan = (await bob.get("/api/plan")).json()
    assert bob_plan["exam_date"] == "2027-03-01" and bob_plan["plan"] is None
    assert (await multi_site.client().get("/api/goals")).status_code == 401


async def test_plan_sessions_start_in_one_click(local_site: Site) -> None:
    client = local_site.client()
    plan = (await client.get("/api/plan?exam_date=2027-01-20&hours=8")).json()["plan"]
    drills = [s for s in plan["sessions"] if s["kind"] == "drill" and s["task"]]
    reviews = [s for s in plan["sessions"] if s["kind"] == "review"]
    mocks = [s for s in plan["sessions"] if s["kind"] == "mock"]
    assert drills and reviews and mocks
    for s in drills:
        start = s["start"]
        assert start["method"] == "POST" and start["href"] == "/attempts"
        assert start["fields"]["tasks"] == s["task"] and start["fields"]["selection"] == "drill"
        assert int(start["fields"]["count"]) == s["minutes"] // 2
    assert {s["start"]["href"] for s in reviews} == {"/cards?exam=MLA-C02"}
    assert all(s["start"]["fields"] == {"exam": "MLA-C02", "selection": "assembled", "mode": "exam"} for s in mocks)

    # On the page, a drill's button starts that drill: a practice attempt of its task statement.
    page = (await client.get("/plan?exam_date=2027-01-20&hours=8")).text
    first = drills[0]
    form = re.search(
        r'<form class="inline-form session-start" method="post" action="/attempts">(.*?)</form>', page, re.S
    )
    assert form is not None
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(1)))
    assert fields["tasks"] == first["task"] and fields["csrf_token"]
    started = await client.post("/attempts", data=fields)
    assert started.status_code == 303, started.text
    attempt_id = started.headers["location"].rsplit("/", 1)[1]
    view = (await client.get(f"/api/attempts/{attempt_id}")).json()
    assert view["mode"] == "practice" and view["title"] == f"Drill MLA-C02 (task {first['task']})"
    assert 0 < view["count"] <= int(fields["count"])
    assert 'href="/cards?exam=MLA-C02" data-start="review"' in page
    assert (await client.get("/cards?exam=MLA-C02")).status_code == 200
    # The JSON API starts the same drill from the same fields.
    body = {**first["start"]["fields"], "tasks": [first["task"]], "count": int(first["start"]["fields"]["count"])}
    again = await post_json(client, "/api/attempts", body)
    assert again.status_code == 201 and again.json()["title"] == view["title"]
