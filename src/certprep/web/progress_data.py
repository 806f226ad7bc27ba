"""Data of the progress and plan pages and their JSON twins.

``progress_data``: the readiness dashboard of one exam (``services.readiness.dashboard``) with the
blueprint's titles and the links a page needs (the lesson of each task statement, the exam's
cards). ``plan_form`` + ``plan_data``: the study planner's inputs, read from the query string (so a
plan's address can be shared or bookmarked), checked field by field, then the plan re-made from the
learner's current mastery (``services.readiness.study_plan``) on every request. Nothing here writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict, Field

from certprep.app import Certprep
from certprep.planner import lessons_by_task
from certprep.planner.build import MINUTES_PER_QUESTION
from certprep.planner.model import WEEKDAY_NAMES, WEEKDAYS, Plan, parse_day_off
from certprep.services import goals, readiness
from certprep.services.accounts import User
from certprep.services.exams import ExamRequestError
from certprep.services.goals import MAX_PLAN_DAYS  # an exam in the year 9999 would make millions of rows
from certprep.web.formvalues import small_int
from certprep.web.schemas import DomainFigureOut, ExamGoalOut

__all__ = [
    "KIND_LABELS",
    "MAX_DAYS_OFF",
    "MAX_PLAN_DAYS",
    "WEEKDAYS",
    "WEEKDAY_NAMES",
    "PlanForm",
    "PlanInvalid",
    "PlanOut",
    "PlanPageOut",
    "ProgressOut",
    "default_exam",
    "plan_data",
    "plan_form",
    "plan_page",
    "plan_weeks",
    "progress_data",
    "session_start",
    "with_saved_goal",
]

# Query-string tokens of weekdays off (0 = Monday), as in `certprep plan --days-off`.
KIND_LABELS = {
    "lesson": "Lesson",
    "drill": "Drill",
    "review": "Review",
    "mock": "Full mock",
    "final-review": "Final review",
    "rest": "Day off",
}
MAX_DAYS_OFF = 400  # tokens in one request: a year of single dates and the weekdays


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


def _unknown_exam(app: Certprep) -> str:
    return f"unknown exam; choose one of {', '.join(sorted(app.pack.blueprints))}"


def default_exam(app: Certprep) -> str:
    return app.pack.default_exam


def _lesson_links(app: Certprep, exam: str) -> dict[str, list[LinkOut]]:
    titles = {lesson.id: lesson.title for lesson in app.pack.lessons}
    return {
        task: [LinkOut(href=f"/lessons/{i}", title=titles[i]) for i in ids]
        for task, ids in lessons_by_task(app.pack.lessons, exam).items()
    }


# --- progress: out --------------------------------------------------------------------------------


class LinkOut(_Out):
    href: str
    title: str


class EstimateOut(_Out):
    """Mastery (0..1): the posterior mean and its 80% credible interval (``low``..``high``)."""

    mean: float
    low: float
    high: float
    effective_n: float = Field(description="Recency- and repeat-weighted answers behind the estimate.")
    answers: int


class TaskMasteryOut(EstimateOut):
    id: str
    title: str
    domain: str
    lessons: list[LinkOut]


class PredictionOut(_Out):
    """A full exam taken now: the scaled score (an estimate: docs/scoring.md) with its 80% interval
    and the probability of passing. Percent figures are raw percent right."""

    scaled_low: int
    scaled_median: int
    scaled_high: int
    expected_scaled: float
    scaled_is_estimate: bool
    score_min: int
    score_max: int
    passing_score: int
    p_pass: float
    mean_percent: float
    percent_low: float
    percent_high: float
    cut_percent: float
    pass_raw: int = Field(description="The fewest right answers that pass.")
    scored_items: int
    credible: float
    distribution: list[float] = Field(description="P(raw score = x) for x = 0..scored_items.")


class ChecklistItemOut(_Out):
    key: str
    label: str
    met: bool
    detail: str


class LabCountOut(_Out):
    """The hands-on labs of one domain (those serving one of its task statements in this exam)."""

    domain: str
    title: str
    passed: int = Field(description="Labs whose latest check run passed.")
    total: int
    label: str
    passed_labs: list[str]
    labs: list[str]


class ReadinessOut(_Out):
    ready: bool = Field(description="Every item met (the lab lines are practice and do not count).")
    items: list[ChecklistItemOut]
    labs: list[LabCountOut] = Field(description="Labs passed per domain: k of n.")


class ScorePointOut(_Out):
    attempt_id: str
    at: datetime
    mode: str
    question_count: int
    percent: float
    scaled_score: int | None
    passed: bool | None


class ScoresOut(_Out):
    """Full mocks only (exam mode, the exam's full question count); shorter attempts feed mastery."""

    points: list[ScorePointOut]
    slope_per_week: float | None = Field(
        description="Least-squares trend of the raw percent, percentage points per week; null until 3 full mocks "
        "span 3 days or more."
    )
    needs: str | None = Field(default=None, description="What the trend still needs, while it has no slope.")
    shorter: int = Field(default=0, description="Finished attempts left out: practice mode or fewer questions.")


class DomainPointOut(_Out):
    attempt_id: str
    at: datetime
    right: int
    scored: int
    percent: float


class DomainSeriesOut(_Out):
    domain: str
    title: str
    points: list[DomainPointOut]


class AttemptTimeOut(_Out):
    attempt_id: str
    at: datetime
    questions: int
    mean: float
    median: float


class TimeOut(_Out):
    """Seconds on screen per question (``None`` until an attempt recorded any)."""

    questions: int
    mean: float | None
    median: float | None
    p90: float | None
    longest: float | None
    per_attempt: list[AttemptTimeOut]


class MistakeGroupOut(_Out):
    tag: str
    count: int = Field(description="Wrong answers with this tag.")
    questions: list[str]
    tasks: list[str]
    latest: datetime
    lessons: list[LinkOut] = Field(description="The lessons of the group's task statements.")
    cards: str = Field(description="The exam's flashcards and missed questions to review.")


class MistakesOut(_Out):
    total: int
    concepts: list[MistakeGroupOut]
    services: list[MistakeGroupOut]
    untagged_concepts: int
    untagged_services: int


class ProgressOut(_Out):
    """Am I ready for ``exam``? Mastery, the predicted score, the checklist, trends, mistakes."""

    exam: str
    exam_title: str
    exams: list[str]
    answers: int = Field(description="Graded answers behind the estimates (exam, practice and reviews).")
    overall: EstimateOut
    domains: list[DomainFigureOut] = Field(description="Each domain's one figure, as on the dashboard and the plan.")
    tasks: list[TaskMasteryOut]
    prediction: PredictionOut
    readiness: ReadinessOut
    scores: ScoresOut
    domain_trends: list[DomainSeriesOut]
    time: TimeOut
    mistakes: MistakesOut


def progress_data(app: Certprep, user: User, exam: str, *, now: datetime) -> ProgressOut:
    """The readiness dashboard of ``exam`` for ``user``; ``PlanInvalid`` (a 422 naming the ``exam``
    field, as the plan's) for an unknown exam."""
    if exam not in app.pack.blueprints:
        raise PlanInvalid({"exam": _unknown_exam(app)})
    raw = readiness.dashboard(app, user.id, exam, now=now)
    bp = app.pack.blueprints[exam]
    lessons = _lesson_links(app, exam)
    mastery = raw["mastery"]
    domains = [DomainFigureOut.model_validate(f) for f in raw["figures"]]
    tasks = [
        TaskMasteryOut(id=t.id, title=t.title, domain=d.id, lessons=lessons.get(t.id, []), **mastery["tasks"][t.id])
        for d in bp.domains
        for t in d.tasks
    ]
    cards = f"/cards?{urlencode({'exam': exam})}"

    def groups(rows: list[dict[str, Any]]) -> list[MistakeGroupOut]:
        out = []
        for g in rows:
            links = list({link.href: link for task in g["tasks"] for link in lessons.get(task, [])}.values())
            out.append(MistakeGroupOut(**g, lessons=links, cards=cards))
        return out

    mistakes = raw["mistakes"]
    domain_titles = {d.id: d.title for d in bp.domains}
    return ProgressOut(
        exam=exam,
        exam_title=bp.title,
        exams=list(app.pack.exam_codes),
        answers=raw["answers"],
        overall=EstimateOut(**mastery["overall"]),
        domains=domains,
        tasks=tasks,
        prediction=PredictionOut(**raw["prediction"], score_min=bp.score_min, score_max=bp.score_max),
        readiness=ReadinessOut.model_validate(raw["readiness"]),
        scores=ScoresOut.model_validate(raw["scores"]),
        domain_trends=[
            DomainSeriesOut(domain=s["domain"], title=domain_titles.get(s["domain"], ""), points=s["points"])
            for s in raw["domains"]
        ],
        time=TimeOut.model_validate(raw["time"]),
        mistakes=MistakesOut(
            total=mistakes["total"],
            concepts=groups(mistakes["concepts"]),
            services=groups(mistakes["services"]),
            untagged_concepts=mistakes["untagged_concepts"],
            untagged_services=mistakes["untagged_services"],
        ),
    )


# --- plan: in -------------------------------------------------------------------------------------


class PlanInvalid(ValueError):
    """Query fields that cannot make a page (an unknown exam, plan inputs that cannot make a plan):
    ``errors`` maps a query field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    def detail(self) -> list[dict[str, Any]]:
        """The errors in the shape of every other 422 of the API."""
        return [{"loc": ["query", k], "msg": v, "type": "value_error"} for k, v in self.errors.items()]


@dataclass(frozen=True)
class PlanForm:
    """The plan form as received (``raw``, to show it again) and as far as it could be read."""

    exam: str
    raw: dict[str, str]
    weekdays_off: tuple[int, ...] = ()
    dates_off: tuple[date, ...] = ()
    exam_date: date | None = None
    hours: float | None = None
    session_minutes: int | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def asked(self) -> bool:
        """Whether a plan was asked for (an empty form just shows the form)."""
        return bool(self.raw.get("exam_date") or self.raw.get("hours"))

    def days_off_tokens(self) -> list[str]:
        return [WEEKDAYS[d] for d in self.weekdays_off] + [d.isoformat() for d in self.dates_off]

    def query(self) -> str:
        """The normalized query string of this plan (the page, the .ics and the JSON share it)."""
        pairs: list[tuple[str, str]] = [("exam", self.exam)]
        if self.exam_date is not None:
            pairs.append(("exam_date", self.exam_date.isoformat()))
        if self.hours is not None:
            pairs.append(("hours", f"{self.hours:g}"))
        pairs += [("days_off", token) for token in self.days_off_tokens()]
        if self.session_minutes is not None:
            pairs.append(("session_minutes", str(self.session_minutes)))
        return urlencode(pairs)


def _field_of(message: str) -> str:
    """The form field a planner or service refusal is about (its message starts with the name)."""
    for prefix, name in (
        ("exam_date", "exam_date"),
        ("hours_per_week", "hours"),
        ("days_off", "days_off"),
        ("minutes_per_session", "session_minutes"),
        ("unknown exam", "exam"),
        ("exam", "exam"),
    ):
        if message.startswith(prefix):
            return name
    return "form"


def _is_weekday(token: str) -> bool:
    try:
        return isinstance(parse_day_off(token), int)
    except ValueError:
        return False


def plan_form(
    app: Certprep,
    *,
    exam: str | None,
    exam_date: str | None,
    hours: str | None,
    days_off: list[str],
    session_minutes: str | None,
    today: date,
) -> PlanForm:
    """Read the plan's query fields; every problem is kept in ``errors`` under its field's name.

    The exam date is checked against ``today`` here too (the planner would refuse it), so that a
    form with a past date and another mistake shows both at once."""
    errors: dict[str, str] = {}
    code = (exam or "").strip() or default_exam(app)
    if code not in app.pack.blueprints:
        errors["exam"] = _unknown_exam(app)
    weekdays: set[int] = set()
    dates: set[date] = set()
    tokens = [t.strip() for value in days_off for t in value.replace(";", ",").split(",") if t.strip()]
    bad = []
    for token in tokens[: MAX_DAYS_OFF + 1]:
        try:
            day = parse_day_off(token)
        except ValueError:
            bad.append(token if len(token) <= 24 else token[:24] + "…")
            continue
        if isinstance(day, int):
            weekdays.add(day)
        else:
            dates.add(day)
    if len(tokens) > MAX_DAYS_OFF:
        errors["days_off"] = f"at most {MAX_DAYS_OFF} days off in one plan"
    elif bad:
        errors["days_off"] = "not a weekday (mon..sun) nor a date (YYYY-MM-DD): " + ", ".join(bad[:3])
    raw = {
        "exam": code,
        "exam_date": (exam_date or "").strip(),
        "hours": (hours or "").strip(),
        "dates_off": ", ".join(t for t in tokens if not _is_weekday(t)),
        "session_minutes": (session_minutes or "").strip(),
    }
    parsed_date: date | None = None
    if raw["exam_date"]:
        try:
            parsed_date = date.fromisoformat(raw["exam_date"])
        except ValueError:
            errors["exam_date"] = "give the date of your exam as YYYY-MM-DD"
        else:
            if parsed_date <= today:
                when = "today" if parsed_date == today else "in the past"
                errors["exam_date"] = f"exam_date {parsed_date} is {when}: give a day after today ({today})"
            elif (parsed_date - today).days > MAX_PLAN_DAYS:
                last = today + timedelta(days=MAX_PLAN_DAYS)
                errors["exam_date"] = f"exam_date {parsed_date} is too far ahead: plan at most to {last}"
    parsed_hours: float | None = None
    if raw["hours"]:
        try:
            parsed_hours = float(raw["hours"])
        except ValueError:
            errors["hours"] = "give a number of hours, for example 8 or 7.5"
        else:
            if not math.isfinite(parsed_hours) or not 0 < parsed_hours <= 168:
                errors["hours"] = "hours per week must be more than 0 and at most 168"
                parsed_hours = None
    minutes: int | None = None
    if raw["session_minutes"]:
        asked = small_int(raw["session_minutes"])
        if asked is not None and 15 <= asked <= 240:
            minutes = asked
        else:
            errors["session_minutes"] = "a study block lasts 15 to 240 minutes"
    if raw["exam_date"] or raw["hours"]:  # a plan was asked for: both are needed
        if not raw["exam_date"]:
            errors.setdefault("exam_date", "the date of your exam is required")
        if not raw["hours"]:
            errors.setdefault("hours", "how many hours a week you can study is required")
    return PlanForm(
        exam=code,
        raw=raw,
        weekdays_off=tuple(sorted(weekdays)),
        dates_off=tuple(sorted(dates)),
        exam_date=parsed_date,
        hours=parsed_hours,
        session_minutes=minutes,
        errors=errors,
    )


# --- plan: out ------------------------------------------------------------------------------------


class SessionStartOut(_Out):
    """How to start a session in one click: a GET link, or a POST of these form fields (the page's
    button; the JSON API takes the same fields as ``POST /api/attempts``)."""

    method: Literal["GET", "POST"]
    href: str
    label: str
    fields: dict[str, str] = Field(default={}, description="Form fields of the POST (empty for a link).")


class SessionOut(_Out):
    day: date
    kind: Literal["lesson", "drill", "review", "mock", "final-review", "rest"]
    minutes: int
    title: str
    reason: str
    task: str | None
    domain: str | None
    lesson_id: str | None
    start: SessionStartOut | None = Field(default=None, description="What starts it: the drill, the cards review...")


def session_start(
    exam: str, kind: str, minutes: int, task: str | None, lesson_id: str | None
) -> SessionStartOut | None:
    """The one-click start of a plan session: a drill of its task statement (practice mode, as many
    questions as the block holds at the exam's pace), the cards review, a full mock, the lesson."""
    cards = f"/cards?{urlencode({'exam': exam})}"
    if kind == "drill" and task is not None:
        count = str(max(1, minutes // MINUTES_PER_QUESTION))
        fields = {"exam": exam, "selection": "drill", "mode": "practice", "tasks": task, "count": count}
        return SessionStartOut(method="POST", href="/attempts", label=f"Start the drill of {task}", fields=fields)
    if kind == "drill":  # the review of the last mock
        return SessionStartOut(method="GET", href="/attempts", label="Open your attempts")
    if kind in ("review", "final-review"):
        return SessionStartOut(method="GET", href=cards, label="Start the review")
    if kind == "mock":
        fields = {"exam": exam, "selection": "assembled", "mode": "exam"}
        return SessionStartOut(method="POST", href="/attempts", label="Start a full mock", fields=fields)
    if kind == "lesson" and lesson_id is not None:
        return SessionStartOut(method="GET", href=f"/lessons/{lesson_id}", label="Read the lesson")
    return None


class TaskPriorityOut(_Out):
    task: str
    title: str
    domain: str
    weight: int
    mean: float
    n: float = Field(description="Recency- and repeat-weighted answers behind the mean.")
    weakness: float
    priority: float
    mastered: bool
    answers: int | None = Field(default=None, description="Answers behind the mean, as given.")


class PlanOut(_Out):
    """``Plan.to_dict()`` (``Plan.from_dict`` reads it back) with the totals per week."""

    exam: str
    exam_date: date
    today: date
    hours_per_week: float
    weekly_budget_minutes: int
    total_minutes: int
    minutes_by_week: dict[date, int] = Field(description="Planned minutes per week, keyed by its Monday.")
    sessions: list[SessionOut] = Field(description="Every day up to the exam, in the order to do them.")
    tasks: list[TaskPriorityOut] = Field(description="Task statements, highest priority first.")
    warnings: list[str]


class PlanLinksOut(_Out):
    page: str
    ics: str
    api: str
    api_ics: str


class PlanPageOut(_Out):
    """The planner's form as read from the query string and, once an exam date and hours are
    given, the day-by-day plan made from your current mastery."""

    exam: str
    exams: list[str]
    exam_date: date | None
    hours: float | None
    days_off: list[str] = Field(description="Weekdays (mon..sun) and dates (YYYY-MM-DD) without study.")
    session_minutes: int | None
    links: PlanLinksOut | None = Field(description="This plan's page, .ics file and JSON (shareable).")
    domains: list[DomainFigureOut] = Field(
        default=[], description="Each domain's one figure the plan was made from, as on the dashboard and progress."
    )
    saved: ExamGoalOut | None = Field(
        default=None, description="Your stored exam date for this exam (the plan's default; the dashboard counts down)."
    )
    plan: PlanOut | None


def plan_data(app: Certprep, user: User, form: PlanForm, *, now: datetime) -> tuple[PlanPageOut, Plan | None]:
    """The plan of ``form`` (None when none was asked for); ``PlanInvalid`` names the bad fields."""
    if form.errors:
        raise PlanInvalid(form.errors)
    plan: Plan | None = None
    figures: list[DomainFigureOut] = []
    if form.exam_date is not None and form.hours is not None:
        request = readiness.PlanInput(
            exam=form.exam,
            exam_date=form.exam_date,
            hours_per_week=form.hours,
            days_off=frozenset([*form.weekdays_off, *form.dates_off]),
            minutes_per_session=form.session_minutes,
        )
        try:
            plan = readiness.study_plan(app, user.id, request, now=now)
        except ExamRequestError as exc:
            raise PlanInvalid({_field_of(str(exc)): str(exc)}) from exc
        figures = [DomainFigureOut.of(f) for f in readiness.domain_mastery(app, user.id, form.exam, now=now)]
    saved = goals.exam_goal(app, user.id, form.exam, today=now.date())
    page = plan_page(app, form, plan, figures)
    return page.model_copy(update={"saved": None if saved is None else ExamGoalOut.of(saved)}), plan


def with_saved_goal(app: Certprep, user: User, form: PlanForm, *, today: date) -> PlanForm:
    """``form``, or, when it asks for no plan, the user's stored exam date (and hours) for its exam
    filled in: opening /plan with no date plans to the date you saved."""
    if form.asked or form.errors:
        return form
    goal = goals.exam_goal(app, user.id, form.exam, today=today)
    if goal is None or goal.days_left <= 0:
        return form
    hours = goal.hours_per_week
    raw = {**form.raw, "exam_date": goal.exam_date.isoformat(), "hours": "" if hours is None else f"{hours:g}"}
    return replace(form, raw=raw, exam_date=goal.exam_date, hours=hours)


def plan_page(
    app: Certprep, form: PlanForm, plan: Plan | None = None, domains: list[DomainFigureOut] | None = None
) -> PlanPageOut:
    """The page's data: the form as read and, if there is one, the plan."""
    query = form.query()
    return PlanPageOut(
        exam=form.exam,
        exams=list(app.pack.exam_codes),
        exam_date=form.exam_date,
        hours=form.hours,
        days_off=form.days_off_tokens(),
        session_minutes=form.session_minutes,
        domains=domains or [],
        links=None
        if plan is None
        else PlanLinksOut(
            page=f"/plan?{query}", ics=f"/plan.ics?{query}", api=f"/api/plan?{query}", api_ics=f"/api/plan.ics?{query}"
        ),
        plan=None
        if plan is None
        else PlanOut(
            **{
                **plan.to_dict(),
                "sessions": [
                    {**d, "start": session_start(plan.exam, d["kind"], d["minutes"], d["task"], d["lesson_id"])}
                    for d in plan.to_dict()["sessions"]
                ],
            },
            total_minutes=plan.total_minutes,
            minutes_by_week=plan.minutes_by_week(),
        ),
    )


@dataclass(frozen=True)
class PlanDay:
    day: date
    weekday: str
    minutes: int
    sessions: tuple[SessionOut, ...]
    today: bool

    @property
    def rest(self) -> bool:
        return all(s.kind == "rest" for s in self.sessions)


@dataclass(frozen=True)
class PlanWeek:
    monday: date
    minutes: int
    days: tuple[PlanDay, ...]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def plan_weeks(plan: PlanOut) -> list[PlanWeek]:
    """The plan's days grouped by calendar week (Monday to Sunday), for the calendar-like list."""
    by_day: dict[date, list[SessionOut]] = {}
    for s in plan.sessions:
        by_day.setdefault(s.day, []).append(s)
    weeks: dict[date, list[PlanDay]] = {}
    for day, sessions in sorted(by_day.items()):
        monday = day - timedelta(days=day.weekday())
        weeks.setdefault(monday, []).append(
            PlanDay(
                day=day,
                weekday=WEEKDAY_NAMES[day.weekday()],
                minutes=sum(s.minutes for s in sessions),
                sessions=tuple(sessions),
                today=day == plan.today,
            )
        )
    return [PlanWeek(monday=m, minutes=plan.minutes_by_week.get(m, 0), days=tuple(days)) for m, days in weeks.items()]
