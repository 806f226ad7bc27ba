"""The study pages and their JSON twins: the flashcard queue and review (ratings with a version,
missed questions answered in place), review statistics, lessons, cheat sheets; CSRF and scoping."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from certprep.content.schema import Question, QuestionType
from certprep.exam.scoring import key_response, response_to_json, to_presented
from certprep.services import cards
from certprep.services.cards import presentation
from certprep.web.routes.study import TWINS
from tests.web.conftest import Site, csrf_token, form_csrf, post_json, signed_in
from tests.web.exam_helpers import SECRET_KEYS

pytestmark = pytest.mark.anyio

LESSON = "lesson-mla-1-1"
SHEET = "cheatsheet-mla-d1"
SECTIONS = ("You will learn", "Main content", "Examples", "Common mistakes", "Mini exercises")


# --- helpers --------------------------------------------------------------------------------------


async def _user_id(client: httpx.AsyncClient) -> int:
    user_id: int = (await client.get("/api/session")).json()["user"]["id"]
    return user_id


def _question(site: Site, kind: QuestionType) -> Question:
    return sorted((q for q in site.app.pack.questions if q.type is kind), key=lambda q: q.id)[0]


def _miss(site: Site, user_id: int, question_id: str, now: datetime | None = None) -> None:
    """Put a question on the user's review schedule, as a wrong answer in any mode does."""
    with site.app.engine.begin() as conn:
        cards.record_missed(conn, user_id, question_id, now or site.clock.now)


def _key(q: Question, user_id: int, version: int) -> Any:
    """The right answer in screen positions of the card view shown at ``version``."""
    return response_to_json(to_presented(presentation(q, user_id, version), key_response(q)))


def _wrong(q: Question, key: Any) -> Any:
    if q.type is QuestionType.SINGLE:
        return (key + 1) % len(q.options)
    if q.type is QuestionType.MULTIPLE:
        return [p for p in range(len(q.options)) if p not in key][:1] + key[1:]
    if q.type is QuestionType.ORDERING:
        return list(reversed(key))
    return {k: (v + 1) % len(q.responses) for k, v in key.items()}


def _secrets(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value if k in SECRET_KEYS] + [s for v in value.values() for s in _secrets(v)]
    if isinstance(value, list):
        return [s for v in value for s in _secrets(v)]
    return []


async def _rate(client: httpx.AsyncClient, item_id: str, rating: Any, version: Any) -> httpx.Response:
    return await post_json(client, f"/api/cards/{item_id}/rating", {"rating": rating, "expected_version": version})


async def _answer(client: httpx.AsyncClient, item_id: str, response: Any, version: int) -> httpx.Response:
    return await post_json(client, f"/api/cards/{item_id}/answer", {"response": response, "expected_version": version})


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


# --- the queue and flashcards ---------------------------------------------------------------------


async def test_queue_twins_show_due_and_new_with_the_first_card(local_site: Site) -> None:
    client = local_site.client()
    limit = local_site.app.settings.new_cards_per_day
    data = (await client.get("/api/cards/queue")).json()
    assert data["due"] == 0 and data["new"] == limit and data["new_limit"] == limit
    assert len(data["items"]) == limit and data["exams"] == ["MLA-C02", "MLA-C01", "MLS-C01"]
    card = data["next"]
    assert card["kind"] == "flashcard" and card["version"] == 0 and card["item_id"] == data["items"][0]["item_id"]
    assert [(r["rating"], r["label"]) for r in card["ratings"]] == [(1, "Again"), (2, "Hard"), (3, "Good"), (4, "Easy")]
    assert all(r["next"] for r in card["ratings"])
    assert (await client.get(f"/api/cards/{card['item_id']}")).json() == card

    page = (await client.get("/cards")).text
    assert 'id="count-due">0<' in page and f'id="count-new">{limit}<' in page and 'href="/cards/review"' in page
    review = (await client.get("/cards/review")).text
    flashcard = local_site.app.pack.flashcards[0]
    assert flashcard.id == card["item_id"]
    text = _text(review)
    assert flashcard.front in text and flashcard.back.split(".")[0] in text
    assert '<summary class="button" id="show-answer">Show answer</summary>' in review
    for r in card["ratings"]:
        assert f'data-rating="{r["rating"]}"' in review and f"{r['label']} · {r['next']}" in text
    assert f'name="expected_version" value="{card["version"]}"' in review


async def test_rating_json_refuses_a_stale_version_and_a_bad_rating(local_site: Site) -> None:
    client = local_site.client()
    item = (await client.get("/api/cards/queue")).json()["next"]["item_id"]
    done = await _rate(client, item, 3, 0)
    assert done.status_code == 200, done.text
    assert done.json()["version"] == 1 and done.json()["rating"] == 3
    stale = await _rate(client, item, 1, 0)
    assert stale.status_code == 409 and "reviewed elsewhere" in stale.json()["detail"]
    for rating in (0, 5, 7, "3", None, True):
        bad = await _rate(client, item, rating, 1)
        assert bad.status_code == 422, rating
    assert (await _rate(client, item, 3, -1)).status_code == 422
    assert (await _rate(client, "no-such-card", 3, 0)).status_code == 404
    refused = await client.post(f"/api/cards/{item}/rating", json={"rating": 3, "expected_version": 1})
    assert refused.status_code == 403  # no CSRF token
    stats = (await client.get("/api/cards/stats")).json()
    assert stats["reviews_total"] == 1  # only the first rating was written
    assert (await client.get(f"/api/cards/{item}")).json()["version"] == 1


async def test_rating_form_goes_to_the_next_card_and_a_stale_form_says_so(local_site: Site) -> None:
    client = local_site.client()
    page = (await client.get("/cards/review")).text
    first = (await client.get("/api/cards/queue")).json()["next"]
    fields = {"csrf_token": form_csrf(page), "rating": "3", "expected_version": "0", "exam": ""}
    sent = await client.post(f"/cards/{first['item_id']}/rating", data=fields)
    assert sent.status_code == 303 and sent.headers["location"] == "/cards/review"
    after = (await client.get("/api/cards/queue")).json()
    assert after["next"]["item_id"] != first["item_id"] and after["new_introduced_today"] == 1
    assert first["front"] not in _text((await client.get("/cards/review")).text)

    again = await client.post(f"/cards/{first['item_id']}/rating", data=fields)  # the same form, a second time
    assert again.status_code == 409 and "text/html" in again.headers["content-type"]
    assert "Not saved" in again.text and "reviewed elsewhere" in again.text and 'role="alert"' in again.text
    assert after["next"]["front"] in _text(again.text)  # the page shows the queue as it is now
    bad = await client.post(f"/cards/{after['next']['item_id']}/rating", data={**fields, "rating": "9"})
    assert bad.status_code == 422 and "choose Again, Hard, Good or Easy" in bad.text
    assert (await client.get("/api/cards/stats")).json()["reviews_total"] == 1
    no_token = await client.post(
        f"/cards/{after['next']['item_id']}/rating", data={"rating": "3", "expected_version": "0"}
    )
    assert no_token.status_code == 403 and "CSRF check failed" in no_token.text


async def test_digits_that_are_not_plain_digits_are_refused_not_a_crash(local_site: Site) -> None:
    """``"²".isdigit()`` is true but ``int("²")`` fails: such fields get a 4xx with a message."""
    client = local_site.client()
    user_id = await _user_id(client)
    page = (await client.get("/cards/review")).text
    first = (await client.get("/api/cards/queue")).json()["next"]
    fields = {"csrf_token": form_csrf(page), "rating": "3", "expected_version": "0", "exam": ""}
    for field in ("rating", "expected_version"):
        sent = await client.post(f"/cards/{first['item_id']}/rating", data={**fields, field: "\u00b2"})
        assert 400 <= sent.status_code < 500, (field, sent.status_code)
    q = _question(local_site, QuestionType.ORDERING)
    _miss(local_site, user_id, q.id)
    form = {"csrf_token": form_csrf(page), "expected_version": "1"}
    for extra in ({"order": "\u00b2"}, {"omit": "\u00b2"}, {"do": "up:\u00b2"}, {"expected_version": "\u00b2"}):
        sent = await client.post(f"/cards/{q.id}/answer", data={**form, **extra})
        assert sent.status_code < 500, (extra, sent.status_code)
    assert (await client.get("/api/cards/stats")).json()["reviews_total"] == 0


async def test_exam_filter(local_site: Site) -> None:
    client = local_site.client()
    data = (await client.get("/api/cards/queue?exam=MLS-C01")).json()
    assert data["exam"] == "MLS-C01" and data["items"]
    wanted = {c.id for c in local_site.app.pack.flashcards if any(e.exam == "MLS-C01" for e in c.exams)}
    assert {i["item_id"] for i in data["items"]} <= wanted
    assert (await client.get("/api/cards/queue?exam=NOPE-X01")).status_code == 422
    assert (await client.get("/cards?exam=NOPE-X01")).status_code == 422
    page = (await client.get("/cards?exam=MLS-C01")).text
    assert '<option value="MLS-C01" selected>' in page and 'href="/cards/review?exam=MLS-C01"' in page
    review = (await client.get("/cards/review?exam=MLS-C01")).text
    assert 'name="exam" value="MLS-C01"' in review
    item = data["next"]["item_id"]
    sent = await client.post(
        f"/cards/{item}/rating",
        data={"csrf_token": form_csrf(review), "rating": "4", "expected_version": "0", "exam": "MLS-C01"},
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/cards/review?exam=MLS-C01"


async def test_nothing_to_review(make_site: Any) -> None:
    site: Site = make_site()
    site.app.settings.new_cards_per_day = 0
    client = site.client()
    data = (await client.get("/api/cards/queue")).json()
    assert data["items"] == [] and data["next"] is None
    assert 'id="queue-empty"' in (await client.get("/cards")).text
    assert "Nothing to review now" in (await client.get("/cards/review")).text


# --- missed questions -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(QuestionType))
async def test_missed_question_answered_in_place_json(local_site: Site, kind: QuestionType) -> None:
    client = local_site.client()
    uid = await _user_id(client)
    q = _question(local_site, kind)
    _miss(local_site, uid, q.id)
    queue = (await client.get("/api/cards/queue")).json()
    assert queue["items"][0] == {"item_id": q.id, "kind": "question", "source": "review"} and queue["due"] == 1
    card = queue["next"]
    assert card["kind"] == "question" and card["type"] == kind.value and card["ratings"] == []
    assert not _secrets(card), card  # no key and no rationale before the answer
    assert sorted(card["choices"]) == sorted(
        [o.text for o in q.options] or [s.text for s in (*q.steps, *q.distractor_steps)] or list(q.responses)
    )
    key = _key(q, uid, card["version"])

    wrong = await _answer(client, q.id, _wrong(q, key), card["version"])
    assert wrong.status_code == 200, wrong.text
    result = wrong.json()
    assert result["correct"] is False and result["rating"] == 1 and result["key"] == key
    assert result["version"] == card["version"] + 1
    assert [c["text"] for c in result["choices"]] == card["choices"]
    assert all(c["rationale"] for c in result["choices"]) or kind is QuestionType.MATCHING
    assert result["references"] and result["references"][0]["url"].startswith("https://")
    if kind is QuestionType.MATCHING:
        assert [m["prompt"] for m in result["matches"]] == card["prompts"] and all(
            m["rationale"] for m in result["matches"]
        )
    if kind is QuestionType.ORDERING:
        assert result["right_order"] == [s.text for s in q.steps]

    assert (await _answer(client, q.id, key, card["version"])).status_code == 409  # the version it was shown with
    local_site.clock.advance(hours=1)  # Again brings it back within minutes
    # Back from its learning step, among the day's new cards (not ahead of all of them).
    back = (await client.get("/api/cards/queue", params={"show": q.id})).json()
    assert {"item_id": q.id, "kind": "question", "source": "learning"} in back["items"]
    again = back["next"]
    assert again["item_id"] == q.id and again["version"] == card["version"] + 1
    right = await _answer(client, q.id, _key(q, uid, again["version"]), again["version"])
    assert right.status_code == 200 and right.json()["correct"] is True and right.json()["rating"] == 3


async def test_choices_of_ordering_and_matching_never_show_the_key_order(local_site: Site) -> None:
    questions = [q for q in local_site.app.pack.questions if q.type in (QuestionType.ORDERING, QuestionType.MATCHING)]
    for q in questions:
        for uid in (1, 2):
            for version in range(4):
                order = presentation(q, uid, version)
                assert sorted(order) == list(range(len(order))) and order != tuple(sorted(order)), q.id
                assert order == presentation(q, uid, version)  # the same for the page and the answer


async def test_invalid_answers_and_mixed_up_kinds_are_422(local_site: Site) -> None:
    client = local_site.client()
    uid = await _user_id(client)
    q = _question(local_site, QuestionType.SINGLE)
    _miss(local_site, uid, q.id)
    for response in (9, [0, 1], {"0": 1}, -1):
        bad = await _answer(client, q.id, response, 1)
        assert bad.status_code == 422, response
    rated = await _rate(client, q.id, 3, 1)
    assert rated.status_code == 422 and "answered, not rated" in rated.json()["detail"]
    flashcard = local_site.app.pack.flashcards[0].id
    answered = await _answer(client, flashcard, 0, 0)
    assert answered.status_code == 422 and "rated, not answered" in answered.json()["detail"]
    assert (await client.get(f"/api/cards/{q.id}")).json()["version"] == 1  # nothing written


async def test_missed_single_question_answered_in_the_page(local_site: Site) -> None:
    client = local_site.client()
    uid = await _user_id(client)
    q = _question(local_site, QuestionType.SINGLE)
    _miss(local_site, uid, q.id)
    page = (await client.get("/cards/review")).text
    assert f'action="/cards/{q.id}/answer"' in page and 'type="radio"' in page and "A question you missed" in page
    for option in q.options:
        assert option.rationale is not None and option.rationale.strip()[:40] not in page  # no rationale yet
    token = form_csrf(page)
    empty = await client.post(f"/cards/{q.id}/answer", data={"csrf_token": token, "expected_version": "1"})
    assert empty.status_code == 422 and "choose an answer first" in empty.text
    key = _key(q, uid, 1)
    sent = await client.post(
        f"/cards/{q.id}/answer", data={"csrf_token": token, "expected_version": "1", "answer": str(key), "do": "submit"}
    )
    assert sent.status_code == 200 and 'data-kind="result"' in sent.text
    text = _text(sent.text)
    assert "Right" in text and "Counted as Good" in text
    for option in q.options:
        assert option.rationale is not None and _text(option.rationale)[:40] in text
    assert q.references[0].title in text and 'id="btn-next" href="/cards/review"' in sent.text
    assert (await client.get(f"/api/cards/{q.id}")).json()["version"] == 2
    stale = await client.post(
        f"/cards/{q.id}/answer", data={"csrf_token": token, "expected_version": "1", "answer": "0"}
    )
    assert stale.status_code == 409 and "reviewed elsewhere" in stale.text


async def test_missed_ordering_question_moves_steps_without_storing_then_answers(local_site: Site) -> None:
    client = local_site.client()
    uid = await _user_id(client)
    q = _question(local_site, QuestionType.ORDERING)
    _miss(local_site, uid, q.id)
    page = (await client.get("/cards/review")).text
    size = len(q.steps) + len(q.distractor_steps)
    shown = [int(p) for p in re.findall(r'name="order" value="(\d+)"', page)]
    assert shown == list(range(size)) and 'data-move="up"' in page and 'value="up:1"' in page
    token = form_csrf(page)
    moved = await client.post(
        f"/cards/{q.id}/answer",
        data={"csrf_token": token, "expected_version": "1", "order": [str(p) for p in shown], "do": "up:1"},
    )
    assert moved.status_code == 200
    assert [int(p) for p in re.findall(r'name="order" value="(\d+)"', moved.text)] == [1, 0, *range(2, size)]
    assert 'data-focus="step-1-up"' in moved.text
    assert (await client.get(f"/api/cards/{q.id}")).json()["version"] == 1  # a move stores nothing

    key = _key(q, uid, 1)
    left_out = [str(p) for p in range(size) if p not in key]
    sent = await client.post(
        f"/cards/{q.id}/answer",
        data={
            "csrf_token": token,
            "expected_version": "1",
            "order": [str(p) for p in key] + left_out,
            "omit": left_out,
        },
    )
    assert sent.status_code == 200 and "Right" in _text(sent.text) and "The right order" in sent.text
    assert (await client.get(f"/api/cards/{q.id}")).json()["version"] == 2


async def test_missed_matching_question_in_the_page(local_site: Site) -> None:
    client = local_site.client()
    uid = await _user_id(client)
    q = _question(local_site, QuestionType.MATCHING)
    _miss(local_site, uid, q.id)
    page = (await client.get("/cards/review")).text
    assert page.count('name="match"') == len(q.pairs)
    key = _key(q, uid, 1)
    wrong = _wrong(q, key)
    sent = await client.post(
        f"/cards/{q.id}/answer",
        data={
            "csrf_token": form_csrf(page),
            "expected_version": "1",
            "match": [str(wrong[str(i)]) for i in range(len(q.pairs))],
        },
    )
    assert sent.status_code == 200
    text = _text(sent.text)
    assert "Wrong" in text and "Counted as Again" in text and "Right match" in text
    assert all(p.rationale and _text(p.rationale)[:30] in text for p in q.pairs)


async def test_a_wrong_practice_answer_becomes_a_review_item(local_site: Site) -> None:
    from tests.web.exam_helpers import act_ok, start, wrong_presented

    client = local_site.client()
    view = await start(client, selection="drill", mode="practice", tasks=["1.1"], count=1)
    view = await act_ok(client, view, "answer", index=0, response=wrong_presented(local_site, view["id"], 0))
    assert (await client.get("/api/cards/queue")).json()["items"][0]["kind"] == "flashcard"  # not graded yet
    await act_ok(client, view, "check", index=0)  # graded: the miss goes on the review schedule
    qid = view["question"]["id"]
    queue = (await client.get("/api/cards/queue")).json()
    assert queue["items"][0] == {"item_id": qid, "kind": "question", "source": "review"}


# --- scoping and access ---------------------------------------------------------------------------


async def test_user_b_cannot_see_user_a_review_items(multi_site: Site) -> None:
    ada = await signed_in(multi_site, "ada")
    bob = await signed_in(multi_site, "bob")
    q = _question(multi_site, QuestionType.SINGLE)
    _miss(multi_site, await _user_id(ada), q.id)
    flashcard = multi_site.app.pack.flashcards[0].id
    assert (await _rate(ada, flashcard, 3, 0)).status_code == 200
    assert (await ada.get(f"/api/cards/{q.id}")).status_code == 200

    theirs, missing = await bob.get(f"/api/cards/{q.id}"), await bob.get("/api/cards/no-such-item")
    assert theirs.status_code == missing.status_code == 404 and theirs.json() == missing.json()
    assert (await _answer(bob, q.id, 0, 1)).status_code == 404
    assert (await _answer(bob, q.id, 0, 0)).status_code == 404
    assert (await _rate(bob, q.id, 3, 1)).status_code == 404
    queue = (await bob.get("/api/cards/queue")).json()
    assert all(i["kind"] == "flashcard" for i in queue["items"]) and queue["due"] == 0
    assert queue["next"]["item_id"] == flashcard and queue["next"]["version"] == 0  # Ada's rating is hers
    stats = (await bob.get("/api/cards/stats")).json()
    assert stats["cards_known"] == 0 and stats["reviews_total"] == 0
    page = (await bob.get("/cards/review")).text
    assert _text(q.stem)[:40] not in _text(page)
    form = await bob.post(f"/cards/{q.id}/answer", data={"csrf_token": form_csrf(page), "expected_version": "1"})
    assert form.status_code == 404
    assert (await ada.get(f"/api/cards/{q.id}")).json()["version"] == 1


async def test_study_pages_need_a_signed_in_user(multi_site: Site) -> None:
    visitor = multi_site.client()
    for html_path, api_path in TWINS.items():
        path = html_path.format(lesson_id=LESSON, sheet_id=SHEET)
        page = await visitor.get(path)
        assert page.status_code == 303 and page.headers["location"].startswith("/sign-in?next="), path
        api = await visitor.get(api_path.format(lesson_id=LESSON, sheet_id=SHEET))
        assert api.status_code == 401, api_path
    token = await csrf_token(visitor)
    refused = await visitor.post(
        "/api/cards/x-y-z/rating", json={"rating": 3, "expected_version": 0}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code == 401


# --- statistics -----------------------------------------------------------------------------------


async def test_stats_twins_heatmap_forecast_and_retention(local_site: Site) -> None:
    client = local_site.client()
    item = (await client.get("/api/cards/queue")).json()["next"]["item_id"]
    today = local_site.clock.now.date().isoformat()
    empty = (await client.get("/api/cards/stats")).json()
    assert empty["reviews_total"] == 0 and empty["true_retention"] is None and empty["desired_retention"] == 0.9
    assert "not measured yet" in (await client.get("/cards/stats")).text

    # Good, Good (out of the learning steps), then Good again when due: a review of a card in Review.
    version = 0
    for _ in range(3):
        done = await _rate(client, item, 3, version)
        assert done.status_code == 200, done.text
        version = done.json()["version"]
        local_site.clock.now = max(local_site.clock.now, datetime.fromisoformat(done.json()["due"]))
    local_site.clock.now -= timedelta(seconds=1)  # the last rating's due date is in the future again
    stats = (await client.get("/api/cards/stats")).json()
    assert stats["reviews_total"] == 3 and sum(stats["reviews_per_day"].values()) == 3
    assert stats["reviews_per_day"][today] >= 2 and len(stats["due_forecast"]) == 30
    assert stats["true_retention"] == 1.0 and stats["retention_reviews"] == 1 and stats["cards_known"] == 1
    assert datetime.fromisoformat(stats["since"]).weekday() == 0  # the heatmap starts on a Monday

    page = (await client.get("/cards/stats")).text
    assert (
        '<svg class="heatmap"' in page and '<title id="heatmap-title">' in page and '<desc id="heatmap-desc">' in page
    )
    assert 'aria-labelledby="heatmap-title heatmap-desc"' in page and 'id="reviews-table"' in page
    assert re.search(rf'data-day="{today}" data-count="{stats["reviews_per_day"][today]}"', page)
    assert f'<tr><th scope="row">{today}</th><td class="num">{stats["reviews_per_day"][today]}</td></tr>' in page
    assert '<svg class="forecast"' in page and 'id="forecast-table"' in page
    assert 'id="true-retention">100%<' in page and 'id="desired-retention">90%<' in page
    assert page.count("<rect class=") >= 26 * 7 - 6 + 30


# --- lessons and cheat sheets ---------------------------------------------------------------------


async def test_lessons_list_every_task_statement(local_site: Site) -> None:
    client = local_site.client()
    data = (await client.get("/api/lessons")).json()
    assert data["lessons_total"] == len(local_site.app.pack.lessons)
    exams = {e["code"]: e for e in data["exams"]}
    assert set(exams) == {"MLA-C02", "MLA-C01", "MLS-C01"}
    for exam in exams.values():
        for domain in exam["domains"]:
            for task in domain["tasks"]:
                assert task["lessons"], (exam["code"], task["id"])  # every task statement has a lesson
    page = (await client.get("/lessons")).text
    bp = local_site.app.pack.blueprints["MLA-C01"]
    for d in bp.domains:
        for t in d.tasks:
            assert html.escape(t.title) in page or t.title in _text(page)
    assert f'href="/lessons/{LESSON}"' in page


async def test_lesson_page_renders_sections_links_and_drill(local_site: Site) -> None:
    client = local_site.client()
    data = (await client.get(f"/api/lessons/{LESSON}")).json()
    assert data["lesson"]["id"] == LESSON and "## You will learn" in data["lesson"]["body"]
    tasks = {(t["exam"], t["task"]): t for t in data["tasks"]}
    assert ("MLA-C01", "1.1") in tasks and tasks[("MLA-C01", "1.1")]["questions"] > 0
    fronts = [c["front"] for c in data["flashcards"]]
    assert len(fronts) >= 8 and local_site.app.pack.flashcards[0].front in fronts

    page = (await client.get(f"/lessons/{LESSON}")).text
    for section in SECTIONS:
        assert f"<h2>{section}</h2>" in page
    assert "<details><summary>Answer</summary>" in page and "<table>" in page
    assert '<link rel="stylesheet" href="/static/print.css' in page and "data-print hidden" in page
    assert page.count('<form class="inline-form" method="post" action="/attempts">') == len(data["tasks"])
    assert 'name="tasks" value="1.1"' in page and 'name="selection" value="drill"' in page
    assert html.escape(fronts[0]) in page or fronts[0] in _text(page)
    drill = await client.post(
        "/attempts",
        data={
            "csrf_token": form_csrf(page),
            "exam": "MLA-C01",
            "selection": "drill",
            "mode": "practice",
            "tasks": "1.1",
        },
    )
    assert drill.status_code == 303 and drill.headers["location"].startswith("/attempts/")
    assert (await client.get("/api/lessons/no-such-lesson")).json() == {"detail": "lesson not found"}
    missing = await client.get("/lessons/no-such-lesson")
    assert missing.status_code == 404 and "lesson not found" in missing.text


async def test_cheat_sheets(local_site: Site) -> None:
    client = local_site.client()
    data = (await client.get("/api/cheatsheets")).json()
    sheets = [s for e in data["exams"] for s in e["sheets"]]
    assert len(sheets) == len(local_site.app.pack.cheatsheets) == 12
    page = (await client.get("/cheatsheets")).text
    assert all(f'href="/cheatsheets/{s["id"]}"' in page for s in sheets)
    one = (await client.get(f"/api/cheatsheets/{SHEET}")).json()
    assert one["cheatsheet"]["exam"] == "MLA-C01" and one["cheatsheet"]["domain"] == "1"
    assert one["cheatsheet"]["domain_title"] and one["lessons"]
    sheet = (await client.get(f"/cheatsheets/{SHEET}")).text
    assert sheet.count("<table>") >= 3 and "<th>Format</th>" in sheet and "data-print hidden" in sheet
    assert f'href="/lessons/{one["lessons"][0]["id"]}"' in sheet
    assert (await client.get("/api/cheatsheets/nope")).status_code == 404
    assert (await client.get("/cheatsheets/nope")).status_code == 404


async def test_lesson_markdown_is_sanitized(make_site: Any, tmp_path: Any) -> None:
    import shutil

    from certprep.content import bundled_pack_path

    root = tmp_path / "pack"
    shutil.copytree(bundled_pack_path(), root)
    lesson = root / "lessons" / "mla-1-1.md"
    lesson.write_text(
        lesson.read_text().replace(
            "## Main content", "## Main content\n\n<script>alert(1)</script><img src=x onerror=alert(1)>", 1
        )
    )
    site: Site = make_site(pack_path=root)
    page = (await site.client().get(f"/lessons/{LESSON}")).text
    body = page[page.index('id="lesson-body"') :]
    assert "<script>alert" not in body and "onerror" not in body and "<details>" in body


# --- every page has its twin; the nav ---------------------------------------------------------------


async def test_study_twins_serve_the_same_data(local_site: Site) -> None:
    client = local_site.client()
    openapi = (await client.get("/api/openapi.json")).json()["paths"]
    for html_path, api_path in TWINS.items():
        params = {"lesson_id": LESSON, "sheet_id": SHEET}
        page, data = await client.get(html_path.format(**params)), await client.get(api_path.format(**params))
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), html_path
        assert data.status_code == 200 and data.headers["content-type"] == "application/json", api_path
        assert api_path in openapi and html_path not in openapi
        for key, value in data.json().items():
            if isinstance(value, str):
                assert value in page.text, (html_path, key)
    for path in ("/api/cards/{item_id}", "/api/cards/{item_id}/rating", "/api/cards/{item_id}/answer"):
        assert path in openapi
    assert (await client.get("/static/study.js")).status_code == 200
    assert (await client.get("/static/print.css")).status_code == 200


async def test_nav_links_to_the_study_pages(local_site: Site) -> None:
    client = local_site.client()
    page = (await client.get("/cards/review")).text
    nav = page[page.index('<nav class="site-nav"') : page.index("</nav>")]
    hrefs = re.findall(r'<a href="([^"]+)"', nav)
    study = [hrefs.index(h) for h in ("/cards", "/lessons", "/cheatsheets")]
    assert study == sorted(study) and hrefs.index("/attempts") < study[0] and study[-1] < hrefs.index("/admin/content")
    assert '<a href="/cards" aria-current="page">Cards</a>' in nav
    lesson = (await client.get(f"/lessons/{LESSON}")).text
    assert '<a href="/lessons" aria-current="page">Lessons</a>' in lesson
    assert "<script>" not in page  # no inline script: the CSP allows files from this server only


# --- issue 18, points 7 and 13: filters, daily limits, undo, Anki download -------------------------


async def test_queue_filters_on_the_page_and_its_twin(local_site: Site) -> None:
    client = local_site.client()
    uid = await _user_id(client)
    q = _question(local_site, QuestionType.SINGLE)
    _miss(local_site, uid, q.id)
    missed = (await client.get("/api/cards/queue", params={"kind": "missed"})).json()
    assert [i["item_id"] for i in missed["items"]] == [q.id] and missed["kind"] == "missed" and missed["new"] == 0
    only_cards = (await client.get("/api/cards/queue", params={"kind": "cards"})).json()
    assert q.id not in [i["item_id"] for i in only_cards["items"]] and only_cards["due"] == 0
    exam, task = q.exams[0].exam, q.exams[0].task
    domain = task.split(".")[0]
    other = next(d.id for d in local_site.app.pack.blueprints[exam].domains if d.id != domain)
    assert q.id in [
        i["item_id"]
        for i in (await client.get("/api/cards/queue", params={"exam": exam, "domain": domain})).json()["items"]
    ]
    elsewhere = (await client.get("/api/cards/queue", params={"exam": exam, "domain": other})).json()
    assert q.id not in [i["item_id"] for i in elsewhere["items"]]
    page = await client.get("/cards", params={"kind": "missed", "exam": exam, "domain": domain})
    assert page.status_code == 200
    assert f'href="/cards/review?kind=missed&amp;exam={exam}&amp;domain={domain}"' in page.text
    review = (await client.get("/cards/review", params={"kind": "missed"})).text
    assert 'name="kind" value="missed"' in review and "missed questions only" in review
    for params, message in [
        ({"kind": "everything"}, "unknown kind"),
        ({"exam": "NOPE-C01"}, "unknown exam"),
        ({"exam": exam, "domain": "99"}, "unknown domain"),
        ({"domain": "x" * 9}, ""),
        ({"kind": "cards\u0007"}, ""),
    ]:
        for url in ("/api/cards/queue", "/cards", "/cards/review"):
            refused = await client.get(url, params=params)
            assert refused.status_code == 422, (url, params)
            assert message in refused.text


async def test_daily_limits_form_and_twin(local_site: Site) -> None:
    client = local_site.client()
    before = (await client.get("/api/cards/settings")).json()
    assert before == {"new_per_day": 20, "reviews_per_day": cards.DEFAULT_REVIEWS_PER_DAY, "saved": False}
    page = (await client.get("/cards")).text
    assert 'id="limits-form"' in page and 'name="new_per_day"' in page
    fields = {"csrf_token": form_csrf(page), "new_per_day": "3", "reviews_per_day": "40", "kind": "cards"}
    sent = await client.post("/cards/settings", data=fields)
    assert sent.status_code == 303 and sent.headers["location"] == "/cards?kind=cards&saved=1"
    assert "Saved: at most 3 new cards and 40 reviews a day" in (await client.get(sent.headers["location"])).text
    queue = (await client.get("/api/cards/queue")).json()
    assert (queue["new"], queue["new_limit"], queue["review_limit"]) == (3, 3, 40) and queue["limits"]["saved"]
    bad = await client.post("/cards/settings", data={**fields, "new_per_day": "-1"})
    assert bad.status_code == 422 and "Not saved" in bad.text and 'value="-1"' in bad.text
    assert (await client.get("/api/cards/settings")).json()["new_per_day"] == 3
    no_token = await client.post("/cards/settings", data={"new_per_day": "5", "reviews_per_day": "5"})
    assert no_token.status_code == 403
    put = await client.put(
        "/api/cards/settings",
        json={"new_per_day": 7, "reviews_per_day": 70},
        headers={"X-CSRF-Token": await csrf_token(client)},
    )
    assert put.status_code == 200 and put.json() == {"new_per_day": 7, "reviews_per_day": 70, "saved": True}
    for body in (
        {"new_per_day": 7},
        {"new_per_day": "7", "reviews_per_day": 1},
        {"new_per_day": 1, "reviews_per_day": 10**6},
    ):
        refused = await client.put("/api/cards/settings", json=body, headers={"X-CSRF-Token": await csrf_token(client)})
        assert refused.status_code == 422


async def test_undo_the_last_rating_json_and_form(local_site: Site) -> None:
    client = local_site.client()
    first = (await client.get("/api/cards/queue")).json()["next"]
    assert (await client.get("/api/cards/queue")).json()["undo"] is None
    assert (await post_json(client, "/api/cards/undo")).status_code == 409
    assert (await _rate(client, first["item_id"], 4, 0)).status_code == 200
    queue = (await client.get("/api/cards/queue")).json()
    assert queue["undo"]["item_id"] == first["item_id"] and queue["undo"]["label"] == "Easy"
    assert first["item_id"] not in [i["item_id"] for i in queue["items"]]
    undone = await post_json(client, "/api/cards/undo")
    assert undone.status_code == 200 and undone.json()["item_id"] == first["item_id"]
    back = (await client.get("/api/cards/queue")).json()
    assert back["next"]["item_id"] == first["item_id"] and back["next"]["version"] == 0 and back["undo"] is None
    assert (await client.get("/api/cards/stats")).json()["reviews_total"] == 0
    again = await post_json(client, "/api/cards/undo")
    assert again.status_code == 409 and "only your last rating" in again.json()["detail"]

    page = (await client.get("/cards/review", params={"kind": "cards"})).text
    fields = {"csrf_token": form_csrf(page), "rating": "1", "expected_version": "0", "kind": "cards"}
    assert (await client.post(f"/cards/{first['item_id']}/rating", data=fields)).status_code == 303
    shown = (await client.get("/cards/review", params={"kind": "cards"})).text
    assert 'id="undo-form"' in shown and "Undo last rating" in shown
    form = {"csrf_token": form_csrf(shown), "kind": "cards"}
    sent = await client.post("/cards/undo", data=form)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/cards/review?kind=cards&show={first['item_id']}"
    assert first["front"] in _text((await client.get(sent.headers["location"])).text)
    twice = await client.post("/cards/undo", data=form)
    assert twice.status_code == 409 and "Not undone" in twice.text
    assert (await client.post("/cards/undo", data={"kind": "cards"})).status_code == 403


async def test_undo_is_per_user(multi_site: Site) -> None:
    alice = await signed_in(multi_site, "alice")
    bob = await signed_in(multi_site, "bob")
    first = (await alice.get("/api/cards/queue")).json()["next"]
    assert (await _rate(alice, first["item_id"], 3, 0)).status_code == 200
    assert (await post_json(bob, "/api/cards/undo")).status_code == 409
    assert (await alice.get("/api/cards/stats")).json()["reviews_total"] == 1


async def test_anki_download_from_the_cards_page(local_site: Site) -> None:
    import io
    import zipfile

    client = local_site.client()
    page = (await client.get("/cards", params={"exam": "MLA-C02", "domain": "2"})).text
    assert 'action="/cards/export.apkg"' in page and 'name="domain" value="2"' in page
    response = await client.get("/cards/export.apkg", params={"exam": "MLA-C02", "domain": "2"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="certprep-flashcards-MLA-C02-domain2.apkg"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        assert "collection.anki2" in z.namelist()
    everything = await client.get("/cards/export.apkg")
    assert (
        everything.status_code == 200
        and 'filename="certprep-flashcards.apkg"' in everything.headers["content-disposition"]
    )
    assert len(everything.content) > len(response.content)
    assert (await client.get("/cards/export.apkg", params={"exam": "NOPE"})).status_code == 422
    assert (await client.get("/cards/export.apkg", params={"domain": "0"})).status_code == 422


async def test_your_note_shows_after_a_missed_question_is_answered_not_before(local_site: Site) -> None:
    from certprep.store import notes as note_store

    client = local_site.client()
    uid = await _user_id(client)
    q = _question(local_site, QuestionType.SINGLE)
    _miss(local_site, uid, q.id)
    with local_site.app.transaction() as conn:
        note_store.put_note(
            conn, uid, q.id, {"note": "S3 holds the objects.", "bookmarked": True, "updated_at": local_site.clock.now}
        )
    page = (await client.get("/cards/review")).text
    assert "S3 holds the objects." not in page  # not a hint before the answer
    sent = await client.post(
        f"/cards/{q.id}/answer",
        data={"csrf_token": form_csrf(page), "expected_version": "1", "answer": str(_key(q, uid, 1))},
    )
    assert sent.status_code == 200 and "Your note:" in sent.text and "S3 holds the objects." in sent.text
    assert "bookmarked" in sent.text and f'href="/questions/{q.id}#note"' in sent.text
