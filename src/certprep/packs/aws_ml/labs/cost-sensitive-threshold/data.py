"""A fraud model's scores with labels, from a seed: validation.csv, and unseen data for the checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COST_FN = 200.0
COST_FP = 10.0


def scored(rng: np.random.Generator, n: int) -> pd.DataFrame:
    fraud = rng.random(n) < 0.04
    # A decent but imperfect model: fraud scores high, most good transactions low.
    logit = np.where(fraud, rng.normal(0.6, 1.3, n), rng.normal(-3.0, 1.3, n))
    return pd.DataFrame({"is_fraud": fraud.astype(int), "score": np.round(1 / (1 + np.exp(-logit)), 5)})


def generate(seed: int, dest: Path) -> None:
    scored(np.random.default_rng(seed), 5000).to_csv(dest / "validation.csv", index=False)


def unseen(seed: int) -> pd.DataFrame:
    return scored(np.random.default_rng(seed + 1), 20000)
