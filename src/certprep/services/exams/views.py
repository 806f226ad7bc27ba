"""The learner's view of an attempt: the palette, the clock, the question on screen.

A view never holds the key, a rationale or the scored/unscored flag of an exam-mode attempt before
it is finished; answers are given in screen positions (``FormItem.presentation``), so the
canonical order of an ordering question is never revealed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from certprep.content.schema import Question, QuestionType
from certprep.exam import attempt as machine
from certprep.exam.attempt import AttemptState
from certprep.exam.forms import Form, choice_rationales, choice_texts
from certprep.exam.report import Reference
from certprep.exam.scoring import is_correct, key_response, to_presented
from certprep.services.exams.content import form_questions
from certprep.services.exams.schemas import AttemptView, CaseView, FeedbackView, QuestionView
from certprep.services.exams.state import settled

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["attempt_view", "learner_view"]


def _choices(q: Question, presentation: Sequence[int]) -> list[str]:
    texts = choice_texts(q)
    return [texts[i] for i in presentation]


def _rationales(q: Question, presentation: Sequence[int]) -> list[str | None]:
    rationales = choice_rationales(q)
    return [rationales[i] for i in presentation]


def _presented_json(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return {str(k): v for k, v in sorted(value.items())}
    return value


def _case(app: Certprep, case_id: str | None) -> CaseView | None:
    if not case_id or not any(c.id == case_id for c in app.pack.case_studies):
        return None
    case = app.pack.case_study(case_id)
    return CaseView(id=case.id, title=case.title, scenario=case.scenario)


def _feedback(q: Question, state: AttemptState, presentation: Sequence[int]) -> FeedbackView | None:
    if q.id not in state.answers or not state.feedback_shown(q.id):
        return None
    return FeedbackView(
        correct=is_correct(q, state.answers[q.id]),
        key=_presented_json(to_presented(presentation, key_response(q))),
        rationales=_rationales(q, presentation),
        references=[Reference(title=r.title, url=str(r.url)) for r in q.references],
    )


def _question_view(app: Certprep, q: Question, state: AttemptState, index: int) -> QuestionView:
    item = state.form.items[index]
    answered = q.id in state.answers
    return QuestionView(
        index=index,
        number=index + 1,
        id=q.id,
        revision=item.revision,
        type=q.type.value,
        stem=q.stem,
        choices=_choices(q, item.presentation),
        flagged=q.id in state.flags,
        checked=state.feedback_shown(q.id),
        response=_presented_json(to_presented(item.presentation, state.answers[q.id])) if answered else None,
        case=_case(app, q.case_id),
        select=len(q.correct_indexes) if q.type is QuestionType.MULTIPLE else None,
        steps_to_order=(len(q.steps) if q.distractor_steps else None) if q.type is QuestionType.ORDERING else None,
        prompts=[p.prompt for p in q.pairs] if q.type is QuestionType.MATCHING else None,
        feedback=_feedback(q, state, item.presentation),
    )


def learner_view(
    app: Certprep, conn: Connection, row: Mapping[str, Any], state: AttemptState, now: datetime
) -> AttemptView:
    left = machine.remaining(state, now)
    question = None
    if state.is_open:
        questions = form_questions(
            app, conn, Form(state.form.exam, state.form.blueprint_revision, (state.form.items[state.current],))
        )
        question = _question_view(app, questions[state.current_question_id], state, state.current)
    return AttemptView(
        id=row["id"],
        exam=state.form.exam,
        title=row["title"],
        mode=state.mode.value,
        selection=state.selection.value,
        status=state.status.value,
        version=state.version,
        started_at=state.started_at,
        deadline=state.deadline,
        seconds_left=None if left is None else max(0, int(left.total_seconds())),
        paused=state.paused,
        current=state.current,
        count=len(state.form),
        answered=len(state.answers),
        # plain dicts, validated into PaletteEntry in one pass with the view (65 model
        # constructors per action otherwise)
        palette=[
            {
                "index": i,
                "number": i + 1,
                "answered": item.question_id in state.answers,
                "checked": state.feedback_shown(item.question_id),
                "flagged": item.question_id in state.flags,
                # seen: it has been on screen (time is charged when the learner moves away)
                "seen": i == state.current or item.question_id in state.time_spent,
            }
            for i, item in enumerate(state.form.items)
        ],
        question=question,
    )


def attempt_view(app: Certprep, user_id: int, attempt_id: str, *, now: datetime) -> AttemptView:
    """The learner's view of an attempt (auto-submits it if its deadline has passed)."""
    with settled(app, user_id, attempt_id, now) as (conn, row, state):
        return learner_view(app, conn, row, state, now)
