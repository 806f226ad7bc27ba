"""The predicted result of a full exam: raw-score distribution, scaled score, P(pass).

Computed, not simulated. A form has ``questions_scored`` scored items split over the domains by
the blueprint weights (``domain_counts``, 14/13/11/12 of 50 for MLA-C01) and, inside a domain,
round-robin over its task statements, the remainder going to consecutive tasks from a random
start (as ``assemble_form`` does; every start is equally likely, so we average over them).

Given the learner's overall level ``g``, the items of task statement ``t`` are right with one
unknown p_t ~ Beta(k g + successes, k (1 - g) + failures) (certprep.analytics.mastery), so the
count right on them is beta-binomial, and the raw score is the convolution over the tasks.
``g`` itself is uncertain: the result is averaged over ``nodes`` equal-probability quantiles of
its Beta posterior, which keeps the domains' shared uncertainty (a learner with no history is
unsure about every domain at once). The raw score maps to the scaled score with the scoring
module's own ``scaled_score``, so "pass" here means exactly what it means in a report.

Every step is monotone: one more right answer (or a wrong one turned right) never lowers P(pass).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from certprep.analytics.betadist import beta_binomial_pmf, beta_ppf
from certprep.analytics.mastery import Mastery
from certprep.content.schema import Blueprint
from certprep.exam.forms import domain_counts
from certprep.exam.scoring import cut_percent, scaled_score

__all__ = ["Prediction", "predict_exam"]


@dataclass(frozen=True)
class Prediction:
    """What a full exam taken now would most likely give.

    ``distribution[x]`` is P(raw score == x), x = 0..``scored_items``. Percent figures are raw
    percent; scaled figures use ``scaled_score`` (an estimate, docs/scoring.md). The interval is
    the central ``credible`` share of the distribution (80% by default).
    """

    exam: str
    scored_items: int
    cut_percent: float
    passing_score: int
    pass_raw: int  # fewest right answers that pass
    p_pass: float
    mean_percent: float
    percent_low: float
    percent_high: float
    scaled_low: int
    scaled_median: int
    scaled_high: int
    expected_scaled: float
    credible: float
    distribution: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "exam": self.exam,
            "scored_items": self.scored_items,
            "cut_percent": self.cut_percent,
            "passing_score": self.passing_score,
            "pass_raw": self.pass_raw,
            "p_pass": self.p_pass,
            "mean_percent": self.mean_percent,
            "percent_low": self.percent_low,
            "percent_high": self.percent_high,
            "scaled_low": self.scaled_low,
            "scaled_median": self.scaled_median,
            "scaled_high": self.scaled_high,
            "expected_scaled": self.expected_scaled,
            "scaled_is_estimate": True,
            "credible": self.credible,
            "distribution": list(self.distribution),
        }


def _convolve(left: Sequence[float], right: Sequence[float]) -> list[float]:
    out = [0.0] * (len(left) + len(right) - 1)
    for i, x in enumerate(left):
        if x == 0.0:
            continue
        for j, y in enumerate(right):
            out[i + j] += x * y
    return out


def _domain_distribution(evidence: Sequence[tuple[float, float]], items: int, g: float, k: float) -> list[float]:
    """P(right = x) on a domain's ``items`` items, given the overall level ``g``."""
    tasks = len(evidence)
    base, extra = divmod(items, tasks)
    params = [(k * g + s, k * (1.0 - g) + f) for s, f in evidence]
    small = [beta_binomial_pmf(base, a, b) for a, b in params]
    if extra == 0:
        dist = [1.0]
        for pmf in small:
            dist = _convolve(dist, pmf)
        return dist
    large = [beta_binomial_pmf(base + 1, a, b) for a, b in params]
    mixture = [0.0] * (items + 1)
    for start in range(tasks):
        favoured = {(start + j) % tasks for j in range(extra)}
        dist = [1.0]
        for t in range(tasks):
            dist = _convolve(dist, large[t] if t in favoured else small[t])
        for x, p in enumerate(dist):
            mixture[x] += p / tasks
    return mixture


def _quantile(cdf: Sequence[float], p: float) -> int:
    for x, c in enumerate(cdf):
        if c >= p - 1e-12:
            return x
    return len(cdf) - 1


def predict_exam(mastery: Mastery, blueprint: Blueprint, *, nodes: int = 24) -> Prediction:
    """Predict a full ``blueprint`` exam from ``mastery`` (which must be for the same exam).

    ``nodes`` is the number of quantiles of the overall level averaged over (24 is plenty:
    the answer moves by less than 0.002 from 24 to 200).
    """
    if mastery.exam != blueprint.code:
        raise ValueError(f"mastery is for {mastery.exam}, the blueprint for {blueprint.code}")
    if nodes < 1:
        raise ValueError("nodes must be at least 1")
    n = blueprint.questions_scored
    counts = domain_counts(blueprint, n)
    k = mastery.config.task_prior_strength
    evidence = {
        d.id: [(mastery.evidence[t.id].successes, mastery.evidence[t.id].failures) for t in d.tasks]
        for d in blueprint.domains
    }
    a, b = mastery.level
    total = [0.0] * (n + 1)
    for i in range(nodes):
        g = min(max(beta_ppf((i + 0.5) / nodes, a, b), 1e-9), 1.0 - 1e-9)
        dist = [1.0]
        for domain in blueprint.domains:
            if counts[domain.id]:
                dist = _convolve(dist, _domain_distribution(evidence[domain.id], counts[domain.id], g, k))
        for x, p in enumerate(dist):
            total[x] += p
    mass = math.fsum(total)
    distribution = tuple(p / mass for p in total)

    scaled = [scaled_score(x, n, blueprint) for x in range(n + 1)]
    pass_raw = next(x for x in range(n + 1) if scaled[x] >= blueprint.passing_score)
    cdf: list[float] = []
    running = 0.0
    for p in distribution:
        running += p
        cdf.append(running)
    credible = mastery.config.credible
    tail = (1.0 - credible) / 2.0
    low, median, high = _quantile(cdf, tail), _quantile(cdf, 0.5), _quantile(cdf, 1.0 - tail)
    return Prediction(
        exam=blueprint.code,
        scored_items=n,
        cut_percent=float(cut_percent(blueprint)),
        passing_score=blueprint.passing_score,
        pass_raw=pass_raw,
        p_pass=min(1.0, math.fsum(distribution[pass_raw:])),
        mean_percent=100.0 * math.fsum(x * p for x, p in enumerate(distribution)) / n,
        percent_low=100.0 * low / n,
        percent_high=100.0 * high / n,
        scaled_low=scaled[low],
        scaled_median=scaled[median],
        scaled_high=scaled[high],
        expected_scaled=math.fsum(s * p for s, p in zip(scaled, distribution, strict=True)),
        credible=credible,
        distribution=distribution,
    )
