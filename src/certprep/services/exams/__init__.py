"""Exam attempts: start, act (answer, flag, navigate...), submit, report, retake.

Modules: ``start`` (requests, forms, retakes), ``actions`` (one action, one transaction),
``views`` (the learner's view), ``schemas`` (what the services return: one model per view),
``reports`` (the score report and its review, the list of attempts), ``state`` (loading,
storing and settling an attempt), ``content`` (the pack's side, cached), ``errors``.

Every write appends to the response log and stores the new attempt state in one transaction,
with an optimistic version check: a write made against a stale state (a second tab) is refused
with ``StaleStateError`` and nothing is lost. The deadline lives in the stored state; reading an
attempt past its deadline submits it (also when the learner only comes back days later). A read
takes no write lock: only a read that finds an open attempt past its deadline opens a write
transaction, to settle it (``state.settled``).

Views sent to a learner never hold the key, a rationale or the scored/unscored flag of an
exam-mode attempt before it is finished; answers come back in screen positions
(``FormItem.presentation``), so the canonical order of an ordering question is never revealed.
"""

from certprep.services.exams.actions import ACTIONS, act
from certprep.services.exams.content import FIXED_FORMS
from certprep.services.exams.errors import AttemptConflictError, ExamRequestError
from certprep.services.exams.reports import (
    REVIEW_FILTERS,
    ReviewFilter,
    attempt_report,
    attempt_review,
    list_attempts,
    review_of,
)
from certprep.services.exams.schemas import (
    AttemptList,
    AttemptReport,
    AttemptSummary,
    AttemptView,
    CaseView,
    DomainFilter,
    FeedbackView,
    PaletteEntry,
    PracticeExam,
    PracticeExams,
    QuestionView,
    Review,
)
from certprep.services.exams.start import StartRequest, practice_exams, retake_missed, start_exam
from certprep.services.exams.views import attempt_view

__all__ = [
    "ACTIONS",
    "FIXED_FORMS",
    "REVIEW_FILTERS",
    "AttemptConflictError",
    "AttemptList",
    "AttemptReport",
    "AttemptSummary",
    "AttemptView",
    "CaseView",
    "DomainFilter",
    "ExamRequestError",
    "FeedbackView",
    "PaletteEntry",
    "PracticeExam",
    "PracticeExams",
    "QuestionView",
    "Review",
    "ReviewFilter",
    "StartRequest",
    "act",
    "attempt_report",
    "attempt_review",
    "attempt_view",
    "list_attempts",
    "practice_exams",
    "retake_missed",
    "review_of",
    "start_exam",
]
