"""`certprep users`: create and list accounts (for a server started with accounts on)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

__all__ = ["users"]


@click.group()
def users() -> None:
    """Manage accounts (used with `certprep serve --multi-user` or a non-loopback host)."""


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise click.ClickException("--password-stdin: nothing on standard input")
        return line.rstrip("\r\n")
    password: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users.command("create")
@click.argument("username")
@click.option("--admin", is_flag=True, help="Give the account the admin role (admin pages, problem reports).")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input (no prompt)."
)
@click.pass_context
def create(ctx: click.Context, username: str, admin: bool, password_stdin: bool) -> None:
    """Create an account; asks for its password twice unless --password-stdin."""
    from certprep import services
    from certprep.cli.main import _open
    from certprep.services.accounts import validate_password, validate_username

    try:
        validate_username(username)  # before asking for a password
        password = validate_password(_read_password(password_stdin))
    except services.AccountError as exc:
        raise click.ClickException(exc.message) from exc
    app = _open(ctx)
    try:
        user = services.create_user(app, username, password, datetime.now(UTC), is_admin=admin)
    except services.AccountError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        app.close()
    role = "admin" if user.is_admin else "learner"
    click.echo(f"created {role} {user.username!r} (id {user.id})")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def list_users(ctx: click.Context, as_json: bool) -> None:
    """List every account: username, role, display name, creation time."""
    from certprep import services
    from certprep.cli.main import _open

    app = _open(ctx)
    try:
        found = services.list_users(app)
    finally:
        app.close()
    if as_json:
        rows = [
            {
                "id": u.id,
                "username": u.username,
                "display_name": u.display_name,
                "is_admin": u.is_admin,
                "is_local": u.is_local,
                "created_at": u.created_at.isoformat(),
            }
            for u in found
        ]
        click.echo(json.dumps({"users": rows}, indent=2))
        return
    if not found:
        click.echo("no accounts yet: create one with `certprep users create USERNAME --admin`")
        return
    width = max(len(u.username) for u in found)
    for u in found:
        role = "local" if u.is_local else "admin" if u.is_admin else "learner"
        click.echo(f"{u.username:<{width}}  {role:<7}  {u.created_at:%Y-%m-%d %H:%M}  {u.display_name}")
