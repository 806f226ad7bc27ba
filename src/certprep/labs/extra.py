"""Whether the ``labs`` extra is installed, and the one command that installs it."""

from __future__ import annotations

import importlib.util

__all__ = ["EXTRA_MODULES", "INSTALL_HINT", "LabsExtraMissing", "missing_modules", "require_extra"]

# The import names of the extra's distributions (pyproject's `labs`).
EXTRA_MODULES = ("numpy", "pandas", "duckdb", "sklearn", "optuna", "boto3", "moto", "pygal")
INSTALL_HINT = "pip install 'certprep[labs]'"


class LabsExtraMissing(RuntimeError):
    """The labs need libraries that the core app does not install."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"the labs need {', '.join(missing)}, which are not installed: run  {INSTALL_HINT}")


def missing_modules() -> list[str]:
    return [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]


def require_extra() -> None:
    """Raise ``LabsExtraMissing`` unless every library of the extra imports."""
    missing = missing_modules()
    if missing:
        raise LabsExtraMissing(missing)
