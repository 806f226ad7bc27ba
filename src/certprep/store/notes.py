"""Notes and bookmarks on questions, and which questions a user has seen graded. Functions never
commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, and_, delete, select

from certprep.store.tables import attempts, question_notes, responses
from certprep.store.upsert import upsert

__all__ = ["bookmarked", "delete_note", "get_note", "notes_for", "put_note", "seen_questions"]


def seen_questions(conn: Connection, user_id: int) -> set[str]:
    """The questions whose key and rationales the user has been shown: those graded in practice
    (feedback), and every question of a submitted or expired attempt (its review shows them all,
    answered or not)."""
    graded = conn.execute(
        select(responses.c.question_id)
        .where(and_(responses.c.user_id == user_id, responses.c.event == "graded"))
        .distinct()
    )
    seen = {r.question_id for r in graded if r.question_id}
    forms = conn.execute(
        select(attempts.c.form).where(and_(attempts.c.user_id == user_id, attempts.c.submitted_at.is_not(None)))
    )
    for (form,) in forms:
        seen.update(str(item["question_id"]) for item in (form or {}).get("items", ()))
    return seen


def get_note(conn: Connection, user_id: int, question_id: str) -> dict[str, Any] | None:
    row = (
        conn.execute(
            select(question_notes).where(
                and_(question_notes.c.user_id == user_id, question_notes.c.question_id == question_id)
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row is not None else None


def notes_for(conn: Connection, user_id: int, question_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """The user's notes by question id (of ``question_ids``, or all of them)."""
    query = select(question_notes).where(question_notes.c.user_id == user_id)
    if question_ids is not None:
        query = query.where(question_notes.c.question_id.in_(question_ids))
    return {r["question_id"]: dict(r) for r in conn.execute(query).mappings()}


def bookmarked(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    """The user's bookmarked questions, the latest first."""
    query = (
        select(question_notes)
        .where(and_(question_notes.c.user_id == user_id, question_notes.c.bookmarked.is_(True)))
        .order_by(question_notes.c.updated_at.desc(), question_notes.c.question_id)
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def put_note(conn: Connection, user_id: int, question_id: str, values: Mapping[str, Any]) -> None:
    """Insert or replace the user's note on a question (``note``, ``bookmarked``, ``updated_at``)."""
    upsert(conn, question_notes, {"user_id": user_id, "question_id": question_id}, values)


def delete_note(conn: Connection, user_id: int, question_id: str) -> None:
    conn.execute(
        delete(question_notes).where(
            and_(question_notes.c.user_id == user_id, question_notes.c.question_id == question_id)
        )
    )
