"""axe-core (vendored from npm) finds no serious or critical violation on the main pages, in the
light and the dark theme; the same walk keeps the screenshots of docs/screenshots/.

Screenshots go to a temporary folder; set CERTPREP_SCREENSHOTS=1 to refresh docs/screenshots/
(``CERTPREP_SCREENSHOTS=1 pytest tests/web/browser``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.browser.runner_steps import (
    answer_with_clicks,
    practice_exam_with_a_case_study,
    question_type,
    start_practice_exam,
    wait_stored,
)

pytestmark = pytest.mark.slow  # a real browser: left out of `pytest -m "not slow"`

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
SERIOUS = ("serious", "critical")


@pytest.fixture
def axe_page(browser: Any) -> Iterator[Any]:
    """A page whose context may inject axe (the pages' CSP allows scripts from the server only)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 860})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def _violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def _check(page: Any, name: str, shots: Path, found: dict[str, list[str]], *, dark_shot: bool = False) -> None:
    """axe in the light and the dark theme; a screenshot of the light one (and the dark on request)."""
    for theme in ("light", "dark"):
        page.evaluate(f"document.documentElement.setAttribute('data-theme', '{theme}')")
        problems = _violations(page)
        if problems:
            found[f"{name} ({theme})"] = problems
        if theme == "light" or dark_shot:
            page.screenshot(path=str(shots / f"{name}{'-dark' if theme == 'dark' else ''}.png"))
    page.evaluate("document.documentElement.removeAttribute('data-theme')")


def _phone(page: Any, name: str, shots: Path, found: dict[str, list[str]]) -> None:
    """The page at phone size (390x844), scrolled down a little so that the sticky bar shows."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("window.scrollTo(0, 0)")
    if page.locator("#runner-bar").count():
        page.locator("#question-heading").scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 120)")
    _check(page, name, shots, found)
    page.set_viewport_size({"width": 1280, "height": 860})


def _go_to_type(page: Any, kind: str) -> None:
    for index in range(65):
        page.locator(f"#palette-{index}").click()
        wait_stored(page)
        if question_type(page) == kind and not page.locator("aside.case-study").count():
            return
    raise AssertionError(f"no {kind} question on the form")


def test_main_pages_have_no_serious_accessibility_violation(
    live_server: Callable[..., str], axe_page: Any, tmp_path: Path
) -> None:
    docs_shots = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    shots = docs_shots if os.environ.get("CERTPREP_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server()
    page = axe_page
    found: dict[str, list[str]] = {}

    page.goto(base + "/exams")
    _check(page, "exams", shots, found)
    start_practice_exam(page, base, 1)
    for kind in ("single", "multiple", "ordering", "matching"):
        _go_to_type(page, kind)
        answer_with_clicks(page)
        page.locator("#question-heading").scroll_into_view_if_needed()
        _check(page, f"runner-{kind}", shots, found, dark_shot=kind == "single")
    _phone(page, "runner-phone", shots, found)
    page.locator("#btn-flag").click()
    wait_stored(page)
    page.get_by_role("button", name="Review and submit", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    _check(page, "review-screen", shots, found)
    page.get_by_label("I have finished").check()
    page.get_by_role("button", name="Submit exam", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Score report")
    _check(page, "report", shots, found)
    _phone(page, "report-phone", shots, found)
    page.get_by_role("link", name="Review every question").click()
    page.get_by_role("navigation", name="Show").get_by_role("link", name="Wrong or unanswered").click()
    expect(page).to_have_url(re.compile("show=wrong"))
    page.locator("article.review-item").nth(3).scroll_into_view_if_needed()
    _check(page, "review", shots, found)
    page.goto(base + "/")
    _check(page, "dashboard", shots, found)
    page.goto(base + "/attempts")
    _check(page, "attempts", shots, found)
    page.goto(base + "/search?q=data")  # the questions of the exam above are seen now
    _check(page, "search", shots, found)
    page.locator("#results-question a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A question you have seen")
    _check(page, "question-note", shots, found)
    page.goto(base + "/progress")
    _check(page, "progress", shots, found)
    exam_day = (datetime.now(UTC) + timedelta(days=60)).date().isoformat()
    page.goto(base + f"/plan?exam=MLA-C01&exam_date={exam_day}&hours=8&days_off=sun")
    _check(page, "plan", shots, found)
    page.goto(base + "/plan?exam=MLA-C01&exam_date=2020-01-01&hours=900")  # the form with its errors
    _check(page, "plan-errors", shots, found)
    page.goto(base + "/cards")
    _check(page, "cards", shots, found)
    start_practice_exam(page, base, practice_exam_with_a_case_study())
    for index in range(65):
        page.locator(f"#palette-{index}").click()
        wait_stored(page)
        if page.locator("aside.case-study").count():
            break
    expect(page.locator("aside.case-study")).to_be_visible()
    _check(page, "runner-case-study", shots, found)
    assert not found, "\n".join(f"{page_name}: {problem}" for page_name, ps in found.items() for problem in ps)
