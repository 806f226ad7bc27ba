"""Admin pages (admins only; 403 for everybody else): content figures, problem reports, users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from certprep import services
from certprep.app import Certprep
from certprep.content.lint import lint_pack
from certprep.interop.formats import IMPORT_FORMATS
from certprep.services import team_pack
from certprep.web.deps import App, Now, PageAdmin, RequireAdmin
from certprep.web.pack_schemas import ImportReportOut, RefusedPackOut, ServedPackOut, TeamPackAddedOut
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
    members = app.pack.members or ((app.pack.info, app.pack.root),)
    return ContentFiguresOut(
        pack_root=str(app.pack.root),
        lint=app.cache[key],
        packs=[ServedPackOut(id=info.id, root=str(root)) for info, root in members],
        refused=[RefusedPackOut(root=str(r.root), errors=[str(e) for e in r.errors]) for r in app.refused_packs],
        team_pack=str(app.settings.team_pack_path()),
        import_formats=list(IMPORT_FORMATS),
        upload_max_bytes=app.settings.upload_max_bytes,
    )


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
def content_page(request: Request, app: App, user: PageAdmin, added: int | None = None) -> HTMLResponse:
    return render(request, "admin_content.html", content_data(app), added=added)


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


UploadForm = Annotated[
    UploadFile, File(description="The question file (GIFT, Moodle XML, Aiken, CSV, Markdown, .apkg).")
]
FormatField = Annotated[str, Form(max_length=20, description="Its format: " + ", ".join(IMPORT_FORMATS))]
ExamField = Annotated[str, Form(max_length=32, description="Exam for items that name none (with task).")]
TaskField = Annotated[str, Form(max_length=16, description="Task statement for items that name none, e.g. 1.1.")]
TrueFalseField = Annotated[
    Literal["skip", "as-single"], Form(description="True/false questions: skip them, or import them as True/False.")
]
Token = Annotated[str, Path(pattern=team_pack.TOKEN_PATTERN)]


@dataclass(frozen=True)
class UploadIn:
    """The upload form's fields (the page's form and its JSON twin take the same)."""

    file: UploadFile
    format: str
    exam: str
    task: str
    true_false: str


def upload_in(
    file: UploadForm,
    format: FormatField,
    exam: ExamField = "",
    task: TaskField = "",
    true_false: TrueFalseField = "skip",
) -> UploadIn:
    return UploadIn(file=file, format=format, exam=exam, task=task, true_false=true_false)


Upload = Annotated[UploadIn, Depends(upload_in)]


async def _import(app: Certprep, form: UploadIn) -> ImportReportOut:
    # The body limit (web/guards.py) already bounds the request; the service checks the file's own size.
    data = await form.file.read(app.settings.upload_max_bytes + 1)
    report = team_pack.import_upload(
        app,
        data,
        form.file.filename or "upload",
        form.format,
        exam=form.exam.strip() or None,
        task=form.task.strip() or None,
        true_false=form.true_false,
    )
    return ImportReportOut.model_validate(report)


@router.post("/api/admin/content/imports", tags=["admin"], status_code=201, responses={422: {}})
async def import_json(app: App, user: RequireAdmin, form: Upload) -> ImportReportOut:
    """Import an uploaded question file as `certprep content import` does; nothing is served until
    it is added to the team pack (POST /api/admin/content/imports/{token}/add)."""
    return await _import(app, form)


@router.post("/admin/content/imports", response_class=HTMLResponse, include_in_schema=False)
async def import_form(request: Request, app: App, user: PageAdmin, form: Upload) -> HTMLResponse:
    return render(request, "admin_import.html", await _import(app, form))


@router.post("/api/admin/content/imports/{token}/add", tags=["admin"], responses={422: {}})
def add_json(app: App, user: RequireAdmin, now: Now, token: Token) -> TeamPackAddedOut:
    """Add an imported upload to the team pack; this process serves it at once, other worker
    processes from their next start."""
    return TeamPackAddedOut.model_validate(team_pack.add_upload(app, token, now))


@router.post("/admin/content/imports/{token}/add", include_in_schema=False)
def add_form(app: App, user: PageAdmin, now: Now, token: Token) -> Response:
    added = team_pack.add_upload(app, token, now)
    return RedirectResponse(f"/admin/content?added={added.questions}", status_code=303)
