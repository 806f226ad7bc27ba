"""The bundled labs' catalogue: needs no extra."""

from __future__ import annotations

from pathlib import Path

import pytest

from certprep.content import bundled_pack_path, load_pack
from certprep.labs import LabError, find_lab, load_labs
from tests.labs.conftest import BUNDLED


def test_bundled_labs_cover_every_mla_c02_domain() -> None:
    assert len(BUNDLED) >= 4
    assert {lab.domain for lab in BUNDLED} >= {"1", "2", "3", "4"}
    assert len({lab.id for lab in BUNDLED}) == len(BUNDLED)


@pytest.mark.parametrize("lab", BUNDLED, ids=lambda lab: lab.id)
def test_task_statements_exist_in_the_pack(lab) -> None:  # type: ignore[no-untyped-def]
    blueprints = load_pack(bundled_pack_path()).blueprints
    assert "MLA-C02" in lab.tasks
    for code, ids in lab.tasks.items():
        known = {t.id for d in blueprints[code].domains for t in d.tasks}
        assert set(ids) <= known, (code, ids)
    assert lab.tasks["MLA-C02"][0].split(".")[0] == lab.domain


@pytest.mark.parametrize("lab", BUNDLED, ids=lambda lab: lab.id)
def test_each_lab_has_a_wrong_solution(lab) -> None:  # type: ignore[no-untyped-def]
    assert lab.wrong
    for name in lab.wrong:
        file, text = lab.wrong_solution(name)
        assert text != (lab.solution / file).read_text(), name
    assert lab.steps and lab.goal


def test_unknown_lab_names_the_known_ones() -> None:
    with pytest.raises(LabError, match="leakage-free-features"):
        find_lab(bundled_pack_path(), "no-such-lab")


def test_a_pack_without_labs_has_none(tmp_path: Path) -> None:
    assert load_labs(tmp_path) == ()


def test_a_lab_folder_missing_its_checks_is_refused(tmp_path: Path) -> None:
    from tests.labs.conftest import write_fake_lab

    lab = write_fake_lab(tmp_path)
    (lab.folder / "checks.py").unlink()
    with pytest.raises(LabError, match=r"checks\.py is missing"):
        load_labs(tmp_path)
