"""Labs: the pack's catalogue, and each user's check runs (the runs themselves happen in labs/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from certprep.labs.api import CheckResult
from certprep.labs.catalog import Lab, find_lab, load_labs
from certprep.store import labs as lab_repo

if TYPE_CHECKING:
    from certprep.app import Certprep
    from certprep.labs.runner import CheckRun

__all__ = ["LabStatus", "catalogue", "get_lab", "lab_tasks", "overview", "passed_labs", "record_run", "task_titles"]


@dataclass(frozen=True)
class LabStatus:
    """A lab as one user stands with it: ``status`` is not checked / failing / passed (last run)."""

    lab: Lab
    status: str
    runs: int
    ever_passed: bool
    checked_at: datetime | None
    results: tuple[CheckResult, ...]


def catalogue(app: Certprep) -> tuple[Lab, ...]:
    """The pack's labs (read once per application: the pack never changes while it runs)."""
    found: tuple[Lab, ...] | None = app.cache.get("labs")
    if found is None:
        found = app.cache.setdefault("labs", load_labs(app.pack.root))
    return found


def get_lab(app: Certprep, lab_id: str) -> Lab:
    """The lab ``lab_id``; ``labs.LabError`` when the pack has none of that id."""
    for lab in catalogue(app):
        if lab.id == lab_id:
            return lab
    return find_lab(app.pack.root, lab_id)


def task_titles(app: Certprep) -> dict[str, dict[str, str]]:
    """Exam code -> {task statement id: title}, for the labs' READMEs and pages."""
    return {
        code: {task.id: task.title for domain in bp.domains for task in domain.tasks}
        for code, bp in app.pack.blueprints.items()
    }


def record_run(app: Certprep, user_id: int, run: CheckRun, *, now: datetime) -> int:
    """Store one check run of ``user_id``'s; returns its id."""
    with app.transaction() as conn:
        return lab_repo.insert_run(conn, user_id, run.lab_id, now, run.passed, run.to_json())


def overview(app: Certprep, user_id: int) -> list[LabStatus]:
    """Every lab with the user's last check run, in catalogue order (a read: no write lock)."""
    with app.engine.connect() as conn:
        latest = lab_repo.latest_runs(conn, user_id)
        counts = lab_repo.run_counts(conn, user_id)
    out = []
    for lab in catalogue(app):
        row = latest.get(lab.id)
        runs, ever = counts.get(lab.id, (0, False))
        if row is None:
            out.append(LabStatus(lab, "not checked", 0, False, None, ()))
            continue
        results = tuple(CheckResult.from_json(item) for item in row["results"])
        status = "passed" if row["passed"] else "failing"
        out.append(LabStatus(lab, status, runs, ever, row["checked_at"], results))
    return out


def lab_tasks(app: Certprep, exam: str) -> dict[str, tuple[str, ...]]:
    """Lab id -> the task statements of ``exam`` it serves (labs that serve none left out)."""
    return {lab.id: lab.tasks[exam] for lab in catalogue(app) if lab.tasks.get(exam)}


def passed_labs(app: Certprep, user_id: int) -> frozenset[str]:
    """The labs whose latest check run of ``user_id``'s passed (a read: no write lock)."""
    with app.engine.connect() as conn:
        latest = lab_repo.latest_runs(conn, user_id)
    return frozenset(lab_id for lab_id, row in latest.items() if row["passed"])
