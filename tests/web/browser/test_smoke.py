"""Smoke test in a real browser: the pages, htmx, the theme toggle, sign-up/in/out, phone width.

Runs Debian's chromium (/usr/bin/chromium) through Playwright against a real uvicorn server; skipped
with a reason when chromium is missing (CI installs it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.conftest import bundled_pack

pytestmark = pytest.mark.slow  # a real browser: left out of `pytest -m "not slow"`

QUESTION_ID = sorted(q.id for q in bundled_pack().questions)[0]


def test_local_mode_pages_theme_and_report_form(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert page.evaluate("typeof window.htmx") == "object"

    # The skip link is the first thing the keyboard reaches, and it leads to <main>.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Theme: dark is remembered across a reload and applied before the page is shown; system forgets it.
    page.get_by_role("button", name="Dark", exact=True).click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    expect(page.get_by_role("button", name="Dark", exact=True)).to_have_attribute("aria-pressed", "true")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.get_by_role("button", name="Light", exact=True).click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background
    page.get_by_role("button", name="System", exact=True).click()
    assert page.evaluate("document.documentElement.hasAttribute('data-theme')") is False
    assert page.evaluate("localStorage.getItem('certprep-theme')") is None

    # Nav.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Exams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Exams")
    expect(page.get_by_role("link", name="Exams")).to_have_attribute("aria-current", "page")

    # Report a problem through htmx: the form is swapped for the thanks, no navigation.
    url = f"{base}/questions/{QUESTION_ID}/report"
    page.goto(url)
    page.get_by_label("A typo or a formatting problem").check()
    page.get_by_label("Details").fill("The second option has a typo.")
    page.get_by_role("button", name="Send report", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Thank you: report #1")
    assert page.url == url
    page.get_by_role("link", name="See your report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Problem report #1")


def test_sign_up_sign_out_sign_in(live_server: Callable[..., str], page: Any) -> None:
    base = live_server(multi_user=True)
    page.goto(base + "/exams")
    expect(page).to_have_url(base + "/sign-in?next=/exams")
    page.get_by_role("link", name="Sign up").last.click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_label("Password again").fill("correct horse battery")
    page.get_by_role("button", name="Create account", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_text("Welcome, Ada Lovelace.")).to_be_visible()

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(base + "/sign-in")

    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("wrong username or password")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")


def test_phone_width_has_no_sideways_scroll(live_server: Callable[..., str], page: Any) -> None:
    base = live_server()
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/exams", "/admin/content", "/admin/reports", f"/questions/{QUESTION_ID}/report"):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (path, overflow)
