"""Trends over finished attempts: score per attempt, per-domain percent, time per question.

The input is ``AttemptRecord``, one finished attempt as plain data; the service layer builds it
from the ``attempts`` row and its report (domain results, time on screen per question).

The score and domain trends take full mocks only (exam mode, the exam's full question count:
``exam.scoring.is_full_length``): a custom practice of two questions scores 0% or 100% and would
swing any line drawn through it; shorter attempts feed mastery instead. A slope is only given
over ``MIN_TREND_ATTEMPTS`` full mocks spanning ``MIN_TREND_DAYS`` days or more; otherwise
``ScoreTrend.needs`` says what is missing (docs/readiness.md).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from certprep.content.schema import Blueprint
from certprep.exam.scoring import is_full_length

__all__ = [
    "MIN_TREND_ATTEMPTS",
    "MIN_TREND_DAYS",
    "AttemptRecord",
    "AttemptTime",
    "DomainPoint",
    "DomainSeries",
    "ScorePoint",
    "ScoreTrend",
    "TimeStats",
    "domain_trends",
    "full_mocks",
    "score_trend",
    "time_per_question",
]

_DAY = 86_400.0
MIN_TREND_ATTEMPTS = 3  # full mocks before a slope is drawn...
MIN_TREND_DAYS = 3  # ...spanning this many days from the first to the last


def _empty() -> Mapping[str, tuple[int, int]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class AttemptRecord:
    """A finished (submitted or expired) attempt.

    ``domains`` maps a domain id to (right, scored) on this form; ``seconds`` holds the time on
    screen of each question (any order; questions never shown may be left out). ``question_count``
    is the number of items on the form: 65 for a full-length MLA-C01 mock.
    """

    attempt_id: str
    exam: str
    mode: str  # "exam" or "practice"
    submitted_at: datetime
    raw_score: int
    raw_max: int
    question_count: int
    scaled_score: int | None = None
    passed: bool | None = None
    domains: Mapping[str, tuple[int, int]] = field(default_factory=_empty)
    seconds: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        if self.submitted_at.tzinfo is None or self.submitted_at.utcoffset() is None:
            raise ValueError(f"attempt {self.attempt_id}: submitted_at must be timezone-aware")
        if not 0 <= self.raw_score <= self.raw_max:
            raise ValueError(f"attempt {self.attempt_id}: raw score {self.raw_score} outside 0..{self.raw_max}")
        for domain, (right, scored) in self.domains.items():
            if not 0 <= right <= scored:
                raise ValueError(f"attempt {self.attempt_id}: domain {domain} has {right} right of {scored}")
        if any(s < 0 for s in self.seconds):
            raise ValueError(f"attempt {self.attempt_id}: time on screen cannot be negative")
        object.__setattr__(self, "domains", MappingProxyType(dict(self.domains)))
        object.__setattr__(self, "seconds", tuple(float(s) for s in self.seconds))

    @property
    def percent(self) -> float:
        return 100.0 * self.raw_score / self.raw_max if self.raw_max else 0.0


@dataclass(frozen=True)
class ScorePoint:
    attempt_id: str
    at: datetime
    mode: str
    question_count: int
    percent: float
    scaled_score: int | None
    passed: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt_id": self.attempt_id,
            "at": self.at.isoformat(),
            "mode": self.mode,
            "question_count": self.question_count,
            "percent": self.percent,
            "scaled_score": self.scaled_score,
            "passed": self.passed,
        }


@dataclass(frozen=True)
class ScoreTrend:
    """Raw percent per full mock in time order and the least-squares slope in percentage points
    per week (over days: ``None`` until ``MIN_TREND_ATTEMPTS`` full mocks span ``MIN_TREND_DAYS``
    days; ``needs`` then says what is missing). ``shorter`` counts the finished attempts left out
    (practice mode or fewer questions than the exam)."""

    points: tuple[ScorePoint, ...]
    slope_per_week: float | None
    needs: str | None = None
    shorter: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "points": [p.to_dict() for p in self.points],
            "slope_per_week": self.slope_per_week,
            "needs": self.needs,
            "shorter": self.shorter,
        }


@dataclass(frozen=True)
class DomainPoint:
    attempt_id: str
    at: datetime
    right: int
    scored: int
    percent: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt_id": self.attempt_id,
            "at": self.at.isoformat(),
            "right": self.right,
            "scored": self.scored,
            "percent": self.percent,
        }


@dataclass(frozen=True)
class DomainSeries:
    domain: str
    points: tuple[DomainPoint, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "points": [p.to_dict() for p in self.points]}


@dataclass(frozen=True)
class AttemptTime:
    attempt_id: str
    at: datetime
    questions: int
    mean: float
    median: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "attempt_id": self.attempt_id,
            "at": self.at.isoformat(),
            "questions": self.questions,
            "mean": self.mean,
            "median": self.median,
        }


@dataclass(frozen=True)
class TimeStats:
    """Seconds per question over all attempts (``None`` when no time was recorded) and per attempt."""

    questions: int
    mean: float | None
    median: float | None
    p90: float | None
    longest: float | None
    per_attempt: tuple[AttemptTime, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
            "mean": self.mean,
            "median": self.median,
            "p90": self.p90,
            "longest": self.longest,
            "per_attempt": [a.to_dict() for a in self.per_attempt],
        }


def _chosen(attempts: Iterable[AttemptRecord], exam: str | None) -> list[AttemptRecord]:
    rows = [a for a in attempts if exam is None or a.exam == exam]
    rows.sort(key=lambda a: (a.submitted_at, a.attempt_id))
    return rows


def full_mocks(attempts: Iterable[AttemptRecord], blueprint: Blueprint) -> list[AttemptRecord]:
    """The finished full mocks of ``blueprint``'s exam that scored anything, oldest first."""
    return [
        a
        for a in _chosen(attempts, blueprint.code)
        if a.raw_max > 0 and is_full_length(a.mode, a.question_count, blueprint)
    ]


def _slope_per_week(points: Sequence[ScorePoint]) -> float | None:
    """Least squares of percent on elapsed days, times seven (``None`` if all at one instant)."""
    if len(points) < 2:
        return None
    origin = points[0].at
    xs = [(p.at - origin).total_seconds() / _DAY for p in points]
    ys = [p.percent for p in points]
    mx, my = math.fsum(xs) / len(xs), math.fsum(ys) / len(ys)
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    if sxx == 0.0:
        return None
    return 7.0 * math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _needs(points: Sequence[ScorePoint]) -> str | None:
    """What the trend still needs, in words; ``None`` when it can be shown."""
    want = f"a trend needs {MIN_TREND_ATTEMPTS} full mocks over at least {MIN_TREND_DAYS} days"
    if len(points) < MIN_TREND_ATTEMPTS:
        return f"{want}: {_plural(len(points), 'full mock')} so far"
    span = (points[-1].at - points[0].at).total_seconds() / _DAY
    if span < MIN_TREND_DAYS:
        return f"{want}: yours span {span:.1f} days so far"
    return None


def score_trend(attempts: Iterable[AttemptRecord], blueprint: Blueprint) -> ScoreTrend:
    """Raw percent, scaled score and pass/fail per full mock of ``blueprint``'s exam, oldest
    first, with the slope once there is enough to draw one."""
    chosen = _chosen(attempts, blueprint.code)
    mocks = full_mocks(chosen, blueprint)
    points = tuple(
        ScorePoint(a.attempt_id, a.submitted_at, a.mode, a.question_count, a.percent, a.scaled_score, a.passed)
        for a in mocks
    )
    needs = _needs(points)
    return ScoreTrend(
        points=points,
        slope_per_week=None if needs else _slope_per_week(points),
        needs=needs,
        shorter=len(chosen) - len(mocks),
    )


def domain_trends(
    attempts: Iterable[AttemptRecord], blueprint: Blueprint, *, domains: Sequence[str] | None = None
) -> tuple[DomainSeries, ...]:
    """Per domain, its percent on each full mock of ``blueprint``'s exam that had scored items in
    it, oldest first (shorter attempts are left out, as in ``score_trend``).

    ``domains`` fixes the order (and keeps empty series); by default, the domains seen, sorted.
    """
    rows = full_mocks(attempts, blueprint)
    series: dict[str, list[DomainPoint]] = {d: [] for d in domains} if domains is not None else {}
    for a in rows:
        for domain, (right, scored) in a.domains.items():
            if scored <= 0 or (domains is not None and domain not in series):
                continue
            point = DomainPoint(a.attempt_id, a.submitted_at, right, scored, 100.0 * right / scored)
            series.setdefault(domain, []).append(point)
    order = list(series) if domains is not None else sorted(series)
    return tuple(DomainSeries(d, tuple(series[d])) for d in order)


def _p90(values: Sequence[float]) -> float:
    """The 90th percentile, by linear interpolation between order statistics (values sorted)."""
    if len(values) == 1:
        return values[0]
    pos = 0.9 * (len(values) - 1)
    below = int(pos)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (pos - below)


def time_per_question(attempts: Iterable[AttemptRecord], *, exam: str | None = None) -> TimeStats:
    """Seconds on screen per question: overall mean, median, 90th percentile, longest; per attempt."""
    rows = _chosen(attempts, exam)
    every: list[float] = []
    per_attempt = []
    for a in rows:
        if not a.seconds:
            continue
        every.extend(a.seconds)
        per_attempt.append(
            AttemptTime(
                a.attempt_id, a.submitted_at, len(a.seconds), statistics.fmean(a.seconds), statistics.median(a.seconds)
            )
        )
    if not every:
        return TimeStats(0, None, None, None, None, tuple(per_attempt))
    every.sort()
    return TimeStats(
        questions=len(every),
        mean=statistics.fmean(every),
        median=statistics.median(every),
        p90=_p90(every),
        longest=every[-1],
        per_attempt=tuple(per_attempt),
    )
