"""Accounts: users, browser sessions, sign-in with rate limiting, and problem reports.

Every function takes the application object and an explicit ``now`` where time matters, and opens
its own transaction. Functions for admins (listing everybody's reports, resolving them, listing
users) do not check the role themselves: the web layer (``require_admin``) and the CLI (shell access
to the database) are the gatekeepers.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError

from certprep.store import accounts as repo
from certprep.store.users import LOCAL_USERNAME

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "MAX_FAILED_SIGN_INS",
    "PASSWORD_MAX_LENGTH",
    "PASSWORD_MIN_LENGTH",
    "REPORT_CATEGORIES",
    "REPORT_MESSAGE_MAX_LENGTH",
    "SIGN_IN_WINDOW",
    "AccountError",
    "InvalidCredentials",
    "NotFound",
    "SessionInfo",
    "TooManyAttempts",
    "User",
    "UsernameTaken",
    "authenticate",
    "create_user",
    "end_session",
    "get_user_report",
    "list_problem_reports",
    "list_user_reports",
    "list_users",
    "read_session",
    "report_problem",
    "resolve_problem_report",
    "start_session",
    "touch_session",
    "user_from_row",
    "validate_password",
    "validate_username",
]

# argon2id with the library's defaults (RFC 9106 "low memory" profile). Tests swap in a cheap one.
HASHER = PasswordHasher()

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024  # hashing a megabyte-long "password" is a cheap denial of service

SESSION_LIFETIME = timedelta(days=30)  # absolute: a session never outlives this, however active
ANONYMOUS_SESSION_LIFETIME = timedelta(days=1)  # a visitor's session before sign-in (CSRF only)
TOUCH_INTERVAL = timedelta(minutes=5)  # last_seen_at is written at most this often (one write, not one per request)

MAX_FAILED_SIGN_INS = 5
SIGN_IN_WINDOW = timedelta(minutes=15)

REPORT_CATEGORIES: dict[str, str] = {
    "wrong-answer": "The answer marked correct is wrong",
    "unclear": "The question or an option is unclear or ambiguous",
    "outdated": "A service or feature has changed since this was written",
    "rationale": "An explanation is wrong or missing",
    "typo": "A typo or a formatting problem",
    "other": "Something else",
}
REPORT_MESSAGE_MAX_LENGTH = 4000


class AccountError(ValueError):
    """Input that cannot make an account; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class UsernameTaken(AccountError):
    def __init__(self, username: str) -> None:
        super().__init__("username", f"the username {username!r} is already taken")


class InvalidCredentials(Exception):
    """Unknown username or wrong password (deliberately not saying which)."""


class TooManyAttempts(Exception):
    """Too many failed sign-ins for this username from this address; try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins: try again in {retry_after} seconds")
        self.retry_after = retry_after


class NotFound(LookupError):
    """A row that does not exist, or that belongs to somebody else (the two look the same)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")
        self.what = what


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    is_admin: bool
    is_local: bool
    created_at: datetime


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


def user_from_row(row: dict[str, Any]) -> User:
    return User(
        id=int(row["id"]),
        username=row["username"],
        display_name=row["display_name"],
        is_admin=bool(row["is_admin"]),
        is_local=bool(row["is_local"]),
        created_at=row["created_at"],
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- users ------------------------------------------------------------------------------------


def validate_username(username: str) -> str:
    """The normalised username (lower case), or ``AccountError``."""
    name = username.strip().lower()
    if not USERNAME_PATTERN.match(name):
        raise AccountError(
            "username",
            "a username has 3 to 32 characters (letters, digits, '.', '_' or '-') and starts with a letter or digit",
        )
    if name == LOCAL_USERNAME:
        raise UsernameTaken(name)  # the local profile's name; it never signs in
    return name


def validate_password(password: str) -> str:
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError("password", f"a password has at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AccountError("password", f"a password has at most {PASSWORD_MAX_LENGTH} characters")
    return password


def create_user(
    app: Certprep,
    username: str,
    password: str,
    now: datetime,
    *,
    is_admin: bool = False,
    display_name: str | None = None,
) -> User:
    """Create an account with an argon2id password hash; ``UsernameTaken`` if the name is in use."""
    name = validate_username(username)
    validate_password(password)
    shown = (display_name or "").strip()[:128] or name
    password_hash = HASHER.hash(password)  # slow on purpose: outside the transaction
    try:
        with app.transaction() as conn:
            if repo.get_user_by_username(conn, name) is not None:
                raise UsernameTaken(name)
            user_id = repo.insert_user(
                conn, username=name, display_name=shown, password_hash=password_hash, is_admin=is_admin, now=now
            )
            row = repo.get_user(conn, user_id)
    except IntegrityError as exc:  # two sign-ups for the same name at the same moment
        raise UsernameTaken(name) from exc
    assert row is not None
    return user_from_row(row)


def list_users(app: Certprep) -> list[User]:
    with app.engine.connect() as conn:
        return [user_from_row(r) for r in repo.list_users(conn)]


_DUMMY_HASH: list[str] = []


def _verify(password_hash: str | None, password: str) -> bool:
    if password_hash is None:
        # Unknown user (or the local profile): spend the same time as a real check, so response
        # times do not tell which usernames exist.
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(HASHER.hash(secrets.token_urlsafe(16)))
        password_hash = _DUMMY_HASH[0]
        password = password + "\x00never"
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(app: Certprep, username: str, password: str, ip: str, now: datetime) -> User:
    """The user for these credentials, or ``InvalidCredentials`` / ``TooManyAttempts``.

    After ``MAX_FAILED_SIGN_INS`` failures for the same username from the same address within
    ``SIGN_IN_WINDOW``, every attempt (even with the right password) is refused until the oldest
    of them leaves the window. A success clears that username's failures from that address.
    """
    name = username.strip().lower()
    since = now - SIGN_IN_WINDOW
    with app.engine.connect() as conn:
        failures, oldest = repo.failed_logins_since(conn, name, ip, since)
        row = repo.get_user_by_username(conn, name)
    if failures >= MAX_FAILED_SIGN_INS:
        assert oldest is not None
        retry_after = max(1, int((oldest + SIGN_IN_WINDOW - now).total_seconds()) + 1)
        raise TooManyAttempts(retry_after)
    password_hash = row["password_hash"] if row is not None and not row["is_local"] else None
    ok = _verify(password_hash, password[:PASSWORD_MAX_LENGTH])
    if not ok or row is None:
        with app.transaction() as conn:
            repo.prune_failed_logins(conn, since)
            repo.record_failed_login(conn, name, ip, now)
        raise InvalidCredentials()  # outside the transaction, which must commit the failure
    with app.transaction() as conn:
        repo.clear_failed_logins(conn, name, ip)
        if password_hash is not None and HASHER.check_needs_rehash(password_hash):
            repo.set_password_hash(conn, int(row["id"]), HASHER.hash(password))
    return user_from_row(row)


# --- sessions ---------------------------------------------------------------------------------


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


# --- problem reports --------------------------------------------------------------------------


def _report_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(row["id"]),
        "question_id": row["question_id"],
        "question_revision": int(row["question_revision"]),
        "attempt_id": row["attempt_id"],
        "category": row["category"],
        "message": row["message"],
        "status": row["status"],
        "created_at": row["created_at"],
        "resolved_at": row["resolved_at"],
        "username": row.get("username"),
    }


def report_problem(
    app: Certprep,
    user: User,
    question_id: str,
    *,
    category: str,
    message: str,
    now: datetime,
    revision: int | None = None,
    attempt_id: str | None = None,
) -> dict[str, Any]:
    """File a problem report on a question (the revision the learner saw; default the current).

    ``NotFound`` for an unknown question or revision, or an attempt that is not the user's;
    ``ValueError`` for an unknown category or an empty or overlong message.
    """
    if category not in REPORT_CATEGORIES:
        raise ValueError(f"unknown category {category!r}; one of: {', '.join(REPORT_CATEGORIES)}")
    text = message.strip()
    if not text or len(text) > REPORT_MESSAGE_MAX_LENGTH:
        raise ValueError(f"the message must have 1 to {REPORT_MESSAGE_MAX_LENGTH} characters")
    with app.transaction() as conn:
        found = repo.question_revisions(conn, question_id)
        if found is None:
            raise NotFound("question")
        current, known = found
        if revision is not None and revision not in known:
            raise NotFound("question revision")
        if attempt_id is not None and not repo.attempt_belongs_to(conn, user.id, attempt_id):
            raise NotFound("attempt")
        report_id = repo.insert_report(
            conn,
            {
                "user_id": user.id,
                "question_id": question_id,
                "question_revision": revision if revision is not None else current,
                "attempt_id": attempt_id,
                "category": category,
                "message": text,
                "status": "open",
                "created_at": now,
            },
        )
        row = repo.get_report(conn, report_id, user.id)
    assert row is not None
    return _report_json(row)


def get_user_report(app: Certprep, user: User, report_id: int) -> dict[str, Any]:
    """One of the user's own reports; ``NotFound`` for anybody else's."""
    with app.engine.connect() as conn:
        row = repo.get_report(conn, report_id, user.id)
    if row is None:
        raise NotFound("problem report")
    return _report_json(row)


def list_user_reports(app: Certprep, user: User) -> list[dict[str, Any]]:
    with app.engine.connect() as conn:
        return [_report_json(r) for r in repo.list_reports(conn, user_id=user.id)]


def list_problem_reports(app: Certprep, status: str | None = None) -> list[dict[str, Any]]:
    """Everybody's reports (admins), newest first; ``status`` "open" or "resolved" filters."""
    with app.engine.connect() as conn:
        return [_report_json(r) for r in repo.list_reports(conn, user_id=None, status=status)]


def resolve_problem_report(app: Certprep, report_id: int, now: datetime) -> dict[str, Any]:
    """Mark a report resolved (admins); resolving twice keeps the first time. ``NotFound`` if none."""
    with app.transaction() as conn:
        repo.resolve_report(conn, report_id, now)
        row = repo.get_report(conn, report_id, None)
    if row is None:
        raise NotFound("problem report")
    return _report_json(row)
