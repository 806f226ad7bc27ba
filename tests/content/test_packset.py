"""Several packs served side by side: merge rules, refused packs, fixed forms stay the owner's."""

from __future__ import annotations

import shutil
from pathlib import Path

from certprep.content import bundled_pack_path
from certprep.content.packset import load_pack_set
from tests.conftest import MINI_QUESTION, bundled_pack


def team_pack(root: Path, *, pack_id: str = "team", question: str = MINI_QUESTION, blueprints: bool = False) -> Path:
    """A pack of one question for MLA-C01 (an exam of the bundled pack)."""
    (root / "questions").mkdir(parents=True)
    (root / "pack.yaml").write_text(f"id: {pack_id}\ntitle: Our team\nversion: '1'\n")
    (root / "questions" / "q.yaml").write_text(question.replace("id: mini-single", "id: team-single"))
    if blueprints:
        shutil.copytree(bundled_pack_path() / "blueprints", root / "blueprints")
    return root


def test_a_team_pack_adds_questions_to_an_exam_of_the_bundled_pack(tmp_path: Path) -> None:
    base = bundled_pack()
    packs = load_pack_set(base, [team_pack(tmp_path / "team")])
    assert packs.refused == ()
    pack = packs.pack
    assert pack.pack_ids == ("aws-ml", "team")
    assert pack.pack_of("team-single") == "team" and pack.pack_of("MLA-C01") == "aws-ml"
    assert "team-single" in {q.id for q in pack.questions_for("MLA-C01")}
    # The fixed Practice Exams are built from the bundled pack's questions only.
    assert pack.form_questions_for("MLA-C01") == base.questions_for("MLA-C01")
    assert pack.item_path("team-single") == tmp_path / "team" / "questions" / "q.yaml"
    assert pack.blueprints == base.blueprints


def test_a_copy_of_a_known_blueprint_is_left_out(tmp_path: Path) -> None:
    base = bundled_pack()
    pack = load_pack_set(base, [team_pack(tmp_path / "team", blueprints=True)]).pack
    assert pack.pack_of("MLA-C01") == "aws-ml"
    assert pack.item_path("MLA-C01") == base.root / "blueprints" / "MLA-C01.yaml"


def test_a_pack_that_reuses_an_id_is_refused_and_the_others_served(tmp_path: Path) -> None:
    base = bundled_pack()
    taken = base.questions[0].id
    clash = team_pack(tmp_path / "clash", question=MINI_QUESTION.replace("id: mini-single", f"id: {taken}"))
    (clash / "questions" / "q.yaml").write_text(MINI_QUESTION.replace("id: mini-single", f"id: {taken}"))
    good = team_pack(tmp_path / "good", pack_id="good")
    packs = load_pack_set(base, [clash, good])
    assert [r.root for r in packs.refused] == [clash]
    assert any(f"id {taken!r} is already used by pack 'aws-ml'" in line for line in packs.refused[0].lines())
    assert packs.pack.pack_ids == ("aws-ml", "good")
    assert packs.pack.question(taken) == base.question(taken)


def test_a_broken_pack_is_refused_with_its_errors(tmp_path: Path) -> None:
    broken = team_pack(tmp_path / "broken")
    (broken / "questions" / "bad.yaml").write_text("id: [unclosed\n")
    (broken / "questions" / "unknown.yaml").write_text(
        MINI_QUESTION.replace("id: mini-single", "id: team-other").replace("MLA-C01", "XYZ-C01")
    )
    packs = load_pack_set(bundled_pack(), [broken])
    lines = packs.refused[0].lines()
    assert any("questions/bad.yaml:2: invalid YAML" in line for line in lines)
    assert any("team-other: unknown exam XYZ-C01" in line for line in lines)
    assert packs.pack.pack_ids == ("aws-ml",) and "team-single" not in packs.pack.questions_by_id


def test_a_second_pack_with_the_same_pack_id_is_refused(tmp_path: Path) -> None:
    packs = load_pack_set(bundled_pack(), [team_pack(tmp_path / "a"), team_pack(tmp_path / "b")])
    assert packs.pack.pack_ids == ("aws-ml", "team")
    assert [r.root for r in packs.refused] == [tmp_path / "b"]
    assert any("pack id 'team' is already used" in line for line in packs.refused[0].lines())


def test_the_same_folder_twice_is_served_once(tmp_path: Path) -> None:
    root = team_pack(tmp_path / "team")
    packs = load_pack_set(bundled_pack(), [root, tmp_path / "team" / ".." / "team", bundled_pack_path()])
    assert packs.refused == () and packs.pack.pack_ids == ("aws-ml", "team")
