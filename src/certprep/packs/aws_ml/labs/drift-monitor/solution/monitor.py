"""Drift monitoring with the population stability index. (reference solution)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ALARM_PSI = 0.2
FEATURES = ["basket_value", "items", "session_minutes"]


def load(folder: str = ".") -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    root = Path(folder)
    batches = [pd.read_csv(p) for p in sorted((root / "batches").glob("batch_*.csv"))]
    return pd.read_csv(root / "baseline.csv"), batches


def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    """PSI of `actual` against `expected`, with bins at the deciles of `expected`."""
    edges = np.unique(np.quantile(expected, np.linspace(0, 1, bins + 1)[1:-1]))
    e = np.bincount(np.searchsorted(edges, expected, side="right"), minlength=len(edges) + 1) / len(expected)
    a = np.bincount(np.searchsorted(edges, actual, side="right"), minlength=len(edges) + 1) / len(actual)
    e, a = np.clip(e, 1e-4, None), np.clip(a, 1e-4, None)
    return float(np.sum((a - e) * np.log(a / e)))


def alarms(baseline: pd.DataFrame, batches: list[pd.DataFrame]) -> list[bool]:
    """One flag per batch: True when the batch's PSI on any feature exceeds ALARM_PSI."""
    return [any(psi(baseline[f].to_numpy(), batch[f].to_numpy()) > ALARM_PSI for f in FEATURES) for batch in batches]


def retraining_batch(baseline: pd.DataFrame, batches: list[pd.DataFrame]) -> int | None:
    """The index of the batch that triggers retraining, or None when none should."""
    flags = alarms(baseline, batches)
    return flags.index(True) if True in flags else None


if __name__ == "__main__":
    base, stream = load()
    flags = alarms(base, stream)
    print("alarms on batches:", [i for i, flag in enumerate(flags) if flag])
    print("retrain after batch:", retraining_batch(base, stream))
