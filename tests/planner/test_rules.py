"""The planner's rules on fixed inputs: order, mocks, final review, days off, errors, re-planning."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from certprep.content.schema import Blueprint, Lesson
from certprep.planner import (
    MockResult,
    Plan,
    PlanRequest,
    SessionKind,
    TaskMastery,
    build_plan,
    lessons_by_task,
    prioritise,
    weakness,
)
from certprep.planner.budget import review_minutes

from .helpers import MLA, MLS, TODAY, check_invariants, request

SAT, SUN = 5, 6


def kinds(plan: Plan, day: date) -> list[str]:
    return [s.kind.value for s in plan.on(day)]


# --- priority: domain weight x weakness ---------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "n", "expected"),
    [
        (0.5, 0, 0.75),  # the prior: an unknown task counts as if at 25%
        (0.0, 0, 1.25),
        (0.5, 5, 0.625),
        (0.5, 45, 0.525),
        (0.3, 10, 1 - 0.3 + 0.25 / 3),
        (1.0, 95, 0.0125),
    ],
)
def test_weakness_table(mean: float, n: float, expected: float) -> None:
    assert weakness(TaskMastery(mean, n)) == pytest.approx(expected)


def test_equal_mastery_puts_the_heaviest_domain_first() -> None:
    order = [t.task for t in prioritise(MLA, {})]
    # MLA-C01 weights: D1 28%, D2 26%, D4 24%, D3 22%; blueprint order breaks ties within a domain.
    assert order == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "4.1", "4.2", "4.3", "3.1", "3.2", "3.3"]
    mls = [t.task for t in prioritise(MLS, {})]
    assert mls[:5] == ["3.1", "3.2", "3.3", "3.4", "3.5"]  # MLS-C01 modeling weighs 36%


def test_weaker_tasks_and_thinner_evidence_come_first() -> None:
    mastery = {
        "1.1": TaskMastery(0.9, 50),  # strong
        "1.2": TaskMastery(0.6, 50),
        "1.3": TaskMastery(0.6, 4),  # same mean, less evidence: weaker
        "3.3": TaskMastery(0.1, 30),  # light domain (22%) but very weak
    }
    order = [t.task for t in prioritise(MLA, mastery)]
    assert order[0] == "3.3"
    assert order.index("1.3") < order.index("1.2") < order.index("1.1")
    assert order[-1] == "1.1"
    assert prioritise(MLA, mastery)[-1].mastered


def test_lessons_follow_the_priority_order_and_drills_follow_their_lesson() -> None:
    mastery = {"4.3": TaskMastery(0.05, 20), "1.1": TaskMastery(0.95, 60)}
    req = request(weeks=8, hours=6)
    plan = build_plan(req, MLA, mastery)
    lessons = [s for s in plan.sessions if s.kind is SessionKind.LESSON]
    assert lessons[0].task == "4.3" and lessons[0].day == TODAY
    assert "1.1" not in {s.task for s in lessons}  # mastered: no lesson, drills only
    assert [s.task for s in lessons] == [t.task for t in plan.tasks if not t.mastered]
    rest = plan.sessions[plan.sessions.index(lessons[0]) + 1 :]
    after = next(s for s in rest if s.kind is not SessionKind.REVIEW)  # the next block, maybe tomorrow
    assert (after.kind, after.task) == (SessionKind.DRILL, "4.3")
    check_invariants(plan, req, MLA)


def test_the_weakest_tasks_get_the_most_drills() -> None:
    mastery = {t: TaskMastery(0.75, 40) for t in MLA.task_ids} | {"2.2": TaskMastery(0.2, 40)}
    plan = build_plan(request(weeks=10, hours=10), MLA, mastery)
    drills: dict[str, int] = {}
    for s in plan.sessions:
        if s.kind is SessionKind.DRILL and s.task:
            drills[s.task] = drills.get(s.task, 0) + 1
    assert drills["2.2"] == max(drills.values())
    assert drills["2.2"] >= 2 * drills["2.1"]


def test_a_task_without_a_lesson_gets_a_study_block_and_lessons_get_their_titles() -> None:
    lessons = {"1.1": ("lesson-mla-1-1",)}
    titles = {"lesson-mla-1-1": "Ingest and store data"}
    plan = build_plan(request(), MLA, {}, lessons, lesson_titles=titles)
    first, second = [s for s in plan.sessions if s.kind is SessionKind.LESSON][:2]
    assert (first.task, first.lesson_id, first.title) == ("1.1", "lesson-mla-1-1", "Lesson 1.1: Ingest and store data")
    assert (second.task, second.lesson_id) == ("1.2", None)
    assert second.title.startswith("Study 1.2:") and "no lesson for this task yet" in second.reason


def test_a_lesson_shared_by_two_tasks_is_taught_once() -> None:
    lessons = {"3.2": ("lesson-shared",), "4.2": ("lesson-shared",)}
    plan = build_plan(request(exam="MLS-C01"), MLS, {}, lessons)
    shared = [s for s in plan.sessions if s.lesson_id == "lesson-shared"]
    assert len(shared) == 1 and shared[0].task == "3.2"
    first_42_drill = next(i for i, s in enumerate(plan.sessions) if s.kind is SessionKind.DRILL and s.task == "4.2")
    assert plan.sessions.index(shared[0]) < first_42_drill


def test_lessons_by_task_reads_the_exam_refs() -> None:
    body = "\n\n".join(f"## {h}\n\ntext" for h in ("You will learn", "Main content", "Examples", "Common mistakes"))
    body += "\n\n## Mini exercises\n\ntext"

    def lesson(lesson_id: str, refs: list[tuple[str, str]]) -> Lesson:
        exams = [{"exam": e, "task": t} for e, t in refs]
        return Lesson.model_validate({"id": lesson_id, "revision": 1, "title": lesson_id, "exams": exams, "body": body})

    found = lessons_by_task(
        [
            lesson("lesson-b", [("MLA-C01", "2.1"), ("MLS-C01", "3.2"), ("MLS-C01", "4.2")]),
            lesson("lesson-a", [("MLA-C01", "2.1")]),
        ],
        "MLS-C01",
    )
    assert found == {"3.2": ("lesson-b",), "4.2": ("lesson-b",)}
    assert lessons_by_task([], "MLA-C01") == {}


# --- days, reviews, mocks, final review ---------------------------------------------------------


def test_golden_nine_day_plan() -> None:
    """Exam on Friday 2026-12-04, 7 hours a week (60 min a day), nothing known yet."""
    req = PlanRequest("MLA-C01", date(2026, 12, 4), TODAY, 7)
    plan = build_plan(req, MLA)
    table = [(s.day.isoformat(), s.kind.value, s.task, s.minutes) for s in plan.sessions]
    assert table == [
        ("2026-11-25", "review", None, 15),
        ("2026-11-25", "mock", None, 130),  # the week has room: 5 days x 60 min < 420
        ("2026-11-26", "review", None, 15),
        ("2026-11-26", "drill", None, 45),  # going through mock 1
        ("2026-11-27", "review", None, 15),
        ("2026-11-27", "lesson", "1.1", 45),
        ("2026-11-28", "review", None, 15),
        ("2026-11-28", "drill", "1.1", 45),
        ("2026-11-29", "review", None, 15),
        ("2026-11-29", "lesson", "1.2", 45),
        ("2026-11-30", "review", None, 15),
        ("2026-11-30", "drill", "1.2", 45),
        ("2026-12-01", "review", None, 15),
        ("2026-12-01", "mock", None, 130),  # 3 days before the exam: the last day a mock may take
        ("2026-12-02", "review", None, 15),
        ("2026-12-02", "final-review", None, 45),
        ("2026-12-03", "review", None, 15),
        ("2026-12-03", "final-review", None, 45),
    ]
    assert plan.minutes_by_week() == {date(2026, 11, 23): 385, date(2026, 11, 30): 325}
    assert any("no lesson for task(s) 1.3" in w for w in plan.warnings)
    check_invariants(plan, req, MLA)


@pytest.mark.parametrize(("exam", "blueprint", "length"), [("MLA-C01", MLA, 130), ("MLS-C01", MLS, 180)])
def test_mocks_spread_over_the_last_three_weeks(exam: str, blueprint: Blueprint, length: int) -> None:
    req = PlanRequest(exam, date(2027, 2, 5), TODAY, 8)  # a Friday, ten weeks away
    plan = build_plan(req, blueprint)
    mocks = [s for s in plan.sessions if s.kind is SessionKind.MOCK]
    assert {s.minutes for s in mocks} == {length}
    # Evenly spread from 3 weeks out; the last on the day before the final review's 2 days.
    assert [(req.exam_date - s.day).days for s in mocks] == [21, 15, 9, 3]
    assert len({s.day - timedelta(days=s.day.weekday()) for s in mocks}) == 4  # one per calendar week
    assert [s.title.split(":")[0] for s in mocks] == [f"Full mock {i} of 4" for i in range(1, 5)]
    for s in mocks[:-1]:  # the next block after a mock goes through it
        later = plan.sessions[plan.sessions.index(s) + 1 :]
        nxt = next(x for x in later if x.kind in (SessionKind.LESSON, SessionKind.DRILL))
        assert nxt.title.startswith(f"Go through mock {s.title.split()[2]}:")


def test_mocks_already_taken_in_the_window_count() -> None:
    today = date(2027, 1, 20)
    req = PlanRequest("MLA-C01", today + timedelta(days=12), today, 8)
    taken = [MockResult(today - timedelta(days=5), 0.71), MockResult(today - timedelta(days=1), 0.78)]
    plan = build_plan(req, MLA, mocks=taken)
    mocks = [s for s in plan.sessions if s.kind is SessionKind.MOCK]
    assert len(mocks) == 2 and mocks[0].title.startswith("Full mock 3 of 4")
    assert mocks[0].day >= today + timedelta(days=2)  # 3 days after the one taken yesterday
    assert "your last mock: 78% on 2027-01-19" in mocks[0].reason
    check_invariants(plan, req, MLA)


def test_a_plan_too_short_for_mocks_is_reviews_and_final_review() -> None:
    req = PlanRequest("MLA-C01", TODAY + timedelta(days=2), TODAY, 8)
    plan = build_plan(req, MLA)
    assert [s.kind.value for s in plan.sessions] == ["review", "final-review"] * 2
    check_invariants(plan, req, MLA)


def test_too_few_hours_for_a_mock_gives_a_warning_not_a_broken_week() -> None:
    req = request(weeks=6, hours=2)  # 120 minutes a week: a 130-minute mock cannot fit
    plan = build_plan(req, MLA)
    assert not [s for s in plan.sessions if s.kind is SessionKind.MOCK]
    assert any("only 0 of 4 full mocks fit" in w for w in plan.warnings)
    check_invariants(plan, req, MLA)


def test_a_mock_borrows_from_its_week_and_the_week_stays_in_budget() -> None:
    req = request(weeks=6, hours=4)  # 240 min a week, 34 a day: a 145-minute mock day needs the rest
    plan = build_plan(req, MLA)
    mocks = [s.day for s in plan.sessions if s.kind is SessionKind.MOCK]
    # The window spans three calendar weeks and each can hold one mock only: 3 (enough, no warning).
    assert [(req.exam_date - d).days for d in mocks] == [17, 10, 3]
    assert len({d - timedelta(days=d.weekday()) for d in mocks}) == 3
    assert not any("full mocks fit" in w for w in plan.warnings)
    assert max(plan.minutes_by_week().values()) <= 240
    check_invariants(plan, req, MLA)


def test_days_off_are_rest_and_the_final_review_moves_before_them() -> None:
    # Exam on Monday 2027-01-04; weekends and New Year's Day off: final review Thursday 2026-12-31.
    req = PlanRequest("MLA-C01", date(2027, 1, 4), TODAY, 6, frozenset({SAT, SUN, date(2027, 1, 1)}))
    plan = build_plan(req, MLA)
    for day in (date(2026, 11, 28), date(2026, 12, 27), date(2027, 1, 1), date(2027, 1, 3)):
        assert kinds(plan, day) == ["rest"]
    assert kinds(plan, date(2026, 12, 31)) == ["review", "final-review"]
    assert [s.day for s in plan.sessions if s.kind is SessionKind.FINAL_REVIEW] == [date(2026, 12, 31)]
    check_invariants(plan, req, MLA)


@pytest.mark.parametrize(("due", "minutes"), [(None, 15), (0, 10), (30, 10), (60, 20), (75, 25), (500, 30)])
def test_review_length_follows_the_due_cards(due: int | None, minutes: int) -> None:
    counts = {} if due is None else {TODAY: due}
    assert review_minutes(TODAY, counts) == minutes
    plan = build_plan(request(), MLA, due_reviews=counts)
    assert plan.on(TODAY)[0].minutes == minutes
    if due is not None:
        assert plan.on(TODAY)[0].title == f"Review: {due} due cards"


def test_minutes_per_session_sets_the_block_length() -> None:
    plan = build_plan(request(hours=14, minutes=30), MLA)  # 120 min a day: review 15 + 30 + 30 + 30 + 15
    assert [s.minutes for s in plan.on(TODAY)] == [15, 30, 30, 30, 15]


def test_retired_exam_warns() -> None:
    plan = build_plan(request(exam="MLS-C01"), MLS)
    assert any("retired on 2026-03-31" in w for w in plan.warnings)


# --- re-planning and determinism ----------------------------------------------------------------


def test_replanning_after_mastery_changes_moves_the_tasks() -> None:
    exam = TODAY + timedelta(weeks=8)
    known = {t: TaskMastery(0.65, 30) for t in MLA.task_ids}
    before = build_plan(PlanRequest("MLA-C01", exam, TODAY, 6), MLA, known)
    later = TODAY + timedelta(days=7)
    mastery = known | {
        "1.1": TaskMastery(0.95, 60),  # learnt: its lesson goes, its drills thin out
        "3.3": TaskMastery(0.1, 40),  # found weak: its lesson moves to the front, its drills multiply
    }
    after = build_plan(PlanRequest("MLA-C01", exam, later, 6), MLA, mastery)

    def first(plan: Plan, task: str, kind: SessionKind) -> date | None:
        return next((s.day for s in plan.sessions if s.kind is kind and s.task == task), None)

    def drills(plan: Plan, task: str, since: date) -> int:
        return sum(s.kind is SessionKind.DRILL and s.task == task and s.day >= since for s in plan.sessions)

    assert first(before, "1.1", SessionKind.LESSON) == TODAY
    assert first(after, "1.1", SessionKind.LESSON) is None
    assert drills(after, "1.1", later) < drills(before, "1.1", later)
    old_33, new_33 = first(before, "3.3", SessionKind.LESSON), first(after, "3.3", SessionKind.LESSON)
    assert old_33 is not None and new_33 == later < old_33
    assert drills(after, "3.3", later) >= 2 * drills(before, "3.3", later)


def test_equal_inputs_give_equal_plans_and_json_round_trips() -> None:
    args = (request(weeks=5, days_off=frozenset({SUN})), MLA, {"2.2": TaskMastery(0.4, 12)}, {"2.2": ("l-22",)})
    a, b = build_plan(*args), build_plan(*args)
    assert a == b
    assert Plan.from_dict(a.to_dict()) == a


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"exam_date": TODAY - timedelta(days=1)}, "is in the past"),
        ({"exam_date": TODAY}, "is today"),
        ({"hours_per_week": 0}, "hours_per_week must be more than 0"),
        ({"hours_per_week": -3}, "hours_per_week must be more than 0"),
        ({"hours_per_week": float("nan")}, "hours_per_week must be more than 0"),
        ({"hours_per_week": 200}, "cannot exceed 168"),
        ({"days_off": frozenset(range(7))}, "every weekday is a day off"),
        (
            {"exam_date": TODAY + timedelta(days=3), "days_off": frozenset({TODAY, TODAY + timedelta(days=1), 4})},
            "every day from 2026-11-25 to the exam on 2026-11-28 is a day off",
        ),
        ({"days_off": frozenset({7})}, "weekday must be 0-6"),
        ({"days_off": frozenset({True})}, "weekday numbers 0-6"),
        ({"days_off": frozenset({datetime(2026, 12, 1, 9)})}, "not datetimes"),
        ({"minutes_per_session": 5}, "minutes_per_session must be 15-240"),
        ({"exam": ""}, "an exam code is required"),
    ],
)
def test_bad_requests_raise_clear_errors(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"exam": "MLA-C01", "exam_date": TODAY + timedelta(weeks=4), "today": TODAY}
    fields |= {"hours_per_week": 8} | kwargs
    with pytest.raises(ValueError, match=message):
        PlanRequest(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: build_plan(request(exam="MLS-C01"), MLA), "the request is for MLS-C01 but the blueprint is MLA-C01"),
        (lambda: build_plan(request(), MLA, {"9.9": TaskMastery()}), r"mastery names task\(s\) 9.9"),
        (lambda: build_plan(request(), MLA, {}, {"5.1": ("x",)}), r"lessons name task\(s\) 5.1"),
        (lambda: build_plan(request(), MLA, due_reviews={TODAY: -1}), "negative count"),
        (lambda: build_plan(request(), MLA, mocks=[MockResult(TODAY + timedelta(days=1))]), "after today"),
        (lambda: build_plan(request(hours=1), MLA), "leaves 8 minutes a day"),
        (lambda: TaskMastery(1.5, 3), "mean must lie in 0..1"),
        (lambda: TaskMastery(0.5, -1), "n must be >= 0"),
        (lambda: MockResult(TODAY, 80), "score must lie in 0..1"),
    ],
)
def test_bad_inputs_raise_clear_errors(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_days_off_are_weekdays_by_short_or_full_name_or_dates() -> None:
    from datetime import date

    from certprep.planner.model import parse_day_off

    assert parse_day_off("sat") == parse_day_off(" Saturday ") == parse_day_off("SAT") == 5
    assert parse_day_off("mon") == 0 and parse_day_off("sunday") == 6
    assert parse_day_off("2026-12-24") == date(2026, 12, 24)
    for bad in ("sunny", "satur", "monkey", "", "2026-02-30", "7"):
        try:
            parse_day_off(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was taken as a day off")
