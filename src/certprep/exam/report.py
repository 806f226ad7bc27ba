"""The score report of a finished attempt, shaped like AWS's, plus the full review.

Only here are the unscored items identified (``ReviewItem.scored``). Domain and task results use
the scored items only, like the official report; the review lists every item.
docs/scoring.md documents the estimate and the "meets / needs improvement" threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from certprep.content.schema import Blueprint, Question, QuestionType
from certprep.exam.attempt import AttemptState, Status
from certprep.exam.scoring import (
    cut_percent,
    is_correct,
    is_full_length,
    key_response,
    raw_score,
    response_to_json,
    scaled_score,
)

__all__ = [
    "MEETS",
    "NEEDS_IMPROVEMENT",
    "Reference",
    "Report",
    "ResponseJSON",
    "ReviewChoice",
    "ReviewItem",
    "SectionResult",
    "build_report",
    "missed_question_ids",
]

MEETS: Final = "meets"
NEEDS_IMPROVEMENT: Final = "needs improvement"

# A response in its JSON form (docs/scoring.md): single 2; multiple [0, 3]; ordering [1, 0, 2];
# matching {"0": 2, "1": 0}. Strict: true is not 1.
ResponseJSON = StrictInt | list[StrictInt] | dict[str, StrictInt]


class _Frozen(BaseModel):
    """The report is one schema: the pure value, the page's data and the JSON twin's body."""

    model_config = ConfigDict(frozen=True)


class SectionResult(_Frozen):
    """A domain or a task statement: scored items right out of scored items, and the rating.

    The rating is "meets" when ``percent`` reaches the exam's cut percent (the raw percent that
    maps to the passing score), else "needs improvement".
    """

    id: str
    title: str
    correct: int
    total: int
    percent: float
    rating: Literal["meets", "needs improvement"]


class Reference(_Frozen):
    title: str
    url: str


class ReviewChoice(_Frozen):
    """One option / step / matching pair or extra response of a reviewed question.

    - single, multiple: ``in_key`` = a correct option, ``chosen`` = the learner picked it.
    - ordering: ``key_position`` = its place in the right order (1-based; None for a distractor),
      ``chosen_position`` = the place the learner gave it (None: left out).
    - matching: ``text`` is the prompt, ``key_match`` its right response, ``chosen_match`` the
      learner's; an extra response (matches no prompt) has ``in_key`` False and no prompt fields.
    """

    text: str
    rationale: str | None
    in_key: bool
    chosen: bool
    key_position: int | None = None
    chosen_position: int | None = None
    key_match: str | None = None
    chosen_match: str | None = None


class ReviewItem(_Frozen):
    number: int = Field(description="1-based position on the form.")
    question_id: str
    revision: int
    type: str
    domain: str
    task: str
    case_id: str | None
    scored: bool
    stem: str
    answered: bool
    correct: bool
    flagged: bool
    seconds: float
    response: ResponseJSON | None = Field(description="In canonical indexes (docs/scoring.md); null when unanswered.")
    key: ResponseJSON = Field(description="The correct response, in canonical indexes.")
    choices: tuple[ReviewChoice, ...]
    references: tuple[Reference, ...]


class Report(_Frozen):
    """The score report of a finished attempt, and every question for review."""

    exam: str
    title: str
    mode: str
    selection: str
    status: str
    full_length: bool = Field(description="Exam mode with the exam's full question count (scoring.is_full_length).")
    passed: bool | None = Field(description="Null unless full_length: a short attempt is n of m right, no verdict.")
    scaled_score: int | None = Field(description="Null unless full_length.")
    scaled_is_estimate: bool = Field(description="Always true: AWS publishes no raw-to-scaled mapping.")
    passing_score: int
    score_min: int
    score_max: int
    raw_correct: int
    raw_max: int
    raw_percent: float
    cut_percent: float
    domains: tuple[SectionResult, ...]
    tasks: tuple[SectionResult, ...]
    answered: int
    unanswered: int
    flagged: tuple[str, ...]
    seconds_total: float = Field(description="Time with a question on screen.")
    seconds_elapsed: float = Field(description="Start to finish, pauses left out.")
    items: tuple[ReviewItem, ...]

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_json(self) -> str:
        return self.model_dump_json()


def _choices(question: Question, response: Any, presentation: Sequence[int]) -> tuple[ReviewChoice, ...]:
    """The choices in the order the attempt showed them (``presentation``), so that the review's
    letters are the runner's; matching prompts keep their order, extra responses follow the
    responses' screen order."""
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        picked = {response} if isinstance(response, int) else set(response or ())
        options = question.options
        return tuple(
            ReviewChoice(
                text=options[i].text, rationale=options[i].rationale, in_key=options[i].correct, chosen=i in picked
            )
            for i in presentation
        )
    if question.type is QuestionType.ORDERING:
        order = list(response or ())
        steps = [*question.steps, *question.distractor_steps]
        real = len(question.steps)
        return tuple(
            ReviewChoice(
                text=s.text,
                rationale=s.rationale,
                in_key=k < real,
                chosen=k in order,
                key_position=k + 1 if k < real else None,
                chosen_position=order.index(k) + 1 if k in order else None,
            )
            for k, s in ((k, steps[k]) for k in presentation)
        )
    matches = dict(response or {})
    responses = question.responses
    used = set(matches.values())
    pairs = tuple(
        ReviewChoice(
            text=p.prompt,
            rationale=p.rationale,
            in_key=True,
            chosen=i in matches,
            key_match=p.response,
            chosen_match=responses[matches[i]] if i in matches else None,
        )
        for i, p in enumerate(question.pairs)
    )
    extra_by_text = {e.text: e for e in question.extra_responses}
    shown = [responses[i] for i in presentation if responses[i] in extra_by_text]
    extras = tuple(
        ReviewChoice(
            text=text,
            rationale=extra_by_text[text].rationale,
            in_key=False,
            chosen=responses.index(text) in used,
        )
        for text in shown
    )
    return pairs + extras


def _rating(percent: float, cut: float) -> Literal["meets", "needs improvement"]:
    return MEETS if percent >= cut else NEEDS_IMPROVEMENT


def build_report(state: AttemptState, questions_by_id: Mapping[str, Question], blueprint: Blueprint) -> Report:
    """The report of a submitted or expired attempt.

    ``questions_by_id`` must hold every question of the form, at the revision the form names
    (certprep keeps every revision), or the key could be the wrong one: a mismatch is a ValueError.
    """
    if state.status is Status.IN_PROGRESS:
        raise ValueError("the attempt is still in progress; submit it first")
    form = state.form
    if form.exam != blueprint.code:
        raise ValueError(f"the form is for {form.exam}, not {blueprint.code}")
    for item in form.items:
        q = questions_by_id.get(item.question_id)
        if q is None:
            raise ValueError(f"question {item.question_id!r} of the form is missing")
        if q.revision != item.revision:
            raise ValueError(
                f"question {item.question_id!r} is at revision {q.revision}; the form used {item.revision}"
            )

    cut = float(cut_percent(blueprint))
    raw = raw_score(form, questions_by_id, state.answers)
    full = is_full_length(state.mode.value, len(form), blueprint)
    # nothing scored cannot come from assemble_form; report the bottom of the scale anyway
    scaled = scaled_score(raw.correct, raw.max_raw, blueprint) if raw.max_raw else blueprint.score_min

    items: list[ReviewItem] = []
    by_domain: dict[str, list[bool]] = {}
    by_task: dict[str, list[bool]] = {}
    for number, item in enumerate(form.items, start=1):
        q = questions_by_id[item.question_id]
        response = state.answers.get(item.question_id)
        right = is_correct(q, response)
        if item.scored:
            by_domain.setdefault(item.domain, []).append(right)
            by_task.setdefault(item.task, []).append(right)
        items.append(
            ReviewItem(
                number=number,
                question_id=q.id,
                revision=q.revision,
                type=q.type.value,
                domain=item.domain,
                task=item.task,
                case_id=item.case_id,
                scored=item.scored,
                stem=q.stem,
                answered=response is not None,
                correct=right,
                flagged=item.question_id in state.flags,
                seconds=state.time_spent.get(item.question_id, 0.0),
                response=None if response is None else response_to_json(response),
                key=response_to_json(key_response(q)),
                choices=_choices(q, response, item.presentation),
                references=tuple(Reference(title=r.title, url=str(r.url)) for r in q.references),
            )
        )

    def section(id_: str, title: str, results: list[bool]) -> SectionResult:
        percent = 100.0 * sum(results) / len(results)
        return SectionResult(
            id=id_,
            title=title,
            correct=sum(results),
            total=len(results),
            percent=percent,
            rating=_rating(percent, cut),
        )

    domains = tuple(section(d.id, d.title, by_domain[d.id]) for d in blueprint.domains if d.id in by_domain)
    tasks = tuple(section(t.id, t.title, by_task[t.id]) for d in blueprint.domains for t in d.tasks if t.id in by_task)
    finished = state.finished_at or state.started_at
    elapsed = max((finished - state.started_at).total_seconds() - state.paused_seconds, 0.0)
    answered = sum(1 for qid in form.question_ids if qid in state.answers)
    return Report(
        exam=form.exam,
        title=form.title,
        mode=state.mode.value,
        selection=state.selection.value,
        status=state.status.value,
        full_length=full,
        passed=(raw.max_raw > 0 and scaled >= blueprint.passing_score) if full else None,
        scaled_score=scaled if full else None,
        scaled_is_estimate=True,
        passing_score=blueprint.passing_score,
        score_min=blueprint.score_min,
        score_max=blueprint.score_max,
        raw_correct=raw.correct,
        raw_max=raw.max_raw,
        raw_percent=raw.percent,
        cut_percent=cut,
        domains=domains,
        tasks=tasks,
        answered=answered,
        unanswered=len(form) - answered,
        flagged=tuple(qid for qid in form.question_ids if qid in state.flags),
        seconds_total=sum(state.time_spent.values()),
        seconds_elapsed=elapsed,
        items=tuple(items),
    )


def missed_question_ids(report: Report) -> tuple[str, ...]:
    """Every question answered wrong or left unanswered, in form order, scored or not (the learner
    never knew which were unscored): the input of "retake what I missed"."""
    return tuple(item.question_id for item in report.items if not item.correct)
