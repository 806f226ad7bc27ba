"""Sign-in, sign-up, sign-out and the session (``/api/session`` gives API clients their CSRF token).

These routes exist only with accounts on (``--multi-user`` or a non-loopback host), except
``GET /api/session``, which in local mode describes the local profile's session.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from certprep import services
from certprep.services.accounts import (
    PASSWORD_MIN_LENGTH,
    AccountError,
    InvalidCredentials,
    TooManyAttempts,
    User,
)
from certprep.services.sessions import SessionInfo
from certprep.web.deps import (
    App,
    CurrentUser,
    EnsuredSession,
    Now,
    OptionalSession,
    clear_session_cookie,
    client_ip,
    install_session,
    is_multi_user,
)
from certprep.web.middleware import COOKIE_NAME
from certprep.web.params import OneLine
from certprep.web.render import render, safe_next
from certprep.web.schemas import SessionOut, SignInIn, SignUpIn, SignUpOut, UserOut

__all__ = ["TWINS", "router"]

router = APIRouter()
TWINS = {"/sign-in": "/api/session", "/sign-up": "/api/sign-up"}

LOCAL_MODE = "accounts are off: this server runs in local mode (start it with --multi-user to turn them on)"
SIGN_UP_OFF = "sign-up is turned off on this server: ask an administrator for an account"
BAD_CREDENTIALS = "wrong username or password"
USERNAME_RULE = "3 to 32 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"


def _accounts_on(request: Request) -> None:
    if not is_multi_user(request):
        raise HTTPException(status_code=404, detail=LOCAL_MODE)


def session_data(request: Request, session: SessionInfo, user: User | None) -> SessionOut:
    settings = request.app.state.certprep.settings
    return SessionOut(
        mode="multi-user" if settings.multi_user else "local",
        sign_up=bool(settings.multi_user and settings.sign_up),
        user=UserOut.of(user) if user is not None else None,
        csrf_token=session.csrf_token,
    )


def sign_up_data(request: Request) -> SignUpOut:
    return SignUpOut(
        enabled=bool(request.app.state.certprep.settings.sign_up),
        username_rule=USERNAME_RULE,
        password_min_length=PASSWORD_MIN_LENGTH,
    )


def _sign_in(request: Request, app: App, session: SessionInfo | None, user: User, now: Now) -> SessionInfo:
    """Start the user's session in place of the visitor's (a new token: no session fixation)."""
    old = request.cookies.get(COOKIE_NAME) if session is not None else None
    token, new = services.start_session(app, user, now, replacing=old)
    install_session(request, token, new, now)
    request.state.user = user
    return new


def _too_many(exc: TooManyAttempts) -> HTTPException:
    return HTTPException(status_code=429, detail=str(exc), headers={"Retry-After": str(exc.retry_after)})


# --- JSON -------------------------------------------------------------------------------------


@router.get("/api/session", tags=["session"])
def session_json(request: Request, session: EnsuredSession, user: CurrentUser) -> SessionOut:
    """Who this session acts as, and its CSRF token: send it as ``X-CSRF-Token`` on every change."""
    return session_data(request, session, user)


@router.post("/api/session", tags=["session"], responses={401: {}, 429: {}})
def sign_in_json(request: Request, body: SignInIn, app: App, session: OptionalSession, now: Now) -> SessionOut:
    """Sign in: a new session cookie and a new CSRF token (5 failures in 15 minutes: 429)."""
    _accounts_on(request)
    try:
        user = services.authenticate(app, body.username, body.password, client_ip(request), now)
    except TooManyAttempts as exc:
        raise _too_many(exc) from exc
    except InvalidCredentials as exc:
        raise HTTPException(status_code=401, detail=BAD_CREDENTIALS) from exc
    return session_data(request, _sign_in(request, app, session, user, now), user)


@router.delete("/api/session", tags=["session"], status_code=204)
def sign_out_json(request: Request, app: App, session: OptionalSession) -> Response:
    """Sign out: the session ends and its cookie is cleared."""
    _accounts_on(request)
    token = request.cookies.get(COOKIE_NAME)
    if session is not None and token:
        services.end_session(app, token)
    clear_session_cookie(request)
    return Response(status_code=204)


@router.get("/api/sign-up", tags=["session"])
def sign_up_json(request: Request) -> SignUpOut:
    """Whether sign-up is open, and the rules for a username and a password."""
    _accounts_on(request)
    return sign_up_data(request)


@router.post("/api/sign-up", tags=["session"], status_code=201, responses={403: {}, 409: {}, 422: {}})
def sign_up_post_json(request: Request, body: SignUpIn, app: App, session: OptionalSession, now: Now) -> SessionOut:
    """Create an account and sign in with it."""
    _accounts_on(request)
    if not app.settings.sign_up:
        raise HTTPException(status_code=403, detail=SIGN_UP_OFF)
    try:
        user = services.create_user(app, body.username, body.password, now, display_name=body.display_name)
    except services.UsernameTaken as exc:
        raise HTTPException(status_code=409, detail=exc.message) from exc
    except AccountError as exc:
        raise HTTPException(status_code=422, detail=exc.message) from exc
    return session_data(request, _sign_in(request, app, session, user, now), user)


# --- HTML -------------------------------------------------------------------------------------


@router.get("/sign-in", response_class=HTMLResponse, include_in_schema=False)
def sign_in_page(request: Request, session: EnsuredSession, user: CurrentUser, next: str = "/") -> Response:
    _accounts_on(request)
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "sign_in.html", session_data(request, session, user), next=safe_next(next), error=None)


@router.post("/sign-in", response_class=HTMLResponse, include_in_schema=False)
def sign_in_form(
    request: Request,
    app: App,
    session: OptionalSession,
    now: Now,
    username: Annotated[str, Form(max_length=200), OneLine] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    _accounts_on(request)
    target = safe_next(next)
    try:
        user = services.authenticate(app, username, password, client_ip(request), now)
    except TooManyAttempts as exc:
        raise _too_many(exc) from exc
    except InvalidCredentials:
        assert session is not None  # the CSRF check passed, so there is one
        data = session_data(request, session, None)
        return render(
            request, "sign_in.html", data, status_code=401, next=target, error=BAD_CREDENTIALS, username=username
        )
    _sign_in(request, app, session, user, now)
    return RedirectResponse(target, status_code=303)


@router.get("/sign-up", response_class=HTMLResponse, include_in_schema=False)
def sign_up_page(request: Request, session: EnsuredSession, user: CurrentUser) -> Response:
    _accounts_on(request)
    if user is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "sign_up.html", sign_up_data(request), errors={}, values={})


@router.post("/sign-up", response_class=HTMLResponse, include_in_schema=False)
def sign_up_form(
    request: Request,
    app: App,
    session: OptionalSession,
    now: Now,
    username: Annotated[str, Form(max_length=200), OneLine] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    password_again: Annotated[str, Form(max_length=1024)] = "",
    display_name: Annotated[str, Form(max_length=128), OneLine] = "",
) -> Response:
    _accounts_on(request)
    if not app.settings.sign_up:
        raise HTTPException(status_code=403, detail=SIGN_UP_OFF)
    values = {"username": username, "display_name": display_name}
    if password != password_again:
        errors = {"password_again": "the two passwords differ"}
        return render(request, "sign_up.html", sign_up_data(request), status_code=422, errors=errors, values=values)
    try:
        user = services.create_user(app, username, password, now, display_name=display_name or None)
    except AccountError as exc:
        status = 409 if isinstance(exc, services.UsernameTaken) else 422
        errors = {exc.field: exc.message}
        return render(request, "sign_up.html", sign_up_data(request), status_code=status, errors=errors, values=values)
    _sign_in(request, app, session, user, now)
    return RedirectResponse("/", status_code=303)


@router.post("/sign-out", include_in_schema=False)
def sign_out_form(request: Request, app: App, session: OptionalSession) -> Response:
    _accounts_on(request)
    token = request.cookies.get(COOKIE_NAME)
    if session is not None and token:
        services.end_session(app, token)
    clear_session_cookie(request)
    return RedirectResponse("/sign-in", status_code=303)
