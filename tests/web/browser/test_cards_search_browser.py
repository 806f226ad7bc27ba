"""The flashcard page's filters, daily limits, rating and undo, the Anki download, and search with a
note and bookmark, in a real browser (issue 18, points 7, 8 and 13)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from certprep.app import open_app
from certprep.config import Settings
from certprep.content.search import query_words
from certprep.services import exams
from certprep.services.content import local_user

pytestmark = pytest.mark.slow  # a real browser: left out of `pytest -m "not slow"`


def test_filter_limits_rate_undo_and_download(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(base + "/cards")
    page.get_by_label("Items").select_option("cards")
    page.get_by_label("Exam").select_option("MLA-C02")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert "kind=cards" in page.url and "exam=MLA-C02" in page.url

    page.get_by_label("New flashcards a day").fill("2")
    page.get_by_label("Reviews a day").fill("50")
    with page.expect_navigation():
        page.get_by_role("button", name="Save limits").click()
    expect(page.locator("#count-new")).to_have_text("2")
    expect(page.get_by_label("New flashcards a day")).to_have_value("2")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download Anki package").click()
    assert info.value.suggested_filename == "certprep-flashcards-MLA-C02.apkg"

    page.get_by_role("link", name="Start review").click()
    expect(page.locator("#review-progress")).to_contain_text("flashcards only")
    front = page.locator("#card-front").inner_text()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.keyboard.press("3")  # Good
    expect(page.locator("#card-front")).not_to_have_text(front)
    undo = page.get_by_role("button", name=re.compile(r"^Undo last rating"))
    expect(undo).to_contain_text("Good")
    with page.expect_navigation():
        page.keyboard.press("u")  # the same as the button
    expect(page.locator("#card-front")).to_have_text(front)  # the undone card is back, new again
    expect(page.locator("#card-heading .badge")).to_have_text("new")
    expect(page.locator("#review-progress")).to_contain_text("2 new")
    expect(page.get_by_role("button", name=re.compile(r"^Undo last rating"))).to_have_count(0)  # only once
    assert "kind=cards" in page.url and "exam=MLA-C02" in page.url  # still the same queue


def test_search_note_and_bookmark(live_server: Callable[..., str], settings: Settings, page: Any) -> None:
    base = live_server()
    page.goto(base + "/")  # the local profile exists from the first page on
    app = open_app(settings, migrate=False, sync=False)
    try:
        now = datetime.now(UTC)
        user = local_user(app, now)["id"]
        request = exams.StartRequest(exam="MLA-C02", selection="drill", mode="exam", tasks=("1.1",), count=2)
        view = exams.start_exam(app, user, request, now=now, rng=random.Random(3))
        exams.act(app, user, view.id, {"type": "submit"}, expected_version=view.version, now=now)
        qid = view.question.id
        word = max(query_words(app.pack.question(qid).stem), key=len)
    finally:
        app.close()

    page.get_by_role("link", name="Search").first.click()
    page.get_by_label(re.compile("^Search questions you have seen")).fill(word)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#search-summary")).to_contain_text("among the 2 you have seen")
    page.locator(f'#results-question a[href="/questions/{qid}"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A question you have seen")
    page.get_by_label(re.compile("^Note")).fill("Remember the batch case.")
    page.get_by_label("Bookmark this question").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("#note-saved")).to_have_text("Saved.")
    expect(page.get_by_label(re.compile("^Note"))).to_have_value("Remember the batch case.")
    page.goto(base + "/bookmarks")
    expect(page.locator("#bookmarks")).to_contain_text("Your note: Remember the batch case.")

    page.goto(base + "/search?q=" + "x" * 250)
    expect(page.locator("#search-error")).to_contain_text("at most 200 characters")
