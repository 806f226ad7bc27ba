"""`certprep users create` and `certprep users list`."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result

from certprep import services
from certprep.app import open_app
from certprep.cli.main import cli
from certprep.config import Settings
from certprep.services import accounts

PASSWORD = "a long enough password"


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(accounts, "_DUMMY_HASH", [])


def _run(settings: Settings, *args: str, stdin: str | None = None) -> Result:
    base = ["--data-dir", str(settings.data_dir), "--database-url", settings.resolved_database_url()]
    return CliRunner().invoke(cli, [*base, "users", *args], input=stdin, prog_name="certprep")


def _authenticate(settings: Settings, username: str, password: str) -> services.User:
    app = open_app(settings, sync=False)
    try:
        return services.authenticate(app, username, password, "127.0.0.1", datetime.now(UTC))
    finally:
        app.close()


def test_create_with_password_on_stdin_and_sign_in(settings: Settings) -> None:
    result = _run(settings, "create", "Ada", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "created admin 'ada'" in result.output and PASSWORD not in result.output
    user = _authenticate(settings, "ada", PASSWORD)
    assert user.is_admin and user.username == "ada"
    with pytest.raises(services.InvalidCredentials):
        _authenticate(settings, "ada", PASSWORD + "x")


def test_create_prompts_twice(settings: Settings) -> None:
    result = _run(settings, "create", "bob", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert "created learner 'bob'" in result.output
    assert not _authenticate(settings, "bob", PASSWORD).is_admin


def test_create_refuses_a_mismatched_confirmation(settings: Settings) -> None:
    result = _run(settings, "create", "bob", stdin=f"{PASSWORD}\nsomething else\n")
    assert result.exit_code != 0 and "do not match" in result.output
    assert "created" not in result.output


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("x", PASSWORD, "3 to 32 characters"),
        ("has space", PASSWORD, "3 to 32 characters"),
        ("local", PASSWORD, "already taken"),
        ("carol", "short", "at least 8 characters"),
    ],
)
def test_create_refuses_bad_input(settings: Settings, username: str, password: str, message: str) -> None:
    result = _run(settings, "create", username, "--password-stdin", stdin=password + "\n")
    assert result.exit_code == 1 and message in result.output and "Traceback" not in result.output


def test_create_refuses_a_taken_username(settings: Settings) -> None:
    assert _run(settings, "create", "dave", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    again = _run(settings, "create", "DAVE", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.exit_code == 1 and "already taken" in again.output


def test_create_with_empty_stdin(settings: Settings) -> None:
    result = _run(settings, "create", "erin", "--password-stdin", stdin="")
    assert result.exit_code == 1 and "nothing on standard input" in result.output


def test_list(settings: Settings) -> None:
    empty = _run(settings, "list")
    assert empty.exit_code == 0 and "no accounts yet" in empty.output
    _run(settings, "create", "ada", "--admin", "--password-stdin", stdin=PASSWORD + "\n")
    _run(settings, "create", "bob", "--password-stdin", stdin=PASSWORD + "\n")
    listed = _run(settings, "list")
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[0].split()[:2] == ["ada", "admin"] and lines[1].split()[:2] == ["bob", "learner"]
    data = json.loads(_run(settings, "list", "--json").output)
    assert [(u["username"], u["is_admin"]) for u in data["users"]] == [("ada", True), ("bob", False)]
    assert all("password" not in key for u in data["users"] for key in u)
