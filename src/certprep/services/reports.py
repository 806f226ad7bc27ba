"""Problem reports on questions: a learner files one, sees their own; admins list and resolve them.

Functions for admins (listing everybody's reports, resolving them) do not check the role
themselves: the web layer (``require_admin``) and the CLI are the gatekeepers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from certprep.services.accounts import User
from certprep.services.errors import NotFound
from certprep.store import accounts as repo

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = [
    "REPORT_CATEGORIES",
    "REPORT_MESSAGE_MAX_LENGTH",
    "ProblemReport",
    "get_user_report",
    "list_problem_reports",
    "list_user_reports",
    "report_problem",
    "resolve_problem_report",
]

REPORT_CATEGORIES: dict[str, str] = {
    "wrong-answer": "The answer marked correct is wrong",
    "unclear": "The question or an option is unclear or ambiguous",
    "outdated": "A service or feature has changed since this was written",
    "rationale": "An explanation is wrong or missing",
    "typo": "A typo or a formatting problem",
    "other": "Something else",
}
REPORT_MESSAGE_MAX_LENGTH = 4000


@dataclass(frozen=True)
class ProblemReport:
    """A problem report; ``username`` is the reporter's (for admins' lists)."""

    id: int
    question_id: str
    question_revision: int
    attempt_id: str | None
    category: str
    message: str
    status: str  # "open" or "resolved"
    created_at: datetime
    resolved_at: datetime | None
    username: str | None = None


def _report(row: Mapping[str, Any]) -> ProblemReport:
    return ProblemReport(
        id=int(row["id"]),
        question_id=row["question_id"],
        question_revision=int(row["question_revision"]),
        attempt_id=row["attempt_id"],
        category=row["category"],
        message=row["message"],
        status=row["status"],
        created_at=row["created_at"],
        resolved_at=row["resolved_at"],
        username=row.get("username"),
    )


def report_problem(
    app: Certprep,
    user: User,
    question_id: str,
    *,
    category: str,
    message: str,
    now: datetime,
    revision: int | None = None,
    attempt_id: str | None = None,
) -> ProblemReport:
    """File a problem report on a question (the revision the learner saw; default the current).

    ``NotFound`` for an unknown question or revision, or an attempt that is not the user's;
    ``ValueError`` for an unknown category or an empty or overlong message.
    """
    if category not in REPORT_CATEGORIES:
        raise ValueError(f"unknown category {category!r}; one of: {', '.join(REPORT_CATEGORIES)}")
    text = message.strip()
    if not text or len(text) > REPORT_MESSAGE_MAX_LENGTH:
        raise ValueError(f"the message must have 1 to {REPORT_MESSAGE_MAX_LENGTH} characters")
    with app.transaction() as conn:
        found = repo.question_revisions(conn, question_id)
        if found is None:
            raise NotFound("question")
        current, known = found
        if revision is not None and revision not in known:
            raise NotFound("question revision")
        if attempt_id is not None and not repo.attempt_belongs_to(conn, user.id, attempt_id):
            raise NotFound("attempt")
        report_id = repo.insert_report(
            conn,
            {
                "user_id": user.id,
                "question_id": question_id,
                "question_revision": revision if revision is not None else current,
                "attempt_id": attempt_id,
                "category": category,
                "message": text,
                "status": "open",
                "created_at": now,
            },
        )
        row = repo.get_report(conn, report_id, user.id)
    assert row is not None
    return _report(row)


def get_user_report(app: Certprep, user: User, report_id: int) -> ProblemReport:
    """One of the user's own reports; ``NotFound`` for anybody else's."""
    with app.engine.connect() as conn:
        row = repo.get_report(conn, report_id, user.id)
    if row is None:
        raise NotFound("problem report")
    return _report(row)


def list_user_reports(app: Certprep, user: User) -> list[ProblemReport]:
    with app.engine.connect() as conn:
        return [_report(r) for r in repo.list_reports(conn, user_id=user.id)]


def list_problem_reports(app: Certprep, status: str | None = None) -> list[ProblemReport]:
    """Everybody's reports (admins), newest first; ``status`` "open" or "resolved" filters."""
    with app.engine.connect() as conn:
        return [_report(r) for r in repo.list_reports(conn, user_id=None, status=status)]


def resolve_problem_report(app: Certprep, report_id: int, now: datetime) -> ProblemReport:
    """Mark a report resolved (admins); resolving twice keeps the first time. ``NotFound`` if none."""
    with app.transaction() as conn:
        repo.resolve_report(conn, report_id, now)
        row = repo.get_report(conn, report_id, None)
    if row is None:
        raise NotFound("problem report")
    return _report(row)
