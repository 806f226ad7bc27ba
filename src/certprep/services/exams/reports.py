"""After an attempt: its score report and review, and the list of a learner's attempts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection

from certprep.exam.attempt import AttemptState, Status
from certprep.exam.report import Report, build_report
from certprep.exam.scoring import is_full_length
from certprep.services.exams.content import form_questions
from certprep.services.exams.errors import AttemptConflictError
from certprep.services.exams.schemas import AttemptReport, AttemptSummary, CaseView, DomainFilter, Review
from certprep.services.exams.state import load, refresh, settled
from certprep.store import exams as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "REVIEW_FILTERS",
    "ReviewFilter",
    "attempt_report",
    "attempt_review",
    "build_attempt_report",
    "list_attempts",
    "refuse_unfinished",
    "review_of",
    "with_verdict",
]

REVIEW_FILTERS = ("all", "wrong", "flagged")
ReviewFilter = Literal["all", "wrong", "flagged"]


def refuse_unfinished(state: AttemptState) -> None:
    """An attempt has a report (and a retake) once submitted or expired; never when abandoned."""
    if state.is_open:
        raise AttemptConflictError("the attempt is still in progress; submit it to see its report")
    if state.status is Status.ABANDONED:
        raise AttemptConflictError("this attempt was abandoned: it has no report and counts in no figure")


def build_attempt_report(app: Certprep, conn: Connection, state: AttemptState) -> Report:
    return build_report(state, form_questions(app, conn, state.form), app.pack.blueprints[state.form.exam])


def attempt_report(app: Certprep, user_id: int, attempt_id: str, *, now: datetime) -> AttemptReport:
    """The score report and full review of a finished attempt."""
    with settled(app, user_id, attempt_id, now) as (conn, row, state):
        refuse_unfinished(state)
        report = build_attempt_report(app, conn, state)
    return AttemptReport(id=row["id"], **dict(report))


def with_verdict(app: Certprep, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` (an ``attempts`` row) with ``full_length`` and, unless the attempt is a finished full
    mock, no pass/fail nor scaled score: attempts stored before that rule kept theirs."""
    bp = app.pack.blueprints.get(row["exam_code"])
    count = (row.get("summary") or {}).get("question_count")
    if count is None:  # no summary (an open attempt, or a row older than summaries): as stored
        return {**row, "full_length": row.get("passed") is not None}
    full = bp is not None and is_full_length(row["mode"], int(count), bp)
    out = {**row, "full_length": full}
    if not full:
        out.update(passed=None, scaled_score=None)
    return out


def review_of(app: Certprep, report: AttemptReport, show: ReviewFilter = "all", domain: str | None = None) -> Review:
    """Filter a report's items: every one, the wrong ones (unanswered count), the flagged; a domain."""
    blueprint = app.pack.blueprints.get(report.exam)
    titles = {d.id: d.title for d in blueprint.domains} if blueprint else {}
    counts: dict[str, int] = {}
    for item in report.items:
        counts[item.domain] = counts.get(item.domain, 0) + 1
    domains = [DomainFilter(id=d, title=titles.get(d, d), questions=n) for d, n in sorted(counts.items())]
    items = [
        item
        for item in report.items
        if (show == "all" or (show == "wrong" and not item.correct) or (show == "flagged" and item.flagged))
        and (domain is None or item.domain == domain)
    ]
    known = {case.id: case for case in app.pack.case_studies}
    cases = [
        CaseView(id=known[case_id].id, title=known[case_id].title, scenario=known[case_id].scenario)
        for case_id in dict.fromkeys(i.case_id for i in items if i.case_id)
        if case_id in known
    ]
    return Review(
        id=report.id,
        exam=report.exam,
        title=report.title,
        status=report.status,
        show=show,
        domain=domain,
        domains=domains,
        total=len(report.items),
        items=items,
        cases=cases,
    )


def attempt_review(
    app: Certprep,
    user_id: int,
    attempt_id: str,
    *,
    now: datetime,
    show: ReviewFilter = "all",
    domain: str | None = None,
) -> Review:
    """The review of a finished attempt, filtered (``review_of``)."""
    return review_of(app, attempt_report(app, user_id, attempt_id, now=now), show, domain)


def list_attempts(app: Certprep, user_id: int, *, now: datetime, exam: str | None = None) -> list[AttemptSummary]:
    """The learner's attempts, newest first (open ones past their deadline are submitted first,
    in a write transaction; the list alone is a plain read)."""
    with app.engine.connect() as conn:
        rows = repo.list_attempts(conn, user_id, exam)
    due = [r["id"] for r in rows if r["status"] == Status.IN_PROGRESS and r["deadline"] and r["deadline"] <= now]
    if due:
        with app.transaction() as conn:
            for attempt_id in due:
                row, state = load(app, conn, user_id, attempt_id)
                refresh(app, conn, row, state, now)
            rows = repo.list_attempts(conn, user_id, exam)
    return [AttemptSummary.model_validate(with_verdict(app, r)) for r in rows]
