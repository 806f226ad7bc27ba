"""Leakage-free features for the fraud model. Fill in the three TODOs; see README.md."""

from __future__ import annotations

import pandas as pd
from sklearn.pipeline import Pipeline

LABEL = "is_fraud"
NUMERIC = ["amount", "hour", "account_age_days", "distance_km"]
CATEGORICAL = ["merchant_category"]


def load(path: str = "transactions.csv") -> pd.DataFrame:
    return pd.read_csv(path, parse_dates=["ts"])


def time_split(df: pd.DataFrame, test_fraction: float = 0.2) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (train, test): the test rows are the latest `test_fraction` of the transactions."""
    # TODO: split by time, not at random
    raise NotImplementedError("time_split")


def build_pipeline() -> Pipeline:
    """An unfitted Pipeline: impute and scale the numeric columns, one-hot encode the categorical
    one, then a classifier (LogisticRegression works well here)."""
    # TODO: a ColumnTransformer inside a Pipeline; choose the columns the model may use
    raise NotImplementedError("build_pipeline")


def fit_and_evaluate(df: pd.DataFrame) -> tuple[Pipeline, float]:
    """Split, fit the pipeline, and return (fitted pipeline, ROC AUC on the test rows).

    sklearn.metrics.roc_auc_score computes the ROC AUC from labels and predicted probabilities.
    """
    # TODO: fit on the training rows only
    raise NotImplementedError("fit_and_evaluate")


if __name__ == "__main__":
    model, auc = fit_and_evaluate(load())
    print(f"test ROC AUC: {auc:.3f}")
