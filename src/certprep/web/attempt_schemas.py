"""Schemas of the exam API: what starts an attempt, what acts on it, and what comes back.

Output models declare every field a client may see and nothing else: a view from the service is
validated into ``AttemptView``, so a key the service might add later never leaks by accident. An
exam-mode view has no key, no rationale and no scored flag (``QuestionView.feedback`` stays null
until the attempt is finished, and then the question is gone from the view: the report has it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints, field_validator

from certprep.services.exams import StartRequest
from certprep.web.params import OneLine
from certprep.web.schemas import PracticeExamOut

__all__ = [
    "ACTION_TYPES",
    "MODES",
    "QUESTION_TYPES",
    "SELECTIONS",
    "ActionIn",
    "AttemptListOut",
    "AttemptReportOut",
    "AttemptSummaryOut",
    "AttemptView",
    "CaseOut",
    "DomainFilter",
    "ErrorOut",
    "FeedbackOut",
    "PaletteEntry",
    "PracticeExamOut",
    "PracticeExamsOut",
    "QuestionView",
    "ReferenceOut",
    "RetakeIn",
    "ReviewChoiceOut",
    "ReviewItemOut",
    "ReviewOut",
    "SectionOut",
    "StartIn",
]

MODES = ("exam", "practice")
SELECTIONS = ("fixed", "assembled", "drill", "missed", "unseen", "flagged", "custom")
QUESTION_TYPES = ("single", "multiple", "ordering", "matching")
ACTION_TYPES = ("answer", "clear", "flag", "unflag", "navigate", "pause", "resume", "submit")

Mode = Literal["exam", "practice"]
SelectionName = Literal["fixed", "assembled", "drill", "missed", "unseen", "flagged", "custom"]
QuestionTypeName = Literal["single", "multiple", "ordering", "matching"]
ShortId = Annotated[str, StringConstraints(min_length=1, max_length=16), OneLine]

# A response in screen positions (the view and actions) or canonical indexes (the report):
# single 2; multiple [0, 3]; ordering [1, 0, 2]; matching {"0": 2, "1": 0}. Strict: true is not 1.
Response = StrictInt | list[StrictInt] | dict[str, StrictInt]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorOut(_Out):
    detail: str


# --- in ---------------------------------------------------------------------------------------


class StartIn(BaseModel):
    """What to take. ``selection`` picks the questions, ``mode`` how they are taken:

    - fixed: Practice Exam ``form`` (1..6), full length; assembled: a fresh full-length exam,
      unseen questions first;
    - drill (``domains`` and/or ``tasks``), missed, unseen, flagged, custom (``count``,
      ``domains``, ``types``): ``count`` questions (default 20) from that pool.

    An exam is timed (the published time, or the same pace for a shorter set); practice is
    untimed unless ``time_limit_minutes`` is given.
    """

    model_config = ConfigDict(extra="forbid")

    exam: Annotated[str, StringConstraints(min_length=1, max_length=32), OneLine]
    selection: SelectionName = "assembled"
    mode: Mode | None = Field(
        default=None, description="Default: exam for fixed and assembled, practice for the other selections."
    )
    form: Annotated[int, Field(ge=1, le=6)] | None = None
    count: Annotated[int, Field(ge=1, le=200)] | None = None
    time_limit_minutes: Annotated[int, Field(ge=1, le=600)] | None = None
    domains: Annotated[list[ShortId], Field(max_length=20)] = []
    tasks: Annotated[list[ShortId], Field(max_length=100)] = []
    types: Annotated[list[QuestionTypeName], Field(max_length=4)] = []

    def to_request(self) -> StartRequest:
        return StartRequest(
            exam=self.exam,
            selection=self.selection,
            mode=self.mode or ("exam" if self.selection in ("fixed", "assembled") else "practice"),
            form=self.form,
            count=self.count,
            time_limit_minutes=self.time_limit_minutes,
            domains=tuple(dict.fromkeys(self.domains)),
            tasks=tuple(dict.fromkeys(self.tasks)),
            types=tuple(dict.fromkeys(self.types)),
        )


class ActionIn(BaseModel):
    """One action on an attempt, made against the ``version`` the client last saw.

    - answer ``{index, response}``: the response in screen positions (the order of ``choices``):
      single ``2``; multiple ``[0, 3]``; ordering the positions in the chosen order, steps left
      out are not used ``[3, 0, 1]``; matching ``{"prompt index": choice position}``
    - check ``{index}`` (practice): grade the stored answer, show its feedback and lock it; only
      this first graded answer counts (an answer or clear on a checked question gets 409)
    - clear, flag, unflag ``{index}``; navigate ``{index}``; pause, resume (practice); submit;
      abandon (discard the attempt: it is kept but counts in no score or figure).

    ``index`` defaults to the question on screen. A stale ``expected_version`` gets 409.
    """

    model_config = ConfigDict(extra="forbid")

    type: Literal["answer", "check", "clear", "flag", "unflag", "navigate", "pause", "resume", "submit", "abandon"]
    index: Annotated[StrictInt, Field(ge=0)] | None = None
    response: Response | None = None
    expected_version: Annotated[StrictInt, Field(ge=1)]

    def to_action(self) -> dict[str, Any]:
        action: dict[str, Any] = {"type": self.type}
        if self.index is not None:
            action["index"] = self.index
        if self.type == "answer":
            action["response"] = self.response
        return action


class RetakeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: Mode = Field(default="practice", description="practice (feedback as you go) or exam (timed).")


# --- the learner's view of an attempt -----------------------------------------------------------


class PaletteEntry(_Out):
    index: int
    number: int
    answered: bool
    checked: bool = Field(default=False, description="Practice: checked, so graded and locked.")
    flagged: bool
    seen: bool = Field(description="It has been on screen.")


class CaseOut(_Out):
    id: str
    title: str
    scenario: str = Field(description="Markdown source of the shared scenario.")


class ReferenceOut(_Out):
    title: str
    url: str


class FeedbackOut(_Out):
    """Practice mode only, once the answer is checked: right or wrong, the key and every choice's
    rationale."""

    correct: bool
    key: Response
    rationales: list[str | None] = Field(description="One per choice, in the order of `choices`.")
    references: list[ReferenceOut]


class QuestionView(_Out):
    index: int
    number: int
    id: str
    revision: int
    type: Literal["single", "multiple", "ordering", "matching"]
    stem: str = Field(description="Markdown source.")
    choices: list[str] = Field(description="Options, steps or matching responses, in screen order.")
    flagged: bool
    checked: bool = Field(
        default=False, description="Practice: the answer was checked; it is graded, locked and `feedback` is shown."
    )
    response: Response | None = Field(description="The stored answer in screen positions, or null.")
    case: CaseOut | None
    select: int | None = Field(default=None, description="multiple: how many options to choose.")
    steps_to_order: int | None = Field(
        default=None, description="ordering with extra steps: how many to put in order (the others are not used)."
    )
    prompts: list[str] | None = Field(default=None, description="matching: the prompts, each matched to a choice.")
    feedback: FeedbackOut | None = None


class AttemptView(_Out):
    """An attempt as its learner sees it; ``question`` is the one on screen (null once finished)."""

    id: str
    exam: str
    title: str
    mode: Mode
    selection: SelectionName
    status: Literal["in_progress", "submitted", "expired", "abandoned"]
    version: int = Field(description="Send it back as `expected_version` with the next action.")
    started_at: datetime
    deadline: datetime | None
    seconds_left: int | None = Field(description="From the server's deadline; null when untimed.")
    paused: bool
    current: int
    count: int
    answered: int
    palette: list[PaletteEntry]
    question: QuestionView | None
    resumed: bool = Field(
        default=False, description="Starting a practice exam already open in that mode returned the open attempt."
    )


class AttemptSummaryOut(_Out):
    id: str
    exam_code: str
    mode: str
    title: str
    status: str
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    raw_score: int | None
    raw_max: int | None
    full_length: bool = Field(
        default=False, description="A finished full mock (exam mode, full length): only these get a verdict."
    )
    scaled_score: int | None = Field(description="Estimate; full mocks only (a shorter attempt is raw n of m).")
    passed: bool | None = Field(description="Full mocks only.")


class AttemptListOut(_Out):
    attempts: list[AttemptSummaryOut]


class PracticeExamsOut(_Out):
    exam: str
    practice_exams: list[PracticeExamOut]


# --- the report and the review ------------------------------------------------------------------


class SectionOut(_Out):
    id: str
    title: str
    correct: int
    total: int
    percent: float
    rating: Literal["meets", "needs improvement"]


class ReviewChoiceOut(_Out):
    text: str
    rationale: str | None
    in_key: bool
    chosen: bool
    key_position: int | None = None
    chosen_position: int | None = None
    key_match: str | None = None
    chosen_match: str | None = None


def _references(value: Any) -> Any:
    """The report keeps references as (title, url) pairs; the API gives objects."""
    if isinstance(value, list | tuple):
        return [{"title": r[0], "url": r[1]} if isinstance(r, list | tuple) and len(r) == 2 else r for r in value]
    return value


class ReviewItemOut(_Out):
    number: int
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
    response: Response | None = Field(description="In canonical indexes (docs/scoring.md).")
    key: Response
    choices: list[ReviewChoiceOut]
    references: list[ReferenceOut]

    _refs = field_validator("references", mode="before")(_references)


class AttemptReportOut(_Out):
    """The score report of a finished attempt, and every question for review."""

    id: str
    exam: str
    title: str
    mode: str
    selection: str
    status: str
    full_length: bool = Field(description="Exam mode with the exam's full question count: only it gets a verdict.")
    passed: bool | None = Field(description="Full-length exam-mode attempts only; null for a shorter one.")
    scaled_score: int | None = Field(description="An estimate; full-length exam-mode attempts only.")
    scaled_is_estimate: bool = Field(description="Always true: AWS publishes no raw-to-scaled mapping.")
    passing_score: int
    score_min: int
    score_max: int
    raw_correct: int
    raw_max: int
    raw_percent: float
    cut_percent: float
    domains: list[SectionOut]
    tasks: list[SectionOut]
    answered: int
    unanswered: int
    flagged: list[str]
    seconds_total: float
    seconds_elapsed: float
    items: list[ReviewItemOut]


class DomainFilter(_Out):
    id: str
    title: str
    questions: int = Field(description="Questions of this domain in the attempt.")


class ReviewOut(_Out):
    """The review of a finished attempt, filtered: all, wrong or flagged, optionally one domain."""

    id: str
    exam: str
    title: str
    status: str
    show: Literal["all", "wrong", "flagged"]
    domain: str | None
    domains: list[DomainFilter]
    total: int = Field(description="Questions in the attempt (before filtering).")
    items: list[ReviewItemOut]
    cases: list[CaseOut] = Field(description="The scenarios of the case-study questions listed.")
