"""A churn-like classification set, from a seed: train.csv, valid.csv and test.csv."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification

LABEL = "churned"
SIZES = {"train": 800, "valid": 400, "test": 400}


def frames(seed: int) -> dict[str, pd.DataFrame]:
    """The three splits; many noisy features, so that regularisation and the step size matter."""
    n = sum(SIZES.values())
    x, y = make_classification(
        n_samples=n,
        n_features=40,
        n_informative=8,
        n_redundant=6,
        flip_y=0.05,
        class_sep=0.8,
        random_state=seed,
    )
    x = x * np.random.default_rng(seed).uniform(0.5, 20.0, x.shape[1])  # unscaled, as raw features are
    columns = [f"f{i:02d}" for i in range(x.shape[1])]
    df = pd.DataFrame(np.round(x, 4), columns=columns).assign(**{LABEL: y})
    out, start = {}, 0
    for name, size in SIZES.items():
        out[name] = df.iloc[start : start + size].reset_index(drop=True)
        start += size
    return out


def generate(seed: int, dest: Path) -> None:
    for name, frame in frames(seed).items():
        frame.to_csv(dest / f"{name}.csv", index=False)
