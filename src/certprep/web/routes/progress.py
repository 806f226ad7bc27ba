"""Progress and plan pages with their JSON twins: readiness (mastery, the predicted score and
P(pass), the checklist), trends, the mistake log, and the study plan with its .ics download.

Everything here reads; nothing is stored. The plan's inputs travel in the query string, so a
plan's address (and its .ics link) can be bookmarked or shared; each request re-plans from the
learner's mastery at that moment. Refused plan inputs are 422: the page shows the form with a
message beside each field, the JSON twin ``{"detail": [{"loc": ["query", field], "msg", "type"}]}``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi import Path as ApiPath
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from certprep.analytics.readiness import DEFAULT_RULES
from certprep.interop.ical import plan_to_ics
from certprep.services import goals
from certprep.web import charts
from certprep.web.deps import App, Now, PageUser, RequireUser
from certprep.web.params import OneLine
from certprep.web.progress_data import (
    KIND_LABELS,
    MAX_DAYS_OFF,
    WEEKDAY_NAMES,
    WEEKDAYS,
    PlanForm,
    PlanInvalid,
    PlanPageOut,
    ProgressOut,
    default_exam,
    plan_data,
    plan_form,
    plan_page,
    plan_weeks,
    progress_data,
    with_saved_goal,
)
from certprep.web.render import render
from certprep.web.schemas import ExamGoalIn, ExamGoalOut

__all__ = ["TWINS", "router"]

router = APIRouter()
TWINS = {"/progress": "/api/progress", "/plan": "/api/plan"}

# The mistake log's groups shown before its "the other N" summary: a long history tags hundreds of
# concepts, and the page once grew to 23,000 px.
MISTAKE_ROWS = 6

ExamQuery = Annotated[str | None, Query(max_length=32, description="Exam code (default: the current exam)."), OneLine]


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {422: "An unknown exam, or plan inputs that cannot make a plan (each error names its field)."}
    return {code: {"description": text[code]} for code in codes}


def plan_query(
    app: App,
    now: Now,
    exam: ExamQuery = None,
    exam_date: Annotated[
        str | None, Query(max_length=32, description="The day of your exam, YYYY-MM-DD (after today).")
    ] = None,
    hours: Annotated[str | None, Query(max_length=16, description="Hours a week you can study (0-168).")] = None,
    days_off: Annotated[
        list[str],
        Query(
            max_length=MAX_DAYS_OFF,
            description="Weekdays (mon..sun: off every week) and dates (YYYY-MM-DD) without study; repeat the "
            "parameter or separate with commas.",
        ),
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    session_minutes: Annotated[
        str | None, Query(max_length=8, description="Length of one lesson or drill block, 15-240 (45 by default).")
    ] = None,
) -> PlanForm:
    """The planner's query fields, read and checked (errors are kept for the page to show)."""
    return plan_form(
        app,
        exam=exam,
        exam_date=exam_date,
        hours=hours,
        days_off=days_off,
        session_minutes=session_minutes,
        today=now.date(),
    )


PlanQuery = Annotated[PlanForm, Depends(plan_query)]


def _ics(app: App, user: RequireUser, now: Now, form: PlanForm) -> Response:
    form = with_saved_goal(app, user, form, today=now.date())
    try:
        _, plan = plan_data(app, user, form, now=now)
        if plan is None:
            raise PlanInvalid({"exam_date": "the date of your exam is required", "hours": "hours a week are required"})
    except PlanInvalid as exc:
        raise HTTPException(status_code=422, detail=exc.detail()) from exc
    filename = f"certprep-{plan.exam}-plan-{plan.exam_date.isoformat()}.ics"
    return Response(
        content=plan_to_ics(plan),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _progress(app: App, user: RequireUser, now: Now, exam: str | None) -> ProgressOut:
    """The progress data, or a 422 naming the ``exam`` field (the page shows it on the error page)."""
    try:
        return progress_data(app, user, (exam or "").strip() or default_exam(app), now=now)
    except PlanInvalid as exc:
        raise HTTPException(status_code=422, detail=exc.detail()) from exc


# --- JSON -----------------------------------------------------------------------------------------


@router.get("/api/progress", tags=["progress"], responses=_errors(422))
def progress_json(app: App, user: RequireUser, now: Now, exam: ExamQuery = None) -> ProgressOut:
    """Mastery per domain and task statement (80% credible intervals), the predicted scaled score
    (an estimate) with its 80% interval and P(pass), the readiness checklist, score and domain
    trends per full mock (exam mode, full length), time per question, and the mistake log by concept and service."""
    return _progress(app, user, now, exam)


@router.get("/api/plan", tags=["progress"], responses=_errors(422))
def plan_json(app: App, user: RequireUser, now: Now, form: PlanQuery) -> PlanPageOut:
    """The study plan from today to the exam, made from your current mastery (``plan`` is null until
    ``exam_date`` and ``hours`` are given; without them, your saved exam date and hours are used)."""
    try:
        data, _ = plan_data(app, user, with_saved_goal(app, user, form, today=now.date()), now=now)
    except PlanInvalid as exc:
        raise HTTPException(status_code=422, detail=exc.detail()) from exc
    return data


@router.get(
    "/api/plan.ics",
    tags=["progress"],
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar file."}, **_errors(422)},
)
def plan_ics_json(app: App, user: RequireUser, now: Now, form: PlanQuery) -> Response:
    """The plan as an iCalendar (.ics) file: one event per study session, from 19:00 local time."""
    return _ics(app, user, now, form)


# --- pages ----------------------------------------------------------------------------------------


def _when(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _chance(p: float) -> str:
    """Never "0%" or "100%", which would read as a certainty (as the page's ``chance`` macro)."""
    return "under 1%" if p < 0.01 else "over 99%" if p > 0.99 else f"{int(100 * p + 1e-6)}%"


def _charts(data: ProgressOut) -> dict[str, Any]:
    """The progress page's SVG charts (each with a title, a description and a table beside it)."""
    p = data.prediction
    cut = p.cut_percent
    points = []
    for s in data.scores.points:
        result = "" if s.passed is None else (", pass" if s.passed else ", fail")
        scaled = f", scaled {s.scaled_score} (estimate)" if s.scaled_score is not None else ""
        label = f"{_when(s.at)}, {s.mode} mode, {s.question_count} questions: {s.percent:.0f}% right{scaled}{result}"
        kind = "plain" if s.passed is None else ("pass" if s.passed else "fail")
        points.append(charts.ChartPoint(s.at, s.percent, label, kind))  # type: ignore[arg-type]
    if points:
        latest = data.scores.points[-1]
        desc = (
            f"{len(points)} full mock{'s' if len(points) != 1 else ''} from {_when(points[0].at)} to "
            f"{_when(points[-1].at)}; the latest {latest.percent:.0f}% right. The dashed line is the cut, {cut:.0f}%. "
            "Circles passed, squares failed. The table after the chart lists every attempt."
        )
    else:
        desc = "No full mocks yet."
    score_svg = charts.line_chart(
        points,
        chart_id="score-chart",
        title=f"Score per attempt, {data.exam} (raw percent right)",
        desc=desc,
        cut=cut,
        cut_label=f"cut {cut:.0f}%",
    )
    domain_svgs = []
    for series in data.domain_trends:
        marks = [
            charts.ChartPoint(pt.at, pt.percent, f"{_when(pt.at)}: {pt.right} of {pt.scored} right ({pt.percent:.0f}%)")
            for pt in series.points
        ]
        last = f"; the latest {series.points[-1].percent:.0f}%" if series.points else ""
        svg = charts.line_chart(
            marks,
            chart_id=f"domain-chart-{series.domain}",
            title=f"Domain {series.domain} ({series.title}) per attempt",
            desc=f"Percent right in domain {series.domain} on {len(marks)} attempt{'s' if len(marks) != 1 else ''}"
            f"{last}. The dashed line is the cut, {cut:.0f}%. The table after the charts lists the figures.",
            cut=cut,
            width=320,
            height=170,
        )
        domain_svgs.append((series, svg))
    distribution_svg = charts.distribution_chart(
        p.distribution,
        pass_raw=p.pass_raw,
        chart_id="distribution-chart",
        title=f"Chance of each raw score on a {p.scored_items}-question form, {data.exam}",
        desc=f"The most likely raw scores lie between {p.percent_low:.0f}% and {p.percent_high:.0f}% right "
        f"(80% interval); {p.pass_raw} or more right passes, a chance of {_chance(p.p_pass)}. Bars at or above the "
        "pass mark are in the passing colour.",
    )
    return {"score_svg": score_svg, "domain_svgs": domain_svgs, "distribution_svg": distribution_svg}


@router.get("/progress", response_class=HTMLResponse, include_in_schema=False)
def progress_page(request: Request, app: App, user: PageUser, now: Now, exam: ExamQuery = None) -> HTMLResponse:
    data = _progress(app, user, now, exam)
    bp = app.pack.blueprints[data.exam]
    return render(
        request,
        "progress/progress.html",
        data,
        chart=charts,
        floor=DEFAULT_RULES.domain_floor,
        exam_seconds_per_question=bp.duration_minutes * 60 // bp.questions_total,
        mistake_rows=MISTAKE_ROWS,
        **_charts(data),
    )


@router.get("/plan", response_class=HTMLResponse, include_in_schema=False)
def plan_page_html(request: Request, app: App, user: PageUser, now: Now, form: PlanQuery) -> HTMLResponse:
    form = with_saved_goal(app, user, form, today=now.date())
    errors: dict[str, str] = {}
    try:
        data, _ = plan_data(app, user, form, now=now)
    except PlanInvalid as exc:
        data, errors = plan_page(app, form), exc.errors
    return render(
        request,
        "progress/plan.html",
        data,
        status_code=422 if errors else 200,
        form=form,
        errors=errors,
        weeks=plan_weeks(data.plan) if data.plan is not None else [],
        weekdays=list(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)),
        kind_labels=KIND_LABELS,
        tomorrow=now.date() + timedelta(days=1),
    )


@router.get("/plan.ics", response_class=Response, include_in_schema=False)
def plan_ics_page(app: App, user: PageUser, now: Now, form: PlanQuery) -> Response:
    return _ics(app, user, now, form)


# --- your exam date -------------------------------------------------------------------------------


class ExamGoalsOut(BaseModel):
    """Your exam dates, soonest first (the plan's default and the dashboard's countdown)."""

    goals: list[ExamGoalOut]


def _known_exam(app: App, exam: str) -> str:
    if exam not in app.pack.blueprints:
        raise HTTPException(
            status_code=404, detail=f"unknown exam; choose one of {', '.join(sorted(app.pack.blueprints))}"
        )
    return exam


@router.get("/api/goals", tags=["progress"])
def goals_json(app: App, user: RequireUser, now: Now) -> ExamGoalsOut:
    """Your exam date for each exam you set one for, with the days left."""
    return ExamGoalsOut(goals=[ExamGoalOut.of(g) for g in goals.exam_goals(app, user.id, today=now.date())])


@router.put("/api/goals/{exam}", tags=["progress"], responses=_errors(422))
def goal_put(
    app: App, user: RequireUser, now: Now, exam: Annotated[str, ApiPath(max_length=32)], body: ExamGoalIn
) -> ExamGoalOut:
    """Set your exam date for ``exam`` (after today, at most two years ahead) and, optionally, the
    hours a week you plan to study: ``/plan`` opened without a date plans to it, the dashboard
    counts down to it."""
    goal = goals.set_exam_goal(app, user.id, _known_exam(app, exam), body.exam_date, body.hours_per_week, now=now)
    return ExamGoalOut.of(goal)


@router.delete("/api/goals/{exam}", tags=["progress"], status_code=204)
def goal_delete(app: App, user: RequireUser, exam: Annotated[str, ApiPath(max_length=32)]) -> Response:
    """Forget your exam date for ``exam`` (204 whether or not one was set)."""
    goals.clear_exam_goal(app, user.id, _known_exam(app, exam))
    return Response(status_code=204)


@router.post("/plan/goal", include_in_schema=False)
def goal_form(
    app: App,
    user: PageUser,
    now: Now,
    exam: Annotated[str, Form(max_length=32), OneLine],
    exam_date: Annotated[str, Form(max_length=32)],
    hours: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """The plan page's "Save as my exam date": stored, then back to the plan (which now opens on it)."""
    form = plan_form(
        app, exam=exam, exam_date=exam_date, hours=hours or None, days_off=[], session_minutes=None, today=now.date()
    )
    if form.errors or form.exam_date is None:
        raise HTTPException(status_code=422, detail=PlanInvalid(form.errors or {"exam_date": "required"}).detail())
    goals.set_exam_goal(app, user.id, form.exam, form.exam_date, form.hours, now=now)
    return RedirectResponse(f"/plan?{urlencode({'exam': form.exam})}", status_code=303)


@router.post("/plan/goal/delete", include_in_schema=False)
def goal_delete_form(app: App, user: PageUser, exam: Annotated[str, Form(max_length=32), OneLine]) -> Response:
    goals.clear_exam_goal(app, user.id, _known_exam(app, exam))
    return RedirectResponse(f"/plan?{urlencode({'exam': exam})}", status_code=303)
