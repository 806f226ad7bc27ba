"""Exam goals (a user's exam date per exam). Functions take a Connection; services own the
transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, delete, select, update

from certprep.store.tables import exam_goals

__all__ = ["ExamGoalRow", "delete_goal", "goals", "upsert_goal"]


@dataclass(frozen=True)
class ExamGoalRow:
    exam_code: str
    exam_date: date
    hours_per_week: float | None
    updated_at: datetime


def goals(conn: Connection, user_id: int) -> list[ExamGoalRow]:
    """The user's exam goals, soonest exam first."""
    rows = conn.execute(
        select(exam_goals.c.exam_code, exam_goals.c.exam_date, exam_goals.c.hours_per_week, exam_goals.c.updated_at)
        .where(exam_goals.c.user_id == user_id)
        .order_by(exam_goals.c.exam_date, exam_goals.c.exam_code)
    )
    return [ExamGoalRow(*row) for row in rows]


def upsert_goal(
    conn: Connection, user_id: int, exam: str, exam_date: date, hours_per_week: float | None, now: datetime
) -> None:
    """Set the user's exam date for ``exam`` (a second call replaces the first)."""
    values = {"exam_date": exam_date, "hours_per_week": hours_per_week, "updated_at": now}
    changed = conn.execute(
        update(exam_goals).where(exam_goals.c.user_id == user_id, exam_goals.c.exam_code == exam).values(**values)
    ).rowcount
    if not changed:
        conn.execute(exam_goals.insert().values(user_id=user_id, exam_code=exam, **values))


def delete_goal(conn: Connection, user_id: int, exam: str) -> bool:
    """Forget the user's exam date for ``exam``; whether there was one."""
    return bool(
        conn.execute(delete(exam_goals).where(exam_goals.c.user_id == user_id, exam_goals.c.exam_code == exam)).rowcount
    )
