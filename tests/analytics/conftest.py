"""Fixtures for the analytics: the real blueprints and a compact way to write answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

import yaml

from certprep.analytics import Observation, Source
from certprep.content import bundled_pack_path
from certprep.content.schema import Blueprint

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def load_blueprint(code: str) -> Blueprint:
    """The bundled blueprint file alone (not the whole pack, which other work may be editing)."""
    path = bundled_pack_path() / "blueprints" / f"{code}.yaml"
    return Blueprint.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


MLA = load_blueprint("MLA-C01")
MLS = load_blueprint("MLS-C01")


def obs(
    qid: str,
    task: str,
    correct: bool,
    *,
    days_ago: float = 0.0,
    difficulty: Literal[1, 2, 3] = 2,
    source: Source = "practice",
    exam: str = "MLA-C01",
) -> Observation:
    """One answer ``days_ago`` days before NOW."""
    return Observation(
        question_id=qid,
        task=task,
        domain=task.split(".")[0],
        exam=exam,
        correct=correct,
        at=NOW - timedelta(days=days_ago),
        difficulty=difficulty,
        source=source,
    )
