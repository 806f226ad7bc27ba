"""Data quality rules and pre-training bias metrics for the loan applications (reference solution)."""

from __future__ import annotations

import pandas as pd

RULES = ("completeness", "range", "uniqueness", "referential")
REQUIRED = ["application_id", "customer_id", "age", "income", "loan_amount", "gender", "region", "approved"]
LABEL, POSITIVE = "approved", 1


def validate(applications: pd.DataFrame, customers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = applications.reset_index(drop=True)
    complete = df[REQUIRED].notna().all(axis=1)
    in_range = df["age"].between(18, 100) & (df["income"] > 0) & (df["loan_amount"] > 0)
    unique = ~df.duplicated("application_id", keep="first")
    known = df["customer_id"].isin(customers["customer_id"])
    reason = pd.Series("", index=df.index)
    for rule, ok in reversed(list(zip(RULES, (complete, in_range, unique, known), strict=True))):
        reason = reason.mask(~ok, rule)  # the first rule broken wins: applied last
    bad = reason != ""
    return df[~bad], df[bad].assign(reason=reason[bad])


def class_imbalance(df: pd.DataFrame, facet: str, value: object) -> float:
    d = df[facet] == value
    n_d, n_a = int(d.sum()), int((~d).sum())
    return (n_a - n_d) / (n_a + n_d)


def dpl(df: pd.DataFrame, facet: str, value: object, label: str = LABEL, positive: object = POSITIVE) -> float:
    d = df[facet] == value
    q_a = float((df.loc[~d, label] == positive).mean())
    q_d = float((df.loc[d, label] == positive).mean())
    return q_a - q_d
