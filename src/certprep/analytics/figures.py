"""The one figure shown for a domain, everywhere: its mastery estimate and the answers behind it.

The dashboard, the progress page, the study plan, the readiness checklist and their JSON twins
all show a domain as ``DomainFigure`` and word it with ``mastery_text`` ("mastery 31%, from 12
answers"), so one learner never sees 31% in one place and 20% in another (issue 18.4). The
figure is ``Mastery.domains[d]`` (``analytics.mastery``): the recency-weighted estimate of the
share of the domain's questions answered right now; ``answers`` counts the answers as given
(not the weighted evidence). Percentages are rounded down, as the checklist's thresholds are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from certprep.analytics.mastery import Mastery
from certprep.content.schema import Blueprint

__all__ = ["DomainFigure", "domain_figures", "mastery_percent", "mastery_text"]


def mastery_percent(mean: float) -> int:
    """A mastery mean (0..1) as a whole percent, rounded down: 69.9% never reads as 70%."""
    return math.floor(100.0 * mean + 1e-9)


def mastery_text(mean: float, answers: int) -> str:
    """The wording of a mastery figure on every page: "mastery 31%, from 12 answers"."""
    if answers <= 0:
        return f"mastery {mastery_percent(mean)}%, no answers yet"
    return f"mastery {mastery_percent(mean)}%, from {answers} answer{'' if answers == 1 else 's'}"


@dataclass(frozen=True)
class DomainFigure:
    """One domain of one exam: mastery (posterior mean), its 80% interval, the answers behind it."""

    exam: str
    id: str
    title: str
    weight: int
    mean: float
    low: float
    high: float
    effective_n: float
    answers: int

    @property
    def percent(self) -> int:
        return mastery_percent(self.mean)

    @property
    def text(self) -> str:
        return mastery_text(self.mean, self.answers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam": self.exam,
            "id": self.id,
            "title": self.title,
            "weight": self.weight,
            "mean": self.mean,
            "low": self.low,
            "high": self.high,
            "effective_n": self.effective_n,
            "answers": self.answers,
            "percent": self.percent,
            "text": self.text,
        }


def domain_figures(mastery: Mastery, blueprint: Blueprint) -> tuple[DomainFigure, ...]:
    """Every domain of ``blueprint`` in its order, from ``mastery`` (of the same exam)."""
    if mastery.exam != blueprint.code:
        raise ValueError(f"mastery of {mastery.exam} given for {blueprint.code}")
    out = []
    for d in blueprint.domains:
        e = mastery.domains[d.id]
        out.append(
            DomainFigure(blueprint.code, d.id, d.title, d.weight, e.mean, e.low, e.high, e.effective_n, e.answers)
        )
    return tuple(out)
