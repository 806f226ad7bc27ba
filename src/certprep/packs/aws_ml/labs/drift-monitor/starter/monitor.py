"""Drift monitoring with the population stability index. Fill in the TODOs; see README.md."""

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
    # TODO: bin edges from np.quantile(expected, ...), shares per bin, clip at 0.0001, sum
    raise NotImplementedError("psi")


def alarms(baseline: pd.DataFrame, batches: list[pd.DataFrame]) -> list[bool]:
    """One flag per batch: True when the batch's PSI on any feature exceeds ALARM_PSI."""
    # TODO
    raise NotImplementedError("alarms")


def retraining_batch(baseline: pd.DataFrame, batches: list[pd.DataFrame]) -> int | None:
    """The index of the batch that triggers retraining, or None when none should."""
    # TODO
    raise NotImplementedError("retraining_batch")


if __name__ == "__main__":
    base, stream = load()
    flags = alarms(base, stream)
    print("alarms on batches:", [i for i, flag in enumerate(flags) if flag])
    print("retrain after batch:", retraining_batch(base, stream))
