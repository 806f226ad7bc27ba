"""A wheel built from the source tree carries the bundled content pack and the migrations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_pack_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("certprep-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    source_pack = ROOT / "src" / "certprep" / "packs" / "aws_ml"
    expected = {
        f"certprep/packs/aws_ml/{p.relative_to(source_pack).as_posix()}" for p in source_pack.rglob("*") if p.is_file()
    }
    assert expected and expected <= names
    assert "certprep/packs/aws_ml/blueprints/MLA-C01.yaml" in names
    assert any(n.startswith("certprep/store/migrations/versions/0001") for n in names)
    assert "certprep/store/migrations/env.py" in names
    assert any(n.startswith("certprep/web/templates/") for n in names)
    # research code (synthetic banks, learner simulation, calibration study) stays out of the wheel
    assert not any(n.startswith("research/") for n in names)
    for module in ("exam/synthetic.py", "analytics/simulation.py", "analytics/calibration.py"):
        assert f"certprep/{module}" not in names
