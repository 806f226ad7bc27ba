"""Data of the home page (the dashboard, ``/``) and the exams page (shared by the HTML pages and
their JSON twins). The readiness page, ``/progress``, is ``web/progress_data.py`` over
``analytics/progress.py``.

``dashboard_data``: recent finished attempts, progress per domain pooled from the latest finished
attempts (scored questions only, unanswered ones count as wrong, like the report), and what to do
next (first, every open attempt once, to resume). An abandoned attempt shows in none of them.
``exams_data``: every exam with Practice Exams 1..6 (best scores), the builder's choices and the
attempts still open. Readiness (analytics) joins here when it lands. Keep both free of HTML: the
templates ``dashboard.html`` / ``exams.html`` render what these return.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from certprep.app import Certprep
from certprep.exam.scoring import cut_percent
from certprep.services import exams
from certprep.services.accounts import User
from certprep.web.schemas import (
    AttemptSummary,
    BuilderOut,
    DashboardOut,
    DomainOut,
    DomainProgress,
    ExamOut,
    ExamsOut,
    NextStep,
    PracticeExamOut,
    TaskOut,
    UserOut,
)

__all__ = ["PROGRESS_ATTEMPTS", "RECENT_ATTEMPTS", "dashboard_data", "exam_summaries", "exams_data"]

RECENT_ATTEMPTS = 10
PROGRESS_ATTEMPTS = 20  # the latest finished attempts pooled into progress per domain
BUILDER_SELECTIONS = ("drill", "missed", "unseen", "flagged", "custom")
_CACHE_KEY = "dashboard-domain-results"
_CACHE_LIMIT = 4096


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


def _summaries(app: Certprep, user: User, now: datetime) -> list[AttemptSummary]:
    """The user's attempts, newest first (the service submits any that are past their deadline)."""
    return [AttemptSummary.model_validate(r) for r in exams.list_attempts(app, user.id, now=now)]


def exams_data(app: Certprep, user: User, now: datetime) -> ExamsOut:
    practice = {
        code: [PracticeExamOut.model_validate(p) for p in exams.practice_exams(app, user.id, code, now=now)]
        for code in app.pack.exam_codes
    }
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
        in_progress=[a for a in _summaries(app, user, now) if a.status == "in_progress"],
    )


def _domain_results(app: Certprep, user: User, attempt_id: str, now: datetime) -> list[tuple[Any, ...]]:
    """(exam, domain, scored questions, answered, right) of one finished attempt.

    A finished attempt never changes, so its figures are kept in the app's cache (the same in
    every worker); an attempt whose report cannot be built is left out of the progress.
    """
    cache: dict[str, list[tuple[Any, ...]]] = app.cache.setdefault(_CACHE_KEY, {})
    key = f"{user.id}:{attempt_id}"
    if key not in cache:
        try:
            report = exams.attempt_report(app, user.id, attempt_id, now=now)
        except (ValueError, LookupError):
            return []
        sums: dict[str, list[int]] = {}
        for item in report["items"]:
            if item["scored"]:
                row = sums.setdefault(item["domain"], [0, 0, 0])
                row[0] += 1
                row[1] += int(item["answered"])
                row[2] += int(item["correct"])
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = [(report["exam"], domain, *row) for domain, row in sums.items()]
    return cache[key]


def _progress(app: Certprep, user: User, summaries: list[AttemptSummary], now: datetime) -> list[DomainProgress]:
    finished = [a for a in summaries if a.status in FINISHED][:PROGRESS_ATTEMPTS]
    totals: dict[tuple[str, str], list[int]] = {}
    for attempt in finished:
        for exam, domain, questions, answered, right in _domain_results(app, user, attempt.id, now):
            row = totals.setdefault((exam, domain), [0, 0, 0, 0])
            row[0] += 1
            row[1] += questions
            row[2] += answered
            row[3] += right
    out = []
    for code, bp in ((c, app.pack.blueprints[c]) for c in app.pack.exam_codes):
        cut = float(cut_percent(bp)) / 100
        for d in bp.domains:
            attempts, questions, answered, right = totals.get((code, d.id), [0, 0, 0, 0])
            mastery = right / questions if questions else None
            out.append(
                DomainProgress(
                    exam_code=code,
                    domain_id=d.id,
                    title=d.title,
                    weight=d.weight,
                    attempts=attempts,
                    questions=questions,
                    answered=answered,
                    correct=right,
                    mastery=mastery,
                    meets=None if mastery is None else mastery >= cut,
                    cut_percent=cut * 100,
                )
            )
    return out


def _next_steps(app: Certprep, summaries: list[AttemptSummary], progress: list[DomainProgress]) -> list[NextStep]:
    steps = [  # every open attempt once; the recent attempts below list finished ones only
        NextStep(text=f"Resume “{a.title}” ({a.exam_code}), still in progress.", href=f"/attempts/{a.id}")
        for a in summaries
        if a.status == "in_progress"
    ]
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
        last = next((a for a in summaries if a.status in FINISHED), None)
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
    summaries = _summaries(app, user, now)
    progress = _progress(app, user, summaries, now)
    return DashboardOut(
        user=UserOut.of(user),
        exams=exam_summaries(app),
        recent_attempts=[a for a in summaries if a.status in FINISHED][:RECENT_ATTEMPTS],
        progress=progress,
        next_steps=_next_steps(app, summaries, progress),
    )
