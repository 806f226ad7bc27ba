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

from certprep.services.accounts import NotFound
from certprep.web.render import render, wants_json

__all__ = ["install_error_handlers"]

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


def install_error_handlers(web: FastAPI) -> None:
    web.add_exception_handler(StarletteHTTPException, http_error)
    web.add_exception_handler(RequestValidationError, validation_error)
    web.add_exception_handler(NotFound, not_found)
