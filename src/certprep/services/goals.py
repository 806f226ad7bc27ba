"""Exam goals: the date of each user's exam (per exam) and the hours a week they plan to study.

The study plan starts from it when its page is opened without a date, and the dashboard counts
down to it. A date is checked as the plan's is: after today, at most ``MAX_PLAN_DAYS`` ahead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from certprep.services.exams.errors import ExamRequestError
from certprep.store import goals as store

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["MAX_PLAN_DAYS", "ExamGoal", "clear_exam_goal", "exam_goal", "exam_goals", "set_exam_goal"]

# The plan has a row per day: two years is longer than anyone books an exam ahead.
MAX_PLAN_DAYS = 730


@dataclass(frozen=True)
class ExamGoal:
    """A user's exam: its date, days left from ``today`` (negative once it is past), hours a week."""

    exam: str
    exam_title: str
    exam_date: date
    hours_per_week: float | None
    days_left: int

    @property
    def past(self) -> bool:
        return self.days_left < 0


def _goal(app: Certprep, row: store.ExamGoalRow, today: date) -> ExamGoal | None:
    bp = app.pack.blueprints.get(row.exam_code)
    if bp is None:  # an exam the served pack no longer has
        return None
    return ExamGoal(row.exam_code, bp.title, row.exam_date, row.hours_per_week, (row.exam_date - today).days)


def exam_goals(app: Certprep, user_id: int, *, today: date) -> list[ExamGoal]:
    """The user's exam goals, soonest first."""
    with app.engine.connect() as conn:
        rows = store.goals(conn, user_id)
    return [g for g in (_goal(app, r, today) for r in rows) if g is not None]


def exam_goal(app: Certprep, user_id: int, exam: str, *, today: date) -> ExamGoal | None:
    """The user's goal for ``exam``, if one is set."""
    return next((g for g in exam_goals(app, user_id, today=today) if g.exam == exam), None)


def set_exam_goal(
    app: Certprep, user_id: int, exam: str, exam_date: date, hours_per_week: float | None, *, now: datetime
) -> ExamGoal:
    """Store the user's exam date for ``exam``; ``ExamRequestError`` (a 422) names the bad field."""
    if exam not in app.pack.blueprints:
        raise ExamRequestError(f"unknown exam {exam!r}; known: {', '.join(sorted(app.pack.blueprints))}")
    today = now.date()
    if exam_date <= today:
        raise ExamRequestError(f"exam_date {exam_date} is {'today' if exam_date == today else 'in the past'}")
    if (exam_date - today).days > MAX_PLAN_DAYS:
        raise ExamRequestError(f"exam_date {exam_date} is more than {MAX_PLAN_DAYS} days ahead")
    if hours_per_week is not None and not (math.isfinite(hours_per_week) and 0 < hours_per_week <= 168):
        raise ExamRequestError("hours_per_week must be more than 0 and at most 168")
    with app.transaction() as conn:
        store.upsert_goal(conn, user_id, exam, exam_date, hours_per_week, now)
    goal = exam_goal(app, user_id, exam, today=today)
    assert goal is not None
    return goal


def clear_exam_goal(app: Certprep, user_id: int, exam: str) -> bool:
    """Forget the user's exam date for ``exam``; whether one was set."""
    with app.transaction() as conn:
        return store.delete_goal(conn, user_id, exam)
