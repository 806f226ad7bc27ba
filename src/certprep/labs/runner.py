"""Run a lab's checks on a workspace in a subprocess with a time limit (docs/labs.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from certprep.labs.api import CheckResult
from certprep.labs.catalog import Lab
from certprep.labs.workspace import read_marker

__all__ = ["CHECK_TIMEOUT_SECONDS", "CheckRun", "run_checks"]

CHECK_TIMEOUT_SECONDS = 30.0
# The checks run against moto's in-process mock: these keep boto3 from ever finding real
# credentials or a real region, whatever the learner's environment holds.
_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


@dataclass(frozen=True)
class CheckRun:
    """One run of a lab's checks: every check's result, or one error when the run itself broke."""

    lab_id: str
    results: tuple[CheckResult, ...]
    seconds: float

    @property
    def passed(self) -> bool:
        return bool(self.results) and all(r.status == "passed" for r in self.results)

    def to_json(self) -> list[dict[str, str]]:
        return [r.to_json() for r in self.results]


def _broken(lab: Lab, detail: str, seconds: float) -> CheckRun:
    return CheckRun(lab.id, (CheckResult("run", "The checks ran to the end", "error", detail=detail),), seconds)


def run_checks(lab: Lab, workspace: Path, *, timeout: float = CHECK_TIMEOUT_SECONDS) -> CheckRun:
    """Run ``lab``'s checks on ``workspace`` (a folder ``start`` made for this lab)."""
    import time

    marker = read_marker(workspace, lab)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="certprep-lab-") as tmp:
        # What the checks write to temporary files (a lake built afresh...) goes when the run ends.
        env = {**os.environ, **_AWS_ENV, "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg", "TMPDIR": tmp}
        result_file = Path(tmp) / "results.json"
        command = [
            sys.executable,
            "-m",
            "certprep.labs.worker",
            str(lab.folder),
            str(workspace),
            str(marker.get("seed", lab.seed)),
            str(result_file),
        ]
        try:
            proc = subprocess.run(
                command, cwd=workspace, env=env, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            return _broken(lab, f"the checks did not finish within {timeout:.0f} s", time.perf_counter() - started)
        seconds = time.perf_counter() - started
        if proc.returncode != 0 or not result_file.is_file():
            tail = (proc.stderr or "").strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
            return _broken(lab, f"the check process stopped early: {tail[0][:300]}", seconds)
        try:
            data = json.loads(result_file.read_text(encoding="utf-8"))
            results = tuple(CheckResult.from_json(item) for item in data)
        except (ValueError, TypeError, AttributeError) as exc:
            return _broken(lab, f"unreadable results: {exc}", seconds)
    if not results:
        return _broken(lab, "the lab has no checks", seconds)
    return CheckRun(lab.id, results, seconds)
