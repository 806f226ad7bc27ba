"""Search (questions only once seen graded, lessons, cheat sheets, flashcards), a seen question's
page with a personal note and bookmark shown again in review, the bookmarks list; JSON twins, CSRF,
bad input and scoping (issue 18, point 8)."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest

from certprep.content.search import query_words
from tests.web.conftest import Site, csrf_token, form_csrf, signed_in
from tests.web.exam_helpers import act, start, wrong_presented

pytestmark = pytest.mark.anyio


async def _seen(site: Site, client: httpx.AsyncClient) -> str:
    """Answer and check one practice question (graded on "Check answer"): the question is now seen."""
    view = await start(client, selection="custom", mode="practice", tasks=["1.1"], types=["single"], count=2)
    response = await act(client, view, "answer", index=0, response=wrong_presented(site, view["id"], 0))
    assert response.status_code == 200, response.text
    checked = await act(client, response.json(), "check", index=0)
    assert checked.status_code == 200, checked.text
    qid: str = view["question"]["id"]
    return qid


def _word(site: Site, qid: str) -> str:
    return max(query_words(site.app.pack.question(qid).stem), key=len)


async def _put_note(client: httpx.AsyncClient, qid: str, body: dict[str, Any]) -> httpx.Response:
    return await client.put(f"/api/questions/{qid}/note", json=body, headers={"X-CSRF-Token": await csrf_token(client)})


async def test_search_finds_seen_questions_only_and_the_pack(local_site: Site) -> None:
    client = local_site.client()
    unseen = sorted(local_site.app.pack.questions, key=lambda q: q.id)[-1]
    word = _word(local_site, unseen.id)
    before = (await client.get("/api/search", params={"q": word})).json()
    assert before["questions_searched"] == 0
    assert all(h["id"] != unseen.id for g in before["groups"] for h in g["hits"])
    assert (await client.get(f"/api/questions/{unseen.id}")).status_code == 404  # as if it did not exist
    assert (await client.get(f"/questions/{unseen.id}")).status_code == 404

    qid = await _seen(local_site, client)
    found = (await client.get("/api/search", params={"q": _word(local_site, qid)})).json()
    questions = next(g for g in found["groups"] if g["kind"] == "question")
    assert qid in [h["id"] for h in questions["hits"]] and found["questions_searched"] == 1
    hit = next(h for h in questions["hits"] if h["id"] == qid)
    assert hit["url"] == f"/questions/{qid}"
    page = (await client.get("/search", params={"q": _word(local_site, qid)})).text
    assert f'href="/questions/{qid}"' in page and "Questions you have seen" in page

    lesson = local_site.app.pack.lessons[0]
    lessons = (await client.get("/api/search", params={"q": lesson.title})).json()
    group = next(g for g in lessons["groups"] if g["kind"] == "lesson")
    assert group["hits"][0]["url"] == f"/lessons/{lesson.id}"
    assert [g["kind"] for g in lessons["groups"]] == ["question", "lesson", "cheatsheet", "flashcard"]


async def test_bad_queries_get_a_clear_answer(local_site: Site) -> None:
    client = local_site.client()
    empty = await client.get("/api/search", params={"q": "   "})
    assert empty.status_code == 200 and empty.json()["total"] == 0 and empty.json()["words"] == []
    assert (await client.get("/api/search")).json()["total"] == 0
    assert "Type a word" in (await client.get("/search", params={"q": "!!"})).text
    long = await client.get("/api/search", params={"q": "sagemaker " * 30})
    assert long.status_code == 422 and "at most 200 characters" in long.json()["detail"]
    long_page = await client.get("/search", params={"q": "sagemaker " * 30})
    assert long_page.status_code == 422 and "Not searched" in long_page.text and 'id="search-q"' in long_page.text
    assert (await client.get("/api/search", params={"q": "x" * 1001})).status_code == 422
    for bad in ("sage\u0000maker", "a\nb", "\u0007"):
        assert (await client.get("/api/search", params={"q": bad})).status_code == 422
        assert (await client.get("/search", params={"q": bad})).status_code == 422
    regex = await client.get("/api/search", params={"q": "(.*)[ \\d+"})
    assert regex.status_code == 200


async def test_note_and_bookmark_are_kept_and_shown_again_in_review(local_site: Site) -> None:
    client = local_site.client()
    qid = await _seen(local_site, client)
    page = (await client.get(f"/questions/{qid}")).text
    assert 'id="note-form"' in page and "Right" in page
    fields = {"csrf_token": form_csrf(page), "note": "Batch transform, not an endpoint.\nRemember!", "bookmarked": "1"}
    sent = await client.post(f"/questions/{qid}/note", data=fields)
    assert sent.status_code == 303 and sent.headers["location"] == f"/questions/{qid}?saved=1"
    shown = (await client.get(f"/api/questions/{qid}")).json()["note"]
    assert shown["note"] == "Batch transform, not an endpoint.\nRemember!" and shown["bookmarked"] is True
    marks = (await client.get("/api/bookmarks")).json()["bookmarks"]
    assert [m["question_id"] for m in marks] == [qid]
    assert "Batch transform" in (await client.get("/bookmarks")).text

    too_long = await client.post(f"/questions/{qid}/note", data={**fields, "note": "x" * 4001})
    assert too_long.status_code == 422 and "at most 4000 characters" in too_long.text
    nul = await client.post(f"/questions/{qid}/note", data={**fields, "note": "a\u0000b"})
    assert nul.status_code == 422
    assert (await client.post(f"/questions/{qid}/note", data={"note": "no token"})).status_code == 403
    assert (await client.get(f"/api/questions/{qid}")).json()["note"]["note"].startswith("Batch transform")

    put = await _put_note(client, qid, {"note": "", "bookmarked": False})
    assert put.status_code == 200 and put.json()["updated_at"] is None
    assert (await client.get("/api/bookmarks")).json()["bookmarks"] == []
    assert (await _put_note(client, qid, {"note": "x", "bookmarked": "yes"})).status_code == 422
    assert (await _put_note(client, qid, {"note": "hello", "bookmarked": True})).status_code == 200

    # the practice attempt ends; its review shows the note again
    view = (await client.get("/api/attempts")).json()
    attempt_id = (view["attempts"] if isinstance(view, dict) else view)[0]["id"]
    detail = (await client.get(f"/api/attempts/{attempt_id}")).json()
    token = await csrf_token(client)
    submitted = await client.post(
        f"/api/attempts/{attempt_id}/actions",
        json={"type": "submit", "expected_version": detail["version"]},
        headers={"X-CSRF-Token": token},
    )
    assert submitted.status_code == 200, submitted.text
    review = (await client.get(f"/attempts/{attempt_id}/review")).text
    assert "Your note:" in review and "hello" in review and "bookmarked" in review
    assert re.search(rf'href="/questions/{qid}#note">Edit your note or bookmark', review)


async def test_notes_are_per_user(multi_site: Site) -> None:
    alice = await signed_in(multi_site, "alice")
    bob = await signed_in(multi_site, "bob")
    qid = await _seen(multi_site, alice)
    assert (await _put_note(alice, qid, {"note": "mine", "bookmarked": True})).status_code == 200
    assert (await _put_note(bob, qid, {"note": "his", "bookmarked": True})).status_code == 404  # bob has not seen it
    assert (await bob.get(f"/api/questions/{qid}")).status_code == 404
    assert (await bob.get("/api/bookmarks")).json()["bookmarks"] == []
    found = (await bob.get("/api/search", params={"q": _word(multi_site, qid)})).json()
    assert all(h["id"] != qid for g in found["groups"] for h in g["hits"])
    assert (await alice.get(f"/api/questions/{qid}")).json()["note"]["note"] == "mine"


async def test_an_exam_in_progress_keeps_its_questions_hidden_until_submitted(local_site: Site) -> None:
    client = local_site.client()
    view = await start(client, selection="drill", mode="exam", tasks=["2.1"], count=2)
    qid = view["question"]["id"]
    assert (await client.get(f"/api/questions/{qid}")).status_code == 404
    found = (await client.get("/api/search", params={"q": _word(local_site, qid)})).json()
    assert found["questions_searched"] == 0
    submitted = await act(client, view, "submit")
    assert submitted.status_code == 200, submitted.text
    after = (await client.get("/api/search", params={"q": _word(local_site, qid)})).json()
    assert after["questions_searched"] == 2  # every question of its review, answered or not
    assert qid in [h["id"] for g in after["groups"] for h in g["hits"]]
    assert (await client.get(f"/api/questions/{qid}")).status_code == 200


async def test_the_question_page_shows_every_type_with_its_rationales(
    local_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from certprep.content.schema import QuestionType
    from certprep.store import notes as note_store

    pack = local_site.app.pack
    monkeypatch.setattr(note_store, "seen_questions", lambda conn, user_id: set(pack.questions_by_id))
    client = local_site.client()
    for kind in QuestionType:
        q = sorted((x for x in pack.questions if x.type is kind), key=lambda x: x.id)[0]
        page = await client.get(f"/questions/{q.id}")
        assert page.status_code == 200, kind
        text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text)))
        rationales = [o.rationale for o in q.options] + [s.rationale for s in (*q.steps, *q.distractor_steps)]
        rationales += [p.rationale for p in q.pairs] + [e.rationale for e in q.extra_responses]
        for rationale in filter(None, rationales):
            words = " ".join(re.sub(r"[`*_]", "", rationale).split()[:4])
            assert words in text, (kind, words)
        data = (await client.get(f"/api/questions/{q.id}")).json()
        assert data["type"] == kind.value and data["note"]["note"] == ""
