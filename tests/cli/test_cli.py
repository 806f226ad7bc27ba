"""Every command answers --help; --version; db upgrade migrates and syncs; errors are clear."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from certprep import __version__
from certprep.cli.main import cli


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=lambda p: " ".join(p) or "certprep")
def test_help_on_every_command(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="certprep")
    assert result.exit_code == 0, result.output
    assert "Usage: certprep" in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_db_upgrade_twice(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["--data-dir", str(tmp_path), "db", "upgrade"])
    assert first.exit_code == 0, first.output
    assert "added" in first.output and (tmp_path / "certprep.sqlite3").exists()
    second = runner.invoke(cli, ["--data-dir", str(tmp_path), "db", "upgrade"])
    assert second.exit_code == 0 and "0 added, 0 revised" in second.output


def test_broken_pack_is_a_clear_error(mini_pack: Path, tmp_path: Path) -> None:
    (mini_pack / "questions" / "bad.yaml").write_text("id: x\nrevision: one\n")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "--base-pack", str(mini_pack), "db", "upgrade"])
    assert result.exit_code == 1
    assert "questions/bad.yaml:2" in result.output and "nothing was loaded" in result.output
    assert "Traceback" not in result.output


def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--database-url", "nosuchdb://x", "db", "upgrade"])
    assert result.exit_code == 1
    assert "database" in result.output.lower() and "Traceback" not in result.output


@pytest.mark.parametrize("database_url", [None, "sqlite:///{tmp}/other.sqlite3"])
def test_several_workers_on_sqlite_are_refused_with_the_way_to_postgresql(
    tmp_path: Path, database_url: str | None
) -> None:
    """SQLite serves one worker process: `serve --workers 2` on it stops before it opens anything."""
    args = ["--data-dir", str(tmp_path)]
    if database_url:
        args += ["--database-url", database_url.format(tmp=tmp_path)]
    result = CliRunner().invoke(cli, [*args, "serve", "--workers", "2"])
    assert result.exit_code == 2, result.output
    assert "SQLite serves one worker process" in result.output
    assert "CERTPREP_DATABASE_URL=postgresql+psycopg://" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # no database was created or migrated
