"""The planner's inputs and outputs: frozen values with a JSON round trip.

A request is checked when it is made, so a bad one never reaches ``build_plan``: an exam date that
is not after ``today``, no hours, every day off, a session length out of range all raise
``ValueError`` naming the field.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

__all__ = [
    "DEFAULT_SESSION_MINUTES",
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "MockResult",
    "Plan",
    "PlanRequest",
    "Session",
    "SessionKind",
    "TaskMastery",
    "TaskPriority",
    "parse_day_off",
]

DEFAULT_SESSION_MINUTES = 45
MIN_SESSION_MINUTES = 15
MAX_SESSION_MINUTES = 240
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_day_off(token: str) -> int | date:
    """A day off as given by a learner: a weekday (``sat`` or ``Saturday``, any case; 0 = Monday)
    or a date (YYYY-MM-DD). Anything else raises ValueError."""
    low = token.strip().lower()
    for number, (short, name) in enumerate(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)):
        if low in (short, name.lower()):
            return number
    return date.fromisoformat(low)


class SessionKind(StrEnum):
    LESSON = "lesson"
    DRILL = "drill"
    REVIEW = "review"
    MOCK = "mock"
    FINAL_REVIEW = "final-review"
    REST = "rest"


@dataclass(frozen=True)
class TaskMastery:
    """What the learner knows of one task statement: mean in 0..1 and the evidence behind it.

    ``n`` is an (effective) number of answers; it may be fractional when recency-weighted. A task
    with no entry counts as ``TaskMastery()``: the prior 0.5 backed by no evidence.
    """

    mean: float = 0.5
    n: float = 0.0
    answers: int | None = None  # answers as given, when known: how every page words a figure

    def __post_init__(self) -> None:
        if self.answers is not None and self.answers < 0:
            raise ValueError(f"answers cannot be negative, got {self.answers!r}")
        if not (math.isfinite(self.mean) and 0.0 <= self.mean <= 1.0):
            raise ValueError(f"mastery mean must lie in 0..1, got {self.mean!r}")
        if not (math.isfinite(self.n) and self.n >= 0):
            raise ValueError(f"mastery evidence n must be >= 0, got {self.n!r}")


@dataclass(frozen=True)
class MockResult:
    """A full-length mock already taken: its date and, if known, the raw fraction correct (0..1)."""

    taken_on: date
    score: float | None = None

    def __post_init__(self) -> None:
        if self.score is not None and not (math.isfinite(self.score) and 0.0 <= self.score <= 1.0):
            raise ValueError(f"mock score must lie in 0..1, got {self.score!r}")


def _split_days_off(days_off: frozenset[int | date]) -> tuple[frozenset[int], frozenset[date]]:
    weekdays: set[int] = set()
    dates: set[date] = set()
    for item in days_off:
        # bool is an int and datetime is a date: both would be silent mistakes here.
        if isinstance(item, bool) or not isinstance(item, int | date):
            raise ValueError(f"days_off holds weekday numbers 0-6 (Monday=0) or dates, got {item!r}")
        if isinstance(item, int):
            if not 0 <= item <= 6:
                raise ValueError(f"days_off weekday must be 0-6 (Monday=0), got {item}")
            weekdays.add(item)
        elif type(item) is not date:
            raise ValueError(f"days_off takes dates, not datetimes: {item!r}")
        else:
            dates.add(item)
    return frozenset(weekdays), frozenset(dates)


@dataclass(frozen=True)
class PlanRequest:
    """What the learner asks for.

    ``days_off`` mixes weekday numbers (0 = Monday ... 6 = Sunday, off every week) and single
    dates. ``minutes_per_session`` is the length of one lesson or drill block (default 45).
    The plan covers ``today`` up to the day before ``exam_date``.
    """

    exam: str
    exam_date: date
    today: date
    hours_per_week: float
    days_off: frozenset[int | date] = frozenset()
    minutes_per_session: int | None = None

    def __post_init__(self) -> None:
        if not self.exam:
            raise ValueError("exam: an exam code is required")
        if self.exam_date < self.today:
            raise ValueError(f"exam_date {self.exam_date} is in the past (today is {self.today})")
        if self.exam_date == self.today:
            raise ValueError(f"exam_date {self.exam_date} is today: there is no study day left to plan")
        if not math.isfinite(self.hours_per_week) or self.hours_per_week <= 0:
            raise ValueError(f"hours_per_week must be more than 0, got {self.hours_per_week!r}")
        if self.hours_per_week > 7 * 24:
            raise ValueError(f"hours_per_week cannot exceed {7 * 24}, got {self.hours_per_week!r}")
        minutes = self.minutes_per_session
        if minutes is not None and (
            isinstance(minutes, bool) or not MIN_SESSION_MINUTES <= minutes <= MAX_SESSION_MINUTES
        ):
            raise ValueError(
                f"minutes_per_session must be {MIN_SESSION_MINUTES}-{MAX_SESSION_MINUTES}, got {minutes!r}"
            )
        weekdays, _ = _split_days_off(self.days_off)
        if len(weekdays) == 7:
            raise ValueError("days_off: every weekday is a day off, so there is no day to study")
        if not self.study_days():
            raise ValueError(f"days_off: every day from {self.today} to the exam on {self.exam_date} is a day off")

    @property
    def weekdays_off(self) -> frozenset[int]:
        return _split_days_off(self.days_off)[0]

    @property
    def dates_off(self) -> frozenset[date]:
        return _split_days_off(self.days_off)[1]

    @property
    def session_minutes(self) -> int:
        return self.minutes_per_session or DEFAULT_SESSION_MINUTES

    def is_day_off(self, day: date) -> bool:
        weekdays, dates = _split_days_off(self.days_off)
        return day.weekday() in weekdays or day in dates

    def days(self) -> tuple[date, ...]:
        """Every calendar day of the plan: today up to the day before the exam."""
        count = (self.exam_date - self.today).days
        return tuple(self.today + timedelta(days=i) for i in range(count))

    def study_days(self) -> tuple[date, ...]:
        weekdays, dates = _split_days_off(self.days_off)
        return tuple(d for d in self.days() if d.weekday() not in weekdays and d not in dates)


@dataclass(frozen=True)
class TaskPriority:
    """One task statement's place in the plan: priority = domain weight x weakness."""

    task: str
    title: str
    domain: str
    weight: int  # the domain's weight, percent
    mean: float
    n: float
    weakness: float
    priority: float
    mastered: bool
    answers: int | None = None


@dataclass(frozen=True)
class Session:
    """One block of study on one day. ``minutes`` is 0 only for rest days."""

    day: date
    kind: SessionKind
    minutes: int
    title: str
    reason: str
    task: str | None = None
    domain: str | None = None
    lesson_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "kind": self.kind.value,
            "minutes": self.minutes,
            "title": self.title,
            "reason": self.reason,
            "task": self.task,
            "domain": self.domain,
            "lesson_id": self.lesson_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(
            day=date.fromisoformat(data["day"]),
            kind=SessionKind(data["kind"]),
            minutes=int(data["minutes"]),
            title=str(data["title"]),
            reason=str(data["reason"]),
            task=data.get("task"),
            domain=data.get("domain"),
            lesson_id=data.get("lesson_id"),
        )


@dataclass(frozen=True)
class Plan:
    """A day-by-day plan: sessions in date order (within a day, in the order to do them)."""

    exam: str
    exam_date: date
    today: date
    hours_per_week: float
    sessions: tuple[Session, ...]
    tasks: tuple[TaskPriority, ...] = ()  # highest priority first
    warnings: tuple[str, ...] = ()
    weekly_budget_minutes: int = 0

    @property
    def study_sessions(self) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.kind is not SessionKind.REST)

    def on(self, day: date) -> tuple[Session, ...]:
        return tuple(s for s in self.sessions if s.day == day)

    def by_day(self) -> dict[date, tuple[Session, ...]]:
        out: dict[date, list[Session]] = defaultdict(list)
        for s in self.sessions:
            out[s.day].append(s)
        return {d: tuple(v) for d, v in sorted(out.items())}

    def minutes_by_week(self) -> dict[date, int]:
        """Planned minutes per calendar week (Monday to Sunday), keyed by the week's Monday."""
        out: dict[date, int] = defaultdict(int)
        for s in self.sessions:
            out[s.day - timedelta(days=s.day.weekday())] += s.minutes
        return dict(sorted(out.items()))

    @property
    def total_minutes(self) -> int:
        return sum(s.minutes for s in self.sessions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam": self.exam,
            "exam_date": self.exam_date.isoformat(),
            "today": self.today.isoformat(),
            "hours_per_week": self.hours_per_week,
            "weekly_budget_minutes": self.weekly_budget_minutes,
            "sessions": [s.to_dict() for s in self.sessions],
            "tasks": [
                {
                    "task": t.task,
                    "title": t.title,
                    "domain": t.domain,
                    "weight": t.weight,
                    "mean": t.mean,
                    "n": t.n,
                    "weakness": t.weakness,
                    "priority": t.priority,
                    "mastered": t.mastered,
                    "answers": t.answers,
                }
                for t in self.tasks
            ],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            exam=str(data["exam"]),
            exam_date=date.fromisoformat(data["exam_date"]),
            today=date.fromisoformat(data["today"]),
            hours_per_week=float(data["hours_per_week"]),
            weekly_budget_minutes=int(data.get("weekly_budget_minutes", 0)),
            sessions=tuple(Session.from_dict(s) for s in data["sessions"]),
            tasks=tuple(TaskPriority(**t) for t in data.get("tasks", ())),
            warnings=tuple(str(w) for w in data.get("warnings", ())),
        )
