"""What every request passes before anything reads it: a known Host name, a body of bounded size.

Both answer in plain text and sit outside every other middleware (docs/security.md):

- The Host header must name this server (``Settings.trusted_hosts``: the loopback names, the
  address it listens on, ``--allowed-host``), else 400. A web page on another site whose name was
  made to resolve to 127.0.0.1 (DNS rebinding) would otherwise talk to a local-mode server as the
  local profile. Starlette's ``TrustedHostMiddleware`` does the check; a request with no Host
  header at all (HTTP/1.0) passes, since no browser sends one.
- A body larger than ``Settings.max_request_bytes`` (an admin's upload of a question file:
  ``Settings.upload_max_bytes``) gets 413 before the app sees it: at once from
  its Content-Length, or, for a body sent in chunks without one, as soon as the bytes received pass
  the limit. Nothing buffers more than the limit, whoever sends it.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certprep.config import Settings

__all__ = ["BodyLimit", "KnownHost", "install_request_guards"]


# The admin's upload of a question file (web/routes/admin.py): its own, larger limit.
UPLOAD_PATHS = frozenset({"/admin/content/imports", "/api/admin/content/imports"})
MULTIPART_OVERHEAD = 64 * 1024  # the form's other fields and the multipart boundaries


class BodyLimit:
    """413 for a request body over ``max_bytes`` (``upload_bytes`` on the upload paths); a smaller
    one reaches the app unchanged."""

    def __init__(self, app: ASGIApp, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.default_bytes = max_bytes
        self.upload_bytes = max(max_bytes, upload_bytes or 0)

    def _too_large(self, limit: int) -> PlainTextResponse:
        return PlainTextResponse(f"request body too large: at most {limit} bytes", status_code=413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if scope.get("path") in UPLOAD_PATHS else self.default_bytes
        length = _content_length(scope)
        if length is not None:
            # The server delivers no more than Content-Length bytes, so a declared size is the size.
            if length > limit:
                await self._too_large(limit)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        # No Content-Length (a chunked body, or none): take the body in, up to the limit, then replay it.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._too_large(limit)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # servers refuse such requests before they reach the app
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: the disconnect, when it comes

    return replay


class KnownHost(TrustedHostMiddleware):
    """Starlette's check of the Host header, except for a request without one (HTTP/1.0): only a
    program sends that, never a browser, and a program can name any host it likes anyway."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(name == b"host" for name, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def install_request_guards(web: FastAPI, settings: Settings) -> None:
    """Add both guards around everything added before (call it after the other middleware)."""
    upload = settings.upload_max_bytes + MULTIPART_OVERHEAD
    web.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes, upload_bytes=upload)
    web.add_middleware(KnownHost, allowed_hosts=settings.trusted_hosts(), www_redirect=False)
