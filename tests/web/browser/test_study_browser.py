"""The study pages in a real browser: the flashcard review from the keyboard, the statistics, a
lesson with its sections, print emulation, a missed ordering question moved with Up / Down.

Set CERTPREP_SCREENSHOTS=1 to refresh docs/screenshots/study-*.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from certprep.app import open_app
from certprep.config import Settings
from certprep.content.schema import QuestionType
from certprep.exam.scoring import key_response, to_presented
from certprep.services import cards
from certprep.services.cards import presentation
from certprep.services.content import local_user

pytestmark = pytest.mark.slow  # a real browser: left out of `pytest -m "not slow"`

SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
LESSON = "lesson-mla-1-1"
SECTIONS = ("You will learn", "Main content", "Examples", "Common mistakes", "Mini exercises")


def _shot(page: Any, name: str) -> None:
    """The visible part of the page (a whole lesson would make a megabyte of PNG)."""
    if os.environ.get("CERTPREP_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


def test_review_with_the_keyboard_then_stats_lesson_and_print(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    page.set_viewport_size({"width": 1000, "height": 900})
    page.goto(base + "/cards")
    page.get_by_role("link", name="Start review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    front = page.locator("#card-front").inner_text()
    back = page.locator("#card-back")
    expect(back).to_be_hidden()

    page.keyboard.press("Space")  # show the answer
    expect(back).to_be_visible()
    expect(back).to_be_focused()
    good = page.get_by_role("button", name=re.compile(r"^Good"))
    expect(good).to_contain_text("10m")
    expect(page.get_by_role("button", name=re.compile(r"^Again"))).to_contain_text("1m")
    _shot(page, "study-review.png")

    with page.expect_navigation():
        page.keyboard.press("3")  # Good
    expect(page.locator("#card-front")).not_to_have_text(front)
    expect(page.locator("#card-back")).to_be_hidden()
    page.keyboard.press("Enter")  # Enter shows the answer too
    expect(page.locator("#card-back")).to_be_visible()
    second = page.locator("#card-front").inner_text()
    with page.expect_navigation():
        page.keyboard.press("1")  # Again
    expect(page.locator("#card-front")).not_to_have_text(second)
    page.locator("[data-reveal] > summary").click()  # the mouse: focus moves to the answer, keys still rate
    expect(page.locator("#card-back")).to_be_visible()
    expect(page.locator("#card-back")).to_be_focused()
    third = page.locator("#card-front").inner_text()
    with page.expect_navigation():
        page.keyboard.press("4")  # Easy
    expect(page.locator("#card-front")).not_to_have_text(third)

    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review statistics")
    today = datetime.now(UTC).date().isoformat()
    expect(page.locator(f'#heatmap rect[data-day="{today}"]')).to_have_attribute("data-count", "3")
    page.get_by_text("Reviews per day as a table").click()
    expect(page.locator("#reviews-table")).to_contain_text(today)
    expect(page.locator("#forecast")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lessons").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lessons")
    page.get_by_role("link", name="Ingest and store data").first.click()
    expect(page).to_have_url(f"{base}/lessons/{LESSON}")
    for section in SECTIONS:
        expect(page.get_by_role("heading", level=2, name=section, exact=True)).to_be_visible()
    answer = page.locator("#lesson-body details").first
    expect(answer.locator("p")).to_be_hidden()
    answer.locator("summary").click()
    expect(answer.locator("p")).to_be_visible()
    print_button = page.get_by_role("button", name="Print", exact=True)
    expect(print_button).to_be_visible()  # shown by study.js
    expect(page.get_by_role("button", name=re.compile(r"^Drill this task")).first).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    _shot(page, "study-lesson.png")

    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(print_button).to_be_hidden()
    expect(page.locator("#lesson-body")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    border = page.evaluate("getComputedStyle(document.querySelector('#lesson-body td')).borderTopStyle")
    assert border == "solid"
    page.emulate_media(media="screen")
    expect(page.locator(".site-nav")).to_be_visible()


def test_missed_ordering_question_moves_and_answers(
    live_server: Callable[..., str], settings: Settings, page: Any
) -> None:
    base = live_server()
    page.goto(base + "/")  # the local profile exists from the first page on
    app = open_app(settings, migrate=False, sync=False)
    try:
        user_id = local_user(app, datetime.now(UTC))["id"]
        q = sorted((q for q in app.pack.questions if q.type is QuestionType.ORDERING), key=lambda q: q.id)[0]
        with app.engine.begin() as conn:
            cards.record_missed(conn, user_id, q.id, datetime.now(UTC))
    finally:
        app.close()
    key = to_presented(presentation(q, user_id, 1), key_response(q))

    page.goto(base + "/cards/review")
    expect(page.get_by_role("heading", name="A question you missed")).to_be_visible()
    steps = page.locator("#order-list li.step")
    first = steps.nth(0).get_attribute("data-step")
    steps.nth(1).get_by_role("button", name=re.compile(r"^Up")).click()  # moved in the page: no request
    expect(steps.nth(1)).to_have_attribute("data-step", str(first))
    assert page.url == base + "/cards/review"

    # Put the steps in the right order with the Up buttons (leave the extra ones out), then check.
    assert isinstance(key, tuple)
    for target, step in enumerate(key):
        while int(steps.nth(target).get_attribute("data-step") or -1) != step:
            page.locator(f'#step-{step} [data-move="up"]').click()
    for extra in range(len(q.steps), len(q.steps) + len(q.distractor_steps)):
        position = presentation(q, user_id, 1).index(extra)
        page.locator(f"#step-{position} .leave-out input").check()
    page.get_by_role("button", name="Check answer", exact=True).click()
    expect(page.get_by_role("heading", name="Right", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Next")).to_be_focused()
