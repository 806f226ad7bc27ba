"""Data of the home page (the dashboard, ``/``) and the exams page (shared by the HTML pages and
their JSON twins). The readiness page, ``/progress``, is ``web/progress_data.py`` over
``analytics/progress.py``.

``dashboard_data``: recent attempts, progress per domain (``services/exams/progress.py``: pooled
from the stored summaries of the latest finished attempts), and what to do next.
``exams_data``: every exam with Practice Exams 1..6 (best scores), the builder's choices and the
attempts still open. Readiness (analytics) joins here when it lands. Keep both free of HTML: the
templates ``dashboard.html`` / ``exams.html`` render what these return.
"""

from __future__ import annotations

from datetime import datetime

from certprep.app import Certprep
from certprep.services import exams
from certprep.services.accounts import User
from certprep.services.exams import AttemptSummary
from certprep.services.exams.progress import DomainProgress, domain_progress
from certprep.web.schemas import (
    BuilderOut,
    DashboardOut,
    DomainOut,
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


def exams_data(app: Certprep, user: User, now: datetime) -> ExamsOut:
    practice = {code: exams.practice_exams(app, user.id, code).practice_exams for code in app.pack.exam_codes}
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


def _next_steps(app: Certprep, summaries: list[AttemptSummary], progress: list[DomainProgress]) -> list[NextStep]:
    steps = [
        NextStep(text=f"Resume “{a.title}” ({a.exam_code}), still in progress.", href=f"/attempts/{a.id}")
        for a in summaries
        if a.status == "in_progress"
    ][:3]
    judged = [p for p in progress if p.mastery is not None]
    if not judged:
        steps.append(NextStep(text="Take a first practice exam to find your weak domains.", href="/exams"))
    else:
        weakest = min(judged, key=lambda p: (p.mastery or 0.0, -p.weight))
        if not weakest.meets:
            steps.append(
                NextStep(
                    text=f"Drill {weakest.exam_code} domain {weakest.domain_id}, {weakest.title}: "
                    f"{round((weakest.mastery or 0.0) * 100)}% right so far.",
                    href=f"/exams#builder-{weakest.exam_code}",
                )
            )
        last = next((a for a in summaries if a.status != "in_progress"), None)
        if last is not None and last.passed is False:
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
    progress = domain_progress(app, user.id, now=now)
    return DashboardOut(
        user=UserOut.of(user),
        exams=exam_summaries(app),
        recent_attempts=summaries[:RECENT_ATTEMPTS],
        progress=progress,
        next_steps=_next_steps(app, summaries, progress),
    )
