"""Data functions of the exam pages and their JSON twins, over ``certprep.services.exams``.

The service builds each view (``services/exams/schemas.py``): the JSON route returns it and the
page renders it, as it is. What is left here is the web's side: the signed-in user and the parsed
request bodies (``web/attempt_schemas.py``). Scoping is the service's: every call takes the user,
and another user's attempt is ``NotFound`` (a 404), the same as one that does not exist.
"""

from __future__ import annotations

import random
from datetime import datetime

from certprep.app import Certprep
from certprep.services import exams
from certprep.services.accounts import User
from certprep.services.exams import (
    AttemptList,
    AttemptReport,
    AttemptView,
    PracticeExams,
    Review,
    ReviewFilter,
)
from certprep.web.attempt_schemas import ActionIn, StartIn

__all__ = [
    "act",
    "attempts_data",
    "practice_exams_data",
    "report_data",
    "retake_missed",
    "review_data",
    "start",
    "view_data",
]


def start(app: Certprep, user: User, body: StartIn, *, now: datetime, rng: random.Random) -> AttemptView:
    return exams.start_exam(app, user.id, body.to_request(), now=now, rng=rng)


def view_data(app: Certprep, user: User, attempt_id: str, *, now: datetime) -> AttemptView:
    return exams.attempt_view(app, user.id, attempt_id, now=now)


def act(app: Certprep, user: User, attempt_id: str, body: ActionIn, *, now: datetime) -> AttemptView:
    return exams.act(app, user.id, attempt_id, body.to_action(), expected_version=body.expected_version, now=now)


def attempts_data(app: Certprep, user: User, *, now: datetime, exam: str | None = None) -> AttemptList:
    return AttemptList(attempts=exams.list_attempts(app, user.id, now=now, exam=exam))


def practice_exams_data(app: Certprep, user: User, code: str, *, now: datetime) -> PracticeExams:
    return exams.practice_exams(app, user.id, code, now=now)


def report_data(app: Certprep, user: User, attempt_id: str, *, now: datetime) -> AttemptReport:
    return exams.attempt_report(app, user.id, attempt_id, now=now)


def retake_missed(
    app: Certprep, user: User, attempt_id: str, *, now: datetime, rng: random.Random, mode: str = "practice"
) -> AttemptView:
    return exams.retake_missed(app, user.id, attempt_id, now=now, rng=rng, mode=mode)


def review_data(
    app: Certprep,
    user: User,
    attempt_id: str,
    *,
    now: datetime,
    show: ReviewFilter = "all",
    domain: str | None = None,
) -> Review:
    return exams.attempt_review(app, user.id, attempt_id, now=now, show=show, domain=domain)
