"""The exam pages without JavaScript (plain form posts, 303 back) and with runner.js's fragment
protocol; exams page, review screen, report, review, dashboard progress."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from certprep.content.schema import QuestionType
from tests.web.conftest import Site, form_csrf
from tests.web.exam_helpers import act_ok, first_index_of, item, key_presented, start, state, wrong_presented

pytestmark = pytest.mark.anyio

RUNNER = {"X-Certprep-Runner": "1"}


async def _post(
    client: httpx.AsyncClient, view: dict[str, Any], headers: dict[str, str] | None = None, **data: Any
) -> httpx.Response:
    """POST the runner form (the CSRF token from the page, the version the caller saw)."""
    token = form_csrf((await client.get("/exams")).text)
    fields = {"csrf_token": token, "expected_version": str(view["version"]), **data}
    return await client.post(f"/attempts/{view['id']}/actions", data=fields, headers=headers or {})


async def _view(client: httpx.AsyncClient, attempt_id: str) -> dict[str, Any]:
    data: dict[str, Any] = (await client.get(f"/api/attempts/{attempt_id}")).json()
    return data


def _form_fields(kind: QuestionType, presented: Any) -> dict[str, Any]:
    """The runner form's fields for an answer given in screen positions."""
    if kind is QuestionType.SINGLE:
        return {"fields": "single", "answer": str(presented)}
    if kind is QuestionType.MULTIPLE:
        return {"fields": "multiple", "answer": [str(p) for p in presented]}
    if kind is QuestionType.ORDERING:
        return {"fields": "ordering", "order": [str(p) for p in presented]}
    prompts = max(int(k) for k in presented) + 1
    return {"fields": "matching", "match": [str(presented.get(str(i), "")) for i in range(prompts)]}


async def test_exams_page_lists_practice_exams_random_and_the_builder(local_site: Site) -> None:
    client = local_site.client()
    page = (await client.get("/exams")).text
    for code in ("MLA-C01", "MLS-C01"):
        for n in range(1, 7):
            assert f'Start<span class="visually-hidden"> {code} Practice Exam {n}</span>' in page
        assert f'id="random-{code}"' in page and f'id="builder-{code}"' in page
        assert f'id="count-{code}"' in page and f'id="limit-{code}"' in page
    for value in ("drill", "missed", "unseen", "flagged", "custom", "practice", "exam"):
        assert f'value="{value}"' in page
    assert 'name="domains"' in page and 'name="tasks"' in page and 'name="types" value="ordering"' in page
    data = (await client.get("/api/exams")).json()
    assert len(data["practice_exams"]["MLA-C01"]) == 6 and data["builder"]["default_count"] == 20


async def test_start_from_the_exams_page_and_resume(local_site: Site) -> None:
    client = local_site.client()
    token = form_csrf((await client.get("/exams")).text)
    started = await client.post(
        "/attempts", data={"csrf_token": token, "exam": "MLA-C01", "selection": "fixed", "form": "2", "mode": "exam"}
    )
    assert started.status_code == 303 and started.headers["location"].startswith("/attempts/")
    runner = await client.get(started.headers["location"])
    assert runner.status_code == 200 and "Practice Exam 2" in runner.text and 'id="question-form"' in runner.text
    assert 'role="timer"' in runner.text and 'data-seconds-left="7800"' in runner.text
    assert "Report a problem with this question" in runner.text and 'name="attempt_id"' in runner.text
    assert '<script src="/static/runner.js' in runner.text
    exams = (await client.get("/exams")).text
    assert f'href="{started.headers["location"]}"' in exams  # unfinished, with a resume link
    builder = {
        "csrf_token": token,
        "exam": "MLA-C01",
        "mode": "practice",
        "selection": "drill",
        "domains": ["3"],
        "tasks": ["3.1"],
        "types": ["single", "multiple"],
        "count": "4",
        "time_limit_minutes": "",
    }
    drill = await client.post("/attempts", data=builder)
    assert drill.status_code == 303
    view = await _view(client, drill.headers["location"].rsplit("/", 1)[1])
    assert view["count"] <= 4 and view["mode"] == "practice" and view["seconds_left"] is None


@pytest.mark.parametrize(
    ("fields", "needle"),
    [
        ({"selection": "missed"}, "no missed questions"),
        ({"selection": "fixed", "form": "9"}, "less than or equal to 6"),
        ({"count": "lots"}, "whole number"),
        ({"exam": "NOPE"}, "unknown exam"),
    ],
)
async def test_a_start_that_cannot_be_met_shows_the_exams_page_with_the_reason(
    local_site: Site, fields: dict[str, str], needle: str
) -> None:
    client = local_site.client()
    token = form_csrf((await client.get("/exams")).text)
    response = await client.post("/attempts", data={"csrf_token": token, "exam": "MLA-C01", **fields})
    assert response.status_code == 422 and 'role="alert"' in response.text
    assert needle in html.unescape(response.text)


async def test_the_runner_without_javascript(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=2)
    attempt = view["id"]
    # Answer each type with its form fields, then go on: every answer is stored before the redirect.
    for kind in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.ORDERING, QuestionType.MATCHING):
        index = first_index_of(local_site, attempt, kind)
        assert index is not None
        view = await _view(client, attempt)
        moved = await _post(client, view, do=f"go:{index}")
        assert moved.status_code == 303 and moved.headers["location"] == f"/attempts/{attempt}"
        view = await _view(client, attempt)
        assert view["current"] == index
        key = key_presented(local_site, attempt, index)
        saved = await _post(client, view, do="save", **_form_fields(kind, key))
        assert saved.status_code == 303
        view = await _view(client, attempt)
        assert view["question"]["response"] == key, kind
        page = (await client.get(f"/attempts/{attempt}")).text
        assert "Your answer is saved." in page
    # Next and previous keep the answer on screen; a changed answer goes with the navigation.
    index = first_index_of(local_site, attempt, QuestionType.SINGLE)
    assert index is not None
    await _post(client, await _view(client, attempt), do=f"go:{index}")
    wrong = wrong_presented(local_site, attempt, index)
    await _post(client, await _view(client, attempt), do="next", fields="single", answer=str(wrong))
    view = await _view(client, attempt)
    assert view["current"] == index + 1 and view["palette"][index]["answered"]
    await _post(client, view, do="prev")
    view = await _view(client, attempt)
    assert view["current"] == index and view["question"]["response"] == wrong
    # Flag, unflag, clear.
    await _post(client, view, do="flag", fields="single", answer=str(wrong))
    view = await _view(client, attempt)
    assert view["question"]["flagged"] and "Flagged for review" in (await client.get(f"/attempts/{attempt}")).text
    await _post(client, view, do="unflag", fields="single", answer=str(wrong))
    await _post(client, await _view(client, attempt), do="clear", fields="single", answer=str(wrong))
    view = await _view(client, attempt)
    assert not view["question"]["flagged"] and view["question"]["response"] is None


async def test_ordering_buttons_move_steps(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    index = first_index_of(local_site, view["id"], QuestionType.ORDERING)
    assert index is not None
    view = await act_ok(client, view, "navigate", index=index)
    n = len(view["question"]["choices"])
    await _post(client, view, do="add:2", fields="ordering")
    await _post(client, await _view(client, view["id"]), do="add:0", fields="ordering", order=["2"])
    assert (await _view(client, view["id"]))["question"]["response"] == [2, 0]
    await _post(client, await _view(client, view["id"]), do="up:0", fields="ordering", order=["2", "0"])
    assert (await _view(client, view["id"]))["question"]["response"] == [0, 2]
    await _post(client, await _view(client, view["id"]), do="down:0", fields="ordering", order=["0", "2"])
    assert (await _view(client, view["id"]))["question"]["response"] == [2, 0]
    await _post(client, await _view(client, view["id"]), do="remove:2", fields="ordering", order=["2", "0"])
    view = await _view(client, view["id"])
    assert view["question"]["response"] == [0]
    page = (await client.get(f"/attempts/{view['id']}")).text
    assert 'id="step-0-up"' in page and 'id="step-1-add"' in page and f'id="step-{n - 1}-add"' in page
    assert "Your order" in page and "Not used" in page and 'draggable="true"' in page
    await _post(client, view, do="remove:0", fields="ordering", order=["0"])
    assert (await _view(client, view["id"]))["question"]["response"] is None  # empty order: cleared
    bad = await _post(client, await _view(client, view["id"]), do="add:99", fields="ordering")
    assert bad.status_code == 422 and "not on screen" in bad.text


async def test_the_runner_fragment_protocol(local_site: Site) -> None:
    """What runner.js relies on: the fragment with the new state, or where to go next."""
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    index = first_index_of(local_site, view["id"], QuestionType.SINGLE)
    assert index is not None
    if index:  # the runner shows the first single-answer question of the form
        view = await act_ok(client, view, "navigate", index=index)
    key = key_presented(local_site, view["id"], index)
    saved = await _post(client, view, do="save", fields="single", answer=str(key), headers=RUNNER)
    assert saved.status_code == 200 and saved.text.lstrip().startswith('<div id="runner"')
    assert "<html" not in saved.text and f'data-message="Answer to question {index + 1} saved."' in saved.text
    assert f'data-version="{view["version"] + 1}"' in saved.text and f'value="{key}" checked' in saved.text
    view = await _view(client, view["id"])
    flagged = await _post(client, view, do="flag", fields="single", answer=str(key), headers=RUNNER)
    assert 'data-focus="btn-flag"' in flagged.text and 'aria-pressed="true"' in flagged.text
    view = await _view(client, view["id"])
    nxt = await _post(client, view, do="next", fields="single", answer=str(key), headers=RUNNER)
    assert 'data-focus="question-heading"' in nxt.text and f"Question {index + 2} <span" in nxt.text
    view = await _view(client, view["id"])
    finish = await _post(client, view, do="finish", headers=RUNNER)
    assert finish.status_code == 204 and finish.headers["x-certprep-location"] == f"/attempts/{view['id']}/finish"
    stale = await _post(client, {**view, "version": 1}, do="flag", headers=RUNNER)
    assert stale.status_code == 409 and "Not saved: this attempt has changed" in html.unescape(stale.text)
    assert 'id="runner"' in stale.text and f'data-version="{view["version"]}"' in stale.text


async def test_a_stale_form_shows_the_latest_state_and_loses_nothing(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    other_tab = await act_ok(client, view, "answer", index=0, response=key_presented(local_site, view["id"], 0))
    refused = await _post(client, view, do="next", fields="single", answer="3")
    assert refused.status_code == 409
    text = html.unescape(refused.text)
    assert "Not saved: this attempt has changed since you loaded it" in text and "Your answer is saved." in text
    now = await _view(client, view["id"])
    assert now["version"] == other_tab["version"] and now["current"] == 0


async def test_an_answer_made_for_another_question_is_not_stored_on_this_one(local_site: Site) -> None:
    """runner.js sends queued clicks with the latest version; the form's index still guards them."""
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    view = await act_ok(client, view, "navigate", index=1)  # "next" went first...
    late = await _post(client, view, do="save", fields="single", index="0", answer="2", headers=RUNNER)
    assert late.status_code == 409  # ...then the click made on question 1's page
    assert "that answer was for question 1, but question 2 is on screen now" in html.unescape(late.text)
    assert (await _view(client, view["id"]))["answered"] == 0


async def test_review_screen_and_submit_with_confirmation(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="drill", mode="exam", tasks=["2.2"], count=4)
    view = await act_ok(client, view, "answer", index=0, response=key_presented(local_site, view["id"], 0))
    view = await act_ok(client, view, "flag", index=0)
    view = await act_ok(client, view, "flag", index=2)
    last = await _post(client, await act_ok(client, view, "navigate", index=3), do="next")
    assert last.status_code == 303 and last.headers["location"] == f"/attempts/{view['id']}/finish"
    page = await client.get(last.headers["location"])
    text = page.text
    assert page.status_code == 200 and "Review before you submit" in text
    assert "Unanswered (3)" in text and "Flagged for review (2)" in text
    assert 'value="go:1"' in text and 'value="go:2"' in text and 'id="confirm-submit"' in text
    view = await _view(client, view["id"])
    token = form_csrf(text)
    jump = await client.post(
        f"/attempts/{view['id']}/actions",
        data={"csrf_token": token, "expected_version": str(view["version"]), "do": "go:2", "back": "finish"},
    )
    assert jump.status_code == 303 and (await _view(client, view["id"]))["current"] == 2
    view = await _view(client, view["id"])
    submit = {"csrf_token": token, "expected_version": str(view["version"]), "do": "submit", "back": "finish"}
    unconfirmed = await client.post(f"/attempts/{view['id']}/actions", data=submit)
    assert (
        unconfirmed.status_code == 422
        and "Tick the box" in unconfirmed.text
        and "Review before you submit" in unconfirmed.text
    )
    done = await client.post(f"/attempts/{view['id']}/actions", data={**submit, "confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == f"/attempts/{view['id']}/report"
    assert (await client.get(f"/attempts/{view['id']}")).headers["location"] == f"/attempts/{view['id']}/report"
    late = await _post(client, view, do="flag")
    assert late.status_code == 303 and late.headers["location"].endswith("/report")


async def test_report_page(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)
    for index in range(30):
        if index:
            view = await act_ok(client, view, "navigate", index=index)
        view = await act_ok(client, view, "answer", index=index, response=key_presented(local_site, view["id"], index))
    view = await act_ok(client, view, "flag", index=3)
    local_site.clock.advance(minutes=7)
    view = await act_ok(client, view, "submit")
    report = (await client.get(f"/api/attempts/{view['id']}/report")).json()
    page = (await client.get(f"/attempts/{view['id']}/report")).text
    assert f'<strong class="big-number">{report["scaled_score"]}</strong>' in page
    assert "estimate" in page and 'id="how-scaled"' in page
    # "How it is estimated" is a page of the app, not a file path of the repository.
    assert 'href="/help/scoring" id="how-estimated"' in page and "docs/scoring.md" not in page
    help_page = await client.get("/help/scoring")
    assert help_page.status_code == 200 and "two straight lines" in help_page.text
    assert ("Pass" if report["passed"] else "Fail") in page
    assert f"{report['raw_correct']} of 50 scored questions right" in page
    for domain in report["domains"]:
        assert f"Domain {domain['id']}: " in page and domain["title"] in html.unescape(page)
    assert page.count('<svg class="bar"') == len(report["domains"])
    for task in report["tasks"]:
        assert f"{task['id']} {html.escape(task['title'], quote=False)}" in page
    assert "needs improvement" in page and "Time per question" in page and "7:00" in page
    assert 'href="/attempts/' + view["id"] + '/review?show=flagged#q-4"' in page
    assert 'action="/attempts/' + view["id"] + '/retake-missed"' in page
    retake = await client.post(f"/attempts/{view['id']}/retake-missed", data={"csrf_token": form_csrf(page)})
    assert retake.status_code == 303
    again = await _view(client, retake.headers["location"].rsplit("/", 1)[1])
    assert again["count"] == 65 - report["raw_correct"] - sum(1 for i in report["items"][:30] if not i["scored"])


async def test_review_page_shows_answers_keys_rationales_and_filters(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=2)
    kinds = [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.ORDERING, QuestionType.MATCHING]
    indexes = [first_index_of(local_site, view["id"], k) for k in kinds]
    for index in indexes:
        assert index is not None
        view = await act_ok(client, view, "navigate", index=index)
        view = await act_ok(
            client, view, "answer", index=index, response=wrong_presented(local_site, view["id"], index)
        )
    view = await act_ok(client, view, "flag", index=indexes[0])
    view = await act_ok(client, view, "submit")
    page = html.unescape((await client.get(f"/attempts/{view['id']}/review")).text)
    assert page.count('class="review-item') == 65
    for index in indexes:
        assert index is not None
        _, question = item(local_site, view["id"], index)
        section = page[page.index(f'id="q-{index + 1}"') :]
        section = section[: section.index("</article>")]
        assert 'badge bad">wrong' in section
        marker = {"single": "correct answer", "multiple": "correct answer", "ordering": "The right order"}
        assert marker.get(question.type.value, "Right match") in section
        for part in (*question.options, *question.steps, *question.pairs):
            if part.rationale:
                words = re.search(r"[A-Za-z][A-Za-z ,]{20,}", part.rationale)
                assert words is None or words.group(0) in section
        assert question.references[0].url.host in section
        assert f"/questions/{question.id}/report?revision={question.revision}&attempt_id={view['id']}" in section
    assert "unscored" in page
    cases = {it.case_id for it in state(local_site, view["id"]).form.items if it.case_id}
    assert ("Case study:" in page) == bool(cases)
    wrong = (await client.get(f"/attempts/{view['id']}/review?show=wrong")).text
    assert wrong.count('class="review-item') == 65 - sum(
        1 for i in (await client.get(f"/api/attempts/{view['id']}/report")).json()["items"] if i["correct"]
    )
    assert 'aria-current="page" data-show="wrong"' in wrong
    flagged = (await client.get(f"/attempts/{view['id']}/review?show=flagged")).text
    assert flagged.count('class="review-item') == 1
    domain = (await client.get(f"/attempts/{view['id']}/review?domain=4")).text
    assert 'value="4" selected' in domain and "Domain 1 ·" not in domain
    form = await client.get(
        f"/questions/{item(local_site, view['id'], 0)[1].id}/report?revision=1&attempt_id={view['id']}",
        headers={"HX-Request": "true"},
    )
    assert form.status_code == 200 and f'name="attempt_id" value="{view["id"]}"' in form.text


async def test_practice_runner_page_shows_feedback_and_pause(local_site: Site) -> None:
    client = local_site.client()
    view = await start(
        client, selection="drill", mode="practice", domains=["3"], types=["single"], count=3, time_limit_minutes=20
    )
    page = (await client.get(f"/attempts/{view['id']}")).text
    assert 'value="pause"' in page and "Not quite" not in page and 'id="btn-check"' in page
    wrong = str(wrong_presented(local_site, view["id"], 0))
    await _post(client, view, do="save", fields="single", answer=wrong)
    page = html.unescape((await client.get(f"/attempts/{view['id']}")).text)
    assert "Not quite" not in page and "References:" not in page  # saved, not graded: no feedback yet
    view = await _view(client, view["id"])
    key = str(key_presented(local_site, view["id"], 0))
    # without JavaScript: the form posts the ticked answer and "Check answer" together
    checked = await _post(client, view, do="check", fields="single", answer=key)
    assert checked.status_code == 303
    page = html.unescape((await client.get(f"/attempts/{view['id']}")).text)
    assert "Correct" in page and "References:" in page and "graded and locked" in page
    assert '<fieldset class="choices" aria-describedby="question-stem" disabled>' in page
    assert 'name="fields"' not in page and 'id="btn-check"' not in page and 'id="btn-clear"' not in page
    view = await _view(client, view["id"])
    refused = await _post(client, view, do="save", fields="single", answer=wrong)  # a stale page tries to change it
    assert refused.status_code == 409 and "question 1 is checked: its answer is locked" in html.unescape(refused.text)
    assert (await _view(client, view["id"]))["question"]["response"] == int(key)
    view = await _view(client, view["id"])
    await _post(client, view, do="pause")
    page = (await client.get(f"/attempts/{view['id']}")).text
    assert "Paused" in page and 'value="resume"' in page and 'name="fields"' not in page
    stem_start = html.escape(view["question"]["stem"].split("\n")[0][:40], quote=False)
    assert 'id="question-stem"' not in page and stem_start not in page  # hidden while the clock is stopped
    assert "Correct" not in page and "Not quite" not in page
    await _post(client, await _view(client, view["id"]), do="resume")
    assert (await _view(client, view["id"]))["paused"] is False


async def test_dashboard_shows_scores_and_progress_by_domain(local_site: Site) -> None:
    client = local_site.client()
    empty = (await client.get("/api/dashboard")).json()
    assert all(p["answers"] == 0 for p in empty["progress"])
    view = await start(client, selection="fixed", form=1)
    for index in range(65):
        if index:
            view = await act_ok(client, view, "navigate", index=index)
        view = await act_ok(client, view, "answer", index=index, response=key_presented(local_site, view["id"], index))
    view = await act_ok(client, view, "submit")
    data = (await client.get("/api/dashboard")).json()
    assert data["recent_attempts"][0]["scaled_score"] == 1000 and data["recent_attempts"][0]["raw_score"] == 50
    assert data["recent_attempts"][0]["full_length"] is True and data["recent_attempts"][0]["passed"] is True
    # Each domain's one figure: mastery from every answer (65 of them, unscored ones too), all right.
    mla = {p["id"]: p for p in data["progress"] if p["exam"] == "MLA-C01"}
    assert sum(p["answers"] for p in mla.values()) == 65
    assert all(
        p["mean"] > 0.8 and p["text"] == f"mastery {p['percent']}%, from {p['answers']} answers" for p in mla.values()
    )
    page = (await client.get("/")).text
    assert f'href="/attempts/{view["id"]}/report"' in page and ">1000<" in page
    one = mla["1"]
    assert f'aria-label="MLA-C01 domain 1: {one["text"]}"' in page
    open_attempt = await start(client, selection="fixed", form=2)
    steps = (await client.get("/api/dashboard")).json()["next_steps"]
    assert steps[0]["href"] == f"/attempts/{open_attempt['id']}"


async def test_attempts_page_lists_and_links(local_site: Site) -> None:
    client = local_site.client()
    done = await act_ok(
        client, await start(client, selection="drill", mode="practice", tasks=["1.1"], count=2), "submit"
    )
    open_one = await start(client, selection="fixed", form=1)
    page = (await client.get("/attempts")).text
    assert f'href="/attempts/{open_one["id"]}"' in page and f'href="/attempts/{done["id"]}/report"' in page
    assert f'href="/attempts/{done["id"]}/review"' in page and "in progress" in page


def test_inline_markdown_of_choices_is_sanitized() -> None:
    from certprep.web.markdown import render_markdown_inline
    from certprep.web.render import format_duration

    out = str(
        render_markdown_inline(
            "Use `ml.m5` **now** <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
        )
    )
    assert "<code>ml.m5</code>" in out and "<strong>now</strong>" in out
    assert "<script" not in out and "alert(1)</" not in out and "<img" not in out
    assert "<a " not in out and "<p>" not in out  # the javascript: link stays text; no paragraph inside a label
    assert [format_duration(s) for s in (0, 59.9, 61, 3600, 7800, None)] == [
        "0:00",
        "0:59",
        "1:01",
        "1:00:00",
        "2:10:00",
        "",
    ]


def test_the_docs_show_the_screenshots_they_link() -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    links = re.findall(r"\(screenshots/([\w-]+\.png)\)", (docs / "web.md").read_text())
    assert len(set(links)) >= 11
    for name in links:
        data = (docs / "screenshots" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 400_000, name


async def test_odd_numbers_in_the_runner_forms_are_refused_with_a_plain_message(local_site: Site) -> None:
    client = local_site.client()
    token = form_csrf((await client.get("/exams")).text)
    for field in ("count", "form", "time_limit_minutes"):
        for value in ("\u00b2", "9" * 5000):
            data = {"csrf_token": token, "exam": "MLA-C01", "selection": "custom", field: value}
            refused = await client.post("/attempts", data=data)
            assert refused.status_code == 422, (field, value[:3])
            assert "must be a whole number" in refused.text or "at most 8 characters" in refused.text
    view = await start(client, selection="fixed", form=1)
    index = first_index_of(local_site, view["id"], QuestionType.SINGLE)
    view = await act_ok(client, view, "navigate", index=index)
    for value in ("\u00b2", "9" * 5000, "-1", "99"):
        refused = await _post(client, view, do="save", fields="single", index=str(index), answer=value)
        # Not Python's own message for a number too long to convert ("...limit (4300 digits)..."); the
        # page's attempt id, a random UUID, may hold "4300" by chance.
        assert refused.status_code == 422 and "is not on screen" in refused.text
        assert "4300 digits" not in refused.text and "integer string conversion" not in refused.text
    assert (await _view(client, view["id"]))["version"] == view["version"]  # nothing stored


async def test_an_answer_saved_before_a_refused_button_is_reported_as_saved(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="fixed", form=1)  # exam mode: no pause
    index = first_index_of(local_site, view["id"], QuestionType.SINGLE)
    view = await act_ok(client, view, "navigate", index=index)
    page = await _post(client, view, do="pause", fields="single", index=str(index), answer="0")
    assert page.status_code == 409
    text = html.unescape(page.text)
    assert "Your answer is saved, but an exam cannot be paused" in text and "Not saved" not in text
    assert (await _view(client, view["id"]))["answered"] == 1
