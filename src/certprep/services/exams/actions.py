"""Acting on an attempt: answer, check, clear, flag, unflag, navigate, pause, resume, submit,
abandon.

One action is one write transaction: the pure transition of ``exam.attempt``, the new state and
its log entries stored together (``state.store``), refused if made against a stale version.

Practice grades an answer only when the learner checks it (``check``, docs/study.md): that graded
event is the one that counts, and the question is locked from then on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from certprep.content.schema import Question, QuestionType
from certprep.exam import attempt as machine
from certprep.exam.attempt import AttemptState, StaleStateError, TransitionError
from certprep.exam.forms import Form
from certprep.exam.scoring import ResponseError, from_presented, is_correct, response_to_json
from certprep.services.exams.content import form_questions
from certprep.services.exams.errors import ExamRequestError
from certprep.services.exams.schemas import AttemptView
from certprep.services.exams.state import event, graded, load, refresh, store
from certprep.services.exams.views import learner_view

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["ACTIONS", "act"]

ACTIONS = ("answer", "check", "clear", "flag", "unflag", "navigate", "pause", "resume", "submit", "abandon")


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
) -> AttemptView:
    """Apply one learner action and return the new view.

    ``action`` is ``{"type": ACTION, ...}``: answer ``{index, response}`` (screen positions: an
    int for single, a list for multiple and ordering, ``{prompt: position}`` for matching), check
    (practice: grade, show the feedback, lock) / clear / flag / unflag ``{index}``, navigate
    ``{index}``, pause, resume, submit, abandon.
    """
    kind = action.get("type")
    if kind not in ACTIONS:
        raise ExamRequestError(f"unknown action {kind!r}; one of: {', '.join(ACTIONS)}")
    with app.transaction() as conn:
        row, state = load(app, conn, user_id, attempt_id)
        state = refresh(app, conn, row, state, now)
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
    if kind in ("answer", "check", "clear", "flag", "unflag", "navigate"):
        index = _item_index(state, action)
        item = state.form.items[index]
        base = {"item_index": index, "question_id": item.question_id, "question_revision": item.revision}
    if kind == "answer":
        questions = form_questions(app, conn, Form(state.form.exam, state.form.blueprint_revision, (item,)))
        question = questions[item.question_id]
        if state.paused:  # the state comes before the shape of the answer: say "paused", not "invalid"
            raise TransitionError("this attempt is paused; resume it first")
        try:
            canonical = from_presented(item.type, item.presentation, action.get("response"))
            new = machine.answer(state, question, canonical, now=now, expected_version=expected_version)
        except ResponseError as exc:
            raise ExamRequestError(f"invalid answer: {exc}") from exc
        payload = response_to_json(new.answers[item.question_id]) if item.question_id in new.answers else None
        events.append(event("answer", now, payload=payload, **base))
    elif kind == "check":
        question = form_questions(app, conn, Form(state.form.exam, state.form.blueprint_revision, (item,)))[
            item.question_id
        ]
        _refuse_wrong_count(state, question, index)
        new = machine.check(state, item.question_id, now=now, expected_version=expected_version)
        if new.is_open:
            events.append(event("check", now, **base))
            ok = is_correct(question, new.answers[item.question_id])
            events.append(graded(index, item.question_id, item.revision, ok, now))
    elif kind == "clear":
        new = machine.clear(state, item.question_id, now=now, expected_version=expected_version)
        events.append(event("clear", now, **base))
    elif kind == "flag":
        new = machine.flag(state, item.question_id, now=now, expected_version=expected_version)
        events.append(event("flag", now, **base))
    elif kind == "unflag":
        new = machine.unflag(state, item.question_id, now=now, expected_version=expected_version)
        events.append(event("unflag", now, **base))
    elif kind == "navigate":
        new = machine.navigate(state, index, now=now, expected_version=expected_version)
        events.append(event("navigate", now, **base))
    elif kind == "pause":
        new = machine.pause(state, now=now, expected_version=expected_version)
        events.append(event("pause", now))
    elif kind == "resume":
        new = machine.resume(state, now=now, expected_version=expected_version)
        events.append(event("resume", now))
    elif kind == "abandon":
        new = machine.abandon(state, now=now, expected_version=expected_version)
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
) -> AttemptView:
    new, events = _transition(app, conn, state, action, expected_version=expected_version, now=now)
    store(app, conn, row, state, new, events, now)
    return learner_view(app, conn, row, new, now)


def _refuse_wrong_count(state: AttemptState, question: Question, index: int) -> None:
    """A "Select N" answer is checked only with exactly N choices: checking locks the answer, so a
    half-made choice must not be graded by a slip of the finger (docs/study.md)."""
    if question.type is not QuestionType.MULTIPLE:
        return
    chosen = state.answers.get(question.id)
    needed = len(question.correct_indexes)
    if isinstance(chosen, (list, tuple, frozenset, set)) and len(chosen) != needed:
        raise ExamRequestError(
            f"question {index + 1} asks for {needed} answers and {len(chosen)} are chosen: choose {needed}, then check"
        )
