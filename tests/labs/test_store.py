"""Check runs are stored per user; the overview shows each user's own last run."""

from __future__ import annotations

from datetime import timedelta

from certprep.app import Certprep
from certprep.labs.api import CheckResult
from certprep.labs.runner import CheckRun
from certprep.services import labs as service
from tests.conftest import NOW
from tests.services.conftest import app, other_user, user  # noqa: F401 - fixtures

LAB = "leakage-free-features"


def _run(*statuses: str) -> CheckRun:
    results = tuple(
        CheckResult(f"c{i}", f"check {i}", s, hint="h" if s != "passed" else "") for i, s in enumerate(statuses)
    )
    return CheckRun(LAB, results, 1.0)


def test_runs_are_kept_per_user_and_the_last_one_counts(app: Certprep, user: int) -> None:  # noqa: F811
    bob = other_user(app)
    service.record_run(app, user, _run("passed", "failed"), now=NOW)
    service.record_run(app, user, _run("passed", "passed"), now=NOW + timedelta(minutes=5))
    service.record_run(app, bob, _run("error"), now=NOW + timedelta(minutes=9))

    mine = {s.lab.id: s for s in service.overview(app, user)}
    assert (mine[LAB].status, mine[LAB].runs, mine[LAB].ever_passed) == ("passed", 2, True)
    assert mine[LAB].checked_at == NOW + timedelta(minutes=5)
    assert [r.status for r in mine[LAB].results] == ["passed", "passed"]
    assert all(s.status == "not checked" for lab_id, s in mine.items() if lab_id != LAB)

    theirs = {s.lab.id: s for s in service.overview(app, bob)}
    assert (theirs[LAB].status, theirs[LAB].runs, theirs[LAB].ever_passed) == ("failing", 1, False)
    assert theirs[LAB].results[0].status == "error"


def test_a_run_with_an_error_is_not_passed(app: Certprep, user: int) -> None:  # noqa: F811
    run = _run("passed", "error")
    assert not run.passed
    service.record_run(app, user, run, now=NOW)
    assert {s.lab.id: s.status for s in service.overview(app, user)}[LAB] == "failing"


def test_the_history_export_holds_the_users_own_lab_runs(app: Certprep, user: int) -> None:  # noqa: F811
    from certprep.services.history import HISTORY_TABLES, user_history

    bob = other_user(app)
    service.record_run(app, user, _run("passed", "failed"), now=NOW)
    service.record_run(app, user, _run("passed", "passed"), now=NOW + timedelta(minutes=5))
    service.record_run(app, bob, _run("error"), now=NOW + timedelta(minutes=9))

    data = user_history(app, user)
    assert "lab_runs" in HISTORY_TABLES and set(data) == set(HISTORY_TABLES)
    runs = data["lab_runs"]
    assert [(r["lab_id"], r["passed"]) for r in runs] == [(LAB, False), (LAB, True)]
    assert runs[0]["checked_at"] == NOW.isoformat()
    assert [c["status"] for c in runs[0]["results"]] == ["passed", "failed"]
    assert runs[0]["results"][1]["hint"] == "h"
    assert "user_id" not in runs[0]
    assert [r["passed"] for r in user_history(app, bob)["lab_runs"]] == [False]
