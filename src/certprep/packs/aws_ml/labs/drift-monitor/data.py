"""A training baseline and a stream of daily batches in which one feature starts to drift."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

FEATURES = ("basket_value", "items", "session_minutes")
BATCHES = 30
BATCH_ROWS = 500


def _rows(rng: np.random.Generator, n: int, shift: dict[str, float]) -> pd.DataFrame:
    value = rng.lognormal(3.6 + 0.6 * shift.get("basket_value", 0.0), 0.6, n)
    items = rng.poisson(np.exp(1.4 + 0.35 * shift.get("items", 0.0)), n) + 1
    minutes = rng.gamma(4.0, 3.0 * np.exp(0.3 * shift.get("session_minutes", 0.0)), n)
    return pd.DataFrame({"basket_value": value.round(2), "items": items, "session_minutes": minutes.round(1)})


def stream(seed: int, feature: str, start: int) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The baseline and BATCHES batches; ``feature`` drifts a little more each batch from ``start`` on."""
    rng = np.random.default_rng(seed)
    baseline = _rows(rng, 5000, {})
    batches = [_rows(rng, BATCH_ROWS, {feature: 0.45 * max(0, b - start + 1)}) for b in range(BATCHES)]
    return baseline, batches


def generate(seed: int, dest: Path) -> None:
    baseline, batches = stream(seed, **workspace_drift())
    baseline.to_csv(dest / "baseline.csv", index=False)
    (dest / "batches").mkdir()
    for i, batch in enumerate(batches):
        batch.to_csv(dest / "batches" / f"batch_{i:03d}.csv", index=False)


def workspace_drift() -> dict[str, Any]:
    return {"feature": "basket_value", "start": 18}


def hidden_drift() -> dict[str, Any]:
    return {"feature": "session_minutes", "start": 11}
