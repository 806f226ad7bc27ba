"""The progress and plan pages in a real browser: the charts after an attempt, the plan form filled
in and submitted, and the .ics downloaded and parsed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from certprep.web.routes.progress import MISTAKE_ROWS

pytestmark = pytest.mark.slow  # a real browser: left out of `pytest -m "not slow"`


def _finish_an_attempt(page: Any, base: str) -> None:
    """Four single-answer questions in practice mode, each answered with its first choice, through
    the JSON API with the page's own session (cookie and CSRF token)."""
    token = page.request.get(base + "/api/session").json()["csrf_token"]
    headers = {"X-CSRF-Token": token}
    body = {"exam": "MLA-C02", "selection": "custom", "mode": "practice", "count": 4, "types": ["single"]}
    view = page.request.post(base + "/api/attempts", data=body, headers=headers).json()
    for index in range(view["count"]):
        action = {"type": "answer", "index": index, "response": 0, "expected_version": view["version"]}
        view = page.request.post(f"{base}/api/attempts/{view['id']}/actions", data=action, headers=headers).json()
    submit = {"type": "submit", "expected_version": view["version"]}
    response = page.request.post(f"{base}/api/attempts/{view['id']}/actions", data=submit, headers=headers)
    assert response.ok and response.json()["status"] == "submitted"


def test_progress_then_a_plan_and_its_calendar(live_server: Callable[..., str], page: Any, tmp_path: Path) -> None:
    base = live_server()
    page.goto(base + "/")  # a session first
    _finish_an_attempt(page, base)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress: MLA-C02")
    expect(page.locator("#progress-empty")).to_have_count(0)
    score_chart = page.get_by_role("img", name="Score per attempt, MLA-C02 (raw percent right)")
    expect(score_chart).to_be_visible()
    # A 4-question practice is no full mock: no point on the score chart, no trend; mastery has it.
    expect(score_chart.locator("[data-kind]")).to_have_count(0)
    expect(page.locator("#score-trend")).to_contain_text("No trend yet: a trend needs 3 full mocks")
    expect(page.locator("#scores")).to_contain_text("1 shorter or practice-mode attempt left out")
    expect(page.get_by_role("img", name="Chance of each raw score on a 50-question form, MLA-C02")).to_be_visible()

    page.get_by_role("link", name="Plan my study").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Study plan")
    exam_day = (datetime.now(UTC) + timedelta(days=30)).date()
    page.get_by_label("Exam date").fill(exam_day.isoformat())
    page.get_by_label("Hours a week").fill("6")
    page.get_by_label("Sundays").check()
    page.get_by_role("button", name="Make my plan", exact=True).click()
    expect(page.get_by_role("heading", name=f"Your plan for MLA-C02 on {exam_day}")).to_be_visible()
    assert "days_off=sun" in page.url and "hours=6" in page.url
    sessions = page.locator("#plan li.session").count()
    assert sessions > 0

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    download = download_info.value
    assert download.suggested_filename == f"certprep-MLA-C02-plan-{exam_day}.ics"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    events = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert len(events) == sessions  # one event per study session shown (days off are not events)


def _full_mock(page: Any, base: str, headers: dict[str, str]) -> None:
    """A full-length exam-mode attempt of single-answer questions, each answered with the first
    choice (about a quarter right: many mistakes, over many concepts), then submitted."""
    body = {"exam": "MLA-C02", "selection": "custom", "mode": "exam", "count": 65, "types": ["single"]}
    view = page.request.post(base + "/api/attempts", data=body, headers=headers).json()
    for index in range(view["count"]):
        action = {"type": "answer", "index": index, "response": 0, "expected_version": view["version"]}
        view = page.request.post(f"{base}/api/attempts/{view['id']}/actions", data=action, headers=headers).json()
    submit = {"type": "submit", "expected_version": view["version"]}
    response = page.request.post(f"{base}/api/attempts/{view['id']}/actions", data=submit, headers=headers)
    assert response.ok and response.json()["status"] == "submitted"


def test_the_progress_page_stays_short_with_a_heavy_history(live_server: Callable[..., str], page: Any) -> None:
    """Issue 18.12: the page was 23,000 px tall. Long tables (the mistake log's hundreds of
    concepts, time per attempt, every task statement) wait behind <details> summaries."""
    base = live_server()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base + "/")
    headers = {"X-CSRF-Token": page.request.get(base + "/api/session").json()["csrf_token"]}
    for _ in range(6):
        _full_mock(page, base, headers)
    data = page.request.get(base + "/api/progress").json()
    assert len(data["scores"]["points"]) == 6 and data["mistakes"]["total"] > 200
    assert len(data["mistakes"]["concepts"]) > 100  # a heavy history: hundreds of rows once

    page.goto(base + "/progress")
    expect(page.locator("#mistakes-concepts tbody tr")).to_have_count(MISTAKE_ROWS)
    rest = page.locator("#mistakes-concepts-more")
    expect(rest.locator("> summary")).to_contain_text(
        f"The other {len(data['mistakes']['concepts']) - MISTAKE_ROWS} concepts"
    )
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, f"the progress page is {height} px tall"
    # Everything is one click away: opening the summary shows the rest of the log.
    rest.locator("> summary").click()
    expect(page.locator("#mistakes-concepts-rest tbody tr")).to_have_count(
        len(data["mistakes"]["concepts"]) - MISTAKE_ROWS
    )
    assert page.evaluate("document.documentElement.scrollHeight") > height
    # "How it is estimated" is a page of the app.
    page.locator("#readiness-help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How readiness is estimated")
