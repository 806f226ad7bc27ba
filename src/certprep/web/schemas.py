"""Input and output schemas of the JSON API (the OpenAPI document is built from them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from certprep.analytics.figures import DomainFigure
from certprep.services.accounts import PASSWORD_MAX_LENGTH, User
from certprep.services.exams import AttemptSummary, PracticeExam
from certprep.services.goals import ExamGoal
from certprep.services.reports import REPORT_CATEGORIES, REPORT_MESSAGE_MAX_LENGTH
from certprep.web.pack_schemas import RefusedPackOut, ServedPackOut
from certprep.web.params import Lines, OneLine

__all__ = [
    "AdminReportOut",
    "AdminReportsOut",
    "AdminUserOut",
    "AdminUsersOut",
    "BuilderOut",
    "CategoryOut",
    "ContentFiguresOut",
    "DashboardOut",
    "DomainFigureOut",
    "DomainOut",
    "ExamGoalIn",
    "ExamGoalOut",
    "ExamOut",
    "ExamsOut",
    "NextStep",
    "ReportFormOut",
    "ReportIn",
    "ReportOut",
    "ReportsOut",
    "SessionOut",
    "SignInIn",
    "SignUpIn",
    "SignUpOut",
    "TaskOut",
    "UserOut",
    "categories",
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class UserOut(_Out):
    id: int
    username: str
    display_name: str
    is_admin: bool
    is_local: bool

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            is_admin=user.is_admin,
            is_local=user.is_local,
        )


class AdminUserOut(UserOut):
    created_at: datetime


# --- session, sign-in, sign-up ----------------------------------------------------------------


class SessionOut(_Out):
    """Who the session acts as and the CSRF token to send back (header X-CSRF-Token)."""

    mode: Literal["local", "multi-user"]
    sign_up: bool = Field(description="Whether this server lets visitors create accounts.")
    user: UserOut | None
    csrf_token: str


class SignInIn(BaseModel):
    username: Annotated[str, StringConstraints(max_length=200), OneLine]
    password: Annotated[str, StringConstraints(max_length=PASSWORD_MAX_LENGTH)]


class SignUpIn(BaseModel):
    username: Annotated[str, StringConstraints(max_length=200), OneLine]
    password: Annotated[str, StringConstraints(max_length=PASSWORD_MAX_LENGTH)]
    display_name: Annotated[str, StringConstraints(max_length=128), OneLine] | None = None


class SignUpOut(_Out):
    enabled: bool
    username_rule: str
    password_min_length: int


# --- exams and the dashboard ------------------------------------------------------------------


class TaskOut(_Out):
    id: str
    title: str


class DomainOut(_Out):
    id: str
    title: str
    weight: int
    tasks: list[TaskOut]


class ExamOut(_Out):
    code: str
    title: str
    status: str
    retired_on: date | None
    availability: str | None = Field(description="Whether and where the exam can still be booked.")
    unconfirmed: list[str] = Field(description="Fields whose published value AWS has not confirmed yet.")
    questions_total: int
    questions_scored: int
    duration_minutes: int
    passing_score: int
    question_types: list[str]
    bank_questions: int
    domains: list[DomainOut]


class BuilderOut(_Out):
    """The choices of the practice-mode builder (``POST /api/attempts`` takes them)."""

    modes: list[str]
    selections: list[str] = Field(description="drill, missed, unseen, flagged, custom.")
    default_count: int
    max_count: int
    max_time_limit_minutes: int


class ExamsOut(_Out):
    exams: list[ExamOut]
    practice_exams: dict[str, list[PracticeExam]] = Field(
        default_factory=dict, description="Per exam code: Practice Exam 1..6 with your best scaled score."
    )
    builder: BuilderOut | None = None
    in_progress: list[AttemptSummary] = Field(default_factory=list, description="Your unfinished attempts.")


class DomainFigureOut(_Out):
    """The one figure of a domain, the same on the dashboard, the progress page, the plan and their
    JSON twins (analytics.figures): the mastery estimate with its 80% interval and its evidence."""

    exam: str
    id: str
    title: str
    weight: int = Field(description="The domain's share of the exam, percent.")
    mean: float = Field(description="Mastery: the estimated share of the domain's questions you get right now (0..1).")
    low: float = Field(description="The 80% credible interval of mastery, lower end.")
    high: float
    effective_n: float = Field(description="Recency- and repeat-weighted answers behind the estimate.")
    answers: int = Field(description="Answers behind the estimate, as given.")
    percent: int = Field(description="Mastery as a whole percent, rounded down.")
    text: str = Field(description='The figure in words, as every page shows it: "mastery 31%, from 12 answers".')

    @classmethod
    def of(cls, figure: DomainFigure) -> DomainFigureOut:
        return cls.model_validate(figure.to_dict())


class ExamGoalOut(_Out):
    """Your exam: its date (stored per user and exam: the plan starts from it) and the days left."""

    exam: str
    exam_title: str
    exam_date: date
    hours_per_week: float | None = Field(description="Hours a week you plan to study (the plan's default).")
    days_left: int = Field(description="Days from today to the exam; negative once it is past.")
    past: bool
    plan: str = Field(description="The study plan to that date.")

    @classmethod
    def of(cls, goal: ExamGoal) -> ExamGoalOut:
        return cls(
            exam=goal.exam,
            exam_title=goal.exam_title,
            exam_date=goal.exam_date,
            hours_per_week=goal.hours_per_week,
            days_left=goal.days_left,
            past=goal.past,
            plan=f"/plan?{urlencode({'exam': goal.exam})}",
        )


class ExamGoalIn(BaseModel):
    """Set your exam date for an exam (and, optionally, the hours a week you plan to study)."""

    model_config = ConfigDict(extra="forbid")

    exam_date: date
    hours_per_week: float | None = Field(default=None, gt=0, le=168, allow_inf_nan=False)


class NextStep(_Out):
    text: str
    href: str | None = None


class DashboardOut(_Out):
    user: UserOut
    exams: list[ExamOut]
    recent_attempts: list[AttemptSummary]
    progress: list[DomainFigureOut] = Field(description="Every exam's domains: mastery, one figure per domain.")
    exam_goals: list[ExamGoalOut] = Field(default=[], description="Your exam dates, soonest first: the countdown.")
    next_steps: list[NextStep]


# --- problem reports --------------------------------------------------------------------------


class CategoryOut(_Out):
    id: str
    label: str


class ReportIn(BaseModel):
    """A problem report on a question: what kind of problem, and what is wrong."""

    category: Annotated[str, Field(json_schema_extra={"enum": list(REPORT_CATEGORIES)})]
    message: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=REPORT_MESSAGE_MAX_LENGTH), Lines
    ]
    revision: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="The question revision that was shown; default the current one."
    )
    attempt_id: Annotated[str, StringConstraints(max_length=36), OneLine] | None = None

    @field_validator("category")
    @classmethod
    def _known_category(cls, value: str) -> str:
        if value not in REPORT_CATEGORIES:
            raise ValueError(f"unknown category; one of: {', '.join(REPORT_CATEGORIES)}")
        return value

    @field_validator("message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        # What the service keeps (str.strip) must not be empty either.
        if not value.strip():
            raise ValueError("the message is empty")
        return value.strip()


class ReportOut(_Out):
    model_config = ConfigDict(frozen=True, from_attributes=True)  # made from a services.ProblemReport

    id: int
    question_id: str
    question_revision: int
    attempt_id: str | None
    category: str
    message: str
    status: Literal["open", "resolved"]
    created_at: datetime
    resolved_at: datetime | None


class AdminReportOut(ReportOut):
    username: str | None


class ReportsOut(_Out):
    reports: list[ReportOut]


class ReportFormOut(_Out):
    question_id: str
    revision: int
    stem: str = Field(description="Markdown source of the question's stem (no options, no key).")
    categories: list[CategoryOut]


class AdminReportsOut(_Out):
    status: Literal["open", "resolved", "all"]
    open_count: int
    reports: list[AdminReportOut]


class AdminUsersOut(_Out):
    users: list[AdminUserOut]


class ContentFiguresOut(_Out):
    """The content linter's output over the base pack (docs/content-lint.md), the packs served
    beside it and those refused for their errors, and the formats an upload may have."""

    pack_root: str
    lint: dict[str, Any]
    packs: list[ServedPackOut] = Field(default_factory=list, description="The packs served, the base pack first.")
    refused: list[RefusedPackOut] = Field(default_factory=list, description="Packs with errors, not served.")
    team_pack: str = Field(default="", description="The folder that uploads are added to.")
    import_formats: list[str] = Field(default_factory=list)
    upload_max_bytes: int = 0


def categories() -> list[CategoryOut]:
    return [CategoryOut(id=k, label=v) for k, v in REPORT_CATEGORIES.items()]
