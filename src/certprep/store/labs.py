"""Lab check runs. Functions take a Connection; the caller (services) owns the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, select

from certprep.store.tables import lab_runs

__all__ = ["insert_run", "latest_runs", "run_counts"]


def insert_run(
    conn: Connection, user_id: int, lab_id: str, checked_at: datetime, passed: bool, results: list[dict[str, Any]]
) -> int:
    row = conn.execute(
        lab_runs.insert()
        .values(user_id=user_id, lab_id=lab_id, checked_at=checked_at, passed=passed, results=results)
        .returning(lab_runs.c.id)
    ).scalar_one()
    return int(row)


def latest_runs(conn: Connection, user_id: int) -> dict[str, dict[str, Any]]:
    """The user's most recent run of each lab, by lab id."""
    newest = (
        select(lab_runs.c.lab_id, func.max(lab_runs.c.id).label("id"))
        .where(lab_runs.c.user_id == user_id)
        .group_by(lab_runs.c.lab_id)
        .subquery()
    )
    rows = conn.execute(select(lab_runs).join(newest, lab_runs.c.id == newest.c.id)).mappings()
    return {row["lab_id"]: dict(row) for row in rows}


def run_counts(conn: Connection, user_id: int) -> dict[str, tuple[int, bool]]:
    """Per lab: how many runs the user made and whether any of them passed."""
    ever_passed = func.max(case((lab_runs.c.passed, 1), else_=0))
    rows = conn.execute(
        select(lab_runs.c.lab_id, func.count(), ever_passed)
        .where(lab_runs.c.user_id == user_id)
        .group_by(lab_runs.c.lab_id)
    ).all()
    return {lab_id: (int(n), bool(ever)) for lab_id, n, ever in rows}
