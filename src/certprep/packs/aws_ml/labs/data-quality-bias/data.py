"""Loan applications with planted quality faults, from a seed: applications.csv and customers.csv.

Each planted fault breaks exactly one rule, so the checks know which rule each bad row breaks.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

RULES = ("completeness", "range", "uniqueness", "referential")
COLUMNS = ["application_id", "customer_id", "age", "income", "loan_amount", "gender", "region", "approved"]
REGIONS = ("north", "south", "east", "west")


def _customers(rng: np.random.Generator, n: int, start: int) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"C{start + i:05d}" for i in range(n)], "since": rng.integers(2005, 2026, n)})


def _clean(rng: np.random.Generator, n: int, customers: pd.DataFrame, first_id: int) -> pd.DataFrame:
    female = rng.random(n) < 0.34
    region = rng.choice(len(REGIONS), n, p=[0.4, 0.3, 0.2, 0.1])
    income = np.round(rng.lognormal(10.8 - 0.1 * female, 0.4), -2)
    loan = np.round(rng.uniform(2_000, 40_000, n), -2)
    logit = 0.6 + 1.4 * np.log(income / 50_000) - 0.00003 * loan - 0.45 * female + 0.2 * (region == 0)
    return pd.DataFrame(
        {
            "application_id": [f"A{first_id + i:06d}" for i in range(n)],
            "customer_id": rng.choice(customers["customer_id"].to_numpy(), n),
            "age": rng.integers(18, 80, n).astype(float),
            "income": income,
            "loan_amount": loan,
            "gender": np.where(female, "female", "male"),
            "region": np.array(REGIONS)[region],
            "approved": (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int),
        }
    )


def applications(seed: int, n: int = 1500) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(applications, customers, broken): ``broken[i]`` is the rule row i breaks, "" for a good row."""
    rng = np.random.default_rng(seed)
    customers = _customers(rng, 600, 1)
    rows = _clean(rng, n, customers, 1)
    broken = [""] * n
    per_rule = max(8, n // 40)
    planted = ("completeness", "range", "referential")
    picks = rng.permutation(n)[: len(planted) * per_rule]
    for rule, chosen in zip(planted, np.split(picks, len(planted)), strict=True):
        for i in chosen:
            broken[i] = rule
            if rule == "completeness":
                rows.loc[i, str(rng.choice(["age", "income", "gender", "customer_id"]))] = None
            elif rule == "range":
                column = str(rng.choice(["age", "income", "loan_amount"]))
                bad = {"age": float(rng.choice([-1.0, 7.0, 130.0, 999.0])), "income": -rows.loc[i, "income"]}
                rows.loc[i, column] = bad.get(column, 0.0)
            else:
                rows.loc[i, "customer_id"] = f"C{90000 + int(i):05d}"
    # Re-sent records: copies of good rows, each placed somewhere after its original.
    good = np.array([i for i in range(n) if not broken[i]])
    originals = rng.choice(good, per_rule, replace=False)
    after = originals + 0.5 + rng.random(per_rule) * (n - originals)
    out = pd.concat([rows, rows.loc[originals]], ignore_index=True)
    broken += ["uniqueness"] * per_rule
    idx = np.argsort(np.concatenate([np.arange(n, dtype=float), after]), kind="stable")
    out = out.iloc[idx].reset_index(drop=True)
    broken = [broken[i] for i in idx]
    return out[COLUMNS], customers, broken


def generate(seed: int, dest: Path) -> None:
    apps, customers, _ = applications(seed)
    apps.to_csv(dest / "applications.csv", index=False)
    customers.to_csv(dest / "customers.csv", index=False)
