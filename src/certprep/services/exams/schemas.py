"""What the exam services return: the learner's view of an attempt, the list of attempts, the
practice exams, the score report and its review.

One schema per view: the service builds it, the HTML page renders it and its JSON twin returns it
as it is (the OpenAPI document is built from these models). A model declares every field a client
may see and nothing else: an exam-mode view has no key, no rationale and no scored flag
(``QuestionView.feedback`` stays null until the attempt is finished, and then the question is gone
from the view: the report has it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from certprep.exam.report import Reference, Report, ResponseJSON, ReviewItem

__all__ = [
    "AttemptList",
    "AttemptReport",
    "AttemptSummary",
    "AttemptView",
    "CaseView",
    "DomainFilter",
    "FeedbackView",
    "Mode",
    "PaletteEntry",
    "PracticeExam",
    "PracticeExams",
    "QuestionView",
    "Review",
    "SelectionName",
]

Mode = Literal["exam", "practice"]
SelectionName = Literal["fixed", "assembled", "drill", "missed", "unseen", "flagged", "custom"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


# --- the learner's view of an attempt -----------------------------------------------------------


class PaletteEntry(_Out):
    index: int
    number: int
    answered: bool
    checked: bool = Field(default=False, description="Practice: checked, so graded and locked.")
    flagged: bool
    seen: bool = Field(description="It has been on screen.")


class CaseView(_Out):
    id: str
    title: str
    scenario: str = Field(description="Markdown source of the shared scenario.")


class FeedbackView(_Out):
    """Practice mode only, once the answer is checked: right or wrong, the key and every choice's
    rationale."""

    correct: bool
    key: ResponseJSON
    rationales: list[str | None] = Field(description="One per choice, in the order of `choices`.")
    references: list[Reference]


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
    response: ResponseJSON | None = Field(description="The stored answer in screen positions, or null.")
    case: CaseView | None
    select: int | None = Field(default=None, description="multiple: how many options to choose.")
    steps_to_order: int | None = Field(
        default=None, description="ordering with extra steps: how many to put in order (the others are not used)."
    )
    prompts: list[str] | None = Field(default=None, description="matching: the prompts, each matched to a choice.")
    feedback: FeedbackView | None = None


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


# --- lists --------------------------------------------------------------------------------------


class AttemptSummary(_Out):
    """One attempt in a list: what it is, where it stands, its score once finished."""

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


class AttemptList(_Out):
    attempts: list[AttemptSummary]


class PracticeExam(_Out):
    """Practice Exam N of an exam (the same for every user) and the user's best score on it."""

    number: int
    title: str
    questions: int
    attempts: int
    best_scaled_score: int | None
    open_attempt_id: str | None = Field(
        default=None, description="Your exam-mode attempt at this form still in progress: resume it, not a new one."
    )


class PracticeExams(_Out):
    exam: str
    practice_exams: list[PracticeExam]


# --- the report and the review ------------------------------------------------------------------


class AttemptReport(Report):
    """The score report of a finished attempt (``exam.report.Report``) with the attempt's id."""

    id: str


class DomainFilter(_Out):
    id: str
    title: str
    questions: int = Field(description="Questions of this domain in the attempt.")


class Review(_Out):
    """The review of a finished attempt, filtered: all, wrong or flagged, optionally one domain."""

    id: str
    exam: str
    title: str
    status: str
    show: Literal["all", "wrong", "flagged"]
    domain: str | None
    domains: list[DomainFilter]
    total: int = Field(description="Questions in the attempt (before filtering).")
    items: list[ReviewItem]
    cases: list[CaseView] = Field(description="The scenarios of the case-study questions listed.")
