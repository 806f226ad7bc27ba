"""Exam attempts: start, act (answer, flag, navigate...), submit, report, retake.

Every write appends to the response log and stores the new attempt state in one transaction,
with an optimistic version check: a write made against a stale state (a second tab) is refused
with ``StaleStateError`` and nothing is lost. The deadline lives in the stored state; reading an
attempt past its deadline submits it (also when the learner only comes back days later). A read
takes no write lock: only a read that finds an open attempt past its deadline opens a write
transaction, to settle it (``_settled``).

Views sent to a learner never hold the key, a rationale or the scored/unscored flag of an
exam-mode attempt before it is finished; answers come back in screen positions
(``FormItem.presentation``), so the canonical order of an ordering question is never revealed.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from certprep.content.schema import Blueprint, Question, QuestionType
from certprep.exam import attempt as machine
from certprep.exam.attempt import AttemptState, Mode, Selection, StaleStateError, Status, TransitionError
from certprep.exam.bank import ExamBank
from certprep.exam.forms import Form, assemble_form
from certprep.exam.forms import practice_exams as fixed_practice_exams
from certprep.exam.report import Report, build_report, missed_question_ids
from certprep.exam.scoring import (
    ResponseError,
    from_presented,
    is_correct,
    key_response,
    response_to_json,
    to_presented,
)
from certprep.services.cards import record_missed
from certprep.services.errors import NotFound
from certprep.store import exams as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "FIXED_FORMS",
    "AttemptConflictError",
    "ExamRequestError",
    "StartRequest",
    "act",
    "attempt_report",
    "attempt_view",
    "list_attempts",
    "practice_exams",
    "retake_missed",
    "start_exam",
]

FIXED_FORMS = 6
ACTIONS = ("answer", "clear", "flag", "unflag", "navigate", "pause", "resume", "submit")


class ExamRequestError(ValueError):
    """A request that cannot be met (unknown exam, no questions left, bad action): a 4xx."""


class AttemptConflictError(ExamRequestError):
    """A request the attempt's state does not allow yet (a report before submitting): a 409."""


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


# --- content access -----------------------------------------------------------------------------


def _blueprint(app: Certprep, exam: str) -> Blueprint:
    bp = app.pack.blueprints.get(exam)
    if bp is None:
        raise ExamRequestError(f"unknown exam {exam!r}; known: {', '.join(sorted(app.pack.blueprints))}")
    return bp


def _bank(app: Certprep, exam: str) -> ExamBank:
    key = ("bank", exam)
    if key not in app.cache:
        app.cache[key] = ExamBank.build(app.pack.questions_for(exam), _blueprint(app, exam))
    bank: ExamBank = app.cache[key]
    return bank


def _fixed_forms(app: Certprep, exam: str) -> list[Form]:
    key = ("fixed", exam)
    if key not in app.cache:
        app.cache[key] = fixed_practice_exams(app.pack.questions_for(exam), _blueprint(app, exam))
    forms: list[Form] = app.cache[key]
    return forms


def _questions(app: Certprep, conn: Connection, form: Form) -> dict[str, Question]:
    """The questions of a form at the revisions the form was built with. Revisions that are no
    longer the pack's are read from the database once (a revision never changes)."""
    out: dict[str, Question] = {}
    missing: list[tuple[str, int]] = []
    current = app.pack.questions_by_id
    for item in form.items:
        q = current.get(item.question_id)
        if q is not None and q.revision == item.revision:
            out[q.id] = q
        else:
            missing.append((item.question_id, item.revision))
    if missing:
        cache: dict[tuple[str, int], Question] = app.cache.setdefault("revisions", {})
        need = [k for k in missing if k not in cache]
        if need:
            for key, body in repo.load_revisions(conn, need).items():
                cache[key] = Question.model_validate(body)
        for key in missing:
            if key not in cache:
                raise LookupError(f"question {key[0]} revision {key[1]} is not in the database")
            out[key[0]] = cache[key]
    return out


# --- starting -----------------------------------------------------------------------------------


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


def _validate(req: StartRequest, bp: Blueprint) -> None:
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
        return _fixed_forms(app, req.exam)[req.form - 1]
    history = repo.question_history(conn, user_id)
    if req.selection == Selection.ASSEMBLED:
        return assemble_form(
            _bank(app, req.exam),
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
        Selection.CUSTOM: "Custom practice",
    }
    scope = " ".join([*(f"task {t}" for t in req.tasks), *(f"domain {d}" for d in req.domains if not req.tasks)])
    title = f"{titles.get(Selection(req.selection), 'Practice')} {bp.code}" + (f" ({scope})" if scope else "")
    return assemble_form(pool, bp, n, rng, preference=history.seen, domains=domains, title=title)


def _time_limit(req: StartRequest, bp: Blueprint, form: Form) -> timedelta | None:
    if req.time_limit_minutes is not None:
        return timedelta(minutes=req.time_limit_minutes)
    if req.mode == Mode.EXAM:
        # Full length gets the published time; a shorter exam-mode set gets the same pace.
        seconds = bp.duration_minutes * 60 * len(form) / bp.questions_total
        return timedelta(seconds=round(seconds))
    return None


def start_exam(app: Certprep, user_id: int, req: StartRequest, *, now: datetime, rng: random.Random) -> dict[str, Any]:
    """Create an attempt and return its learner view."""
    bp = _blueprint(app, req.exam)
    _validate(req, bp)
    with app.transaction() as conn:
        form = _build_form(app, conn, user_id, req, bp, rng)
        return _create(app, conn, user_id, req, bp, form, now, rng)


# --- acting -------------------------------------------------------------------------------------


def _event(kind: str, now: datetime, **fields: Any) -> dict[str, Any]:
    return {"event": kind, "recorded_at": now, **fields}


def _load(conn: Connection, user_id: int, attempt_id: str) -> tuple[dict[str, Any], AttemptState]:
    row = repo.get_attempt(conn, user_id, attempt_id)
    if row is None:
        raise NotFound("attempt")
    return row, AttemptState.from_dict(row["state"], form=Form.from_dict(row["form"]))


def _finish_events(
    app: Certprep, conn: Connection, state: AttemptState, questions: Mapping[str, Question], now: datetime
) -> list[dict[str, Any]]:
    """Graded events written when an attempt ends: every item of an exam; practice grades as it goes."""
    events = []
    if state.mode is Mode.EXAM:
        for index, item in enumerate(state.form.items):
            if item.question_id in state.answers:
                ok = is_correct(questions[item.question_id], state.answers[item.question_id])
                events.append(_graded(index, item.question_id, item.revision, ok, now))
    kind = "expire" if state.status is Status.EXPIRED else "submit"
    events.append(_event(kind, now))
    return events


def _graded(index: int, question_id: str, revision: int, ok: bool, now: datetime) -> dict[str, Any]:
    return _event("graded", now, item_index=index, question_id=question_id, question_revision=revision, correct=ok)


def _store(
    app: Certprep,
    conn: Connection,
    row: dict[str, Any],
    before: AttemptState,
    after: AttemptState,
    events: list[dict[str, Any]],
    now: datetime,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "state": after.to_dict(with_form=False),
        "version": after.version,
        "status": after.status.value,
    }
    if after.deadline != before.deadline:
        values["deadline"] = after.deadline
    if before.is_open and not after.is_open:
        questions = _questions(app, conn, after.form)
        report = build_report(after, questions, app.pack.blueprints[after.form.exam])
        events = events + _finish_events(app, conn, after, questions, now)
        values.update(
            submitted_at=after.finished_at,
            raw_score=report.raw_correct,
            raw_max=report.raw_max,
            scaled_score=report.scaled_score,
            passed=report.passed,
            summary={
                "question_count": len(after.form),
                "domains": {d.id: [d.correct, d.total] for d in report.domains},
                "seconds": [round(item.seconds, 1) for item in report.items],
            },
        )
    if not repo.update_attempt(conn, row["id"], before.version, values):
        raise StaleStateError(before.version, before.version + 1)
    repo.append_events(conn, row["id"], row["user_id"], events)
    for event in events:  # a question answered wrong in any mode comes back on the review schedule
        if event["event"] == "graded" and event["correct"] is False:
            record_missed(conn, row["user_id"], event["question_id"], now)
    row.update(values)
    return row


def _refresh(app: Certprep, conn: Connection, row: dict[str, Any], state: AttemptState, now: datetime) -> AttemptState:
    """Submit at the deadline when it has passed (reads do this too).

    Two requests may find the deadline passed at once (on PostgreSQL both read the open attempt):
    the one whose write finds the version moved reads what the other stored instead of refusing a
    mere read."""
    expired = machine.expire_if_due(state, now)
    if expired is state:
        return state
    try:
        _store(app, conn, row, state, expired, [], now)
    except StaleStateError:
        stored = repo.get_attempt(conn, int(row["user_id"]), str(row["id"]), form=False)
        if stored is None:
            raise NotFound("attempt") from None
        row.update(stored)
        again = AttemptState.from_dict(stored["state"], form=state.form)
        if machine.expire_if_due(again, now) is not again:  # still open: not a race we can settle here
            raise
        return again
    return expired


def _due(state: AttemptState, now: datetime) -> bool:
    """The attempt is open and its deadline has passed: only a write settles it."""
    return machine.expire_if_due(state, now) is not state


@contextmanager
def _settled(
    app: Certprep, user_id: int, attempt_id: str, now: datetime
) -> Iterator[tuple[Connection, dict[str, Any], AttemptState]]:
    """The user's attempt as it stands at ``now``, with a connection for the caller's reads.

    A plain read, no write lock; only when the attempt is open past its deadline, a write
    transaction that reads it again and submits it first (``_refresh``)."""
    with app.engine.connect() as conn:
        row, state = _load(conn, user_id, attempt_id)
        if not _due(state, now):
            yield conn, row, state
            return
    with app.transaction() as conn:
        row, state = _load(conn, user_id, attempt_id)
        yield conn, row, _refresh(app, conn, row, state, now)


def attempt_view(app: Certprep, user_id: int, attempt_id: str, *, now: datetime) -> dict[str, Any]:
    """The learner's view of an attempt (auto-submits it if its deadline has passed)."""
    with _settled(app, user_id, attempt_id, now) as (conn, row, state):
        return _view(app, conn, row, state, now)


def _item_index(state: AttemptState, action: Mapping[str, Any]) -> int:
    raw = action.get("index", state.current)
    if not isinstance(raw, int) or isinstance(raw, bool) or not 0 <= raw < len(state.form):
        raise ExamRequestError(f"index must be a question number from 0 to {len(state.form) - 1}")
    return raw


def act(
    app: Certprep,
    user_id: int,
    attempt_id: str,
    action: Mapping[str, Any],
    *,
    expected_version: int,
    now: datetime,
) -> dict[str, Any]:
    """Apply one learner action and return the new view.

    ``action`` is ``{"type": ACTION, ...}``: answer ``{index, response}`` (screen positions: an
    int for single, a list for multiple and ordering, ``{prompt: position}`` for matching), clear
    / flag / unflag ``{index}``, navigate ``{index}``, pause, resume, submit.
    """
    kind = action.get("type")
    if kind not in ACTIONS:
        raise ExamRequestError(f"unknown action {kind!r}; one of: {', '.join(ACTIONS)}")
    with app.transaction() as conn:
        row, state = _load(conn, user_id, attempt_id)
        state = _refresh(app, conn, row, state, now)
        if state.is_open:
            view = _apply(app, conn, row, state, action, expected_version=expected_version, now=now)
    if not state.is_open:  # raised after the transaction committed, so that an expiry found here is kept
        raise machine.AttemptClosedError("this attempt is finished; its report is ready")
    return view


def _transition(
    app: Certprep,
    conn: Connection,
    state: AttemptState,
    action: Mapping[str, Any],
    *,
    expected_version: int,
    now: datetime,
) -> tuple[AttemptState, list[dict[str, Any]]]:
    """The new state and the events to log for ``action`` (nothing is written)."""
    kind = action["type"]
    if expected_version != state.version:
        raise StaleStateError(expected_version, state.version)
    events: list[dict[str, Any]] = []
    if kind in ("answer", "clear", "flag", "unflag", "navigate"):
        index = _item_index(state, action)
        item = state.form.items[index]
        base = {"item_index": index, "question_id": item.question_id, "question_revision": item.revision}
    if kind == "answer":
        questions = _questions(app, conn, Form(state.form.exam, state.form.blueprint_revision, (item,)))
        question = questions[item.question_id]
        if state.paused:  # the state comes before the shape of the answer: say "paused", not "invalid"
            raise TransitionError("this attempt is paused; resume it first")
        try:
            canonical = from_presented(item.type, item.presentation, action.get("response"))
            new = machine.answer(state, question, canonical, now=now, expected_version=expected_version)
        except ResponseError as exc:
            raise ExamRequestError(f"invalid answer: {exc}") from exc
        payload = response_to_json(new.answers[item.question_id]) if item.question_id in new.answers else None
        events.append(_event("answer", now, payload=payload, **base))
        if new.mode is Mode.PRACTICE and new.is_open:
            events.append(_graded(index, item.question_id, item.revision, is_correct(question, canonical), now))
    elif kind == "clear":
        new = machine.clear(state, item.question_id, now=now, expected_version=expected_version)
        events.append(_event("clear", now, **base))
    elif kind == "flag":
        new = machine.flag(state, item.question_id, now=now, expected_version=expected_version)
        events.append(_event("flag", now, **base))
    elif kind == "unflag":
        new = machine.unflag(state, item.question_id, now=now, expected_version=expected_version)
        events.append(_event("unflag", now, **base))
    elif kind == "navigate":
        new = machine.navigate(state, index, now=now, expected_version=expected_version)
        events.append(_event("navigate", now, **base))
    elif kind == "pause":
        new = machine.pause(state, now=now, expected_version=expected_version)
        events.append(_event("pause", now))
    elif kind == "resume":
        new = machine.resume(state, now=now, expected_version=expected_version)
        events.append(_event("resume", now))
    else:
        new = machine.submit(state, now=now, expected_version=expected_version)
    return new, events


def _apply(
    app: Certprep,
    conn: Connection,
    row: dict[str, Any],
    state: AttemptState,
    action: Mapping[str, Any],
    *,
    expected_version: int,
    now: datetime,
) -> dict[str, Any]:
    new, events = _transition(app, conn, state, action, expected_version=expected_version, now=now)
    _store(app, conn, row, state, new, events, now)
    return _view(app, conn, row, new, now)


# --- views --------------------------------------------------------------------------------------


def _choices(q: Question, presentation: Sequence[int]) -> list[str]:
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        texts = [o.text for o in q.options]
    elif q.type is QuestionType.ORDERING:
        texts = [s.text for s in (*q.steps, *q.distractor_steps)]
    else:
        texts = list(q.responses)
    return [texts[i] for i in presentation]


def _rationales(q: Question, presentation: Sequence[int]) -> list[str | None]:
    if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        parts: list[Any] = list(q.options)
    elif q.type is QuestionType.ORDERING:
        parts = [*q.steps, *q.distractor_steps]
    else:
        by_text: dict[str, Any] = {}
        for pair in q.pairs:
            by_text.setdefault(pair.response, pair)
        for extra in q.extra_responses:
            by_text.setdefault(extra.text, extra)
        parts = [by_text[t] for t in q.responses]
    return [parts[i].rationale for i in presentation]


def _presented_json(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return {str(k): v for k, v in sorted(value.items())}
    return value


def _question_view(app: Certprep, q: Question, state: AttemptState, index: int) -> dict[str, Any]:
    item = state.form.items[index]
    view: dict[str, Any] = {
        "index": index,
        "number": index + 1,
        "id": q.id,
        "revision": item.revision,
        "type": q.type.value,
        "stem": q.stem,
        "choices": _choices(q, item.presentation),
        "flagged": q.id in state.flags,
        "response": None,
        "case": None,
    }
    if q.type is QuestionType.MULTIPLE:
        view["select"] = len(q.correct_indexes)
    if q.type is QuestionType.ORDERING:
        view["steps_to_order"] = len(q.steps) if q.distractor_steps else None
    if q.type is QuestionType.MATCHING:
        view["prompts"] = [p.prompt for p in q.pairs]
    if q.case_id:
        case = app.pack.case_study(q.case_id) if any(c.id == q.case_id for c in app.pack.case_studies) else None
        if case is not None:
            view["case"] = {"id": case.id, "title": case.title, "scenario": case.scenario}
    if q.id in state.answers:
        view["response"] = _presented_json(to_presented(item.presentation, state.answers[q.id]))
        if state.feedback_allowed:
            view["feedback"] = {
                "correct": is_correct(q, state.answers[q.id]),
                "key": _presented_json(to_presented(item.presentation, key_response(q))),
                "rationales": _rationales(q, item.presentation),
                "references": [{"title": r.title, "url": str(r.url)} for r in q.references],
            }
    return view


def _view(
    app: Certprep, conn: Connection, row: Mapping[str, Any], state: AttemptState, now: datetime
) -> dict[str, Any]:
    left = machine.remaining(state, now)
    view: dict[str, Any] = {
        "id": row["id"],
        "exam": state.form.exam,
        "title": row["title"],
        "mode": state.mode.value,
        "selection": state.selection.value,
        "status": state.status.value,
        "version": state.version,
        "started_at": state.started_at.isoformat(),
        "deadline": state.deadline.isoformat() if state.deadline else None,
        "seconds_left": None if left is None else max(0, int(left.total_seconds())),
        "paused": state.paused,
        "current": state.current,
        "count": len(state.form),
        "answered": len(state.answers),
        "palette": [
            {
                "index": i,
                "number": i + 1,
                "answered": item.question_id in state.answers,
                "flagged": item.question_id in state.flags,
                # seen: it has been on screen (time is charged when the learner moves away)
                "seen": i == state.current or item.question_id in state.time_spent,
            }
            for i, item in enumerate(state.form.items)
        ],
        "question": None,
    }
    if state.is_open:
        questions = _questions(
            app, conn, Form(state.form.exam, state.form.blueprint_revision, (state.form.items[state.current],))
        )
        view["question"] = _question_view(app, questions[state.current_question_id], state, state.current)
    return view


# --- reports and lists --------------------------------------------------------------------------


def _report(app: Certprep, conn: Connection, state: AttemptState) -> Report:
    return build_report(state, _questions(app, conn, state.form), app.pack.blueprints[state.form.exam])


def attempt_report(app: Certprep, user_id: int, attempt_id: str, *, now: datetime) -> dict[str, Any]:
    """The score report and full review of a finished attempt."""
    with _settled(app, user_id, attempt_id, now) as (conn, row, state):
        if state.is_open:
            raise AttemptConflictError("the attempt is still in progress; submit it to see its report")
        data = _report(app, conn, state).to_dict()
        data["id"] = row["id"]
        return data


def retake_missed(
    app: Certprep, user_id: int, attempt_id: str, *, now: datetime, rng: random.Random, mode: str = "practice"
) -> dict[str, Any]:
    """A new attempt made of the questions missed (wrong or unanswered) in a finished attempt."""
    with _settled(app, user_id, attempt_id, now) as (conn, row, state):
        if state.is_open:
            raise AttemptConflictError("submit the attempt before retaking what you missed")
        missed = set(missed_question_ids(_report(app, conn, state)))
    if not missed:
        raise AttemptConflictError("nothing was missed in this attempt")
    bp = _blueprint(app, state.form.exam)
    pool = [q for q in app.pack.questions_for(bp.code) if q.id in missed]
    if not pool:
        raise AttemptConflictError("the questions missed in this attempt are no longer in the question bank")
    req = StartRequest(exam=bp.code, selection=Selection.MISSED.value, mode=mode, count=len(pool))
    _validate(req, bp)
    with app.transaction() as conn:
        domains = tuple(sorted({bp.domain_of(e.task).id for q in pool for e in q.exams if e.exam == bp.code}))
        form = assemble_form(pool, bp, len(pool), rng, domains=domains, title=f"Retake of missed: {row['title']}")
        return _create(app, conn, user_id, req, bp, form, now, rng)


def _create(
    app: Certprep,
    conn: Connection,
    user_id: int,
    req: StartRequest,
    bp: Blueprint,
    form: Form,
    now: datetime,
    rng: random.Random,
) -> dict[str, Any]:
    state = machine.start_attempt(
        form, mode=req.mode, now=now, time_limit=_time_limit(req, bp, form), selection=req.selection
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
    repo.append_events(conn, attempt_id, user_id, [_event("start", now, payload={"selection": req.selection})])
    return _view(app, conn, row, state, now)


def list_attempts(app: Certprep, user_id: int, *, now: datetime, exam: str | None = None) -> list[dict[str, Any]]:
    """The learner's attempts, newest first (open ones past their deadline are submitted first,
    in a write transaction; the list alone is a plain read)."""
    with app.engine.connect() as conn:
        rows = repo.list_attempts(conn, user_id, exam)
    due = [r["id"] for r in rows if r["status"] == Status.IN_PROGRESS and r["deadline"] and r["deadline"] <= now]
    if due:
        with app.transaction() as conn:
            for attempt_id in due:
                row, state = _load(conn, user_id, attempt_id)
                _refresh(app, conn, row, state, now)
            rows = repo.list_attempts(conn, user_id, exam)
    return [
        {
            **{k: v for k, v in r.items() if k != "user_id"},
            "started_at": r["started_at"].isoformat(),
            "deadline": r["deadline"].isoformat() if r["deadline"] else None,
            "submitted_at": r["submitted_at"].isoformat() if r["submitted_at"] else None,
        }
        for r in rows
    ]


def practice_exams(app: Certprep, user_id: int, exam: str) -> list[dict[str, Any]]:
    """Practice Exam 1..6 of an exam with the learner's best scaled score on each."""
    bp = _blueprint(app, exam)
    with app.engine.connect() as conn:
        rows = repo.list_attempts(conn, user_id, bp.code, limit=10_000)
    out = []
    for number, form in enumerate(_fixed_forms(app, bp.code), 1):
        done = [r for r in rows if r["title"] == form.title and r["scaled_score"] is not None]
        out.append(
            {
                "number": number,
                "title": form.title,
                "questions": len(form),
                "attempts": len(done),
                "best_scaled_score": max((r["scaled_score"] for r in done), default=None),
            }
        )
    return out
