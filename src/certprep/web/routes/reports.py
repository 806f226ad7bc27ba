"""Problem reports on questions: the form (a page, or a partial for htmx) and the user's own reports.

``POST /api/questions/{id}/reports`` is what a "Report a problem" button on any question calls;
the exam runner includes ``_report_form.html`` (``hx-get`` of ``/questions/{id}/report``) beside
each question.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from certprep import services
from certprep.app import Certprep
from certprep.web.deps import App, Now, PageUser, RequireUser
from certprep.web.params import OneLine, RowId
from certprep.web.render import render
from certprep.web.schemas import ReportFormOut, ReportIn, ReportOut, ReportsOut, categories

__all__ = ["TWINS", "router"]

router = APIRouter()

QuestionId = Annotated[str, Path(max_length=80, description="The question's id."), OneLine]
TWINS = {
    "/questions/{question_id}/report": "/api/questions/{question_id}/report",
    "/reports": "/api/reports",
    "/reports/{report_id}": "/api/reports/{report_id}",
}


def report_form_data(app: Certprep, question_id: str) -> ReportFormOut:
    """What the form needs: the question's stem (never its options or key) and the categories."""
    try:
        question = app.pack.question(question_id)
    except KeyError:
        raise services.NotFound("question") from None
    return ReportFormOut(
        question_id=question.id, revision=question.revision, stem=question.stem, categories=categories()
    )


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


# --- the form and filing a report -------------------------------------------------------------


@router.get("/api/questions/{question_id}/report", tags=["reports"])
def report_form_json(app: App, user: RequireUser, question_id: QuestionId) -> ReportFormOut:
    """The categories a report can have, and the question it is about."""
    return report_form_data(app, question_id)


@router.get("/questions/{question_id}/report", response_class=HTMLResponse, include_in_schema=False)
def report_form_page(
    request: Request,
    app: App,
    user: PageUser,
    question_id: QuestionId,
    revision: Annotated[int | None, Query(ge=1)] = None,
    attempt_id: Annotated[str | None, Query(max_length=36), OneLine] = None,
) -> HTMLResponse:
    """The form; ``revision`` and ``attempt_id`` say what was shown (the review of an attempt)."""
    template = "_report_form.html" if _is_htmx(request) else "report_form_page.html"
    data = report_form_data(app, question_id)
    if revision is not None:
        data = data.model_copy(update={"revision": revision})
    return render(request, template, data, errors={}, values={}, attempt_id=attempt_id)


@router.post("/api/questions/{question_id}/reports", tags=["reports"], status_code=201, responses={404: {}})
def report_json(app: App, user: RequireUser, now: Now, question_id: QuestionId, body: ReportIn) -> ReportOut:
    """Report a problem with a question (404 for an unknown question, revision or attempt)."""
    row = services.report_problem(
        app,
        user,
        question_id,
        category=body.category,
        message=body.message,
        now=now,
        revision=body.revision,
        attempt_id=body.attempt_id,
    )
    return ReportOut.model_validate(row)


@router.post("/questions/{question_id}/reports", response_class=HTMLResponse, include_in_schema=False)
def report_form_post(
    request: Request,
    app: App,
    user: PageUser,
    now: Now,
    question_id: QuestionId,
    category: Annotated[str, Form(max_length=64)] = "",
    message: Annotated[str, Form(max_length=20000)] = "",
    revision: Annotated[int | None, Form()] = None,
    attempt_id: Annotated[str | None, Form(max_length=36), OneLine] = None,
) -> Response:
    form = report_form_data(app, question_id)
    values = {"category": category, "message": message}
    try:
        body = ReportIn(category=category, message=message, revision=revision, attempt_id=attempt_id or None)
    except ValidationError as exc:
        errors = {str(e["loc"][0]): e["msg"].removeprefix("Value error, ") for e in exc.errors()}
        template = "_report_form.html" if _is_htmx(request) else "report_form_page.html"
        return render(request, template, form, status_code=422, errors=errors, values=values)
    row = services.report_problem(
        app,
        user,
        question_id,
        category=body.category,
        message=body.message,
        now=now,
        revision=body.revision,
        attempt_id=body.attempt_id,
    )
    if _is_htmx(request):
        return render(request, "_report_thanks.html", status_code=201, report=ReportOut.model_validate(row))
    return RedirectResponse(f"/reports/{row.id}", status_code=303)


# --- the user's own reports -------------------------------------------------------------------


def my_reports_data(app: Certprep, user: services.User) -> ReportsOut:
    return ReportsOut(reports=[ReportOut.model_validate(r) for r in services.list_user_reports(app, user)])


@router.get("/api/reports", tags=["reports"])
def my_reports_json(app: App, user: RequireUser) -> ReportsOut:
    """The problem reports this user filed, newest first."""
    return my_reports_data(app, user)


@router.get("/reports", response_class=HTMLResponse, include_in_schema=False)
def my_reports_page(request: Request, app: App, user: PageUser) -> HTMLResponse:
    return render(request, "reports.html", my_reports_data(app, user))


@router.get("/api/reports/{report_id}", tags=["reports"], responses={404: {}})
def my_report_json(app: App, user: RequireUser, report_id: RowId) -> ReportOut:
    """One of this user's reports (404 for anybody else's)."""
    return ReportOut.model_validate(services.get_user_report(app, user, report_id))


@router.get("/reports/{report_id}", response_class=HTMLResponse, include_in_schema=False)
def my_report_page(request: Request, app: App, user: PageUser, report_id: RowId) -> HTMLResponse:
    report = ReportOut.model_validate(services.get_user_report(app, user, report_id))
    return render(request, "report.html", report, report=report)
