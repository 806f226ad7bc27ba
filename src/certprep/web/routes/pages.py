"""Dashboard and exams: each page and its JSON twin call the same data function."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from certprep.analytics.readiness import DEFAULT_RULES
from certprep.web.deps import App, Now, PageUser, RequireUser
from certprep.web.home import dashboard_data, exams_data
from certprep.web.render import render
from certprep.web.schemas import DashboardOut, ExamsOut

__all__ = ["TWINS", "router"]

router = APIRouter()
TWINS = {"/": "/api/dashboard", "/exams": "/api/exams"}


@router.get("/api/dashboard", tags=["dashboard"])
def dashboard_json(app: App, user: RequireUser, now: Now) -> DashboardOut:
    """Exams with domains and weights, the user's recent attempts, progress and next steps."""
    return dashboard_data(app, user, now)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request, app: App, user: PageUser, now: Now) -> HTMLResponse:
    return render(request, "dashboard.html", dashboard_data(app, user, now), floor=DEFAULT_RULES.domain_floor)


@router.get("/api/exams", tags=["exams"])
def exams_json(app: App, user: RequireUser, now: Now) -> ExamsOut:
    """Every exam: published rules, domains with weights, task statements, questions in the bank;
    Practice Exams 1..6 with your best scores, the practice builder's choices, your open attempts."""
    return exams_data(app, user, now)


@router.get("/exams", response_class=HTMLResponse, include_in_schema=False)
def exams_page(request: Request, app: App, user: PageUser, now: Now) -> HTMLResponse:
    return render(request, "exams.html", exams_data(app, user, now))
