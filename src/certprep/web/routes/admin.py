"""Admin pages (admins only; 403 for everybody else): content figures, problem reports, users."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from certprep import services
from certprep.app import Certprep
from certprep.content.lint import lint_pack
from certprep.web.deps import App, Now, PageAdmin, RequireAdmin
from certprep.web.params import RowId
from certprep.web.render import render
from certprep.web.schemas import AdminReportOut, AdminReportsOut, AdminUserOut, AdminUsersOut, ContentFiguresOut

__all__ = ["TWINS", "router"]

router = APIRouter()
TWINS = {
    "/admin/content": "/api/admin/content",
    "/admin/reports": "/api/admin/reports",
    "/admin/users": "/api/admin/users",
}

StatusFilter = Literal["open", "resolved", "all"]


def content_data(app: Certprep) -> ContentFiguresOut:
    """The linter's errors, warnings and figures for the pack this server serves (computed once:
    the pack never changes while the server runs, and a lint of the whole bank takes seconds)."""
    key = ("lint", str(app.pack.root))
    if key not in app.cache:
        app.cache[key] = lint_pack(app.pack.root).to_json()
    return ContentFiguresOut(pack_root=str(app.pack.root), lint=app.cache[key])


def reports_data(app: Certprep, status: StatusFilter) -> AdminReportsOut:
    rows = services.list_problem_reports(app, None if status == "all" else status)
    open_count = len(rows) if status == "open" else len(services.list_problem_reports(app, "open"))
    return AdminReportsOut(
        status=status, open_count=open_count, reports=[AdminReportOut.model_validate(r) for r in rows]
    )


def users_data(app: Certprep) -> AdminUsersOut:
    return AdminUsersOut(
        users=[
            AdminUserOut(
                id=u.id,
                username=u.username,
                display_name=u.display_name,
                is_admin=u.is_admin,
                is_local=u.is_local,
                created_at=u.created_at,
            )
            for u in services.list_users(app)
        ]
    )


@router.get("/admin", include_in_schema=False)
def admin_home(user: PageAdmin) -> Response:
    return RedirectResponse("/admin/content", status_code=303)


@router.get("/api/admin/content", tags=["admin"])
def content_json(app: App, user: RequireAdmin) -> ContentFiguresOut:
    """Content figures: the output of `certprep content lint --json` for the served pack."""
    return content_data(app)


@router.get("/admin/content", response_class=HTMLResponse, include_in_schema=False)
def content_page(request: Request, app: App, user: PageAdmin) -> HTMLResponse:
    return render(request, "admin_content.html", content_data(app))


@router.get("/api/admin/reports", tags=["admin"])
def reports_json(app: App, user: RequireAdmin, status: StatusFilter = "open") -> AdminReportsOut:
    """Problem reports from every user, newest first (default: the open ones)."""
    return reports_data(app, status)


@router.get("/admin/reports", response_class=HTMLResponse, include_in_schema=False)
def reports_page(request: Request, app: App, user: PageAdmin, status: StatusFilter = "open") -> HTMLResponse:
    return render(request, "admin_reports.html", reports_data(app, status))


@router.post("/api/admin/reports/{report_id}/resolve", tags=["admin"], responses={404: {}})
def resolve_json(app: App, user: RequireAdmin, now: Now, report_id: RowId) -> AdminReportOut:
    """Mark a problem report resolved."""
    return AdminReportOut.model_validate(services.resolve_problem_report(app, report_id, now))


@router.post("/admin/reports/{report_id}/resolve", include_in_schema=False)
def resolve_form(app: App, user: PageAdmin, now: Now, report_id: RowId) -> Response:
    services.resolve_problem_report(app, report_id, now)
    return RedirectResponse("/admin/reports", status_code=303)


@router.get("/api/admin/users", tags=["admin"])
def users_json(app: App, user: RequireAdmin) -> AdminUsersOut:
    """Every account (create them with `certprep users create`)."""
    return users_data(app)


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, app: App, user: PageAdmin) -> HTMLResponse:
    return render(request, "admin_users.html", users_data(app))
