"""The labs of a content pack: each folder of ``<pack>/labs/`` with a ``lab.yaml`` (pure: YAML only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LAB_FILES", "Lab", "LabError", "WrongSolution", "find_lab", "load_labs"]

# What a lab folder holds besides lab.yaml; only README.md (rendered) and starter/ reach a workspace.
LAB_FILES = ("README.md", "data.py", "checks.py", "starter", "solution")


class LabError(ValueError):
    """A lab that does not exist, a malformed lab folder, or a workspace that cannot be used."""


@dataclass(frozen=True)
class WrongSolution:
    """A typical mistake, for the tests: the reference solution's ``file`` with ``replace`` applied
    fails the check ``check`` with ``hint`` among the words of its hint."""

    name: str
    check: str
    hint: str
    file: str
    replace: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Lab:
    """One lab as ``lab.yaml`` describes it; ``folder`` is its folder in the pack."""

    id: str
    title: str
    goal: str
    domain: str  # the MLA-C02 domain, "1".."4"
    tasks: dict[str, tuple[str, ...]]  # exam code -> task statement ids
    steps: tuple[str, ...]
    seed: int
    minutes: int
    concepts: tuple[str, ...]
    wrong: dict[str, WrongSolution]
    folder: Path

    @property
    def starter(self) -> Path:
        return self.folder / "starter"

    @property
    def solution(self) -> Path:
        return self.folder / "solution"

    def wrong_solution(self, name: str) -> tuple[str, str]:
        """The wrong solution ``name`` as (file name, text): the reference solution, edited."""
        wrong = self.wrong[name]
        text = (self.solution / wrong.file).read_text(encoding="utf-8")
        for old, new in wrong.replace:
            if text.count(old) != 1:
                raise LabError(f"{self.id}: wrong solution {name}: {old[:60]!r} is not once in {wrong.file}")
            text = text.replace(old, new)
        return wrong.file, text


def _text(data: dict[str, Any], key: str, where: Path) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise LabError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _lab(folder: Path) -> Lab:
    path = folder / "lab.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise LabError(f"{path}: expected a mapping")
    lab_id = _text(data, "id", path)
    if lab_id != folder.name:
        raise LabError(f"{path}: id {lab_id!r} differs from the folder's name {folder.name!r}")
    tasks = data.get("tasks") or {}
    if not isinstance(tasks, dict) or "MLA-C02" not in tasks:
        raise LabError(f"{path}: 'tasks' must map exam codes to task statement ids, MLA-C02 included")
    for name in LAB_FILES:
        if not (folder / name).exists():
            raise LabError(f"{folder}: {name} is missing")
    wrong = {}
    for name, spec in (data.get("wrong") or {}).items():
        if not isinstance(spec, dict) or not {"check", "hint", "file", "replace"} <= set(spec):
            raise LabError(f"{path}: wrong.{name} needs check, hint, file and replace")
        edits = tuple((str(r["old"]), str(r["new"])) for r in spec["replace"])
        wrong[str(name)] = WrongSolution(str(name), str(spec["check"]), str(spec["hint"]), str(spec["file"]), edits)
    return Lab(
        id=lab_id,
        title=_text(data, "title", path),
        goal=_text(data, "goal", path),
        domain=str(data.get("domain", "")),
        tasks={str(exam): tuple(str(t) for t in ids) for exam, ids in tasks.items()},
        steps=tuple(str(s).strip() for s in data.get("steps") or ()),
        seed=int(data.get("seed", 0)),
        minutes=int(data.get("minutes", 30)),
        concepts=tuple(str(c) for c in data.get("concepts") or ()),
        wrong=wrong,
        folder=folder,
    )


def load_labs(pack_root: Path) -> tuple[Lab, ...]:
    """Every lab of the pack at ``pack_root``, by MLA-C02 domain and id; none when it has no labs."""
    root = pack_root / "labs"
    if not root.is_dir():
        return ()
    labs = [_lab(folder) for folder in sorted(root.iterdir()) if (folder / "lab.yaml").is_file()]
    return tuple(sorted(labs, key=lambda lab: (lab.domain, lab.id)))


def find_lab(pack_root: Path, lab_id: str) -> Lab:
    for lab in load_labs(pack_root):
        if lab.id == lab_id:
            return lab
    known = ", ".join(lab.id for lab in load_labs(pack_root)) or "none"
    raise LabError(f"no lab {lab_id!r} (labs: {known})")
