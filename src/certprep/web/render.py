"""Templates and content negotiation: one data function feeds an HTML page and its JSON twin."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from pydantic import BaseModel

from certprep import __version__
from certprep.web.markdown import render_markdown, render_markdown_inline
from certprep.web.page_session import PageCsrfToken

__all__ = [
    "build_templates",
    "format_datetime",
    "format_duration",
    "palette_marks",
    "render",
    "safe_next",
    "wants_json",
]

TEMPLATES = Path(__file__).with_name("templates")


def wants_json(request: Request) -> bool:
    """JSON for /api/ paths and for clients that ask for JSON rather than HTML."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go to after sign-in; anything else (another site, //host) gives ``default``."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def format_datetime(value: datetime | None) -> Markup:
    """A ``<time>`` element: machine-readable as in the JSON twin, readable as text in UTC (the
    server's zone); ``static/app.js`` rewrites the text in the browser's own time zone
    (``data-local``), keeping the UTC text as the element's title."""
    if value is None:
        return Markup("")
    value = value.astimezone(UTC)
    machine = value.isoformat().replace("+00:00", "Z")
    return Markup('<time datetime="{}" data-local>{}</time>').format(machine, value.strftime("%Y-%m-%d %H:%M UTC"))


def format_duration(value: object) -> str:
    """Seconds as ``m:ss`` or ``h:mm:ss`` (time left, time per question)."""
    try:
        total = max(0, int(float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def palette_marks(entry: Any, current: bool) -> tuple[str, str]:
    """The CSS classes and the spoken label of one palette button.

    A Python function rather than two template macros: the runner draws one button per question
    on every action, and a macro call per button was a large share of the fragment's cost."""
    if entry.answered:
        state, said = " answered", "answered"
    elif entry.seen:
        state, said = " seen", "not answered"
    else:
        state, said = " unseen", "not seen yet"
    classes = f"pal{state}{' flagged' if entry.flagged else ''}{' current' if current else ''}"
    label = f"Question {entry.number}: {said}{', flagged' if entry.flagged else ''}{', on screen' if current else ''}"
    return classes, label


def _common_context(request: Request) -> dict[str, Any]:
    app = request.app.state.certprep
    user = getattr(request.state, "user", None)
    if user is None and not app.settings.multi_user:
        user = getattr(request.app.state, "local_user", None)
    return {
        "version": __version__,
        "pack": app.pack.info,
        "multi_user": app.settings.multi_user,
        "sign_up_enabled": app.settings.sign_up,
        "user": user,
        "csrf_token": PageCsrfToken(request),  # a session starts when a form writes it (web/page_session.py)
        "current_path": request.url.path,
    }


@functools.cache
def build_templates() -> Jinja2Templates:
    """The Jinja environment of the pages, one per process: the templates are files of the package
    that never change, so each is compiled once however many apps the process builds (the tests
    build one per test)."""
    templates = Jinja2Templates(directory=str(TEMPLATES), context_processors=[_common_context])
    templates.env.filters["markdown"] = render_markdown
    templates.env.filters["markdown_inline"] = render_markdown_inline
    templates.env.filters["duration"] = format_duration
    templates.env.filters["datetime"] = format_datetime
    templates.env.globals["nav"] = NAV
    templates.env.globals["palette_marks"] = palette_marks
    return templates


# (label, link, section prefix marked current, admins only); the exam runner's pages live under
# Attempts.
NAV: tuple[tuple[str, str, str, bool], ...] = (
    ("Dashboard", "/", "/", False),
    ("Exams", "/exams", "/exams", False),
    ("Attempts", "/attempts", "/attempts", False),
    ("Progress", "/progress", "/progress", False),
    ("Plan", "/plan", "/plan", False),
    ("Cards", "/cards", "/cards", False),
    ("Lessons", "/lessons", "/lessons", False),
    ("Cheat sheets", "/cheatsheets", "/cheatsheets", False),
    ("Labs", "/labs", "/labs", False),
    ("Search", "/search", "/search", False),
    ("Admin", "/admin/content", "/admin", True),
)


def render(
    request: Request,
    template: str,
    data: BaseModel | Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> HTMLResponse:
    """Render ``template`` with the fields of ``data`` (the JSON twin's model) plus ``extra``."""
    context: dict[str, Any] = {}
    if isinstance(data, BaseModel):
        context.update({name: getattr(data, name) for name in type(data).model_fields})
        context["data"] = data
    elif data is not None:
        context.update(data)
    context.update(extra)
    templates: Jinja2Templates = request.app.state.templates
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
