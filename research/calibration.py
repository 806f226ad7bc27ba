"""The calibration study: does P(pass) mean what it says? Brier scores and reliability tables.

``run_study`` simulates learners (certprep.analytics.simulation), asks each predictor for a pass
probability from the learner's history on the morning of the exam, and scores it against the
simulated exam. The predictors compared:

- ``certprep``: ``predict_exam(estimate_mastery(...)).p_pass``;
- ``naive cut``: 1 if the percent correct so far reaches the cut (72% for MLA-C01), else 0;
- ``naive percent``: the percent correct so far, read as a probability;
- ``base rate``: the sample's own pass rate for everyone (an oracle constant, for scale).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from certprep.analytics.mastery import DEFAULT_CONFIG, MasteryConfig, estimate_mastery
from certprep.analytics.prediction import predict_exam
from certprep.content.schema import Blueprint
from certprep.exam.scoring import cut_percent
from research.simulation import Population, SimulatedLearner, simulate_learner

__all__ = [
    "PREDICTORS",
    "PredictorScore",
    "ReliabilityRow",
    "StudyResult",
    "brier_score",
    "learner_seed",
    "predictions_for",
    "reliability_table",
    "run_study",
    "score_predictions",
]

PREDICTORS = ("certprep", "naive cut", "naive percent", "base rate")


@dataclass(frozen=True)
class ReliabilityRow:
    """Predictions in [low, high): how many, their mean, and the share that passed."""

    low: float
    high: float
    count: int
    mean_predicted: float | None
    observed: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "count": self.count,
            "mean_predicted": self.mean_predicted,
            "observed": self.observed,
        }


@dataclass(frozen=True)
class PredictorScore:
    name: str
    brier: float
    table: tuple[ReliabilityRow, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "brier": self.brier, "table": [r.to_dict() for r in self.table]}


@dataclass(frozen=True)
class StudyResult:
    learners: int
    pass_rate: float
    median_answers: float
    scores: tuple[PredictorScore, ...]

    def score(self, name: str) -> PredictorScore:
        for s in self.scores:
            if s.name == name:
                return s
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "learners": self.learners,
            "pass_rate": self.pass_rate,
            "median_answers": self.median_answers,
            "scores": [s.to_dict() for s in self.scores],
        }


def brier_score(predicted: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean squared difference between the probability and the outcome (0 best, 0.25 a coin)."""
    if len(predicted) != len(outcomes) or not predicted:
        raise ValueError("need as many predictions as outcomes, at least one")
    return math.fsum((p - float(o)) ** 2 for p, o in zip(predicted, outcomes, strict=True)) / len(predicted)


def reliability_table(
    predicted: Sequence[float], outcomes: Sequence[bool], bins: int = 10
) -> tuple[ReliabilityRow, ...]:
    """Deciles of the predicted probability (the last bin includes 1.0)."""
    if len(predicted) != len(outcomes):
        raise ValueError("need as many predictions as outcomes")
    sums = [0.0] * bins
    passes = [0] * bins
    counts = [0] * bins
    for p, o in zip(predicted, outcomes, strict=True):
        i = min(int(p * bins), bins - 1)
        sums[i] += p
        passes[i] += bool(o)
        counts[i] += 1
    return tuple(
        ReliabilityRow(
            low=i / bins,
            high=(i + 1) / bins,
            count=counts[i],
            mean_predicted=sums[i] / counts[i] if counts[i] else None,
            observed=passes[i] / counts[i] if counts[i] else None,
        )
        for i in range(bins)
    )


def learner_seed(seed: int, index: int) -> str:
    """Each learner has its own generator, so a study gives the same learners however it is split."""
    return f"certprep-calibration:{seed}:{index}"


def predictions_for(
    learner: SimulatedLearner, blueprint: Blueprint, config: MasteryConfig = DEFAULT_CONFIG
) -> dict[str, float]:
    """Every predictor's P(pass) for one learner, except the base rate (known only at the end)."""
    history = learner.observations
    right = sum(o.correct for o in history)
    percent = right / len(history) if history else 0.0
    mastery = estimate_mastery(history, blueprint, now=learner.exam_at, config=config)
    return {
        "certprep": predict_exam(mastery, blueprint).p_pass,
        "naive cut": 1.0 if percent * 100 >= cut_percent(blueprint) else 0.0,
        "naive percent": percent,
    }


def score_predictions(rows: Sequence[tuple[dict[str, float], bool, int]], bins: int = 10) -> StudyResult:
    """Score (predictions, passed, answers) rows from ``predictions_for``."""
    outcomes = [passed for _, passed, _ in rows]
    rate = sum(outcomes) / len(outcomes)
    scores = []
    for name in PREDICTORS:
        predicted = [rate] * len(rows) if name == "base rate" else [p[name] for p, _, _ in rows]
        scores.append(
            PredictorScore(name, brier_score(predicted, outcomes), reliability_table(predicted, outcomes, bins))
        )
    answers = sorted(n for _, _, n in rows)
    middle = len(answers) // 2
    median = float(answers[middle]) if len(answers) % 2 else (answers[middle - 1] + answers[middle]) / 2
    return StudyResult(learners=len(rows), pass_rate=rate, median_answers=median, scores=tuple(scores))


def run_study(
    blueprint: Blueprint,
    *,
    learners: int,
    seed: int,
    population: Population | None = None,
    config: MasteryConfig = DEFAULT_CONFIG,
    first: int = 0,
) -> StudyResult:
    """Simulate learners ``first .. first + learners - 1`` of study ``seed`` and score the predictors."""
    if learners < 1:
        raise ValueError("learners must be at least 1")
    rows = []
    for index in range(first, first + learners):
        learner = simulate_learner(blueprint, random.Random(learner_seed(seed, index)), population)
        rows.append((predictions_for(learner, blueprint, config), learner.passed, len(learner.observations)))
    return score_predictions(rows)
