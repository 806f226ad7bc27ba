"""A churn model's world: labelled history, a stream of daily batches with a step of data drift,
and the pipeline's configuration (pipeline.json)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["BATCHES", "NUMERIC", "config", "generate", "hidden_drift", "workspace_drift", "write_data"]

NUMERIC = ("tenure_months", "monthly_spend", "support_calls")
BATCHES = 20
BATCH_ROWS = 400


def _rows(rng: np.random.Generator, n: int, drift: dict[str, float]) -> pd.DataFrame:
    tenure = rng.gamma(2.0, 12.0, n)
    spend = rng.lognormal(3.6, 0.45, n) * drift.get("monthly_spend", 1.0)
    calls = rng.poisson(1.2 + drift.get("support_calls", 0.0), n)
    plan = rng.choice(["basic", "plus", "pro"], n, p=[0.5, 0.3, 0.2])
    z = 0.4 - 0.06 * tenure + 0.012 * spend + 0.7 * calls - 0.6 * (plan == "pro")
    churn = rng.random(n) < 1 / (1 + np.exp(-z))
    return pd.DataFrame(
        {
            "tenure_months": tenure.round(1),
            "monthly_spend": spend.round(2),
            "support_calls": calls,
            "plan": plan,
            "churned": churn.astype(int),
        }
    )


def config(seed: int) -> dict[str, Any]:
    suffix = f"{random.Random(seed).randrange(16**6):06x}"
    return {
        "region": "us-east-1",
        "bucket": f"churn-mlops-{suffix}",
        "model_package_group": "churn-models",
        "endpoint": "churn-live",
        "image_uri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3",
        "role_arn": "arn:aws:iam::123456789012:role/churn-sagemaker-execution",
        "min_auc": 0.75,
        "psi_alarm": 0.2,
    }


def write_data(seed: int, dest: Path, feature: str, start: int, factor: float, batches: int = BATCHES) -> None:
    """history.csv and stream/batch_NNN.csv under ``dest``: ``feature`` shifts from batch ``start`` on."""
    rng = np.random.default_rng(seed)
    _rows(rng, 4000, {}).to_csv(dest / "history.csv", index=False)
    (dest / "stream").mkdir(exist_ok=True)
    for b in range(batches):
        drift = {feature: factor} if b >= start else {}
        _rows(rng, BATCH_ROWS, drift).to_csv(dest / "stream" / f"batch_{b:03d}.csv", index=False)


def workspace_drift() -> dict[str, Any]:
    return {"feature": "monthly_spend", "start": 12, "factor": 1.6}


def hidden_drift() -> dict[str, Any]:
    return {"feature": "support_calls", "start": 6, "factor": 1.5, "batches": 12}


def generate(seed: int, dest: Path) -> None:
    write_data(seed, dest, **workspace_drift())
    (dest / "pipeline.json").write_text(json.dumps(config(seed), indent=2) + "\n", encoding="utf-8")
