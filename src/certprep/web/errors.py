"""Errors as pages or JSON: ``{"detail": ...}`` for /api/ and JSON clients, a page otherwise.

A 401 on a page becomes a redirect to the sign-in page (back to the page afterwards).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from certprep.exam.attempt import AttemptClosedError, AttemptError, StaleStateError, TransitionError
from certprep.services.errors import NotFound
from certprep.services.exams import AttemptConflictError, ExamRequestError
from certprep.services.team_pack import ImportRefused
from certprep.web.render import render, wants_json

__all__ = ["EXAM_ERROR_STATUS", "exam_error_status", "install_error_handlers"]

# The one table from the exam services' refusals to status codes (first match wins).
EXAM_ERROR_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (NotFound, 404),  # missing, or another user's attempt
    (StaleStateError, 409),  # acted on an old version (another tab): reload and try again
    (AttemptClosedError, 409),  # submitted or expired: the report is ready
    (AttemptConflictError, 409),  # a report or a retake before the attempt is finished
    (TransitionError, 409),  # e.g. pausing an exam, answering while paused
    (ExamRequestError, 422),  # an invalid answer, an unknown exam, an empty selection...
    (ImportRefused, 422),  # an admin's upload that cannot be imported or added to the team pack
)

TITLES = {
    400: "Bad request",
    401: "Sign in first",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Invalid input",
    429: "Too many attempts",
}


def _error_page(request: Request, status: int, detail: Any, headers: dict[str, str] | None = None) -> Response:
    if isinstance(detail, list):  # validation errors: one line each
        lines = [f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body')}: {e.get('msg', '')}" for e in detail]
    else:
        lines = [str(detail)]
    return render(
        request,
        "error.html",
        status_code=status,
        headers=headers,
        status=status,
        title=TITLES.get(status, "Error"),
        lines=lines,
    )


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    if exc.status_code == 401:
        # Back to the page after sign-in; a form post cannot be replayed, so that goes home.
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return RedirectResponse(f"/sign-in?next={quote(target, safe='/')}", status_code=303)
    return _error_page(request, exc.status_code, exc.detail, headers)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # loc, msg and type only: echoing "input" back would repeat a submitted password.
    errors = jsonable_encoder([{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()])
    if wants_json(request):
        return JSONResponse({"detail": errors}, status_code=422)
    return _error_page(request, 422, errors)


async def not_found(request: Request, exc: Exception) -> Response:
    """``services.NotFound``: missing, or somebody else's; both are a plain 404."""
    assert isinstance(exc, NotFound)
    detail = f"{exc.what} not found"
    if wants_json(request):
        return JSONResponse({"detail": detail}, status_code=404)
    return _error_page(request, 404, detail)


def exam_error_status(exc: Exception) -> int | None:
    """The status code of an exam service error, or None for anything else."""
    for kind, status in EXAM_ERROR_STATUS:
        if isinstance(exc, kind):
            return status
    return None


async def exam_error(request: Request, exc: Exception) -> Response:
    """``ExamRequestError`` and the attempt machine's refusals, with the message they carry."""
    status = exam_error_status(exc)
    if status is None:  # not one of ours: let it be a 500
        raise exc
    if wants_json(request):
        return JSONResponse({"detail": str(exc)}, status_code=status)
    return _error_page(request, status, str(exc))


def install_error_handlers(web: FastAPI) -> None:
    web.add_exception_handler(StarletteHTTPException, http_error)
    web.add_exception_handler(RequestValidationError, validation_error)
    web.add_exception_handler(NotFound, not_found)
    web.add_exception_handler(ExamRequestError, exam_error)
    web.add_exception_handler(AttemptError, exam_error)
    web.add_exception_handler(ImportRefused, exam_error)
