"""Times in the browser's own time zone (issue 18.10): the server writes UTC in <time datetime>
elements, static/app.js shows them in the zone the browser runs in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow  # a real browser: left out of `pytest -m "not slow"`


def _one_attempt(page: Any, base: str) -> None:
    token = page.request.get(base + "/api/session").json()["csrf_token"]
    body = {"exam": "MLA-C02", "selection": "custom", "mode": "practice", "count": 2, "types": ["single"]}
    response = page.request.post(base + "/api/attempts", data=body, headers={"X-CSRF-Token": token})
    assert response.status == 201, response.text()
    view = response.json()  # submitted: the dashboard lists finished attempts
    done = page.request.post(
        base + f"/api/attempts/{view['id']}/actions",
        data={"type": "submit", "expected_version": view["version"]},
        headers={"X-CSRF-Token": token},
    )
    assert done.status == 200, done.text()


@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_times_show_in_the_browsers_time_zone(live_server: Callable[..., str], browser: Any, zone: str) -> None:
    base = live_server()
    context = browser.new_context(timezone_id=zone, locale="en-US")
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(base + "/")
        _one_attempt(page, base)
        page.goto(base + "/attempts")
        started = page.locator("main table time").first
        expect(started).to_have_attribute("data-localized", "")
        utc = datetime.fromisoformat(started.get_attribute("datetime").replace("Z", "+00:00"))
        local = utc.astimezone(ZoneInfo(zone))
        shown = started.inner_text()
        assert shown.startswith(local.strftime("%Y-%m-%d %H:%M ")), (shown, local)
        assert shown != utc.strftime("%Y-%m-%d %H:%M UTC")  # not the server's zone
        assert started.get_attribute("title") == utc.strftime("%Y-%m-%d %H:%M UTC")  # the UTC text kept
        if zone == "Asia/Tokyo":
            assert shown.endswith("GMT+9"), shown
        # The same on the dashboard.
        page.goto(base + "/")
        expect(page.locator("main table time").first).to_have_text(shown)
    finally:
        context.close()
    assert not errors, errors


def test_without_script_the_utc_text_stays(live_server: Callable[..., str], browser: Any) -> None:
    base = live_server()
    context = browser.new_context(timezone_id="Asia/Tokyo", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/")
        _one_attempt(page, base)
        page.goto(base + "/attempts")
        assert page.locator("main table time").first.inner_text().endswith(" UTC")
    finally:
        context.close()
