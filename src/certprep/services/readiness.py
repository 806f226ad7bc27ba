"""Readiness: the analytics dashboard and the study plan of one user for one exam.

Reads the response log (graded answers in exam and practice attempts), question reviews, and
finished attempts, turns them into the plain inputs of ``certprep.analytics`` and
``certprep.planner``, and returns their JSON-ready results. Read-only: no transaction writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from certprep.analytics.figures import DomainFigure, domain_figures
from certprep.analytics.mastery import estimate_mastery
from certprep.analytics.mistakes import QuestionTags
from certprep.analytics.observations import Observation
from certprep.analytics.progress import progress_figures
from certprep.analytics.trends import AttemptRecord, full_mocks
from certprep.content.schema import Blueprint
from certprep.planner import MockResult, PlanRequest, TaskMastery, build_plan, lessons_by_task
from certprep.services import labs as lab_service
from certprep.services.exams import ExamRequestError
from certprep.store import cards as card_store
from certprep.store import exams as exam_store

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "PlanInput",
    "UserEvidence",
    "dashboard",
    "domain_mastery",
    "every_domain_mastery",
    "evidence",
    "study_plan",
]


@dataclass(frozen=True)
class UserEvidence:
    observations: tuple[Observation, ...]
    attempts: tuple[AttemptRecord, ...]
    missed_ids: frozenset[str]
    reviewed_ids: frozenset[str]


def _blueprint(app: Certprep, exam: str) -> Blueprint:
    bp = app.pack.blueprints.get(exam)
    if bp is None:
        raise ExamRequestError(f"unknown exam {exam!r}; known: {', '.join(sorted(app.pack.blueprints))}")
    return bp


def _observations(
    app: Certprep, bp: Blueprint, graded: Sequence[Any], reviews: Sequence[Any]
) -> tuple[list[Observation], dict[str, datetime], set[str]]:
    """The answers of ``bp``'s exam as observations; when each question was last missed; and the
    questions reviewed since their last miss."""
    exam = bp.code
    questions = app.pack.questions_by_id
    observations: list[Observation] = []

    def observe(question_id: str, correct: bool, at: datetime, source: str) -> None:
        q = questions.get(question_id)
        if q is None:
            return
        for ref in q.exams:
            if ref.exam == exam:
                observations.append(
                    Observation(
                        question_id=q.id,
                        task=ref.task,
                        domain=bp.domain_of(ref.task).id,
                        exam=exam,
                        correct=correct,
                        at=at,
                        difficulty=q.difficulty,
                        source=source,  # type: ignore[arg-type]
                    )
                )

    last_wrong: dict[str, datetime] = {}
    for row in graded:
        observe(row.question_id, bool(row.correct), row.recorded_at, "exam" if row.mode == "exam" else "practice")
        if not row.correct:
            last_wrong[row.question_id] = row.recorded_at
        else:
            last_wrong.pop(row.question_id, None)
    reviewed: set[str] = set()
    for review in reviews:
        observe(review.item_id, review.rating >= 3, review.reviewed_at, "review")
        if review.item_id in last_wrong and review.reviewed_at >= last_wrong[review.item_id]:
            reviewed.add(review.item_id)
    return observations, last_wrong, reviewed


def evidence(app: Certprep, user_id: int, exam: str) -> UserEvidence:
    """Everything the analytics need about one user and exam, in one read transaction."""
    bp = _blueprint(app, exam)
    questions = app.pack.questions_by_id
    with app.engine.connect() as conn:
        graded = exam_store.graded_responses(conn, user_id)
        reviews = card_store.question_reviews(conn, user_id)
        finished = exam_store.finished_attempts(conn, user_id, exam)
    observations, last_wrong, reviewed = _observations(app, bp, graded, reviews)
    records = [
        AttemptRecord(
            attempt_id=r.id,
            exam=exam,
            mode=r.mode,
            submitted_at=r.submitted_at,
            raw_score=r.raw_score or 0,
            raw_max=r.raw_max or 0,
            question_count=(r.summary or {}).get("question_count", r.raw_max or 0),
            scaled_score=r.scaled_score,
            passed=r.passed,
            domains={d: (int(v[0]), int(v[1])) for d, v in (r.summary or {}).get("domains", {}).items()},
            seconds=tuple((r.summary or {}).get("seconds", ())),
        )
        for r in finished
        if r.raw_max
    ]
    missed = frozenset(q for q in last_wrong if q in questions and any(e.exam == exam for e in questions[q].exams))
    return UserEvidence(tuple(observations), tuple(records), missed, frozenset(reviewed & missed))


def dashboard(app: Certprep, user_id: int, exam: str, *, now: datetime) -> dict[str, Any]:
    """Mastery, predicted scaled score with interval and P(pass), readiness checklist (with the
    hands-on labs passed per domain), trends and the mistake log of ``exam`` (analytics/,
    docs/readiness.md)."""
    bp = _blueprint(app, exam)
    ev = evidence(app, user_id, exam)
    tags = {q.id: QuestionTags(concepts=q.concepts, services=q.services) for q in app.pack.questions}
    board = progress_figures(
        bp,
        observations=ev.observations,
        attempts=ev.attempts,
        tags=tags,
        missed_ids=ev.missed_ids,
        reviewed_ids=ev.reviewed_ids,
        now=now,
        lab_tasks=lab_service.lab_tasks(app, exam),
        passed_labs=lab_service.passed_labs(app, user_id),
    )
    result = board.to_dict()
    result["figures"] = [f.to_dict() for f in domain_figures(board.mastery, bp)]
    result["exam"] = exam
    result["answers"] = len(ev.observations)
    return result


def domain_mastery(app: Certprep, user_id: int, exam: str, *, now: datetime) -> tuple[DomainFigure, ...]:
    """The one figure of each domain of ``exam`` (analytics.figures): what the dashboard and the
    plan show, the same as the progress page's."""
    return every_domain_mastery(app, user_id, [exam], now=now)[exam]


def every_domain_mastery(
    app: Certprep, user_id: int, exams: Sequence[str], *, now: datetime
) -> dict[str, tuple[DomainFigure, ...]]:
    """``domain_mastery`` of several exams, from one read of the user's answers (the dashboard)."""
    bps = [_blueprint(app, exam) for exam in exams]
    with app.engine.connect() as conn:
        graded = exam_store.graded_responses(conn, user_id)
        reviews = card_store.question_reviews(conn, user_id)
    out = {}
    for bp in bps:
        observations, _, _ = _observations(app, bp, graded, reviews)
        out[bp.code] = domain_figures(estimate_mastery(observations, bp, now=now), bp)
    return out


@dataclass(frozen=True)
class PlanInput:
    exam: str
    exam_date: date
    hours_per_week: float
    days_off: frozenset[int | date] = frozenset()
    minutes_per_session: int | None = None


def study_plan(app: Certprep, user_id: int, req: PlanInput, *, now: datetime) -> Any:
    """A day-by-day plan from today to the exam, weighted by the user's current mastery."""
    bp = _blueprint(app, req.exam)
    ev = evidence(app, user_id, req.exam)
    mastery = estimate_mastery(ev.observations, bp, now=now)
    per_task = {t: TaskMastery(mean=e.mean, n=e.effective_n, answers=e.answers) for t, e in mastery.tasks.items()}
    with app.engine.connect() as conn:
        dues = card_store.due_dates(conn, user_id)
    due_reviews: dict[date, int] = {}
    for due in dues:
        day = max(due.date(), now.date())
        due_reviews[day] = due_reviews.get(day, 0) + 1
    mocks = tuple(
        MockResult(taken_on=a.submitted_at.date(), score=a.raw_score / a.raw_max) for a in full_mocks(ev.attempts, bp)
    )
    try:
        request = PlanRequest(
            exam=req.exam,
            exam_date=req.exam_date,
            today=now.date(),
            hours_per_week=req.hours_per_week,
            days_off=req.days_off,
            minutes_per_session=req.minutes_per_session,
        )
        return build_plan(
            request,
            bp,
            per_task,
            lessons_by_task(app.pack.lessons, req.exam),
            due_reviews=due_reviews,
            mocks=mocks,
            lesson_titles={lesson.id: lesson.title for lesson in app.pack.lessons},
        )
    except ValueError as exc:
        raise ExamRequestError(str(exc)) from exc
