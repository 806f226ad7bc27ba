"""Data of the home page (the dashboard, ``/``) and the exams page (shared by the HTML pages and
their JSON twins). The readiness page, ``/progress``, is ``web/progress_data.py`` over
``analytics/progress.py``.

``dashboard_data``: the countdown to your exam dates, recent finished attempts, each domain's one
figure (mastery, as on the progress page and the plan: ``analytics.figures``), and what to do next
(first, every open attempt once, to resume). An abandoned attempt shows in none of them.
``exams_data``: every exam with Practice Exams 1..6 (best scores), the builder's choices and the
attempts still open. Keep both free of HTML: the
templates ``dashboard.html`` / ``exams.html`` render what these return.
"""

from __future__ import annotations

from datetime import datetime

from certprep.analytics.readiness import DEFAULT_RULES
from certprep.app import Certprep
from certprep.services import exams, goals, readiness
from certprep.services.accounts import User
from certprep.services.exams import AttemptSummary
from certprep.web.schemas import (
    BuilderOut,
    DashboardOut,
    DomainFigureOut,
    DomainOut,
    ExamGoalOut,
    ExamOut,
    ExamsOut,
    NextStep,
    TaskOut,
    UserOut,
)

__all__ = ["RECENT_ATTEMPTS", "dashboard_data", "exam_summaries", "exams_data"]

RECENT_ATTEMPTS = 10
BUILDER_SELECTIONS = ("drill", "missed", "unseen", "flagged", "custom")


def exam_summaries(app: Certprep) -> list[ExamOut]:
    """Every exam of the pack with its published rules, domains, weights and task statements."""
    out = []
    for code, bp in ((c, app.pack.blueprints[c]) for c in app.pack.exam_codes):
        out.append(
            ExamOut(
                code=code,
                title=bp.title,
                status=bp.status,
                retired_on=bp.retired_on,
                availability=bp.availability,
                unconfirmed=list(bp.unconfirmed),
                questions_total=bp.questions_total,
                questions_scored=bp.questions_scored,
                duration_minutes=bp.duration_minutes,
                passing_score=bp.passing_score,
                question_types=list(bp.question_types),
                bank_questions=len(app.pack.questions_for(code)),
                domains=[
                    DomainOut(
                        id=d.id,
                        title=d.title,
                        weight=d.weight,
                        tasks=[TaskOut(id=t.id, title=t.title) for t in d.tasks],
                    )
                    for d in bp.domains
                ],
            )
        )
    return out


FINISHED = ("submitted", "expired")  # an abandoned attempt counts in no figure


def exams_data(app: Certprep, user: User, now: datetime) -> ExamsOut:
    practice = {code: exams.practice_exams(app, user.id, code, now=now).practice_exams for code in app.pack.exam_codes}
    return ExamsOut(
        exams=exam_summaries(app),
        practice_exams=practice,
        builder=BuilderOut(
            modes=["exam", "practice"],
            selections=list(BUILDER_SELECTIONS),
            default_count=20,
            max_count=200,
            max_time_limit_minutes=600,
        ),
        in_progress=[a for a in exams.list_attempts(app, user.id, now=now) if a.status == "in_progress"],
    )


def _progress(app: Certprep, user: User, now: datetime) -> list[DomainFigureOut]:
    """Every exam's domains with their one figure: mastery (services.readiness.domain_mastery)."""
    figures = readiness.every_domain_mastery(app, user.id, app.pack.exam_codes, now=now)
    return [DomainFigureOut.of(f) for code in app.pack.exam_codes for f in figures[code]]


def _next_steps(app: Certprep, summaries: list[AttemptSummary], progress: list[DomainFigureOut]) -> list[NextStep]:
    steps = [  # every open attempt once; the recent attempts list finished ones only
        NextStep(text=f"Resume “{a.title}” ({a.exam_code}), still in progress.", href=f"/attempts/{a.id}")
        for a in summaries
        if a.status == "in_progress"
    ]
    judged = [p for p in progress if p.answers > 0]
    if not judged:
        steps.append(NextStep(text="Take a first practice exam to find your weak domains.", href="/exams"))
    else:
        weakest = min(judged, key=lambda p: (p.mean, -p.weight))
        if weakest.mean < DEFAULT_RULES.domain_floor:
            steps.append(
                NextStep(
                    text=f"Drill {weakest.exam} domain {weakest.id}, {weakest.title}: {weakest.text}.",
                    href=f"/exams#builder-{weakest.exam}",
                )
            )
        last = next((a for a in summaries if a.status in FINISHED), None)
        if last is not None and last.raw_score is not None and last.raw_score < (last.raw_max or 0):
            steps.append(
                NextStep(
                    text="Review what you missed in your last attempt.", href=f"/attempts/{last.id}/review?show=wrong"
                )
            )
    steps.append(NextStep(text="Read what each exam covers: domains, weights and task statements.", href="/exams"))
    return steps


def dashboard_data(app: Certprep, user: User, now: datetime) -> DashboardOut:
    """The user's dashboard: exams, recent attempts (this user's only), progress, next steps."""
    summaries = exams.list_attempts(app, user.id, now=now)  # submits any past their deadline first
    progress = _progress(app, user, now)
    return DashboardOut(
        user=UserOut.of(user),
        exams=exam_summaries(app),
        recent_attempts=[a for a in summaries if a.status in FINISHED][:RECENT_ATTEMPTS],
        progress=progress,
        exam_goals=[ExamGoalOut.of(g) for g in goals.exam_goals(app, user.id, today=now.date())],
        next_steps=_next_steps(app, summaries, progress),
    )
