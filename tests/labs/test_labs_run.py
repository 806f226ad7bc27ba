"""Every bundled lab: its solution passes, its starter fails, each wrong solution fails the right check."""

from __future__ import annotations

from pathlib import Path

import pytest

from certprep.labs import Lab
from certprep.labs.runner import CHECK_TIMEOUT_SECONDS, run_checks
from certprep.labs.workspace import start_workspace
from tests.conftest import NOW
from tests.labs.conftest import BUNDLED, solve

pytest.importorskip("sklearn", reason="the labs extra is not installed")
pytest.importorskip("moto", reason="the labs extra is not installed")

pytestmark = pytest.mark.slow

# On a quiet machine every run takes well under CHECK_TIMEOUT_SECONDS (docs/labs.md has the
# figures); a CI machine shared with other jobs may be several times slower, which is no failure
# of a lab's checks.
TIMEOUT = 4 * CHECK_TIMEOUT_SECONDS

WRONG = [(lab, name) for lab in BUNDLED for name in lab.wrong]


@pytest.mark.parametrize("lab", BUNDLED, ids=lambda lab: lab.id)
def test_solution_passes(lab: Lab, tmp_path: Path) -> None:
    ws = start_workspace(lab, tmp_path / "ws", NOW)
    solve(lab, ws)
    run = run_checks(lab, ws, timeout=TIMEOUT)
    assert run.passed, [r.to_json() for r in run.results if r.status != "passed"]


@pytest.mark.parametrize("lab", BUNDLED, ids=lambda lab: lab.id)
def test_starter_fails_on_its_todos(lab: Lab, tmp_path: Path) -> None:
    run = run_checks(lab, start_workspace(lab, tmp_path / "ws", NOW), timeout=TIMEOUT)
    assert not run.passed
    assert all(r.status == "failed" and "TODO" in r.hint for r in run.results), [r.to_json() for r in run.results]


@pytest.mark.parametrize(("lab", "wrong"), WRONG, ids=[f"{lab.id}-{name}" for lab, name in WRONG])
def test_wrong_solution_fails_with_the_concept_hint(lab: Lab, wrong: str, tmp_path: Path) -> None:
    ws = start_workspace(lab, tmp_path / "ws", NOW)
    solve(lab, ws, wrong)
    run = run_checks(lab, ws, timeout=TIMEOUT)
    by_id = {r.id: r for r in run.results}
    expected = by_id[lab.wrong[wrong].check]
    assert expected.status == "failed", expected
    assert lab.wrong[wrong].hint in expected.hint
    assert not any(r.status == "error" for r in run.results), [r.to_json() for r in run.results]
