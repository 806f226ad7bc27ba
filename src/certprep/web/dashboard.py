"""Data of the dashboard and exams pages (shared by the HTML pages and their JSON twins).

Extension point for the exam work: ``dashboard_data`` is where per-domain progress, readiness and
"what to do next" are filled in once attempts are scored; ``exams_data`` is where Practice Exams
1..6 with best scores and the practice-mode builder join. Keep both free of HTML: the templates
``dashboard.html`` / ``exams.html`` render what these return.
"""

from __future__ import annotations

from datetime import datetime

from certprep.app import Certprep
from certprep.services.accounts import User
from certprep.store.exams import list_attempts
from certprep.web.schemas import (
    AttemptSummary,
    DashboardOut,
    DomainOut,
    DomainProgress,
    ExamOut,
    ExamsOut,
    NextStep,
    TaskOut,
    UserOut,
)

__all__ = ["RECENT_ATTEMPTS", "dashboard_data", "exam_summaries", "exams_data"]

RECENT_ATTEMPTS = 10


def exam_summaries(app: Certprep) -> list[ExamOut]:
    """Every exam of the pack with its published rules, domains, weights and task statements."""
    out = []
    for code, bp in sorted(app.pack.blueprints.items()):
        out.append(
            ExamOut(
                code=code,
                title=bp.title,
                status=bp.status,
                retired_on=bp.retired_on,
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


def exams_data(app: Certprep, user: User) -> ExamsOut:
    return ExamsOut(exams=exam_summaries(app))


def dashboard_data(app: Certprep, user: User, now: datetime) -> DashboardOut:
    """The user's dashboard: exams, recent attempts (this user's only), progress, next steps."""
    # A read, so no transaction to own; scoped to the user by the repository function.
    with app.engine.connect() as conn:
        rows = list_attempts(conn, user.id, limit=RECENT_ATTEMPTS)
    attempts = [
        AttemptSummary(
            id=r["id"],
            exam_code=r["exam_code"],
            mode=r["mode"],
            title=r["title"],
            status=r["status"],
            started_at=r["started_at"],
            submitted_at=r["submitted_at"],
            scaled_score=r["scaled_score"],
            passed=r["passed"],
        )
        for r in rows
    ]
    exams = exam_summaries(app)
    # Placeholders until scored answers exist: every domain, nothing judged yet.
    progress = [
        DomainProgress(exam_code=e.code, domain_id=d.id, title=d.title, weight=d.weight)
        for e in exams
        for d in e.domains
    ]
    next_steps = [NextStep(text="Read what each exam covers: domains, weights and task statements.", href="/exams")]
    if not attempts:
        next_steps.append(NextStep(text="Take a first practice exam to find your weak domains (coming soon)."))
    return DashboardOut(
        user=UserOut.of(user), exams=exams, recent_attempts=attempts, progress=progress, next_steps=next_steps
    )
