"""Lab fixtures: the bundled labs, and a small fake lab whose checks pass, fail, crash or hang on demand."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from certprep.content import bundled_pack_path
from certprep.labs import Lab, find_lab, load_labs
from certprep.labs.workspace import start_workspace
from tests.conftest import NOW

BUNDLED = load_labs(bundled_pack_path())

FAKE_CHECKS = """
from certprep.labs.api import CheckFailed, check


@check("answer", "work.answer() is 42")
def answer(ctx):
    got = ctx.learner("work").answer()
    if got != 42:
        raise CheckFailed("think of the question first", detail=f"got {got}")
    return "42"


@check("mode", "the behaviour the workspace asks for")
def mode(ctx):
    kind = (ctx.workspace / "mode.txt").read_text().strip()
    if kind == "crash":
        return 1 / 0
    if kind == "hang":
        import time
        time.sleep(60)
    if kind == "exit":
        raise SystemExit(3)
    if kind == "print":
        print("noise on stdout")
    return kind
"""


def write_fake_lab(root: Path) -> Lab:
    """A pack at ``root`` with one lab, ``fake-lab``: starter answers 0, the solution 42."""
    folder = root / "labs" / "fake-lab"
    (folder / "starter").mkdir(parents=True)
    (folder / "solution").mkdir()
    (folder / "lab.yaml").write_text(
        textwrap.dedent(
            """\
            id: fake-lab
            title: A fake lab
            goal: Answer the question.
            domain: "1"
            tasks: {MLA-C02: ["1.1"]}
            seed: 7
            steps: [Answer it.]
            """
        )
    )
    (folder / "README.md").write_text("Seed {{ lab.seed }}.\n")
    (folder / "data.py").write_text(
        "def generate(seed, dest):\n"
        "    (dest / 'data.txt').write_text(str(seed))\n"
        "    (dest / 'mode.txt').write_text('ok')\n"
    )
    (folder / "checks.py").write_text(FAKE_CHECKS)
    (folder / "starter" / "work.py").write_text("def answer():\n    raise NotImplementedError('answer')\n")
    (folder / "solution" / "work.py").write_text("def answer():\n    return 42\n")
    return find_lab(root, "fake-lab")


@pytest.fixture
def fake_lab(tmp_path: Path) -> Lab:
    return write_fake_lab(tmp_path / "pack")


@pytest.fixture
def fake_workspace(fake_lab: Lab, tmp_path: Path) -> Path:
    return start_workspace(fake_lab, tmp_path / "ws", NOW)


def solve(lab: Lab, workspace: Path, wrong: str | None = None) -> None:
    """Copy the lab's solution over the workspace's starter files; with ``wrong``, that wrong solution."""
    shutil.copytree(lab.solution, workspace, dirs_exist_ok=True)
    if wrong is not None:
        name, text = lab.wrong_solution(wrong)
        (workspace / name).write_text(text, encoding="utf-8")
