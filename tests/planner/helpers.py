"""Shared inputs and checks for the planner tests (a module, so hypothesis tests can use them)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import yaml

from certprep.content import bundled_pack_path
from certprep.content.schema import Blueprint
from certprep.planner import Plan, PlanRequest, SessionKind


def load_blueprint(code: str) -> Blueprint:
    """The bundled blueprint file alone (not the whole pack, which other work may be editing)."""
    path = bundled_pack_path() / "blueprints" / f"{code}.yaml"
    return Blueprint.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


MLA = load_blueprint("MLA-C01")
MLS = load_blueprint("MLS-C01")
BLUEPRINTS = {"MLA-C01": MLA, "MLS-C01": MLS}
TODAY = date(2026, 11, 25)  # a Wednesday


def request(
    weeks: float = 6,
    hours: float = 8,
    days_off: frozenset[int | date] = frozenset(),
    exam: str = "MLA-C01",
    today: date = TODAY,
    minutes: int | None = None,
) -> PlanRequest:
    return PlanRequest(exam, today + timedelta(days=round(weeks * 7)), today, hours, days_off, minutes)


def position(plan: Plan) -> dict[int, tuple[date, int]]:
    """Session index in plan.sessions -> (day, place within the day), for "comes before" checks."""
    out: dict[int, tuple[date, int]] = {}
    seen: dict[date, int] = {}
    for i, s in enumerate(plan.sessions):
        out[i] = (s.day, seen.get(s.day, 0))
        seen[s.day] = seen.get(s.day, 0) + 1
    return out


def check_invariants(plan: Plan, req: PlanRequest, blueprint: Blueprint) -> None:
    """The rules every plan keeps, whatever the inputs (docs/planner.md)."""
    days = plan.by_day()
    # Every calendar day from today to the day before the exam, nothing else.
    assert list(days) == list(req.days())
    for day, sessions in days.items():
        if req.is_day_off(day):
            assert [s.kind for s in sessions] == [SessionKind.REST], day
            assert sessions[0].minutes == 0
        else:
            assert sessions[0].kind is SessionKind.REVIEW, day  # a short review opens every study day
            assert sum(s.kind is SessionKind.REVIEW for s in sessions) == 1
            assert SessionKind.REST not in {s.kind for s in sessions}
            assert all(s.minutes > 0 for s in sessions)
    # Calendar weeks (Monday-Sunday) stay within the budget.
    for monday, minutes in plan.minutes_by_week().items():
        assert minutes <= plan.weekly_budget_minutes, monday
    assert plan.weekly_budget_minutes == int(req.hours_per_week * 60)
    # Mocks: the exam's length, in the last 3 weeks, none in the final 2 days, at least 3 days apart.
    mocks = [s for s in plan.sessions if s.kind is SessionKind.MOCK]
    for m in mocks:
        assert m.minutes == blueprint.duration_minutes
        assert 3 <= (req.exam_date - m.day).days <= 21
        assert [s.kind for s in days[m.day]] == [SessionKind.REVIEW, SessionKind.MOCK]
    for a, b in itertools.pairwise(mocks):
        assert (b.day - a.day).days >= 3
    # Final review: every study day among the last 2 holds review + final review only.
    study = req.study_days()
    last = [d for d in study if (req.exam_date - d).days <= 2] or [study[-1]]
    for d in last:
        assert [s.kind for s in days[d]] == [SessionKind.REVIEW, SessionKind.FINAL_REVIEW], d
    finals = {s.day for s in plan.sessions if s.kind is SessionKind.FINAL_REVIEW}
    assert finals == set(last)
    # Lessons in priority order; drills on a task only after its lesson (mastered tasks need none).
    rank = {t.task: i for i, t in enumerate(plan.tasks)}
    lesson_tasks = [s.task for s in plan.sessions if s.kind is SessionKind.LESSON]
    assert all(t is not None for t in lesson_tasks)
    assert [rank[t] for t in lesson_tasks if t] == sorted(rank[t] for t in lesson_tasks if t)
    mastered = {t.task for t in plan.tasks if t.mastered}
    first_lesson: dict[str, int] = {}
    for i, s in enumerate(plan.sessions):
        if s.kind is SessionKind.LESSON and s.task:
            first_lesson.setdefault(s.task, i)
    for i, s in enumerate(plan.sessions):
        if s.kind is SessionKind.DRILL and s.task and s.task not in mastered:
            assert s.task in first_lesson and first_lesson[s.task] < i, s
