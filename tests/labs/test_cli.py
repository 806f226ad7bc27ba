"""`certprep labs` end to end, and its message without the extra."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from certprep.cli.main import cli
from certprep.content import bundled_pack_path
from certprep.labs import extra, find_lab

LAB = "cost-sensitive-threshold"


def _cli(tmp_path: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "labs", *args], prog_name="certprep")


def test_without_the_extra_the_commands_say_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extra.importlib.util, "find_spec", lambda name: None)
    for command in ("start", "check", "reset"):
        result = _cli(tmp_path, command, LAB, "--dir", str(tmp_path / "ws"))
        assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
        assert "pip install 'certprep[labs]'" in result.output  # type: ignore[attr-defined]
    listed = _cli(tmp_path, "list")
    assert listed.exit_code == 0 and LAB in listed.output  # type: ignore[attr-defined]
    assert "pip install 'certprep[labs]'" in listed.output  # type: ignore[attr-defined]
    assert not (tmp_path / "ws").exists()


@pytest.mark.slow
def test_start_check_reset_from_the_command_line(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="the labs extra is not installed")
    ws = tmp_path / "ws"
    started = _cli(tmp_path, "start", LAB, "--dir", str(ws))
    assert started.exit_code == 0, started.output  # type: ignore[attr-defined]
    assert (ws / "threshold.py").is_file() and (ws / "validation.csv").is_file()
    again = _cli(tmp_path, "start", LAB, "--dir", str(ws))
    assert again.exit_code == 1 and "already holds this lab" in again.output  # type: ignore[attr-defined]

    checked = _cli(tmp_path, "check", LAB, "--dir", str(ws), "--timeout", "120")
    assert checked.exit_code == 1  # type: ignore[attr-defined]
    assert "0 of 2 checks passed" in checked.output and "hint: a TODO is still open" in checked.output  # type: ignore[attr-defined]

    lab = find_lab(bundled_pack_path(), LAB)
    (ws / "threshold.py").write_bytes((lab.solution / "threshold.py").read_bytes())
    passed = _cli(tmp_path, "check", LAB, "--dir", str(ws), "--timeout", "120")
    assert passed.exit_code == 0, passed.output  # type: ignore[attr-defined]
    assert "2 of 2 checks passed" in passed.output and "All checks passed." in passed.output  # type: ignore[attr-defined]
    listed = _cli(tmp_path, "list")
    assert f"{LAB}" in listed.output and "(passed)" in listed.output  # type: ignore[attr-defined]
    # The readiness checklist counts it for its domain; the history export holds both runs.
    data_dir = ["--data-dir", str(tmp_path / "data")]
    ready = CliRunner().invoke(cli, [*data_dir, "readiness"], prog_name="certprep")
    assert ready.exit_code == 0, ready.output
    assert "labs passed: 1 of" in ready.output and "Domain 1 (" in ready.output
    history = tmp_path / "history.json"
    exported = CliRunner().invoke(cli, [*data_dir, "export", "history", str(history)], prog_name="certprep")
    assert exported.exit_code == 0 and "2 lab_runs" in exported.output, exported.output
    runs = json.loads(history.read_text())["lab_runs"]
    assert [(r["lab_id"], r["passed"]) for r in runs] == [(LAB, False), (LAB, True)]
    assert [c["status"] for c in runs[1]["results"]] == ["passed", "passed"]

    reset = _cli(tmp_path, "reset", LAB, "--dir", str(ws), "--yes")
    assert reset.exit_code == 0, reset.output  # type: ignore[attr-defined]
    assert "NotImplementedError" in (ws / "threshold.py").read_text()


def test_check_of_a_folder_that_is_no_workspace(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="the labs extra is not installed")
    result = _cli(tmp_path, "check", LAB, "--dir", str(tmp_path))
    assert result.exit_code == 1 and "not a lab workspace" in result.output  # type: ignore[attr-defined]
