"""Dashboard and exams: each page and its JSON twin call the same data function."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse

from certprep.analytics.readiness import DEFAULT_RULES
from certprep.content.media import MEDIA_NAME, MEDIA_TYPES
from certprep.services import NotFound
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


MediaName = Annotated[str, Path(pattern=MEDIA_NAME.pattern)]


@router.get("/media/{name}", include_in_schema=False)
def media_file(app: App, user: RequireUser, name: MediaName) -> FileResponse:
    """An image of a pack's media folder (content.media): only names the packs hold, each checked
    when the pack was loaded, served with its own image type and never sniffed as anything else."""
    path = app.pack.media.get(name)
    if path is None:
        raise NotFound("image")
    headers = {"Cache-Control": "private, max-age=31536000, immutable", "Content-Disposition": "inline"}
    return FileResponse(path, media_type=MEDIA_TYPES[name.rsplit(".", 1)[1]], headers=headers)
