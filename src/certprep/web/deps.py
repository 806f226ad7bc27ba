"""Request dependencies: the clock, the session, the user, CSRF, and the admin role.

Typed aliases (``Now``, ``CurrentUser``, ``RequireUser``, ``RequireAdmin``, ``PageUser``...) are
what routes declare. The pattern for a user's own rows (attempts, cards, reports): declare
``user: RequireUser`` and call a service that takes ``user`` and raises ``services.NotFound`` for a
row that is not that user's; the app turns ``NotFound`` into a 404, the same as a row that does not
exist, so ids of other users' rows reveal nothing.
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
from certprep.services.accounts import SessionInfo, User, user_from_row
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


# Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in its
# thread pool, a hop that costs more than these functions themselves under load. They take the
# request alone and call one another as plain functions (each keeps its result on
# ``request.state``): FastAPI's resolution of a graph of sub-dependencies cost more per request
# than the work of the functions in it.


def _app(request: Request) -> Certprep:
    app: Certprep = request.app.state.certprep
    return app


async def get_app(request: Request) -> Certprep:
    return _app(request)


def request_now(request: Request) -> datetime:
    """The time of this request, read once from ``app.state.clock`` (tests replace it to move time)."""
    now: datetime | None = getattr(request.state, "now", None)
    if now is None:
        clock: Clock = request.app.state.clock
        now = request.state.now = clock()
    return now


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


async def _lookup_session(request: Request, now: datetime) -> SessionInfo | None:
    """The session of the request's cookie, looked up once per request.

    The read runs on the event loop: an indexed read of one row (SQLite in WAL mode never makes a
    reader wait for a writer; PostgreSQL over the loop pool) costs less than a hop to the
    thread pool, which every request would pay. The write of ``last_seen_at``, due once in
    ``TOUCH_INTERVAL``, goes to the thread pool."""
    if getattr(request.state, "session_loaded", False):
        session: SessionInfo | None = request.state.session
        return session
    token = request.cookies.get(COOKIE_NAME)
    session = await services.read_session_async(_app(request), token, now) if token else None
    if session is not None and session.touch_due:
        await run_in_threadpool(services.touch_session, _app(request), session, now)
    request.state.session = session
    request.state.session_loaded = True
    return session


def install_session(request: Request, token: str, session: SessionInfo, now: datetime) -> None:
    """Make ``session`` this request's session and send its cookie with the response."""
    request.state.session = session
    request.state.session_loaded = True
    request.state.user_loaded = False  # the user follows the new session
    max_age = max(0, int((session.expires_at - now).total_seconds()))
    secure = request.url.scheme == "https"
    header = session_cookie_header(token, max_age=max_age, secure=secure)
    set_cookie_on_response(request.scope.setdefault("state", {}), header)


def clear_session_cookie(request: Request) -> None:
    request.state.session = None
    request.state.session_loaded = True
    request.state.user_loaded = False
    secure = request.url.scheme == "https"
    header = session_cookie_header("", max_age=0, secure=secure)
    set_cookie_on_response(request.scope.setdefault("state", {}), header)


async def optional_session(request: Request) -> SessionInfo | None:
    """The session of the request's cookie, if it is live; creates nothing."""
    return await _lookup_session(request, request_now(request))


async def ensure_session(request: Request) -> SessionInfo:
    """The request's session, started if there is none (a page needs a CSRF token for its forms).

    In local mode the session belongs to the local profile; with accounts on it belongs to nobody
    until its visitor signs in.
    """
    now = request_now(request)
    found = await _lookup_session(request, now)
    if found is not None:
        return found
    owner = None if is_multi_user(request) else await run_in_threadpool(_local_user, request, now)
    token, session = await run_in_threadpool(services.start_session, _app(request), owner, now)
    install_session(request, token, session, now)
    return session


OptionalSession = Annotated[SessionInfo | None, Depends(optional_session)]
EnsuredSession = Annotated[SessionInfo, Depends(ensure_session)]


# --- users ------------------------------------------------------------------------------------


async def current_user(request: Request) -> User | None:
    """Local mode: always the local profile. Accounts on: the signed-in user, or None.

    ``async``: it reads the session already looked up; only the first request of a local-mode
    process touches the database (the local profile is then kept), a wait short enough to take on
    the event loop."""
    if getattr(request.state, "user_loaded", False):
        known: User | None = request.state.user
        return known
    now = request_now(request)
    session = await _lookup_session(request, now)
    user = _local_user(request, now) if not is_multi_user(request) else signed_in_user(session)
    request.state.user = user
    request.state.user_loaded = True
    return user


def signed_in_user(session: SessionInfo | None) -> User | None:
    """With accounts on, the user signed in with ``session``, or None.

    A session the local profile got before the server was switched to accounts stays anonymous."""
    if session is None or session.user is None or session.user.is_local:
        return None
    return session.user


CurrentUser = Annotated[User | None, Depends(current_user)]


async def require_user(request: Request) -> User:
    """The signed-in user, or 401 (pages turn it into a redirect to the sign-in page)."""
    user = await current_user(request)
    if user is None:
        raise HTTPException(status_code=401, detail="sign in first")
    return user


RequireUser = Annotated[User, Depends(require_user)]


async def require_admin(request: Request) -> User:
    user = await require_user(request)
    if not user.is_admin:
        raise HTTPException(status_code=403, detail="this page is for administrators")
    return user


RequireAdmin = Annotated[User, Depends(require_admin)]


async def page_user(request: Request) -> User:
    """For HTML pages: the user. A page with a form starts a session when it writes the form's
    CSRF token (web/page_session.py); a page without one starts nothing."""
    return await require_user(request)


PageUser = Annotated[User, Depends(page_user)]


async def page_admin(request: Request) -> User:
    return await require_admin(request)


PageAdmin = Annotated[User, Depends(page_admin)]


# --- CSRF -------------------------------------------------------------------------------------


CSRF_FAILED = (
    "CSRF check failed: this request carries no valid CSRF token. Reload the page and try again; "
    f"an API client sends the csrf_token from GET /api/session in the {CSRF_HEADER} header."
)


async def csrf_protect(request: Request) -> None:
    """Every state change (POST, PUT, PATCH, DELETE) carries its session's CSRF token.

    The token comes in the ``X-CSRF-Token`` header or the ``csrf_token`` form field; it must equal
    the one stored with the session of the request's cookie, so another site cannot forge it.
    """
    if request.method not in UNSAFE_METHODS:
        return
    session = await _lookup_session(request, request_now(request))
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
