"""Workspaces: what start writes, which folders it refuses, and reset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import certprep
from certprep.labs import Lab, LabError
from certprep.labs.workspace import MARKER, read_marker, reset_workspace, start_workspace
from tests.conftest import NOW
from tests.labs.conftest import BUNDLED

pytest.importorskip("sklearn", reason="the labs extra is not installed")


def test_start_writes_readme_starter_data_and_marker(fake_lab: Lab, tmp_path: Path) -> None:
    ws = start_workspace(fake_lab, tmp_path / "new" / "ws", NOW)
    assert sorted(p.name for p in ws.iterdir()) == sorted(["README.md", "work.py", "data.txt", "mode.txt", MARKER])
    assert "raise NotImplementedError" in (ws / "work.py").read_text()
    readme = (ws / "README.md").read_text()
    assert readme.startswith("# Lab: A fake lab") and "Seed 7." in readme and "MLA-C02: 1.1" in readme
    assert json.loads((ws / MARKER).read_text())["lab"] == "fake-lab"
    assert (ws / "data.txt").read_text() == "7"


def test_start_accepts_an_empty_folder(fake_lab: Lab, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert (start_workspace(fake_lab, tmp_path / "empty", NOW) / "work.py").is_file()


def test_start_refuses_a_folder_it_did_not_make(fake_lab: Lab, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(LabError, match="not empty"):
        start_workspace(fake_lab, tmp_path / "mine", NOW)
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.txt"]


def test_start_refuses_a_file(fake_lab: Lab, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(LabError, match="not a folder"):
        start_workspace(fake_lab, tmp_path / "file", NOW)


def test_start_refuses_twice_and_keeps_the_work(fake_lab: Lab, fake_workspace: Path) -> None:
    (fake_workspace / "work.py").write_text("def answer():\n    return 41\n")
    with pytest.raises(LabError, match="already holds this lab"):
        start_workspace(fake_lab, fake_workspace, NOW)
    assert "41" in (fake_workspace / "work.py").read_text()


@pytest.mark.parametrize(
    "inside",
    [lambda lab: Path(certprep.__file__).parent / "labs-here", lambda lab: lab.folder / "ws", lambda lab: Path("/")],
    ids=["package", "pack", "root"],
)
def test_start_refuses_certprep_own_folders(fake_lab: Lab, inside) -> None:  # type: ignore[no-untyped-def]
    target = inside(fake_lab)
    with pytest.raises(LabError, match="certprep's own files"):
        start_workspace(fake_lab, target, NOW)
    assert not target.exists() or target == Path("/")


def test_bundled_lab_inside_the_package_is_refused(tmp_path: Path) -> None:
    lab = BUNDLED[0]
    with pytest.raises(LabError, match="certprep's own files"):
        start_workspace(lab, lab.folder / "starter" / "ws", NOW)


def test_a_workspace_of_another_lab_is_refused(fake_lab: Lab, fake_workspace: Path) -> None:
    marker = fake_workspace / MARKER
    marker.write_text(json.dumps({"lab": "other-lab"}))
    with pytest.raises(LabError, match="other-lab"):
        read_marker(fake_workspace, fake_lab)
    with pytest.raises(LabError, match="other-lab"):
        reset_workspace(fake_lab, fake_workspace, NOW)


def test_reset_restores_the_starter(fake_lab: Lab, fake_workspace: Path) -> None:
    (fake_workspace / "work.py").write_text("def answer():\n    return 42\n")
    (fake_workspace / "scratch.py").write_text("")
    reset_workspace(fake_lab, fake_workspace, NOW)
    assert "NotImplementedError" in (fake_workspace / "work.py").read_text()
    assert not (fake_workspace / "scratch.py").exists()


def test_reset_refuses_a_folder_it_did_not_make(fake_lab: Lab, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(LabError, match="not a lab workspace"):
        reset_workspace(fake_lab, tmp_path / "mine", NOW)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize("lab", BUNDLED, ids=lambda lab: lab.id)
def test_bundled_workspace_holds_no_solution_or_checks(lab: Lab, tmp_path: Path) -> None:
    ws = start_workspace(lab, tmp_path / "ws", NOW)
    names = {p.relative_to(ws).as_posix() for p in ws.rglob("*")}
    assert "README.md" in names and MARKER in names
    assert not names & {"checks.py", "data.py", "solution", "wrong", "lab.yaml"}
    assert "{{" not in (ws / "README.md").read_text()
    for starter in lab.starter.iterdir():
        assert (ws / starter.name).read_bytes() == starter.read_bytes()
