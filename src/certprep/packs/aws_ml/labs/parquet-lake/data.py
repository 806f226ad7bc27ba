"""Clickstream events over 60 days, from a seed: events.csv."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 200_000


def events(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    day = pd.Timestamp("2026-09-01") + pd.to_timedelta(rng.integers(0, 60, ROWS), unit="D")
    kind = rng.choice(["view", "cart", "purchase"], ROWS, p=[0.8, 0.15, 0.05])
    value = np.where(kind == "purchase", rng.gamma(2.0, 30.0, ROWS).round(2), 0.0)
    frame = pd.DataFrame(
        {
            "event_date": day.strftime("%Y-%m-%d"),
            "event_type": kind,
            "country": rng.choice(["US", "DE", "FR", "GB", "JP", "BR", "IN", "CA"], ROWS),
            "user_id": rng.integers(1, 60_000, ROWS),
            "value": value,
        }
    )
    # Exports come sorted by user, not by time: nothing in the file's order helps a reader skip.
    return frame.sort_values(["user_id", "event_date"], kind="stable").reset_index(drop=True)


def generate(seed: int, dest: Path) -> None:
    events(seed).to_csv(dest / "events.csv", index=False)
