"""Fixtures for the exam engine: the real blueprints and synthetic banks of valid questions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from certprep.content import bundled_pack_path
from certprep.content.schema import Blueprint, Question
from research.synthetic import synthetic_bank

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

BankMaker = Callable[..., tuple[Question, ...]]


def load_blueprint(code: str) -> Blueprint:
    """The bundled blueprint file alone (not the whole pack, which other work may be editing)."""
    path = bundled_pack_path() / "blueprints" / f"{code}.yaml"
    return Blueprint.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


MLA = load_blueprint("MLA-C01")
MLS = load_blueprint("MLS-C01")


@pytest.fixture
def mla() -> Blueprint:
    return MLA


@pytest.fixture
def mls() -> Blueprint:
    return MLS


def make_bank(blueprint: Blueprint, count: int, **options: Any) -> tuple[Question, ...]:
    """``count`` valid questions for ``blueprint`` (see certprep.exam.synthetic.synthetic_bank)."""
    return synthetic_bank(blueprint, count, **options)


@pytest.fixture
def bank_maker() -> BankMaker:
    return make_bank
