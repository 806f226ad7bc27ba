"""Lab workspaces: made by ``start``, recognised by a marker file, renewed by ``reset``.

A workspace holds the lab's README (rendered with its goal, task statements and steps), its
starter files and its data, generated from the lab's seed. certprep writes only into a folder that
does not exist, an empty one, or one that it made itself (the marker says which lab); never inside
the installed package or the content pack.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

import certprep
from certprep.labs.catalog import Lab, LabError

__all__ = ["MARKER", "default_workspace", "read_marker", "reset_workspace", "start_workspace"]

MARKER = ".certprep-lab.json"


def default_workspace(lab: Lab, cwd: Path | None = None) -> Path:
    """``./certprep-labs/<lab id>`` under the current folder."""
    return (cwd or Path.cwd()) / "certprep-labs" / lab.id


def _forbidden_roots(lab: Lab) -> list[Path]:
    return [Path(certprep.__file__).resolve().parent, lab.folder.resolve().parent.parent]


def _check_target(lab: Lab, target: Path) -> Path:
    path = target.expanduser().resolve()
    for root in _forbidden_roots(lab):
        if path == root or root in path.parents or path in root.parents:
            raise LabError(f"{path} is inside (or holds) certprep's own files at {root}: choose another folder")
    if path.exists() and not path.is_dir():
        raise LabError(f"{path} exists and is not a folder")
    return path


def read_marker(workspace: Path, lab: Lab) -> dict[str, Any]:
    """The workspace's marker, checked to be ``lab``'s; ``LabError`` when it is not a workspace of it."""
    marker = workspace / MARKER
    if not marker.is_file():
        raise LabError(f"{workspace} is not a lab workspace (no {MARKER}): run  certprep labs start {lab.id}")
    try:
        data: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise LabError(f"{marker} is damaged: {exc}") from exc
    if data.get("lab") != lab.id:
        raise LabError(f"{workspace} is the workspace of lab {data.get('lab')!r}, not {lab.id!r}")
    return data


_HEADER = """# Lab: {{ lab.title }}

{{ lab.goal }}

About {{ lab.minutes }} minutes. Task statements this lab serves:
{% for line in task_lines %}
- {{ line }}
{%- endfor %}

## Steps
{% for step in lab.steps %}
{{ loop.index }}. {{ step }}
{%- endfor %}

Check your work at any time with `certprep labs check {{ lab.id }}` (add `--dir` if you chose
another folder): each check prints passed or failed, with a hint. `certprep labs reset {{ lab.id }}`
starts over from the starter files.

"""


def _readme(lab: Lab, exams: dict[str, dict[str, str]]) -> str:
    """The lab's README: a header made from lab.yaml, then the lab's own README.md (a Jinja template)."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    body = (lab.folder / "README.md").read_text(encoding="utf-8")
    task_lines = [
        f"{code}: " + "; ".join(f"{t} {exams.get(code, {}).get(t, '')}".strip() for t in ids)
        for code, ids in lab.tasks.items()
    ]
    header = env.from_string(_HEADER).render(lab=lab, task_lines=task_lines)
    return header + env.from_string(body).render(lab=lab, exams=exams)


def _generate_data(lab: Lab, workspace: Path, seed: int) -> None:
    name = f"_certprep_lab_data_{lab.id.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, lab.folder / "data.py")
    if spec is None or spec.loader is None:
        raise LabError(f"{lab.folder}/data.py cannot be imported")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(seed, workspace)


def _fill(lab: Lab, workspace: Path, now: datetime, exams: dict[str, dict[str, str]]) -> None:
    shutil.copytree(lab.starter, workspace, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
    (workspace / "README.md").write_text(_readme(lab, exams), encoding="utf-8")
    _generate_data(lab, workspace, lab.seed)
    marker = {"lab": lab.id, "seed": lab.seed, "created_at": now.isoformat(), "certprep": certprep.__version__}
    (workspace / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")


def start_workspace(lab: Lab, target: Path, now: datetime, exams: dict[str, dict[str, str]] | None = None) -> Path:
    """Make ``lab``'s workspace at ``target`` (absent or empty); refuse anything else.

    ``exams`` maps exam codes to {task id: title} for the README's task statements.
    """
    path = _check_target(lab, target)
    if path.is_dir() and any(path.iterdir()):
        if (path / MARKER).is_file():
            read_marker(path, lab)
            raise LabError(f"{path} already holds this lab: check it, or reset it to start over")
        raise LabError(f"{path} is not empty and certprep did not make it: choose a new or an empty folder")
    path.mkdir(parents=True, exist_ok=True)
    try:
        _fill(lab, path, now, exams or {})
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    return path


def reset_workspace(lab: Lab, target: Path, now: datetime, exams: dict[str, dict[str, str]] | None = None) -> Path:
    """Delete ``lab``'s workspace at ``target`` (only one certprep made for this lab) and start it afresh."""
    path = _check_target(lab, target)
    if path.exists():
        read_marker(path, lab)
        shutil.rmtree(path)
    return start_workspace(lab, path, now, exams)
