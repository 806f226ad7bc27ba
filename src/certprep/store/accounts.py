"""Accounts, sessions, failed sign-ins and problem reports.

Functions take a Connection and never commit: services own the transactions. Every read of a
user's row takes that user's id, so another user's id finds nothing (the web layer turns that
into a 404).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, and_, bindparam, delete, func, insert, select, update

from certprep.store.tables import (
    attempts,
    content_items,
    content_revisions,
    login_attempts,
    problem_reports,
    sessions,
    users,
)

__all__ = [
    "attempt_belongs_to",
    "clear_failed_logins",
    "delete_expired_sessions",
    "delete_session",
    "failed_logins_since",
    "get_live_session",
    "get_report",
    "get_user",
    "get_user_by_username",
    "insert_report",
    "insert_session",
    "insert_user",
    "list_reports",
    "list_users",
    "prune_failed_logins",
    "question_revisions",
    "record_failed_login",
    "resolve_report",
    "set_password_hash",
    "touch_session",
]

# Never select password hashes by accident: every user read goes through these columns.
_USER_COLUMNS = (
    users.c.id,
    users.c.username,
    users.c.display_name,
    users.c.is_admin,
    users.c.is_local,
    users.c.created_at,
)


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


# --- users ------------------------------------------------------------------------------------


def insert_user(
    conn: Connection, *, username: str, display_name: str, password_hash: str | None, is_admin: bool, now: datetime
) -> int:
    result = conn.execute(
        insert(users).values(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            is_admin=is_admin,
            is_local=False,
            created_at=now,
        )
    )
    return _new_id(result)


def get_user(conn: Connection, user_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(*_USER_COLUMNS).where(users.c.id == user_id)).mappings().first()
    return dict(row) if row is not None else None


def get_user_by_username(conn: Connection, username: str) -> dict[str, Any] | None:
    """The user row *with* its password hash (for sign-in only)."""
    row = conn.execute(select(*_USER_COLUMNS, users.c.password_hash).where(users.c.username == username))
    found = row.mappings().first()
    return dict(found) if found is not None else None


def list_users(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(select(*_USER_COLUMNS).order_by(users.c.username)).mappings()]


def set_password_hash(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))


# --- sessions ---------------------------------------------------------------------------------


def insert_session(
    conn: Connection,
    *,
    token_hash: str,
    user_id: int | None,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> int:
    result = conn.execute(
        insert(sessions).values(
            token_hash=token_hash,
            user_id=user_id,
            csrf_token=csrf_token,
            created_at=now,
            expires_at=expires_at,
            last_seen_at=now,
        )
    )
    return _new_id(result)


def _live_session_query() -> Any:
    return (
        select(
            sessions.c.id,
            sessions.c.user_id,
            sessions.c.csrf_token,
            sessions.c.created_at,
            sessions.c.expires_at,
            sessions.c.last_seen_at,
            *(c.label(f"user_{c.name}") for c in _USER_COLUMNS if c.name != "id"),
        )
        .select_from(sessions.outerjoin(users, users.c.id == sessions.c.user_id))
        .where(and_(sessions.c.token_hash == bindparam("b_hash"), sessions.c.expires_at > bindparam("b_now")))
    )


_LIVE_SESSION = _live_session_query()  # built once: every request runs it


def get_live_session(conn: Connection, token_hash: str, now: datetime) -> dict[str, Any] | None:
    """The unexpired session with this token hash, with its user's columns (``user_*``, or None)."""
    row = conn.execute(_LIVE_SESSION, {"b_hash": token_hash, "b_now": now}).mappings().first()
    return dict(row) if row is not None else None


def touch_session(conn: Connection, session_id: int, now: datetime) -> None:
    conn.execute(update(sessions).where(sessions.c.id == session_id).values(last_seen_at=now))


def delete_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))


def delete_expired_sessions(conn: Connection, now: datetime) -> int:
    return conn.execute(delete(sessions).where(sessions.c.expires_at <= now)).rowcount


# --- failed sign-ins --------------------------------------------------------------------------


def record_failed_login(conn: Connection, username: str, ip: str, now: datetime) -> None:
    conn.execute(insert(login_attempts).values(username=username[:64], ip=ip[:64], attempted_at=now))


def failed_logins_since(conn: Connection, username: str, ip: str, since: datetime) -> tuple[int, datetime | None]:
    """How many sign-ins failed for this username and address since ``since``, and the oldest."""
    row = conn.execute(
        select(func.count(), func.min(login_attempts.c.attempted_at)).where(
            and_(
                login_attempts.c.username == username[:64],
                login_attempts.c.ip == ip[:64],
                login_attempts.c.attempted_at > since,
            )
        )
    ).one()
    return int(row[0]), row[1]  # min() keeps the column's type: an aware UTC datetime


def clear_failed_logins(conn: Connection, username: str, ip: str) -> None:
    conn.execute(
        delete(login_attempts).where(and_(login_attempts.c.username == username[:64], login_attempts.c.ip == ip[:64]))
    )


def prune_failed_logins(conn: Connection, before: datetime) -> None:
    conn.execute(delete(login_attempts).where(login_attempts.c.attempted_at <= before))


# --- problem reports --------------------------------------------------------------------------


def question_revisions(conn: Connection, question_id: str) -> tuple[int, set[int]] | None:
    """(current revision, every stored revision) of a question, or None when there is no such question."""
    current = conn.execute(
        select(content_items.c.current_revision).where(
            and_(content_items.c.id == question_id, content_items.c.kind == "question")
        )
    ).scalar()
    if current is None:
        return None
    revisions = conn.execute(
        select(content_revisions.c.revision).where(content_revisions.c.item_id == question_id)
    ).scalars()
    return int(current), {int(r) for r in revisions}


def attempt_belongs_to(conn: Connection, user_id: int, attempt_id: str) -> bool:
    found = conn.execute(
        select(attempts.c.id).where(and_(attempts.c.id == attempt_id, attempts.c.user_id == user_id))
    ).first()
    return found is not None


def insert_report(conn: Connection, row: Mapping[str, Any]) -> int:
    result = conn.execute(insert(problem_reports).values(**row))
    return _new_id(result)


def _reports_query() -> Any:
    return select(problem_reports, users.c.username).select_from(
        problem_reports.outerjoin(users, users.c.id == problem_reports.c.user_id)
    )


def get_report(conn: Connection, report_id: int, user_id: int | None) -> dict[str, Any] | None:
    """One report; with ``user_id`` only if that user filed it (None: any report, for admins)."""
    query = _reports_query().where(problem_reports.c.id == report_id)
    if user_id is not None:
        query = query.where(problem_reports.c.user_id == user_id)
    row = conn.execute(query).mappings().first()
    return dict(row) if row is not None else None


def list_reports(
    conn: Connection, *, user_id: int | None, status: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """Reports, newest first; with ``user_id`` only that user's (None: everybody's, for admins)."""
    query = _reports_query()
    if user_id is not None:
        query = query.where(problem_reports.c.user_id == user_id)
    if status is not None:
        query = query.where(problem_reports.c.status == status)
    query = query.order_by(problem_reports.c.created_at.desc(), problem_reports.c.id.desc()).limit(limit)
    return [dict(r) for r in conn.execute(query).mappings()]


def resolve_report(conn: Connection, report_id: int, now: datetime) -> bool:
    result = conn.execute(
        update(problem_reports)
        .where(and_(problem_reports.c.id == report_id, problem_reports.c.status != "resolved"))
        .values(status="resolved", resolved_at=now)
    )
    return result.rowcount == 1
