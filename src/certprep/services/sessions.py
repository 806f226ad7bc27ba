"""Browser sessions: start one (at sign-in, or for a visitor who needs a CSRF token), read the
live one behind a cookie, record that it was seen, end it.

The cookie holds a random token; the database keeps only its SHA-256 (a leaked table opens no
session). Every function opens its own transaction; a read takes no write lock.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from certprep.services.accounts import User, user_from_row
from certprep.store import accounts as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "ANONYMOUS_SESSION_LIFETIME",
    "SESSION_LIFETIME",
    "TOUCH_INTERVAL",
    "SessionInfo",
    "end_session",
    "read_session",
    "start_session",
    "touch_session",
]

SESSION_LIFETIME = timedelta(days=30)  # absolute: a session never outlives this, however active
ANONYMOUS_SESSION_LIFETIME = timedelta(days=1)  # a visitor's session before sign-in (CSRF only)
TOUCH_INTERVAL = timedelta(minutes=5)  # last_seen_at is written at most this often (one write, not one per request)


@dataclass(frozen=True)
class SessionInfo:
    """A live browser session. ``user`` is None until its visitor signs in."""

    id: int
    token_hash: str  # the key of its row (the cookie holds the token, the database its hash)
    user: User | None
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    touch_due: bool = False  # last seen longer than TOUCH_INTERVAL ago (see read_session)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(
    app: Certprep, user: User | None, now: datetime, *, replacing: str | None = None
) -> tuple[str, SessionInfo]:
    """A new session (token for the cookie, and its row). ``replacing``: the old token, deleted.

    Signing in always starts a new session, so a token planted before sign-in is worth nothing
    after it (session fixation).
    """
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + (SESSION_LIFETIME if user is not None else ANONYMOUS_SESSION_LIFETIME)
    with app.transaction() as conn:
        if replacing:
            repo.delete_session(conn, _token_hash(replacing))
        repo.delete_expired_sessions(conn, now)
        session_id = repo.insert_session(
            conn,
            token_hash=_token_hash(token),
            user_id=user.id if user is not None else None,
            csrf_token=csrf,
            now=now,
            expires_at=expires,
        )
    session = SessionInfo(
        id=session_id,
        token_hash=_token_hash(token),
        user=user,
        csrf_token=csrf,
        created_at=now,
        expires_at=expires,
        last_seen_at=now,
    )
    return token, session


def read_session(app: Certprep, token: str, now: datetime) -> SessionInfo | None:
    """The live session for a cookie's token, or None (unknown, expired or malformed); reads only.

    ``touch_due`` says that its ``last_seen_at`` is older than ``TOUCH_INTERVAL``: the caller then
    calls ``touch_session``."""
    if not token or len(token) > 128:
        return None
    token_hash = _token_hash(token)
    with app.engine.connect() as conn:
        row = repo.get_live_session(conn, token_hash, now)
    if row is None:
        return None
    user = None
    if row["user_id"] is not None:
        user = user_from_row(
            {"id": row["user_id"], **{k.removeprefix("user_"): v for k, v in row.items() if k.startswith("user_")}}
        )
    return SessionInfo(
        id=int(row["id"]),
        token_hash=token_hash,
        user=user,
        csrf_token=row["csrf_token"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        last_seen_at=row["last_seen_at"],
        touch_due=now - row["last_seen_at"] >= TOUCH_INTERVAL,
    )


def touch_session(app: Certprep, session: SessionInfo, now: datetime) -> None:
    """Record that ``session`` was seen at ``now``."""
    with app.transaction() as conn:
        repo.touch_session(conn, session.id, now)


def end_session(app: Certprep, token: str) -> None:
    token_hash = _token_hash(token)
    with app.transaction() as conn:
        repo.delete_session(conn, token_hash)
