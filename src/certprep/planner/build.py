"""build_plan: a request, a blueprint and what the learner knows -> a day-by-day plan.

Pure and deterministic: no clock (``request.today`` is the only "now"), no randomness, no I/O.
Re-planning is calling it again with new mastery and a new ``today``; equal inputs give an equal
plan. docs/planner.md states the rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from certprep.analytics.figures import mastery_text
from certprep.content.schema import Blueprint
from certprep.planner.budget import MIN_BLOCK_MINUTES, Calendar, build_calendar
from certprep.planner.model import MockResult, Plan, PlanRequest, Session, SessionKind, TaskMastery, TaskPriority
from certprep.planner.priority import prioritise

__all__ = ["FINAL_REVIEW_MAX_MINUTES", "MINUTES_PER_QUESTION", "build_plan"]

FINAL_REVIEW_MAX_MINUTES = 180  # the last days consolidate; they are no marathon
MINUTES_PER_QUESTION = 2  # the exam's own pace: 65 questions in 130 minutes


def _evidence(t: TaskPriority) -> str:
    if t.answers is not None:  # worded as on every page (analytics.figures)
        return f"task {t.task}: {mastery_text(t.mean, t.answers)}"
    if t.n == 0:
        return "no answers yet"
    # n is weighted evidence (recency, difficulty, repeats): one decimal is all it means.
    return f"mastery {t.mean:.0%} from {round(t.n, 1):g} answers"


@dataclass
class _Filler:
    """Hands out lesson and drill blocks in order; the state of one planning run."""

    tasks: tuple[TaskPriority, ...]
    lessons: Mapping[str, Sequence[str]]
    lesson_titles: Mapping[str, str]
    queue: list[tuple[TaskPriority, str | None]] = field(default_factory=list)
    pending: dict[str, set[str]] = field(default_factory=dict)  # task -> lessons not yet placed
    eligible: list[str] = field(default_factory=list)  # tasks ready for drills, in priority order
    forced: str | None = None  # the task to drill right after its lesson
    drills: dict[str, int] = field(default_factory=dict)
    rank: dict[str, int] = field(init=False)
    by_id: dict[str, TaskPriority] = field(init=False)

    def __post_init__(self) -> None:
        queued: set[str] = set()
        for t in self.tasks:
            if t.mastered:
                self.eligible.append(t.task)
                continue
            ids = tuple(self.lessons.get(t.task, ()))
            self.pending[t.task] = set(ids) if ids else {f"study:{t.task}"}
            if not ids:
                self.queue.append((t, None))
            for lesson_id in ids:
                if lesson_id not in queued:  # a lesson shared by two tasks is taught once
                    queued.add(lesson_id)
                    self.queue.append((t, lesson_id))
        self.rank = {t.task: i + 1 for i, t in enumerate(self.tasks)}
        self.by_id = {t.task: t for t in self.tasks}

    def next_block(self, day: date, minutes: int) -> Session:
        if self.forced is not None:
            task, self.forced = self.forced, None
            return self._drill(day, minutes, self.by_id[task], "right after its lesson")
        if self.queue:
            return self._lesson(day, minutes)
        # Every lesson is placed, so every task is eligible by now. Stride scheduling: each task's
        # share of drills is proportional to its priority, so the weakest, heaviest tasks come back
        # most often; ties go to the higher-priority task.
        task = min(self.eligible, key=self._stride)
        t = self.by_id[task]
        if t.mastered:
            why = "kept warm: mastered, so drilled rarely"
        else:
            why = f"drills go to tasks in proportion to their priority (this one is #{self.rank[task]})"
        return self._drill(day, minutes, t, why)

    def _stride(self, task: str) -> tuple[float, int]:
        share = max(self.by_id[task].priority, 1e-9)  # a fully mastered task still gets its turn, rarely
        return ((self.drills.get(task, 0) + 1) / share, self.rank[task])

    def _lesson(self, day: date, minutes: int) -> Session:
        t, lesson_id = self.queue.pop(0)
        key = lesson_id or f"study:{t.task}"
        done: list[str] = []
        for task, left in self.pending.items():
            left.discard(key)
            if not left and task not in self.eligible:
                done.append(task)
        for task in sorted(done, key=self.rank.__getitem__):
            self.eligible.append(task)
        if done:
            self.forced = min(done, key=self.rank.__getitem__)
        why = (
            f"priority #{self.rank[t.task]} of {len(self.tasks)}: domain {t.domain} weighs {t.weight}%, "
            f"{_evidence(t)} (weakness {t.weakness:.2f})"
        )
        if lesson_id is None:
            title = f"Study {t.task}: {t.title}"
            why += "; the pack has no lesson for this task yet: work from the exam guide's task statement"
        else:
            title = f"Lesson {t.task}: {self.lesson_titles.get(lesson_id, lesson_id)}"
        return Session(day, SessionKind.LESSON, minutes, title, why, t.task, t.domain, lesson_id)

    def _drill(self, day: date, minutes: int, t: TaskPriority, why: str) -> Session:
        self.drills[t.task] = self.drills.get(t.task, 0) + 1
        questions = max(1, minutes // MINUTES_PER_QUESTION)
        title = f"Drill {t.task}: {t.title} (~{questions} questions)"
        reason = f"{why}: domain {t.domain} weighs {t.weight}%, {_evidence(t)}; practice mode with instant feedback"
        return Session(day, SessionKind.DRILL, minutes, title, reason, t.task, t.domain)

    def unplaced(self) -> list[str]:
        return sorted({t.task for t, _ in self.queue}, key=self.rank.__getitem__)


def _blocks(minutes: int, size: int) -> list[int]:
    out = []
    while minutes >= MIN_BLOCK_MINUTES:
        block = min(size, minutes)
        out.append(block)
        minutes -= block
    return out


def _review(day: date, minutes: int, due: Mapping[date, int]) -> Session:
    if day in due:
        reason = f"daily review: {due[day]} cards due; short and every study day, so nothing slips"
        title = f"Review: {due[day]} due cards"
    else:
        reason = "daily review of due cards and missed questions; short and every study day, so nothing slips"
        title = "Review due cards and missed questions"
    return Session(day, SessionKind.REVIEW, minutes, title, reason)


def _mock_reason(number: int, total: int, blueprint: Blueprint, taken: Sequence[MockResult]) -> str:
    reason = (
        f"full mocks spaced over the last 3 weeks, none in the final 2 days; exam conditions: "
        f"{blueprint.questions_total} questions in {blueprint.duration_minutes} minutes"
    )
    scored = [m for m in taken if m.score is not None]
    if scored:
        last = max(scored, key=lambda m: m.taken_on)
        reason += f"; your last mock: {last.score:.0%} on {last.taken_on}"
    return reason + f" (mock {number} of {total})"


def _check_inputs(
    request: PlanRequest,
    blueprint: Blueprint,
    lessons: Mapping[str, Sequence[str]],
    due_reviews: Mapping[date, int],
    mocks: Sequence[MockResult],
) -> None:
    if request.exam != blueprint.code:
        raise ValueError(f"the request is for {request.exam} but the blueprint is {blueprint.code}")
    unknown = sorted(set(lessons) - set(blueprint.task_ids))
    if unknown:
        raise ValueError(f"lessons name task(s) {', '.join(unknown)} that {blueprint.code} does not have")
    for day, count in sorted(due_reviews.items()):
        if count < 0:
            raise ValueError(f"due_reviews: a negative count ({count}) on {day}")
    for mock in mocks:
        if mock.taken_on > request.today:
            raise ValueError(f"mocks: a mock taken on {mock.taken_on}, after today ({request.today})")


def build_plan(
    request: PlanRequest,
    blueprint: Blueprint,
    mastery: Mapping[str, TaskMastery] | None = None,
    lessons: Mapping[str, Sequence[str]] | None = None,
    *,
    due_reviews: Mapping[date, int] | None = None,
    mocks: Sequence[MockResult] = (),
    lesson_titles: Mapping[str, str] | None = None,
) -> Plan:
    """Plan every day from ``request.today`` to the day before the exam.

    ``mastery`` maps task ids to what the learner knows (missing tasks: the prior); ``lessons``
    maps task ids to the lesson ids that teach them (see ``lessons_by_task``); ``due_reviews``
    maps dates to the number of cards due that day (unknown days get a 15-minute review);
    ``mocks`` lists the full mocks already taken. Raises ``ValueError`` on inconsistent inputs
    or a budget too small to hold a study day.
    """
    mastery = mastery or {}
    lessons = lessons or {}
    due = due_reviews or {}
    _check_inputs(request, blueprint, lessons, due, mocks)
    tasks = prioritise(blueprint, mastery)
    cal = build_calendar(request, due, blueprint.duration_minutes, mocks)
    filler = _Filler(tasks, lessons, lesson_titles or {})
    sessions = _assemble(request, blueprint, cal, filler, due, mocks)
    warnings = list(cal.warnings)
    left = filler.unplaced()
    if left:
        warnings.append(
            f"not enough study time for every lesson before the exam: no lesson for task(s) {', '.join(left)} "
            "(the lowest priorities); more hours a week or a later exam date would fit them"
        )
    if blueprint.retired_on is not None and request.exam_date > blueprint.retired_on:
        warnings.append(f"{blueprint.code} was retired on {blueprint.retired_on}: check that the exam is still offered")
    return Plan(
        exam=request.exam,
        exam_date=request.exam_date,
        today=request.today,
        hours_per_week=request.hours_per_week,
        sessions=tuple(sessions),
        tasks=tasks,
        warnings=tuple(warnings),
        weekly_budget_minutes=cal.weekly,
    )


def _assemble(
    request: PlanRequest,
    blueprint: Blueprint,
    cal: Calendar,
    filler: _Filler,
    due: Mapping[date, int],
    mocks: Sequence[MockResult],
) -> list[Session]:
    sessions: list[Session] = []
    total_mocks = cal.mocks_taken_in_window + len(cal.mock_days)
    debrief: int | None = None  # the number of the mock to go through on the next study day
    weakest = ", ".join(t.task for t in filler.tasks[:3])
    size = request.session_minutes
    for day in request.days():
        if day not in cal.cap:
            sessions.append(Session(day, SessionKind.REST, 0, "Rest", "day off"))
            continue
        review = cal.review[day]
        sessions.append(_review(day, review, due))
        room = cal.cap[day] - review
        if day in cal.mock_days:
            number = cal.mocks_taken_in_window + cal.mock_days.index(day) + 1
            title = f"Full mock {number} of {total_mocks}: {blueprint.code} ({blueprint.duration_minutes} min)"
            reason = _mock_reason(number, total_mocks, blueprint, mocks)
            sessions.append(Session(day, SessionKind.MOCK, blueprint.duration_minutes, title, reason))
            debrief = number
            continue
        if day in cal.final_days:
            minutes = min(room, FINAL_REVIEW_MAX_MINUTES)
            if minutes > 0:
                reason = (
                    "the last 2 days before the exam: no new material; cheat sheets, flagged and missed "
                    f"questions, and your weakest tasks ({weakest})"
                )
                sessions.append(
                    Session(day, SessionKind.FINAL_REVIEW, minutes, f"Final review for {blueprint.code}", reason)
                )
            continue
        for minutes in _blocks(room, size):
            if debrief is not None:
                title = f"Go through mock {debrief}: every missed question and its rationale"
                reason = "a mock teaches most in its review: each wrong answer, and each lucky right one"
                sessions.append(Session(day, SessionKind.DRILL, minutes, title, reason))
                debrief = None
                continue
            sessions.append(filler.next_block(day, minutes))
    return sessions
