"""Everything a user did, for export: attempts, the response log, reviews, problem reports, lab runs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from certprep.store import history as store

if TYPE_CHECKING:
    from certprep.app import Certprep

__all__ = ["HISTORY_TABLES", "user_history"]

HISTORY_TABLES = ("attempts", "responses", "reviews", "problem_reports", "lab_runs")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def user_history(app: Certprep, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Rows of every table that holds the user's activity, oldest first, JSON-ready."""
    with app.engine.connect() as conn:
        return {
            name: [{k: _plain(v) for k, v in row.items()} for row in rows]
            for name, rows in store.user_activity(conn, user_id).items()
        }
