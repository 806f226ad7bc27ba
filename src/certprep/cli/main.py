"""The `certprep` command: serve the web app, lint content, manage the database."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from certprep import __version__
from certprep.cli.cards import cards
from certprep.cli.content_io import export_content, import_content
from certprep.cli.exam import exam
from certprep.cli.export import export
from certprep.cli.labs import labs
from certprep.cli.packs import context_settings, echo_refused
from certprep.cli.study import plan, readiness
from certprep.cli.users import users
from certprep.config import Settings, is_wildcard

__all__ = ["cli", "main"]


def _settings(ctx: click.Context) -> Settings:
    return context_settings(ctx)


def _open(ctx: click.Context) -> Any:
    """Open the application (load pack, migrate, sync); print a clear error instead of a trace."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from certprep.app import open_app
    from certprep.content import PackError
    from certprep.store.content import ContentConflict

    settings = _settings(ctx)
    try:
        app = open_app(settings)
        echo_refused(app.refused_packs)
        return app
    except PackError as exc:
        for issue in exc.errors:
            click.echo(f"error: {issue}", err=True)
        raise click.ClickException(f"the content pack has {len(exc.errors)} error(s); nothing was loaded") from exc
    except ContentConflict as exc:
        raise click.ClickException(str(exc)) from exc
    except (ArgumentError, NoSuchModuleError, OperationalError) as exc:
        first = str(exc).splitlines()[0]
        raise click.ClickException(f"cannot open the database {_safe_url(settings)}: {first}") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="certprep")
@click.option(
    "--data-dir", type=click.Path(path_type=Path), help="Folder for the SQLite database [env CERTPREP_DATA_DIR]."
)
@click.option(
    "--database-url",
    help="SQLAlchemy database URL, e.g. postgresql+psycopg://user@host/db [env CERTPREP_DATABASE_URL].",
)
@click.option(
    "--pack",
    "packs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A content pack served beside the bundled one, e.g. a team's own questions (repeatable; a pack with "
    "errors is refused, the others served) [env CERTPREP_PACKS, separated by the path separator].",
)
@click.option(
    "--base-pack",
    "pack_path",
    type=click.Path(file_okay=False, path_type=Path),
    help="A content pack used in place of the bundled one (a fork of it) [env CERTPREP_PACK_PATH].",
)
@click.pass_context
def cli(
    ctx: click.Context, data_dir: Path | None, database_url: str | None, packs: tuple[Path, ...], pack_path: Path | None
) -> None:
    """certprep: prepare for the AWS machine-learning certifications (MLA-C02; MLA-C01, MLS-C01).

    Run `certprep serve` and open http://127.0.0.1:8000 in a browser.
    """
    ctx.obj = {"data_dir": data_dir, "database_url": database_url, "pack_path": pack_path, "packs": list(packs) or None}


SQLITE_ONE_WORKER = (
    "--workers {workers}: SQLite serves one worker process (it takes one writer at a time). For several "
    "workers use PostgreSQL: install certprep[postgres] and set "
    "CERTPREP_DATABASE_URL=postgresql+psycopg://user@host/dbname (docs/storage.md)."
)


@cli.command()
@click.option("--host", default=None, help="Address to listen on [default 127.0.0.1, env CERTPREP_HOST].")
@click.option("--port", type=int, default=None, help="Port to listen on [default 8000, env CERTPREP_PORT].")
@click.option(
    "--multi-user",
    is_flag=True,
    default=None,
    help="Turn on accounts: sign-in, sign-up, admin role (always on for a non-loopback --host) "
    "[env CERTPREP_MULTI_USER].",
)
@click.option(
    "--no-sign-up",
    is_flag=True,
    default=None,
    help="With accounts on, only `certprep users create` makes accounts [env CERTPREP_SIGN_UP=false].",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A host name clients use to reach the server, e.g. certprep.example.org (repeatable; '*.example.org' for "
    "subdomains, '*' for any). Loopback names and the --host address are always accepted; requests naming any "
    "other host get 400. Required with --host 0.0.0.0 [env CERTPREP_ALLOWED_HOSTS, comma-separated].",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes; more than one needs PostgreSQL (SQLite serves one worker process).",
)
@click.option(
    "--pack",
    "packs",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="A content pack served beside the bundled one (repeatable; also `certprep --pack DIR serve`).",
)
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    multi_user: bool | None,
    no_sign_up: bool | None,
    allowed_hosts: tuple[str, ...],
    workers: int,
    packs: tuple[Path, ...],
) -> None:
    """Start the web app (migrates the database and syncs the content first).

    On a loopback address it runs in local mode: no sign-in, one local profile. --multi-user, or
    any other address, turns on accounts.
    """
    import uvicorn

    from certprep.web import build_web_app

    # The host decides the mode (Settings turns accounts on off loopback), so it goes in the settings.
    ctx.obj.update(host=host, multi_user=multi_user or None, sign_up=False if no_sign_up else None)
    ctx.obj.update(allowed_hosts=list(allowed_hosts) or None)
    if packs:
        ctx.obj.update(packs=[*(ctx.obj.get("packs") or []), *packs])
    settings = _settings_or_usage_error(ctx)
    if is_wildcard(settings.host) and not settings.allowed_hosts:
        raise click.UsageError(WILDCARD_NEEDS_NAMES.format(host=settings.host))
    if workers > 1 and settings.resolved_database_url().startswith("sqlite"):
        raise click.UsageError(SQLITE_ONE_WORKER.format(workers=workers))
    app = _open(ctx)
    host = host or settings.host
    port = port or settings.port
    mode = "accounts on" if settings.multi_user else "local mode, no sign-in"
    click.echo(f"certprep {__version__} on http://{host}:{port}  ({mode}; database: {_safe_url(settings)})")
    if workers > 1:
        app.close()
        # Workers rebuild the settings from the environment: hand every resolved value down.
        for name, value in settings.model_dump().items():
            if value is not None:
                sep = os.pathsep if name == "packs" else ","
                os.environ[f"CERTPREP_{name.upper()}"] = (
                    sep.join(map(str, value)) if isinstance(value, list) else str(value)
                )
        os.environ["CERTPREP_DATABASE_URL"] = settings.resolved_database_url()
        click.echo(f"{workers} worker processes")
        uvicorn.run(
            "certprep.web.workers:create_app", factory=True, host=host, port=port, workers=workers, log_level="info"
        )
        return
    uvicorn.run(build_web_app(app), host=host, port=port, log_level="info")


WILDCARD_NEEDS_NAMES = (
    "--host {host} listens on every address, so certprep cannot tell which host names are its own: name them "
    "with --allowed-host (e.g. --allowed-host certprep.example.org --allowed-host 192.168.1.10), or "
    "--allowed-host '*' behind a reverse proxy that checks the Host header itself (docs/security.md)"
)


def _settings_or_usage_error(ctx: click.Context) -> Settings:
    from pydantic import ValidationError

    try:
        return _settings(ctx)
    except ValidationError as exc:
        raise click.UsageError("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())) from exc


def _safe_url(settings: Settings) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(settings.resolved_database_url()).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparsable URL)"


@cli.group()
def content() -> None:
    """Check content packs; import and export questions in other tools' formats."""


content.add_command(import_content)
content.add_command(export_content)


@content.command("lint")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (errors, warnings, figures).")
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
def lint(path: Path | None, as_json: bool, strict: bool) -> None:
    """Validate a content pack (default: the bundled one) and print quality figures.

    Exits 1 when the pack has errors (or warnings, with --strict).
    """
    from certprep.content import bundled_pack_path
    from certprep.content.lint import lint_pack

    report = lint_pack(path or bundled_pack_path())
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, sort_keys=False))
    else:
        _print_lint(report)
    if report.errors or (strict and report.warnings):
        sys.exit(1)


def _print_lint(report: Any) -> None:
    for issue in report.errors:
        click.echo(f"error: {issue}")
    for issue in report.warnings:
        click.echo(f"warning: {issue}")
    fig = report.figures
    if report.errors:
        click.echo(f"{len(report.errors)} error(s): nothing of this pack is loaded.")
        return
    q = fig["questions"]
    click.echo(f"questions: {q['total']}  " + "  ".join(f"{k}={v}" for k, v in q["by_type"].items()))
    click.echo("difficulty: " + "  ".join(f"{k}={v}" for k, v in q.get("by_difficulty", {}).items()))
    click.echo(f"flashcards: {fig['flashcards']}  lessons: {fig['lessons']}  cheat sheets: {fig['cheatsheets']}")
    for code, figures in fig["exams"].items():
        tasks = "  ".join(f"{t}:{c['questions']}q/{c['flashcards']}c" for t, c in figures["tasks"].items())
        click.echo(f"{code} ({figures['status']}): {figures['questions']} questions  {tasks}")
    quality = fig["quality"]
    click.echo(
        f"longest option is the key: {quality['longest_option_correct_share']:.0%} of "
        f"{quality['single_answer_questions']} single-answer questions"
    )
    for kind, counts in quality["key_position_counts"].items():
        click.echo(f"key positions ({kind}): " + "  ".join(f"{k}={v}" for k, v in counts.items()))
    click.echo(
        f"missing rationales: {quality['missing_rationales']}  missing references: {quality['missing_references']}  "
        f"near-duplicate pairs: {len(quality['near_duplicate_pairs'])}"
    )
    click.echo(f"{len(report.errors)} error(s), {len(report.warnings)} warning(s)")


@cli.group()
def db() -> None:
    """Manage the database."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply pending migrations and sync the content (also done at every start)."""
    from certprep.store.migrate import current_revision

    app = _open(ctx)
    try:
        sync = app.last_sync
        click.echo(f"database at migration {current_revision(app.engine)} ({_safe_url(app.settings)})")
        if sync is not None:
            click.echo(
                f"content: {len(sync.added)} added, {len(sync.revised)} revised, {sync.unchanged} unchanged, "
                f"{len(sync.deactivated)} no longer in the pack"
            )
    finally:
        app.close()


cli.add_command(users)
cli.add_command(exam)
cli.add_command(cards)
cli.add_command(export)
cli.add_command(readiness)
cli.add_command(plan)
cli.add_command(labs)


def main() -> None:
    cli(prog_name="certprep")
