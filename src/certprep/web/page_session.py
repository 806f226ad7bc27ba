"""A page's CSRF token, with a session behind it only once a page needs one.

A request without a cookie used to start a session (a row kept for a day, or 30 days in local
mode) on every page, so 3,000 cookieless GETs wrote 3,000 rows. Now a page starts one only when
its template writes the CSRF token into a form: ``csrf_token`` in every template's context is a
``PageCsrfToken``, which starts the session the first time it is written out and sends its cookie
with the page. Pages without forms, JSON reads and errors create nothing; ``GET /api/session``
(an API client's or a script's way to get a token), the sign-in and sign-up pages, and sign-in
itself start one as before (``deps.ensure_session``). Writes need a session already: the CSRF check
refuses them without one.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from markupsafe import escape

from certprep import services
from certprep.services.accounts import User, user_from_row
from certprep.services.sessions import SessionInfo
from certprep.web.deps import install_session, is_multi_user, request_now

__all__ = ["PageCsrfToken"]


class PageCsrfToken:
    """The CSRF token of the request's session, for a template: ``{{ csrf_token }}`` writes it
    (starting a session if the request has none); ``csrf_token.ready`` says whether one exists.

    Templates are rendered by the routes' plain ``def`` functions, in the thread pool, so the
    session is started there with the same blocking calls as any other write of a route."""

    def __init__(self, request: Request) -> None:
        self._request = request

    @property
    def ready(self) -> bool:
        return self._session() is not None

    def _session(self) -> SessionInfo | None:
        session: SessionInfo | None = getattr(self._request.state, "session", None)
        return session

    def value(self) -> str:
        session = self._session()
        if session is None:
            session = _start(self._request)
        return session.csrf_token

    def __str__(self) -> str:
        return self.value()

    def __html__(self) -> str:
        return str(escape(self.value()))


def _start(request: Request) -> SessionInfo:
    now = request_now(request)
    owner = None if is_multi_user(request) else _local_profile(request, now)
    token, session = services.start_session(request.app.state.certprep, owner, now)
    install_session(request, token, session, now)
    return session


def _local_profile(request: Request, now: datetime) -> User:
    # A page in local mode has resolved its user (the local profile) before it renders.
    user: User | None = getattr(request.state, "user", None) or getattr(request.app.state, "local_user", None)
    return user if user is not None else user_from_row(services.local_user(request.app.state.certprep, now))
