"""The exam JSON API: enough on its own to take an exam; secrecy, stale versions, finished attempts,
invalid answers, deadlines, CSRF and scoping (in-process, SQLite and PostgreSQL)."""

from __future__ import annotations

import gc
import html
import re
from typing import Any

import pytest
from sqlalchemy import select

from certprep.content.schema import QuestionType
from certprep.store.tables import responses as log
from tests.web.conftest import Site, csrf_token, post_json, signed_in
from tests.web.exam_helpers import (
    act,
    act_ok,
    first_index_of,
    item,
    key_presented,
    rationales,
    secret_keys,
    start,
    state,
    wrong_presented,
)

pytestmark = pytest.mark.anyio


def state_events(site: Site, attempt_id: str) -> list[tuple[str, int | None, bool | None]]:
    """The attempt's log: (event, item index, correct), in order."""
    query = (
        select(log.c.event, log.c.item_index, log.c.correct).where(log.c.attempt_id == attempt_id).order_by(log.c.seq)
    )
    with site.app.engine.connect() as conn:
        return [(r.event, r.item_index, r.correct) for r in conn.execute(query)]


def _snippets(texts: list[str]) -> list[str]:
    """A plain run of words from each text: found in a page or a JSON answer only if it leaked."""
    out = []
    for text in texts:
        found = re.search(r"[A-Za-z][A-Za-z ,]{28,}", text)
        if found:
            out.append(found.group(0)[:40])
    return out


async def test_a_whole_exam_through_the_api_alone(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    assert view["count"] == 65 and view["seconds_left"] == 130 * 60 and view["status"] == "in_progress"
    assert view["question"]["number"] == 1 and len(view["palette"]) == 65
    for index in range(65):
        if index:
            view = await act_ok(client, view, "navigate", index=index)
        assert view["current"] == index and view["palette"][index]["seen"]
        answer = (
            key_presented(local_site, view["id"], index)
            if index < 40
            else wrong_presented(local_site, view["id"], index)
        )
        view = await act_ok(client, view, "answer", index=index, response=answer)
        assert view["question"]["response"] == answer  # stored and shown back in screen positions
    assert view["answered"] == 65
    view = await act_ok(client, view, "submit")
    assert view["status"] == "submitted" and view["question"] is None

    report = (await client.get(f"/api/attempts/{view['id']}/report")).json()
    scored = [i < 40 for i, it in enumerate(state(local_site, view["id"]).form.items) if it.scored]
    assert report["raw_max"] == 50 and report["raw_correct"] == sum(scored)
    assert report["scaled_is_estimate"] is True and report["answered"] == 65
    assert {d["id"] for d in report["domains"]} == {"1", "2", "3", "4"}
    assert len(report["items"]) == 65 and all(i["choices"] for i in report["items"])
    assert all(isinstance(r["url"], str) for i in report["items"] for r in i["references"])
    listed = (await client.get("/api/attempts")).json()["attempts"]
    assert listed[0]["id"] == view["id"] and listed[0]["scaled_score"] == report["scaled_score"]
    practice = (await client.get("/api/exams/MLA-C01/practice-exams")).json()["practice_exams"]
    assert practice[0]["attempts"] == 1 and practice[0]["best_scaled_score"] == report["scaled_score"]

    retake = await post_json(client, f"/api/attempts/{view['id']}/retake-missed")
    assert retake.status_code == 201, retake.text
    assert retake.json()["count"] == 25 and retake.json()["mode"] == "practice"


async def test_every_question_type_answered_right_is_marked_right(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=2)
    wanted = {kind: first_index_of(local_site, view["id"], kind) for kind in QuestionType if kind.value != "case_study"}
    for kind, index in wanted.items():
        assert index is not None, kind
        view = await act_ok(client, view, "navigate", index=index)
        assert view["question"]["type"] == kind.value
        if kind is QuestionType.MULTIPLE:
            assert view["question"]["select"] >= 2
        if kind is QuestionType.MATCHING:
            assert view["question"]["prompts"]
        view = await act_ok(client, view, "answer", index=index, response=key_presented(local_site, view["id"], index))
    view = await act_ok(client, view, "submit")
    items = (await client.get(f"/api/attempts/{view['id']}/report")).json()["items"]
    assert all(items[i]["correct"] for i in wanted.values() if i is not None)


async def test_exam_mode_view_holds_no_key_rationale_or_scored_flag(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=3)
    for index in range(view["count"]):
        if index:
            view = await act_ok(client, view, "navigate", index=index)
        view = await act_ok(
            client, view, "answer", index=index, response=wrong_presented(local_site, view["id"], index)
        )
        data = (await client.get(f"/api/attempts/{view['id']}")).json()
        assert secret_keys(data) == [] and data["question"]["feedback"] is None
        page = html.unescape((await client.get(f"/attempts/{view['id']}")).text)
        _, question = item(local_site, view["id"], index)
        assert question.stem.split()[0] in page
        for snippet in _snippets(rationales(question)):
            assert snippet not in page and snippet not in str(data), (index, snippet)
        assert "unscored" not in page and "in-key" not in page and "Correct" not in page
    refused = await client.get(f"/api/attempts/{view['id']}/report")
    assert refused.status_code == 409 and "in progress" in refused.json()["detail"]
    review = await client.get(f"/api/attempts/{view['id']}/review")
    assert review.status_code == 409
    assert (await client.get(f"/attempts/{view['id']}/report")).status_code == 409


async def test_practice_mode_gives_feedback_with_every_rationale(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="drill", mode="practice", domains=["2"], count=5)
    assert view["deadline"] is None and view["seconds_left"] is None
    _, question = item(local_site, view["id"], 0)
    view = await act_ok(client, view, "answer", index=0, response=wrong_presented(local_site, view["id"], 0))
    assert view["question"]["feedback"] is None and view["question"]["checked"] is False  # not before "check"
    view = await act_ok(client, view, "check", index=0)
    feedback = view["question"]["feedback"]
    assert view["question"]["checked"] and view["palette"][0]["checked"]
    assert feedback["correct"] is False and feedback["key"] == key_presented(local_site, view["id"], 0)
    assert len(feedback["rationales"]) == len(view["question"]["choices"]) and all(feedback["rationales"])
    page = html.unescape((await client.get(f"/attempts/{view['id']}")).text)
    assert "Not quite" in page
    for snippet in _snippets(rationales(question)):
        assert snippet in page


async def test_practice_counts_the_first_checked_answer_not_the_revealed_key(local_site: Site) -> None:
    """A 2-question custom practice: checking a wrong answer reveals the key; changing to it is
    refused (409, clear message), so the attempt scores the first graded answer, not "pass · 1000"."""
    client = local_site.client()
    view = await start(client, selection="custom", mode="practice", count=2)
    wrong = wrong_presented(local_site, view["id"], 0)
    refused = await act(client, view, "check", index=0)
    assert refused.status_code == 409 and "answer question 1 before checking it" in refused.json()["detail"]
    view = await act_ok(client, view, "answer", index=0, response=wrong)
    view = await act_ok(client, view, "check", index=0)
    key = view["question"]["feedback"]["key"]
    for kind, fields in (("answer", {"response": key}), ("clear", {})):
        refused = await act(client, view, kind, index=0, **fields)
        assert refused.status_code == 409, refused.text
        assert "question 1 is checked: its answer is locked" in refused.json()["detail"]
    view = await act_ok(client, view, "navigate", index=1)
    view = await act_ok(client, view, "answer", index=1, response=key_presented(local_site, view["id"], 1))
    view = await act_ok(client, view, "submit")  # question 2 never checked: graded on submit
    report = (await client.get(f"/api/attempts/{view['id']}/report")).json()
    assert report["raw_correct"] == 1 and report["answered"] == 2 and report["scaled_score"] != 1000
    assert [i["correct"] for i in report["items"]] == [False, True]
    graded = [e for e in state_events(local_site, view["id"]) if e[0] == "graded"]
    assert [(e[1], e[2]) for e in graded] == [(0, False), (1, True)]  # one grade per question


async def test_a_select_n_answer_is_checked_only_with_n_choices(local_site: Site) -> None:
    """Checking locks the answer, so a "Select N" answer with fewer or more choices is refused
    (and stays open to change); with exactly N it is graded."""
    client = local_site.client()
    view = await start(client, selection="custom", mode="practice", types=["multiple"], count=2)
    key = key_presented(local_site, view["id"], 0)
    others = [p for p in range(len(view["question"]["choices"])) if p not in key]
    for response in (key[:1], sorted(key + others[:1])):
        view = await act_ok(client, view, "answer", index=0, response=response)
        refused = await act(client, view, "check", index=0)
        assert refused.status_code == 422, refused.text
        assert f"asks for {len(key)} answers and {len(response)} are chosen" in refused.json()["detail"]
        assert view["question"]["feedback"] is None and not view["question"]["checked"]
    view = await act_ok(client, view, "answer", index=0, response=key)
    view = await act_ok(client, view, "check", index=0)
    assert view["question"]["feedback"]["correct"] is True and view["question"]["checked"]


async def test_exam_mode_refuses_check(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    view = await act_ok(client, view, "answer", index=0, response=key_presented(local_site, view["id"], 0))
    refused = await act(client, view, "check", index=0)
    assert refused.status_code == 409 and "no feedback before it is submitted" in refused.json()["detail"]


async def test_a_stale_version_is_refused_with_a_clear_message(local_site: Site) -> None:
    client = local_site.client()
    tab1 = await start(client, selection="fixed", form=1)
    tab2 = await act_ok(client, tab1, "flag", index=0)  # another tab moved on
    refused = await act(client, tab1, "answer", index=0, response=key_presented(local_site, tab1["id"], 0))
    assert refused.status_code == 409
    assert "changed since you loaded it" in refused.json()["detail"] and "reload" in refused.json()["detail"]
    fresh = (await client.get(f"/api/attempts/{tab1['id']}")).json()
    assert fresh["version"] == tab2["version"] and fresh["answered"] == 0 and fresh["palette"][0]["flagged"]


async def test_while_the_server_runs_answers_stale_tabs_and_intruders_are_told_apart(multi_site: Site) -> None:
    """With the app's lifespan running (as under uvicorn): the answers are kept, a stale tab gets
    409 and another user 404, and what lives as long as the process is out of the collector's scans."""
    web = multi_site.web
    async with web.router.lifespan_context(web):
        assert gc.get_freeze_count() > 10_000
        client = await signed_in(multi_site, "ada")
        tab1 = await start(client, selection="fixed", form=2)
        view = tab1
        for index in range(5):
            view = await act_ok(client, view, "navigate", index=index)
            answer = key_presented(multi_site, view["id"], index)
            view = await act_ok(client, view, "answer", index=index, response=answer)
            view = await act_ok(client, view, "flag", index=index)
        assert view["version"] == tab1["version"] + 15 and view["answered"] == 5
        assert (await client.get(f"/api/attempts/{view['id']}")).json() == view
        stored = state(multi_site, view["id"])
        assert set(stored.answers) == {stored.form.items[i].question_id for i in range(5)}
        refused = await act(client, tab1, "navigate", index=9)
        assert refused.status_code == 409
        intruder = await signed_in(multi_site, "mallory")
        assert (await act(intruder, view, "navigate", index=9)).status_code == 404
        assert state(multi_site, view["id"]).version == view["version"]  # neither wrote anything
        done = await act_ok(client, view, "submit")
        assert done["status"] == "submitted"
        report = (await client.get(f"/api/attempts/{view['id']}/report")).json()
        assert report["answered"] == 5 and len(report["flagged"]) == 5
        assert [i["correct"] for i in report["items"][:6]] == [True] * 5 + [False]


async def test_a_finished_attempt_takes_no_more_actions(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="drill", mode="practice", tasks=["1.1"], count=2)
    view = await act_ok(client, view, "submit")
    refused = await act(client, view, "answer", index=0, response=0)
    assert refused.status_code == 409 and "finished" in refused.json()["detail"]
    report = await client.get(f"/api/attempts/{view['id']}/report")
    assert report.status_code == 200 and report.json()["unanswered"] == 2


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"type": "answer", "index": 0, "response": 17}, "invalid answer"),
        ({"type": "answer", "index": 0, "response": True}, ""),
        ({"type": "answer", "index": 0, "response": "A"}, ""),
        ({"type": "answer", "index": 0}, "invalid answer"),
        ({"type": "answer", "index": 99, "response": 0}, "index must be"),
        ({"type": "peek"}, ""),
        ({"type": "flag", "expected_version": None}, ""),
        ({"type": "flag", "extra": 1}, ""),
    ],
)
async def test_invalid_answers_and_actions_are_422(local_site: Site, body: dict[str, Any], needle: str) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)  # question 1 is a single-answer question
    token = await csrf_token(client)
    payload = {"expected_version": view["version"], **body}
    response = await client.post(f"/api/attempts/{view['id']}/actions", json=payload, headers={"X-CSRF-Token": token})
    assert response.status_code == 422, response.text
    assert needle in str(response.json()["detail"])
    assert (await client.get(f"/api/attempts/{view['id']}")).json()["version"] == view["version"]


async def test_wrong_shapes_for_each_type_are_422(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=2)
    bad = {
        QuestionType.MULTIPLE: [[0, 0], [], 3],
        QuestionType.ORDERING: [[0, 0], {"0": 1}, [9]],
        QuestionType.MATCHING: [{"0": 99}, {"9": 0}, [0, 1]],
    }
    for kind, responses in bad.items():
        index = first_index_of(local_site, view["id"], kind)
        assert index is not None
        for response in responses:
            refused = await act(client, view, "answer", index=index, response=response)
            assert refused.status_code == 422, (kind, response, refused.text)


async def test_pause_and_resume_in_practice_not_in_an_exam(local_site: Site) -> None:
    client = local_site.client()
    practice = await start(client, selection="drill", mode="practice", domains=["1"], count=3, time_limit_minutes=10)
    paused = await act_ok(client, practice, "pause")
    assert paused["paused"] is True
    local_site.clock.advance(minutes=30)  # a paused clock does not run out
    again = (await client.get(f"/api/attempts/{practice['id']}")).json()
    assert again["status"] == "in_progress" and again["seconds_left"] == 600
    refused = await act(client, again, "answer", index=0, response=0)
    assert refused.status_code == 409 and "paused" in refused.json()["detail"]
    resumed = await act_ok(client, again, "resume")
    assert resumed["paused"] is False and resumed["seconds_left"] == 600
    exam = await start(client, selection="fixed", form=1)
    refused = await act(client, exam, "pause")
    assert refused.status_code == 409 and "cannot be paused" in refused.json()["detail"]


async def test_the_deadline_submits_and_the_client_cannot_move_it(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="drill", mode="exam", tasks=["1.1"], count=2)  # 4 minutes at exam pace
    view = await act_ok(client, view, "answer", index=0, response=key_presented(local_site, view["id"], 0))
    token = await csrf_token(client)
    sneaky = {"type": "resume", "expected_version": view["version"], "deadline": "2099-01-01T00:00:00Z"}
    response = await client.post(f"/api/attempts/{view['id']}/actions", json=sneaky, headers={"X-CSRF-Token": token})
    assert response.status_code == 422  # no field moves the deadline
    local_site.clock.advance(minutes=5)
    late = await act(client, view, "answer", index=1, response=0)
    assert late.status_code == 409
    back = (await client.get(f"/api/attempts/{view['id']}")).json()
    assert back["status"] == "expired" and back["answered"] == 1 and back["seconds_left"] == 0
    report = (await client.get(f"/api/attempts/{view['id']}/report")).json()
    assert report["status"] == "expired" and report["answered"] == 1
    assert (await client.get("/api/attempts")).json()["attempts"][0]["status"] == "expired"


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        ({"exam": "XYZ-C01"}, 422, "unknown exam"),
        ({"selection": "fixed", "form": 7}, 422, "less than or equal to 6"),
        ({"selection": "fixed"}, 422, "from 1 to 6"),
        ({"selection": "missed"}, 422, "no missed questions"),
        ({"selection": "drill", "tasks": ["9.9"]}, 422, "no task statement"),
        ({"mode": "timed"}, 422, ""),
        ({"count": 0}, 422, ""),
        ({"selection": "custom", "types": ["essay"]}, 422, ""),
    ],
)
async def test_bad_start_requests(local_site: Site, body: dict[str, Any], status: int, needle: str) -> None:
    client = local_site.client()
    response = await post_json(client, "/api/attempts", {"exam": "MLA-C01", **body})
    assert response.status_code == status, response.text
    assert needle in str(response.json()["detail"])


async def test_every_selection_starts(local_site: Site) -> None:
    client = local_site.client()
    first = await start(client, selection="drill", mode="practice", tasks=["3.1"], count=3)
    first = await act_ok(client, first, "answer", index=0, response=wrong_presented(local_site, first["id"], 0))
    first = await act_ok(client, first, "flag", index=1)
    await act_ok(client, first, "submit")
    for body in (
        {"selection": "assembled"},
        {"selection": "missed", "mode": "practice"},
        {"selection": "flagged", "mode": "practice"},
        {"selection": "unseen", "mode": "practice", "count": 5},
        {"selection": "custom", "mode": "exam", "count": 4, "types": ["multiple"], "domains": ["2", "3"]},
        {"selection": "custom", "mode": "practice", "count": 3, "time_limit_minutes": 15},
        {"exam": "MLS-C01", "selection": "fixed", "form": 6},
    ):
        view = await start(client, **body)
        assert view["count"] >= 1, body
    custom = await start(client, selection="custom", mode="exam", count=4, types=["multiple"])
    assert custom["question"]["type"] == "multiple" and custom["seconds_left"] is not None


async def test_practice_exams_of_an_unknown_exam_is_404(local_site: Site) -> None:
    client = local_site.client()
    listed = (await client.get("/api/exams/MLS-C01/practice-exams")).json()
    assert [p["number"] for p in listed["practice_exams"]] == [1, 2, 3, 4, 5, 6]
    assert (await client.get("/api/exams/NOPE/practice-exams")).status_code == 404


async def test_writes_need_the_csrf_token(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="drill", mode="practice", tasks=["1.1"], count=2)
    base = f"/api/attempts/{view['id']}"
    for url, body in (
        ("/api/attempts", {"exam": "MLA-C01"}),
        (f"{base}/actions", {"type": "flag", "expected_version": view["version"]}),
        (f"{base}/retake-missed", {}),
    ):
        response = await client.post(url, json=body)
        assert response.status_code == 403 and "CSRF" in response.json()["detail"], url
    for url, data in (
        ("/attempts", {"exam": "MLA-C01"}),
        (f"/attempts/{view['id']}/actions", {"do": "flag", "expected_version": str(view["version"])}),
        (f"/attempts/{view['id']}/retake-missed", {}),
    ):
        response = await client.post(url, data=data)
        assert response.status_code == 403 and "CSRF check failed" in response.text, url
    assert (await client.get(base)).json()["version"] == view["version"]  # nothing happened


async def test_another_users_attempt_is_404_everywhere(multi_site: Site) -> None:
    ada = await signed_in(multi_site, "ada")
    bob = await signed_in(multi_site, "bob")
    view = await start(ada, selection="drill", mode="practice", tasks=["1.1"], count=2)
    done = await start(ada, selection="drill", mode="practice", tasks=["2.1"], count=2)
    done = await act_ok(ada, done, "submit")
    for attempt_id in (view["id"], done["id"], "no-such-attempt"):
        for url in (
            f"/api/attempts/{attempt_id}",
            f"/api/attempts/{attempt_id}/report",
            f"/api/attempts/{attempt_id}/review",
            f"/attempts/{attempt_id}",
            f"/attempts/{attempt_id}/finish",
            f"/attempts/{attempt_id}/report",
            f"/attempts/{attempt_id}/review",
        ):
            response = await bob.get(url)
            assert response.status_code == 404, url
            assert "attempt not found" in response.text
        body = {"type": "flag", "index": 0, "expected_version": 1}
        assert (await post_json(bob, f"/api/attempts/{attempt_id}/actions", body)).status_code == 404
        assert (await post_json(bob, f"/api/attempts/{attempt_id}/retake-missed")).status_code == 404
    assert (await bob.get("/api/attempts")).json() == {"attempts": []}
    assert view["id"] not in (await bob.get("/")).text and view["id"] in (await ada.get("/")).text
    assert (await ada.get(f"/api/attempts/{view['id']}")).json()["version"] == view["version"]


async def test_anonymous_visitors_must_sign_in(multi_site: Site) -> None:
    client = multi_site.client()
    assert (await client.get("/api/attempts")).status_code == 401
    page = await client.get("/attempts/abc")
    assert page.status_code == 303 and page.headers["location"] == "/sign-in?next=/attempts/abc"


async def test_review_filters(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="drill", mode="practice", domains=["1", "2"], count=6)
    for index in range(6):
        if index:
            view = await act_ok(client, view, "navigate", index=index)
        good = index % 2 == 0
        answer = (
            key_presented(local_site, view["id"], index) if good else wrong_presented(local_site, view["id"], index)
        )
        view = await act_ok(client, view, "answer", index=index, response=answer)
    view = await act_ok(client, view, "flag", index=5)
    view = await act_ok(client, view, "submit")
    base = f"/api/attempts/{view['id']}/review"
    everything = (await client.get(base)).json()
    assert everything["total"] == 6 and len(everything["items"]) == 6 and everything["show"] == "all"
    wrong = (await client.get(base + "?show=wrong")).json()["items"]
    assert [i["number"] for i in wrong] == [2, 4, 6]
    flagged = (await client.get(base + "?show=flagged")).json()["items"]
    assert [i["number"] for i in flagged] == [6]
    domain = everything["items"][0]["domain"]
    only = (await client.get(base + f"?domain={domain}")).json()
    assert only["domain"] == domain and all(i["domain"] == domain for i in only["items"])
    assert (await client.get(base + "?show=bogus")).status_code == 422


async def test_openapi_describes_the_exam_api(local_site: Site) -> None:
    document = (await local_site.client().get("/api/openapi.json")).json()
    paths = document["paths"]
    for path, method in (
        ("/api/exams/{code}/practice-exams", "get"),
        ("/api/attempts", "post"),
        ("/api/attempts", "get"),
        ("/api/attempts/{attempt_id}", "get"),
        ("/api/attempts/{attempt_id}/actions", "post"),
        ("/api/attempts/{attempt_id}/report", "get"),
        ("/api/attempts/{attempt_id}/review", "get"),
        ("/api/attempts/{attempt_id}/retake-missed", "post"),
    ):
        assert method in paths[path], (path, method)
    actions = paths["/api/attempts/{attempt_id}/actions"]["post"]
    assert {"200", "404", "409", "422"} <= set(actions["responses"])
    schemas = document["components"]["schemas"]
    for name in ("StartIn", "ActionIn", "AttemptView", "QuestionView", "AttemptReport", "Review", "ErrorOut"):
        assert name in schemas, name
    assert set(schemas["ActionIn"]["properties"]["type"]["enum"]) >= {"answer", "flag", "navigate", "submit"}
    assert "feedback" in schemas["QuestionView"]["properties"]


async def test_a_huge_prompt_number_in_a_matching_answer_is_422(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    index = first_index_of(local_site, view["id"], QuestionType.MATCHING)
    for key in ("9" * 5000, "\u00b2", "-1"):
        refused = await act(client, view, "answer", index=index, response={key: 0})
        assert refused.status_code == 422, (key[:3], refused.status_code)


async def test_the_mode_defaults_to_practice_except_for_full_exams(local_site: Site) -> None:
    client = local_site.client()
    assert (await start(client, selection="drill", domains=["1"], count=3))["mode"] == "practice"
    assert (await start(client, selection="custom", count=3))["mode"] == "practice"
    assert (await start(client, selection="fixed", form=2))["mode"] == "exam"
    assert (await start(client, selection="assembled"))["mode"] == "exam"


async def test_practice_ordering_and_matching_show_nothing_before_check(local_site: Site) -> None:
    client = local_site.client()
    for kind in (QuestionType.ORDERING, QuestionType.MATCHING):  # one attempt of each type
        view = await start(client, selection="custom", mode="practice", types=[kind.value], count=2)
        index = first_index_of(local_site, view["id"], kind)
        assert index is not None
        view = await act_ok(client, view, "navigate", index=index)
        first = [0] if kind is QuestionType.ORDERING else {"0": 0}  # one step added, one prompt matched
        view = await act_ok(client, view, "answer", index=index, response=first)
        assert view["question"]["feedback"] is None and secret_keys(view) == []
        view = await act_ok(client, view, "check", index=index)
        assert view["question"]["feedback"]["correct"] is False and view["question"]["checked"]


async def test_abandon_through_the_api(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=4)
    done = await act_ok(client, view, "abandon")
    assert done["status"] == "abandoned" and done["question"] is None
    listed = (await client.get("/api/attempts")).json()["attempts"]
    assert [(a["id"], a["status"]) for a in listed] == [(view["id"], "abandoned")]
    assert (await act(client, done, "flag", index=0)).status_code == 409
    again = await start(client, selection="fixed", form=4)  # no longer open: a new attempt
    assert again["id"] != view["id"] and again["resumed"] is False


async def test_a_custom_set_is_named_by_its_mode(local_site: Site) -> None:
    client = local_site.client()
    timed = await start(client, selection="custom", mode="exam", count=2)
    practice = await start(client, selection="custom", mode="practice", count=2)
    assert timed["title"].startswith("Custom exam ") and practice["title"].startswith("Custom practice ")
