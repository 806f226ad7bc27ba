"""Data functions of the exam pages and their JSON twins, over ``certprep.services.exams``.

Each returns a pydantic model (``web/attempt_schemas.py``): the JSON route returns it, the page
renders it. Scoping is the service's: every call takes the user, and another user's attempt is
``NotFound`` (a 404), the same as one that does not exist.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Literal

from certprep.app import Certprep
from certprep.services import exams
from certprep.services.accounts import User
from certprep.services.errors import NotFound
from certprep.web.attempt_schemas import (
    ActionIn,
    AttemptListOut,
    AttemptReportOut,
    AttemptView,
    CaseOut,
    DomainFilter,
    PracticeExamsOut,
    ReviewOut,
    StartIn,
)

__all__ = [
    "REVIEW_FILTERS",
    "act",
    "attempts_data",
    "practice_exams_data",
    "report_data",
    "retake_missed",
    "review_data",
    "review_from_report",
    "start",
    "view_data",
]

REVIEW_FILTERS = ("all", "wrong", "flagged")
ReviewFilter = Literal["all", "wrong", "flagged"]


def start(app: Certprep, user: User, body: StartIn, *, now: datetime, rng: random.Random) -> AttemptView:
    return AttemptView.model_validate(exams.start_exam(app, user.id, body.to_request(), now=now, rng=rng))


def view_data(app: Certprep, user: User, attempt_id: str, *, now: datetime) -> AttemptView:
    return AttemptView.model_validate(exams.attempt_view(app, user.id, attempt_id, now=now))


def act(app: Certprep, user: User, attempt_id: str, body: ActionIn, *, now: datetime) -> AttemptView:
    view = exams.act(app, user.id, attempt_id, body.to_action(), expected_version=body.expected_version, now=now)
    return AttemptView.model_validate(view)


def attempts_data(app: Certprep, user: User, *, now: datetime, exam: str | None = None) -> AttemptListOut:
    return AttemptListOut.model_validate({"attempts": exams.list_attempts(app, user.id, now=now, exam=exam)})


def practice_exams_data(app: Certprep, user: User, code: str, *, now: datetime) -> PracticeExamsOut:
    if code not in app.pack.blueprints:
        raise NotFound("exam")
    listed = exams.practice_exams(app, user.id, code, now=now)
    return PracticeExamsOut.model_validate({"exam": code, "practice_exams": listed})


def report_data(app: Certprep, user: User, attempt_id: str, *, now: datetime) -> AttemptReportOut:
    return AttemptReportOut.model_validate(exams.attempt_report(app, user.id, attempt_id, now=now))


def retake_missed(
    app: Certprep, user: User, attempt_id: str, *, now: datetime, rng: random.Random, mode: str = "practice"
) -> AttemptView:
    view = exams.retake_missed(app, user.id, attempt_id, now=now, rng=rng, mode=mode)
    return AttemptView.model_validate(view)


def _case(app: Certprep, case_id: str) -> CaseOut | None:
    for case in app.pack.case_studies:
        if case.id == case_id:
            return CaseOut(id=case.id, title=case.title, scenario=case.scenario)
    return None


def review_from_report(
    app: Certprep, report: AttemptReportOut, show: ReviewFilter = "all", domain: str | None = None
) -> ReviewOut:
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
    cases: list[CaseOut] = []
    for case_id in dict.fromkeys(i.case_id for i in items if i.case_id):
        case = _case(app, case_id)
        if case is not None:
            cases.append(case)
    return ReviewOut(
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


def review_data(
    app: Certprep,
    user: User,
    attempt_id: str,
    *,
    now: datetime,
    show: ReviewFilter = "all",
    domain: str | None = None,
) -> ReviewOut:
    return review_from_report(app, report_data(app, user, attempt_id, now=now), show, domain)
