"""Every row of a user's activity, for the history export. Functions never commit."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping, select

from certprep.store.tables import attempts, lab_runs, problem_reports, responses, review_log

__all__ = ["user_activity"]


def user_activity(conn: Connection, user_id: int) -> dict[str, list[RowMapping]]:
    """Rows of every table that holds the user's activity, oldest first, keyed by the export's
    names (``attempts``, ``responses``, ``reviews``, ``problem_reports``, ``lab_runs``); internal columns
    (the user id, an attempt's state and form, a review's details) left out."""
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
        # One row per `certprep labs check`: lab id, when, passed, and each check's result.
        "lab_runs": select(*[c for c in lab_runs.c if c.name != "user_id"])
        .where(lab_runs.c.user_id == user_id)
        .order_by(lab_runs.c.checked_at, lab_runs.c.id),
    }
    return {name: list(conn.execute(query).mappings()) for name, query in queries.items()}
