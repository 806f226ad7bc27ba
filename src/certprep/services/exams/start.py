"""Starting an attempt: what a learner asks for (``StartRequest``), the form that answers it
(a fixed practice exam, a freshly assembled one, a drill or a selection from the learner's
history), the retake of what was missed, and the list of Practice Exams 1..6.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from certprep.content.schema import Blueprint, Question
from certprep.exam import attempt as machine
from certprep.exam.attempt import Mode, Selection, Status
from certprep.exam.forms import Form, assemble_form
from certprep.exam.report import missed_question_ids
from certprep.services.errors import NotFound
from certprep.services.exams.content import FIXED_FORMS, blueprint, exam_bank, fixed_forms
from certprep.services.exams.errors import AttemptConflictError, ExamRequestError
from certprep.services.exams.reports import build_attempt_report, refuse_unfinished, with_verdict
from certprep.services.exams.schemas import AttemptView, PracticeExam, PracticeExams
from certprep.services.exams.state import event, load, settled
from certprep.services.exams.views import learner_view
from certprep.store import exams as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["StartRequest", "practice_exams", "retake_missed", "start_exam"]


@dataclass(frozen=True)
class StartRequest:
    """What a learner asks for. ``selection`` picks the questions; ``mode`` how they are taken.

    - fixed: Practice Exam ``form`` (1..6), the full blueprint length
    - assembled: a fresh full-length form, unseen questions first
    - drill: ``domains`` and/or ``tasks``; missed / unseen / flagged: from the learner's history;
      custom: ``count``, ``domains``, ``types``
    """

    exam: str
    selection: str = "assembled"
    mode: str = "exam"
    form: int | None = None
    count: int | None = None
    time_limit_minutes: int | None = None
    domains: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    types: tuple[str, ...] = ()


def _history_flags(conn: Connection, user_id: int) -> set[str]:
    flagged: set[str] = set()
    for row in repo.flag_events(conn, user_id):
        if row.event == "flag":
            flagged.add(row.question_id)
        else:
            flagged.discard(row.question_id)
    return flagged


def _pool(app: Certprep, conn: Connection, user_id: int, req: StartRequest, bp: Blueprint) -> list[Question]:
    questions = list(app.pack.questions_for(req.exam))
    task_ids = set(bp.task_ids)
    for task in req.tasks:
        if task not in task_ids:
            raise ExamRequestError(f"{req.exam} has no task statement {task}")
    if req.tasks:
        questions = [q for q in questions if any(e.exam == req.exam and e.task in req.tasks for e in q.exams)]
    history = repo.question_history(conn, user_id)
    if req.selection == Selection.MISSED:
        questions = [q for q in questions if history.last_correct.get(q.id) is False]
    elif req.selection == Selection.UNSEEN:
        questions = [q for q in questions if q.id not in history.seen]
    elif req.selection == Selection.FLAGGED:
        flagged = _history_flags(conn, user_id)
        questions = [q for q in questions if q.id in flagged]
    return questions


def validate(req: StartRequest, bp: Blueprint) -> None:
    try:
        Mode(req.mode)
        Selection(req.selection)
    except ValueError as exc:
        raise ExamRequestError(str(exc)) from exc
    domain_ids = {d.id for d in bp.domains}
    for d in req.domains:
        if d not in domain_ids:
            raise ExamRequestError(f"{bp.code} has no domain {d}")
    for t in req.types:
        if t not in bp.question_types or t == "case_study":
            raise ExamRequestError(f"{bp.code} has no question type {t!r}")
    if req.count is not None and not 1 <= req.count <= 200:
        raise ExamRequestError("count must be between 1 and 200")
    if req.time_limit_minutes is not None and not 1 <= req.time_limit_minutes <= 600:
        raise ExamRequestError("the time limit must be between 1 and 600 minutes")


def _build_form(
    app: Certprep, conn: Connection, user_id: int, req: StartRequest, bp: Blueprint, rng: random.Random
) -> Form:
    if req.selection == Selection.FIXED:
        if req.form is None or not 1 <= req.form <= FIXED_FORMS:
            raise ExamRequestError(f"choose a practice exam from 1 to {FIXED_FORMS}")
        return fixed_forms(app, req.exam)[req.form - 1]
    history = repo.question_history(conn, user_id)
    if req.selection == Selection.ASSEMBLED:
        return assemble_form(
            exam_bank(app, req.exam),
            bp,
            bp.questions_total,
            rng,
            preference=history.seen,
            unscored=bp.questions_unscored,
            title=f"Random {bp.code} exam",
        )
    pool = _pool(app, conn, user_id, req, bp)
    if req.domains:
        pool = [q for q in pool if any(e.exam == bp.code and bp.domain_of(e.task).id in req.domains for e in q.exams)]
    if req.types:
        pool = [q for q in pool if q.type.value in req.types]
    if not pool:
        raise ExamRequestError(f"no {req.selection} questions match this request")
    n = min(req.count or 20, len(pool))
    domains = req.domains or tuple(
        sorted({bp.domain_of(e.task).id for q in pool for e in q.exams if e.exam == bp.code})
    )
    titles = {
        Selection.DRILL: "Drill",
        Selection.MISSED: "Missed questions",
        Selection.UNSEEN: "Unseen questions",
        Selection.FLAGGED: "Flagged questions",
        Selection.CUSTOM: "Custom exam" if req.mode == Mode.EXAM else "Custom practice",
    }
    scope = " ".join([*(f"task {t}" for t in req.tasks), *(f"domain {d}" for d in req.domains if not req.tasks)])
    title = f"{titles.get(Selection(req.selection), 'Practice')} {bp.code}" + (f" ({scope})" if scope else "")
    return assemble_form(pool, bp, n, rng, preference=history.seen, domains=domains, title=title)


def time_limit(req: StartRequest, bp: Blueprint, form: Form) -> timedelta | None:
    if req.time_limit_minutes is not None:
        return timedelta(minutes=req.time_limit_minutes)
    if req.mode == Mode.EXAM:
        # Full length gets the published time; a shorter exam-mode set gets the same pace.
        seconds = bp.duration_minutes * 60 * len(form) / bp.questions_total
        return timedelta(seconds=round(seconds))
    return None


def start_exam(app: Certprep, user_id: int, req: StartRequest, *, now: datetime, rng: random.Random) -> AttemptView:
    """Create an attempt and return its learner view.

    Practice Exam N already open in the same mode is resumed, not started twice: its view comes
    back with ``resumed: True``."""
    bp = blueprint(app, req.exam)
    validate(req, bp)
    with app.transaction() as conn:
        form = _build_form(app, conn, user_id, req, bp, rng)
        if req.selection == Selection.FIXED:
            for open_row in _open_rows(conn, user_id, bp.code, now):
                if open_row["title"] == form.title and open_row["mode"] == req.mode:
                    row, state = load(app, conn, user_id, open_row["id"])
                    return learner_view(app, conn, row, state, now).model_copy(update={"resumed": True})
        return create_attempt(app, conn, user_id, req, bp, form, now, rng)


def _open_rows(conn: Connection, user_id: int, exam: str, now: datetime) -> list[dict[str, Any]]:
    """The user's attempts of ``exam`` still open at ``now`` (in progress, deadline not passed), newest first."""
    return [
        r
        for r in repo.list_attempts(conn, user_id, exam, limit=10_000)
        if r["status"] == Status.IN_PROGRESS and (r["deadline"] is None or r["deadline"] > now)
    ]


def retake_missed(
    app: Certprep, user_id: int, attempt_id: str, *, now: datetime, rng: random.Random, mode: str = "practice"
) -> AttemptView:
    """A new attempt made of the questions missed (wrong or unanswered) in a finished attempt."""
    with settled(app, user_id, attempt_id, now) as (conn, row, state):
        if state.is_open:
            raise AttemptConflictError("submit the attempt before retaking what you missed")
        refuse_unfinished(state)
        missed = set(missed_question_ids(build_attempt_report(app, conn, state)))
    if not missed:
        raise AttemptConflictError("nothing was missed in this attempt")
    bp = blueprint(app, state.form.exam)
    pool = [q for q in app.pack.questions_for(bp.code) if q.id in missed]
    if not pool:
        raise AttemptConflictError("the questions missed in this attempt are no longer in the question bank")
    req = StartRequest(exam=bp.code, selection=Selection.MISSED.value, mode=mode, count=len(pool))
    validate(req, bp)
    with app.transaction() as conn:
        domains = tuple(sorted({bp.domain_of(e.task).id for q in pool for e in q.exams if e.exam == bp.code}))
        form = assemble_form(pool, bp, len(pool), rng, domains=domains, title=f"Retake of missed: {row['title']}")
        return create_attempt(app, conn, user_id, req, bp, form, now, rng)


def create_attempt(
    app: Certprep,
    conn: Connection,
    user_id: int,
    req: StartRequest,
    bp: Blueprint,
    form: Form,
    now: datetime,
    rng: random.Random,
) -> AttemptView:
    state = machine.start_attempt(
        form, mode=req.mode, now=now, time_limit=time_limit(req, bp, form), selection=req.selection
    )
    attempt_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    row = {
        "id": attempt_id,
        "user_id": user_id,
        "exam_code": bp.code,
        "mode": state.mode.value,
        "title": form.title or bp.code,
        "status": state.status.value,
        "version": state.version,
        "state": state.to_dict(with_form=False),
        "form": form.to_dict(),
        "started_at": now,
        "deadline": state.deadline,
    }
    repo.insert_attempt(conn, row)
    repo.append_events(conn, attempt_id, user_id, [event("start", now, payload={"selection": req.selection})])
    return learner_view(app, conn, row, state, now)


def practice_exams(app: Certprep, user_id: int, exam: str, *, now: datetime) -> PracticeExams:
    """Practice Exam 1..6 of an exam with the learner's best scaled score on each, and the id of
    an exam-mode attempt at it still open (to resume rather than start again); an exam the pack
    does not have is ``NotFound``."""
    if exam not in app.pack.blueprints:
        raise NotFound("exam")
    bp = blueprint(app, exam)
    with app.engine.connect() as conn:
        rows = [with_verdict(app, r) for r in repo.list_attempts(conn, user_id, bp.code, limit=10_000)]
        open_rows = _open_rows(conn, user_id, bp.code, now)
    out = []
    for number, form in enumerate(fixed_forms(app, bp.code), 1):
        done = [r for r in rows if r["title"] == form.title and r["scaled_score"] is not None]
        resume = next((r["id"] for r in open_rows if r["title"] == form.title and r["mode"] == Mode.EXAM), None)
        out.append(
            PracticeExam(
                number=number,
                title=form.title,
                questions=len(form),
                attempts=len(done),
                best_scaled_score=max((r["scaled_score"] for r in done), default=None),
                open_attempt_id=resume,
            )
        )
    return PracticeExams(exam=bp.code, practice_exams=out)
