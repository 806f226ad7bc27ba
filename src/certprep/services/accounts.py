"""Accounts: users, their validation, and sign-in with rate limiting.

Every function takes the application object and an explicit ``now`` where time matters, and opens
its own transaction. ``list_users`` is for admins and does not check the role itself: the web
layer (``require_admin``) and the CLI (shell access to the database) are the gatekeepers. Browser
sessions are ``services/sessions.py``; problem reports ``services/reports.py``.
"""

from __future__ import annotations

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
    "SIGN_IN_WINDOW",
    "AccountError",
    "InvalidCredentials",
    "TooManyAttempts",
    "User",
    "UsernameTaken",
    "authenticate",
    "create_user",
    "list_users",
    "user_from_row",
    "validate_password",
    "validate_username",
]

# argon2id with the library's defaults (RFC 9106 "low memory" profile). Tests swap in a cheap one.
HASHER = PasswordHasher()

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024  # hashing a megabyte-long "password" is a cheap denial of service

MAX_FAILED_SIGN_INS = 5
SIGN_IN_WINDOW = timedelta(minutes=15)


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


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str
    is_admin: bool
    is_local: bool
    created_at: datetime


def user_from_row(row: dict[str, Any]) -> User:
    return User(
        id=int(row["id"]),
        username=row["username"],
        display_name=row["display_name"],
        is_admin=bool(row["is_admin"]),
        is_local=bool(row["is_local"]),
        created_at=row["created_at"],
    )


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
