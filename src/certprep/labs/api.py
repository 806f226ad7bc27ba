"""The check API a lab's ``checks.py`` is written against.

A check is a function decorated with ``@check(id, title)`` that takes a ``Context`` and returns
``None`` or a short detail (a figure the learner can compare), or raises ``CheckFailed`` with a hint
that points at the concept, never the solution. A ``NotImplementedError`` from the learner's code
(a TODO left) is a failure; any other exception is an error, never a pass.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

__all__ = ["CHECK_STATUSES", "Check", "CheckFailed", "CheckResult", "Context", "check", "registered_checks"]

CHECK_STATUSES = ("passed", "failed", "error")


class CheckFailed(Exception):
    """The learner's work does not meet the check: ``hint`` names the concept, ``detail`` what was seen."""

    def __init__(self, hint: str, detail: str = "") -> None:
        super().__init__(hint)
        self.hint = hint
        self.detail = detail


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    status: str  # one of CHECK_STATUSES
    hint: str = ""
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "status": self.status, "hint": self.hint, "detail": self.detail}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CheckResult:
        status = str(data.get("status"))
        return cls(
            id=str(data.get("id", "")),
            title=str(data.get("title", "")),
            status=status if status in CHECK_STATUSES else "error",
            hint=str(data.get("hint", "")),
            detail=str(data.get("detail", "")),
        )


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    run: Callable[[Context], str | None]


T = TypeVar("T")

_REGISTRY: list[Check] = []


def check(check_id: str, title: str) -> Callable[[Callable[[Context], str | None]], Callable[[Context], str | None]]:
    """Register a check, in the order the lab's ``checks.py`` defines them."""

    def register(fn: Callable[[Context], str | None]) -> Callable[[Context], str | None]:
        _REGISTRY.append(Check(check_id, title, fn))
        return fn

    return register


def registered_checks() -> list[Check]:
    """The checks registered so far (the worker loads one lab's ``checks.py`` per process)."""
    return list(_REGISTRY)


@dataclass
class Context:
    """What a check sees: the workspace, the lab's folder and seed, and a cache shared by its checks."""

    workspace: Path
    lab_folder: Path
    seed: int
    cache: dict[str, Any] = field(default_factory=dict)

    def learner(self, name: str) -> ModuleType:
        """The learner's module ``name`` (``<workspace>/<name>.py``), imported once per check run."""
        key = f"learner:{name}"
        if key not in self.cache:
            if str(self.workspace) not in sys.path:
                sys.path.insert(0, str(self.workspace))
            self.cache[key] = _import(f"{name}", self.workspace / f"{name}.py")
        module: ModuleType = self.cache[key]
        return module

    def lab(self, name: str) -> ModuleType:
        """The lab's own module ``name`` (e.g. ``data`` to regenerate held-out data from the seed)."""
        key = f"lab:{name}"
        if key not in self.cache:
            self.cache[key] = _import(f"_certprep_lab_{name}", self.lab_folder / f"{name}.py")
        module: ModuleType = self.cache[key]
        return module

    def once(self, key: str, make: Callable[[], T]) -> T:
        """``make()`` the first time ``key`` is asked for; its value (or its exception) every time."""
        if key not in self.cache:
            try:
                self.cache[key] = ("value", make())
            except Exception as exc:
                self.cache[key] = ("raised", exc)
        kind, value = self.cache[key]
        if kind == "raised":
            raise value
        found: T = value
        return found


def _import(name: str, path: Path) -> ModuleType:
    if not path.is_file():
        raise CheckFailed(f"{path.name} is missing from the workspace: `certprep labs reset` restores the starter")
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CheckFailed(f"{path.name} cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
