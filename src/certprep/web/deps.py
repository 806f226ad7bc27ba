"""Request dependencies: the clock, the session, the user, CSRF, and the admin role.

Typed aliases (``Now``, ``CurrentUser``, ``RequireUser``, ``RequireAdmin``, ``PageUser``...) are
what routes declare; they are plain FastAPI dependencies, which FastAPI solves once per request
(the session a route and the CSRF check both depend on is read once). The pattern for a user's own
rows (attempts, cards, reports): declare ``user: RequireUser`` and call a service that takes
``user`` and raises ``services.NotFound`` for a row that is not that user's; the app turns
``NotFound`` into a 404, the same as a row that does not exist, so ids of other users' rows reveal
nothing.
"""

from __future__ import annotations

import hmac
import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from certprep import services
from certprep.app import Certprep
from certprep.services.accounts import User, user_from_row
from certprep.services.sessions import SessionInfo
from certprep.web.middleware import COOKIE_NAME, session_cookie_header, set_cookie_on_response

__all__ = [
    "CSRF_FORM_FIELD",
    "CSRF_HEADER",
    "App",
    "Clock",
    "CurrentUser",
    "EnsuredSession",
    "Now",
    "OptionalSession",
    "PageAdmin",
    "PageUser",
    "RequireAdmin",
    "RequireUser",
    "Rng",
    "clear_session_cookie",
    "client_ip",
    "csrf_matches",
    "csrf_protect",
    "install_session",
    "is_multi_user",
    "signed_in_user",
    "system_clock",
]

CSRF_FORM_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


# Dependencies that do no I/O are ``async def`` (FastAPI runs a plain ``def`` one in its thread
# pool); those that read or write the database hand that work to the thread pool themselves.


def _app(request: Request) -> Certprep:
    app: Certprep = request.app.state.certprep
    return app


async def get_app(request: Request) -> Certprep:
    return _app(request)


def request_now(request: Request) -> datetime:
    """The time of this request, from ``app.state.clock`` (tests replace it to move time)."""
    clock: Clock = request.app.state.clock
    return clock()


async def get_now(request: Request) -> datetime:
    return request_now(request)


async def get_rng(request: Request) -> random.Random:
    """Chance for a request (form assembly, option order, attempt ids): the OS's randomness, unless
    a test sets ``app.state.rng_factory``."""
    factory: Callable[[], random.Random] = getattr(request.app.state, "rng_factory", None) or random.SystemRandom
    return factory()


App = Annotated[Certprep, Depends(get_app)]
Now = Annotated[datetime, Depends(get_now)]
Rng = Annotated[random.Random, Depends(get_rng)]


def is_multi_user(request: Request) -> bool:
    return bool(_app(request).settings.multi_user)


def client_ip(request: Request) -> str:
    """The client's address (behind a trusted proxy, uvicorn puts X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


def _local_user(request: Request, now: datetime) -> User:
    """The local profile (local mode). Created by the first request that needs it, then kept by the
    process: its row never changes."""
    cached: User | None = getattr(request.app.state, "local_user", None)
    if cached is None:
        try:
            row = services.local_user(_app(request), now)
        except IntegrityError:  # another worker created it at the same moment: now it exists
            row = services.local_user(_app(request), now)
        cached = user_from_row(row)
        request.app.state.local_user = cached
    return cached


# --- sessions ---------------------------------------------------------------------------------
# ``request.state.session`` and ``request.state.user`` are what the templates show (the CSRF token
# of the page's forms, who is signed in): set by the dependencies below and by a sign-in or a
# sign-out, read only by ``render``.


def _read_session(app: Certprep, token: str, now: datetime) -> SessionInfo | None:
    session = services.read_session(app, token, now)
    if session is not None and session.touch_due:
        services.touch_session(app, session, now)
    return session


async def optional_session(request: Request, app: App, now: Now) -> SessionInfo | None:
    """The session of the request's cookie, if it is live; creates nothing. A request without a
    cookie reads nothing."""
    token = request.cookies.get(COOKIE_NAME)
    session = await run_in_threadpool(_read_session, app, token, now) if token else None
    request.state.session = session
    return session


OptionalSession = Annotated[SessionInfo | None, Depends(optional_session)]


def install_session(request: Request, token: str, session: SessionInfo, now: datetime) -> None:
    """Make ``session`` this request's session and send its cookie with the response."""
    request.state.session = session
    max_age = max(0, int((session.expires_at - now).total_seconds()))
    secure = request.url.scheme == "https"
    header = session_cookie_header(token, max_age=max_age, secure=secure)
    set_cookie_on_response(request.scope.setdefault("state", {}), header)


def clear_session_cookie(request: Request) -> None:
    request.state.session = None
    request.state.user = None
    secure = request.url.scheme == "https"
    header = session_cookie_header("", max_age=0, secure=secure)
    set_cookie_on_response(request.scope.setdefault("state", {}), header)


async def ensure_session(request: Request, app: App, now: Now, found: OptionalSession) -> SessionInfo:
    """The request's session, started if there is none (a page needs a CSRF token for its forms).

    In local mode the session belongs to the local profile; with accounts on it belongs to nobody
    until its visitor signs in.
    """
    if found is not None:
        return found
    owner = None if app.settings.multi_user else await run_in_threadpool(_local_user, request, now)
    token, session = await run_in_threadpool(services.start_session, app, owner, now)
    install_session(request, token, session, now)
    return session


EnsuredSession = Annotated[SessionInfo, Depends(ensure_session)]


# --- users ------------------------------------------------------------------------------------


async def current_user(request: Request, app: App, now: Now, session: OptionalSession) -> User | None:
    """Local mode: always the local profile. Accounts on: the signed-in user, or None."""
    if app.settings.multi_user:
        user = signed_in_user(session)
    else:
        user = getattr(request.app.state, "local_user", None) or await run_in_threadpool(_local_user, request, now)
    request.state.user = user
    return user


def signed_in_user(session: SessionInfo | None) -> User | None:
    """With accounts on, the user signed in with ``session``, or None.

    A session the local profile got before the server was switched to accounts stays anonymous."""
    if session is None or session.user is None or session.user.is_local:
        return None
    return session.user


CurrentUser = Annotated[User | None, Depends(current_user)]


async def require_user(user: CurrentUser) -> User:
    """The signed-in user, or 401 (pages turn it into a redirect to the sign-in page)."""
    if user is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return user


RequireUser = Annotated[User, Depends(require_user)]


async def require_admin(user: RequireUser) -> User:
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="this page is for administrators")
    return user


RequireAdmin = Annotated[User, Depends(require_admin)]


async def page_user(user: RequireUser) -> User:
    """For HTML pages: the user. A page with a form starts a session when it writes the form's
    CSRF token (web/page_session.py); a page without one starts nothing."""
    return user


PageUser = Annotated[User, Depends(page_user)]


async def page_admin(user: RequireAdmin) -> User:
    return user


PageAdmin = Annotated[User, Depends(page_admin)]


# --- CSRF -------------------------------------------------------------------------------------


CSRF_FAILED = (
    "CSRF check failed: this request carries no valid CSRF token. Reload the page and try again; "
    f"an API client sends the csrf_token from GET /api/session in the {CSRF_HEADER} header."
)


async def csrf_protect(request: Request, session: OptionalSession) -> None:
    """Every state change (POST, PUT, PATCH, DELETE) carries its session's CSRF token.

    The token comes in the ``X-CSRF-Token`` header or the ``csrf_token`` form field; it must equal
    the one stored with the session of the request's cookie, so another site cannot forge it.
    """
    if request.method not in UNSAFE_METHODS:
        return
    sent: Any = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()  # parsed once; the route gets the same parsed form
            sent = form.get(CSRF_FORM_FIELD)
    if not csrf_matches(sent, session):
        raise HTTPException(status_code=403, detail=CSRF_FAILED)


def csrf_matches(sent: Any, session: SessionInfo | None) -> bool:
    """``sent`` is the CSRF token of ``session`` (compared in constant time)."""
    return (
        session is not None
        and isinstance(sent, str)
        and hmac.compare_digest(sent.encode("utf-8"), session.csrf_token.encode("utf-8"))
    )
