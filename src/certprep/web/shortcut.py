"""The shortcut of the busiest request: an answer (or flag, or move) on an attempt in progress.

``POST /api/attempts/{id}/actions`` is most of what a server does while people take exams. In
the common case (a JSON body, the ``X-CSRF-Token`` header, a session and an attempt this process
has seen, an action that logs one event) its work is one short write, and FastAPI's routing,
dependency resolution and validation of the route would cost more than that write.
``ActionShortcut`` answers that case before the router, with the same checks and the same answer:

- the session is the one this process last read for the cookie's token
  (``services.accounts.remembered_session``; no touch due), and the CSRF token sent is its own;
- the user is the route's: the local profile, or with accounts on the session's signed-in user;
- the write itself (``exams.act_if_known_async`` with ``session``) checks the attempt's version
  and that the session still lives, so a sign-out on another worker stops it.

Every other case, and every case the write does not settle (a stale version, an ended session, an
invalid body), goes on to the route with the request's body replayed untouched: the route then
gives the answer or the error, the same as without the shortcut.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from certprep.services.accounts import User, remembered_session
from certprep.web import exam_data
from certprep.web.attempt_schemas import ActionIn
from certprep.web.deps import CSRF_HEADER, csrf_matches, signed_in_user
from certprep.web.middleware import COOKIE_NAME
from certprep.web.routes.attempts import view_response

__all__ = ["ACTION_PATH", "MAX_BODY", "ActionShortcut"]

ACTION_PATH = re.compile(r"/api/attempts/([^/]{1,64})/actions")  # the route's path, its id's length
MAX_BODY = 16 * 1024  # an action is some hundred bytes; a larger body goes to the route unread


class ActionShortcut:
    """ASGI middleware: the common exam action answered before the router (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = None
        if scope["type"] == "http" and scope["method"] == "POST" and not scope.get("root_path"):
            match = ACTION_PATH.fullmatch(scope["path"])  # under a proxy's prefix (root_path): the router's to match
        if match is None:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if (
            not headers.get(CSRF_HEADER)
            or headers.get("content-type", "").partition(";")[0].strip().lower() != "application/json"
            or not (length.isascii() and length.isdigit())
            or int(length) > MAX_BODY
        ):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = await _read_body(receive, messages)
        response = None if body is None else await _answer(scope, headers, match.group(1), body)
        if response is not None:
            await response(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _read_body(receive: Receive, messages: list[Message]) -> bytes | None:
    """The request's body, every message kept in ``messages`` for a replay; None if the client
    left (or sent more than ``MAX_BODY``) before its end."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _answer(scope: Scope, headers: Headers, attempt_id: str, body: bytes) -> ASGIApp | None:
    """The route's answer to this request if the shortcut settles it, else None (nothing done)."""
    state: Any = scope["app"].state
    app = state.certprep
    token = cookie_parser(headers.get("cookie", "")).get(COOKIE_NAME)
    if not token:
        return None
    now = state.clock()
    session = remembered_session(app, token, now)
    if session is None or not csrf_matches(headers.get(CSRF_HEADER), session):
        return None
    user: User | None = signed_in_user(session) if app.settings.multi_user else getattr(state, "local_user", None)
    if user is None:
        return None
    try:  # as FastAPI reads a body: the JSON parsed, then the Python object validated
        action = ActionIn.model_validate(json.loads(body))
    except (ValueError, RecursionError, ValidationError):  # not JSON (also nested too deep), or invalid
        return None
    view = await exam_data.act_on_loop(app, user, attempt_id, action, now=now, session=session)
    if view is None:
        return None
    return view_response(view)
