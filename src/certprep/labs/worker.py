"""``python -m certprep.labs.worker LAB_FOLDER WORKSPACE SEED RESULT_FILE``: run one lab's checks.

Runs in its own process (runner.py starts it with a timeout), so learner code that hangs, crashes
or exits takes nothing down with it. Writes one JSON list of check results to RESULT_FILE; what the
learner's code prints goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
import traceback
from pathlib import Path

from certprep.labs.api import CheckFailed, CheckResult, Context, registered_checks

__all__ = ["main", "run_all"]


def _last_line(exc: BaseException) -> str:
    lines = traceback.format_exception_only(type(exc), exc)
    return lines[-1].strip()[:500] if lines else type(exc).__name__


def run_all(ctx: Context) -> list[CheckResult]:
    """Import the lab's checks and run each; a failure or error in one does not stop the others."""
    ctx.lab("checks")
    results = []
    for chk in registered_checks():
        try:
            detail = chk.run(ctx)
            results.append(CheckResult(chk.id, chk.title, "passed", detail=detail or ""))
        except CheckFailed as exc:
            results.append(CheckResult(chk.id, chk.title, "failed", hint=exc.hint, detail=exc.detail))
        except NotImplementedError as exc:
            where = f" ({exc})" if str(exc) else ""
            hint = f"a TODO is still open{where}: finish the starter code first"
            results.append(CheckResult(chk.id, chk.title, "failed", hint=hint))
        except Exception as exc:  # a crash of the learner's code or of the check itself: never a pass
            traceback.print_exc()
            results.append(CheckResult(chk.id, chk.title, "error", detail=_last_line(exc)))
    return results


def main(argv: list[str]) -> int:
    lab_folder, workspace, seed, result_file = Path(argv[0]), Path(argv[1]), int(argv[2]), Path(argv[3])
    ctx = Context(workspace=workspace, lab_folder=lab_folder, seed=seed)
    with contextlib.redirect_stdout(sys.stderr):
        results = run_all(ctx)
    result_file.write_text(json.dumps([r.to_json() for r in results]), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
