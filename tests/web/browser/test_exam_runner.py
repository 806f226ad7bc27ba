"""The exam runner in a real browser (Debian's chromium through Playwright, a real uvicorn server).

A full 65-question exam signed in as one of two users; a closed tab resumed with every answer;
flag and the review screen; dark mode; a keyboard-only attempt; drag and drop; phone width.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser.runner_steps import (
    answer_with_clicks,
    expect_answer_on_screen,
    go_next,
    practice_exam_starting_with_single,
    practice_exam_with_a_case_study,
    question_type,
    sign_up,
    start_from_builder,
    start_practice_exam,
    wait_saved,
    wait_stored,
)

pytestmark = pytest.mark.slow  # a real browser: left out of `pytest -m "not slow"`


def test_two_users_one_takes_a_full_exam_to_its_report(
    live_server: Callable[..., str], page: Any, browser: Any
) -> None:
    base = live_server(multi_user=True)
    sign_up(page, base, "ada")
    url = start_practice_exam(page, base, 1)
    expect(page.locator("[role=timer]")).to_have_text(re.compile(r"^2:(09|10):\d\d$"))
    seen = set()
    for number in range(1, 66):
        seen.add(question_type(page))
        answer_with_clicks(page)
        expect(page.locator(f"#palette-{number - 1}")).to_have_class(re.compile(r"\banswered\b"))
        if number < 65:
            go_next(page, number + 1)
    assert seen == {"single", "multiple", "ordering", "matching"}
    expect(page.locator(".runner-progress")).to_contain_text("65 of 65 answered")
    page.locator("#btn-next").click()  # after the last question: the review screen
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    expect(page.get_by_role("heading", name="Unanswered (0)")).to_be_visible()
    page.get_by_label("I have finished").check()
    page.get_by_role("button", name="Submit exam", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Score report: Practice Exam 1")
    expect(page.locator(".result-word")).to_have_text(re.compile("Pass|Fail"))
    expect(page.locator(".figures")).to_contain_text("65 of 65")
    expect(page.locator("table.domain-chart svg.bar")).to_have_count(4)

    # Another user cannot open it; their dashboard does not list it.
    other = browser.new_context()
    try:
        bob = other.new_page()
        sign_up(bob, base, "bob")
        response = bob.goto(url)
        assert response is not None and response.status == 404
        bob.goto(base + "/")
        expect(bob.get_by_text("No finished attempts yet.")).to_be_visible()
    finally:
        other.close()
    page.goto(base + "/")
    expect(page.get_by_role("link", name="Practice Exam 1")).to_be_visible()


def test_a_closed_tab_resumes_with_every_answer(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    url = start_practice_exam(page, base, 2)
    answers = {}
    for number in range(1, 13):
        answers[number] = answer_with_clicks(page)
        go_next(page, number + 1)
    page.locator("#btn-flag").click()
    wait_stored(page)
    context = page.context
    page.close()  # mid-exam, no submit, nothing kept in the browser

    again = context.new_page()
    again.goto(url)
    expect(again.locator("#question-heading")).to_contain_text("Question 13 ")  # where the learner was
    expect(again.locator("#btn-flag")).to_have_attribute("aria-pressed", "true")
    expect(again.locator(".runner-progress")).to_contain_text("12 of 65 answered")
    for number, chosen in answers.items():
        again.locator(f"#palette-{number - 1}").click()
        expect(again.locator("#question-heading")).to_contain_text(f"Question {number} ")
        wait_stored(again)
        expect_answer_on_screen(again, chosen)
    again.close()


def test_flag_and_the_review_screen(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    start_from_builder(page, base, mode="exam", domains=("2",), count=5)
    answer_with_clicks(page)
    page.get_by_role("button", name="Flag for review", exact=True).click()
    expect(page.get_by_role("button", name="Flagged for review", exact=True)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#palette-0")).to_have_attribute("aria-label", "Question 1: answered, flagged, on screen")
    go_next(page, 2)
    go_next(page, 3)
    page.keyboard.press("f")
    expect(page.locator("#palette-2")).to_have_class(re.compile(r"\bflagged\b"))
    page.get_by_role("button", name="Review and submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    expect(page.get_by_role("heading", name="Flagged for review (2)")).to_be_visible()
    expect(page.get_by_role("heading", name="Unanswered (4)")).to_be_visible()
    page.get_by_role("region", name="Flagged for review (2)").get_by_role("button", name="Question 3").click()
    expect(page.locator("#question-heading")).to_contain_text("Question 3 ")
    page.get_by_role("button", name="Flagged for review", exact=True).click()
    expect(page.get_by_role("button", name="Flag for review", exact=True)).to_be_visible()
    page.get_by_role("button", name="Review and submit", exact=True).click()
    expect(page.get_by_role("heading", name="Flagged for review (1)")).to_be_visible()
    page.get_by_role("button", name="Submit exam", exact=True).click()  # the browser asks for the confirmation first
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    page.get_by_label("I have finished").check()
    page.get_by_role("button", name="Submit exam", exact=True).click()
    expect(page.get_by_role("heading", name="Flagged questions")).to_be_visible()
    page.get_by_role("link", name="Review every question").click()
    page.get_by_role("navigation", name="Show").get_by_role("link", name="Flagged").click()
    expect(page.locator("article.review-item")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"show=flagged"))
    page.get_by_role("navigation", name="Show").get_by_role("link", name="Wrong or unanswered").click()
    expect(page.get_by_role("status")).to_contain_text("of 5 questions shown")


def test_dark_mode_in_the_runner(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    start_from_builder(page, base, mode="practice", count=3)
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_role("button", name="Dark", exact=True).click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light
    answer_with_clicks(page)  # the swapped-in runner keeps the theme
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == dark
    page.locator("#btn-check").click()
    wait_stored(page)
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    expect(page.get_by_role("heading", name=re.compile("Correct|Not quite"))).to_be_visible()  # practice feedback
    page.get_by_role("button", name="System", exact=True).click()


def test_keyboard_only(live_server: Callable[..., str], page: Any) -> None:
    """Answer with 1-9 / A-E, move with N and P, flag with F, submit with Tab, Space and Enter."""
    base = live_server()
    start_from_builder(page, base, mode="exam", count=4)
    for number in range(1, 5):
        kind = question_type(page)
        if kind == "single":
            page.keyboard.press("b")
        elif kind == "multiple":
            page.keyboard.press("1")
            wait_stored(page)
            page.keyboard.press("3")
        elif kind == "ordering":
            for key in ("1", "2", "3"):
                page.keyboard.press(key)
                wait_stored(page)
        else:
            page.keyboard.press("1")  # goes to the first item's select
            page.keyboard.press("ArrowDown")
        wait_saved(page)
        while page.evaluate("document.activeElement.tagName") == "SELECT":  # shortcuts wait outside fields
            page.keyboard.press("Tab")
        if number == 2:
            page.keyboard.press("f")
            expect(page.locator("#btn-flag")).to_have_attribute("aria-pressed", "true")
        page.keyboard.press("n")
        if number < 4:
            expect(page.locator("#question-heading")).to_contain_text(f"Question {number + 1} ")
            wait_stored(page)
            if number == 2:
                page.keyboard.press("p")
                expect(page.locator("#question-heading")).to_contain_text("Question 2 ")
                wait_stored(page)
                page.keyboard.press("n")
                expect(page.locator("#question-heading")).to_contain_text("Question 3 ")
                wait_stored(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    expect(page.get_by_role("heading", name="Unanswered (0)")).to_be_visible()
    for _ in range(80):
        if page.evaluate("document.activeElement.id") == "confirm-submit":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(page.locator("#confirm-submit")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "btn-submit"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Score report")


def test_ordering_by_drag_and_drop(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    start_practice_exam(page, base, 1)
    for number in range(1, 66):
        if question_type(page) == "ordering":
            break
        page.locator(f"#palette-{number}").click()
        wait_stored(page)
    steps = page.locator(".pool-list li.step")
    first, second = steps.nth(0).get_attribute("data-step"), steps.nth(1).get_attribute("data-step")
    grab = {"x": 12, "y": 12}  # on the step's text, not on one of its buttons

    def order() -> list[str]:
        values: list[str] = page.locator(".order-list input[name=order]").evaluate_all("els => els.map(e => e.value)")
        return values

    steps.nth(0).drag_to(page.locator(".order-list"), source_position=grab)
    wait_saved(page)
    assert order() == [first]
    page.locator(f"#step-{second}").drag_to(
        page.locator(f".order-list #step-{first}"), source_position=grab, target_position={"x": 5, "y": 2}
    )
    wait_saved(page)
    assert order() == [second, first]
    page.locator(".pool-list").scroll_into_view_if_needed()
    page.locator(f"#step-{first}").drag_to(page.locator(".pool-list"), source_position=grab, target_position=grab)
    expect(page.locator(".order-list li.step")).to_have_count(1)
    wait_stored(page)
    assert order() == [second]
    page.reload()  # what the page showed is what the server stored
    assert order() == [second]


def test_phone_width(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    page.set_viewport_size({"width": 360, "height": 740})
    url = start_practice_exam(page, base, practice_exam_with_a_case_study())
    for index in range(65):
        page.locator(f"#palette-{index}").click()
        wait_stored(page)
        if page.locator("aside.case-study").count():
            break
    case = page.locator("aside.case-study").bounding_box()
    question = page.locator("#question-form").bounding_box()
    assert case and question and case["y"] + case["height"] <= question["y"] + 1  # the scenario above

    def no_sideways_scroll(path: str) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)

    no_sideways_scroll(url)
    page.goto(url + "/finish")
    no_sideways_scroll(url + "/finish")
    page.get_by_label("I have finished").check()
    page.get_by_role("button", name="Submit exam", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Score report")
    for path in ("/report", "/review", "/review?show=wrong"):
        page.goto(url + path)
        no_sideways_scroll(url + path)


def test_the_runner_works_without_javascript(live_server: Callable[..., str], browser: Any) -> None:
    base = live_server()
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        start_practice_exam(page, base, practice_exam_starting_with_single())
        page.locator("label[for=choice-2]").click()
        page.get_by_role("button", name="Save answer", exact=True).click()
        expect(page.locator("#answer-state")).to_contain_text("Your answer is saved.")
        page.locator("label[for=choice-0]").click()
        page.get_by_role("button", name="Next", exact=True).click()  # the changed answer goes along
        expect(page.locator("#question-heading")).to_contain_text("Question 2 ")
        page.get_by_role("button", name="Flag for review", exact=True).click()
        expect(page.locator("#btn-flag")).to_have_attribute("aria-pressed", "true")
        page.get_by_role("button", name="Question 1: answered").click()
        expect(page.locator("#choice-0")).to_be_checked()
        page.get_by_role("button", name="Review and submit", exact=True).click()
        expect(page.get_by_role("heading", name="Flagged for review (1)")).to_be_visible()
        expect(page.get_by_role("heading", name="Unanswered (64)")).to_be_visible()
    finally:
        context.close()


def test_practice_feedback_waits_for_check_then_locks(live_server: Callable[..., str], page: Any) -> None:
    """A "Select N" question in practice: boxes ticked show no feedback, even the N-th; "Check
    answer" (with N ticked) shows it, and the answer can no longer change (the inputs are disabled,
    the stored answer stays)."""
    base = live_server()
    page.goto(base + "/exams")
    builder = page.locator("form.builder").first
    builder.get_by_label("Practice: feedback").check()
    builder.locator('input[name="selection"][value="custom"]').check()
    builder.locator('input[name="types"][value="multiple"]').check()
    builder.get_by_label("Number of questions").fill("2")
    builder.get_by_role("button", name="Start practice").click()
    expect(page.locator("#question-heading")).to_contain_text("Question 1")
    page.wait_for_load_state()
    legend = page.locator(".choices legend")
    expect(legend).to_have_text(re.compile(r"Select [23]\."))
    match = re.search(r"Select ([23])\.", legend.inner_text())
    assert match is not None
    n = int(match.group(1))
    for i in range(n):
        page.locator(f"#choice-{i}").check()
        wait_saved(page)
        expect(page.locator("#feedback")).to_have_count(0)  # no verdict, no key, not even at N boxes
        expect(page.get_by_text("Not quite")).to_have_count(0)
    page.get_by_role("button", name="Check answer").click()
    wait_stored(page)
    expect(page.locator("#feedback")).to_be_visible()
    expect(page.locator("#answer-state")).to_contain_text("locked")
    for i in range(page.locator(".choices input").count()):
        expect(page.locator(f"#choice-{i}")).to_be_disabled()
    expect(page.locator("#btn-check")).to_have_count(0)
    expect(page.locator("#btn-clear")).to_have_count(0)
    page.locator(f"label[for=choice-{n}]").click(force=True)  # a click on a disabled box changes nothing
    page.keyboard.press(str(n + 1))
    wait_stored(page)
    page.reload()
    expect(page.locator("#choice-0")).to_be_checked()
    expect(page.locator(f"#choice-{n}")).not_to_be_checked()
    expect(page.locator("#feedback")).to_be_visible()


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 0.5
        and inner["y"] >= outer["y"] - 0.5
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 0.5
    )


def _steps_hold_their_buttons(page: Any) -> None:
    steps = page.locator(".order-list li.step")
    assert steps.count() >= 2
    for i in range(steps.count()):
        step = steps.nth(i)
        box = step.bounding_box()
        for button in step.locator(".step-buttons button").all():
            assert _inside(button.bounding_box(), box), (i, button.bounding_box(), box)


def test_phone_layout_390(live_server: Callable[..., str], page: Any) -> None:
    """390x844: a compact header (navigation behind "Menu"), the question number and the time left
    always in view, the palette one tap away, ordering buttons inside their step (also on a wide
    screen, where one-line steps spilled them over the next), no sideways scroll, and the matching
    review's "Why" as wide as the screen."""
    base = live_server()
    page.set_viewport_size({"width": 1280, "height": 860})
    url = start_practice_exam(page, base, 1)
    for index in range(65):
        page.locator(f"#palette-{index}").click()
        wait_stored(page)
        if question_type(page) == "ordering":
            break
    answer_with_clicks(page)
    _steps_hold_their_buttons(page)

    page.set_viewport_size({"width": 390, "height": 844})
    _steps_hold_their_buttons(page)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 0.2 * 844, header
    expect(page.locator(".site-nav")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Exams")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    expect(page.locator(".site-nav")).to_be_hidden()

    def fits() -> None:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    fits()
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    bar = page.locator("#runner-bar")
    box = bar.bounding_box()
    assert 0 <= box["y"] <= 1 and box["height"] < 0.15 * 844, box  # stuck to the top after scrolling
    expect(bar).to_contain_text(re.compile(r"Question \d+ of 65"))
    timer = page.locator("[role=timer]").bounding_box()
    assert timer and timer["y"] >= 0 and timer["y"] + timer["height"] <= 844
    page.evaluate("window.scrollTo(0, 0)")
    page.get_by_role("link", name="All questions").click()  # one tap to the palette
    heading = page.locator("#palette-heading").bounding_box()
    assert heading and 0 <= heading["y"] < 844
    expect(page.locator("#palette-0")).to_be_in_viewport()

    for index in range(65):
        page.locator(f"#palette-{index}").click()
        wait_stored(page)
        if question_type(page) == "matching":
            break
    answer_with_clicks(page)
    fits()
    page.goto(url + "/finish")
    fits()
    page.get_by_label("I have finished").check()
    page.get_by_role("button", name="Submit exam", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Score report")
    fits()
    page.goto(url + "/review")
    fits()
    why = page.locator(".match-review td[data-label=Why]").first
    why.scroll_into_view_if_needed()
    cell = why.bounding_box()
    assert cell and cell["x"] >= 0 and cell["x"] + cell["width"] <= 390 and cell["width"] > 300, cell
    table = page.locator(".match-review").first.bounding_box()
    assert table and table["width"] <= 390


def test_resume_then_discard_from_the_exams_page(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    url = start_practice_exam(page, base, 2)
    page.goto(base + "/exams")
    resume = page.get_by_role("link", name="Resume MLA-C01 Practice Exam 2", exact=True)
    expect(resume).to_be_visible()
    expect(page.get_by_role("button", name="Start MLA-C01 Practice Exam 2", exact=True)).to_have_count(0)
    resume.click()
    expect(page).to_have_url(url)
    page.goto(base + "/exams")
    page.get_by_role("link", name="Discard… Practice Exam 2").click()
    expect(page.get_by_role("heading", name="Discard this attempt")).to_be_visible()
    page.get_by_role("button", name="Discard attempt").click()  # the box is required: nothing happens
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    page.get_by_label("Yes, discard this attempt").check()
    page.get_by_role("button", name="Discard attempt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attempts")
    expect(page.locator("#attempts-message")).to_contain_text("counts in no score or figure")
    expect(page.get_by_role("cell", name="abandoned")).to_be_visible()
    page.goto(base + "/exams")
    expect(page.get_by_role("button", name="Start MLA-C01 Practice Exam 2", exact=True)).to_be_visible()
