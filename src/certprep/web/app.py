"""ASGI app factory. Every HTML page has a JSON twin under /api."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from certprep import __version__
from certprep.app import Certprep

__all__ = ["build_web_app"]

TEMPLATES = Path(__file__).with_name("templates")


def _exams_summary(app: Certprep) -> list[dict[str, Any]]:
    out = []
    for code, bp in sorted(app.pack.blueprints.items()):
        out.append(
            {
                "code": code,
                "title": bp.title,
                "status": bp.status,
                "retired_on": bp.retired_on.isoformat() if bp.retired_on else None,
                "questions_total": bp.questions_total,
                "questions_scored": bp.questions_scored,
                "duration_minutes": bp.duration_minutes,
                "passing_score": bp.passing_score,
                "question_types": list(bp.question_types),
                "bank_questions": len(app.pack.questions_for(code)),
                "domains": [{"id": d.id, "title": d.title, "weight": d.weight} for d in bp.domains],
            }
        )
    return out


def build_web_app(app: Certprep) -> FastAPI:
    """Build the ASGI app over an opened ``Certprep`` (the CLI's ``serve`` does this)."""
    web = FastAPI(title="certprep", version=__version__, docs_url="/api/docs", openapi_url="/api/openapi.json")
    templates = Jinja2Templates(directory=str(TEMPLATES))
    web.state.certprep = app

    @web.get("/api/home", tags=["home"])
    def home_json() -> dict[str, Any]:
        return {"version": __version__, "pack": app.pack.info.model_dump(), "exams": _exams_summary(app)}

    @web.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "home.html", home_json())

    @web.get("/healthz", tags=["home"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return web
