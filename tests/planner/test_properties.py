"""Invariants over generated requests (hypothesis): days off, budget, mocks, final review, order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from certprep.planner import MockResult, PlanRequest, TaskMastery, build_plan, prioritise, weakness

from .helpers import BLUEPRINTS, check_invariants

pytestmark = pytest.mark.slow  # property-based (hypothesis): left out of the quick run

masteries = st.builds(
    TaskMastery,
    mean=st.floats(0, 1, allow_nan=False),
    n=st.floats(0, 200, allow_nan=False),
)


Inputs = tuple[PlanRequest, dict[str, TaskMastery], dict[str, tuple[str, ...]], list[MockResult]]


@st.composite
def plan_inputs(draw: st.DrawFn) -> Inputs:
    exam = draw(st.sampled_from(sorted(BLUEPRINTS)))
    blueprint = BLUEPRINTS[exam]
    today = draw(st.dates(date(2026, 1, 1), date(2027, 12, 31)))
    exam_date = today + timedelta(days=draw(st.integers(1, 80)))
    weekdays = draw(st.frozensets(st.integers(0, 6), max_size=5))
    dates = draw(st.frozensets(st.dates(today, exam_date), max_size=6))
    days_off: frozenset[int | date] = frozenset(weekdays | dates)
    hours = draw(st.floats(1.5, 40, allow_nan=False))
    minutes = draw(st.none() | st.integers(15, 120))
    try:
        request = PlanRequest(exam, exam_date, today, hours, days_off, minutes)
    except ValueError:
        assume(False)
        raise
    tasks = draw(st.lists(st.sampled_from(blueprint.task_ids), unique=True))
    mastery = {t: draw(masteries) for t in tasks}
    with_lessons = draw(st.lists(st.sampled_from(blueprint.task_ids), unique=True))
    lessons = {t: tuple(f"lesson-{t}-{i}" for i in range(draw(st.integers(1, 2)))) for t in with_lessons}
    taken = [MockResult(today - timedelta(days=d), 0.7) for d in draw(st.sets(st.integers(0, 20), max_size=3))]
    return request, mastery, lessons, taken


@settings(max_examples=150, deadline=None)
@given(plan_inputs())
def test_every_plan_keeps_the_rules(inputs: Inputs) -> None:
    request, mastery, lessons, taken = inputs
    blueprint = BLUEPRINTS[request.exam]
    try:
        plan = build_plan(request, blueprint, mastery, lessons, mocks=taken)
    except ValueError as exc:  # only a budget too thin for a study day may be refused
        assert "minutes a day" in str(exc)
        return
    check_invariants(plan, request, blueprint)
    again = build_plan(request, blueprint, dict(mastery), dict(lessons), mocks=list(taken))
    assert again == plan  # re-planning with equal inputs gives the equal plan


@given(masteries, st.floats(0, 0.5, allow_nan=False), st.floats(0, 50, allow_nan=False))
def test_weakness_falls_with_mastery_and_with_evidence(m: TaskMastery, more: float, extra_n: float) -> None:
    better = TaskMastery(min(1.0, m.mean + more), m.n)
    surer = TaskMastery(m.mean, m.n + extra_n)
    assert weakness(better) <= weakness(m)
    assert weakness(surer) <= weakness(m)


@given(st.sampled_from(sorted(BLUEPRINTS)), st.dictionaries(st.sampled_from(["1.1", "1.2", "2.1", "3.1"]), masteries))
def test_priority_is_weight_times_weakness_in_order(exam: str, mastery: dict[str, TaskMastery]) -> None:
    rows = prioritise(BLUEPRINTS[exam], mastery)
    assert [r.priority for r in rows] == sorted((r.priority for r in rows), reverse=True)
    for r in rows:
        assert r.priority == r.weight / 100 * weakness(mastery.get(r.task, TaskMastery()))
