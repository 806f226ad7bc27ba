"""ASGI middleware: the session cookie set by dependencies, and security headers on every response.

Dependencies decide that a response must set or clear the session cookie (``set_session_cookie``);
this middleware adds the header when the response starts, whatever route or error handler built
the response.
"""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["COOKIE_NAME", "SecurityMiddleware", "session_cookie_header"]

COOKIE_NAME = "certprep_session"
_STATE_KEY = "certprep_set_cookie"

# 'self' only: no CDN, no inline script (the theme script is a file), no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


def session_cookie_header(token: str, *, max_age: int, secure: bool) -> str:
    """The Set-Cookie value: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS; max_age 0 clears it."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[COOKIE_NAME] = token
    morsel = cookie[COOKIE_NAME]
    morsel["path"] = "/"
    morsel["max-age"] = max_age
    morsel["httponly"] = True
    morsel["samesite"] = "Lax"
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()


def set_cookie_on_response(scope_state: dict[str, Any], header: str) -> None:
    scope_state[_STATE_KEY] = header


class SecurityMiddleware:
    """Adds the pending session cookie and the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})
        is_static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookie = state.get(_STATE_KEY)
                if cookie:
                    headers.append("set-cookie", cookie)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("referrer-policy", "same-origin")
                headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
                if not is_static:
                    headers.setdefault("cache-control", "no-store")  # pages hold a user's data
            await send(message)

        await self.app(scope, receive, send_with_headers)
