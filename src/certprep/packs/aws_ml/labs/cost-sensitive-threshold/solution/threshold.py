"""Choose the decision threshold that costs least. (reference solution)"""

from __future__ import annotations

import numpy as np
import pandas as pd

COST_FN = 200.0  # a fraud let through
COST_FP = 10.0  # a good transaction held for review


def expected_cost(y_true: np.ndarray, scores: np.ndarray, threshold: float) -> float:
    """Mean cost per transaction when every score >= threshold is held for review."""
    flagged = np.asarray(scores) >= threshold
    fraud = np.asarray(y_true) == 1
    false_positives = np.sum(flagged & ~fraud)
    false_negatives = np.sum(~flagged & fraud)
    return float((COST_FP * false_positives + COST_FN * false_negatives) / len(fraud))


def choose_threshold(y_true: np.ndarray, scores: np.ndarray) -> float:
    """The threshold with the least expected cost on these (validation) labels and scores."""
    candidates = np.linspace(0.0, 1.0, 1001)
    costs = [expected_cost(y_true, scores, t) for t in candidates]
    return float(candidates[int(np.argmin(costs))])


if __name__ == "__main__":
    data = pd.read_csv("validation.csv")
    y, s = data["is_fraud"].to_numpy(), data["score"].to_numpy()
    t = choose_threshold(y, s)
    print(f"threshold {t:.3f}: ${expected_cost(y, s, t):.2f} per transaction; at 0.5: ${expected_cost(y, s, 0.5):.2f}")
