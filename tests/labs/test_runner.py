"""The runner: a subprocess per check run; failures, crashes, hangs and exits are never a pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from certprep.labs import Lab, LabError
from certprep.labs.runner import run_checks
from tests.labs.conftest import solve

pytest.importorskip("sklearn", reason="the labs extra is not installed")


def _statuses(lab: Lab, ws: Path, **kwargs: float) -> dict[str, str]:
    return {r.id: r.status for r in run_checks(lab, ws, **kwargs).results}


def test_starter_fails_with_the_todo_named(fake_lab: Lab, fake_workspace: Path) -> None:
    run = run_checks(fake_lab, fake_workspace)
    first = run.results[0]
    assert (first.id, first.status) == ("answer", "failed")
    assert "TODO" in first.hint and "answer" in first.hint
    assert not run.passed


def test_solution_passes(fake_lab: Lab, fake_workspace: Path) -> None:
    solve(fake_lab, fake_workspace)
    run = run_checks(fake_lab, fake_workspace)
    assert run.passed
    assert [r.detail for r in run.results] == ["42", "ok"]


def test_a_wrong_answer_fails_with_the_hint(fake_lab: Lab, fake_workspace: Path) -> None:
    (fake_workspace / "work.py").write_text("def answer():\n    return 41\n")
    result = run_checks(fake_lab, fake_workspace).results[0]
    assert (result.status, result.hint, result.detail) == ("failed", "think of the question first", "got 41")


def test_a_crashing_check_is_an_error_and_the_others_still_run(fake_lab: Lab, fake_workspace: Path) -> None:
    solve(fake_lab, fake_workspace)
    (fake_workspace / "mode.txt").write_text("crash")
    run = run_checks(fake_lab, fake_workspace)
    assert {r.id: r.status for r in run.results} == {"answer": "passed", "mode": "error"}
    assert "ZeroDivisionError" in run.results[1].detail
    assert not run.passed


def test_learner_code_that_crashes_on_import_is_an_error(fake_lab: Lab, fake_workspace: Path) -> None:
    (fake_workspace / "work.py").write_text("import no_such_module_anywhere\n")
    assert _statuses(fake_lab, fake_workspace)["answer"] == "error"


def test_a_check_that_hangs_is_stopped_and_reported(fake_lab: Lab, fake_workspace: Path) -> None:
    solve(fake_lab, fake_workspace)
    (fake_workspace / "mode.txt").write_text("hang")
    run = run_checks(fake_lab, fake_workspace, timeout=3)
    assert [(r.status, r.detail) for r in run.results] == [("error", "the checks did not finish within 3 s")]
    assert not run.passed


def test_an_exit_from_the_check_process_is_an_error(fake_lab: Lab, fake_workspace: Path) -> None:
    solve(fake_lab, fake_workspace)
    (fake_workspace / "mode.txt").write_text("exit")
    run = run_checks(fake_lab, fake_workspace)
    assert [r.status for r in run.results] == ["error"]
    assert "stopped early" in run.results[0].detail


def test_printing_does_not_disturb_the_results(fake_lab: Lab, fake_workspace: Path) -> None:
    solve(fake_lab, fake_workspace)
    (fake_workspace / "mode.txt").write_text("print")
    assert run_checks(fake_lab, fake_workspace).passed


def test_a_folder_that_is_no_workspace_is_refused(fake_lab: Lab, tmp_path: Path) -> None:
    with pytest.raises(LabError, match="not a lab workspace"):
        run_checks(fake_lab, tmp_path)
