"""Mastery per task statement and per domain: recency-weighted Beta posteriors, pooled.

The model (docs/readiness.md explains the choice):

- **Evidence.** Every answer for the exam becomes weighted pseudo-counts on its task statement:
  a right answer adds ``w * r**(d-2)`` successes, a wrong one ``w * r**(2-d)`` failures, where
  ``d`` is the question's difficulty (1..3) and ``r`` is ``difficulty_odds`` (a hard question
  counts more when right and less when wrong; the evidence is put on the scale of a medium
  question). The weight ``w`` halves every ``half_life_days`` (recency), and is lowered for
  reviews (the learner has seen the key) and for repeats of a question already answered.
- **The learner's overall level** ``g`` ~ Beta(prior + all the evidence of the exam).
- **A task statement** given ``g``: p ~ Beta(k g + successes, k (1 - g) + failures), so a task
  with little evidence borrows ``k = task_prior_strength`` pseudo-answers from the overall
  level instead of jumping to 0% or 100% after two answers.
- **A domain** is what an exam form measures in it: the mean of its task statements (forms spread
  a domain's items evenly over its tasks). **Overall** is the blueprint-weighted mean.

Means and variances are exact for this model (``g`` integrated out: the task mean is linear in
``g``); the 80% credible interval is read from the Beta with those two moments. More right
answers never lower a mean (tests/analytics/test_mastery.py checks it with hypothesis).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from certprep.analytics.betadist import beta_from_moments, beta_ppf
from certprep.analytics.observations import Observation
from certprep.content.schema import Blueprint

__all__ = [
    "DEFAULT_CONFIG",
    "Estimate",
    "Mastery",
    "MasteryConfig",
    "TaskEvidence",
    "estimate_mastery",
]

_DAY = 86_400.0


@dataclass(frozen=True)
class MasteryConfig:
    """The model's knobs; the defaults are the documented choice (docs/readiness.md)."""

    half_life_days: float = 30.0
    prior: tuple[float, float] = (6.0, 4.0)  # Beta prior of the overall level: 60%, worth 10 answers
    task_prior_strength: float = 8.0  # k: between-task spread of about 0.15 around the overall level
    difficulty_odds: float = 1.2  # r: one difficulty level is worth a factor 1.2**2 = 1.44 in odds
    exam_weight: float = 1.0
    practice_weight: float = 1.0
    review_weight: float = 0.5  # a review re-asks a missed question whose key the learner has seen
    repeat_weight: float = 0.25  # any later answer to a question already answered
    credible: float = 0.8

    def __post_init__(self) -> None:
        if self.half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        if min(self.prior) <= 0:
            raise ValueError("the prior's parameters must be positive")
        if self.task_prior_strength <= 0:
            raise ValueError("task_prior_strength must be positive")
        if self.difficulty_odds <= 0:
            raise ValueError("difficulty_odds must be positive")
        weights = (self.exam_weight, self.practice_weight, self.review_weight, self.repeat_weight)
        if min(weights) < 0:
            raise ValueError("weights cannot be negative")
        if not 0 < self.credible < 1:
            raise ValueError("credible must lie strictly between 0 and 1")

    def source_weight(self, source: str) -> float:
        if source == "exam":
            return self.exam_weight
        if source == "review":
            return self.review_weight
        return self.practice_weight


DEFAULT_CONFIG = MasteryConfig()


@dataclass(frozen=True)
class Estimate:
    """A share of questions answered right: posterior mean, credible interval, evidence.

    ``effective_n`` is the weighted evidence behind it (recency, difficulty, source and repeat
    weights applied; the prior not counted); ``answers`` counts the answers as given.
    """

    mean: float
    low: float
    high: float
    effective_n: float
    answers: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "mean": self.mean,
            "low": self.low,
            "high": self.high,
            "effective_n": self.effective_n,
            "answers": self.answers,
        }


@dataclass(frozen=True)
class TaskEvidence:
    """The weighted pseudo-counts of one task statement (what the prediction needs)."""

    successes: float = 0.0
    failures: float = 0.0
    answers: int = 0
    last_at: datetime | None = None

    @property
    def weight(self) -> float:
        return self.successes + self.failures


def _frozen_map(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(data))


@dataclass(frozen=True)
class Mastery:
    """Mastery of one exam at ``now``: overall, per domain and per task statement (blueprint order).

    ``level`` is the Beta posterior (a, b) of the overall level ``g``; ``evidence`` the weighted
    counts per task statement. Together with ``config`` they are the whole state of the model.
    """

    exam: str
    now: datetime
    overall: Estimate
    domains: Mapping[str, Estimate]
    tasks: Mapping[str, Estimate]
    level: tuple[float, float]
    evidence: Mapping[str, TaskEvidence]
    config: MasteryConfig = field(default=DEFAULT_CONFIG)
    ignored: int = 0  # answers left out: another exam, a task not in the blueprint, or after ``now``

    def __post_init__(self) -> None:
        object.__setattr__(self, "domains", _frozen_map(self.domains))
        object.__setattr__(self, "tasks", _frozen_map(self.tasks))
        object.__setattr__(self, "evidence", _frozen_map(self.evidence))

    @property
    def answers(self) -> int:
        return self.overall.answers

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam": self.exam,
            "now": self.now.isoformat(),
            "overall": self.overall.to_dict(),
            "domains": {k: v.to_dict() for k, v in self.domains.items()},
            "tasks": {k: v.to_dict() for k, v in self.tasks.items()},
            "ignored": self.ignored,
        }


def _interval(mean: float, variance: float, credible: float) -> tuple[float, float]:
    a, b = beta_from_moments(mean, variance)
    tail = (1.0 - credible) / 2.0
    return beta_ppf(tail, a, b), beta_ppf(1.0 - tail, a, b)


class _Tally:
    __slots__ = ("answers", "failures", "last_at", "successes")

    def __init__(self) -> None:
        self.successes = 0.0
        self.failures = 0.0
        self.answers = 0
        self.last_at: datetime | None = None


def _accumulate(
    observations: Sequence[Observation], blueprint: Blueprint, now: datetime, config: MasteryConfig
) -> tuple[dict[str, TaskEvidence], int]:
    """One pass over the answers: weighted successes and failures per task statement."""
    tasks = set(blueprint.task_ids)
    rows = [o for o in observations if o.exam == blueprint.code and o.task in tasks and o.at <= now]
    first_seen: dict[str, datetime] = {}
    for o in rows:
        seen = first_seen.get(o.question_id)
        if seen is None or o.at < seen:
            first_seen[o.question_id] = o.at
    rate = math.log(2.0) / (config.half_life_days * _DAY)
    r = config.difficulty_odds
    right = {d: r ** (d - 2) for d in (1, 2, 3)}
    wrong = {d: r ** (2 - d) for d in (1, 2, 3)}
    source = {s: config.source_weight(s) for s in ("exam", "practice", "review")}
    tally = {t: _Tally() for t in blueprint.task_ids}
    for o in rows:
        w = math.exp(-rate * (now - o.at).total_seconds()) * source[o.source]
        # a repeat is any answer after the question's first one; ties at the first instant all count as first
        if o.at > first_seen[o.question_id]:
            w *= config.repeat_weight
        entry = tally[o.task]
        if o.correct:
            entry.successes += w * right[o.difficulty]
        else:
            entry.failures += w * wrong[o.difficulty]
        entry.answers += 1
        if entry.last_at is None or o.at > entry.last_at:
            entry.last_at = o.at
    evidence = {t: TaskEvidence(e.successes, e.failures, e.answers, e.last_at) for t, e in tally.items()}
    return evidence, len(observations) - len(rows)


def estimate_mastery(
    observations: Iterable[Observation],
    blueprint: Blueprint,
    *,
    now: datetime,
    config: MasteryConfig = DEFAULT_CONFIG,
) -> Mastery:
    """Mastery of ``blueprint``'s exam from every answer given up to ``now`` (aware datetime).

    Answers for other exams, for task statements the blueprint does not list, or dated after
    ``now`` are left out (counted in ``Mastery.ignored``).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    rows = observations if isinstance(observations, list | tuple) else list(observations)
    evidence, ignored = _accumulate(rows, blueprint, now, config)
    a0, b0 = config.prior
    level_a = a0 + math.fsum(e.successes for e in evidence.values())
    level_b = b0 + math.fsum(e.failures for e in evidence.values())
    g_mean = level_a / (level_a + level_b)
    g_var = level_a * level_b / ((level_a + level_b) ** 2 * (level_a + level_b + 1.0))
    k = config.task_prior_strength

    # per task: E[p], E_g[Var(p | g)] and the slope of E[p | g] in g (the share borrowed from g)
    moments: dict[str, tuple[float, float, float]] = {}
    for task, e in evidence.items():
        total = k + e.weight
        slope = k / total
        mean = slope * g_mean + e.successes / total
        spread = slope * slope * g_var  # Var_g(E[p | g])
        inner = (mean * (1.0 - mean) - spread) / (total + 1.0)  # E_g[m (1 - m)] / (k + n + 1)
        moments[task] = (mean, inner, slope)

    credible = config.credible

    def combine(weights: Mapping[str, float]) -> Estimate:
        mean = math.fsum(w * moments[t][0] for t, w in weights.items())
        shared = math.fsum(w * moments[t][2] for t, w in weights.items())
        variance = math.fsum(w * w * moments[t][1] for t, w in weights.items()) + shared * shared * g_var
        low, high = _interval(mean, variance, credible)
        return Estimate(
            mean=mean,
            low=low,
            high=high,
            effective_n=math.fsum(evidence[t].weight for t in weights),
            answers=sum(evidence[t].answers for t in weights),
        )

    tasks = {t: combine({t: 1.0}) for t in blueprint.task_ids}
    domains = {}
    overall_weights: dict[str, float] = {}
    for domain in blueprint.domains:
        share = {t.id: 1.0 / len(domain.tasks) for t in domain.tasks}
        domains[domain.id] = combine(share)
        for t, w in share.items():
            overall_weights[t] = w * domain.weight / 100.0
    return Mastery(
        exam=blueprint.code,
        now=now,
        overall=combine(overall_weights),
        domains=domains,
        tasks=tasks,
        level=(level_a, level_b),
        evidence=evidence,
        config=config,
        ignored=ignored,
    )
