"""Docs stay true: every setting and every command is documented; README keeps two commands."""

from __future__ import annotations

import re
from pathlib import Path

import click

from certprep.cli.main import cli
from certprep.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "configuration.md").read_text()
    for name in Settings.model_fields:
        assert f"CERTPREP_{name.upper()}" in text, name


def _paths(group: click.Group, prefix: str = "certprep") -> list[str]:
    out = []
    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        out += _paths(command, path) if isinstance(command, click.Group) else [path]
    return out


def test_every_command_is_documented() -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    for path in _paths(cli):
        assert f"`{path}" in text, path


def test_readme_gives_the_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash)\n(.*?)```", readme, flags=re.DOTALL)
    setup = [b.strip() for b in blocks[:2]]
    assert len(setup) == 2
    assert "certprep serve" in setup[0]
    assert "pytest" in setup[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert setup[1].splitlines()[-1].split("&&")[-1].strip() in ci
