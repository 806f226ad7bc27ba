"""The time side of a plan: minutes per study day, review length, final-review days, mock days.

Budget rule: the minutes planned in any calendar week (Monday to Sunday) never exceed
``hours_per_week``. Each study day gets an equal share of the week (the weekly minutes divided by
the weekdays that are not off, at most MAX_DAY_MINUTES); a mock day takes what the mock needs and
the other ordinary days of its week give up the difference, so the week still fits. Mocks go
into different weeks when they can; two share a week only if together they take at most half of it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from certprep.planner.model import MockResult, PlanRequest

__all__ = [
    "FINAL_DAYS",
    "MAX_DAY_MINUTES",
    "MIN_BLOCK_MINUTES",
    "MIN_DAY_MINUTES",
    "MOCK_ENOUGH",
    "MOCK_MIN_GAP_DAYS",
    "MOCK_TARGET",
    "MOCK_WINDOW_DAYS",
    "Calendar",
    "build_calendar",
    "review_minutes",
]

MAX_DAY_MINUTES = 600  # nobody learns for more than 10 hours a day
MIN_DAY_MINUTES = 10  # below this a "study day" holds nothing
MIN_BLOCK_MINUTES = 10
REVIEW_SECONDS_PER_CARD = 20
REVIEW_MIN, REVIEW_DEFAULT, REVIEW_MAX = 10, 15, 30
FINAL_DAYS = 2  # the final review takes the last 2 days; no mock there
MOCK_WINDOW_DAYS = 21  # mocks go into the last 3 weeks
MOCK_TARGET = 4  # full mocks wanted in that window (already-taken ones count)...
MOCK_ENOUGH = 3  # ...and 3 is enough: fewer than that earns a warning
MOCK_MIN_GAP_DAYS = 3  # a mock, its debrief, some study, then the next one
MOCK_SPACING_DAYS = 5  # one more mock per 5 days of window, up to MOCK_TARGET


def review_minutes(day: date, due_reviews: Mapping[date, int]) -> int:
    """Daily review length: about 20 s per due card, 10-30 min; 15 min when the count is unknown."""
    if day not in due_reviews:
        return REVIEW_DEFAULT
    need = math.ceil(due_reviews[day] * REVIEW_SECONDS_PER_CARD / 60)
    return max(REVIEW_MIN, min(REVIEW_MAX, need))


@dataclass
class Calendar:
    """Mutable working state of one planning run (never leaves build_plan)."""

    study: tuple[date, ...]
    weekly: int
    cap: dict[date, int]
    review: dict[date, int]
    final_days: tuple[date, ...]
    mock_days: list[date]
    mocks_wanted: int
    mocks_taken_in_window: int
    warnings: list[str]

    def week_days(self, day: date) -> list[date]:
        monday = day - timedelta(days=day.weekday())
        return [d for d in self.study if monday <= d < monday + timedelta(days=7)]

    def week_minutes(self, day: date) -> int:
        return sum(self.cap[d] for d in self.week_days(day))


def _final_days(request: PlanRequest, study: tuple[date, ...]) -> tuple[date, ...]:
    last = tuple(d for d in study if (request.exam_date - d).days <= FINAL_DAYS)
    # Both last days off: the last study day before them becomes the final review.
    return last or (study[-1],)


def _borrow(cal: Calendar, donors: list[date], excess: int) -> bool:
    """Take ``excess`` minutes from the donors' study time (never their review); False if short."""
    pool = [(d, cal.cap[d] - cal.review[d]) for d in donors if cal.cap[d] > cal.review[d]]
    total = sum(r for _, r in pool)
    if total < excess:
        return False
    if excess <= 0:
        return True
    taken = {d: excess * r // total for d, r in pool}
    left = excess - sum(taken.values())
    for d, r in sorted(pool, reverse=True):
        extra = min(left, r - taken[d])
        taken[d] += extra
        left -= extra
    for d, t in taken.items():
        cal.cap[d] -= t
    return True


def _try_mock(cal: Calendar, day: date, mock_minutes: int) -> bool:
    need = mock_minutes + cal.review[day]
    if need > MAX_DAY_MINUTES:
        return False
    week = cal.week_days(day)
    others = [cal.cap[d] for d in week if d in cal.mock_days]
    if others and 2 * (sum(others) + need) > cal.weekly:
        return False  # a second mock in a week only when the mocks leave half of the week for study
    excess = cal.week_minutes(day) - cal.cap[day] + need - cal.weekly
    donors = [d for d in week if d != day and d not in cal.mock_days and d not in cal.final_days]
    if not _borrow(cal, donors, excess):
        return False
    cal.cap[day] = need
    cal.mock_days.append(day)
    return True


def _place_mocks(cal: Calendar, request: PlanRequest, mock_minutes: int, taken: Sequence[MockResult]) -> None:
    exam = request.exam_date
    window_start = exam - timedelta(days=MOCK_WINDOW_DAYS)
    window_end = exam - timedelta(days=FINAL_DAYS + 1)
    in_window = [m.taken_on for m in taken if window_start <= m.taken_on]
    cal.mocks_taken_in_window = len(in_window)
    start = max(window_start, request.today)
    if start > window_end:
        cal.mocks_wanted = 0
        return
    span = (window_end - start).days
    wanted = min(MOCK_TARGET - len(in_window), 1 + span // MOCK_SPACING_DAYS)
    cal.mocks_wanted = max(0, wanted)
    if wanted <= 0:
        return
    blocked = set(cal.final_days)
    fixed = [m.taken_on for m in taken]  # mocks already taken keep their distance too

    def eligible(d: date) -> bool:
        return (
            start <= d <= window_end
            and d in cal.cap
            and d not in blocked
            and all(abs((d - other).days) >= MOCK_MIN_GAP_DAYS for other in fixed + cal.mock_days)
        )

    step = span / (wanted - 1) if wanted > 1 else 0.0
    targets = [window_end - timedelta(days=round(i * step)) for i in range(wanted)]

    def lone(d: date) -> bool:
        return not any(m in cal.mock_days for m in cal.week_days(d))

    for target in targets:  # latest first: the last mock sits just before the final review
        # Nearest day to the target, in a week without a mock if there is one, else any week.
        for spread in (True, False):
            days = (target + timedelta(days=offset) for offset in _nearest_offsets(span))
            if any(eligible(d) and (lone(d) or not spread) and _try_mock(cal, d, mock_minutes) for d in days):
                break
    cal.mock_days.sort()


def _nearest_offsets(span: int) -> list[int]:
    out = [0]
    for k in range(1, span + 1):
        out += [-k, k]
    return out


def build_calendar(
    request: PlanRequest,
    due_reviews: Mapping[date, int],
    mock_minutes: int,
    taken: Sequence[MockResult],
) -> Calendar:
    """Minutes per study day, reviews, the final-review days and the mock days of a request."""
    weekly = math.floor(request.hours_per_week * 60)
    on_weekdays = 7 - len(request.weekdays_off)
    per_day = min(MAX_DAY_MINUTES, weekly // on_weekdays)
    if per_day < MIN_DAY_MINUTES:
        raise ValueError(
            f"hours_per_week: {request.hours_per_week:g} hours over {on_weekdays} study weekdays leaves "
            f"{per_day} minutes a day; plan more hours or fewer study days (at least {MIN_DAY_MINUTES} a day)"
        )
    study = request.study_days()
    cap = {d: per_day for d in study}
    review = {d: min(per_day, review_minutes(d, due_reviews)) for d in study}
    cal = Calendar(
        study=study,
        weekly=weekly,
        cap=cap,
        review=review,
        final_days=_final_days(request, study),
        mock_days=[],
        mocks_wanted=0,
        mocks_taken_in_window=0,
        warnings=[],
    )
    for day in cal.final_days:  # the final review always gets room, even on a short day
        if cal.cap[day] - cal.review[day] < MIN_BLOCK_MINUTES:
            cal.review[day] = cal.cap[day] // 2
    if per_day < 30:
        cal.warnings.append(
            f"only {per_day} minutes per study day: fewer, longer study days leave room for lessons and drills"
        )
    _place_mocks(cal, request, mock_minutes, taken)
    enough = min(cal.mocks_wanted, MOCK_ENOUGH - cal.mocks_taken_in_window)
    if len(cal.mock_days) < enough:
        cal.warnings.append(
            f"only {len(cal.mock_days)} of {cal.mocks_wanted} full mocks fit ({mock_minutes} min each plus "
            f"the daily review, within {weekly} minutes a week): take timed practice sets by domain instead"
        )
    return cal
