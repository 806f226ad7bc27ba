"""`--pack DIR` (repeatable) and CERTPREP_PACKS: a team's pack beside the bundled one on the command
line; a broken pack is refused with its errors and the bundled one still served."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from certprep.cli.main import cli
from certprep.config import Settings
from tests.content.test_packset import team_pack


def test_packs_come_from_the_environment_separated_by_the_path_separator(tmp_path: Path) -> None:
    value = os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")])
    assert Settings(_env_file=None, packs=value).packs == [tmp_path / "a", tmp_path / "b"]  # type: ignore[call-arg]


def test_export_reads_a_second_pack(tmp_path: Path) -> None:
    team = team_pack(tmp_path / "team")
    out = tmp_path / "team.gift"
    args = ["--pack", str(team), "content", "export", "--format", "gift", "--ids", "team-single", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "which service stores objects durably" in out.read_text().lower()


def test_a_broken_pack_is_refused_and_the_bundled_one_served(tmp_path: Path) -> None:
    good = team_pack(tmp_path / "good", pack_id="good")
    broken = team_pack(tmp_path / "broken")
    (broken / "questions" / "bad.yaml").write_text("id: [unclosed\n")
    out = tmp_path / "out.gift"
    args = ["content", "export", "--format", "gift", "--exam", "MLA-C01", "--task", "1.1", "--out", str(out)]
    env = {"CERTPREP_PACKS": os.pathsep.join([str(broken), str(good)])}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    assert f"content pack {broken} refused (1 error(s))" in result.stderr
    assert "questions/bad.yaml:2: invalid YAML" in result.stderr
    text = out.read_text()
    assert "::team-single::" in text or "team-single" in text  # the good pack is served
    assert text.count("::") > 20  # with the bundled pack's questions


def test_db_upgrade_syncs_a_second_pack(tmp_path: Path) -> None:
    team = team_pack(tmp_path / "team")
    base = ["--data-dir", str(tmp_path / "data"), "--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}"]
    first = CliRunner().invoke(cli, [*base, "db", "upgrade"])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(cli, [*base, "--pack", str(team), "db", "upgrade"])
    assert second.exit_code == 0, second.output
    assert "content: 1 added" in second.output


def test_serve_takes_pack_options(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: served.append(app))
    team = team_pack(tmp_path / "team")
    base = ["--data-dir", str(tmp_path / "data"), "--database-url", f"sqlite:///{tmp_path / 'db.sqlite3'}"]
    result = CliRunner().invoke(cli, [*base, "serve", "--pack", str(team)])
    assert result.exit_code == 0, result.output
    web = served[0]
    assert web.state.certprep.pack.pack_ids == ("aws-ml", "team")  # type: ignore[attr-defined]
