"""Everything a user did, for export: attempts, the response log, reviews, problem reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from certprep.store.tables import attempts, problem_reports, responses, review_log

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["HISTORY_TABLES", "user_history"]

HISTORY_TABLES = ("attempts", "responses", "reviews", "problem_reports")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def user_history(app: Certprep, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table that holds the user's activity, oldest first, JSON-ready."""
    attempt_cols = [c for c in attempts.c if c.name not in ("state", "form", "user_id")]
    queries = {
        "attempts": select(*attempt_cols).where(attempts.c.user_id == user_id).order_by(attempts.c.started_at),
        "responses": select(*[c for c in responses.c if c.name != "user_id"])
        .where(responses.c.user_id == user_id)
        .order_by(responses.c.recorded_at, responses.c.id),
        "reviews": select(*[c for c in review_log.c if c.name not in ("user_id", "details")])
        .where(review_log.c.user_id == user_id)
        .order_by(review_log.c.reviewed_at, review_log.c.id),
        "problem_reports": select(*[c for c in problem_reports.c if c.name != "user_id"])
        .where(problem_reports.c.user_id == user_id)
        .order_by(problem_reports.c.created_at),
    }
    with app.engine.connect() as conn:
        return {
            name: [{k: _plain(v) for k, v in row.items()} for row in conn.execute(query).mappings()]
            for name, query in queries.items()
        }
