"""Checks of the cost-sensitive-threshold lab."""

from __future__ import annotations

import numpy as np
import pandas as pd

from certprep.labs.api import CheckFailed, Context, check

COST_FN, COST_FP = 200.0, 10.0
MAX_EXCESS = 0.05


def _cost(y: np.ndarray, s: np.ndarray, t: float) -> float:
    flagged, fraud = s >= t, y == 1
    return float((COST_FP * np.sum(flagged & ~fraud) + COST_FN * np.sum(~flagged & fraud)) / len(y))


@check("expected-cost", "expected_cost gives the mean cost per transaction")
def expected_cost(ctx: Context) -> str:
    y = np.array([1, 1, 0, 0, 0, 1, 0, 0, 0, 0])
    s = np.array([0.9, 0.3, 0.8, 0.1, 0.2, 0.6, 0.4, 0.05, 0.7, 0.5])
    fn = ctx.learner("threshold").expected_cost
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        got, want = float(fn(y, s, t)), _cost(y, s, t)
        if not np.isclose(got, want, rtol=1e-6):
            raise CheckFailed(
                "a false negative is a fraud the model let through (label 1, score below the threshold) and "
                "costs $200; a false positive is a good transaction held (label 0, score at or above it) and "
                "costs $10; the mean is the total cost over all transactions",
                detail=f"at threshold {t}: got {got:.2f}, expected a different value",
            )
    return "agrees on five thresholds of a small example"


@check("least-cost-threshold", f"On unseen data the chosen threshold costs at most {MAX_EXCESS:.0%} above the best")
def least_cost(ctx: Context) -> str:
    val = pd.read_csv(ctx.workspace / "validation.csv")
    t = float(ctx.learner("threshold").choose_threshold(val["is_fraud"].to_numpy(), val["score"].to_numpy()))
    if not 0.0 <= t <= 1.0:
        raise CheckFailed("a threshold on a probability score lies between 0 and 1", detail=f"got {t}")
    unseen = ctx.lab("data").unseen(ctx.seed)
    y, s = unseen["is_fraud"].to_numpy(), unseen["score"].to_numpy()
    best = min(_cost(y, s, c) for c in np.linspace(0, 1, 1001))
    got = _cost(y, s, t)
    if got > best * (1 + MAX_EXCESS):
        raise CheckFailed(
            "accuracy and F1 count every error the same; when a missed fraud costs twenty times a needless "
            "review, the cheapest threshold flags far more transactions: minimise the expected cost itself "
            "over candidate thresholds on the validation data",
            detail=f"threshold {t:.3f} costs ${got:.2f} per transaction; the best costs ${best:.2f}",
        )
    return f"threshold {t:.3f}: ${got:.2f} per transaction (best ${best:.2f})"
