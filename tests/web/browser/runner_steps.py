"""Steps the exam-runner browser tests share: start an exam from the exams page, recognise the
question on screen, answer it through the page, wait until the server has stored it."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from certprep.content import bundled_pack_path, load_pack
from certprep.exam.forms import practice_exams

PASSWORD = "correct horse battery"


def sign_up(page: Any, base: str, username: str) -> None:
    page.goto(base + "/sign-up")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def start_practice_exam(page: Any, base: str, number: int = 1, exam: str = "MLA-C01") -> str:
    """Start Practice Exam ``number`` from the exams page; returns the attempt's URL."""
    page.goto(base + "/exams")
    page.get_by_role("button", name=f"Start {exam} Practice Exam {number}", exact=True).click()
    expect(page.locator("#question-heading")).to_contain_text("Question 1")
    page.wait_for_load_state()  # runner.js (deferred) is running
    return str(page.url)


def start_from_builder(page: Any, base: str, *, mode: str, domains: tuple[str, ...] = (), count: int = 4) -> str:
    page.goto(base + "/exams")
    builder = page.locator("form.builder").first
    builder.get_by_label("Exam: timed" if mode == "exam" else "Practice: feedback").check()
    for domain in domains:
        builder.locator(f'input[name="domains"][value="{domain}"]').check()
    builder.get_by_label("Number of questions").fill(str(count))
    builder.get_by_role("button", name="Start practice").click()
    expect(page.locator("#question-heading")).to_contain_text("Question 1")
    page.wait_for_load_state()
    return str(page.url)


def question_type(page: Any) -> str:
    if page.locator("#question-form .order-list").count():
        return "ordering"
    if page.locator("#question-form select[name=match]").count():
        return "matching"
    if page.locator("#select-count").count():
        return "multiple"
    return "single"


def wait_stored(page: Any) -> None:
    """runner.js marks the runner busy from the click until the server's fragment is in."""
    expect(page.locator('#runner[aria-busy="true"]')).to_have_count(0)
    expect(page.locator("#runner")).to_be_visible()


def wait_saved(page: Any) -> None:
    wait_stored(page)
    expect(page.locator("#answer-state")).to_contain_text("Your answer is saved.")


def steps_to_place(page: Any) -> int:
    hint = page.locator("#ordering-help").inner_text()
    found = re.search(r"Use (\d+) of these", hint)
    return int(found.group(1)) if found else page.locator(".pool-list li.step").count()


def answer_with_clicks(page: Any) -> dict[str, Any]:
    """Answer the question on screen with the mouse; returns what was chosen (screen positions)."""
    kind = question_type(page)
    if kind == "single":
        page.locator("label[for=choice-1]").click()
        wait_saved(page)
        return {"type": kind, "choices": [1]}
    if kind == "multiple":
        wanted = int(re.search(r"Select (\d+)", page.locator(".choices legend").inner_text()).group(1))  # type: ignore[union-attr]
        for i in range(wanted):
            page.locator(f"#choice-{i}").check()
            wait_stored(page)
        wait_saved(page)
        return {"type": kind, "choices": list(range(wanted))}
    if kind == "ordering":
        placed = list(range(steps_to_place(page)))
        for i in placed:
            page.locator(f"#step-{i}-add").click()
            wait_stored(page)
        wait_saved(page)
        return {"type": kind, "choices": placed}
    selects = page.locator("#question-form select[name=match]")
    for i in range(selects.count()):
        page.locator(f"#match-{i}").select_option(index=1)
        wait_stored(page)
    wait_saved(page)
    return {"type": kind, "choices": [0] * selects.count()}


def expect_answer_on_screen(page: Any, chosen: dict[str, Any]) -> None:
    """The page shows the stored answer ``answer_with_clicks`` gave."""
    kind = chosen["type"]
    expect(page.locator("#answer-state")).to_contain_text("Your answer is saved.")
    if kind in ("single", "multiple"):
        for i in chosen["choices"]:
            expect(page.locator(f"#choice-{i}")).to_be_checked()
    elif kind == "ordering":
        order = page.locator(".order-list input[name=order]")
        assert [int(v) for v in order.evaluate_all("els => els.map(e => e.value)")] == chosen["choices"]
    else:
        for i in range(len(chosen["choices"])):
            assert page.locator(f"#match-{i}").input_value() == "0"


def go_next(page: Any, number: int) -> None:
    page.locator("#btn-next").click()
    expect(page.locator("#question-heading")).to_contain_text(f"Question {number} ")
    wait_stored(page)


def practice_exam_with_a_case_study(exam: str = "MLA-C01") -> int:
    """The number of the first Practice Exam of ``exam`` that holds a case study."""
    pack = load_pack(bundled_pack_path())
    forms = practice_exams(pack.questions_for(exam), pack.blueprints[exam])
    return next(n for n, form in enumerate(forms, 1) if any(pack.question(q).case_id for q in form.question_ids))


def practice_exam_starting_with_single(exam: str = "MLA-C01") -> int:
    """The number of the first Practice Exam of ``exam`` whose first question is single-answer."""
    pack = load_pack(bundled_pack_path())
    forms = practice_exams(pack.questions_for(exam), pack.blueprints[exam])
    return next(n for n, form in enumerate(forms, 1) if pack.question(form.question_ids[0]).type.value == "single")
