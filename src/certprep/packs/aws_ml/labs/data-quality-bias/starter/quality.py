"""Data quality rules and pre-training bias metrics for the loan applications. Fill in the TODOs;
see README.md."""

from __future__ import annotations

import pandas as pd

RULES = ("completeness", "range", "uniqueness", "referential")
REQUIRED = ["application_id", "customer_id", "age", "income", "loan_amount", "gender", "region", "approved"]
LABEL, POSITIVE = "approved", 1


def validate(applications: pd.DataFrame, customers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (kept, quarantined). Every input row lands in exactly one of them; `quarantined` has
    the input's columns plus `reason`: the first rule of RULES that the row breaks."""
    # TODO: one boolean mask per rule (README.md lists the rules), then split the rows
    raise NotImplementedError("validate")


def class_imbalance(df: pd.DataFrame, facet: str, value: object) -> float:
    """Class imbalance (CI) of facet d (the rows where `facet` equals `value`) against facet a (the
    other rows)."""
    # TODO: count the members of each facet
    raise NotImplementedError("class_imbalance")


def dpl(df: pd.DataFrame, facet: str, value: object, label: str = LABEL, positive: object = POSITIVE) -> float:
    """Difference in proportions of labels (DPL) between facet a and facet d (as in class_imbalance)."""
    # TODO: the proportion of positive labels in each facet
    raise NotImplementedError("dpl")
