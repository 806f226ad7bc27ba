"""`certprep labs`: list the hands-on labs, start a workspace, check it, reset it (docs/labs.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from certprep.cli.exam import local_profile

__all__ = ["labs"]

T = TypeVar("T")
_MARKS = {"passed": "PASS ", "failed": "FAIL ", "error": "ERROR"}
DirOption = click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    help="The workspace folder [default ./certprep-labs/ID].",
)


def _now() -> datetime:
    return datetime.now(UTC)


def _lab_call(fn: Callable[[], T]) -> T:
    """Run ``fn``; a missing extra or an unusable lab/workspace becomes one clear line."""
    from certprep.labs import LabError, LabsExtraMissing

    try:
        return fn()
    except (LabError, LabsExtraMissing) as exc:
        raise click.ClickException(str(exc)) from exc


def _workspace(lab: Any, directory: Path | None) -> Path:
    from certprep.labs.workspace import default_workspace

    return directory if directory is not None else default_workspace(lab)


@click.group()
def labs() -> None:
    """Hands-on labs, offline and checked automatically (needs: pip install 'certprep[labs]')."""


@labs.command("list")
@click.pass_context
def list_labs(ctx: click.Context) -> None:
    """Every lab: id, MLA-C02 domain and task statements, title, and your last check."""
    from certprep.labs import INSTALL_HINT, missing_modules
    from certprep.services import labs as service

    with local_profile(ctx) as (app, user):
        statuses = _lab_call(lambda: service.overview(app, user))
    for s in statuses:
        tasks = ",".join(s.lab.tasks.get("MLA-C02", ()))
        click.echo(f"{s.lab.id:<28} D{s.lab.domain} [{tasks}]  {s.lab.title}  ({s.status})")
    if not statuses:
        click.echo("This content pack has no labs.")
    missing = missing_modules()
    if missing:
        click.echo(f"To start or check a lab, install the labs extra first:  {INSTALL_HINT}")


@labs.command("start")
@click.argument("lab_id")
@DirOption
@click.pass_context
def start(ctx: click.Context, lab_id: str, directory: Path | None) -> None:
    """Make a workspace for LAB_ID: README, starter files with TODOs, and the lab's data."""
    from certprep.labs import require_extra
    from certprep.labs.workspace import start_workspace
    from certprep.services import labs as service

    _lab_call(require_extra)
    with local_profile(ctx) as (app, _user):
        lab = _lab_call(lambda: service.get_lab(app, lab_id))
        target = _workspace(lab, directory)
        path = _lab_call(lambda: start_workspace(lab, target, _now(), service.task_titles(app)))
    click.echo(f"Lab {lab.id} is ready in {path}")
    click.echo(f"Read {path / 'README.md'}, then run:  certprep labs check {lab.id}" + _dir_flag(directory))


def _dir_flag(directory: Path | None) -> str:
    return f" --dir {directory}" if directory is not None else ""


@labs.command("check")
@click.argument("lab_id")
@DirOption
@click.option(
    "--timeout",
    type=click.FloatRange(1, 600),
    default=None,
    help="Seconds the checks may take [default 30]; more on a slow or busy machine.",
)
@click.pass_context
def check(ctx: click.Context, lab_id: str, directory: Path | None, timeout: float | None) -> None:
    """Run LAB_ID's checks on its workspace; print each with a hint; store the result. Exits 1 unless all pass."""
    from certprep.labs import require_extra
    from certprep.labs.runner import CHECK_TIMEOUT_SECONDS, run_checks
    from certprep.services import labs as service

    _lab_call(require_extra)
    with local_profile(ctx) as (app, user):
        lab = _lab_call(lambda: service.get_lab(app, lab_id))
        workspace = _workspace(lab, directory)
        run = _lab_call(lambda: run_checks(lab, workspace, timeout=timeout or CHECK_TIMEOUT_SECONDS))
        service.record_run(app, user, run, now=_now())
    passed = sum(r.status == "passed" for r in run.results)
    click.echo(f"Lab {lab.id}: {passed} of {len(run.results)} checks passed ({run.seconds:.1f} s)")
    for r in run.results:
        click.echo(f"  {_MARKS.get(r.status, r.status)}  {r.title}" + (f"  [{r.detail}]" if r.detail else ""))
        if r.hint:
            click.echo(f"         hint: {r.hint}")
    if not run.passed:
        raise SystemExit(1)
    click.echo("All checks passed.")


@labs.command("reset")
@click.argument("lab_id")
@DirOption
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def reset(ctx: click.Context, lab_id: str, directory: Path | None, yes: bool) -> None:
    """Delete LAB_ID's workspace (one certprep made) and start it afresh from the starter."""
    from certprep.labs import require_extra
    from certprep.labs.workspace import reset_workspace
    from certprep.services import labs as service

    _lab_call(require_extra)
    with local_profile(ctx) as (app, _user):
        lab = _lab_call(lambda: service.get_lab(app, lab_id))
        target = _workspace(lab, directory)
        if not yes and target.exists():
            click.confirm(f"Delete everything in {target} and start lab {lab.id} afresh?", abort=True)
        path = _lab_call(lambda: reset_workspace(lab, target, _now(), service.task_titles(app)))
    click.echo(f"Lab {lab.id} is reset in {path}")
