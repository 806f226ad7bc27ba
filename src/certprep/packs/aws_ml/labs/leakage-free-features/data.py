"""Card transactions over time, from a seed: transactions.csv, and next month's for the checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

CATEGORIES = ("grocery", "fuel", "online", "travel", "electronics")
FEATURES = ["amount", "hour", "merchant_category", "account_age_days", "distance_km", "chargeback_filed"]
LABEL = "is_fraud"


def transactions(rng: np.random.Generator, n: int, start_day: float, days: float) -> pd.DataFrame:
    ts = np.sort(rng.uniform(start_day, start_day + days, n))
    category = rng.choice(len(CATEGORIES), n, p=[0.35, 0.2, 0.25, 0.1, 0.1])
    # Prices drift up over time: a scaler fitted on all rows learns where the test rows lie.
    amount = np.round(rng.lognormal(3.3 + 0.004 * ts, 0.9), 2)
    hour = rng.integers(0, 24, n)
    age = rng.integers(5, 3650, n)
    distance = rng.exponential(12.0, n)
    night = (hour <= 5).astype(float)
    risky = np.isin(category, [2, 4]).astype(float)
    logit = -5.2 + 0.9 * np.log1p(amount / 60) + 1.2 * night + 1.3 * risky - 0.0006 * age + 0.035 * distance
    fraud = rng.random(n) < 1 / (1 + np.exp(-logit))
    # Known only weeks later: a perfect predictor in hindsight, and empty when the model runs.
    chargeback = np.where(fraud, rng.random(n) < 0.9, rng.random(n) < 0.01).astype(int)
    distance_seen = np.where(rng.random(n) < 0.08, np.nan, np.round(distance, 1))
    start = pd.Timestamp("2026-01-01")
    return pd.DataFrame(
        {
            "ts": (start + pd.to_timedelta(ts, unit="D")).round("s"),
            "amount": amount,
            "hour": hour,
            "merchant_category": np.array(CATEGORIES)[category],
            "account_age_days": age,
            "distance_km": distance_seen,
            "chargeback_filed": chargeback,
            LABEL: fraud.astype(int),
        }
    )


def generate(seed: int, dest: Path) -> None:
    rng = np.random.default_rng(seed)
    transactions(rng, 6000, 0.0, 180.0).to_csv(dest / "transactions.csv", index=False)


def next_month(seed: int) -> pd.DataFrame:
    """Transactions of the month after the workspace's data; chargebacks are not filed yet."""
    frame = transactions(np.random.default_rng(seed + 1), 3000, 180.0, 30.0)
    frame["chargeback_filed"] = 0
    return frame
